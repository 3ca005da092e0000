"""Shared fixtures: real sites on disk in tmp_path, a CLI runner, and a fixed build time."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

SITES = Path(__file__).parent / "sites"
REPO = Path(__file__).parent.parent

BUILD_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
"""A fixed 'now' so tests do not depend on the day they run."""

MakeSite = Callable[..., Path]


@pytest.fixture
def site(tmp_path: Path) -> Callable[[str], Path]:
    """Copy tests/sites/<name> into tmp_path and return its folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name.replace("/", "_")
        if not target.exists():
            shutil.copytree(SITES / name, target)
        return target

    return copy


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a site from a {relative path: text} mapping; site.yaml defaults to a minimal one."""

    def make(files: Mapping[str, str | bytes] | None = None, *, config: str | None = None,
             name: str = "site") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        (root / "site.yaml").write_text(
            textwrap.dedent(config) if config is not None else
            "title: Test Co\nbase_url: https://test.example/\ntimezone: UTC\n", encoding="utf-8")
        for relpath, text in (files or {}).items():
            path = root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the caller's SOURCE_DATE_EPOCH out of tests; tests that need it set it themselves."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

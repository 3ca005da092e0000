"""Shared fixtures: real sites on disk in tmp_path, a CLI runner, and a fixed build time."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
"""Property tests draw the same examples on every run, so CI is red only for a change, never for a draw; a
developer searches further with HYPOTHESIS_PROFILE=explore (random draws, failures kept in .hypothesis/)."""

SITES = Path(__file__).parent / "sites"
REPO = Path(__file__).parent.parent

BUILD_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
"""A fixed 'now' so tests do not depend on the day they run."""
DEMO_TIME = datetime(2026, 11, 23, tzinfo=timezone.utc)
"""When the demo (the repository root) is built by the tests: October 2026 is its latest closed month."""

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the golden sites' builds (then review `git diff tests/golden/`)")


@pytest.fixture(scope="session")
def golden_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    """Build a golden site (tests/golden_site.py: 'full', 'zh', 'bilingual') once per session; return its output and result.

    The site is copied first (a build records what it published in metrics/.published.json), built at its
    fixed time with one worker and no cache. Slow end-to-end tests share these builds instead of building.
    """
    from generator.build import build_site
    from golden_site import GOLDEN_SITES, GoldenBuild

    built: dict[str, GoldenBuild] = {}

    def build(name: str) -> GoldenBuild:
        if name not in built:
            source, when = GOLDEN_SITES[name]
            root = tmp_path_factory.mktemp(f"golden-{name}")
            site = root / "site"
            shutil.copytree(source, site, ignore=shutil.ignore_patterns("output", ".opensite-cache"))
            _commit_fixed(site)  # a checkout, so data/VERSION names a commit, the same one on every machine
            result = build_site(site, root / "output", now=when, use_cache=False, jobs=1)
            built[name] = GoldenBuild(site, root / "output", result)
        return built[name]

    return build


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Build the demo (the repository root) once per session at DEMO_TIME; tests that only read it share it."""
    from generator.build import build_site
    from golden_site import GoldenBuild

    output = tmp_path_factory.mktemp("demo") / "output"
    return GoldenBuild(REPO, output, build_site(REPO, output, now=DEMO_TIME, jobs=1))


def _commit_fixed(folder: Path) -> None:
    """Make `folder` a git checkout with one commit whose id is the same on every machine."""
    import subprocess

    env = {"GIT_AUTHOR_NAME": "Golden", "GIT_AUTHOR_EMAIL": "golden@example.com", "GIT_COMMITTER_NAME": "Golden",
           "GIT_COMMITTER_EMAIL": "golden@example.com", "GIT_AUTHOR_DATE": "2026-01-20T09:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-01-20T09:00:00+00:00", "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ.get("PATH", "")}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "golden"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True)

"""Fixtures for the metrics tests: real CSV files and a real site.yaml in tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from generator.config.metrics import MetricsConfig, parse_metrics_section
from generator.config.schema import ConfigDocument
from generator.config.site import SiteConfig
from generator.errors import ConfigError, Diagnostic

ParseYaml = Callable[[str], tuple[MetricsConfig | None, list[Diagnostic]]]


def _parse(text: str, path: Path) -> tuple[MetricsConfig | None, list[Diagnostic]]:
    doc = ConfigDocument.parse(path, "title: Test\n" + textwrap.dedent(text).lstrip("\n"))
    section = doc.root().child("metrics", default_empty=False)
    config = parse_metrics_section(section) if section is not None else None
    return config, doc.problems


@pytest.fixture
def parse_yaml(tmp_path: Path) -> ParseYaml:
    """Parse site.yaml text (after a 'title:' line, so `metrics:` sits on line 2) into (config, problems)."""
    return lambda text: _parse(text, tmp_path / "site.yaml")


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each file; text is dedented and written as UTF-8, bytes as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., SiteConfig]:
    """Return make(files={'mrr.csv': ...}, metrics='metrics:\\n  ...') -> SiteConfig rooted in tmp_path."""
    def make(files: Mapping[str, str | bytes] | None = None, metrics: str | None = None) -> SiteConfig:
        if files:
            write_files(tmp_path / "metrics", files)
        settings = None
        if metrics is not None:
            text = "title: Test\n" + textwrap.dedent(metrics).lstrip("\n")
            (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
            settings, problems = _parse(metrics, tmp_path / "site.yaml")
            if problems:
                raise ConfigError(diagnostics=problems)
        return SiteConfig(root=tmp_path, title="Test", metrics=settings)
    return make

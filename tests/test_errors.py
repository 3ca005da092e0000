"""Diagnostics: the one formatter for text (commands, the preview's error page) and JSON (check --format json)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.errors import Diagnostic, GeneratorError, render_diagnostics_json


def test_format_with_severity_is_the_linter_line(tmp_path: Path) -> None:
    diagnostic = Diagnostic("broken link: /x/", tmp_path / "content/a.md", 7, 3, "fix the link", "error")

    assert diagnostic.format(tmp_path, severity=True) == "content/a.md:7:3: error: broken link: /x/ (fix the link)"
    assert diagnostic.format(tmp_path) == "content/a.md:7:3: broken link: /x/ (fix the link)"


def test_format_without_a_place_starts_with_the_severity() -> None:
    assert Diagnostic("no metrics", severity="warning").format(severity=True) == "warning: no metrics"


def test_render_diagnostics_json_lists_every_field_relative_to_root(tmp_path: Path) -> None:
    found = json.loads(render_diagnostics_json([
        Diagnostic("m", tmp_path / "site.yaml", 2, None, None, "warning"), Diagnostic("n", hint="h")], tmp_path))

    assert found == [
        {"file": "site.yaml", "line": 2, "column": None, "severity": "warning", "message": "m", "hint": None},
        {"file": None, "line": None, "column": None, "severity": "error", "message": "n", "hint": "h"},
    ]


def test_generator_error_collects_diagnostics_in_order() -> None:
    error = GeneratorError.collect([GeneratorError("a"), Diagnostic("b"), GeneratorError("c")])

    assert error is not None and [d.message for d in error.diagnostics] == ["a", "b", "c"]
    assert GeneratorError.collect([]) is None

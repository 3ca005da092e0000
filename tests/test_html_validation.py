"""The demo site passes the Nu HTML checker (vnu.jar from the npm package vnu-jar) with zero errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import REPO

from generator import build_site

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(folder: Path) -> list[dict]:
    """Return the checker's error messages for every HTML file under folder."""
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run 'npm ci' (the README's test command does)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: the Nu HTML checker needs a Java runtime (apt-get install default-jre)")
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=300,
    )
    return json.loads(completed.stderr or '{"messages": []}')["messages"]


DEMO_TIME = datetime(2026, 11, 23, tzinfo=timezone.utc)
"""After every dated demo post and its data, so the monthly reports and their charts are validated too."""


def test_demo_site_has_no_html_errors(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    build_site(REPO, out, now=DEMO_TIME, drafts=True)
    errors = run_vnu(out)
    shown = "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in errors[:20])
    assert errors == [], f"{len(errors)} HTML errors:\n{shown}"


def test_checker_reports_a_planted_error(tmp_path: Path) -> None:
    """Guard against a silent checker: a page with a stray end tag must be reported."""
    (tmp_path / "bad.html").write_text("<!doctype html><html lang=en><title>x</title></span></html>")
    errors = run_vnu(tmp_path)
    assert any("span" in m["message"] for m in errors)


def test_the_bilingual_example_has_no_html_errors_in_either_language(golden_build) -> None:
    """examples/bilingual (issue 23): every page of both languages, the switch and hreflang links included."""
    output = golden_build("bilingual").output
    assert (output / "en" / "index.html").is_file()
    errors = run_vnu(output)
    shown = "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in errors[:20])
    assert errors == [], f"{len(errors)} HTML errors:\n{shown}"

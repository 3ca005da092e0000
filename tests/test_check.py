"""`opensite check` as a user runs it: linter lines or JSON, --strict, and the demo site at the repo root.

Also the progress display and summary line of `build`, which share the command line's output rules.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from generator.cli import Progress, main

GOOD_POST = """\
---
title: Launch
date: 2024-03-04
category: finances
summary: We launched.
---
Intro.

## The numbers

![Revenue by month](/images/chart.svg)
"""

PLANTED_POST = """\
---
title: Broken things
date: 2024-03-05
category: culture
summary: Every kind of broken reference.
---
A [broken link](/2024/03/lunch/) to a typo.

![The team](/images/missing-team.png)

See [the numbers](/2024/03/launch/#the-number).

<img src="/images/chart.svg">
"""


@pytest.fixture
def planted(make_site) -> Path:
    """A site whose second post holds a broken link, a missing image, a missing anchor and an image without alt."""
    return make_site({
        "content/posts/2024-03-04-launch.md": GOOD_POST,
        "content/posts/2024-03-05-broken.md": PLANTED_POST,
        "content/images/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


def test_check_finds_planted_link_image_anchor_and_alt_problems(planted: Path, runner: CliRunner,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(planted)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1, result.output
    errors = [line for line in _lines(result.stderr) if ": error: " in line]
    post = "content/posts/2024-03-05-broken.md"
    assert errors == [
        f"{post}:7: error: broken link: /2024/03/lunch/ (nothing is built at /2024/03/lunch/; fix the link or "
        "create the page)",
        f"{post}:9: error: image not found: /images/missing-team.png (nothing is built or copied to "
        "/images/missing-team.png; add it under content/ or fix the path)",
        f"{post}:11: error: anchor #the-number does not exist on /2024/03/launch/ (link to an existing heading id "
        "(headings get ids from their text), or fix the anchor)",
        f"{post}:13: error: image has no alt attribute: /images/chart.svg (describe the image, e.g. "
        '![Revenue by month](chart.svg), or write alt="" if it is only decoration)',
    ]
    assert result.stderr.count("image not found") == 1, "the build's warning gives way to the check's error"
    assert "Checked 2 posts and 0 pages: 4 errors, 0 warnings, 0 notes." in result.stdout
    assert not (planted / "output").exists()


def test_check_reports_a_template_link_once_on_the_rendered_page(make_site, runner: CliRunner) -> None:
    root = make_site({
        "content/posts/2024-03-04-launch.md": GOOD_POST.replace("![Revenue by month](/images/chart.svg)", ""),
        "templates/base.html": '{% extends "default/base.html" %}\n{% block footer %}\n'
                               '<a href="{{ \'pricing/\' | url }}">Pricing</a>\n{% endblock %}\n',
    })
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 1
    [line] = [line for line in _lines(result.stderr) if "error" in line]
    assert "output/index.html:" in line or "output/2024/03/launch/index.html:" in line
    assert "broken link: /pricing/" in line
    assert "pages: the link comes from a template)" in line


def test_check_warnings_pass_unless_strict(make_site, runner: CliRunner) -> None:
    root = make_site({"content/posts/2024-03-04-bare.md": "---\ntitle: Bare\n---\nNo category, no summary.\n"})
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 0, result.output
    assert "warning: post has no category" in result.stderr
    assert "warning: post has no summary" in result.stderr
    strict = runner.invoke(main, ["check", "--strict", "-s", str(root)])
    assert strict.exit_code == 1
    assert "--strict treats warnings as errors" in strict.stderr


def test_check_lists_scheduled_posts_as_notes_that_never_fail(make_site, runner: CliRunner) -> None:
    root = make_site({
        "content/posts/2024-03-04-launch.md": GOOD_POST.replace("![Revenue by month](/images/chart.svg)", ""),
        "content/posts/2099-01-15-future.md": "---\ntitle: Future\ncategory: culture\nsummary: Later.\n---\nx\n",
    })
    result = runner.invoke(main, ["check", "--strict", "-s", str(root)])
    assert result.exit_code == 0, result.output
    assert "2099-01-15-future.md: note: scheduled: 'Future' goes live on 2099-01-15 00:00+00:00" in result.stderr
    assert "0 errors, 0 warnings, 1 note." in result.stdout


def test_check_format_json_lists_every_problem(planted: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--format", "json", "-s", str(planted)])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {tuple(sorted(p)) for p in problems} == {("column", "file", "hint", "line", "message", "severity")}
    assert [(Path(p["file"]).name, p["line"], p["severity"]) for p in problems] == [
        ("2024-03-05-broken.md", line, "error") for line in (7, 9, 11, 13)]


def test_check_format_json_reports_build_errors_too(make_site, runner: CliRunner) -> None:
    root = make_site({"content/posts/2024-03-04-bad.md": "---\ntitle: [unclosed\n---\nx\n"})
    result = runner.invoke(main, ["check", "--format", "json", "-s", str(root)])
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem["severity"] == "error" and problem["line"] == 2
    assert problem["file"].endswith("2024-03-04-bad.md")
    assert problem["message"].startswith("invalid YAML")


def test_check_format_json_is_empty_list_for_a_clean_site(make_site, runner: CliRunner) -> None:
    root = make_site({"content/posts/2024-03-04-launch.md": GOOD_POST,
                      "content/images/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    result = runner.invoke(main, ["check", "--strict", "--format", "json", "-s", str(root)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_check_passes_on_the_demo_site(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert ": error: " not in result.stderr
    assert not [line for line in _lines(result.stderr) if "link" in line or "anchor" in line or "alt" in line]


def test_check_passes_on_the_demo_site_under_a_base_path(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(main, ["check", "--base-url", "https://tallybird.github.io/open/"])
    assert result.exit_code == 0, result.output
    assert ": error: " not in result.stderr


def test_progress_shows_the_stage_after_the_delay_and_clears_it() -> None:
    stream = io.StringIO()
    with Progress(enabled=True, stream=stream, delay=0.0, interval=0.01) as progress:
        progress("render")
        time.sleep(0.1)
    text = stream.getvalue()
    assert "Building: rendering pages…" in text
    assert text.endswith("\r\033[K"), "the progress line is cleared before the summary"


def test_progress_stays_silent_for_fast_builds_and_when_disabled() -> None:
    fast, disabled = io.StringIO(), io.StringIO()
    with Progress(enabled=True, stream=fast, delay=5.0) as progress:
        progress("render")
    with Progress(enabled=False, stream=disabled, delay=0.0, interval=0.01) as progress:
        progress("render")
        time.sleep(0.05)
    assert fast.getvalue() == "" and disabled.getvalue() == ""


def test_build_without_terminal_prints_no_progress_and_one_summary_line(site, runner: CliRunner,
                                                                         tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "-s", str(site("minimal")), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "\r" not in result.output and "Building:" not in result.output
    [summary] = _lines(result.stdout)
    assert summary.startswith("Built ") and " pages in " in summary and summary.endswith("out/")

"""Local links and images in posts, end to end: resolved against the source folder, under a base_url subpath,
`.md` links turned into post URLs, raw HTML treated like Markdown, and each broken variant reported by
`opensite check` at its line (issue 9)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

SUBPATH_CONFIG = "title: Acme\nbase_url: https://acme.github.io/open/\ntimezone: UTC\n"
FRONT = "---\ntitle: {title}\ndate: {date}\ncategory: finances\nsummary: S.\n---\n"
SVG = "<svg xmlns='http://www.w3.org/2000/svg'/>"


def _post(title: str, date: str, body: str) -> str:
    return FRONT.format(title=title, date=date) + body


@pytest.fixture
def linked_site(make_site) -> Path:
    """Posts in nested folders that link files beside them, each other by .md, and use raw HTML images."""
    return make_site({
        "content/posts/2024/2024-03-04-launch.md": _post("Launch", "2024-03-04", (
            "Read [the deck](deck.pdf).\n\n"
            "![The team](team.png)\n\n"
            "Next: [pricing](../2025/2025-01-10-pricing.md#why) and [about](../../pages/about.md).\n\n"
            '<img src="shots/board.png" alt="Our board">\n')),
        "content/posts/2024/deck.pdf": b"%PDF-1.4\n",
        "content/posts/2024/team.png": b"\x89PNG\r\n",
        "content/posts/2024/shots/board.png": b"\x89PNG\r\n",
        "content/posts/2025/2025-01-10-pricing.md": _post("Pricing", "2025-01-10", "## Why\n\nBecause.\n"),
        "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
    }, config=SUBPATH_CONFIG)


def _build(runner: CliRunner, site: Path) -> Path:
    result = runner.invoke(main, ["build", "-s", str(site), "-q"])
    assert result.exit_code == 0, result.output
    return site / "output"


def _check(runner: CliRunner, site: Path) -> list[dict]:
    result = runner.invoke(main, ["check", "-s", str(site), "--format", "json"])
    return json.loads(result.stdout)


def test_relative_links_and_images_resolve_against_the_source_folder(runner, linked_site: Path) -> None:
    page = (_build(runner, linked_site) / "2024/03/launch/index.html").read_text(encoding="utf-8")

    assert 'href="/open/posts/2024/deck.pdf"' in page
    assert 'src="/open/posts/2024/team.png"' in page
    assert (linked_site / "output/posts/2024/deck.pdf").is_file()
    assert (linked_site / "output/posts/2024/team.png").is_file()


def test_markdown_links_become_the_target_posts_url(runner, linked_site: Path) -> None:
    page = (_build(runner, linked_site) / "2024/03/launch/index.html").read_text(encoding="utf-8")

    assert 'href="/open/2025/01/pricing/#why"' in page
    assert 'href="/open/about/"' in page
    assert ".md" not in page


def test_raw_html_image_is_rebased_under_the_subpath(runner, linked_site: Path) -> None:
    page = (_build(runner, linked_site) / "2024/03/launch/index.html").read_text(encoding="utf-8")

    assert '<img src="/open/posts/2024/shots/board.png" alt="Our board">' in page


def test_the_correct_site_checks_clean(runner, linked_site: Path) -> None:
    errors = [d for d in _check(runner, linked_site) if d["severity"] == "error"]

    assert errors == []


@pytest.mark.parametrize(("body", "line", "message"), [
    pytest.param("Read [the deck](dek.pdf).\n", 7, "broken link", id="relative-pdf-link"),
    pytest.param("Intro.\n\n![The team](teem.png)\n", 9, "image not found", id="image-beside-the-post"),
    pytest.param("See [pricing](../2025/2025-01-10-prising.md).\n", 7, "broken link", id="md-link-to-a-missing-post"),
    pytest.param('Intro.\n\n<img src="shots/bored.png" alt="Board">\n', 9, "image not found", id="raw-html-image"),
    pytest.param("Leak [it](../../../secret.txt).\n", 7, "", id="link-out-of-content"),
])
def test_check_reports_each_broken_variant_at_its_line(runner, make_site, body: str, line: int,
                                                       message: str) -> None:
    site = make_site({
        "content/posts/2024/2024-03-04-launch.md": _post("Launch", "2024-03-04", body),
        "content/posts/2024/deck.pdf": b"%PDF-1.4\n",
        "content/posts/2024/team.png": b"\x89PNG\r\n",
        "content/posts/2024/shots/board.png": b"\x89PNG\r\n",
        "content/posts/2025/2025-01-10-pricing.md": _post("Pricing", "2025-01-10", "Because.\n"),
    }, config=SUBPATH_CONFIG)

    errors = [d for d in _check(runner, site) if d["severity"] == "error"]

    assert [(e["file"].rsplit("/", 1)[-1], e["line"]) for e in errors] == [("2024-03-04-launch.md", line)]
    assert message in errors[0]["message"]


def test_link_to_a_draft_never_reveals_its_url(runner, make_site) -> None:
    site = make_site({
        "content/posts/2024-03-04-launch.md": _post("Launch", "2024-03-04", "Soon: [plans](secret-plans.md).\n"),
        "content/posts/secret-plans.md": "---\ntitle: Secret plans\ndate: 2024-03-01\ndraft: true\n---\nX.\n",
    })
    output = _build(runner, site)

    for path in output.rglob("*"):
        if path.is_file():
            assert b"secret-plans/" not in path.read_bytes(), path
    errors = [d for d in _check(runner, site) if d["severity"] == "error"]
    assert [(e["line"], "broken link" in e["message"]) for e in errors] == [(7, True)]


def test_permalink_that_climbs_out_is_an_error_and_writes_nothing_outside(runner, make_site, tmp_path: Path) -> None:
    site = make_site({
        "content/posts/2024-03-04-launch.md": "---\ntitle: Launch\ndate: 2024-03-04\n"
                                              "permalink: /../../escape/\n---\nX.\n",
    })
    before = _snapshot(tmp_path)

    result = runner.invoke(main, ["build", "-s", str(site)])

    assert result.exit_code == 1
    assert "2024-03-04-launch.md:4:" in result.output and "climbs out" in result.output
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("permalink", ["/" + "../" * 30 + "tmp/x/", "/a/../../b/"])
def test_permalink_pattern_in_site_yaml_that_climbs_out_is_refused(runner, make_site, permalink: str) -> None:
    site = make_site({"content/posts/2024-03-04-a.md": "---\ntitle: A\ndate: 2024-03-04\n---\nX.\n"},
                     config=f"title: T\nbase_url: https://t.example/\npermalink: \"{permalink}{{slug}}/\"\n")

    result = runner.invoke(main, ["build", "-s", str(site)])

    assert result.exit_code == 1
    assert "site.yaml:3:" in result.output and "leaves the output folder" in result.output


def test_javascript_link_in_a_post_is_refused_at_its_line(runner, make_site) -> None:
    site = make_site({
        "content/posts/2024-03-04-a.md": "---\ntitle: A\ndate: 2024-03-04\n---\nIntro.\n\n[Click](javascript:alert(1))\n",
    })

    result = runner.invoke(main, ["build", "-s", str(site)])

    assert result.exit_code == 1
    assert "2024-03-04-a.md:7:" in result.output and "javascript: link refused" in result.output


def _snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*") if ".pytest" not in str(p)} | {
        "parent": os.stat(root.parent).st_mtime}

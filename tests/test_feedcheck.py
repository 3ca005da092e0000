"""`opensite check` parses every feed (and the sitemap) it renders as XML (issue 11, §1)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner
from conftest import BUILD_TIME

from generator.build import check_site, render_site_in_memory
from generator.cli import main

BAD = "\uffff"
"""A noncharacter: fine in an HTML page, forbidden in XML 1.0 even escaped; not a control character, so the
content loader keeps it."""


def _post(title: str, body: str, date: str = "2024-01-05") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: finances\nsummary: One line.\n---\n{body}\n"


def _errors(root: Path) -> list:
    return [d for d in check_site(root, now=BUILD_TIME, use_cache=False).diagnostics if d.severity == "error"]


def test_a_character_xml_forbids_in_a_post_is_removed_with_a_warning_and_the_feeds_parse(make_site) -> None:
    root = make_site({"content/posts/2024-01-05-bad.md": _post("Bad", f"First paragraph.\n\nThen {BAD} here."),
                      "content/posts/2024-01-04-good.md": _post("Good", "Fine.", "2024-01-04")},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\n"
                            "categories:\n  finances: {name: Finances}\n")
    files = render_site_in_memory(root, now=BUILD_TIME, use_cache=False).files
    for feed in (f for f in files if f.path.endswith(".xml")):
        ElementTree.fromstring(feed.data)
    diagnostics = check_site(root, now=BUILD_TIME, use_cache=False).diagnostics
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert [(d.path.name, d.line) for d in diagnostics if "U+FFFF" in d.message] == [("2024-01-05-bad.md", 9)]


FORBIDDEN = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF)]


def test_feeds_stay_well_formed_for_every_control_character_from_any_field(make_site) -> None:
    """YAML escapes put control characters into front matter after the loader cleaned the file (issue 22)."""
    escaped = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in FORBIDDEN)
    post = (f'---\ntitle: "T{escaped}"\ndate: 2024-01-05\ncategory: finances\nsummary: "S{escaped}"\n'
            f'tags: ["a{escaped}"]\nauthor: "Ada{escaped}"\n---\nBody {"".join(FORBIDDEN)} end.\n')
    root = make_site({"content/posts/2024-01-05-all.md": post},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\n")
    files = render_site_in_memory(root, now=BUILD_TIME, use_cache=False).files
    feeds = [f for f in files if f.path.endswith(".xml")]
    assert len(feeds) >= 3
    for feed in feeds:
        ElementTree.fromstring(feed.data)  # raises on the first character XML forbids
    text_files = [f for f in files if not f.path.endswith(".png")]  # share cards are binary
    assert all(not any(c.encode() in f.data for c in FORBIDDEN if c not in "\x00") for f in text_files)
    assert _errors(root) == []


def test_feed_template_that_breaks_xml_is_reported_at_the_feed_only(make_site, runner: CliRunner) -> None:
    root = make_site({"content/posts/2024-01-05-hello.md": _post("Tom & Jerry", "Fine."),
                      "templates/feed.xml": '<?xml version="1.0"?>\n<feed>\n  <title>{{ page.title | safe }} '
                                            '& co</title>\n</feed>\n'})
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 1, result.output
    assert f"{root}/output/feed.xml:3:" in result.stderr or "output/feed.xml:3:" in result.stderr
    assert "feed.xml is not well-formed XML: invalid token" in result.stderr
    assert "2024-01-05-hello.md" not in result.stderr.split("error:", 1)[0], "no post is blamed for a template"


def test_sitemap_that_is_not_xml_is_reported(make_site) -> None:
    root = make_site({"content/posts/2024-01-05-hello.md": _post("Hello", "Fine."),
                      "templates/sitemap.xml": "<urlset><url></urlset>\n"})
    errors = _errors(root)
    assert [(e.path.name, e.line) for e in errors] == [("sitemap.xml", 1)]
    assert "search engines reject the whole sitemap" in errors[0].message


def test_escaped_ampersands_and_markup_in_posts_keep_the_feeds_well_formed(make_site) -> None:
    root = make_site({"content/posts/2024-01-05-hello.md": _post("'Tom & Jerry <b>'", "A & B < C, <em>ok</em>.")})
    assert _errors(root) == []

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


def test_feed_broken_by_a_post_is_reported_at_the_feed_and_the_post_line(make_site) -> None:
    root = make_site({"content/posts/2024-01-05-bad.md": _post("Bad", f"First paragraph.\n\nThen {BAD} here."),
                      "content/posts/2024-01-04-good.md": _post("Good", "Fine.", "2024-01-04")},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\n"
                            "categories:\n  finances: {name: Finances}\n")
    feed = next(f for f in render_site_in_memory(root, now=BUILD_TIME, use_cache=False).files if f.path == "feed.xml")
    try:
        ElementTree.fromstring(feed.data)
        raise AssertionError("the planted character should break the feed")
    except ElementTree.ParseError:
        pass
    feed_line = next(n for n, line in enumerate(feed.data.decode().split("\n"), 1) if BAD in line)
    errors = _errors(root)
    at_feed = [e for e in errors if e.path == root / "output/feed.xml"]
    assert len(at_feed) == 1 and at_feed[0].line == feed_line
    assert "feed.xml is not well-formed XML: U+FFFF" in at_feed[0].message
    assert "2024-01-05-bad.md" in at_feed[0].message, "the feed names the post whose entry broke it"
    at_post = [e for e in errors if e.path == root / "content/posts/2024-01-05-bad.md"]
    assert [(e.line, "makes feed.xml unreadable" in e.message) for e in at_post][:1] == [(9, True)]
    assert not any(e.path == root / "content/posts/2024-01-04-good.md" for e in errors)
    category_feed = root / "output/categories/finances/feed.xml"
    assert any(e.path == category_feed for e in errors), "the category's feed holds the post too"


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

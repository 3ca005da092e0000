"""Link, anchor and alt-text checks over rendered pages, and the notes `check` adds about posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BUILD_TIME

from generator.build import render_site_in_memory
from generator.linkcheck import (
    check_alt_text,
    check_posts,
    find_line,
    find_link_problems,
    parse_page,
    withheld_notes,
)
from generator.model import OutputFile

BASE = "https://acme.example/"


def _page(body: str, head: str = "") -> bytes:
    return f"<!doctype html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n".encode()


def _site(**pages: str) -> list[OutputFile]:
    """Rendered files from {output path with '__' for '/': body}; the home page and a post exist."""
    files = {"index.html": '<h1 id="top-stories">Home</h1>',
             "2024/03/launch/index.html": '<h2 id="the-numbers">The numbers</h2><h2 id="第一年">第一年</h2>'}
    files.update({path.replace("__", "/"): body for path, body in pages.items()})
    return [OutputFile(path, _page(body)) for path, body in files.items()] + [
        OutputFile("assets/style.css", b"body{}"), OutputFile("feed.xml", b"<feed/>")]


def _problems(files: list[OutputFile], base_url: str = BASE, extra: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(p.kind, p.url) for p in find_link_problems(files, base_url, extra)]


@pytest.mark.parametrize("href", [
    "/", "/2024/03/launch/", "/2024/03/launch", "../2024/03/launch/", "/2024/03/launch/#the-numbers",
    "/2024/03/launch/#%E7%AC%AC%E4%B8%80%E5%B9%B4", "/2024/03/launch/#第一年", "#top", "#", "/#top-stories",
    "/feed.xml", "/assets/style.css?v=abc123", "https://acme.example/2024/03/launch/",
    "https://other.example/missing/", "mailto:hi@acme.example", "tel:+123", "data:image/png;base64,AA",
    "//cdn.example/x.js",
])
def test_find_link_problems_accepts_links_that_resolve(href: str) -> None:
    files = _site(**{"about__index.html": f'<a href="{href}">x</a>'})
    assert _problems(files) == []


def test_find_link_problems_reports_broken_link_with_its_line() -> None:
    files = _site(**{"about__index.html": '<p>\n<a href="/2024/03/lunch/">typo</a></p>'})
    [problem] = find_link_problems(files, BASE)
    assert (problem.page, problem.kind, problem.url) == ("about/index.html", "link", "/2024/03/lunch/")
    assert problem.line == 5  # doctype, html/head, body, <p>, then the link
    assert "broken link" in problem.message and "/2024/03/lunch/" in problem.hint


def test_find_link_problems_reports_missing_image_and_stylesheet() -> None:
    files = _site(**{"about__index.html": '<img src="/images/team.png" alt="The team">'})
    files.append(OutputFile("x/index.html", _page("", head='<link rel="stylesheet" href="/assets/gone.css">')))
    assert sorted(_problems(files)) == [("file", "/assets/gone.css"), ("file", "/images/team.png")]


def test_find_link_problems_finds_copied_files_through_extra_paths() -> None:
    files = _site(**{"about__index.html": '<img src="/images/team.png" alt="The team">'})
    assert _problems(files, extra=("images/team.png",)) == []


@pytest.mark.parametrize(("href", "where"), [
    ("/2024/03/launch/#the-number", "/2024/03/launch/"),
    ("#nowhere", "this page"),
    ("../2024/03/launch/#第二年", "/2024/03/launch/"),
])
def test_find_link_problems_reports_missing_anchor(href: str, where: str) -> None:
    files = _site(**{"about__index.html": f'<a href="{href}">x</a>'})
    [problem] = find_link_problems(files, BASE)
    assert problem.kind == "anchor"
    assert problem.message.endswith(f"does not exist on {where}")


def test_find_link_problems_reads_ids_of_every_element_and_a_name() -> None:
    files = _site(**{"about__index.html": '<a name="old"></a><section id="new"></section>'
                                          '<a href="#old">a</a><a href="#new">b</a>'})
    assert _problems(files) == []


def test_find_link_problems_honours_base_path() -> None:
    files = _site(**{"about__index.html": '<a href="/open/2024/03/launch/">ok</a><a href="/about/">outside</a>'
                                          '<a href="https://acme.example/other-project/">another site</a>'})
    assert _problems(files, "https://acme.example/open/") == [("outside", "/about/")]


def test_find_link_problems_resolves_relative_links_from_the_page_url() -> None:
    files = _site(**{"2024/03/other/index.html": '<a href="../launch/">ok</a><a href="launch/">broken</a>'})
    assert _problems(files) == [("link", "launch/")]


def test_find_link_problems_reports_image_without_alt_attribute_only() -> None:
    files = _site(**{"about__index.html": '<img src="/assets/style.css" alt="">\n<img src="/assets/style.css">'})
    [problem] = find_link_problems(files, BASE)
    assert (problem.kind, problem.line) == ("alt", 5)


def test_parse_page_keeps_unicode_ids_and_lines() -> None:
    scan = parse_page('<h2 id="第一年">x</h2>\n<a href="#第一年">y</a>\n<img src="a.png">')
    assert "第一年" in scan.ids
    assert [(r.tag, r.url, r.line, r.alt) for r in scan.references] == [("a", "#第一年", 2, None),
                                                                          ("img", "a.png", 3, None)]


@pytest.mark.parametrize(("url", "expected"), [
    ("/open/images/team%20photo.png", 4),  # written as /images/team photo.png, base path added
    ("/open/2024/03/launch/#the-numbers", 5),
    ("#fn:1", 6),
    ("/open/nowhere/", None),
])
def test_find_line_finds_the_url_as_written(url: str, expected: int | None) -> None:
    source = "---\ntitle: T\n---\n![Team](/images/team photo.png)\nSee [numbers](/2024/03/launch/#the-numbers)\n[^1] #fn:1\n"
    assert find_line(source, url, "/open/") == expected


def _loaded(make_site, files: dict[str, str]):
    root = make_site(files)
    result = render_site_in_memory(root, now=BUILD_TIME)
    sources = {p.source: p.source.read_text(encoding="utf-8") for p in result.site.posts + result.site.pages}
    return result, sources


def test_check_posts_warns_about_missing_category_and_summary(make_site) -> None:
    result, sources = _loaded(make_site, {
        "content/posts/2024-01-01-bare.md": "---\ntitle: Bare\n---\nJust text.\n",
        "content/posts/2024-01-02-summary.md": "---\ntitle: S\ncategory: culture\nsummary: One line.\n---\nText.\n",
        "content/posts/2024-01-03-more.md": "---\ntitle: M\ncategory: culture\n---\nIntro.\n\n<!-- more -->\n\nRest.\n",
        "content/posts/2024-01-04-jekyll.md": "---\ntitle: J\ncategories: finances\nexcerpt: From Jekyll.\n---\nx\n",
        "content/pages/about.md": "---\ntitle: About\n---\nPages need neither.\n",
    })
    found = check_posts(result.site.posts, result.site.config, sources)
    assert [(d.path.name, d.line, d.severity, d.message.split(";")[0]) for d in found] == [
        ("2024-01-01-bare.md", 1, "warning", "post has no category"),
        ("2024-01-01-bare.md", 1, "warning", "post has no summary"),
    ]
    assert "finances, culture, startup-life" in found[0].hint


def test_check_alt_text_warns_about_empty_alt_at_its_line(make_site) -> None:
    result, sources = _loaded(make_site, {
        "content/posts/2024-01-01-pics.md": "---\ntitle: P\n---\nText.\n\n![](/images/a.png)\n\n![A chart](/images/b.png)\n",
        "content/images/a.png": b"png", "content/images/b.png": b"png",
    })
    [warning] = check_alt_text(result.site.posts, sources)
    assert (warning.path.name, warning.line, warning.severity) == ("2024-01-01-pics.md", 6, "warning")
    assert warning.message == "image has no alt text: /images/a.png"


def test_withheld_notes_list_scheduled_posts_with_their_date_and_drafts(make_site) -> None:
    root = make_site({
        "content/posts/2027-05-01-later.md": "---\ntitle: Later\ndate: 2027-05-01 09:30\n---\nx\n",
        "content/posts/2024-01-01-wip.md": "---\ntitle: WIP\ndraft: true\n---\nx\n",
    }, config="title: T\ntimezone: Asia/Shanghai\n")
    result = render_site_in_memory(root, now=BUILD_TIME)
    notes = sorted(withheld_notes(result.content, result.site.config), key=lambda d: d.message)
    assert [d.severity for d in notes] == ["note", "note"]
    assert notes[0].message == "draft: 'WIP' is not published"
    assert notes[1].message == "scheduled: 'Later' goes live on 2027-05-01 09:30+08:00"
    assert notes[1].path == Path(root) / "content/posts/2027-05-01-later.md"

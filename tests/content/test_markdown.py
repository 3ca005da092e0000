"""Tests for generator.content.markdown: one reused Python-Markdown instance and our URL rewriting.

Source and expected HTML sit side by side, as in Python-Markdown's `assertMarkdownRenders`.
"""

from __future__ import annotations

import html as html_module
import re
from pathlib import PurePosixPath

import pytest

from generator.content.markdown import (
    Heading,
    MarkdownConverter,
)

POSTS = PurePosixPath("posts")


def render(source: str, base_path: str = "/", source_dir: PurePosixPath = POSTS) -> str:
    return MarkdownConverter(base_path).convert(source, source_dir).html


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param(
        "| Month | MRR |\n|---|--:|\n| Jan | 12,500 |",
        '<table>\n<thead>\n<tr>\n<th>Month</th>\n<th style="text-align: right;">MRR</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr>\n<td>Jan</td>\n<td style="text-align: right;">12,500</td>\n</tr>\n</tbody>\n</table>',
        id="table",
    ),
    pytest.param(
        "```\nplain <text>\n```",
        '<div class="highlight"><pre tabindex="0"><span></span><code>plain &lt;text&gt;\n</code></pre></div>',
        id="fenced-code-without-language-is-not-guessed",
    ),
    pytest.param(
        "Revenue grew[^1].\n\n[^1]: Before refunds.",
        '<p>Revenue grew<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>.</p>\n'
        '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n'
        '<p>Before refunds.&#160;'
        '<a class="footnote-backref" href="#fnref:1" title="Back to reference 1">&#8617;</a></p>\n'
        '</li>\n</ol>\n</div>',
        id="footnote",
    ),
    pytest.param(
        "Our MRR doubled.\n\n*[MRR]: Monthly recurring revenue",
        '<p>Our <abbr title="Monthly recurring revenue">MRR</abbr> doubled.</p>',
        id="abbreviation",
    ),
    pytest.param(
        "Numbers are unaudited.\n{: .note}",
        '<p class="note">Numbers are unaudited.</p>',
        id="attr-list-on-own-line-after-paragraph",
    ),
    pytest.param(
        "## Hiring {: #jobs .wide }",
        '<h2 class="wide" id="jobs">Hiring</h2>',
        id="attr-list-on-heading-sets-id",
    ),
    pytest.param(
        '<div class="callout"><b>Raw</b> HTML</div>\n\nAfter.',
        '<div class="callout"><b>Raw</b> HTML</div>\n\n<p>After.</p>',
        id="raw-html-block-kept",
    ),
    pytest.param(
        'Inline <span class="x">raw</span> and <kbd>Ctrl</kbd>.',
        '<p>Inline <span class="x">raw</span> and <kbd>Ctrl</kbd>.</p>',
        id="raw-inline-html-kept",
    ),
    pytest.param(
        "Runway\n:   Months of cash left.",
        "<dl>\n<dt>Runway</dt>\n<dd>Months of cash left.</dd>\n</dl>",
        id="definition-list",
    ),
    pytest.param(
        "!!! note\n    Be careful.",
        '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>Be careful.</p>\n</div>',
        id="admonition",
    ),
    pytest.param(
        "Intro.\n\n<!-- more -->\n\nRest.",
        "<p>Intro.</p>\n<!-- more -->\n\n<p>Rest.</p>",
        id="more-marker-kept-as-comment",
    ),
])
def test_convert_renders_extensions(source: str, expected: str) -> None:
    assert render(source) == expected


def test_convert_highlights_fenced_code_with_pygments_classes() -> None:
    # Pygments' exact escaping differs between releases ('&#39;' or "'"), so compare structure
    # and text rather than bytes.
    html = render("```python\nprint('hi')\n```")
    assert html.startswith('<div class="highlight"><pre tabindex="0"><span></span><code>')
    assert '<span class="nb">print</span>' in html and '<span class="s1">' in html
    assert re.sub(r"<[^>]+>", "", html_module.unescape(html)) == "print('hi')\n"


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("## 远程团队的一年", '<h2 id="远程团队的一年">远程团队的一年</h2>', id="chinese-kept-readable"),
    pytest.param("## 你好，世界！", '<h2 id="你好世界">你好，世界！</h2>', id="full-width-punctuation-dropped"),
    pytest.param("## Why *we* publish", '<h2 id="why-we-publish">Why <em>we</em> publish</h2>', id="markup-ignored"),
    pytest.param("## 🎉🚀", '<h2 id="section">🎉🚀</h2>', id="emoji-only-never-empty"),
    pytest.param("## ？！", '<h2 id="section">？！</h2>', id="punctuation-only-never-empty"),
    pytest.param(
        "## 我们的收入\n\n## 我们的收入\n\n## 我们的收入",
        '<h2 id="我们的收入">我们的收入</h2>\n<h2 id="我们的收入_1">我们的收入</h2>\n<h2 id="我们的收入_2">我们的收入</h2>',
        id="repeated-chinese-made-unique",
    ),
    pytest.param(
        "## 🎉\n\n## 🚀",
        '<h2 id="section">🎉</h2>\n<h2 id="section_1">🚀</h2>',
        id="repeated-fallback-made-unique",
    ),
])
def test_convert_gives_heading_ids(source: str, expected: str) -> None:
    assert render(source) == expected


def test_convert_returns_nested_headings_for_toc() -> None:
    converted = MarkdownConverter().convert("## 收入\n\n### Why *we* grew\n\n## 支出", POSTS)

    assert converted.headings == (
        Heading("收入", "收入", 2, (Heading("why-we-grew", "Why we grew", 3),)),
        Heading("支出", "支出", 2),
    )
    assert converted.heading_count == 3


def test_convert_leaves_h5_out_of_toc() -> None:
    converted = MarkdownConverter().convert("## Kept\n\n##### Too deep", POSTS)

    assert [h.name for h in converted.headings] == ["Kept"]
    assert converted.heading_count == 1
    assert "<h5" in converted.html and "<h1" not in converted.html


def test_convert_demotes_every_heading_when_the_body_uses_h1() -> None:
    """The page's title is its only <h1>: pasted `#` sections become h2, and the levels below follow."""
    converted = MarkdownConverter().convert("# One\n\n## One a\n\n###### Six\n\n# Two", POSTS)

    assert [(h.name, h.level, [c.name for c in h.children]) for h in converted.headings] == [
        ("One", 2, ["One a"]), ("Two", 2, [])]
    assert '<h2 id="one">One</h2>' in converted.html and '<h3 id="one-a">One a</h3>' in converted.html
    assert '<h6 id="six">Six</h6>' in converted.html and "<h1" not in converted.html


@pytest.mark.parametrize(("name", "numbered"), [
    ("1. Pricing", True), ("1.发送手写信件", True), ("2、打电话", True), ("一、定价", True), ("第二章 回顾", True),
    ("(3) Hiring", True), ("2.1 Costs", True), ("IV. Later", True),
    ("2024 in review", False), ("Pricing", False), ("10x engineers", False), ("3D printing", False),
])
def test_heading_knows_when_it_carries_its_own_number(name: str, numbered: bool) -> None:
    from generator.content.converted import Heading

    assert Heading("x", name, 2).numbered is numbered


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("![Team](/images/team.png)", '<p><img alt="Team" src="/open/images/team.png"></p>',
                 id="root-relative-image"),
    pytest.param("![Cover](cover.png)", '<p><img alt="Cover" src="/open/posts/cover.png"></p>',
                 id="file-relative-image-resolves-against-its-folder"),
    pytest.param("![Up](../images/a.png)", '<p><img alt="Up" src="/open/images/a.png"></p>',
                 id="parent-relative-image"),
    pytest.param("![团队](/images/团队.png)", '<p><img alt="团队" src="/open/images/%E5%9B%A2%E9%98%9F.png"></p>',
                 id="unicode-file-name-percent-encoded"),
    pytest.param("[About](/about/)", '<p><a href="/open/about/">About</a></p>', id="root-link"),
    pytest.param("[Team](/about/#team)", '<p><a href="/open/about/#team">Team</a></p>', id="link-with-fragment"),
    pytest.param("[Search](/search/?q=mrr)", '<p><a href="/open/search/?q=mrr">Search</a></p>',
                 id="link-with-query"),
    pytest.param("[Home](/)", '<p><a href="/open/">Home</a></p>', id="link-to-home"),
    pytest.param("[Top](/#top)", '<p><a href="/open/#top">Top</a></p>', id="link-to-home-fragment"),
    pytest.param("[Deck](deck.pdf)", '<p><a href="/open/posts/deck.pdf">Deck</a></p>',
                 id="relative-link-resolves-against-the-source-folder"),
    pytest.param("[Here](#numbers)", '<p><a href="#numbers">Here</a></p>', id="anchor-untouched"),
    pytest.param("[Buffer](https://buffer.com/open)", '<p><a href="https://buffer.com/open">Buffer</a></p>',
                 id="external-untouched"),
    pytest.param("[CDN](//cdn.example/x.js)", '<p><a href="//cdn.example/x.js">CDN</a></p>',
                 id="protocol-relative-untouched"),
    pytest.param("![Pixel](https://img.example/p.png)", '<p><img alt="Pixel" src="https://img.example/p.png"></p>',
                 id="external-image-untouched"),
    pytest.param("[Mail](mailto:hi@acme.example)", '<p><a href="mailto:hi@acme.example">Mail</a></p>',
                 id="mailto-untouched"),
])
def test_convert_resolves_local_urls_under_base_path(source: str, expected: str) -> None:
    assert render(source, base_path="/open/") == expected


def test_convert_at_domain_root_keeps_root_urls() -> None:
    expected = '<p><a href="/about/">About</a> <img alt="A" src="/posts/a.png"></p>'
    assert render("[About](/about/) ![A](a.png)") == expected


def test_convert_lists_local_images_only() -> None:
    converted = MarkdownConverter("/open/").convert(
        "![A](a.png) ![B](/images/b.svg) ![C](https://x.example/c.png) [D](/d.pdf)", PurePosixPath("posts/2024"))

    assert [(r.url, r.target.path) for r in converted.images] == [
        ("a.png", PurePosixPath("posts/2024/a.png")),
        ("/images/b.svg", PurePosixPath("images/b.svg")),
    ]


def test_convert_does_not_leak_footnotes_into_next_post() -> None:
    converter = MarkdownConverter()
    first = converter.convert("One[^a].\n\n[^a]: First post's note.", POSTS)
    second = converter.convert("Two.", POSTS)

    assert "First post's note." in first.html
    assert second.html == "<p>Two.</p>"


def test_convert_does_not_leak_abbreviations_into_next_post() -> None:
    converter = MarkdownConverter()
    converter.convert("ARR.\n\n*[ARR]: Annual recurring revenue", POSTS)

    assert converter.convert("ARR again.", POSTS).html == "<p>ARR again.</p>"


def test_convert_restarts_heading_ids_and_images_per_post() -> None:
    converter = MarkdownConverter()
    converter.convert("## Numbers\n\n![A](a.png)", POSTS)
    second = converter.convert("## Numbers", POSTS)

    assert second.html == '<h2 id="numbers">Numbers</h2>'
    assert second.headings == (Heading("numbers", "Numbers", 2),)
    assert second.images == ()


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param('<img src="x.png" alt="X">', '<p><img src="/open/posts/x.png" alt="X"></p>', id="raw-img-alone"),
    pytest.param('<div class="photo">\n<img src="x.png" alt="X">\n</div>',
                 '<div class="photo">\n<img src="/open/posts/x.png" alt="X">\n</div>', id="raw-html-block"),
    pytest.param('Look: <img src="x.png" alt="X"> here', '<p>Look: <img src="/open/posts/x.png" alt="X"> here</p>',
                 id="raw-img-inline"),
    pytest.param("<p><a href='deck.pdf'>Deck</a></p>", '<p><a href="/open/posts/deck.pdf">Deck</a></p>',
                 id="raw-link-single-quotes"),
    pytest.param('<a href="/about/?a=1&amp;b=2">About</a>', '<p><a href="/open/about/?a=1&amp;b=2">About</a></p>',
                 id="raw-link-keeps-escaped-query"),
    pytest.param('<a href="https://x.example/">X</a>', '<p><a href="https://x.example/">X</a></p>',
                 id="raw-external-untouched"),
    pytest.param('<video src="clip.mp4" controls></video>', '<video src="/open/posts/clip.mp4" controls></video>',
                 id="raw-video-source"),
])
def test_convert_rebases_raw_html_like_markdown(source: str, expected: str) -> None:
    assert render(source, base_path="/open/") == expected


def test_convert_leaves_code_that_shows_html_alone() -> None:
    html = render('```html\n<img src="x.png">\n```\n\n`<a href="y.pdf">`', base_path="/open/")

    assert "x.png" in html and "/open/posts/x.png" not in html
    assert "y.pdf" in html and "/open/posts/y.pdf" not in html


def test_convert_records_raw_html_images_for_the_missing_file_check() -> None:
    converted = MarkdownConverter("/").convert('<img src="shots/a.png" alt="A">', PurePosixPath("posts/2024"))

    assert [(r.tag, r.target.path) for r in converted.images] == [("img", PurePosixPath("posts/2024/shots/a.png"))]


def test_convert_holds_markdown_links_until_their_posts_are_known() -> None:
    converted = MarkdownConverter("/").convert("[Launch](../2024/launch.md#numbers) and [Me](me.md)",
                                               PurePosixPath("posts/2025"))

    assert [(t.path, t.tail) for t in converted.markdown_links] == [
        (PurePosixPath("posts/2024/launch.md"), "#numbers"), (PurePosixPath("posts/2025/me.md"), "")]
    assert 'href="opensite-markdown-link:0"' in converted.html
    assert 'href="opensite-markdown-link:1"' in converted.html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html,hi"])
def test_convert_refuses_links_that_run_code(url: str) -> None:
    converted = MarkdownConverter("/").convert(f"[Click]({url})", POSTS)

    assert converted.unsafe_links and converted.unsafe_links[0].url == url
    assert url not in converted.html


def test_convert_keeps_inline_data_images() -> None:
    converted = MarkdownConverter("/").convert("![Dot](data:image/png;base64,AAAA)", POSTS)

    assert converted.unsafe_links == ()
    assert 'src="data:image/png;base64,AAAA"' in converted.html

"""End to end: build real sites in tmp_path and inspect the output tree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from support import read_tree

from generator import build_site, check_site
from generator.build import build_time_from_env
from generator.errors import GeneratorError

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _post(title: str, date: str, category: str = "finances", tags: str = "[]", extra: str = "", body: str = "Body.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: {category}\ntags: {tags}\n{extra}---\n{body}\n"


@pytest.fixture
def blog(make_site) -> Path:
    """Five posts over two years across beats, a page, an image and some hidden files."""
    return make_site({
        "content/posts/2024-01-10-first.md": _post("First", "2024-01-10", tags="[pricing, growth]"),
        "content/posts/2024-02-11-second.md": _post("Second", "2024-02-11 09:30", "culture", "[Pricing]"),
        "content/posts/2024-02-20-third.md": _post("Third", "2024-02-20", "startup-life",
                                                   body="![Team](/images/team.svg)\n\n## A\n\n## B\n\n## C\n"),
        "content/posts/2025-03-01-fourth.md": _post("Fourth", "2025-03-01", extra="updated: 2025-04-02\n"),
        "content/posts/2025-05-05-fifth.md": _post("Fifth", "2025-05-05"),
        "content/pages/about.md": "---\ntitle: About us\n---\nWe build in the open.\n",
        "content/images/team.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "content/.env": "SECRET_KEY=hunter2",
        "content/images/.DS_Store": "junk",
        "content/.private/plan.md": "---\ntitle: Private plan\ndate: 2024-01-01\n---\nsecret\n",
    }, config="""
        title: Blog Co
        base_url: https://blog.example/
        timezone: UTC
        posts_per_page: 2
    """)


def _html_files(tree: dict[str, bytes]) -> dict[str, str]:
    return {path: data.decode("utf-8") for path, data in tree.items() if path.endswith(".html")}


def test_build_site_writes_every_kind_of_page(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    expected = [
        "index.html", "page/2/index.html", "page/3/index.html", "2024/01/first/index.html",
        "about/index.html", "categories/index.html", "categories/finances/index.html",
        "categories/finances/page/2/index.html", "categories/finances/feed.xml", "tags/index.html",
        "tags/pricing/index.html", "tags/growth/index.html", "archive/index.html", "archive/2024/index.html",
        "archive/2024/02/index.html", "archive/2025/03/index.html", "404.html", "feed.xml", "sitemap.xml",
        "robots.txt", "images/team.svg", "assets/style.css", "assets/highlight.css",
    ]
    for path in expected:
        assert (out / path).is_file(), path
    assert not (out / "page/4/index.html").exists()


def test_build_site_never_copies_dotfiles(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    published = read_tree(out)
    assert not any(part.startswith(".") for path in published for part in path.split("/")
                   if part != ".opensite-output")
    assert not any(b"hunter2" in data or b"Private plan" in data for data in published.values())


def test_build_site_is_byte_identical_across_builds(blog: Path, tmp_path: Path) -> None:
    build_site(blog, tmp_path / "a", now=BUILD_TIME)
    build_site(blog, tmp_path / "b", now=BUILD_TIME)
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


def test_build_time_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_time_from_env() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(GeneratorError, match="SOURCE_DATE_EPOCH is not a Unix timestamp"):
        build_time_from_env()


def test_source_date_epoch_decides_which_posts_are_scheduled(blog: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # 2025-01-01: 'Fourth' (2025-03-01) and 'Fifth' are still in the future.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2025, 1, 1, tzinfo=timezone.utc).timestamp())))
    out = tmp_path / "out"
    build_site(blog, out)
    assert (out / "2024/02/third/index.html").exists()
    assert not (out / "2025/03/fourth/index.html").exists()
    assert b"Fifth" not in b"".join(read_tree(out).values())


@pytest.fixture
def secretive(make_site) -> Path:
    """A site with a draft and a scheduled post carrying distinctive words and their own tags."""
    return make_site({
        "content/posts/2024-01-10-public.md": _post("Public post", "2024-01-10", tags="[open]"),
        "content/posts/2024-01-12-draft.md": _post("Zanzibar draft", "2024-01-12", tags="[quokka, open]",
                                                   extra="draft: true\n", body="Xylophone secret."),
        "content/posts/2099-01-01-later.md": _post("Wombat scheduled", "2099-01-01", "culture", "[narwhal]",
                                                   body="Platypus plans."),
        "content/posts/2024-01-13-unpublished.md": _post("Jekyll unpublished", "2024-01-13",
                                                         extra="published: false\n", body="Okapi."),
    })


SECRETS = [b"Zanzibar", b"Xylophone", b"quokka", b"Wombat", b"Platypus", b"narwhal", b"Okapi", b"Jekyll unpublished"]


def test_drafts_and_scheduled_posts_appear_nowhere(secretive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(secretive, out, now=BUILD_TIME)
    tree = read_tree(out)
    for path, data in tree.items():
        for secret in SECRETS:
            assert secret not in data, f"{secret!r} leaked into {path}"
    assert not (out / "tags/quokka").exists()
    assert not (out / "2099").exists()
    # the shared tag counts only the public post
    assert "1 post" in (out / "tags/open/index.html").read_text()
    assert "1 post" in (out / "categories/finances/index.html").read_text()


def test_drafts_flag_publishes_drafts_and_scheduled_posts(secretive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(secretive, out, now=BUILD_TIME, drafts=True)
    everything = b"".join(read_tree(out).values())
    for secret in SECRETS:
        assert secret in everything


def test_check_site_lists_withheld_posts(secretive: Path) -> None:
    checked = check_site(secretive, now=BUILD_TIME)
    reasons = {w.relpath.name: w.reason for w in checked.build.content.withheld}
    assert reasons == {"2024-01-12-draft.md": "draft", "2099-01-01-later.md": "scheduled",
                       "2024-01-13-unpublished.md": "draft"}
    notes = {d.path.name: d.message.split(":")[0] for d in checked.diagnostics if d.severity == "note"}
    assert notes == {"2024-01-12-draft.md": "draft", "2099-01-01-later.md": "scheduled",
                     "2024-01-13-unpublished.md": "draft"}


def test_every_internal_link_honours_a_subpath_base_url(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME, base_url="https://acme.github.io/open/")
    for path, html in _html_files(read_tree(out)).items():
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            if url.startswith("/"):
                assert url.startswith("/open/"), f"{path}: {url}"
            elif "://" in url:
                assert url.startswith("https://acme.github.io/open/") or "blog.example" not in url
    third = (out / "2024/02/third/index.html").read_text()
    assert '<img alt="Team" src="/open/images/team.svg">' in third
    assert 'rel="canonical" href="https://acme.github.io/open/2024/02/third/"' in third
    assert "Sitemap: https://acme.github.io/open/sitemap.xml" in (out / "robots.txt").read_text()


def test_every_page_has_canonical_and_open_graph(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    for path, html in _html_files(read_tree(out)).items():
        if path == "404.html":  # served at any address: no canonical URL, and kept out of search results
            assert "canonical" not in html and '<meta name="robots" content="noindex">' in html
            continue
        assert '<link rel="canonical" href="https://blog.example/' in html, path
        for prop in ("og:title", "og:url", "og:type", "og:site_name"):
            assert f'property="{prop}"' in html, (path, prop)
    post = (out / "2024/01/first/index.html").read_text()
    assert '<meta property="og:type" content="article">' in post
    assert '<meta property="og:url" content="https://blog.example/2024/01/first/">' in post


def test_site_feed_is_valid_atom_with_stable_unique_ids(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    feed = ET.parse(out / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Fifth", "Fourth", "Third", "Second", "First"]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    assert ids[-1] == "tag:blog.example,2024-01-10:/2024/01/first/"
    self_link = [l for l in feed.findall(f"{ATOM}link") if l.get("rel") == "self"][0]
    assert self_link.get("href") == "https://blog.example/feed.xml"
    # the feed's updated is the newest change: Fourth was updated on 2025-04-02, after Fifth's date? no:
    # Fifth (2025-05-05) is newer than Fourth's update (2025-04-02).
    assert feed.findtext(f"{ATOM}updated") == "2025-05-05T00:00:00Z"
    fourth = entries[1]
    assert fourth.findtext(f"{ATOM}updated") == "2025-04-02T00:00:00Z"
    assert fourth.findtext(f"{ATOM}published") == "2025-03-01T00:00:00Z"
    content = entries[2].find(f"{ATOM}content")
    assert content.get("type") == "html" and '<img alt="Team"' in content.text


def test_category_feed_holds_only_that_category(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    feed = ET.parse(out / "categories/culture/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Second"]


def test_sitemap_lists_pages_but_not_feeds_or_404(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    urls = [u.findtext(f"{SITEMAP}loc") for u in ET.parse(out / "sitemap.xml").getroot()]
    assert "https://blog.example/" in urls
    assert "https://blog.example/2024/01/first/" in urls
    assert "https://blog.example/about/" in urls
    assert not any(u.endswith(("404.html", ".xml", ".txt")) for u in urls)


def test_pagination_links_pages_in_order(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    home = (out / "index.html").read_text()
    page2 = (out / "page/2/index.html").read_text()
    assert 'rel="next" href="/page/2/"' in home and 'rel="prev"' not in home
    assert 'rel="prev" href="/"' in page2 and 'rel="next" href="/page/3/"' in page2
    assert "Fifth" in home and "Fourth" in home and "Third" not in home
    assert "Page 2 of 3" in page2


def test_tags_merge_case_variants(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    pricing = (out / "tags/pricing/index.html").read_text()
    assert "First" in pricing and "Second" in pricing and "2 posts" in pricing


def test_post_page_shows_meta_toc_and_neighbours(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    third = (out / "2024/02/third/index.html").read_text()
    assert '<time datetime="2024-02-20T00:00:00+00:00">February 20, 2024</time>' in third
    assert "1 min read" in third and 'class="toc"' in third
    assert 'rel="prev" href="/2024/02/second/"' in third and 'rel="next" href="/2025/03/fourth/"' in third
    second = (out / "2024/02/second/index.html").read_text()
    assert 'class="toc"' not in second


def test_chinese_site_uses_chinese_chrome_and_dates(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/posts/2024-03-01-远程团队的一年.md": "---\ntitle: 远程团队的一年\ndate: 2024-03-01\ncategory: 文化\n---\n"
                                                  "我们在过去一年里学到了很多。\n",
    }, config="title: 开放公司\nbase_url: https://zh.example/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n")
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    post = (out / "2024/03/远程团队的一年/index.html").read_text()
    assert '<html lang="zh-CN">' in post
    assert "2024年3月1日" in post
    assert "阅读约 1 分钟" in post and "跳到正文" in post
    assert '<a class="category" href="/categories/culture/">文化</a>' in post
    home = (out / "index.html").read_text()
    assert 'href="/2024/03/%E8%BF%9C%E7%A8%8B%E5%9B%A2%E9%98%9F%E7%9A%84%E4%B8%80%E5%B9%B4/"' in home


def test_english_site_marks_chinese_posts_with_lang(make_site, tmp_path: Path) -> None:
    """Only the post's own words are Chinese: date, category, reading time and "Contents" are the site's."""
    root = make_site({"content/posts/2024-03-01-zh.md": "# 第一年\n\n我们在过去一年里学到了很多东西，也犯了不少错误。\n"})
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    html = (out / "2024/03/zh/index.html").read_text()
    assert '<article class="post wrap">' in html
    assert '<h1 lang="zh">第一年</h1>' in html and '<div class="prose" lang="zh">' in html
    meta = html[html.index('<p class="post-meta">'):html.index("</p>", html.index('<p class="post-meta">'))]
    assert "min read" in meta  # chrome, read with the page's English voice
    assert html.count('lang="zh"') == 2


def test_site_template_overrides_and_extends_the_default(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/posts/2024-03-01-hello.md": _post("Hello", "2024-03-01"),
        "templates/post.html": '{% extends "default/post.html" %}\n'
                               '{% block body %}{{ super() }}<p class="cta">Investor updates monthly.</p>{% endblock %}\n',
    })
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    html = (out / "2024/03/hello/index.html").read_text()
    assert '<p>Body.</p>' in html and '<p class="cta">Investor updates monthly.</p>' in html
    assert "Investor updates" not in (out / "index.html").read_text()


def test_front_matter_template_picks_a_site_template(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/posts/2024-03-01-launch.md": _post("Launch", "2024-03-01", extra="template: launch.html\n"),
        "templates/launch.html": '{% extends "post.html" %}{% block body %}<p>LAUNCH {{ post.title }}</p>{% endblock %}',
    })
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    assert "<p>LAUNCH Launch</p>" in (out / "2024/03/launch/index.html").read_text()


def test_unknown_front_matter_keys_reach_templates(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/posts/2024-03-01-hello.md": _post("Hello", "2024-03-01", extra="comments: true\nmood: upbeat\n"),
        "templates/post.html": '{% extends "default/post.html" %}{% block body %}MOOD={{ post.extra.mood }}{% endblock %}',
    })
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    assert "MOOD=upbeat" in (out / "2024/03/hello/index.html").read_text()


def test_markdown_html_is_trusted_but_front_matter_is_escaped(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/posts/2024-03-01-x.md": '---\ntitle: "<script>alert(1)</script>"\ndate: 2024-03-01\n---\n'
                                         "<kbd>Ctrl</kbd> stays.\n",
    })
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    html = (out / "2024/03/x/index.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<kbd>Ctrl</kbd>" in html


def test_no_javascript_and_no_third_party_requests(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=BUILD_TIME)
    for path, html in _html_files(read_tree(out)).items():
        assert "<script" not in html, path
        for url in re.findall(r'<(?:link|img|iframe|source)[^>]+(?:href|src)="([^"]+)"', html):
            assert not url.startswith(("http://", "https://", "//")) or "blog.example" in url, (path, url)
    css = (out / "assets/style.css").read_text()
    assert "@import" not in css and "url(http" not in css
    assert "prefers-color-scheme: dark" in css and "@media print" in css and ":focus-visible" in css


def test_static_files_colliding_with_pages_are_an_error(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/posts/2024-03-01-hello.md": _post("Hello", "2024-03-01"),
        "content/feed.xml": "<not-ours/>",
    })
    with pytest.raises(GeneratorError, match="both want the URL /feed.xml"):
        build_site(root, tmp_path / "out", now=BUILD_TIME)

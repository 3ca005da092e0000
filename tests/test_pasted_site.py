"""Real posts as they are pasted (issue 22): tests/sites/pasted holds five articles saved from the web.

No front matter; a scraped navigation line above the title; "原文：https://…", "来源：", "转载自：" and
"Originally published at" lines; headings that carry their own numbers; `#` sections; placeholder alt
texts; a hot-linked image and a tracking pixel. The site builds with the right titles and summaries, one
<h1> per page, tables of contents without doubled numbers, only the beat that has posts in the
navigation, no HTML error (vnu), and `check` names the remote resources and placeholder alts at their lines.
(axe runs over it in tests/test_browser.py.)
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import SITES
from test_html_validation import run_vnu

from generator.build import BuildResult, build_site, check_site

PASTED_TIME = datetime(2025, 1, 1, tzinfo=timezone.utc)
TITLES = {
    "2024-03-01-客户.md": "让客户记住你的五个小习惯",
    "2024-04-02-定价.md": "我们为什么把价格提高了两成",
    "startup-life/2024-05-03-第一个员工.md": "招第一个员工之前，我想明白的三件事",
    "2024-06-04-复盘.md": "上半年复盘：我们做对了什么，做错了什么",
    "2024-07-05-工具.md": "一家小店用的七个免费工具",
}
SUMMARIES = {
    "2024-03-01-客户.md": "开店第一年，我们发现老客户的推荐比任何广告都管用，而让客户记住你，靠的是一些很小的习惯。",
    "2024-04-02-定价.md": "涨价之前我们算了一笔账：原来的价格连房租和工资都覆盖不了，再便宜下去，店就开不下去了。",
    "startup-life/2024-05-03-第一个员工.md": "招人之前，我一个人干了十四个月，从进货到客服全包。",
    "2024-06-04-复盘.md": "上半年营业额比去年同期多了三成，但利润几乎没变，这篇复盘想弄清楚钱去了哪里。",
    "2024-07-05-工具.md": "这半年我们试了几十个工具，留下来的只有七个，而且全都免费。",
}


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildResult]:
    root = tmp_path_factory.mktemp("pasted")
    site = root / "site"
    shutil.copytree(SITES / "pasted", site)
    result = build_site(site, root / "output", now=PASTED_TIME, use_cache=False, jobs=1)
    return site, root / "output", result


def test_titles_come_from_the_first_heading_or_line_and_summaries_skip_credits(pasted) -> None:
    site, _, result = pasted
    posts = {p.relpath.relative_to("posts").as_posix(): p for p in result.site.posts}
    assert {name: post.title for name, post in posts.items()} == TITLES
    assert {name: post.summary for name, post in posts.items()} == SUMMARIES


def test_every_page_has_one_h1_and_numbered_headings_get_no_second_number(pasted) -> None:
    _, output, result = pasted
    for post in result.site.posts:
        page = (output / post.path / "index.html").read_text(encoding="utf-8")
        assert page.count("<h1") == 1, post.path
        toc = re.search(r'<nav class="toc".*?</nav>', page, re.S)
        numbered = post.relpath.name in ("2024-03-01-客户.md", "2024-04-02-定价.md", "2024-07-05-工具.md")
        assert (toc is not None) is post.show_toc, post.path
        assert toc is None or ('<ol class="own-numbers">' in toc.group(0)) is numbered, post.path
    customers = (output / "2024/03/客户/index.html").read_text(encoding="utf-8")
    assert '<h2 id="1发送手写信件">1.发送手写信件</h2>' in customers  # `#` demoted below the page's title


def test_navigation_lists_only_the_beat_with_posts(pasted) -> None:
    _, output, result = pasted
    assert [(link.title, link.path) for link in result.site.navigation] == [("创业日常", "categories/startup-life/"),
                                                                           ("归档", "archive/")]
    assert not (output / "categories/finances").exists() and not (output / "categories/culture").exists()
    for feed in output.rglob("*.xml"):
        ElementTree.parse(feed)


def test_check_names_remote_resources_and_placeholder_alts_at_their_lines(pasted) -> None:
    site, _, _ = pasted
    found = sorted((d.path.name, d.line, d.message.split(":")[0].split(",")[0])
                   for d in check_site(site, now=PASTED_TIME, use_cache=False).diagnostics
                   if "third-party" in d.message or "placeholder" in d.message)
    assert found == [
        ("2024-03-01-客户.md", 15, "image has placeholder alt text 'enter image description here'"),
        ("2024-03-01-客户.md", 15, "image loaded from img.example.com"),
        ("2024-03-01-客户.md", 33, "tracking pixel loaded from tracker.example.net"),
        ("2024-07-05-工具.md", 7, "image has placeholder alt text '图片'"),
        ("2024-07-05-工具.md", 7, "image loaded from cdn.example.com"),
    ]


def test_the_pasted_site_has_no_html_errors(pasted) -> None:
    _, output, _ = pasted
    errors = run_vnu(output)
    assert errors == [], "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in errors[:20])

"""Two languages, one site (issue 23), end to end: the demo in English and Chinese, and examples/bilingual.

The demo is copied with `languages: [en, zh-CN]` and two posts translated into Chinese (one paired by the file
name's suffix, one by `translation_key:`), then built once. Every page is parsed: each language lives in its
folder with its `<html lang>`, every hreflang link leads to a page that links back, the sitemap names the same
versions as the pages, each language has its feeds, the Chinese dashboard has no English metric word, and the
open data is written once. examples/bilingual (Chinese first, untranslated posts listed everywhere) is the
golden build of tests/golden_site.py.
"""

from __future__ import annotations

import csv
import re
import shutil
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from babel import Locale
from conftest import REPO
from test_examples_zh import english_words

from generator.build import BuildResult, build_site

DEMO_TIME = datetime(2026, 11, 23, tzinfo=timezone.utc)
BASE = "https://tallybird.example/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TRANSLATED_BY_SUFFIX = """---
title: "我们为什么公开收入"
date: 2024-03-04 09:30:00
category: finances
tags: [透明]
author: mei
summary: 从今天起，Tallybird 的收入是公开的。
---
从今天起，Tallybird 的收入是公开的。二月底的 MRR 是 {{ metric mrr }}，付费客户 {{ metric customers }} 个。
"""
TRANSLATED_BY_KEY = """---
title: 我们要涨价了
date: 2024-09-20 10:00:00
category: finances
lang: zh-CN
translation_key: raising-prices
author: mei
summary: 十月起，新客户的价格会变。老客户的价格一年内不变。
---
十月起，新客户的价格会变。老客户的价格一年内不变。
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """Return the output and result of the demo built in English (at the root) and Chinese (under /zh/)."""
    site = tmp_path_factory.mktemp("languages") / "site"
    for name in ("content", "metrics", "templates"):
        shutil.copytree(REPO / name, site / name)
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    config = config.replace("title: Tallybird Open\n", "title: {en: Tallybird Open, zh-CN: Tallybird 公开经营}\n")
    config = config.replace("\ndescription: ", "\ndescription:\n  zh-CN: 一家两人创办的开票软件公司如何公开成长。\n  en: ")
    config = config.replace("\nlanguage: en\n", "\nlanguages: [en, zh-CN]\n")
    (site / "site.yaml").write_text(config, encoding="utf-8")
    posts = site / "content" / "posts"
    (posts / "2024-03-04-why-we-publish-our-revenue.zh.md").write_text(TRANSLATED_BY_SUFFIX, encoding="utf-8")
    prices = posts / "2024-09-16-we-are-raising-our-prices.md"
    prices.write_text(prices.read_text(encoding="utf-8").replace("---\n", "---\ntranslation_key: raising-prices\n", 1),
                      encoding="utf-8")
    (posts / "2024-09-20-涨价.md").write_text(TRANSLATED_BY_KEY, encoding="utf-8")
    result = build_site(site, site.parent / "output", now=DEMO_TIME, use_cache=False)
    return site.parent / "output", result


class _Head(HTMLParser):
    """Collects what the language machinery writes into a page: lang, alternates, og:locale, the switch."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.repeated: list[str] = []
        self.locales: list[tuple[str, str]] = []
        self.switch: list[dict[str, str | None]] = []
        self._in_switch = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "link" and values.get("rel") == "alternate" and values.get("hreflang"):
            hreflang = values["hreflang"] or ""
            if hreflang in self.alternates:
                self.repeated.append(hreflang)
            self.alternates[hreflang] = unquote(values.get("href") or "")
        elif tag == "meta" and (values.get("property") or "").startswith("og:locale"):
            self.locales.append((values["property"] or "", values.get("content") or ""))
        elif tag == "nav" and values.get("class") == "language-switch":
            self._in_switch = True
        elif self._in_switch and tag in ("a", "span"):
            self.switch.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_switch = False


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(output: Path) -> dict[str, Path]:
    """Return every HTML page by the URL it is served at."""
    return {BASE + p.relative_to(output).as_posix().removesuffix("index.html"): p
            for p in sorted(output.rglob("*.html"))}


def test_each_language_has_its_home_listings_posts_and_every_dashboard_page(demo) -> None:
    output, result = demo
    zh = result.site.translations[0]
    assert [tree.config.language for tree in result.site.trees] == ["en", "zh-CN"]
    for path in ("index.html", "archive/index.html", "categories/index.html", "tags/index.html", "404.html",
                 "categories/finances/index.html", "2024/03/why-we-publish-our-revenue/index.html",
                 "2024/09/涨价/index.html", "feed.xml", "categories/finances/feed.xml"):
        assert (output / "zh" / path).is_file(), path
    dashboard = [p.relative_to(output).as_posix() for folder in ("metrics", "team")
                 for p in (output / folder).rglob("index.html")]
    assert len(dashboard) > 80
    assert [path for path in dashboard if not (output / "zh" / path).is_file()] == []
    assert {p.path for p in zh.renders if p.kind.value in ("metric", "metrics_month", "year", "team", "cohorts")} \
        == {"zh/" + p.path for p in result.site.renders if p.kind.value in ("metric", "metrics_month", "year", "team",
                                                                              "cohorts")}
    # a post without a translation lives in its own language only (untranslated: own_language, the default)
    assert (output / "2024/01/launch-week-in-numbers/index.html").is_file()
    assert not (output / "zh/2024/01/launch-week-in-numbers").exists()
    assert "launch-week-in-numbers" not in (output / "zh/index.html").read_text(encoding="utf-8")


def test_every_page_says_its_language(demo) -> None:
    output, _ = demo
    for url, path in _pages(output).items():
        expected = "zh-CN" if url.startswith(BASE + "zh/") else "en"
        head = _head(path)
        assert head.lang == expected, url
        assert ("og:locale", expected.replace("-", "_")) in head.locales, url


def test_hreflang_links_are_valid_and_reciprocal(demo) -> None:
    output, _ = demo
    pages = _pages(output)
    heads = {url: _head(path) for url, path in pages.items()}
    linked = 0
    for url, head in heads.items():
        assert head.repeated == [], url
        if not head.alternates:
            continue
        linked += 1
        versions = {tag: href for tag, href in head.alternates.items() if tag != "x-default"}
        for tag in versions:
            Locale.parse(tag, sep="-")  # a valid language tag
        assert versions.get(head.lang) == url, f"{url} does not name itself as its {head.lang} version"
        assert head.alternates["x-default"] == versions["en"], url
        assert len(versions) > 1, url
        for tag, href in versions.items():
            assert href in heads, f"{url}: hreflang {tag} leads to {href}, which is no page"
            assert heads[href].lang == tag, href
            assert heads[href].alternates == head.alternates, f"{href} does not link back to {url} the same way"
        switch = {item.get("hreflang"): unquote(item.get("href") or "") for item in head.switch if item.get("href")}
        assert {BASE + href.lstrip("/") for href in switch.values()} == set(versions.values()) - {url}
    assert linked > 200
    assert BASE + "2024/03/why-we-publish-our-revenue/" in heads
    assert heads[BASE + "2024/09/we-are-raising-our-prices/"].alternates["zh-CN"] == BASE + "zh/2024/09/涨价/"


def test_the_switch_leads_to_the_other_languages_home_when_a_page_has_no_translation(demo) -> None:
    output, _ = demo
    head = _head(output / "2024/01/launch-week-in-numbers/index.html")
    assert head.alternates == {}
    assert [(i.get("lang"), i.get("href"), i.get("aria-current")) for i in head.switch] == \
        [("en", None, "true"), ("zh-CN", "/zh/", None)]
    assert [i.get("hreflang") for i in head.switch] == [None, "zh-CN"]
    names = re.findall(r'lang="[^"]+"[^>]*>([^<]+)</(?:a|span)>', (output / "index.html").read_text(encoding="utf-8")
                       .split('class="language-switch"')[1].split("</nav>")[0])
    assert names == ["English", "中文"]  # each language named in itself


def test_the_sitemap_names_every_page_of_both_languages_with_the_pages_alternates(demo) -> None:
    output, _ = demo
    root = ET.parse(output / "sitemap.xml").getroot()
    entries = {unquote(url.findtext(f"{SITEMAP}loc")): {link.get("hreflang"): unquote(link.get("href"))
                                                for link in url.findall(f"{XHTML}link")}
               for url in root.findall(f"{SITEMAP}url")}
    pages = _pages(output)
    assert set(entries) == {url for url, path in pages.items() if not url.endswith("404.html")}
    assert any("/zh/" in url for url in entries)
    for url, alternates in entries.items():
        assert alternates == _head(pages[url]).alternates, url
    assert not (output / "zh" / "sitemap.xml").exists() and not (output / "zh" / "robots.txt").exists()


def test_each_language_has_its_own_feeds(demo) -> None:
    output, _ = demo
    for folder, language, title in (("", "en", "Tallybird Open"), ("zh/", "zh-CN", "Tallybird 公开经营")):
        for feed in (f"{folder}feed.xml", f"{folder}categories/finances/feed.xml"):
            root = ET.parse(output / feed).getroot()
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
            assert root.findtext(f"{ATOM}title").startswith(title)
            assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + feed
            entries = root.findall(f"{ATOM}entry")
            assert entries, feed
            for entry in entries:
                assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated"), feed
                link = unquote(entry.find(f"{ATOM}link[@rel='alternate']").get("href"))
                assert link.startswith(BASE + folder) and (folder or "/zh/" not in link), (feed, link)
                assert (output / link.removeprefix(BASE) / "index.html").is_file(), link
    zh = ET.parse(output / "zh/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in zh.findall(f"{ATOM}entry")] == ["我们要涨价了", "我们为什么公开收入"]


class _ForeignAware(HTMLParser):
    """What a Chinese reader sees, leaving out text marked as another language (the switch's 'English')."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        hidden = (bool(self.stack) and self.stack[-1][1]) or tag in ("code", "pre", "script", "style") or \
            (lang is not None and not lang.startswith("zh"))
        if tag not in ("img", "meta", "link", "br", "input", "source", "hr", "wbr"):
            self.stack.append((tag, hidden))
        values = dict(attrs)
        if not hidden:
            self.texts += [values[a] or "" for a in ("alt", "title", "aria-label") if a in values]

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.texts.append(data)


def _founders_words(site: Path) -> set[str]:
    """Return the Latin words the demo's own data puts on its pages (cost categories, annotations, names, the pay
    formula's roles and places)."""
    texts = [row["category"] for row in csv.DictReader((site / "metrics/costs.csv").open(encoding="utf-8"))]
    texts += [row["text"] for row in csv.DictReader((site / "metrics/annotations.csv").open(encoding="utf-8"))]
    texts += [row[key] for row in csv.DictReader((site / "metrics/team.csv").open(encoding="utf-8"))
              for key in ("person", "role", "team", "location")]
    texts.append(yaml.safe_dump(yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))["team"]))
    return {word for text in texts for word in re.findall(r"[A-Za-z]+", text)} | {"Tallybird", "US"}  # US$


def test_the_chinese_dashboard_has_no_english_metric_word(demo) -> None:
    output, _ = demo
    founders = _founders_words(output.parent / "site")
    pages = [p for p in sorted((output / "zh").rglob("*")) if p.suffix in (".html", ".svg")
             and p.relative_to(output / "zh").parts[0] in ("metrics", "team", "badges")]
    assert len(pages) > 200
    leftovers = {}
    for page in pages:
        if page.suffix == ".svg":
            from test_examples_zh import visible_texts
            texts = visible_texts(page)
        else:
            parser = _ForeignAware()
            parser.feed(page.read_text(encoding="utf-8"))
            texts = parser.texts
        words = set().union(*(english_words(text) for text in texts)) - founders
        if words:
            leftovers[page.relative_to(output).as_posix()] = sorted(words)
    assert leftovers == {}


def test_the_detector_sees_english_the_language_switch_does_not_excuse() -> None:
    parser = _ForeignAware()
    parser.feed('<p>月经常性收入 Revenue</p><nav><a lang="en">English</a></nav><img alt="Churn rose">')
    assert set().union(*(english_words(t) for t in parser.texts)) == {"Revenue", "Churn", "rose"}


def test_open_data_and_content_files_are_written_once_and_linked_from_each_language(demo) -> None:
    output, _ = demo
    assert (output / "data/metrics.json").is_file() and not (output / "zh/data").exists()
    assert not list((output / "zh").rglob("*.csv")) and not list((output / "zh").rglob("*.json"))
    assert not (output / "zh/images").exists()
    page = (output / "zh/metrics/mrr/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/mrr/mrr.csv"' in page and (output / "metrics/mrr/mrr.csv").is_file()
    assert 'href="/data/metrics.csv"' in (output / "zh/metrics/index.html").read_text(encoding="utf-8")
    assert "/assets/style.css?v=" in page and not (output / "zh/assets").exists()
    assert (output / "zh/badges/mrr.svg").is_file() and "月经常性收入" in (output / "zh/badges/mrr.svg").read_text()


def test_numbers_are_the_same_and_words_and_formats_follow_the_language(demo) -> None:
    output, result = demo
    en, zh = (tree.dashboard for tree in result.site.trees)
    assert [m.id for m in en.metrics] == [m.id for m in zh.metrics]
    assert {m.label for m in zh.metrics} & {m.label for m in en.metrics} <= {"MRR", "ARR", "ARPU", "LTV", "CAC"}
    english = (output / "metrics/2026-10/index.html").read_text(encoding="utf-8")
    chinese = (output / "zh/metrics/2026-10/index.html").read_text(encoding="utf-8")
    assert "<h1>October 2026 in numbers</h1>" in english and "<h1>2026年10月数据</h1>" in chinese
    assert "$46,632" in english or "$" in english
    post = (output / "zh/2024/03/why-we-publish-our-revenue/index.html").read_text(encoding="utf-8")
    assert 'href="/zh/metrics/2024-02/#mrr"' in post  # the value links into its own language's dashboard


def test_a_language_folder_cannot_be_claimed_twice(make_site, runner) -> None:
    from generator.cli import main

    site = make_site({"content/posts/2024-01-01-zh.md": "---\ntitle: Z\nslug: zh\npermalink: /zh/\n---\nText.\n"},
                     config="title: T\nbase_url: https://t.example/\nlanguages: [en, zh-CN]\n")
    result = runner.invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "2024-01-01-zh.md" in result.output and "both want the URL /zh/" in result.output


# examples/bilingual: Chinese first, English under /en/, untranslated posts listed in both languages


@pytest.fixture(scope="module")
def bilingual(golden_build) -> Path:
    return golden_build("bilingual").output


def test_untranslated_posts_are_listed_in_every_language_with_a_badge(bilingual) -> None:
    home = (bilingual / "index.html").read_text(encoding="utf-8")
    assert '<a href="/en/2025/10/canton-fair/">What sellers asked us at the Canton Fair</a> ' \
           '<span class="language-badge" lang="en">English</span>' in home
    assert '<h3 class="card-title" lang="en">' in home
    english = (bilingual / "en/index.html").read_text(encoding="utf-8")
    assert '<a href="/2025/09/pricing/">涨价之后的三个月</a> <span class="language-badge" lang="zh-CN">中文</span>' \
           in english
    assert not (bilingual / "en/2025/09").exists() and not (bilingual / "2025/10").exists()  # one page each
    archive = (bilingual / "en/archive/index.html").read_text(encoding="utf-8")
    assert '<span class="language-badge" lang="zh-CN">中文</span>' in archive
    assert "/assets/style.css" in english and ".language-badge" in (bilingual / "assets/style.css").read_text()


def test_translations_pair_by_file_name_and_by_key(bilingual) -> None:
    by_suffix = _head(bilingual / "2025/02/why-open/index.html").alternates
    assert by_suffix == {"zh-CN": "https://duizhangmao.example/2025/02/why-open/",
                         "en": "https://duizhangmao.example/en/2025/02/why-open/",
                         "x-default": "https://duizhangmao.example/2025/02/why-open/"}
    by_key = _head(bilingual / "en/2025/07/our-first-two-hires/index.html").alternates
    assert by_key["zh-CN"] == "https://duizhangmao.example/2025/07/first-hires/"
    assert _head(bilingual / "en/about/index.html").alternates["zh-CN"] == "https://duizhangmao.example/about/"


def test_the_english_dashboard_reads_english_where_the_founder_gave_it(bilingual) -> None:
    costs = (bilingual / "en/metrics/costs.服务器/index.html").read_text(encoding="utf-8")
    assert "<h1>Costs: Servers</h1>" in costs
    assert "<h1>成本：服务器</h1>" in (bilingual / "metrics/costs.服务器/index.html").read_text(encoding="utf-8")
    charts = (bilingual / "en/metrics/index.html").read_text(encoding="utf-8")
    assert "Amazon statement import launched" in charts and "上线亚马逊账单导入" not in charts
    assert "上线亚马逊账单导入" in (bilingual / "metrics/index.html").read_text(encoding="utf-8")
    assert "¥" in charts and "<html lang=\"en\">" in charts


def test_each_language_shows_its_own_posts_on_its_month_pages(bilingual) -> None:
    month = (bilingual / "en/metrics/2025-07/index.html").read_text(encoding="utf-8")
    assert "/en/2025/07/our-first-two-hires/" in month and "/2025/07/first-hires/" not in month
    by_tree = defaultdict(list)
    for page in bilingual.rglob("index.html"):
        by_tree[page.relative_to(bilingual).parts[0] == "en"].append(page)
    assert len(by_tree[True]) > 60 and len(by_tree[False]) > 60


# the build cache and worker processes give the bytes of a cold single-process build in two languages too

CACHE_NOW = datetime(2024, 6, 15, tzinfo=timezone.utc)
CACHE_SITE = ("title: {en: Cache Co, zh-CN: 缓存公司}\nbase_url: https://cache.example/\ntimezone: UTC\n"
              "languages: [en, zh-CN]\nuntranslated: every_language\nmetrics:\n  bridge: warn\n")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_cached_and_parallel_builds_in_two_languages_equal_a_cold_build(make_site, tmp_path: Path,
                                                                        monkeypatch) -> None:
    from generator import charts
    from generator import output as output_module
    from generator.charts import draw as chart_drawing
    from generator.charts import pool as chart_pool
    from generator.content import parsecache

    monkeypatch.setattr(parsecache, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(output_module, "PARALLEL_MIN_PAGES", 2)
    # Pages are what this compares; a chart stands in as the text of what it would draw (labels included), fast.
    monkeypatch.setattr(chart_drawing, "draw_chart", lambda spec, series: repr((spec, series)).encode())
    monkeypatch.setattr(chart_pool, "draw_card", lambda preview, fonts: repr(preview).encode())
    monkeypatch.setattr(charts.ChartCache, "_memory", {})  # the stand-ins must not outlive the test in the process
    files = {f"content/posts/2024-0{m}-01-post-{m}.md": f"---\ntitle: Post {m}\ncategory: finances\n---\nBody {m}.\n"
             for m in range(1, 5)}
    files |= {"content/posts/2024-05-01-numbers.zh.md": "---\ntitle: 数字\n---\n五月的 MRR 是 {{ metric mrr }}。\n",
              "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
              "metrics/mrr.csv": "month,mrr,new,expansion,contraction,churned\n" + "".join(
                  f"2024-{m:02d},{1000 + 100 * (m - 1)},{1000 if m == 1 else 100},0,0,0\n" for m in range(1, 6))}
    site = make_site(files, config=CACHE_SITE)
    edits = [
        ("a translation added", lambda: (site / "content/posts/2024-02-01-post-2.zh.md").write_text(
            "---\ntitle: 第二篇\ncategory: finances\n---\n正文。\n", encoding="utf-8")),
        ("a translated body", lambda: _edit(site / "content/posts/2024-02-01-post-2.zh.md", "正文。", "新的正文。")),
        ("a title in one language", lambda: _edit(site / "site.yaml", "缓存公司", "缓存有限公司")),
        ("a month of data", lambda: _edit(site / "metrics/mrr.csv", "2024-04,1300", "2024-04,1350")),
        ("a translation removed", lambda: (site / "content/posts/2024-02-01-post-2.zh.md").unlink()),
    ]
    cached = tmp_path / "cached"
    build_site(site, cached, now=CACHE_NOW, jobs=1)
    for name, edit in edits:
        edit()
        build_site(site, tmp_path / "cold", now=CACHE_NOW, use_cache=False, jobs=1)
        expected = _tree(tmp_path / "cold")
        assert "zh/index.html" in expected and "zh/metrics/index.html" in expected
        build_site(site, cached, now=CACHE_NOW, jobs=1)
        assert _tree(cached) == expected, f"cached build differs after: {name}"
        build_site(site, tmp_path / "parallel", now=CACHE_NOW, jobs=2, use_cache=False)
        assert _tree(tmp_path / "parallel") == expected, f"parallel build differs after: {name}"


def test_every_language_has_the_sites_icon_and_its_own_navigation(make_site, tmp_path: Path) -> None:
    site = make_site({"content/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                      "content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nText.\n",
                      "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
                      "content/pages/about.zh.md": "---\ntitle: 关于\n---\n我们。\n",
                      "content/pages/jobs.md": "---\ntitle: Jobs\n---\nJoin.\n"},
                     config="title: T\nbase_url: https://t.example/\nlanguages: [en, zh-CN]\nnavigation:\n"
                            "  - {title: {en: About, zh-CN: 关于}, url: /about/}\n"
                            "  - {title: {en: Jobs, zh-CN: 招聘}, url: /jobs/}\n")
    build_site(site, tmp_path / "out", now=CACHE_NOW)
    page = (tmp_path / "out/zh/index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="/favicon.svg">' in page and not (tmp_path / "out/zh/favicon.svg").exists()
    assert '<a href="/zh/about/">关于</a>' in page  # the page in this language
    assert '<a href="/jobs/">招聘</a>' in page  # only in English: there

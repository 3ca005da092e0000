"""examples/zh: a Chinese site builds with no English word a reader can see, and its own metrics are first-class.

The example's founder content (site.yaml texts, posts, CSV category names, annotations) is all
Chinese, so any English word left on a page comes from opensite: a label, a sentence of a chart's
text alternative, a table heading. Abbreviations that Chinese SaaS writing uses as they are (MRR,
ARPU, LTV), the product and format names, and file names are the only Latin text allowed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO


EXAMPLE = REPO / "examples" / "zh"
ALLOWED = {"MRR", "ARPU", "LTV", "opensite", "Atom", "CSV", "JSON", "Markdown", "README", "SVG"}
"""Latin words a Chinese reader may see: SaaS abbreviations kept in Chinese writing, product and format names."""
_FILE_NAME = re.compile(r"[\w.-]+\.(?:csv|json|svg)\b")
_WORD = re.compile(r"[A-Za-z]+")
_VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
_META = ("description", "og:title", "og:description", "og:site_name")


class _VisibleText(HTMLParser):
    """Collects what a reader sees or hears: text outside code, scripts and styles, and labelling attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre", "script", "style"):
            self.hidden += 1
        values = dict(attrs)
        self.texts += [values[a] or "" for a in _VISIBLE_ATTRIBUTES if a in values]
        if tag == "meta" and (values.get("name") in _META or values.get("property") in _META):
            self.texts.append(values.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre", "script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.texts.append(data)


def visible_texts(path: Path) -> list[str]:
    """Return the reader-visible texts of an HTML page, an SVG chart or an Atom feed."""
    if path.name == "feed.xml":
        root = ET.parse(path).getroot()
        texts = []
        for element in root.iter():
            tag = element.tag.split("}")[-1]
            if tag == "content":
                texts += _html_texts(element.text or "")
            elif tag in ("title", "subtitle", "summary", "name"):
                texts.append(element.text or "")
            elif tag == "category" and element.get("label"):
                texts.append(element.get("label") or "")
        return texts
    return _html_texts(path.read_text(encoding="utf-8"))


def _html_texts(markup: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(markup)
    return parser.texts


def english_words(text: str) -> set[str]:
    """Return the Latin words of `text` that are not allowed on a Chinese page."""
    return {word for word in _WORD.findall(_FILE_NAME.sub("", text)) if word not in ALLOWED}


@pytest.fixture(scope="module")
def built(golden_build) -> Path:
    """examples/zh built once per session at 2026-01-01 (the golden build, tests/golden_site.py)."""
    return golden_build("zh").output


def test_english_words_finds_leftovers() -> None:  # the detector itself must be able to fail
    assert english_words("客户流失率 Customer churn rate，MRR 与 arpu.csv") == {"Customer", "churn", "rate"}
    page = '<p title="Open data">数据 <code>mrr.csv</code></p><img alt="MRR rose">'
    assert english_words(" ".join(_html_texts(page))) == {"Open", "data", "rose"}


def test_example_pages_have_no_english_words(built: Path) -> None:
    pages = [p for p in sorted(built.rglob("*")) if p.suffix in (".html", ".svg") or p.name == "feed.xml"]
    assert len(pages) > 60
    leftovers = {}
    for page in pages:
        words = set().union(*(english_words(text) for text in visible_texts(page)))
        if words:
            leftovers[page.relative_to(built).as_posix()] = sorted(words)
    assert leftovers == {}


def test_example_custom_metrics_are_on_the_dashboard_and_in_the_open_data(built: Path) -> None:
    dashboard = (built / "metrics/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/referral_rate/">推荐率</a>' in dashboard
    assert 'href="/metrics/repeat_purchase_rate/">复购率</a>' in dashboard
    data = json.loads((built / "data/metrics.json").read_text(encoding="utf-8"))
    rate = data["metrics"]["referral_rate"]
    assert (rate["label"], rate["unit"]) == ("推荐率", "ratio")
    assert rate["values"][6] == 0.125  # July 2025: 45 referred of 360 sign-ups
    repeat = data["metrics"]["repeat_purchase_rate"]
    assert repeat["values"][1] == pytest.approx(5 / 65, abs=1e-6)  # February: 5 repeat buyers of 65 customers


def test_example_custom_metric_pages_and_post_references(built: Path) -> None:
    page = (built / "metrics/referral_rate/index.html").read_text(encoding="utf-8")
    assert "<h1>推荐率</h1>" in page and "本月注册中由老客户推荐而来的比例。" in page
    assert "<code>referrals / signups</code>" in page
    post = (built / "2025/08/referrals/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/2025-07/#referral_rate">12.5%</a>' in post
    assert "推荐率在 12 个月内" not in post  # the post's chart ends at its as-of month, July
    assert re.search(r'alt="推荐率在 7 个月内从 6\.3% 增长到 12\.5%', post)


def test_example_uses_chinese_money_and_months(built: Path) -> None:
    month = (built / "metrics/2025-12/index.html").read_text(encoding="utf-8")
    assert "<h1>2025年12月数据</h1>" in month and "¥107,400" in month
    methodology = (built / "metrics/methodology/index.html").read_text(encoding="utf-8")
    assert "货币为人民币" in methodology


def test_example_team_and_year_pages_are_built_in_chinese(built: Path) -> None:
    team = (built / "team/index.html").read_text(encoding="utf-8")
    assert "<h1>团队</h1>" in team
    assert "360,000" not in team and "90,000" not in team  # no end of the band is a salary
    assert "¥85,000 – ¥365,000" in team  # one band of 4: 90,000 and 360,000 moved outward
    assert 'href="/team/"' in (built / "index.html").read_text(encoding="utf-8")  # in the navigation
    years = (built / "metrics/years/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/2025/"' in years
    year = (built / "metrics/2025/index.html").read_text(encoding="utf-8")
    # revenue = the sum of 2025's monthly MRR; ads and marketing (广告, 市场推广) are each a cost category
    mrr = [int(line.split(",")[1]) for line in (EXAMPLE / "metrics/mrr.csv").read_text().splitlines()[1:]]
    assert f"¥{sum(mrr):,}" in year and "广告" in year and "市场推广" in year
    post = (built / "2025/11/team/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/2025-07/#headcount">4</a>' in post  # two founders and the two July hires


def test_example_acquisition_uses_the_chinese_cost_groups(built: Path) -> None:
    data = json.loads((built / "data/metrics.json").read_text(encoding="utf-8"))
    costs = {}
    for line in (EXAMPLE / "metrics/costs.csv").read_text(encoding="utf-8").splitlines()[1:]:
        month, category, amount = line.split(",")
        if category in ("广告", "市场推广"):
            costs[month] = costs.get(month, 0) + int(amount)
    assert data["metrics"]["acquisition_spend"]["values"][0] == costs["2025-01"] == 5000
    assert data["metrics"]["cac"]["values"][0] == 125  # 5000 / 40 new customers


_HAN = "\u3400-\u9fff"
_ASCII_MARK_BY_HAN = re.compile(rf"[{_HAN}](?:, |: |; )|(?:, |: |; )[{_HAN}]|[{_HAN}][,:;][{_HAN}]|[{_HAN}] \(")
"""An English list separator, colon or semicolon (or an English bracket) touching a Chinese character."""


def english_punctuation(text: str) -> list[str]:
    """Return each place where `text` puts English punctuation beside Chinese, with a little context."""
    return [text[max(0, m.start() - 12):m.end() + 12] for m in _ASCII_MARK_BY_HAN.finditer(text)]


def test_english_punctuation_finds_leftovers() -> None:  # the detector itself must be able to fail
    assert english_punctuation("柱形：新增, 扩展。") == ["柱形：新增, 扩展。"]
    assert english_punctuation("无数据: mrr.csv 没有该月的行")
    assert english_punctuation("2025年4月: 上线邀请有礼") and english_punctuation("估算 (2025年12月)")
    assert english_punctuation("柱形：新增、扩展；零线以下为流失。¥1,200，4.5%") == []


def test_example_generated_sentences_use_chinese_punctuation(built: Path) -> None:
    """Chart alternatives, trend sentences, captions, null reasons, notes, titles and badges: 、 ： ； not , : ;"""
    pages = [p for p in sorted(built.rglob("*")) if p.suffix in (".html", ".svg") or p.name == "feed.xml"]
    found = {}
    for page in pages:
        places = [place for text in visible_texts(page) for place in english_punctuation(text)]
        if places:
            found[page.relative_to(built).as_posix()] = places[:3]
    assert found == {}
    stacked = (built / "metrics/all/index.html").read_text(encoding="utf-8")
    assert "柱形：零线以上为新增、扩展、回流；零线以下为收缩、流失。净新增 MRR" in stacked  # sentences run on, no space
    assert "<li>无数据：mrr.csv 没有该月的行</li>" in (built / "metrics/arr/index.html").read_text(encoding="utf-8")

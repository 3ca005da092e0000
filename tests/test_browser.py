"""The demo as readers see it, in headless Chromium (issue 14): at 390 and 1280 px, light and dark, in English
and Chinese, chart text is never under 11 px on a phone, no chart text falls outside its SVG, nav, content
and footer share one left edge; and axe finds no violation on any page of the demo.

Chromium is Debian's package (.ci/run installs it with a CJK font); without it these tests are skipped with
the reason, loudly, rather than passing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from browser import Page, chromium, find_chromium, serve
from conftest import REPO

from generator import build_site

DEMO_TIME = datetime(2026, 11, 23, tzinfo=timezone.utc)
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)
SCHEMES = (False, True)
CHART_POST = "2026/11/october-2026-in-numbers/"
LAYOUT_PAGES = ("metrics/", "metrics/mrr/", "metrics/2026-10/", "metrics/cohorts/", "", "2025/01/第一年的账本/", CHART_POST,
                "2024/09/we-are-raising-our-prices/", "about/", "archive/", "404.html")
"""Every kind of page a reader lands on: dashboard, metric, month, home, posts (Chinese; with charts; with
code), a page, the archive, 404."""

EXECUTABLE = find_chromium()
pytestmark = pytest.mark.skipif(EXECUTABLE is None, reason="NO BROWSER TESTS: chromium is not installed "
                                "(apt-get install chromium fonts-noto-cjk; .ci/run does)")

_LEFT_EDGES = """(() => {
  const left = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().left : null; };
  return {nav: left('.site-header .site-title'), main: left('main h1'), footer: left('.site-footer p')};
})()"""

_CHART_TEXT = """(async () => {
  const out = [];
  for (const img of document.querySelectorAll('figure.chart picture img')) {
    const text = await (await fetch(img.currentSrc)).text();
    const root = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const sizes = [...text.matchAll(/font(?:-size)?: ([0-9.]+)px/g)].map(m => +m[1]);
    out.push({src: img.currentSrc, shown: img.getBoundingClientRect().width,
              viewbox: +root.getAttribute('viewBox').split(/\\s+/)[2], smallest: Math.min(...sizes)});
  }
  return out;
})()"""

_TEXT_OUTSIDE = """(() => {
  const box = document.documentElement.getBoundingClientRect();
  const out = [];
  for (const t of document.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.width && (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 ||
                    r.bottom > box.bottom + 0.5)) out.push([t.textContent, Math.round(r.left), Math.round(r.right)]);
  }
  return out;
})()"""


def _zh_copy(target: Path) -> Path:
    """Return a copy of the demo whose site language is Chinese."""
    for name in ("content", "metrics", "templates"):
        shutil.copytree(REPO / name, target / name)
    text = (REPO / "site.yaml").read_text(encoding="utf-8").replace("\nlanguage: en\n", "\nlanguage: zh-CN\n")
    (target / "site.yaml").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Build the demo in English and in Chinese and serve both; yield {language: base URL}."""
    root = tmp_path_factory.mktemp("browser")
    build_site(REPO, root / "en", now=DEMO_TIME)
    build_site(_zh_copy(root / "zh-site"), root / "zh", now=DEMO_TIME)
    with serve(root / "en") as en, serve(root / "zh") as zh:
        yield {"en": en, "zh-CN": zh}


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium(EXECUTABLE) as opened:
        yield opened


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_nav_content_and_footer_share_one_left_edge(sites, page: Page, language: str, dark: bool,
                                                    width: int) -> None:
    page.emulate(width, 900, dark)
    for path in LAYOUT_PAGES:
        page.open(f"{sites[language]}/{path}")
        edges = page.evaluate(_LEFT_EDGES)
        assert None not in edges.values(), (path, edges)
        assert max(edges.values()) - min(edges.values()) < 1, (path, edges)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, "scrolls sideways")


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
def test_chart_text_is_at_least_11_px_on_a_phone(sites, page: Page, language: str, dark: bool) -> None:
    page.emulate(390, 900, dark)
    for path in ("metrics/", "metrics/mrr/", CHART_POST):
        page.open(f"{sites[language]}/{path}")
        charts = page.evaluate(_CHART_TEXT)
        assert charts, path
        for chart in charts:
            assert chart["src"].endswith("-narrow.svg"), chart  # the phone rendering, through <picture>
            assert 0 < chart["smallest"] < 40 and chart["shown"] > 300, chart  # really measured
            shown = chart["smallest"] * chart["shown"] / chart["viewbox"]
            assert shown >= 11, f"{chart['src']}: text {shown:.1f} px at 390 px"


def test_desktop_gets_the_wide_rendering(sites, page: Page) -> None:
    page.emulate(1280, 900)
    page.open(f"{sites['en']}/metrics/")
    charts = page.evaluate(_CHART_TEXT)
    # the demo's dashboard: MRR, movements, customers, costs, burn, ARPU/LTV and acquisition (cost groups)
    assert len(charts) == 7 and not any(c["src"].endswith("-narrow.svg") for c in charts)
    assert all(c["smallest"] * c["shown"] / c["viewbox"] >= 11 for c in charts)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_no_chart_text_falls_outside_its_svg(sites, page: Page, language: str) -> None:
    page.emulate(1280, 900)
    page.open(f"{sites[language]}/metrics/all/")
    urls = page.evaluate("[...document.querySelectorAll('figure.chart img')].map(i => i.src)")
    urls = [u for url in urls for u in (url, url.replace(".svg", "-narrow.svg"))]
    urls.append(f"{sites[language]}/badges/mrr.svg")
    outside = {}
    for url in urls:
        page.open(url)
        if found := page.evaluate(_TEXT_OUTSIDE):
            outside[url] = found
    assert len(urls) >= 13 and outside == {}


def _axe(page: Page, url: str) -> list[dict]:
    page.open(url)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""axe.run(document, {runOnly: {type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
        .then(r => r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))""")
    return result


def test_axe_finds_nothing_on_any_page_of_the_demo(sites, page: Page, tmp_path_factory) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run 'npm ci' (the README's test command does)")
    page.emulate(1280, 900)
    page.open(f"{sites['en']}/sitemap.xml")
    urls = page.evaluate("[...document.getElementsByTagName('loc')].map(l => l.textContent)")
    paths = sorted({url.split("://", 1)[1].split("/", 1)[1] for url in urls} | {"404.html"})
    assert len(paths) > 100
    problems = {path: found for path in paths if (found := _axe(page, f"{sites['en']}/{path}"))}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:3000]


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
def test_axe_finds_nothing_in_either_scheme_or_language(sites, page: Page, language: str, dark: bool) -> None:
    page.emulate(390, 900, dark)
    problems = {path: found for path in LAYOUT_PAGES if (found := _axe(page, f"{sites[language]}/{path}"))}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:3000]


def test_axe_finds_nothing_on_the_pasted_articles(page: Page, tmp_path: Path) -> None:
    """tests/sites/pasted (issue 22): `#` sections demoted, numbered tables of contents, placeholder alts."""
    from conftest import SITES

    shutil.copytree(SITES / "pasted", tmp_path / "site")
    result = build_site(tmp_path / "site", tmp_path / "out", now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    page.emulate(1280, 900)
    with serve(tmp_path / "out") as base:
        paths = [p for p in result.paths if p.endswith(".html")]
        problems = {path: found for path in paths
                    if (found := _axe(page, f"{base}/{path.removesuffix('index.html')}"))}
    assert len(paths) >= 10 and problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:3000]


def test_the_checks_see_a_planted_fault(page: Page, tmp_path: Path) -> None:
    """Guard against silent checks: axe reports an image without alt text, and text outside an SVG is found."""
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="en"><title>x</title><main><img src="a.png">'
                                       "</main></html>")
    (tmp_path / "bad.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20" '
                                      'viewBox="0 0 100 20"><text x="-30" y="15" font-size="11">US$4,500</text></svg>')
    with serve(tmp_path) as base:
        assert "image-alt" in [v["id"] for v in _axe(page, f"{base}/bad.html")]
        page.open(f"{base}/bad.svg")
        assert page.evaluate(_TEXT_OUTSIDE)[0][0] == "US$4,500"

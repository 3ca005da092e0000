"""examples/bilingual in headless Chromium (issue 23): the language switch at 390 and 1280 px, light and dark, in
both languages, goes to the same page in the other language; axe finds nothing on any page kind of either.

Skipped, loudly, without Chromium (as tests/test_browser.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from browser import Page, chromium, serve
from test_browser import _LEFT_EDGES, AXE, EXECUTABLE, SCHEMES, WIDTHS, _axe

pytestmark = pytest.mark.skipif(EXECUTABLE is None, reason="NO BROWSER TESTS: chromium is not installed "
                                "(apt-get install chromium fonts-noto-cjk; .ci/run does)")

KINDS = ("", "2025/02/why-open/", "about/", "categories/", "categories/finances/", "tags/", "archive/",
         "archive/2025/", "archive/2025/02/", "404.html", "metrics/", "metrics/all/", "metrics/methodology/",
         "metrics/mrr/", "metrics/2025-12/", "metrics/years/", "metrics/2025/", "team/", "metrics/cohorts/")
"""One page of every kind a reader lands on, as the Chinese (first) language places it; English adds 'en/'."""
TAGS = {"": "tags/%E9%80%8F%E6%98%8E/", "en/": "tags/transparency/"}
FOLDERS = {"zh-CN": "", "en": "en/"}

_SWITCH = """(() => {
  const nav = document.querySelector('.site-header nav.language-switch');
  if (!nav) return null;
  const box = nav.getBoundingClientRect();
  const links = [...nav.querySelectorAll('a')].map(a => {
    const r = a.getBoundingClientRect();
    return {href: a.getAttribute('href'), lang: a.lang, hreflang: a.hreflang, text: a.textContent,
            width: r.width, height: r.height, right: r.right, color: getComputedStyle(a).color};
  });
  const current = nav.querySelector('[aria-current]');
  return {label: nav.getAttribute('aria-label'), top: box.top, bottom: box.bottom, links,
          current: current && current.lang, visible: getComputedStyle(nav).display !== 'none'};
})()"""


@pytest.fixture(scope="module")
def base(golden_build) -> Iterator[str]:
    with serve(golden_build("bilingual").output) as url:
        yield url


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium(EXECUTABLE) as opened:
        yield opened


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("dark", SCHEMES, ids=["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_switch_is_in_the_header_and_goes_to_the_same_page_in_the_other_language(base, page: Page, language: str,
                                                                                      dark: bool, width: int) -> None:
    page.emulate(width, 900, dark)
    folder, other = FOLDERS[language], next(tag for tag in FOLDERS if tag != language)
    for path, target in (("2025/02/why-open/", FOLDERS[other] + "2025/02/why-open/"),
                         ("metrics/mrr/", FOLDERS[other] + "metrics/mrr/"), ("", FOLDERS[other])):
        page.open(f"{base}/{folder}{path}")
        switch = page.evaluate(_SWITCH)
        assert switch and switch["visible"] and switch["current"] == language, (path, switch)
        assert switch["label"] == ("语言" if language == "zh-CN" else "Language")
        (link,) = switch["links"]
        assert (link["href"], link["lang"], link["hreflang"]) == ("/" + target, other, other)
        assert link["text"] == ("English" if other == "en" else "中文")
        assert link["width"] > 20 and link["height"] >= 16 and link["right"] <= width, (path, link)
        assert switch["bottom"] < 400, "the switch is in the header, above the page's content"
        edges = page.evaluate(_LEFT_EDGES)
        assert None not in edges.values() and max(edges.values()) - min(edges.values()) < 1, (path, edges)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, "scrolls sideways")
    assert page.evaluate("document.scripts.length") == 0  # a plain link: no JavaScript
    page.open(f"{base}/{link['href']}")
    assert page.evaluate("document.documentElement.lang") == other


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_axe_finds_nothing_on_any_page_kind_in_either_language(base, page: Page, language: str) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run 'npm ci' (the README's test command does)")
    folder = FOLDERS[language]
    page.emulate(1280, 900)
    problems = {path: found for path in (*KINDS, TAGS[folder]) if (found := _axe(page, f"{base}/{folder}{path}"))}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:3000]
    page.emulate(390, 900, True)
    problems = {path: found for path in ("", "2025/02/why-open/", "metrics/")
                if (found := _axe(page, f"{base}/{folder}{path}"))}
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:3000]

"""Pages that add up and link up (issue 19): year tables whose customer lines add up, partial years that say
so and compare the same months, year and month navigation by name, month and year pages that link their
reports and show their charts, and a dashboard that says when its numbers stop."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html import unescape
from pathlib import Path

import pytest

from generator.build import render_site_in_memory

LABELS = {"en": ("New customers", "Churned customers", "Reactivated customers", "Net new customers"),
          "zh-CN": ("新增客户", "流失客户", "回流客户", "净新增客户")}


def _rows(html: str) -> dict[str, str]:
    """Return {figure: this year's value} of a year page's first table, as the page prints them."""
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        label = unescape(re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))).strip()
        cells = [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows[label] = cells[0]
    return rows


def _number(text: str) -> int | None:
    digits = text.replace(",", "").replace("\u2212", "-")
    return int(digits) if re.fullmatch(r"-?\d+", digits) else None


def _year_pages(output: Path) -> dict[str, str]:
    return {p.parent.name: p.read_text(encoding="utf-8") for p in (output / "metrics").glob("[0-9][0-9][0-9][0-9]/index.html")}


def _assert_years_add_up(output: Path, language: str) -> int:
    new, churned, back, net = LABELS[language]
    checked = 0
    for year, html in _year_pages(output).items():
        rows = {k: _number(v) for k, v in _rows(html).items()}
        if rows.get(net) is None:
            continue
        assert rows[new] - rows[churned] + rows[back] == rows[net], (year, rows)
        checked += 1
    return checked


def test_the_demo_years_add_up_and_name_their_neighbours(demo_build) -> None:
    assert _assert_years_add_up(demo_build.output, "en") >= 3  # 2024, 2025, 2026 (2023 starts with the data)
    pages = _year_pages(demo_build.output)
    assert "November 2023 to December 2023: the numbers start in November 2023." in pages["2023"]
    assert '<span>Next year →</span> 2024</a>' in pages["2023"]
    assert '<span>← Previous year</span> 2024</a>' in pages["2025"]
    # 2024 follows a year of two months: it is compared over those two months, in a column of its own
    assert "<th scope=\"col\">November 2024 to December 2024</th><th scope=\"col\">November 2023 to December 2023</th>" \
        in pages["2024"]
    assert "+15,569.7%" not in pages["2024"]


def test_the_chinese_example_years_add_up(golden_build) -> None:
    assert _assert_years_add_up(golden_build("zh").output, "zh-CN") >= 1


def test_month_and_year_pages_link_their_reports_and_show_their_charts(demo_build) -> None:
    october = (demo_build.output / "metrics/2026-10/index.html").read_text(encoding="utf-8")
    reports = october.split('id="month-reports"', 1)[1].split("</section>", 1)[0]
    assert 'href="/2026/11/october-2026-in-numbers/">October 2026 in numbers</a>' in reports
    assert "No posts this month" in october  # none was published in October, and the page says only that
    assert 'src="/metrics/charts/mrr_movements-2025-11-2026-10.svg"' in october
    post = (demo_build.output / "2026/11/october-2026-in-numbers/index.html").read_text(encoding="utf-8")
    assert 'src="/metrics/charts/mrr_movements-2025-11-2026-10.svg"' in post  # the same window, one SVG
    year = (demo_build.output / "metrics/2024/index.html").read_text(encoding="utf-8")
    assert "第一年的账本" in year.split('id="year-reports"', 1)[1]  # `report: "2024"`, published in 2025
    assert 'src="/metrics/charts/costs-2024-01-2024-12.svg"' in year
    assert '<span>← Previous month</span> September 2026</a>' in october


def _stale_site(make_site, last_month: str) -> str:
    months = [f"2025-{m:02d}" for m in range(1, int(last_month[-2:]) + 1)]
    root = make_site({"metrics/mrr.csv": "month,mrr\n" + "".join(f"{m},{1000 + i}\n" for i, m in enumerate(months))},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\n")
    result = render_site_in_memory(root, now=datetime(2025, 12, 10, tzinfo=timezone.utc), use_cache=False)
    return next(f.data.decode() for f in result.files if f.path == "metrics/index.html")


@pytest.mark.parametrize(("last", "notice"), [("2025-11", False), ("2025-09", True)])
def test_a_dashboard_says_when_its_numbers_stop(make_site, last: str, notice: bool) -> None:
    page = _stale_site(make_site, last)
    assert ('<p class="notice" role="status">Data last updated: September 2025. Later months have no numbers yet.</p>'
            in page) is notice

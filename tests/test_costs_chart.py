"""The costs chart adds up (issue 19): hidden categories are one "not disclosed" segment when the total is
published, the chart is withheld with a note when it is not, more than ten categories fold into "Other", and
each category keeps one colour on every chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import BUILD_TIME

from generator.build import render_site_in_memory
from generator.chartcheck import chart_series, check_charts
from generator.dashboard.spec import DISTINCT_COLOURS, OTHER_COLOUR, UNDISCLOSED_COLOUR

CONFIG = """\
title: Costs Co
base_url: https://costs.example/
timezone: UTC
metrics:
  currency: USD
{publish}
"""


def _site(make_site, categories: int, publish: str = ""):
    rows = ["month,category,amount"]
    for month in ("2025-09", "2025-10", "2025-11", "2025-12"):
        rows += [f"{month},Category {n:02d},{100 * (n + 1) + int(month[-2:])}" for n in range(categories)]
    root = make_site({"metrics/mrr.csv": "month,mrr\n2025-09,1000\n2025-10,1100\n2025-11,1300\n2025-12,1400\n",
                      "metrics/costs.csv": "\n".join(rows) + "\n"}, config=CONFIG.format(publish=publish))
    return render_site_in_memory(root, now=BUILD_TIME, jobs=1)


def _costs_chart(result, suffix: str = "-all"):
    return next(c for c in result.site.charts if c.id == "costs" + suffix)


def _stack_totals(chart, metrics) -> list[Decimal]:
    bars = [s for s in chart_series(chart, metrics) if s.id in chart.spec.metrics]
    return [sum((p.value for p in column if p.value is not None), Decimal(0)) for column in zip(*(s.points for s in bars))]


@pytest.mark.parametrize("categories", [1, 9, 10, 11, 30])
def test_costs_chart_shows_at_most_ten_colours_and_adds_up_to_the_total(make_site, categories: int) -> None:
    result = _site(make_site, categories)
    metrics = result.site.metrics.series
    chart = _costs_chart(result)
    assert len(chart.spec.metrics) == min(categories, DISTINCT_COLOURS)
    assert len(set(chart.spec.colours[:len(chart.spec.metrics)])) == len(chart.spec.metrics)
    if categories > DISTINCT_COLOURS:
        assert chart.spec.labels[DISTINCT_COLOURS - 1] == "Other"
        assert chart.spec.colours[DISTINCT_COLOURS - 1] == OTHER_COLOUR
        assert chart.remarks[0] == f"“Other” adds up the {categories - 9} smallest categories; each has its own page."
    assert _stack_totals(chart, metrics) == list(metrics["costs"].values)
    files = {f.path: f.data for f in result.files}
    assert check_charts(result.site.charts, metrics, files) == []


def test_a_category_keeps_its_colour_on_every_chart(make_site) -> None:
    result = _site(make_site, 12)
    charts = [c for c in result.site.charts if c.spec.metrics and "costs.category_11" in c.spec.series_ids]
    colours = {c.spec.colours[c.spec.series_ids.index("costs.category_11")] for c in charts}
    assert len(charts) >= 2 and colours == {0}  # the largest category, on the dashboard and the all-time page
    folded = result.site.dashboard.metric("costs.category_00")  # the smallest: in "Other"
    assert folded.chart is None and folded.compare.id == "costs-all"  # linked, not drawn once per category
    assert not any(c.id == "metric-costs.category_00" for c in result.site.charts)


def test_a_hidden_category_is_a_not_disclosed_segment_when_the_total_is_published(make_site) -> None:
    publish = "  publish:\n    costs.category_02: hidden\n    costs: {disclosure: exact, lift_propagation: true}"
    result = _site(make_site, 4, publish)
    metrics = result.site.metrics.series
    assert "costs.category_02" not in metrics
    chart = _costs_chart(result)
    assert chart.spec.metrics[-1] == "costs:undisclosed" and chart.spec.colours[-1] == UNDISCLOSED_COLOUR
    assert chart.spec.labels[len(chart.spec.metrics) - 1] == "Not disclosed"
    assert _stack_totals(chart, metrics) == list(metrics["costs"].values)  # the stack is the published total
    assert "Not disclosed" in chart.columns
    assert check_charts(result.site.charts, metrics, {f.path: f.data for f in result.files}) == []


def test_the_costs_chart_is_withheld_with_a_note_when_the_total_is_not_published(make_site) -> None:
    result = _site(make_site, 4, "  publish:\n    costs.category_02: hidden")
    assert "costs" not in result.site.metrics.series  # hiding a category hides the total (propagation)
    assert not [c for c in result.site.charts if c.id.startswith("costs")]
    page = next(f.data.decode() for f in result.files if f.path == "metrics/index.html")
    assert "Costs by category are not shown: some categories are not disclosed" in page

"""The chart checker (issue 19): every drawn chart, read from its SVG, against the series it was drawn from.

The checker never asks the drawing code where something went: it reads the plot areas, the value axis's
labels, the legend and the marks from the SVG. These tests draw charts of every kind from random series
(hypothesis) and demand that the checker finds nothing; plant the faults that happened (an axis that stops
at zero above churn bars, a series drawn in no colour of the legend, text off the edge) and demand that it
finds each; and run it over every chart of the golden sites and the demo.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.chartcheck import chart_series, check_chart, check_charts, read_number, read_svg
from generator.charts import draw_chart, kinds
from generator.charts.svg import PALETTE
from generator.dashboard import Annotation, ChartSpec
from generator.metrics import MetricPoint, MetricSeries, Unit, add_months
from generator.registry.charts import ChartKind

FIRST = date(2024, 1, 1)
LABELS = ("New", "Expansion", "Reactivation", "Contraction", "Churned", "托管", "Payroll and benefits", "Office",
          "Software", "Legal & accounting")
UNITS = (Unit.CURRENCY, Unit.COUNT, Unit.RATIO, Unit.MONTHS, Unit.NUMBER)


def _series(metric_id: str, label: str, unit: Unit, values) -> MetricSeries:
    return MetricSeries(metric_id, label, unit, tuple(
        MetricPoint(add_months(FIRST, i), None if v is None else Decimal(str(v))) for i, v in enumerate(values)))


def _spec(kind: ChartKind, series, *, language: str = "en", **changes) -> ChartSpec:
    months = len(series[0].points)
    spec = ChartSpec(id="t", kind=kind, title="T", metrics=tuple(s.id for s in series), first_month=FIRST,
                     last_month=add_months(FIRST, months - 1), path="metrics/charts/t.svg", currency="USD",
                     language=language, labels=tuple(s.label for s in series))
    return replace(spec, **changes)


def _value(unit: Unit, scale: float):
    """A strategy for one month's value: None, zero, or a number of the unit at `scale` (negative too)."""
    if unit is Unit.COUNT:
        number = st.integers(-int(scale) - 1, int(scale) + 1)
    else:
        number = st.floats(-scale, scale, allow_nan=False).map(lambda v: round(v, 4) if scale < 10 else round(v, 2))
    return st.one_of(st.none(), st.just(0), number, number)


@st.composite
def _values(draw, unit: Unit, months: int, scale: float) -> list:
    values = draw(st.lists(_value(unit, scale), min_size=months, max_size=months))
    if all(v is None for v in values):  # the dashboard draws only series with a value in the window
        values[draw(st.integers(0, months - 1))] = draw(_value(unit, scale).filter(lambda v: v is not None))
    return values


SCALES = st.sampled_from([0.002, 0.3, 1.0, 40.0, 5_000.0, 3_000_000.0, 2e9])


@st.composite
def _extras(draw, months: int) -> dict:
    """The month in progress and annotation markers, sometimes; the phone rendering, sometimes."""
    extras: dict = {"variant": draw(st.sampled_from(["wide", "narrow"]))}
    if draw(st.booleans()):
        extras["in_progress"] = add_months(FIRST, months - 1)
    spots = draw(st.lists(st.integers(0, months - 1), max_size=3, unique=True))
    extras["annotations"] = tuple(Annotation(n + 1, add_months(FIRST, m), f"Note {n}") for n, m in enumerate(spots))
    return extras


def _assert_checks(spec: ChartSpec, series) -> None:
    problems = check_chart(draw_chart(spec, series), spec, series)
    assert problems == [], (problems, [[p.value for p in s.points] for s in series], spec)


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=st.data())
def test_every_line_chart_shows_every_value_inside_its_plot(data) -> None:
    months = data.draw(st.integers(1, 30))
    unit, scale = data.draw(st.sampled_from(UNITS)), data.draw(SCALES)
    count = data.draw(st.integers(1, 4))
    series = [_series(f"m{i}", LABELS[i], unit, data.draw(_values(unit, months, scale))) for i in range(count)]
    language = data.draw(st.sampled_from(["en", "zh-CN"]))
    caps = (("m0", 36.0),) if unit is Unit.MONTHS and data.draw(st.booleans()) else ()
    _assert_checks(_spec(ChartKind.LINE, series, language=language, caps=caps, **data.draw(_extras(months))), series)


@SETTINGS
@given(data=st.data())
def test_every_small_multiples_chart_shows_every_value_in_its_own_panel(data) -> None:
    months = data.draw(st.integers(1, 30))
    units = data.draw(st.lists(st.sampled_from(UNITS), min_size=2, max_size=3, unique=True))
    series = [_series(f"m{i}", LABELS[i], unit, data.draw(_values(unit, months, data.draw(SCALES))))
              for i, unit in enumerate(units)]
    _assert_checks(_spec(ChartKind.PANELS, series, **data.draw(_extras(months))), series)


@SETTINGS
@given(data=st.data())
def test_every_stacked_bar_chart_shows_every_segment_and_line(data) -> None:
    months = data.draw(st.integers(1, 30))
    scale = data.draw(SCALES)
    count = data.draw(st.integers(1, 10))
    bars = [_series(f"b{i}", LABELS[i], Unit.CURRENCY, data.draw(_values(Unit.CURRENCY, months, scale)))
            for i in range(count)]
    below = tuple(s.id for s in bars if data.draw(st.booleans()))
    overlay = [_series("line", "Net new", Unit.CURRENCY, data.draw(_values(Unit.CURRENCY, months, scale)))] \
        if data.draw(st.booleans()) else []
    spec = _spec(ChartKind.STACKED_BAR, bars + overlay, **data.draw(_extras(months)))
    spec = replace(spec, metrics=tuple(s.id for s in bars), overlay=tuple(s.id for s in overlay), below=below)
    _assert_checks(spec, bars + overlay)


MOVEMENTS = [
    _series("new_mrr", "New", Unit.CURRENCY, [2145, 1900, 2300, 2100]),
    _series("expansion_mrr", "Expansion", Unit.CURRENCY, [320, 280, 280, 220]),
    _series("contraction_mrr", "Contraction", Unit.CURRENCY, [70, 120, 100, 100]),
    _series("churned_mrr", "Churned", Unit.CURRENCY, [951, 1000, 800, 880]),
    _series("net_new_mrr", "Net new", Unit.CURRENCY, [1444, 1060, 1680, 1340]),
]


def _movements() -> ChartSpec:
    spec = _spec(ChartKind.STACKED_BAR, MOVEMENTS)
    return replace(spec, metrics=spec.metrics[:4], overlay=("net_new_mrr",), below=("contraction_mrr", "churned_mrr"))


def test_the_movements_chart_shows_churn_below_zero() -> None:
    spec = _movements()
    svg = draw_chart(spec, MOVEMENTS)
    assert check_chart(svg, spec, MOVEMENTS) == []
    ticks = [t.content for t in read_svg(svg).texts if t.anchor == "end"]
    assert ticks[0].startswith("\u2212$") and read_number(ticks[0]) <= -951 - 100  # below zero, labelled, past churn


def test_an_axis_that_stops_at_zero_above_churn_bars_is_caught(monkeypatch) -> None:
    """The regression of issue 19: the value axis followed the first series only, and churn fell outside."""
    monkeypatch.setattr(kinds, "value_range", lambda values, indexed=False: (0.0, max(values) * 1.06))
    monkeypatch.setattr(kinds, "_to_ticks", lambda ticks, values, low, high: (low, high))
    spec = _movements()
    problems = check_chart(draw_chart(spec, MOVEMENTS), spec, MOVEMENTS)
    assert problems[0] == "Contraction (contraction_mrr), 2024-01, value 70: lies outside the plot " \
                          "(the value axis does not reach it)"


def test_a_series_drawn_without_marks_is_caught() -> None:
    spec = _movements()
    svg = draw_chart(spec, MOVEMENTS).decode()
    churned = PALETTE[spec.colour_of(3)]
    planted = re.sub(rf'<path d="[^"]*" clip-path="[^"]*" style="fill: {churned}"/>', "", svg).encode()
    problems = check_chart(planted, spec, MOVEMENTS)
    assert "the legend entry 'Churned' has no marks in the plot" in problems
    assert any(p.startswith("Churned (churned_mrr), 2024-01, value 951: has no bar") for p in problems)


def test_a_line_drawn_at_the_wrong_height_is_caught() -> None:
    series = [_series("mrr", "MRR", Unit.CURRENCY, [1000, 1200, 1700, 1500])]
    spec = _spec(ChartKind.LINE, series)
    moved = [replace(series[0], points=series[0].points[:3] + (replace(series[0].points[3], value=Decimal(1300)),))]
    assert check_chart(draw_chart(spec, moved), spec, series) == [
        "MRR (mrr), 2024-04, value 1500: has no line or point of its colour where its value belongs"]


def test_text_off_the_edge_and_text_too_small_are_caught() -> None:
    series = [_series("mrr", "MRR", Unit.CURRENCY, [1000, 1200])]
    spec = _spec(ChartKind.LINE, series, variant="narrow")
    svg = draw_chart(spec, series).decode()
    planted = svg.replace("</svg>", '<text style="font-size: 11px" x="-40" y="20">US$4,500</text>'
                                    '<text style="font-size: 8px" x="40" y="20">tiny</text></svg>').encode()
    problems = check_chart(planted, spec, series)
    assert "the text 'US$4,500' leaves the SVG" in problems
    assert any(p.startswith("the text 'tiny' shows at 8.8 px") for p in problems)


@pytest.mark.parametrize(("label", "language", "value"), [
    ("$1.25K", "en", 1250), ("\u2212$4K", "en", -4000), ("US$4.5万", "zh-CN", 45000), ("3.5%", "en", 0.035),
    ("≥36 mo", "en", 36), ("36个月", "zh-CN", 36), ("2.5×", "en", 2.5), ("1,2\u00a0Mio.\u00a0$", "de", 1_200_000),
    ("0.15", "en", 0.15), ("Nov", "en", None),
])
def test_tick_labels_are_read_as_a_reader_reads_them(label, language, value) -> None:
    assert read_number(label, language) == pytest.approx(value) if value is not None else read_number(label) is None


@pytest.mark.parametrize("name", ["full", "zh"])
def test_every_chart_of_the_golden_sites_shows_its_data(golden_build, name) -> None:
    built = golden_build(name)
    files = {p.relative_to(built.output).as_posix(): p.read_bytes() for p in (built.output / "metrics" / "charts").iterdir()}
    site = built.result.site
    assert len(site.charts) > 30
    assert check_charts(site.charts, site.metrics.series, files) == []


def test_every_chart_of_the_demo_shows_its_data(demo_build) -> None:
    site = demo_build.result.site
    files = {p.relative_to(demo_build.output).as_posix(): p.read_bytes()
             for p in (demo_build.output / "metrics" / "charts").iterdir()}
    assert check_charts(site.charts, site.metrics.series, files) == []
    movements = next(c for c in site.charts if c.id == "mrr_movements")
    assert any(p.value for s in chart_series(movements, site.metrics.series) if s.id == "churned_mrr" for p in s.points)


def test_opensite_check_reports_a_planted_bad_chart(make_site, runner, monkeypatch) -> None:
    """A drawn chart that lost its line is an error of `opensite check` (the drawing is broken here on purpose:
    a tampered chart in the cache is not reused, its hash no longer matches)."""
    import generator.charts.draw as charts  # where the chart stage (and its workers) find the drawing function
    import generator.charts.pool as chart_pool
    from generator.cli import main

    root = make_site({"metrics/mrr.csv": "month,mrr\n2025-01,1000\n2025-02,1400\n2025-03,1300\n"},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\n")
    assert runner.invoke(main, ["check", "-s", str(root), "--no-cache"]).exit_code == 0
    draw = charts.draw_chart
    planted = []

    def flattened(spec, series) -> bytes:
        text = draw(spec, series).decode("utf-8")
        flat = re.sub(r'(<path d="M [\d.]+ )([\d.]+)( L [\d.]+ )[\d.]+( L [\d.]+ )[\d.]+( " clip-path)',
                      r"\1\2\3\2\4\2\5", text)  # the MRR line flattened to its first value …
        flat = re.sub(r'<use [^>]*y="([\d.]+)"[^>]*/>', "", flat)  # … and its points gone
        planted.append(flat != text)
        return flat.encode("utf-8")

    monkeypatch.setattr(charts, "draw_chart", flattened)
    monkeypatch.setattr(chart_pool, "PARALLEL_MIN_COST", 10**9)  # drawn in this process, where `planted` is
    result = runner.invoke(main, ["check", "-s", str(root), "--no-cache"])
    assert any(planted)
    assert result.exit_code == 1
    assert "metrics/charts/mrr.svg: error: the chart 'MRR' does not show its data: MRR (mrr), 2025-02, value " \
           "1400.00: has no line or point of its colour where its value belongs" in result.stderr


@SETTINGS
@given(data=st.data())
def test_every_costs_chart_of_1_to_30_categories_shows_its_data_in_ten_colours(data) -> None:
    """The costs chart through the dashboard's planning: fold to ten colours, stack to the total, every value seen."""
    from datetime import datetime, timezone
    from pathlib import Path

    from generator.config import SiteConfig
    from generator.dashboard import make_context
    from generator.dashboard.plan import CHART_PLANS, plan_dashboard_chart
    from generator.metrics import PublishedMetrics

    months = data.draw(st.integers(1, 18))
    count = data.draw(st.integers(1, 30))
    amounts = [[data.draw(st.one_of(st.none(), st.integers(0, 5000))) for _ in range(months)] for _ in range(count)]
    categories = [_series(f"costs.cat_{n:02d}", f"Costs: Cat {n}", Unit.CURRENCY, values)
                  for n, values in enumerate(amounts)]
    totals = [sum(v for v in column if v is not None) if any(v is not None for v in column) else None
              for column in zip(*amounts, strict=True)]
    mrr = _series("mrr", "MRR", Unit.CURRENCY, [1000 + 10 * i for i in range(months)])
    series = {s.id: s for s in (*categories, _series("costs", "Costs", Unit.CURRENCY, totals), mrr)}
    metrics = PublishedMetrics(months=tuple(add_months(FIRST, i) for i in range(months)), series=series)
    ctx = make_context(SiteConfig(root=Path("."), title="T"), metrics, datetime(2030, 1, 1, tzinfo=timezone.utc))
    plan = next(p for p in CHART_PLANS if p.id == "costs")
    chart = plan_dashboard_chart(ctx, plan, "costs", FIRST, add_months(FIRST, months - 1))
    if chart is None:
        assert all(t is None for t in totals)
        return
    spec = chart.spec
    assert len(spec.metrics) <= 10 and len(set(spec.colours[:len(spec.metrics)])) == len(spec.metrics)
    drawn = chart_series(chart, metrics.series)
    stacks = [sum((p.value for p in column if p.value is not None), Decimal(0))
              for column in zip(*(s.points for s in drawn if s.id in spec.metrics), strict=True)]
    assert stacks == [Decimal(t or 0) for t in totals]
    _assert_checks(spec, list(drawn))

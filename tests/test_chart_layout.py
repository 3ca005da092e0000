"""What issue 14 asks of every chart's frame: compact, grouped ticks with units; axes from zero; runway capped;
markers that never cover data or each other; an 11-point floor on text; a phone rendering."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from generator.chartcheck import check_chart, read_svg
from generator.charts import draw_chart, series_for
from generator.charts.kinds import get_chart_kind
from generator.charts.layout import FONT_SIZE, flow, plot_margins, stack
from generator.charts.plot import Line
from generator.charts.svg import FOREGROUND, PALETTE
from generator.charts.ticks import format_tick, format_ticks
from generator.dashboard import Annotation, ChartSpec
from generator.metrics import MetricPoint, MetricSeries, PublishedMetrics, Unit
from generator.textwidth import display_width, pad, text_width

MONTHS = [date(2025, 1 + i, 1) if i < 12 else date(2026, i - 11, 1) for i in range(14)]
MRR = MetricSeries("mrr", "MRR", Unit.CURRENCY, tuple(MetricPoint(m, Decimal(30000 + 1500 * i))
                                                    for i, m in enumerate(MONTHS)))
CHURN = MetricSeries("customer_churn_rate", "Customer churn rate", Unit.RATIO, tuple(
    MetricPoint(m, Decimal(v)) for m, v in zip(MONTHS, ["0.031", "0.032", "0.025", "0.026", "0.033", "0.028",
                                                     "0.03", "0.034", "0.025", "0.026", "0.033", "0.025",
                                                     "0.027", "0.029"], strict=True)))
RUNWAY = MetricSeries("runway_months", "Runway", Unit.MONTHS, tuple(
    MetricPoint(m, Decimal(v)) for m, v in zip(MONTHS, [14, 15, 16, 18, 21, 25, 40, 90, 450, 600, 30, 20, 18, 17],
                                               strict=True)))
DATA = PublishedMetrics(months=tuple(MONTHS), series={s.id: s for s in (MRR, CHURN, RUNWAY)})


def _spec(kind: str = "line", metrics=("mrr",), **changes) -> ChartSpec:
    spec = ChartSpec(id="t", kind=kind, title="T", metrics=tuple(metrics), first_month=MONTHS[0],
                     last_month=MONTHS[-1], path="metrics/charts/t.svg", currency="USD", language="en",
                     labels=tuple(DATA.series[m].label for m in metrics))
    return replace(spec, **changes)


@pytest.mark.parametrize(("value", "language", "expected"), [
    (45000, "en", "$45K"), (4500, "en", "$4.5K"), (450, "en", "$450"), (0, "en", "$0"),
    (-4500, "en", "\u2212$4.5K"), (1_500_000, "en", "$1.5M"),
    (45000, "zh-CN", "US$4.5万"), (4500, "zh-CN", "US$4,500"), (-1500, "zh-CN", "\u2212US$1,500"),
])
def test_money_ticks_are_compact_where_the_locale_abbreviates_and_grouped_where_not(value, language, expected):
    assert format_tick(value, MRR, language, "USD") == expected


def test_ticks_carry_their_unit_and_stay_distinct() -> None:
    assert format_tick(0.025, CHURN, "en", "USD") == "2.5%"
    assert format_tick(24, RUNWAY, "en", "USD", "{n} mo") == "24 mo"
    assert format_tick(24, RUNWAY, "zh-CN", "USD", "{n}个月") == "24个月"
    assert format_ticks([1000, 1250, 1500], MRR, "en", "USD") == ["$1K", "$1.25K", "$1.5K"]  # not "$1.2K"


def test_stack_puts_overlapping_markers_on_separate_rows_and_others_on_the_first() -> None:
    assert stack([10, 40, 90], [20, 20, 20]) == [0, 0, 0]
    assert stack([10, 20, 90], [20, 20, 20]) == [0, 1, 0]
    assert stack([10, 20, 25], [20, 20, 20]) == [0, 1, 2]


def test_flow_wraps_legend_entries_that_do_not_fit() -> None:
    placed = flow([100, 100, 100], 250, spacing=10)
    assert [(p.x, p.row) for p in placed] == [(0, 0), (110, 0), (0, 1)]


def test_margins_fit_the_widest_label_in_any_script() -> None:
    latin = plot_margins(["US$4,500"], [], ["Jan\n2026"], 0)
    chinese = plot_margins(["US$4.5万"], ["3.5%"], ["1月\n2026"], 0)
    assert latin.left >= text_width("US$4,500") + 4
    assert chinese.left >= text_width("US$4.5万") and chinese.right >= text_width("3.5%")
    assert text_width("对比") == 2 * FONT_SIZE  # a Chinese character is a full em


def test_display_width_counts_chinese_as_two_columns() -> None:
    assert display_width("MRR") == 3 and display_width("月经常性收入") == 12
    assert pad("收入", 6) == "收入  " and pad("7", 3, right=True) == "  7"


def test_markers_sit_above_the_plot_and_never_on_each_other() -> None:
    # Two notes in neighbouring months and one in the month of the churn peak (August).
    notes = (Annotation(1, MONTHS[6], "a"), Annotation(2, MONTHS[7], "b"), Annotation(3, MONTHS[8], "c"))
    spec = _spec("line", ("customer_churn_rate",), annotations=notes)
    drawing = read_svg(draw_chart(spec, series_for(spec, DATA)))
    plot = next(m.clip for m in drawing.marks if m.clip is not None)
    line = next(m for m in drawing.marks if m.clip == plot and m.stroke == PALETTE[0] and m.width >= 1.5)
    points = [point for sub in line.subpaths for point in sub]
    assert len(points) == len(MONTHS)
    boxes = []  # the markers' outlines: unclipped curves drawn in the text colour (SVG y grows downwards)
    for mark in drawing.marks:
        vertices = [point for sub in mark.subpaths for point in sub]
        if mark.clip is None and mark.stroke == FOREGROUND and mark.fill == "none" and len(vertices) > 4:
            xs, ys = [x for x, _ in vertices], [y for _, y in vertices]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    assert len(boxes) == 3
    for x0, y0, x1, y1 in boxes:
        assert y1 <= plot.y  # above the plot: no data point can be under a marker
        assert not any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for u0, v0, u1, v1 in boxes[i + 1:]:
            assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0


def test_ratio_and_month_axes_start_at_zero_and_runway_is_capped() -> None:
    spec = _spec("panels", ("customer_churn_rate", "runway_months"), caps=(("runway_months", 36.0),))
    churn, runway = get_chart_kind(spec.kind)(series_for(spec, DATA), spec)
    assert churn.axis.low == 0 and runway.axis.low == 0
    assert runway.axis.high < 40  # 450 and 600 months do not stretch the axis
    assert runway.axis.labels[-1] == "≥36 mo" and runway.axis.labels[0] == "0 mo"
    capped = [mark for mark in runway.marks if isinstance(mark, Line) and mark.marker == "^"]
    assert len(capped) == 1 and capped[0].xs == (6, 7, 8, 9) and not capped[0].clipped  # 40, 90, 450, 600 months
    svg = draw_chart(spec, series_for(spec, DATA))
    assert check_chart(svg, spec, series_for(spec, DATA)) == []


def test_no_chart_text_is_smaller_than_eleven_points_in_either_rendering() -> None:
    notes = (Annotation(1, MONTHS[3], "a"),)
    for variant in ("wide", "narrow"):
        spec = _spec("panels", ("mrr", "customer_churn_rate"), annotations=notes, variant=variant)
        svg = draw_chart(spec, series_for(spec, DATA)).decode()
        sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg)]
        sizes += [float(size) for size in re.findall(r"font: ([\d.]+)px", svg)]
        assert sizes and min(sizes) >= 11, (variant, sorted(set(sizes)))
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        if variant == "narrow":
            assert width <= 350 * 11 / 11.5  # shown ~350 px wide on a 390 px phone: text ≥ 11.5 px


def test_an_all_zero_ratio_axis_starts_at_zero_not_below() -> None:
    # A team nobody has left: attrition is 0 every month. matplotlib would centre the flat line and
    # label the axis −3% … 3%; a rate that cannot be negative must not show a negative tick.
    zero = MetricSeries("attrition_rate", "Attrition rate", Unit.RATIO, tuple(MetricPoint(m, Decimal(0))
                                                                              for m in MONTHS))
    data = PublishedMetrics(months=tuple(MONTHS), series={s.id: s for s in (MRR, zero)})
    spec = replace(_spec("panels", ("mrr", "customer_churn_rate")), metrics=("mrr", "attrition_rate"),
                   labels=("MRR", "Attrition rate"))
    _, attrition = get_chart_kind("panels")(series_for(spec, data), spec)
    assert attrition.axis.low == 0 and attrition.axis.high > 0
    assert all(tick >= 0 for tick in attrition.axis.ticks)

"""What issue 14 asks of every chart's frame: compact, grouped ticks with units; axes from zero; runway capped;
markers that never cover data or each other; an 11-point floor on text; a phone rendering."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from generator.charts import draw_chart, series_for
from generator.charts.kinds import get_chart_kind
from generator.charts.layout import FONT_SIZE, flow, plot_margins, stack
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


def _figure(spec: ChartSpec):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = spec.size
    fig = Figure(figsize=(width / 100, height / 100))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    get_chart_kind(spec.kind)(ax, series_for(spec, DATA), spec)
    return fig, ax


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
    fig, ax = _figure(_spec("line", ("customer_churn_rate",), annotations=notes))
    fig.canvas.draw()  # places the markers' boxes
    renderer = fig.canvas.get_renderer()
    plot = ax.get_window_extent(renderer)
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in fig.texts if t.get_bbox_patch()]
    assert len(boxes) == 3
    points = ax.lines[0].get_xydata()
    shown = ax.transData.transform(points)
    for box in boxes:
        assert box.y0 >= plot.y1  # above the plot: no data point can be under a marker
        assert not any(box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1 for x, y in shown)
    for i, one in enumerate(boxes):
        for other in boxes[i + 1:]:
            assert not one.overlaps(other)


def test_ratio_and_month_axes_start_at_zero_and_runway_is_capped() -> None:
    fig, ax = _figure(_spec("panels", ("customer_churn_rate", "runway_months"), caps=(("runway_months", 36.0),)))
    twin = fig.axes[1]
    assert ax.get_ylim()[0] == 0 and twin.get_ylim()[0] == 0
    assert twin.get_ylim()[1] < 40  # 450 and 600 months do not stretch the axis
    labels = [t.get_text() for t in twin.get_yticklabels()]
    assert labels[-1] == "≥36 mo" and labels[0] == "0 mo"
    capped = [line for line in twin.lines if line.get_marker() == "^"]
    assert len(capped) == 1 and list(capped[0].get_xdata()) == [6, 7, 8, 9]  # 40, 90, 450, 600 months


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
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    get_chart_kind("panels")(fig.add_axes((0.1, 0.1, 0.8, 0.8)), series_for(spec, data), spec)
    twin = fig.axes[1]
    assert twin.get_ylim()[0] == 0 and twin.get_ylim()[1] > 0
    assert all(tick >= 0 for tick in twin.get_yticks())

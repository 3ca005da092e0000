"""Does every chart show its data? Each SVG the build drew, read as a reader reads it, against its series.

A chart is checked from its output, never from the code that drew it (issue 19: an axis rule that looked
at one series hid every churn bar, and every test passed). The checker reads the SVG:

- the plot areas are the clip rectangles the marks are clipped to (a mark outside is not seen);
- the value axis is read from its tick labels and grid lines: each label is parsed as a reader parses
  "$1.5K", "US$4.5万", "−3%", "≥36 mo", and the line through the labelled positions maps a value to a
  height (labels that do not lie on one line are a fault);
- the months are equal slots across the plot, each month in the middle of its own;
- each series is found by its colour, which the reader learns from the legend's swatch beside its label
  (or, on a chart of one series, from the only marks there are; on small multiples, from each panel's
  title).

Then, for every value that is not null: a line passes through (or a point marks) its place, or a bar of
its colour spans it, stacked as the kind stacks (gains up from zero, losses down from it, in series
order); that place lies inside the plot area; every legend entry has marks; no text leaves the SVG, and
no text is under 11 px where the rendering is shown at its narrowest. The first fault of a chart is
reported with the chart, the series, the month and the value.
"""


from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.chartcheck.axis import Area, Unreadable, plot_areas, read_number
from generator.chartcheck.svg import TOLERANCE, Drawing, Mark, Rect, legend_colours, read_svg
from generator.dashboard.spec import Chart, ChartSpec
from generator.errors import Diagnostic
from generator.metrics import MetricSeries, add_months
from generator.registry.charts import ChartKind
from generator.textwidth import char_width

MIN_TEXT_PX = 11.0
NARROWEST_SHOWN = {"wide": 440.0, "column": 600.0, "narrow": 350.0}
"""CSS pixels at which each rendering is shown at its narrowest: the wide one just above the 30 em switch (the
column one above 40 em), the narrow one on a 390 px phone (minus the page's margins)."""

__all__ = ["chart_series", "check_chart", "check_charts", "read_number", "read_svg"]


def check_chart(svg: bytes, spec: ChartSpec, series: Sequence[MetricSeries]) -> list[str]:
    """Return what is wrong with one drawn chart, compared with the series it was drawn from ([] when nothing)."""
    drawing = read_svg(svg)
    problems: list[str] = []
    try:
        areas = plot_areas(drawing, spec.language)
        colours = _series_colours(drawing, spec, series, areas)
        problems += _check_legend(drawing, colours)
        for index, one in enumerate(series):
            area = areas[index] if spec.kind is ChartKind.PANELS else areas[0]
            problems += _check_series(drawing, spec, series, index, colours[one.id], area)
    except Unreadable as unreadable:
        problems.append(str(unreadable))
    return problems + _check_texts(drawing, spec.variant)


def _series_colours(drawing: Drawing, spec: ChartSpec, series: Sequence[MetricSeries],
                    areas: Sequence[Area]) -> dict[str, str]:
    """Return each series' colour as the legend (or a panel's title, or the only marks) tells it."""
    legend = legend_colours(drawing)
    colours = {}
    for index, one in enumerate(series):
        label = spec.labels[index] if index < len(spec.labels) else one.label
        bars = spec.kind is ChartKind.STACKED_BAR and one.id in spec.metrics
        if label in legend:
            colours[one.id] = legend[label]
        elif bars and not _has_values(one):  # zeros only: no bar to see, and no legend entry to promise one
            colours[one.id] = ""
        elif len(series) == 1:
            colours[one.id] = _only_colour(drawing, areas[0].rect)
        elif _has_values(one):
            raise Unreadable(f"the legend has no entry for {label!r}")
        else:
            colours[one.id] = ""
    return colours


def _only_colour(drawing: Drawing, rect: Rect) -> str:
    """Return the colour of the plot's only series: its line, point or bars (not a band across the whole plot, such as
    the shaded month in progress); marks drawn at full strength first, then the lighter estimate."""
    candidates = []
    for mark in drawing.marks:
        if mark.clip != rect:
            continue
        if mark.point:
            candidates.append((0, mark.stroke if mark.fill in ("none", "") else mark.fill))
        elif mark.width >= 1.5:
            candidates.append((0, mark.stroke))
        elif mark.fill not in ("none", "") and not _spans(mark, rect):
            candidates.append((0 if mark.opacity == 1 else 1, mark.fill))
    if not candidates:
        raise Unreadable("the plot holds no line or bar")
    return min(candidates, key=lambda c: c[0])[1]


def _spans(mark: Mark, rect: Rect) -> bool:
    """Return True for a mark as tall as the plot: a band behind the data, not a value."""
    ys = [y for sub in mark.subpaths for _, y in sub]
    return bool(ys) and max(ys) - min(ys) >= rect.h * 0.99


def _has_values(series: MetricSeries) -> bool:
    return any(p.value is not None and p.value != 0 for p in series.points)


def _check_legend(drawing: Drawing, colours: Mapping[str, str]) -> list[str]:
    """Return the legend entries that no mark inside a plot shows."""
    used = {c for m in drawing.marks if m.clip is not None for c in (m.fill, m.stroke)}
    return [f"the legend entry {label!r} has no marks in the plot" for label, colour in legend_colours(drawing).items()
            if colour not in used and colour in colours.values()]


def _check_series(drawing: Drawing, spec: ChartSpec, series: Sequence[MetricSeries], index: int, colour: str,
                  area: Area) -> list[str]:
    one = series[index]
    months = _months(spec)
    slot = area.rect.w / len(months)
    bars = spec.kind is ChartKind.STACKED_BAR and one.id in spec.metrics
    stacks = _stacks(spec, series) if bars else {}
    for point in one.points:
        if point.value is None or point.month not in months or (bars and point.value == 0):
            continue
        i = months.index(point.month)
        x = area.rect.x + (i + 0.5) * slot
        if bars:
            low, high = stacks[(one.id, point.month)]
            ends = sorted((area.y(low), area.y(high)))
            if not _bar_at(drawing, colour, x, ends):
                return [_fault(one, point.month, point.value, "has no bar of its colour where its value belongs")]
            if not (area.rect.holds(x, ends[0]) and area.rect.holds(x, ends[1])):
                return [_fault(one, point.month, point.value, "lies outside the plot (the value axis does not reach it)")]
            continue
        y = area.y(float(point.value))
        if not area.rect.holds(x, y):
            return [_fault(one, point.month, point.value, "lies outside the plot (the value axis does not reach it)")]
        if not _line_at(drawing, colour, area.rect, x, y):
            return [_fault(one, point.month, point.value, "has no line or point of its colour where its value belongs")]
    return []


def _fault(series: MetricSeries, month: date, value: object, what: str) -> str:
    return f"{series.label} ({series.id}), {month:%Y-%m}, value {value}: {what}"


def _months(spec: ChartSpec) -> list[date]:
    months, month = [], spec.first_month
    while month <= spec.last_month:
        months.append(month)
        month = add_months(month, 1)
    return months


def _stacks(spec: ChartSpec, series: Sequence[MetricSeries]) -> dict[tuple[str, date], tuple[float, float]]:
    """Return where each bar segment spans: gains stack up from zero, losses (and `below` series) down from it."""
    tops: dict[date, float] = {}
    bottoms: dict[date, float] = {}
    spans = {}
    for one in series:
        if one.id not in spec.metrics:
            continue
        sign = -1.0 if one.id in spec.below else 1.0
        for point in one.points:
            if point.value is None:
                continue
            height = sign * float(point.value)
            ends = bottoms if height < 0 else tops
            base = ends.get(point.month, 0.0)
            ends[point.month] = base + height
            spans[(one.id, point.month)] = (base, base + height)
    return spans


def _bar_at(drawing: Drawing, colour: str, x: float, ends: Sequence[float]) -> bool:
    for mark in drawing.marks:
        if mark.fill != colour or mark.point or mark.clip is None:
            continue
        for sub in mark.subpaths:
            xs, ys = [p[0] for p in sub], [p[1] for p in sub]
            if abs((min(xs) + max(xs)) / 2 - x) <= TOLERANCE and abs(min(ys) - ends[0]) <= TOLERANCE \
                    and abs(max(ys) - ends[1]) <= TOLERANCE:
                return True
    return False


def _line_at(drawing: Drawing, colour: str, rect: Rect, x: float, y: float) -> bool:
    """Return True when a line of `colour` passes through (x, y), or a point marker of it sits there."""
    for mark in drawing.marks:
        if mark.point and colour in (mark.fill, mark.stroke) and math.dist(mark.subpaths[0][0], (x, y)) <= TOLERANCE:
            return True
        if mark.stroke != colour or mark.width < 1.5 or mark.clip != rect:
            continue
        for sub in mark.subpaths:
            for (x0, y0), (x1, y1) in zip(sub, sub[1:]):
                if abs(x1 - x0) >= 0.5 and min(x0, x1) - TOLERANCE <= x <= max(x0, x1) + TOLERANCE:
                    at = y0 + (y1 - y0) * (min(max(x, min(x0, x1)), max(x0, x1)) - x0) / (x1 - x0)
                    if abs(at - y) <= TOLERANCE + 0.02 * abs(y1 - y0):
                        return True
            if len(sub) == 1 and math.dist(sub[0], (x, y)) <= TOLERANCE:
                return True
    return False


def _check_texts(drawing: Drawing, variant: str) -> list[str]:
    """Return texts that leave the SVG or would show under 11 px where the rendering is shown narrowest."""
    shown = NARROWEST_SHOWN.get(variant, NARROWEST_SHOWN["wide"])
    problems = []
    for text in drawing.texts:
        if text.size * shown / drawing.width < MIN_TEXT_PX - 0.01:
            problems.append(f"the text {text.content!r} shows at {text.size * shown / drawing.width:.1f} px "
                            f"at {shown:g} px wide")
        width = sum(char_width(c) for c in text.content) * text.size
        left = text.x - {"start": 0.0, "middle": width / 2, "end": width}.get(text.anchor, 0.0)
        if left < -0.5 or left + width > drawing.width + 0.5 or text.y - text.size * 0.8 < -0.5 \
                or text.y + text.size * 0.25 > drawing.height + 0.5:
            problems.append(f"the text {text.content!r} leaves the SVG")
    return problems


def chart_series(chart: Chart, metrics: Mapping[str, MetricSeries]) -> tuple[MetricSeries, ...]:
    """Return the series a chart shows, from the published metrics and the chart's derived series, cut to its months."""
    spec = chart.spec
    derived = {one.id: one for one in chart.derived}
    return tuple(replace(one, points=tuple(p for p in one.points if spec.first_month <= p.month <= spec.last_month))
                 for one in (derived.get(m) or metrics[m] for m in spec.series_ids))


def check_charts(charts: Iterable[Chart], metrics: Mapping[str, MetricSeries],
                 files: Mapping[str, bytes]) -> list[Diagnostic]:
    """Return one located error per chart (wide and narrow rendering) that does not show its data."""
    diagnostics = []
    for chart in charts:
        series = chart_series(chart, metrics)
        for spec in (chart.spec, replace(chart.spec, variant="narrow", path=chart.spec.narrow_path)):
            data = files.get(spec.path)
            if data is None:
                continue
            problems = check_chart(data, spec, series)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                diagnostics.append(Diagnostic(
                    f"the chart {chart.title!r} does not show its data: {problems[0]}{more}", Path(spec.path),
                    hint="every value must be drawn inside the plot; please report this to opensite with the "
                         "chart's data table"))
    return diagnostics

"""Chart kinds: a registry of drawing functions, each of which only draws on the Axes it is given.

A kind gets the series already cut to the chart's months, in the spec's order, and the spec; it
computes nothing about the business (the metrics stage did) and reads no configuration. The
helpers below draw what every kind shares: month ticks, value ticks in the site's locale, the
month in progress (lighter, labelled as an estimate) and the numbered annotation markers.

matplotlib is imported inside the helpers, never at module level: importing this module must
stay free, because a build whose charts are all cached never draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_decimal,
    format_percent,
)

from generator.charts.svg import FOREGROUND, PALETTE
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries, Unit, add_months
from generator.metrics.series import count_months

if TYPE_CHECKING:  # only for annotations: importing matplotlib costs ~1 s, paid only when drawing
    from matplotlib.axes import Axes

DrawFunction = Callable[["Axes", Sequence[MetricSeries], ChartSpec], None]

_KINDS: dict[str, DrawFunction] = {}

ESTIMATE_ALPHA = 0.4
PLOT_TOP = 0.95
LEGEND_ROW_HEIGHT = 0.075
"""Figure fractions: the top of the plot without a legend, and what each legend row above it takes."""
LEGEND_WIDTH = 350.0
LEGEND_CHAR_WIDTH = 6.2
LEGEND_HANDLE_WIDTH = 34.0
"""Points: the legend's width, and an estimate of one entry's width (chars × average glyph + handle)."""
MARKER_LIMIT = 24
"""Lines get point markers up to this many months; beyond, markers only crowd the line."""


def chart_kind(name: str) -> Callable[[DrawFunction], DrawFunction]:
    """Register the decorated function as the drawing of chart kind `name`.

    Args:
        name: the kind a ChartSpec names, e.g. 'stacked_bar'.

    Raises:
        ValueError: `name` is already registered.
    """
    def register(function: DrawFunction) -> DrawFunction:
        if name in _KINDS:
            raise ValueError(f"chart kind {name!r} is already registered (by {_KINDS[name].__name__})")
        _KINDS[name] = function
        return function
    return register


def get_chart_kind(name: str) -> DrawFunction:
    """Return the drawing function of a kind; KeyError lists the registered ones."""
    if name not in _KINDS:
        raise KeyError(f"unknown chart kind {name!r}; registered: {', '.join(sorted(_KINDS))}")
    return _KINDS[name]


def chart_kinds() -> tuple[str, ...]:
    return tuple(_KINDS)


@chart_kind("line")
def draw_line(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec) -> None:
    """Draw one line per series on a shared value axis."""
    for index, one in enumerate(series):
        _line(ax, one, spec, PALETTE[index % len(PALETTE)], _label(spec, index))
    _value_axis(ax, series[0], spec)
    _finish(ax, series, spec)


@chart_kind("dual_line")
def draw_dual_line(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec) -> None:
    """Draw two lines with their own value axes: the first on the left, the second on the right."""
    left, right = series[0], series[1]
    _line(ax, left, spec, PALETTE[0], "← " + _label(spec, 0))
    twin = ax.twinx()
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    _line(twin, right, spec, PALETTE[1], _label(spec, 1) + " →")
    _value_axis(ax, left, spec)
    _value_axis(twin, right, spec)
    _finish(ax, series, spec, extra_axes=twin)


@chart_kind("stacked_bar")
def draw_stacked_bar(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec) -> None:
    """Stack one bar segment per series for each month (`spec.below` under zero) and draw `spec.overlay` as lines."""
    bars = [one for one in series if one.id in spec.metrics]
    months = len(bars[0].points)
    tops, bottoms = [0.0] * months, [0.0] * months
    for index, one in enumerate(bars):
        sign = -1.0 if one.id in spec.below else 1.0
        base = bottoms if sign < 0 else tops
        heights = [sign * v if not math.isnan(v) else 0.0 for v in _floats(one)]
        _bars(ax, base, heights, spec, PALETTE[index % len(PALETTE)], _label(spec, index))
        for i, height in enumerate(heights):
            base[i] += height
    for offset, one in enumerate(s for s in series if s.id in spec.overlay):
        _line(ax, one, spec, FOREGROUND, _label(spec, len(bars) + offset), markers=False)
    ax.axhline(0, color=FOREGROUND, linewidth=0.8)
    _value_axis(ax, bars[0], spec)
    _finish(ax, series, spec)


def _label(spec: ChartSpec, index: int) -> str:
    return spec.labels[index] if index < len(spec.labels) else ""


def _floats(series: MetricSeries) -> list[float]:
    return [float(p.value) if p.value is not None else math.nan for p in series.points]


def _estimate_index(series: MetricSeries, spec: ChartSpec) -> int | None:
    months = [p.month for p in series.points]
    return months.index(spec.in_progress) if spec.in_progress in months else None


def _line(ax: Axes, series: MetricSeries, spec: ChartSpec, colour: str, label: str, markers: bool = True) -> None:
    """Draw a line; the month in progress is a dashed last segment to a hollow point."""
    values = _floats(series)
    estimate = _estimate_index(series, spec)
    closed = values[:estimate] if estimate is not None else values
    marker = "o" if markers and len(values) <= MARKER_LIMIT else None
    ax.plot(range(len(closed)), closed, color=colour, marker=marker, label=label)
    if estimate is not None and estimate > 0 and not math.isnan(values[estimate]):
        ax.plot([estimate - 1, estimate], values[estimate - 1:estimate + 1], color=colour, linestyle=(0, (2, 2)))
        ax.plot([estimate], [values[estimate]], color=colour, marker="o", markerfacecolor="none",
                markersize=6, linestyle="none")


def _bars(ax: Axes, bottoms: Sequence[float], heights: Sequence[float], spec: ChartSpec, colour: str,
          label: str) -> None:
    """Draw a series' bars as one compound path (one SVG element, not one per bar); the estimate lighter."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    estimate = next((i for i, p in enumerate(_months(spec, len(heights))) if p == spec.in_progress), None)
    groups: dict[bool, list[tuple[float, float, float]]] = {False: [], True: []}
    for i, (bottom, height) in enumerate(zip(bottoms, heights, strict=True)):
        if height:
            groups[i == estimate].append((i, bottom, height))
    for is_estimate, rects in groups.items():
        if not rects:
            continue
        vertices, codes = [], []
        for x, bottom, height in rects:
            left, right = x - 0.38, x + 0.38
            vertices += [(left, bottom), (right, bottom), (right, bottom + height), (left, bottom + height), (0, 0)]
            codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
        ax.add_patch(PathPatch(Path(vertices, codes), facecolor=colour, edgecolor="none", linewidth=0,
                               alpha=ESTIMATE_ALPHA if is_estimate else 1.0, label=None if is_estimate else label))
    if not groups[False] and groups[True]:
        ax.plot([], [], color=colour, linewidth=6, label=label)  # a legend entry for a series seen only as an estimate


def _months(spec: ChartSpec, count: int) -> list[date]:
    return [add_months(spec.first_month, i) for i in range(count)]


def _value_axis(ax: Axes, series: MetricSeries, spec: ChartSpec) -> None:
    """Format value ticks in the series' unit and the site's locale; start amounts at zero."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, min_n_ticks=3))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _tick(value, series, spec)))
    low, high = ax.get_ylim()
    if low > 0 and series.unit in (Unit.CURRENCY, Unit.COUNT):
        ax.set_ylim(0, high * 1.06)  # amounts start at zero; keep the top point off the frame


def _tick(value: float, series: MetricSeries, spec: ChartSpec) -> str:
    """Return a value tick: $48.5K, 4.5%, 1.2K, 14, 2.5×."""
    locale = spec.language.replace("-", "_")
    number = Decimal(str(round(float(value), 6)))
    if series.indexed:
        return format_decimal(number, "#,##0", locale=locale)
    if series.unit is Unit.CURRENCY:
        return format_compact_currency(number, spec.currency, locale=locale, fraction_digits=1)
    if series.unit is Unit.RATIO:
        if series.as_percent:
            return format_percent(number, "#,##0.#%", locale=locale)
        return format_decimal(number, "#,##0.#", locale=locale) + "×"
    if series.unit is Unit.COUNT:
        return format_compact_decimal(number, locale=locale, fraction_digits=1)
    return format_decimal(number, "#,##0.#", locale=locale)


def _finish(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec, extra_axes: Any = None) -> None:
    """Draw month ticks, the estimate band, annotation markers and the legend above the plot."""
    count = len(series[0].points)
    ax.set_xlim(-0.6, count - 0.4)
    estimate = _estimate_index(series[0], spec)
    _month_ticks(ax, spec, count, estimate)
    if estimate is not None:
        ax.axvspan(estimate - 0.5, estimate + 0.5, facecolor=FOREGROUND, alpha=0.1, linewidth=0)
    _annotation_markers(ax, spec)
    handles, labels = ax.get_legend_handles_labels()
    if extra_axes is not None:
        more_handles, more_labels = extra_axes.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    rows = 0
    if len(labels) > 1:
        widest = max(len(label) for label in labels) * LEGEND_CHAR_WIDTH + LEGEND_HANDLE_WIDTH
        columns = max(1, min(len(labels), int(LEGEND_WIDTH // widest)))
        rows = -(-len(labels) // columns)
        ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=columns, borderaxespad=0,
                  handletextpad=0.5)
    left, bottom, width, _ = ax.get_position().bounds
    ax.set_position((left, bottom, width, PLOT_TOP - rows * LEGEND_ROW_HEIGHT - bottom))  # twins follow


def _month_ticks(ax: Axes, spec: ChartSpec, count: int, estimate: int | None) -> None:
    """Label at most about six months (short name, the year under January and the first tick); the month in
    progress always gets a tick, labelled as an estimate."""
    months = _months(spec, count)
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if count / s <= 6)
    first = next((i for i, m in enumerate(months) if (m.month - 1) % step == 0), 0) if step in (2, 3, 6, 12) else 0
    positions = list(range(first, count, step))
    if estimate is not None:
        positions = [p for p in positions if abs(p - estimate) >= max(2, step)] + [estimate]
    locale = spec.language.replace("-", "_")
    labels = []
    for n, i in enumerate(positions):
        month = months[i]
        name = format_skeleton("MMM", month, locale=locale)
        if i == estimate:
            labels.append(f"{name}\n{spec.estimate_label}")
        else:
            labels.append(f"{name}\n{month.year}" if n == 0 or month.month <= step else name)
    ax.set_xticks(positions, labels)


def _annotation_markers(ax: Axes, spec: ChartSpec) -> None:
    """Draw a dotted rule and a circled number at each annotated month (several in one month share it)."""
    months = _months(spec, count_months(spec.first_month, spec.last_month) + 1)
    by_month: dict[int, list[int]] = {}
    for annotation in spec.annotations:
        if annotation.month in months:
            by_month.setdefault(months.index(annotation.month), []).append(annotation.number)
    for x, numbers in by_month.items():
        ax.axvline(x, color=FOREGROUND, linewidth=0.9, linestyle=(0, (1, 2)))
        ax.annotate(",".join(str(n) for n in numbers), xy=(x, 0.97), xycoords=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=9,
                    bbox={"boxstyle": "circle,pad=0.25", "facecolor": "none", "edgecolor": FOREGROUND,
                          "linewidth": 0.9})

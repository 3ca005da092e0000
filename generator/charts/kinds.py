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
from typing import TYPE_CHECKING, Any

from generator.charts.frame import frame_chart, months_of
from generator.charts.svg import FOREGROUND, PALETTE
from generator.charts.ticks import format_tick, format_ticks
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries
from generator.registry.charts import ChartKind

if TYPE_CHECKING:  # only for annotations: importing matplotlib costs ~1 s, paid only when drawing
    from matplotlib.axes import Axes

DrawFunction = Callable[["Axes", Sequence[MetricSeries], ChartSpec], None]

_KINDS: dict[ChartKind, DrawFunction] = {}

ESTIMATE_ALPHA = 0.4
MARKER_LIMIT = 24
"""Lines get point markers up to this many months; beyond, markers only crowd the line."""


def chart_kind(name: ChartKind) -> Callable[[DrawFunction], DrawFunction]:
    """Register the decorated function as the drawing of chart kind `name`.

    Args:
        name: a ChartKind (generator/registry/charts.py), e.g. ChartKind.STACKED_BAR; a plain string is
            refused, so a misspelt kind fails where it is registered.

    Raises:
        TypeError: `name` is not a ChartKind.
        ValueError: `name` is already registered.
    """
    if not isinstance(name, ChartKind):
        raise TypeError(f"chart kind {name!r} is not a ChartKind; add it to generator/registry/charts.py")

    def register(function: DrawFunction) -> DrawFunction:
        if name in _KINDS:
            raise ValueError(f"chart kind '{name}' is already registered (by {_KINDS[name].__name__})")
        _KINDS[name] = function
        return function
    return register


def get_chart_kind(name: ChartKind) -> DrawFunction:
    """Return the drawing function of a kind; KeyError lists the registered ones."""
    if name not in _KINDS:
        raise KeyError(f"unknown chart kind {name!r}; registered: {', '.join(sorted(map(str, _KINDS)))}")
    return _KINDS[name]


def chart_kinds() -> tuple[ChartKind, ...]:
    """Return the kinds that have a drawing (every ChartKind: a test checks)."""
    return tuple(_KINDS)


@chart_kind(ChartKind.LINE)
def draw_line(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec) -> None:
    """Draw one line per series on a shared value axis."""
    for index, one in enumerate(series):
        _line(ax, one, spec, PALETTE[index % len(PALETTE)], _label(spec, index))
    _value_axis(ax, series[0], spec)
    _finish(ax, series, spec)


@chart_kind(ChartKind.DUAL_LINE)
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


@chart_kind(ChartKind.STACKED_BAR)
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
    cap = spec.cap_of(series.id)
    if cap is not None:  # above the cap: drawn at the top of the axis with an open triangle, never as a spike
        over = [i for i, v in enumerate(values) if v > cap]
        values = [min(v, cap) for v in values]
        ax.plot(over, [cap] * len(over), color=colour, marker="^", markerfacecolor="none", markersize=7,
                linestyle="none", clip_on=False, zorder=3)
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

    estimate = next((i for i, p in enumerate(months_of(spec, len(heights))) if p == spec.in_progress), None)
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


def _value_axis(ax: Axes, series: MetricSeries, spec: ChartSpec) -> None:
    """Format value ticks with their unit in the site's locale; amounts, ratios and months start at zero.

    A second axis that does not start at zero exaggerates every swing (issue 14): only an axis whose data
    goes below zero (net burn in a profitable month) leaves zero inside; a capped metric ends at its cap.
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    low, high = ax.get_ylim()
    cap = spec.cap_of(series.id)
    if cap is not None:
        ax.set_ylim(0, cap * 1.04)
        ax.yaxis.set_major_locator(FixedLocator([cap * i / 3 for i in range(4)]))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, min_n_ticks=3))
        if low > 0 and not series.indexed:
            ax.set_ylim(0, high * 1.06)  # keep the top point off the frame
        elif low < 0 and not series.indexed and _never_negative(series):
            ax.set_ylim(0, high)  # all zeros: matplotlib centres them, showing a −3% no value comes near
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda value, _: format_tick(value, series, spec.language, spec.currency, spec.months_tick)))
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    labels = format_ticks(ticks, series, spec.language, spec.currency, spec.months_tick)
    if cap is not None:
        labels[-1] = "≥" + labels[-1]
    ax.set_yticks(ticks, labels)


def _never_negative(series: MetricSeries) -> bool:
    return all(p.value is None or p.value >= 0 for p in series.points)


def _finish(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec, extra_axes: Any = None) -> None:
    frame_chart(ax, series, spec, _estimate_index(series[0], spec), extra_axes)

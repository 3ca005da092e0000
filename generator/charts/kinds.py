"""Chart kinds: a registry of drawing functions, each of which only draws on the Axes it is given.

A kind gets the series already cut to the chart's months, in the spec's order, and the spec; it
computes nothing about the business (the metrics stage did) and reads no configuration. The
helpers below draw what every kind shares: lines and bars in their colour slots, the value axis in
the site's locale, the month in progress (lighter, labelled as an estimate); `frame_chart` adds the
months, the legend and the annotation markers.

A value axis always covers every value drawn on it and zero (issue 19): the range is taken from all
the stacked totals and lines, never from one series, so a bar below zero cannot fall outside the plot.

matplotlib is imported inside the helpers, never at module level: importing this module must
stay free, because a build whose charts are all cached never draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from generator.charts.frame import frame_chart, months_of
from generator.charts.svg import PALETTE
from generator.charts.ticks import format_tick, format_ticks
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries, Unit
from generator.registry.charts import ChartKind

if TYPE_CHECKING:  # only for annotations: importing matplotlib costs ~1 s, paid only when drawing
    from matplotlib.axes import Axes

DrawFunction = Callable[["Axes", Sequence[MetricSeries], ChartSpec], None]

_KINDS: dict[ChartKind, DrawFunction] = {}

ESTIMATE_ALPHA = 0.4
MARKER_LIMIT = 24
"""Lines get point markers up to this many months; beyond, markers only crowd the line (a point whose
neighbours have no value keeps its marker: a line needs two points to be seen)."""
HEADROOM = 1.06
"""The value axis reaches this far past the largest value, so the top point stays off the frame."""
BAR_HALF_WIDTH = 0.38


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
    """Draw one line per series on one value axis (they share a unit; a cap of one caps the axis for all)."""
    cap = min((c for c in (spec.cap_of(one.id) for one in series) if c is not None), default=None)
    for index, one in enumerate(series):
        _line(ax, one, spec, _colour(spec, index), _label(spec, index), cap=cap)
    _value_axis(ax, series[0], spec, [v for one in series for v in _drawn(one, cap)], cap)
    frame_chart([ax], series, spec, _estimate_index(series[0], spec))


@chart_kind(ChartKind.PANELS)
def draw_panels(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec) -> None:
    """Draw each series in its own panel, one above the other, on the same months: one scale per panel.

    Two series in different units on one plot (a second y-axis) make lines cross where nothing happened;
    small multiples keep each on its own scale (issue 19). The frame places the panels.
    """
    panels = [ax] + [ax.figure.add_axes(ax.get_position().bounds) for _ in series[1:]]
    for index, (panel, one) in enumerate(zip(panels, series, strict=True)):
        cap = spec.cap_of(one.id)
        _line(panel, one, spec, _colour(spec, index), _label(spec, index), cap=cap)
        _value_axis(panel, one, spec, _drawn(one, cap), cap)
    frame_chart(panels, series, spec, _estimate_index(series[0], spec))


@chart_kind(ChartKind.STACKED_BAR)
def draw_stacked_bar(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec) -> None:
    """Stack one bar segment per series for each month (`spec.below` under zero) and draw `spec.overlay` as lines."""
    bars = [one for one in series if one.id in spec.metrics]
    months = len(bars[0].points)
    tops, bottoms = [0.0] * months, [0.0] * months
    for index, one in enumerate(bars):
        sign = -1.0 if one.id in spec.below else 1.0
        heights = [sign * v if not math.isnan(v) else 0.0 for v in _floats(one)]
        # a negative amount of a series stacked above zero (a refund month) hangs below the zero line
        bases = [bottoms[i] if h < 0 else tops[i] for i, h in enumerate(heights)]
        _bars(ax, bases, heights, spec, _colour(spec, index), _label(spec, index))
        for i, height in enumerate(heights):
            if height < 0:
                bottoms[i] += height
            else:
                tops[i] += height
    lines = [one for one in series if one.id in spec.overlay]
    for offset, one in enumerate(lines):
        index = len(bars) + offset
        _line(ax, one, spec, _colour(spec, index), _label(spec, index), markers=False)
    ax.axhline(0, color=PALETTE[-1], linewidth=0.8)
    _value_axis(ax, bars[0], spec, [*tops, *bottoms, *(v for one in lines for v in _drawn(one, None))])
    frame_chart([ax], series, spec, _estimate_index(series[0], spec))


def _label(spec: ChartSpec, index: int) -> str:
    return spec.labels[index] if index < len(spec.labels) else ""


def _colour(spec: ChartSpec, index: int) -> str:
    return PALETTE[spec.colour_of(index)]


def _floats(series: MetricSeries) -> list[float]:
    return [float(p.value) if p.value is not None else math.nan for p in series.points]


def _drawn(series: MetricSeries, cap: float | None) -> list[float]:
    """Return the values as the line draws them: the defined ones, those above a cap at the cap."""
    return [min(v, cap) if cap is not None else v for v in _floats(series) if not math.isnan(v)]


def _estimate_index(series: MetricSeries, spec: ChartSpec) -> int | None:
    months = [p.month for p in series.points]
    return months.index(spec.in_progress) if spec.in_progress in months else None


def _line(ax: Axes, series: MetricSeries, spec: ChartSpec, colour: str, label: str, markers: bool = True,
          cap: float | None = None) -> None:
    """Draw a line; the month in progress is a dashed last segment to a hollow point; above `cap`, at the cap."""
    values = _floats(series)
    if cap is not None:  # above the cap: drawn at the top of the axis with an open triangle, never as a spike
        over = [i for i, v in enumerate(values) if v > cap]
        values = [min(v, cap) for v in values]
        ax.plot(over, [cap] * len(over), color=colour, marker="^", markerfacecolor="none", markersize=7,
                linestyle="none", clip_on=False, zorder=3)
    estimate = _estimate_index(series, spec)
    closed = values[:estimate] if estimate is not None else values
    marker = "o" if markers and len(values) <= MARKER_LIMIT else None
    ax.plot(range(len(closed)), closed, color=colour, marker=marker, label=label)
    alone = [i for i in _isolated(closed) if marker is None]
    if alone:
        ax.plot(alone, [closed[i] for i in alone], color=colour, marker="o", linestyle="none")
    if estimate is not None and estimate > 0 and not math.isnan(values[estimate]):
        ax.plot([estimate - 1, estimate], values[estimate - 1:estimate + 1], color=colour, linestyle=(0, (2, 2)))
    if estimate is not None and not math.isnan(values[estimate]):
        ax.plot([estimate], [values[estimate]], color=colour, marker="o", markerfacecolor="none",
                markersize=6, linestyle="none")


def _isolated(values: Sequence[float]) -> list[int]:
    """Return the indexes of values whose neighbours both have none: no segment would show them."""
    def defined(i: int) -> bool:
        return 0 <= i < len(values) and not math.isnan(values[i])
    return [i for i in range(len(values)) if defined(i) and not defined(i - 1) and not defined(i + 1)]


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
            left, right = x - BAR_HALF_WIDTH, x + BAR_HALF_WIDTH
            vertices += [(left, bottom), (right, bottom), (right, bottom + height), (left, bottom + height), (0, 0)]
            codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
        ax.add_patch(PathPatch(Path(vertices, codes), facecolor=colour, edgecolor="none", linewidth=0,
                               alpha=ESTIMATE_ALPHA if is_estimate else 1.0, label=None if is_estimate else label))
    if not groups[False] and groups[True]:
        ax.plot([], [], color=colour, linewidth=6, label=label)  # a legend entry for a series seen only as an estimate


def value_range(values: Iterable[float], indexed: bool = False) -> tuple[float, float]:
    """Return the value axis's limits: from min(0, values) to max(0, values), with room above and below.

    An index (relative disclosure) has no meaningful zero: its axis spans its values. A chart with no
    value other than zero still gets an axis that shows zero.
    """
    finite = [v for v in values if not math.isnan(v)]
    if indexed and finite:
        low, high = min(finite), max(finite)
        spread = (high - low) or abs(high) or 1.0
        return low - spread * (HEADROOM - 1), high + spread * (HEADROOM - 1)
    low, high = min([0.0, *finite]), max([0.0, *finite])
    if low == high:
        return 0.0, 1.0
    return low * HEADROOM, high * HEADROOM


def _to_ticks(ticks: Sequence[float], values: Sequence[float], low: float, high: float) -> tuple[float, float]:
    """Return limits that end at a labelled tick beyond the data, so the axis says how far it reaches (a headcount of
    5 under a top label of 4 reads as 4); an index's axis stays at its values."""
    finite = [v for v in values if not math.isnan(v)]
    if len(ticks) < 2 or not finite:
        return low, high
    step = ticks[1] - ticks[0]
    top = next((t for t in ticks if t >= max(finite) - 1e-12), max(finite))
    bottom = next((t for t in reversed(ticks) if t <= min(finite) + 1e-12), min(finite))
    return (min(low, bottom - (step * 0.04 if bottom < 0 else 0)), max(top + step * 0.04, high) if top > 0 else high)


def _value_axis(ax: Axes, series: MetricSeries, spec: ChartSpec, values: Sequence[float],
                cap: float | None = None) -> None:
    """Set the value axis to cover `values` and zero; format its ticks with their unit in the site's locale.

    A capped axis ends at its cap (larger values are drawn there, marked): runway near break-even.
    """
    from matplotlib.ticker import FixedLocator, MaxNLocator

    low, high = value_range(values, series.indexed)
    if (low, high) == (0.0, 1.0) and series.unit is Unit.RATIO:
        high = 0.1  # a rate that is 0 every month (no one left): 0% to 10%, not to 100%
    if cap is not None:
        ax.set_ylim(min(low, 0.0), cap * 1.04)
        step = MaxNLocator(nbins=4).tick_values(min(low, 0.0), cap)
        step = max(step[1] - step[0], cap / 3)
        below = [cap - step * i for i in range(1, 1 + int((cap - min(low, 0.0)) / step + 1e-9))]
        ax.yaxis.set_major_locator(FixedLocator([*reversed(below), cap]))
    else:
        locator = MaxNLocator(nbins=4, min_n_ticks=3, integer=series.unit is Unit.COUNT and not series.indexed)
        chosen = locator.tick_values(low, high)
        low, high = _to_ticks(chosen, values, low, high)
        ax.set_ylim(low, high)  # the ticks stay those chosen for the data: the axis ends at one of them
        ax.yaxis.set_major_locator(FixedLocator([t for t in chosen if low - 1e-9 <= t <= high + 1e-9]))
    bottom, top = ax.get_ylim()
    ticks = [t for t in ax.get_yticks() if bottom - 1e-9 <= t <= top + 1e-9]
    labels = format_ticks(ticks, series, spec.language, spec.currency, spec.months_tick)
    if cap is not None:
        labels[-1] = "≥" + labels[-1]
    ax.set_yticks(ticks, labels)
    ax.set_ylim(bottom, top)


__all__ = ["chart_kind", "chart_kinds", "format_tick", "get_chart_kind", "value_range"]

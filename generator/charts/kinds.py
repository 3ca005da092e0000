"""Chart kinds: a registry of drawing functions, each of which describes its plot(s) for the series it is given.

A kind gets the series already cut to the chart's months, in the spec's order, and the spec; it
computes nothing about the business (the metrics stage did) and reads no configuration. It returns
Plots (charts/plot.py): marks in data coordinates, legend entries and the value axis. The helpers
below describe what every kind shares: lines and bars in their colour slots, the value axis in the
site's locale, the month in progress (lighter, labelled as an estimate); the frame (charts/frame.py)
then adds the months, the legend and the annotation markers and places everything.

A value axis always covers every value drawn on it and zero (issue 19): the range is taken from all
the stacked totals and lines, never from one series, so a bar below zero cannot fall outside the plot.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from generator.charts.frame import months_of
from generator.charts.plot import Bars, LegendEntry, Line, Plot, Rule, ValueAxis
from generator.charts.svg import PALETTE
from generator.charts.ticks import format_tick, format_ticks
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries, Unit
from generator.registry.charts import ChartKind

DrawFunction = Callable[[Sequence[MetricSeries], ChartSpec], list[Plot]]

_KINDS: dict[ChartKind, DrawFunction] = {}

ESTIMATE_ALPHA = 0.4
MARKER_LIMIT = 24
"""Lines get point markers up to this many months; beyond, markers only crowd the line (a point whose
neighbours have no value keeps its marker: a line needs two points to be seen)."""
HEADROOM = 1.06
"""The value axis reaches this far past the largest value, so the top point stays off the frame."""


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
def draw_line(series: Sequence[MetricSeries], spec: ChartSpec) -> list[Plot]:
    """One line per series on one value axis (they share a unit; a cap of one caps the axis for all)."""
    cap = min((c for c in (spec.cap_of(one.id) for one in series) if c is not None), default=None)
    plot = Plot(len(series[0].points))
    for index, one in enumerate(series):
        _line(plot, one, spec, _colour(spec, index), _label(spec, index), cap=cap)
    plot.axis = value_axis(series[0], spec, [v for one in series for v in _drawn(one, cap)], cap)
    return [plot]


@chart_kind(ChartKind.PANELS)
def draw_panels(series: Sequence[MetricSeries], spec: ChartSpec) -> list[Plot]:
    """Each series in its own panel, one above the other, on the same months: one scale per panel.

    Two series in different units on one plot (a second y-axis) make lines cross where nothing happened;
    small multiples keep each on its own scale (issue 19). The frame places the panels.
    """
    panels = []
    for index, one in enumerate(series):
        cap = spec.cap_of(one.id)
        panel = Plot(len(one.points))
        _line(panel, one, spec, _colour(spec, index), _label(spec, index), cap=cap)
        panel.axis = value_axis(one, spec, _drawn(one, cap), cap)
        panels.append(panel)
    return panels


@chart_kind(ChartKind.STACKED_BAR)
def draw_stacked_bar(series: Sequence[MetricSeries], spec: ChartSpec) -> list[Plot]:
    """Stack one bar segment per series for each month (`spec.below` under zero) and draw `spec.overlay` as lines."""
    bars = [one for one in series if one.id in spec.metrics]
    months = len(bars[0].points)
    plot = Plot(months)
    tops, bottoms = [0.0] * months, [0.0] * months
    for index, one in enumerate(bars):
        sign = -1.0 if one.id in spec.below else 1.0
        heights = [sign * v if not math.isnan(v) else 0.0 for v in _floats(one)]
        # a negative amount of a series stacked above zero (a refund month) hangs below the zero line
        bases = [bottoms[i] if h < 0 else tops[i] for i, h in enumerate(heights)]
        _bars(plot, bases, heights, spec, _colour(spec, index), _label(spec, index))
        for i, height in enumerate(heights):
            if height < 0:
                bottoms[i] += height
            else:
                tops[i] += height
    lines = [one for one in series if one.id in spec.overlay]
    for offset, one in enumerate(lines):
        index = len(bars) + offset
        _line(plot, one, spec, _colour(spec, index), _label(spec, index), markers=False)
    plot.add(Rule(0.0, PALETTE[-1], 0.8))
    plot.axis = value_axis(bars[0], spec, [*tops, *bottoms, *(v for one in lines for v in _drawn(one, None))])
    return [plot]


def _label(spec: ChartSpec, index: int) -> str:
    return spec.labels[index] if index < len(spec.labels) else ""


def _colour(spec: ChartSpec, index: int) -> str:
    return PALETTE[spec.colour_of(index)]


def _floats(series: MetricSeries) -> list[float]:
    return [float(p.value) if p.value is not None else math.nan for p in series.points]


def _drawn(series: MetricSeries, cap: float | None) -> list[float]:
    """Return the values as the line draws them: the defined ones, those above a cap at the cap."""
    return [min(v, cap) if cap is not None else v for v in _floats(series) if not math.isnan(v)]


def estimate_index(series: MetricSeries, spec: ChartSpec) -> int | None:
    months = [p.month for p in series.points]
    return months.index(spec.in_progress) if spec.in_progress in months else None


def _line(plot: Plot, series: MetricSeries, spec: ChartSpec, colour: str, label: str, markers: bool = True,
          cap: float | None = None) -> None:
    """Draw a line; the month in progress is a dashed last segment to a hollow point; above `cap`, at the cap."""
    values = _floats(series)
    if cap is not None:  # above the cap: drawn at the top of the axis with an open triangle, never as a spike
        over = tuple(float(i) for i, v in enumerate(values) if v > cap)
        values = [min(v, cap) for v in values]
        plot.add(Line(over, (cap,) * len(over), colour, marker="^", marker_size=7, hollow=True, joined=False,
                      clipped=False, zorder=3))
    estimate = estimate_index(series, spec)
    closed = values[:estimate] if estimate is not None else values
    marker = "o" if markers and len(values) <= MARKER_LIMIT else None
    plot.add(Line(tuple(map(float, range(len(closed)))), tuple(closed), colour, marker=marker),
             LegendEntry(label, colour, marker=marker))
    alone = [i for i in _isolated(closed) if marker is None]
    if alone:
        plot.add(Line(tuple(map(float, alone)), tuple(closed[i] for i in alone), colour, marker="o", joined=False))
    if estimate is not None and estimate > 0 and not math.isnan(values[estimate]):
        plot.add(Line((estimate - 1.0, float(estimate)), tuple(values[estimate - 1:estimate + 1]), colour,
                      dashes=(2.0, 2.0)))
    if estimate is not None and not math.isnan(values[estimate]):
        plot.add(Line((float(estimate),), (values[estimate],), colour, marker="o", marker_size=6, hollow=True,
                      joined=False))


def _isolated(values: Sequence[float]) -> list[int]:
    """Return the indexes of values whose neighbours both have none: no segment would show them."""
    def defined(i: int) -> bool:
        return 0 <= i < len(values) and not math.isnan(values[i])
    return [i for i in range(len(values)) if defined(i) and not defined(i - 1) and not defined(i + 1)]


def _bars(plot: Plot, bottoms: Sequence[float], heights: Sequence[float], spec: ChartSpec, colour: str,
          label: str) -> None:
    """Draw a series' bars as one compound path (one SVG element, not one per bar); the estimate lighter."""
    estimate = next((i for i, p in enumerate(months_of(spec, len(heights))) if p == spec.in_progress), None)
    groups: dict[bool, list[tuple[float, float, float]]] = {False: [], True: []}
    for i, (bottom, height) in enumerate(zip(bottoms, heights, strict=True)):
        if height:
            groups[i == estimate].append((float(i), bottom, height))
    if groups[False]:
        plot.add(Bars(tuple(groups[False]), colour), LegendEntry(label, colour, square=True))
    if groups[True]:  # a series seen only as an estimate still gets its legend entry
        plot.add(Bars(tuple(groups[True]), colour, ESTIMATE_ALPHA), LegendEntry(label, colour, square=True))


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


def value_axis(series: MetricSeries, spec: ChartSpec, values: Sequence[float],
               cap: float | None = None) -> ValueAxis:
    """Return a value axis that covers `values` and zero, its ticks labelled with their unit in the site's locale.

    A capped axis ends at its cap (larger values are drawn there, marked): runway near break-even.
    """
    from matplotlib.ticker import MaxNLocator  # its choice of round ticks; nothing is drawn with it

    low, high = value_range(values, series.indexed)
    if (low, high) == (0.0, 1.0) and series.unit is Unit.RATIO:
        high = 0.1  # a rate that is 0 every month (no one left): 0% to 10%, not to 100%
    if cap is not None:
        low, high = min(low, 0.0), cap * 1.04
        step = MaxNLocator(nbins=4).tick_values(low, cap)
        step = max(step[1] - step[0], cap / 3)
        ticks = [*reversed([cap - step * i for i in range(1, 1 + int((cap - low) / step + 1e-9))]), cap]
    else:
        locator = MaxNLocator(nbins=4, min_n_ticks=3, integer=series.unit is Unit.COUNT and not series.indexed)
        chosen = [float(t) for t in locator.tick_values(low, high)]
        low, high = _to_ticks(chosen, values, low, high)  # the ticks stay those chosen: the axis ends at one of them
        ticks = chosen
    ticks = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
    labels = format_ticks(ticks, series, spec.language, spec.currency, spec.months_tick)
    if cap is not None:
        labels[-1] = "≥" + labels[-1]
    return ValueAxis(low, high, tuple(ticks), tuple(labels))


__all__ = ["chart_kind", "chart_kinds", "estimate_index", "format_tick", "get_chart_kind", "value_axis",
           "value_range"]

"""A plot as a chart kind describes it: marks in data coordinates, a value axis, legend entries — no drawing yet.

A kind says *what* to show (these bars at these months, this line, the axis from $0 to $150K with these
labels); the frame decides *where* (charts/frame.py: margins, legend rows, markers, panels), and only then
is anything drawn (charts/canvas.py, on a matplotlib Figure without Axes). Keeping the description apart
makes it plain data that tests can read — a bar's bottom and height, an axis's limits — and lets a chart be
drawn without matplotlib's Axes, whose tick machinery cost most of a chart's time (issue 24).

x is the month's index (0 for the chart's first month; each month the middle of an equal slot from
x - 0.5 to x + 0.5); y is the value on the plot's axis. Nothing is cut to the axis here: a value outside it
is drawn outside the plot and clipped there, so the chart checker can see that it is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """A polyline (NaN breaks it) or, with `joined` False, point markers only."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    colour: str
    marker: str | None = None
    """"o" (a dot) or "^" (an open triangle: a value above the axis's cap)."""
    marker_size: float = 4.0
    hollow: bool = False
    dashes: tuple[float, ...] | None = None
    joined: bool = True
    clipped: bool = True
    zorder: float = 2.0


BAR_HALF_WIDTH = 0.38
"""A bar reaches this far either side of its month's centre (of a slot 1 wide): a gap between neighbours."""


@dataclass(frozen=True)
class Bars:
    """Rectangles of one colour, as one compound path: (x centre, bottom, height) each, BAR_HALF_WIDTH wide."""

    rects: tuple[tuple[float, float, float], ...]
    colour: str
    alpha: float = 1.0


@dataclass(frozen=True)
class Rule:
    """A line across the whole plot at one value (horizontal) or one month (vertical)."""

    at: float
    colour: str
    width: float
    horizontal: bool = True
    dotted: bool = False
    zorder: float = 2.0


Mark = Line | Bars | Rule


@dataclass(frozen=True)
class LegendEntry:
    """What the legend shows for a series: its label and a swatch (a line, with its marker, or a square)."""

    label: str
    colour: str
    square: bool = False
    marker: str | None = None


@dataclass(frozen=True)
class ValueAxis:
    """The value axis: its limits and the labelled ticks (values and texts, bottom first)."""

    low: float
    high: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]


@dataclass
class Plot:
    """One plot of a chart: `count` months, the marks in drawing order, the legend, the value axis."""

    count: int
    marks: list[Mark] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    axis: ValueAxis = ValueAxis(0.0, 1.0, (), ())

    @property
    def xlim(self) -> tuple[float, float]:
        """Each month is the middle of an equal slot."""
        return -0.5, self.count - 0.5

    def add(self, mark: Mark, entry: LegendEntry | None = None) -> None:
        """Add a mark, and its series' legend entry when it is the first mark to name one."""
        self.marks.append(mark)
        if entry is not None and entry.label and entry.label not in {e.label for e in self.legend}:
            self.legend.append(entry)

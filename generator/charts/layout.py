"""Where a chart's parts go: margins that fit the tick labels, the legend rows, the annotation markers.

matplotlib measures text with its bundled DejaVu Sans, which has no Chinese glyphs, while readers'
browsers draw the labels in their own fonts. So nothing here trusts matplotlib's measure: every width
is estimated generously from the characters (a Chinese character is a full em wide), the plot is
placed so that the widest tick label still fits inside the SVG, and the legend and the markers are laid
out by hand from the same estimate. All sizes are in points, the SVG's own units (72 to the inch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.textwidth import text_width

FONT_SIZE = 11.0
"""Every text of a chart, in points: at least 11 px wherever the chart is shown at its drawn width or wider."""
LINE_HEIGHT = 1.25 * FONT_SIZE
TICK_PAD = 6.0
EDGE = 4.0
"""Points kept free between any text and the edge of the SVG."""
LEGEND_HANDLE = 16.0
LEGEND_GAP = 5.0
LEGEND_SPACING = 14.0
MARKER_SIZE = 2.0 * FONT_SIZE
MARKER_GAP = 3.0

@dataclass(frozen=True)
class Placed:
    """Something laid out on one row: where it starts (points from the left of its band) and its row."""

    x: float
    row: int
    width: float


def flow(widths: Sequence[float], available: float, spacing: float = LEGEND_SPACING) -> list[Placed]:
    """Lay items left to right, starting a new row when the next would not fit in `available` points."""
    placed: list[Placed] = []
    x, row = 0.0, 0
    for width in widths:
        if x > 0 and x + width > available:
            x, row = 0.0, row + 1
        placed.append(Placed(x, row, width))
        x += width + spacing
    return placed


def stack(centres: Sequence[float], widths: Sequence[float], gap: float = MARKER_GAP) -> list[int]:
    """Return a row for each item centred at `centres` so that no two items on one row overlap.

    Items are taken left to right; each goes on the lowest row whose last item ends at least `gap`
    before it begins (the markers of neighbouring months step up instead of covering each other).
    """
    order = sorted(range(len(centres)), key=lambda i: centres[i])
    row_ends: list[float] = []
    rows = [0] * len(centres)
    for i in order:
        start = centres[i] - widths[i] / 2
        row = next((r for r, end in enumerate(row_ends) if end + gap <= start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = centres[i] + widths[i] / 2
        rows[i] = row
    return rows


@dataclass(frozen=True)
class Margins:
    """Space around the plot, in points."""

    left: float
    right: float
    top: float
    bottom: float


def plot_margins(left_labels: Sequence[str], right_labels: Sequence[str], x_labels: Sequence[str],
                 top: float) -> Margins:
    """Return margins in which every tick label fits: the widest y label, and half of the first and last x label."""
    first_x = text_width(x_labels[0]) / 2 if x_labels else 0.0
    last_x = text_width(x_labels[-1]) / 2 if x_labels else 0.0
    left = max(max((text_width(t) for t in left_labels), default=0.0) + TICK_PAD, first_x) + EDGE
    right_axis = max((text_width(t) for t in right_labels), default=0.0) + TICK_PAD if right_labels else 0.0
    right = max(right_axis, last_x, 8.0) + EDGE
    lines = max((label.count("\n") + 1 for label in x_labels), default=1)
    return Margins(left, right, top, lines * LINE_HEIGHT + TICK_PAD + EDGE)

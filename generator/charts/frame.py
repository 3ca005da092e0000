"""The frame around a chart's data: month ticks, the estimate band, the legend, annotation markers, margins.

Every chart kind ends with `frame_chart`. The plot is placed by hand (charts.layout): the legend rows
and a band of annotation markers sit above the plot, so a marker never covers a data point, and markers
of neighbouring months step up a row instead of covering each other; the margins fit the widest tick
label of each axis, in any language.

matplotlib is imported inside the functions: importing this module must stay free.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton

from generator.charts.layout import (
    EDGE,
    FONT_SIZE,
    LEGEND_GAP,
    LEGEND_HANDLE,
    LINE_HEIGHT,
    MARKER_SIZE,
    flow,
    plot_margins,
    stack,
)
from generator.charts.svg import FOREGROUND
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries, add_months
from generator.metrics.series import count_months
from generator.textwidth import text_width

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_MONTH_TICKS = {"wide": 6, "narrow": 4}
"""How many month labels fit under a chart of each rendering."""


def months_of(spec: ChartSpec, count: int) -> list[date]:
    return [add_months(spec.first_month, i) for i in range(count)]


def frame_chart(ax: Axes, series: Sequence[MetricSeries], spec: ChartSpec, estimate: int | None,
                extra_axes: Any = None) -> None:
    """Label the months, shade the estimate, lay out legend, markers and plot so nothing overlaps or clips."""
    fig = ax.figure
    count = len(series[0].points)
    ax.set_xlim(-0.6, count - 0.4)
    x_labels = _month_ticks(ax, spec, count, estimate)
    if estimate is not None:
        ax.axvspan(estimate - 0.5, estimate + 0.5, facecolor=FOREGROUND, alpha=0.1, linewidth=0)
    width, height = (v * 72 for v in fig.get_size_inches())
    left_labels = _tick_labels(ax)
    right_labels = _tick_labels(extra_axes) if extra_axes is not None else []
    draft = plot_margins(left_labels, right_labels, x_labels, 0.0)
    plot_width = width - draft.left - draft.right
    entries = _legend_entries(ax, extra_axes)
    placed = flow([LEGEND_HANDLE + LEGEND_GAP + text_width(label) for label, _ in entries], width - 2 * EDGE)
    legend_height = (placed[-1].row + 1) * LINE_HEIGHT + 4 if len(entries) > 1 else 0.0
    markers = _markers(spec, count, draft.left, plot_width, ax.get_xlim())
    marker_rows = max((row for *_, row in markers), default=-1) + 1
    top = EDGE + legend_height + marker_rows * (MARKER_SIZE + 2) + (4 if markers else 6)
    box = (draft.left / width, draft.bottom / height, plot_width / width, (height - top - draft.bottom) / height)
    for axes in (ax, extra_axes):
        if axes is not None:
            axes.set_position(box)
    if len(entries) > 1:
        _draw_legend(fig, entries, placed, width, height)
    _draw_markers(fig, ax, markers, width, height, legend_height)


def _tick_labels(ax: Any) -> list[str]:
    """Return the y tick labels the formatter gives for the ticks inside the view."""
    low, high = sorted(ax.get_ylim())
    ticks = [t for t in ax.get_yticks() if low - 1e-9 <= t <= high + 1e-9]
    formatter = ax.yaxis.get_major_formatter()
    formatter.set_locs(ticks)
    return [formatter(t, i) for i, t in enumerate(ticks)]


def _month_ticks(ax: Axes, spec: ChartSpec, count: int, estimate: int | None) -> list[str]:
    """Label a few months (short name, the year under January and the first tick); the month in progress
    always gets a tick, labelled as an estimate. Return the labels."""
    most = MAX_MONTH_TICKS.get(spec.variant, 6)
    if spec.x_labels:  # not months: every few positions, labelled as the spec says (a cohort's age)
        step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 60) if count / s <= most + 2)
        positions = list(range(0, count, step))
        ax.set_xticks(positions, [spec.x_labels[i] for i in positions])
        return [spec.x_labels[i] for i in positions]
    months = months_of(spec, count)
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 60) if count / s <= most)
    aligned = step in (2, 3, 4, 6, 12)
    first = next((i for i, m in enumerate(months) if (m.month - 1) % step == 0), 0) if aligned else 0
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
    return labels


def _legend_entries(ax: Any, extra_axes: Any) -> list[tuple[str, Any]]:
    handles, labels = ax.get_legend_handles_labels()
    if extra_axes is not None:
        more_handles, more_labels = extra_axes.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    return [(label, handle) for label, handle in zip(labels, handles, strict=True) if label]


def _draw_legend(fig: Any, entries: Sequence[tuple[str, Any]], placed: Sequence[Any], width: float,
                 height: float) -> None:
    """Draw each entry's swatch (a line, or a square for bars) and label, in rows above the plot."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    for (label, handle), spot in zip(entries, placed, strict=True):
        x = EDGE + spot.x
        y = height - EDGE - (spot.row + 0.5) * LINE_HEIGHT
        if isinstance(handle, Line2D) and handle.get_linewidth() < 4:
            fig.add_artist(Line2D([x / width, (x + LEGEND_HANDLE) / width], [y / height] * 2,
                                  color=handle.get_color(), linewidth=2, marker=handle.get_marker(),
                                  markevery=[1] if handle.get_marker() not in (None, "None", "") else None,
                                  markersize=4))
        else:
            colour = handle.get_color() if isinstance(handle, Line2D) else handle.get_facecolor()
            fig.add_artist(Rectangle(((x + 3) / width, (y - 5) / height), 10 / width, 10 / height,
                                     facecolor=colour, edgecolor="none"))
        fig.text((x + LEGEND_HANDLE + LEGEND_GAP) / width, y / height, label, ha="left", va="center_baseline",
                 fontsize=FONT_SIZE)


def _markers(spec: ChartSpec, count: int, left: float, plot_width: float,
             xlim: tuple[float, float]) -> list[tuple[float, str, float, int]]:
    """Return each annotated month's marker: (x in points, its numbers, its width, its row in the band)."""
    months = months_of(spec, max(count, count_months(spec.first_month, spec.last_month) + 1))
    by_month: dict[int, list[int]] = {}
    for annotation in spec.annotations:
        if annotation.month in months[:count]:
            by_month.setdefault(months.index(annotation.month), []).append(annotation.number)
    low, high = xlim
    spots = [(left + (x - low) / (high - low) * plot_width, ",".join(str(n) for n in numbers))
             for x, numbers in sorted(by_month.items())]
    widths = [max(MARKER_SIZE, text_width(text) + 10) for _, text in spots]
    rows = stack([x for x, _ in spots], widths)
    return [(x, text, w, row) for (x, text), w, row in zip(spots, widths, rows, strict=True)]


def _draw_markers(fig: Any, ax: Any, markers: Sequence[tuple[float, str, float, int]], width: float,
                  height: float, legend_height: float) -> None:
    """Draw each marker in the band above the plot, with a dotted rule down through the plot behind the data."""
    from matplotlib.lines import Line2D

    plot_top = ax.get_position().y1 * height
    for x, text, _, row in markers:
        y = height - EDGE - legend_height - (row + 0.5) * (MARKER_SIZE + 2)
        style = "circle,pad=0.3" if len(text) == 1 else "round,pad=0.3,rounding_size=0.8"
        fig.text(x / width, y / height, text, ha="center", va="center_baseline", fontsize=FONT_SIZE,
                 bbox={"boxstyle": style, "facecolor": "none", "edgecolor": FOREGROUND, "linewidth": 0.9})
        fig.add_artist(Line2D([x / width] * 2, [(y - MARKER_SIZE / 2) / height, plot_top / height],
                              color=FOREGROUND, linewidth=0.9, linestyle=(0, (1, 2))))
        ax.axvline(_data_x(ax, x / width), color=FOREGROUND, linewidth=0.9, linestyle=(0, (1, 2)), zorder=0.5)


def _data_x(ax: Any, figure_x: float) -> float:
    """Return the data x of a figure fraction, from the axes' position and limits."""
    box = ax.get_position()
    low, high = ax.get_xlim()
    return low + (figure_x - box.x0) / box.width * (high - low)

"""The frame around a chart's plots: month ticks, value-axis labels, the estimate band, the legend, annotation
markers, margins — and the drawing of it all on a Canvas (charts/canvas.py).

A kind describes its plots (charts/plot.py); `frame_chart` places them. Each plot is placed by hand
(charts.layout): the legend rows and a band of annotation markers sit above the plot, so a marker never
covers a data point, and markers of neighbouring months step up a row instead of covering each other; the
margins fit the widest tick label of each axis, in any language. Several plots are small multiples stacked
on the same months, each titled by its series (the title carries the legend swatch), with the months under
the lowest. Sizes are points, from the bottom-left corner of the drawing (matplotlib's convention).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_skeleton

from generator.charts.canvas import Canvas
from generator.charts.layout import (
    EDGE,
    FONT_SIZE,
    LEGEND_GAP,
    LEGEND_HANDLE,
    LINE_HEIGHT,
    MARKER_SIZE,
    Placed,
    flow,
    plot_margins,
    stack,
)
from generator.charts.plot import BAR_HALF_WIDTH, Bars, LegendEntry, Line, Plot, Rule
from generator.charts.svg import FOREGROUND, GRID
from generator.dashboard.spec import ChartSpec
from generator.metrics import add_months
from generator.metrics.series import count_months
from generator.textwidth import text_width

MAX_MONTH_TICKS = {"wide": 6, "narrow": 4}
"""How many month labels fit under a chart of each rendering."""
TICK_PAD = 3.5
"""Points between a tick label and its axis (matplotlib's default pad)."""
AXIS_WIDTH = 0.8
ESTIMATE_SHADE = 0.1


def months_of(spec: ChartSpec, count: int) -> list[date]:
    return [add_months(spec.first_month, i) for i in range(count)]


PANEL_GAP = 8.0
"""Points between two panels of a small-multiples chart (below the upper one's plot, above the next's title)."""


@dataclass(frozen=True)
class Box:
    """Where a plot is drawn, in points, and the data range it shows."""

    left: float
    bottom: float
    width: float
    height: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def x(self, value: float) -> float:
        low, high = self.xlim
        return self.left + (value - low) / (high - low) * self.width

    def y(self, value: float) -> float:
        low, high = self.ylim
        return self.bottom + (value - low) / (high - low) * self.height


def frame_chart(canvas: Canvas, plots: Sequence[Plot], spec: ChartSpec, estimate: int | None) -> None:
    """Label the months and values, shade the estimate, lay out legend, markers and plot(s) so nothing overlaps
    or clips, and draw it all on `canvas`."""
    width, height = canvas.width, canvas.height
    count = plots[0].count
    positions, x_labels = month_ticks(spec, count, estimate)
    draft = plot_margins([label for plot in plots for label in plot.axis.labels], [], x_labels, 0.0)
    plot_width = width - draft.left - draft.right
    entries = plots[0].legend if len(plots) == 1 else []
    placed = flow([LEGEND_HANDLE + LEGEND_GAP + text_width(entry.label) for entry in entries], width - 2 * EDGE)
    legend = bool(entries) and len(spec.series_ids) > 1  # a chart of several series names them, even if one drew nothing
    legend_height = (placed[-1].row + 1) * LINE_HEIGHT + 4 if legend else 0.0
    markers = _markers(spec, count, draft.left, plot_width, plots[0].xlim)
    marker_rows = max((row for *_, row in markers), default=-1) + 1
    top = EDGE + legend_height + marker_rows * (MARKER_SIZE + 2) + (4 if markers else 6)
    title_row = LINE_HEIGHT + 9 if len(plots) > 1 else 0.0
    panel_height = (height - top - draft.bottom - len(plots) * title_row - (len(plots) - 1) * PANEL_GAP) / len(plots)
    boxes = []
    for index, plot in enumerate(plots):
        panel_top = top + index * (title_row + panel_height + PANEL_GAP) + title_row
        box = Box(draft.left, height - panel_top - panel_height, plot_width, panel_height, plot.xlim,
                  (plot.axis.low, plot.axis.high))
        boxes.append(box)
        clip = canvas.clip_box(box.left, box.bottom, box.width, box.height)
        _draw_plot(canvas, plot, box, clip, estimate)
        _draw_axes(canvas, plot, box, clip, (positions, x_labels) if index == len(plots) - 1 else None)
        if title_row:
            _draw_legend(canvas, plot.legend[:1], [Placed(0.0, 0, 0.0)], top=panel_top - LINE_HEIGHT - 7 - EDGE)
    if legend:
        _draw_legend(canvas, entries, placed)
    _draw_markers(canvas, boxes, markers, legend_height)


def _draw_plot(canvas: Canvas, plot: Plot, box: Box, clip: Any, estimate: int | None) -> None:
    """Draw the plot's marks in its box, then the band of the month in progress over them (lighter than a bar)."""
    for mark in plot.marks:
        if isinstance(mark, Line):
            _draw_line(canvas, mark, box, clip)
        elif isinstance(mark, Bars):
            _draw_bars(canvas, mark, box, clip)
        elif isinstance(mark, Rule):
            _draw_rule(canvas, mark, box, clip)
    if estimate is not None:
        left, right = box.x(estimate - 0.5), box.x(estimate + 0.5)
        canvas.rect(left, box.bottom, right - left, box.height, FOREGROUND, alpha=ESTIMATE_SHADE, clip=clip)


def _draw_line(canvas: Canvas, line: Line, box: Box, clip: Any) -> None:
    if not line.xs:
        return
    style: dict[str, Any] = {"marker": line.marker or "None", "markersize": line.marker_size}
    if line.hollow:
        style["markerfacecolor"] = "none"
    if not line.joined:
        style["linestyle"] = "none"
    elif line.dashes:
        style["linestyle"] = (0, line.dashes)
    canvas.line([box.x(x) for x in line.xs], [box.y(y) if not math.isnan(y) else math.nan for y in line.ys],
                line.colour, clip=clip if line.clipped else None, zorder=line.zorder, **style)


def _draw_bars(canvas: Canvas, bars: Bars, box: Box, clip: Any) -> None:
    """All of a series' bars as one compound path (one SVG element, not one per bar)."""
    from matplotlib.path import Path

    half = BAR_HALF_WIDTH * box.width / (box.xlim[1] - box.xlim[0])
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for x, bottom, height in bars.rects:
        left, right = box.x(x) - half, box.x(x) + half
        low, high = box.y(bottom), box.y(bottom + height)
        vertices += [(left, low), (right, low), (right, high), (left, high), (0.0, 0.0)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    canvas.path(vertices, codes, bars.colour, alpha=bars.alpha, clip=clip)


def _draw_rule(canvas: Canvas, rule: Rule, box: Box, clip: Any) -> None:
    style: dict[str, Any] = {"linestyle": (0, (1, 2))} if rule.dotted else {}
    if rule.horizontal:
        xs, ys = [box.left, box.left + box.width], [box.y(rule.at)] * 2
    else:
        xs, ys = [box.x(rule.at)] * 2, [box.bottom, box.bottom + box.height]
    canvas.line(xs, ys, rule.colour, width=rule.width, clip=clip, zorder=rule.zorder, **style)


def _draw_axes(canvas: Canvas, plot: Plot, box: Box, clip: Any, months: tuple[list[int], list[str]] | None) -> None:
    """Draw the grid at the value ticks (behind the data), their labels, the two axis lines and the months."""
    right = box.left + box.width
    for tick, label in zip(plot.axis.ticks, plot.axis.labels, strict=True):
        y = box.y(tick)
        canvas.line([box.left, right], [y, y], GRID, width=AXIS_WIDTH, clip=clip, zorder=0.5,
                    solid_capstyle="projecting")
        canvas.text(box.left - TICK_PAD, y, label, ha="right", size=FONT_SIZE, color=FOREGROUND)
    canvas.line([box.left, box.left], [box.bottom, box.bottom + box.height], FOREGROUND, width=AXIS_WIDTH,
                zorder=2.5, solid_capstyle="projecting")
    canvas.line([box.left, right], [box.bottom, box.bottom], FOREGROUND, width=AXIS_WIDTH, zorder=2.5,
                solid_capstyle="projecting")
    for position, label in zip(*(months or ((), ())), strict=True):
        canvas.text(box.x(position), box.bottom - TICK_PAD, label, ha="center", va="top", size=FONT_SIZE,
                    color=FOREGROUND)


def month_ticks(spec: ChartSpec, count: int, estimate: int | None) -> tuple[list[int], list[str]]:
    """Label a few months (short name, the year under January and the first tick); the month in progress
    always gets a tick, labelled as an estimate. Return the positions (month indexes) and their labels."""
    most = MAX_MONTH_TICKS.get(spec.variant, 6)
    if spec.x_labels:  # not months: every few positions, labelled as the spec says (a cohort's age)
        step = next(s for s in (1, 2, 3, 4, 6, 12, 24, 60) if count / s <= most + 2)
        positions = list(range(0, count, step))
        return positions, [spec.x_labels[i] for i in positions]
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
    return positions, labels


def _draw_legend(canvas: Canvas, entries: Sequence[LegendEntry], placed: Sequence[Placed], top: float = 0.0) -> None:
    """Draw each entry's swatch (a line, or a square for bars) and label, in rows from `top` points down."""
    for entry, spot in zip(entries, placed, strict=True):
        x = EDGE + spot.x
        y = canvas.height - EDGE - top - (spot.row + 0.5) * LINE_HEIGHT
        if entry.square:
            canvas.rect(x + 3, y - 5, 10, 10, entry.colour, zorder=2.0)
        else:
            canvas.line([x, x + LEGEND_HANDLE], [y, y], entry.colour, marker=entry.marker or "None",
                        markevery=[1] if entry.marker else None, markersize=4)
        canvas.text(x + LEGEND_HANDLE + LEGEND_GAP, y, entry.label, size=FONT_SIZE, color=FOREGROUND)


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


def _draw_markers(canvas: Canvas, boxes: Sequence[Box], markers: Sequence[tuple[float, str, float, int]],
                  legend_height: float) -> None:
    """Draw each marker in the band above the plot, with a dotted rule down through the plot(s) behind the data."""
    plot_top = boxes[0].bottom + boxes[0].height
    for x, text, _, row in markers:
        y = canvas.height - EDGE - legend_height - (row + 0.5) * (MARKER_SIZE + 2)
        style = "circle,pad=0.3" if len(text) == 1 else "round,pad=0.3,rounding_size=0.8"
        canvas.text(x, y, text, ha="center", size=FONT_SIZE, color=FOREGROUND,
                    bbox={"boxstyle": style, "facecolor": "none", "edgecolor": FOREGROUND, "linewidth": 0.9})
        canvas.line([x, x], [y - MARKER_SIZE / 2, plot_top], FOREGROUND, width=0.9, linestyle=(0, (1, 2)))
        for box in boxes:
            canvas.line([x, x], [box.bottom, box.bottom + box.height], FOREGROUND, width=0.9, linestyle=(0, (1, 2)),
                        clip=canvas.clip_box(box.left, box.bottom, box.width, box.height), zorder=0.5)

"""A matplotlib Figure drawn on in points, without Axes: lines, rectangles, compound paths, texts, clip boxes.

The frame lays every part of a chart out by hand (charts/layout.py), so matplotlib's Axes had nothing left
to decide, yet each one built tick, spine and grid objects that cost more than the chart itself (a chart
took 50–80 ms, most of it Axes and ticks; issue 24). Here the Figure only renders artists placed in points
from its bottom-left corner; matplotlib still measures and writes the text and the SVG (charts/svg.py).
This is the only module that creates matplotlib artists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

POINTS_PER_INCH = 72.0


class Canvas:
    """A Figure `width` × `height` points, and the calls that draw on it in points."""

    def __init__(self, width: float, height: float) -> None:
        from matplotlib.figure import Figure
        from matplotlib.transforms import Affine2D

        self.width, self.height = width, height
        self.figure = Figure(figsize=(width / POINTS_PER_INCH, height / POINTS_PER_INCH))
        self._points = Affine2D().scale(1 / POINTS_PER_INCH) + self.figure.dpi_scale_trans

    def clip_box(self, left: float, bottom: float, width: float, height: float) -> Any:
        """Return a clip box for marks drawn inside a plot (written to the SVG as a clip rectangle)."""
        from matplotlib.transforms import Bbox, TransformedBbox

        return TransformedBbox(Bbox.from_bounds(left, bottom, width, height), self._points)

    def line(self, xs: Sequence[float], ys: Sequence[float], colour: str, *, width: float = 2.0,
             clip: Any = None, zorder: float = 2.0, **style: Any) -> None:
        """Draw a polyline (NaN breaks it) with matplotlib's Line2D `style` (marker, linestyle, dashes…)."""
        from matplotlib.lines import Line2D

        line = Line2D(xs, ys, color=colour, linewidth=width, transform=self._points, zorder=zorder, **style)
        self._add(line, clip)

    def path(self, vertices: Sequence[tuple[float, float]], codes: Sequence[int], colour: str, *, alpha: float = 1.0,
             clip: Any = None, zorder: float = 1.0) -> None:
        """Fill a compound path (many rectangles as one SVG element)."""
        from matplotlib.patches import PathPatch
        from matplotlib.path import Path

        patch = PathPatch(Path(vertices, codes), facecolor=colour, edgecolor="none", linewidth=0, alpha=alpha,
                          transform=self._points, zorder=zorder)
        self._add(patch, clip)

    def rect(self, left: float, bottom: float, width: float, height: float, colour: str, *, alpha: float = 1.0,
             clip: Any = None, zorder: float = 1.0) -> None:
        from matplotlib.patches import Rectangle

        patch = Rectangle((left, bottom), width, height, facecolor=colour, edgecolor="none", linewidth=0,
                          alpha=alpha, transform=self._points, zorder=zorder)
        self._add(patch, clip)

    def text(self, x: float, y: float, text: str, *, ha: str = "left", va: str = "center_baseline",
             size: float, **style: Any) -> None:
        """Write a text anchored at (x, y) points; matplotlib writes it as SVG text, in the readers' fonts."""
        self.figure.text(x, y, text, ha=ha, va=va, fontsize=size, transform=self._points, **style)

    def _add(self, artist: Any, clip: Any) -> None:
        if clip is not None:
            artist.set_clip_box(clip)
            artist.set_clip_on(True)
        else:
            artist.set_clip_on(False)
        self.figure.add_artist(artist)

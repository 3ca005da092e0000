"""One chart spec and its series to SVG bytes: its registered kind describes the plots, the frame places and draws
them on a Canvas (a matplotlib Figure without Axes, imported here, lazily), and one export writes the SVG."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from generator.charts.kinds import estimate_index, get_chart_kind
from generator.charts.svg import HASH_SALT, STYLE, _to_svg
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries

PIXELS_TO_POINTS = 0.72
"""A spec's size is in CSS pixels at 100 per inch; the SVG's units are points (72 per inch)."""


def draw_chart(spec: ChartSpec, series: Sequence[MetricSeries]) -> bytes:
    """Draw one chart with its registered kind and return the SVG bytes."""
    import matplotlib

    from generator.charts.canvas import Canvas
    from generator.charts.frame import frame_chart

    plots = get_chart_kind(spec.kind)(series, spec)
    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, **STYLE}), warnings.catch_warnings():
        # Labels in Chinese are measured with DejaVu Sans, which lacks the glyphs; readers' fonts render them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        width, height = spec.size
        canvas = Canvas(width * PIXELS_TO_POINTS, height * PIXELS_TO_POINTS)
        frame_chart(canvas, plots, spec, estimate_index(series[0], spec))
        return _to_svg(canvas.figure)

"""One chart spec and its series to SVG bytes, with its registered kind (matplotlib imported here, lazily)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from generator.charts.kinds import get_chart_kind
from generator.charts.svg import HASH_SALT, STYLE, _to_svg
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries


def draw_chart(spec: ChartSpec, series: Sequence[MetricSeries]) -> bytes:
    """Draw one chart with its registered kind and return the SVG bytes."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, **STYLE}), warnings.catch_warnings():
        # Labels in Chinese are measured with DejaVu Sans, which lacks the glyphs; readers' fonts render them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        width, height = spec.size
        fig = Figure(figsize=(width / 100, height / 100))
        ax = fig.add_axes((0.15, 0.15, 0.7, 0.7))  # placed for good by the frame, once the labels are known
        get_chart_kind(spec.kind)(ax, series, spec)
        return _to_svg(fig)

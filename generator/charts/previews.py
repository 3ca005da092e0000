"""Open Graph images: each Preview the dashboard decided, drawn with matplotlib as a 1200×630 PNG.

Same preview, same bytes: Agg draws deterministically and the PNG carries no metadata. Text is drawn
in DejaVu Sans (bundled with matplotlib) with the machine's CJK font as a per-glyph fallback, so a
Chinese heading is legible wherever a CJK font is installed. Drawn images are kept in the chart cache.
"""

from __future__ import annotations

import io
import logging
import math
import warnings
from typing import Any

from generator.charts.svg import PALETTE
from generator.dashboard.previews import Preview

WIDTH, HEIGHT, DPI = 12.0, 6.3, 100
BACKGROUND = "#fdfcfa"
INK = "#1f2328"
MUTED = "#59616b"
FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
         "Droid Sans Fallback"]
"""DejaVu first (every machine has it through matplotlib); CJK fonts after it fill in Chinese glyphs."""


def draw_preview(preview: Preview) -> bytes:
    """Return the PNG of one preview: site, heading, the number and what it is, and its sparkline."""
    import matplotlib
    from matplotlib.figure import Figure

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # absent fallbacks are expected
    with matplotlib.rc_context({"font.family": _installed(FONTS)}), warnings.catch_warnings():
        # Without a CJK font on the machine, Chinese glyphs are drawn as boxes: the build still succeeds.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor=BACKGROUND)
        fig.text(0.06, 0.86, _visible(preview.site_title), fontsize=24, color=MUTED)
        fig.text(0.06, 0.70, _visible(preview.heading), fontsize=42, color=INK, weight="bold")
        if preview.value_text:
            fig.text(0.06, 0.40, _visible(preview.value_text), fontsize=80, color=INK, weight="bold")
            fig.text(0.06, 0.28, _visible(preview.caption), fontsize=24, color=MUTED)
        if sum(v is not None for v in preview.values) > 1:
            _sparkline(fig.add_axes((0.62, 0.07, 0.32, 0.28)), preview.values)
        fig.add_artist(_rule(fig))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND, metadata={"Software": None})
    return _small_png(buffer.getvalue())


VISIBLE_MAX_CHARS = 160
"""Characters of a text drawn on a preview: even the narrowest glyphs at 24 pt fill the 1200-px width sooner.
Agg lays out and rasterises the whole string into one buffer, off the image or not, so an unbounded text
cost time growing faster than its length (a 100 KB site title took 7.5 minutes over 16 previews, issue 22)."""


def _visible(text: str) -> str:
    """Return the part of a text a 1200-px preview can show (what lies beyond the edge is never drawn)."""
    return text[:VISIBLE_MAX_CHARS]


def _small_png(data: bytes) -> bytes:
    """Return the PNG with a 64-colour palette: a third of the bytes, no visible change (flat colours, text)."""
    from PIL import Image  # Pillow comes with matplotlib

    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT,
                                                                dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _sparkline(ax: Any, values: tuple[float | None, ...]) -> None:
    points = [math.nan if v is None else v for v in values]
    ax.plot(range(len(points)), points, color=PALETTE[0], linewidth=5, solid_capstyle="round")
    finite = [v for v in points if not math.isnan(v)]
    low = min(0.0, min(finite))
    ax.fill_between(range(len(points)), points, low, color=PALETTE[0], alpha=0.12, linewidth=0)
    ax.set_ylim(low, max(finite) * 1.05 if max(finite) > 0 else 1)
    ax.set_axis_off()


def _rule(fig: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 1, 0.025, transform=fig.transFigure, facecolor=PALETTE[0], edgecolor="none")


def _installed(names: list[str]) -> list[str]:
    """Return the fonts of `names` this machine has, in order (DejaVu Sans always)."""
    from matplotlib import font_manager

    have = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in names if name in have or name == "DejaVu Sans"]

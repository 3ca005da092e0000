"""The chart style and the one export: a matplotlib Figure to small, deterministic SVG bytes.

Text stays text (`svg.fonttype: none`), so Chinese labels render in the reader's fonts. The
background is transparent and series use mid-tone colours that read on light and dark pages;
the text, axes and grid colours are switched for dark mode by a small stylesheet inside the SVG
(an <img> follows the page's `prefers-color-scheme`). Same figure, same bytes: a fixed hash
salt, no date, no creator, coordinates cut to two decimals.
"""

from __future__ import annotations

import io
import re
from typing import Any

FOREGROUND = "#4b5159"
FOREGROUND_DARK = "#c9cdd2"
GRID = "#dcd8d0"
GRID_DARK = "#3a3f46"
PALETTE = ("#2f6fd0", "#c8601c", "#1b8a7e", "#8a5cc8", "#b3261e", "#8f6d00", "#3f7f2c", "#b3407f", "#5c3441",
           "#583b1d", "#737a85", "#8d887f", FOREGROUND)
"""Series colours on a light page, by colour slot (generator/dashboard/spec.py: ten distinct colours, then
"Other", "not disclosed" and the overlay lines): each at least 3:1 against the page, the ten at least
15 apart in CIEDE2000 (tests/test_palette.py), so 10 cost categories stay apart."""
PALETTE_DARK = ("#6ea2f5", "#f09050", "#4cc7b8", "#b89af0", "#f0716a", "#d4b140", "#7cc35f", "#ec7fbd", "#f0becc",
                "#eac6a5", "#9aa0a8", "#6f737a", FOREGROUND_DARK)
"""The same slots on a dark page: lighter, so each stays 3:1 against it (switched by the SVG's own stylesheet)."""
FONT_STACK = ("system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', "
              "'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif")
"""What readers' browsers render chart text with; matplotlib measures it with its own DejaVu Sans."""
HASH_SALT = "opensite"

STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],  # bundled with matplotlib: the same layout on every machine
    "font.size": 11.0,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "text.color": FOREGROUND,
    "axes.edgecolor": FOREGROUND,
    "axes.labelcolor": FOREGROUND,
    "xtick.color": FOREGROUND,
    "ytick.color": FOREGROUND,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "xtick.major.size": 0.0,
    "ytick.major.size": 0.0,
    "legend.frameon": False,
    "legend.fontsize": 10.5,
    "legend.handlelength": 1.4,
    "legend.columnspacing": 1.2,
    "lines.linewidth": 2.0,
    "lines.markersize": 4.0,
    "path.simplify": True,
    "hatch.color": FOREGROUND,
}
"""matplotlib rcParams of every chart (plain data, so the cache key can hash it without importing matplotlib)."""

_DARK = dict(zip(PALETTE, PALETTE_DARK, strict=True)) | {FOREGROUND: FOREGROUND_DARK}


def _css(data: bytes) -> str:
    """Return the SVG's stylesheet: the readers' fonts, and dark-mode colours for the colours it uses."""
    rules = [f"[style*='{what}: {light}']{{{what}: {dark} !important}}"
             for light, dark in _DARK.items() for what in ("fill", "stroke")
             if f"{what}: {light}".encode() in data]
    if f"stroke: {GRID}".encode() in data:
        rules.append(f"[style*='stroke: {GRID}']{{stroke: {GRID_DARK} !important}}")
    return f"text{{font-family: {FONT_STACK}}}@media (prefers-color-scheme: dark) {{{''.join(rules)}}}"
_LONG_DECIMAL = re.compile(rb"(\d\.\d)\d+")
_TAG = re.compile(rb"<[^>]*>")
_PATH_BREAK = re.compile(rb" ?\n(?=[MLCQz\"])")
_NO_ROTATION = re.compile(rb' transform="rotate\(-?0 [^"]*\)"')
_BETWEEN_TAGS = re.compile(rb">\s+<")
_GROUP_ID = re.compile(rb'<g id="[^"]*"')
_EMPTY_GROUP = re.compile(rb"<g/>")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>")


def _to_svg(fig: Any) -> bytes:
    """Return the figure as SVG bytes: deterministic, compact, with dark-mode colours."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, **STYLE}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    # a tenth of a point is below what screens show; only inside tags: a label's "$1.25K" stays as written
    data = _TAG.sub(lambda tag: _LONG_DECIMAL.sub(rb"\1", tag.group(0)), buffer.getvalue())
    data = _BETWEEN_TAGS.sub(b"><", _NO_ROTATION.sub(b"", _PATH_BREAK.sub(b" ", data)))
    data = data.replace(b" font-family: 'DejaVu Sans', sans-serif;", b"")  # set once, by _CSS
    data = _EMPTY_GROUP.sub(b"", _GROUP_ID.sub(b"<g", _DOCTYPE.sub(b"", data)))  # nothing refers to group ids
    return data.replace(b"stroke-linecap: butt}", b"stroke-linecap: butt}" + _css(data).encode(), 1)

"""A plot's value axis as a reader reads it: tick labels parsed back to numbers, placed on their grid lines.

"$1.5K", "US$4.5万", "−3%", "≥36 mo" and "1,2 Mio. $" are read with the locale's symbols and compact
forms (Babel's data), and the line through the labelled positions maps a value to a height. Labels that do
not lie on one line are a fault: an axis a reader cannot trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from generator.chartcheck.svg import TOLERANCE, Drawing, Rect

_NUMBER = re.compile(r"(\d[\d.,'\u00a0\u202f\s]*)")


class Unreadable(Exception):
    """The drawing lacks what a reader needs to read it (no plot, no axis labels, no legend entry)."""


@dataclass(frozen=True)
class Area:
    """One plot: its rectangle and its value axis (height = a × value + b), and a cap if the axis has one."""

    rect: Rect
    a: float
    b: float
    cap: float | None

    def y(self, value: float) -> float:
        return self.a * (min(value, self.cap) if self.cap is not None else value) + self.b


def plot_areas(drawing: Drawing, language: str) -> list[Area]:
    """Return each plot area, top first, with the value axis its tick labels and grid lines describe."""
    rects = sorted({m.clip for m in drawing.marks if m.clip is not None}, key=lambda r: r.y)
    if not rects:
        raise Unreadable("no plot area: nothing is drawn inside a plot")
    return [_read_axis(drawing, rect, language) for rect in rects]


def _read_axis(drawing: Drawing, rect: Rect, language: str) -> Area:
    """Return the plot's value axis from the labels on its left and the grid lines they name."""
    grid = [m.subpaths[0][0][1] for m in drawing.marks if m.clip == rect and len(m.subpaths) == 1
            and len(m.subpaths[0]) == 2 and abs(m.subpaths[0][0][1] - m.subpaths[0][1][1]) < 0.05
            and abs(abs(m.subpaths[0][1][0] - m.subpaths[0][0][0]) - rect.w) < 1]
    ticks: list[tuple[float, float]] = []
    cap = None
    for text in drawing.texts:
        if text.anchor != "end" or text.x > rect.x or not rect.y - 8 <= text.y <= rect.y + rect.h + 8:
            continue
        value = read_number(text.content, language)
        line = min(grid, key=lambda g: abs(g - (text.y - text.size * 0.37)), default=None)
        if value is None or line is None or abs(line - (text.y - text.size * 0.37)) > 4:
            continue
        ticks.append((value, line))
        cap = value if text.content.startswith("≥") else cap
    if len({v for v, _ in ticks}) < 2:
        raise Unreadable(f"the value axis of the plot at y={rect.y:g} has fewer than two readable labels")
    (v0, y0), (v1, y1) = min(ticks), max(ticks)
    a = (y1 - y0) / (v1 - v0)
    for value, y in ticks:
        if abs(a * (value - v0) + y0 - y) > TOLERANCE:
            raise Unreadable(f"the value axis's label {value:g} is not where the others put it")
    return Area(rect, a, y0 - a * v0, cap)


def read_number(label: str, language: str = "en") -> float | None:
    """Return the value a tick label states ("$1.5K" → 1500, "−3%" → −0.03, "US$4.5万" → 45000), or None."""
    text = label.replace("\u2212", "-").replace("≥", "").replace("≈", "").strip()
    found = _NUMBER.search(text)
    if found is None:
        return None
    locale = language.replace("-", "_")
    digits = found.group(1).strip().replace(get_group_symbol(locale), "").replace("\u202f", "").replace(" ", "")
    if get_decimal_symbol(locale) != ".":
        digits = digits.replace(get_decimal_symbol(locale), ".")
    digits = digits.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    rest = text[found.end():].strip()
    scales = _compact_scales(locale)
    scale = next((scales[suffix] for suffix in sorted(scales, key=len, reverse=True) if rest.startswith(suffix)), 1.0)
    value *= scale / (100 if rest.startswith(("%", "\u066a")) else 1)
    return -value if "-" in text[:found.start()] else value


def _compact_scales(locale: str) -> dict[str, float]:
    """Return {suffix: scale} of the locale's compact numbers ("K": 1e3; "万": 1e4; "Mio.": 1e6), from Babel's data."""
    scales: dict[str, float] = {}
    data = Locale.parse(locale)
    for formats in (data.compact_decimal_formats.get("short", {}), data.compact_currency_formats.get("short", {})):
        for forms in formats.values():
            for magnitude, pattern in forms.items():
                written = str(getattr(pattern, "pattern", pattern))
                suffix = re.sub(r"[0#¤\s\u00a0']", "", written)
                if suffix and written.count("0"):
                    scales.setdefault(suffix, int(magnitude) / 10 ** (written.count("0") - 1))
    return scales



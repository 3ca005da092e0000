"""The chart palette (issue 19): as many colours a reader tells apart as a chart has series, light and dark.

Measured, not eyeballed: WCAG contrast of every colour against the page it is drawn on, and CIEDE2000
between every pair (about 2 is a just-noticeable difference; series need far more than that).
"""

from __future__ import annotations

import itertools
import math

import pytest

from generator.charts.svg import PALETTE, PALETTE_DARK
from generator.dashboard.spec import DISTINCT_COLOURS, OTHER_COLOUR, OVERLAY_COLOUR, UNDISCLOSED_COLOUR

LIGHT_PAGES = ("#fdfcfa", "#ffffff")
"""The page and the card background in light mode (generator/theme/static/style.css)."""
DARK_PAGES = ("#15171a", "#1c1f23")
MIN_SERIES_DIFFERENCE = 15.0
MIN_NEUTRAL_DIFFERENCE = 12.0


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in _rgb(colour))
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _ciede2000(one: str, two: str) -> float:
    return _delta_e(_lab(one), _lab(two))


def _delta_e(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    (l1, a1, b1), (l2, a2, b2) = one, two
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_l, d_c, d_h = l2 - l1, c2p - c1p, 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    h_bar = h1p + h2p if c1p * c2p == 0 else ((h1p + h2p) / 2 if abs(h1p - h2p) <= 180 else
                                               (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2)
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    rotation = -math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))) * 2 * math.sqrt(
        cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + rotation * (d_c / s_c) * (d_h / s_h))


SCHEMES = [(PALETTE, LIGHT_PAGES), (PALETTE_DARK, DARK_PAGES)]


def test_the_differences_are_measured_as_published() -> None:
    # Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", test data pairs 1, 7 and 17.
    assert _delta_e((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert _delta_e((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert _delta_e((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert _ciede2000("#2f6fd0", "#2f6fd0") == 0


@pytest.mark.parametrize(("palette", "pages"), SCHEMES, ids=["light", "dark"])
def test_every_colour_stands_out_from_its_page(palette, pages) -> None:
    assert len(palette) == OVERLAY_COLOUR + 1
    for colour in palette:
        assert min(_contrast(colour, page) for page in pages) >= 3.0, colour


@pytest.mark.parametrize(("palette", "pages"), SCHEMES, ids=["light", "dark"])
def test_series_colours_are_told_apart(palette, pages) -> None:
    series = palette[:DISTINCT_COLOURS]
    for one, two in itertools.combinations(series, 2):
        assert _ciede2000(one, two) >= MIN_SERIES_DIFFERENCE, (one, two)
    neutral = (palette[OTHER_COLOUR], palette[UNDISCLOSED_COLOUR], palette[OVERLAY_COLOUR])
    for one, two in itertools.product(neutral, palette):
        if one != two:
            assert _ciede2000(one, two) >= MIN_NEUTRAL_DIFFERENCE, (one, two)

"""Share cards: each Preview drawn with Pillow as a 1200×630 PNG, in a font that has all its characters.

Drawn in a few milliseconds, with nothing but Pillow (no matplotlib figure), so a site with hundreds of
posts and months pays little for them, and worker processes can draw them (issue 24). The image is
composed in palette indices: each colour is a ramp from the background to it, text is drawn anti-aliased
into a mask, and the mask's coverage picks the step of its colour's ramp; the sparkline is drawn four
times larger and reduced, for smooth edges. The PNG is the palette image as it is: same preview and same
font file, same bytes (no metadata; Pillow's basic layout, never Raqm).
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

from generator.charts.fonts import CardFonts, FontFace, load_font
from generator.charts.svg import PALETTE
from generator.dashboard.previews import Preview

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND = (0xfd, 0xfc, 0xfa)
INK = (0x1f, 0x23, 0x28)
MUTED = (0x59, 0x61, 0x6b)
ACCENT = tuple(int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5))
FILL = tuple(round(b + (a - b) * 0.14) for a, b in zip(ACCENT, BACKGROUND, strict=True))
STEPS = 63
"""Each colour is a ramp of this many steps from the background (index 0) to it."""
RAMPS = {"ink": 1, "muted": 1 + STEPS, "accent": 1 + 2 * STEPS, "fill": 1 + 3 * STEPS}
COLOURS = {"ink": INK, "muted": MUTED, "accent": ACCENT, "fill": FILL}
SUPERSAMPLE = 3
SPARKLINE_BOX = (700, 392, 1128, 552)
_CLOSING = re.compile(r"[，。、；：！？）」』】〉》,.;:!?)\]]")


def _palette() -> bytes:
    data = bytearray(BACKGROUND)
    for name, start in sorted(RAMPS.items(), key=lambda item: item[1]):
        for step in range(1, STEPS + 1):
            share = step / STEPS
            data += bytes(round(b + (c - b) * share) for c, b in zip(COLOURS[name], BACKGROUND, strict=True))
    return bytes(data + bytes(3 * (256 - len(data) // 3)))


PALETTE_BYTES = _palette()


def card_text(preview: Preview) -> str:
    """Return every text the card draws (what its font must have)."""
    return "\n".join((preview.site_title, preview.heading, preview.value_text, preview.caption))


def draw_card(preview: Preview, fonts: CardFonts) -> bytes:
    """Return the PNG of one share card: the site, the heading, the number and what it is (or a post's date and
    category), the sparkline, and a rule in the accent colour."""
    from PIL import Image

    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    _text(canvas, preview.site_title, fonts, False, 34, (MARGIN, 96), "muted", WIDTH - 2 * MARGIN)
    metric = bool(preview.value_text)
    size, lines = _fit(preview.heading, fonts, 60 if metric else 72, WIDTH - 2 * MARGIN, 2 if metric else 4)
    y = 200 if metric else 210
    for line in lines:
        _text(canvas, line, fonts, True, size, (MARGIN, y), "ink")
        y += round(size * 1.28)
    if metric:
        _text(canvas, preview.value_text, fonts, True, 112, (MARGIN, 470), "ink", 600)
        _text(canvas, preview.caption, fonts, False, 34, (MARGIN, 540), "muted", 600)
    elif preview.caption:
        _text(canvas, preview.caption, fonts, False, 34, (MARGIN, 560), "muted", WIDTH - 2 * MARGIN)
    if sum(v is not None for v in preview.values) > 1:
        _sparkline(canvas, preview.values)
    canvas.paste(RAMPS["accent"] + STEPS - 1, (0, HEIGHT - 16, WIDTH, HEIGHT))
    canvas.putpalette(PALETTE_BYTES)  # the indices become colours: a palette PNG
    out = io.BytesIO()
    # zlib's run-length strategy: 4 ms and ~15 KiB a card; the default costs 11 ms to save 3 KiB
    canvas.save(out, format="PNG", compress_level=3, compress_type=zlib.Z_RLE)
    return out.getvalue()


VISIBLE_MAX_CHARS = 160
"""Characters of one line a 1200-px card can show (even the narrowest glyphs fill the width sooner); measuring and
shortening a longer text cost time growing faster than its length (a 100 KB site title took minutes, issue 22)."""


def _text(canvas, text: str, fonts: CardFonts, bold: bool, size: int, at: tuple[int, int], colour: str,
          width: int | None = None) -> None:
    """Draw one line of text with its baseline at `at`, shrunk to fit `width` (ellipsised below 60%)."""
    drawn = _text_mask(text, fonts.bold if bold else fonts.regular, size, width)
    if drawn is not None:
        mask, left, top = drawn
        _paint(canvas, mask, (at[0] + left, at[1] + top), colour)


@lru_cache(maxsize=16)
def _text_mask(text: str, face: FontFace, size: int, width: int | None):
    """Return the coverage mask of one line and its offset from the baseline's start (the site's name, on every
    card, is drawn once)."""
    from PIL import Image, ImageDraw

    text = text[:VISIBLE_MAX_CHARS]
    font = load_font(face, size)
    if width is not None and font.getlength(text) > width:
        smaller = max(int(size * width / font.getlength(text)), int(size * 0.6))
        font = load_font(face, smaller)
        while text and font.getlength(text + "…") > width:
            text = text[:-1]
            if font.getlength(text + "…") <= width:
                text += "…"
                break
    left, top, right, bottom = font.getbbox(text, anchor="ls")
    if right <= left or bottom <= top:
        return None
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor="ls")
    return mask, left, top


_STEP_TABLES = {name: [0] + [start + min(STEPS - 1, (v * STEPS) // 256) for v in range(1, 256)]
                for name, start in RAMPS.items()}
_COVERED = [0] + [255] * 255


def _paint(canvas, mask, box: tuple[int, int], colour: str) -> None:
    """Paint the mask's coverage in `colour`'s ramp where it covers anything (over the background)."""
    canvas.paste(mask.point(_STEP_TABLES[colour]), box, mask.point(_COVERED))


def _fit(text: str, fonts: CardFonts, size: int, width: int, most: int) -> tuple[int, list[str]]:
    """Return the largest size (down to 60%) at which `text` wraps into at most `most` lines, and the lines."""
    text = text[:VISIBLE_MAX_CHARS * most]
    for scale in (1.0, 0.85, 0.72, 0.6):
        font = load_font(fonts.bold, int(size * scale))
        lines = _wrap(text, font, width)
        if len(lines) <= most:
            return int(size * scale), lines
    return int(size * 0.6), [*lines[:most - 1], "".join(lines[most - 1:])]


def _wrap(text: str, font, width: int) -> list[str]:
    """Break text into lines that fit: between words, and between any two CJK characters (not before a comma)."""
    tokens = re.findall(r"\S+\s*|\s+", text)
    pieces: list[str] = []
    for token in tokens:
        parts = re.findall(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef][\s]*|[^\u2e80-\u9fff\uac00-\ud7af"
                           r"\uf900-\ufaff\uff00-\uffef]+", token)
        for part in parts:
            if pieces and _CLOSING.match(part):
                pieces[-1] += part
            else:
                pieces.append(part)
    lines = [""]
    for piece in pieces:
        if lines[-1] and font.getlength((lines[-1] + piece).rstrip()) > width:
            lines.append(piece.lstrip())
        else:
            lines[-1] += piece
    return [line.rstrip() for line in lines if line.strip()]


def _sparkline(canvas, values: Sequence[float | None]) -> None:
    """Draw the values as a line over a pale area, in the lower right, smoothed by drawing larger and reducing."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = SPARKLINE_BOX
    k = SUPERSAMPLE
    finite = [v for v in values if v is not None and not math.isnan(v)]
    low, high = min(0.0, *finite), max(0.0, *finite)
    span = (high - low) or 1.0

    def point(i: int, v: float) -> tuple[float, float]:
        x = (i / max(1, len(values) - 1)) * (right - left - 16) + 8
        return x * k, (8 + (high - v) / span * (bottom - top - 16)) * k

    size = ((right - left) * k, (bottom - top) * k)
    area, line = Image.new("L", size, 0), Image.new("L", size, 0)
    zero = point(0, 0.0)[1]
    for run in _runs(values):
        points = [point(i, v) for i, v in run]
        if len(points) > 1:
            ImageDraw.Draw(area).polygon([(points[0][0], zero), *points, (points[-1][0], zero)], fill=255)
            ImageDraw.Draw(line).line(points, fill=255, width=5 * k)
        for x, y in (points[0], points[-1]):
            ImageDraw.Draw(line).ellipse((x - 2.5 * k, y - 2.5 * k, x + 2.5 * k, y + 2.5 * k), fill=255)
    _paint(canvas, area.reduce(k), (left, top), "fill")
    _paint(canvas, line.reduce(k), (left, top), "accent")


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Return the stretches of consecutive values (a month without one breaks the line)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None or math.isnan(v):
            runs.append([])
        else:
            runs[-1].append((i, v))
    return [run for run in runs if run]

"""How wide a text is when shown: in terminal columns, and (estimated) in a drawing's points.

Chinese characters take two terminal columns and a full em on screen, which `len()` does not know:
`opensite metrics` aligns its table with `display_width`, and charts and badges size their boxes
with `text_width`, a generous estimate for whatever sans-serif font a reader's browser uses.
"""

from __future__ import annotations

import unicodedata

_NARROW = frozenset("iljtfrI.,:;'|! ()[]")
_WIDE = frozenset("$%×−+¥€£@#&mwMW")


def display_width(text: str) -> int:
    """Return the terminal columns a text takes: 2 for each wide (East Asian) character, 0 for combining marks."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
               for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """Return text padded with spaces to `width` display columns (aligned right when `right`)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def char_width(char: str) -> float:
    """Return a generous estimate of a character's advance, in ems, for any sans-serif font readers have."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in _NARROW:
        return 0.36
    if char.isupper() or char.isdigit() or char in _WIDE:
        return 0.72
    return 0.6


def text_width(text: str, size: float = 11.0) -> float:
    """Return the estimated width of a (possibly multi-line) text in points (or px) at font size `size`."""
    return max((sum(char_width(c) for c in line) for line in text.split("\n")), default=0.0) * size

"""Plain-text fields stay plain: control characters found where text is expected.

A NUL or ESC in a title makes `feed.xml` unreadable for every feed reader (XML 1.0 forbids
them), and a `javascript:` link in an annotation or site.yaml runs code in a reader's browser.
This module finds the first (`urls.unsafe_scheme` the second); each caller reports them at its own
file and line (issue #11, §1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

CONTROL_CHARACTERS = frozenset(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                                                *range(0xD800, 0xE000), 0xFFFE, 0xFFFF))
"""Characters XML 1.0 forbids or that show as garbage (tab, newline and carriage return are fine): C0 controls,
DEL, the non-characters U+FFFE/U+FFFF and lone surrogates (a YAML "\ud800" escape; UTF-8 cannot even hold one)."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ControlCharacter:
    """One control character in a text: 1-based line and column, and its name."""

    line: int
    column: int
    char: str

    @property
    def name(self) -> str:
        """Return e.g. 'U+001B (escape)'."""
        label = unicodedata.name(self.char, "") or _NAMES.get(self.char, "control character")
        return f"U+{ord(self.char):04X} ({label.lower()})"


_NAMES = {"\ufffe": "noncharacter", "\uffff": "noncharacter",
          "\x00": "null", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
          "\x1b": "escape", "\x7f": "delete"}


def find_control_characters(text: str) -> Iterator[ControlCharacter]:
    """Yield every control character XML or a terminal would choke on (tab and newlines are fine)."""
    if not _CONTROL.search(text):
        return
    for number, line in enumerate(text.split("\n"), 1):
        for match in _CONTROL.finditer(line):
            yield ControlCharacter(number, match.start() + 1, match.group())


def strip_control_characters(text: str) -> str:
    """Return `text` without the characters `find_control_characters` reports."""
    return _CONTROL.sub("", text)

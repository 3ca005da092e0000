"""The documented maximum length of each text value in site.yaml (generator.limits), reported at its line.

A 100 KB site title once took seven minutes to build (every share image drew all of it); any title,
summary or one-line value past its bound is now an error naming the bound, never echoing the value
(issue 22). `extra:` is free-form (a footer may hold a paragraph of HTML) and is not bounded here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.config.schema import ConfigDocument, KeyPath
from generator.limits import LINE_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS

TITLE_KEYS = frozenset({"title", "name", "label", "heading"})
SUMMARY_KEYS = frozenset({"description", "summary", "bio", "excerpt"})
UNBOUNDED = frozenset({"extra"})


def length_limit(keypath: KeyPath) -> int:
    """Return the bound of the value at `keypath`: the nearest title or summary key decides, else a line's."""
    for key in reversed(keypath):
        if key in TITLE_KEYS:
            return TITLE_MAX_CHARS
        if key in SUMMARY_KEYS:
            return SUMMARY_MAX_CHARS
    return LINE_MAX_CHARS


def too_long(what: str, length: int, limit: int) -> str:
    """Return the message for a value past its bound (its length, never its text)."""
    return f"{what} has {length:,} characters (the limit is {limit:,})"


def report_long_values(doc: ConfigDocument) -> None:
    """Record an error at the line of every string in site.yaml longer than its bound."""
    for keypath, value in _strings(doc.data, ()):
        limit = length_limit(keypath)
        if len(value) > limit:
            doc.report(keypath, too_long(repr(".".join(map(str, keypath))), len(value), limit),
                       "shorten it; put long text in a page under content/, or in extra: for templates")


def _strings(data: Any, keypath: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    pending: list[tuple[KeyPath, Any]] = [(keypath, data)]
    while pending:
        keypath, value = pending.pop()
        if isinstance(value, dict):
            pending.extend((keypath + (key,), item) for key, item in value.items()
                           if not (not keypath and key in UNBOUNDED))
        elif isinstance(value, list):
            pending.extend((keypath + (index,), item) for index, item in enumerate(value))
        elif isinstance(value, str):
            yield keypath, value

"""Readable slugs for any script: 'Why we raised prices' -> 'why-we-raised-prices', '远程团队的一年' kept as is."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[-_ ]?")
_NOT_WORD = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[\s_-]+")


def slugify(text: str) -> str:
    """Return a lowercase slug that keeps letters of every script (so Chinese stays readable).

    Python's `\\w` is Unicode-aware, so CJK ideographs survive while punctuation of every
    script (including full-width '，' and '：') goes. The result may be empty; callers that
    need a slug use `fallback_slug`.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOT_WORD.sub("", text)
    return _SEPARATORS.sub("-", text).strip("-")


def fallback_slug(source: str, prefix: str = "post") -> str:
    """Return a stable slug for text with no letters at all (e.g. a title made of emoji)."""
    return f"{prefix}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"


def split_date_prefix(stem: str) -> tuple[tuple[int, int, int] | None, str]:
    """Split '2024-03-04-why-we-publish' into ((2024, 3, 4), 'why-we-publish')."""
    match = _DATE_PREFIX.match(stem)
    if not match:
        return None, stem
    year, month, day = (int(g) for g in match.groups())
    return (year, month, day), stem[match.end():]


def heading_id(value: str, separator: str = "-") -> str:
    """Return an id for a heading; Python-Markdown's toc makes repeated ids unique (_1, _2)."""
    return slugify(value) or "section"

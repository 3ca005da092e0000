"""Checks of single site.yaml values: each returns what is wrong, or None when the value is fine.

They are passed as `check=` to `Section.get`, which reports the problem at the value's line.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError
from pygments.styles import get_all_styles

from generator.errors import did_you_mean
from generator.plaintext import find_control_characters
from generator.urls import UnsafePath, contained_site_path, unsafe_scheme

_URL_UNSAFE = re.compile(r"[\s<>\"'`\\{}|^]")
"""Characters a base URL never needs and that would break out of an HTML attribute or a feed."""

PERMALINK_TOKENS = ("year", "month", "day", "slug", "category")
"""Placeholders a permalink pattern may use, e.g. '/{year}/{month}/{slug}/'."""


def normalize_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def check_base_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be a full http(s) address, found {url!r}"
    if parts.query or parts.fragment:
        return "must not hold a query or fragment"
    unsafe = sorted(set(_URL_UNSAFE.findall(url)))
    if unsafe or any(find_control_characters(url)):
        shown = ", ".join(repr(c) for c in unsafe) or "a control character"
        return f"must not hold spaces, quotes or markup ({shown}): it is written into every page's links"
    return None


def check_link(url: str) -> str | None:
    """Refuse a `javascript:`, `vbscript:` or `data:` URL, which would run code when a reader clicks it."""
    scheme = unsafe_scheme(url)
    return f"is a {scheme}: URL, which runs code or opens a hidden document when clicked" if scheme else None


def check_language(tag: str) -> str | None:
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return f"is not a known language tag: {tag!r}"
    return None


def check_timezone(name: str) -> str | None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = did_you_mean(name, available_timezones())
        return f"is not an IANA time zone: {name!r}" + (f"; {close}" if close else " (e.g. Europe/Berlin, Asia/Shanghai)")
    return None


def check_permalink(pattern: str) -> str | None:
    if not pattern.startswith("/"):
        return f"must start with '/', found {pattern!r}"
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        return "must end with '/' or '.html'"
    for token in re.findall(r"\{([^}]*)\}", pattern):
        if token not in PERMALINK_TOKENS:
            close = did_you_mean(token, PERMALINK_TOKENS)
            return f"uses unknown placeholder {{{token}}}" + (f"; {close}" if close else "") + \
                " (placeholders: " + ", ".join("{" + t + "}" for t in PERMALINK_TOKENS) + ")"
    if "{slug}" not in pattern:
        return "must contain {slug}, or two posts would share one address"
    try:
        contained_site_path(pattern)
    except UnsafePath as unsafe:
        return f"leaves the output folder: {unsafe}"
    return None


def check_pygments_style(name: str) -> str | None:
    styles = sorted(get_all_styles())
    if name not in styles:
        close = did_you_mean(name, styles)
        return f"is not a Pygments style: {name!r}" + (f"; {close}" if close else "")
    return None


def positive(value: int) -> str | None:
    return None if value > 0 else f"must be at least 1, found {value}"


def check_text_encoding(name: str) -> str | None:
    """Refuse an encoding that is not a text encoding CSV bytes can be read in (issue 22).

    Python's codec registry also holds `rot13`, `base64`, `zlib` and `hex`, which are not text encodings
    and crash a reader, and `undefined`, `idna` and `punycode`, which are not for files. A text encoding
    here is one that writes and reads back a small CSV unchanged.
    """
    try:
        info = codecs.lookup(name)
        sample = "month,mrr\r\n2024-01,12.50\r\n"
        readable = info._is_text_encoding and info.name not in _NOT_FOR_FILES \
            and sample.encode(info.name).decode(info.name) == sample
    except (LookupError, UnicodeError, ValueError):
        readable = False
    if readable:
        return None
    return f"is not a text encoding a CSV can be read in: {name!r}"


_NOT_FOR_FILES = frozenset({"undefined", "idna", "punycode"})

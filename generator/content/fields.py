"""Front matter values to typed fields: dates, categories, tags, flags; Jekyll and Hugo spellings too.

Problems are appended to a list rather than raised, so every bad field of every post is
reported in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.config import SiteConfig
from generator.config.lengths import length_limit, too_long
from generator.content.frontmatter import FrontMatter
from generator.content.slugs import slugify
from generator.errors import Diagnostic, choice_hint
from generator.limits import TITLE_MAX_CHARS
from generator.plaintext import find_control_characters, strip_control_characters

KNOWN_KEYS = frozenset({
    "title", "date", "updated", "category", "categories", "tags", "author", "authors", "summary",
    "slug", "draft", "image", "template", "permalink", "lang", "translation_key",
    # spellings from other generators, read as the key they mean
    "lastmod", "last_modified_at", "modified", "description", "excerpt", "published", "url", "translationKey",
})
"""Keys that become typed fields; every other key is kept as-is in `post.extra`."""

_DATE_HINT = "write YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional offset such as +08:00"
_STRING_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
    "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%a, %d %b %Y %H:%M:%S %z",
)
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")
_SPACE_BEFORE_OFFSET = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2}|Z)$")


@dataclass
class FieldReader:
    """Reads one file's front matter into typed values, collecting problems."""

    front: FrontMatter
    path: Path
    config: SiteConfig
    problems: list[Diagnostic] = field(default_factory=list)

    def report(self, key: str | None, message: str, hint: str | None = None, severity: str = "error") -> None:
        line = self.front.line_of(key) if key else None
        problem = Diagnostic(message, self.path, line or (1 if key else None), None, hint, severity)  # type: ignore[arg-type]
        if problem not in self.problems:  # a field read twice (the cover image) is reported once
            self.problems.append(problem)

    def raw(self, *keys: str) -> tuple[str | None, Any]:
        """Return (key, value) for the first of `keys` present with a value."""
        for key in keys:
            value = self.front.data.get(key)
            if value is not None and value != "":
                return key, value
        return None, None

    def text(self, *keys: str) -> str | None:
        key, value = self.raw(*keys)
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return self._bounded(key, self._plain(key, str(value).strip()))
        self.report(key, f"'{key}' must be text, found {type(value).__name__}", f"write {key}: some text")
        return None

    def _plain(self, key: str, text: str) -> str:
        """Return `text` without control characters (a YAML escape such as "\\e"), warning about the first."""
        found = next(find_control_characters(text), None)
        if found is None:
            return text
        self.report(key, f"removed the control character {found.name} from '{key}'",
                    "delete the escape from the front matter: feeds and pages must stay well-formed XML", "warning")
        return strip_control_characters(text)

    def _bounded(self, key: str, text: str, limit: int | None = None) -> str | None:
        """Return `text`, or None after reporting it is longer than its documented bound (generator.limits)."""
        limit = limit or length_limit((key,))
        if len(text) <= limit:
            return text
        self.report(key, too_long(f"'{key}'", len(text), limit), "shorten it; the body is the place for long text")
        return None

    def flag(self, key: str) -> bool | None:
        value = self.front.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.report(key, f"'{key}' must be true or false, found {value!r}", f"write {key}: true")
        return None

    def text_list(self, key: str, *, split_spaces: bool) -> tuple[str, ...]:
        """Read a list, or a string split on commas (or on spaces, Jekyll's way, when there are none)."""
        value = self.front.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if "," in value or not split_spaces else value.split()
            return self._names(key, (self._plain(key, p.strip()) for p in parts))
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            return self._names(key, (self._plain(key, str(v).strip()) for v in value))
        self.report(key, f"'{key}' must be a list of names", f"write {key}: [one, two]")
        return ()

    def _names(self, key: str, names: Iterable[str]) -> tuple[str, ...]:
        """Return the non-empty names, each bounded like a title (a tag, an author, a category)."""
        return tuple(bounded for name in names if name and (bounded := self._bounded(key, name, TITLE_MAX_CHARS)))

    def datetime(self, *keys: str) -> datetime | None:
        key, value = self.raw(*keys)
        if value is None:
            return None
        parsed = parse_datetime(value, self.config.zone)
        if parsed is None:
            self.report(key, f"'{key}' is not a date: {value!r}", _DATE_HINT)
        return parsed

    def category(self) -> tuple[str | None, tuple[str, ...]]:
        """Return (category slug, extra tags): `category` must name a beat; Jekyll `categories` may."""
        valid = {c.slug for c in self.config.categories}
        explicit = self.text("category")
        if explicit is not None:
            slug = match_category(explicit, self.config)
            if slug is None:
                self.report("category", f"unknown category {explicit!r}", choice_hint(slugify(explicit), valid))
            return slug, ()
        # Jekyll lists free-form categories: the first one that is a beat becomes the category,
        # the others are kept as tags so nothing the author wrote is lost.
        listed = self.text_list("categories", split_spaces=True)
        for index, name in enumerate(listed):
            slug = match_category(name, self.config)
            if slug is not None:
                return slug, listed[:index] + listed[index + 1:]
        # Posts kept in a folder named after a beat (content/posts/culture/…) belong to it, as in
        # Pelican; this lets files without front matter have a category too.
        return self._folder_category(), listed

    def _folder_category(self) -> str | None:
        for folder in reversed(self.path.parent.parts):
            if folder == "posts":
                return None
            slug = match_category(folder, self.config)
            if slug is not None:
                return slug
        return None


def match_category(name: str, config: SiteConfig) -> str | None:
    """Return the slug of the beat named by slug or display name (any language), else None."""
    wanted = slugify(name)
    for category in config.categories:
        names = {category.slug, category.name.default, *category.name.translations.values()}
        if wanted in {slugify(n) for n in names}:
            return category.slug
    return None


def parse_datetime(value: Any, zone: ZoneInfo) -> datetime | None:
    """Return an aware datetime from a YAML date/datetime or a date string; naive means `zone`.

    Jekyll exports write `2013-08-02 23:57:21.000000000 +08:00` (nanoseconds, a space before the
    offset); that and the other common spellings are accepted.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    if not isinstance(value, str):
        return None
    text = _SPACE_BEFORE_OFFSET.sub(r"\1\2", _LONG_FRACTION.sub(r"\1", value.strip()))
    parsed = _parse_string(text)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _parse_string(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for pattern in _STRING_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def extra_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the front matter keys that are not typed fields, for templates (`post.extra`)."""
    return {k: v for k, v in data.items() if k not in KNOWN_KEYS}

"""The Post type: one published Markdown file (a dated post or a standalone page)."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from generator.content.converted import Heading
from generator.content.references import MetricReference, PostAnnotation

TOC_MIN_HEADINGS = 3
"""A post shows its table of contents once it has this many headings."""
_BODY_LEVEL = 1
"""zlib's fastest level: a body reads back in microseconds and takes about a quarter of its text's memory."""


def pack_body(html: str) -> bytes:
    """Return a post's HTML as a Post keeps it: compressed (issue 24: 5,000 bodies held as text were 22 MiB of every
    build's memory, in every worker, in the content cache and in each page key's pickle)."""
    return zlib.compress(html.encode("utf-8"), _BODY_LEVEL)


@dataclass(frozen=True)
class Post:
    """One Markdown file, parsed, converted and placed at its URL."""

    kind: Literal["post", "page"]
    source: Path
    relpath: PurePosixPath
    """Path under content/, e.g. posts/2024-03-04-launch.md."""
    title: str
    slug: str
    path: str
    """Output path relative to the site root: '2024/03/launch/' or 'about/'."""
    date: datetime | None
    updated: datetime | None
    category: str | None
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    summary: str
    summary_written: bool
    """True when the writer chose the summary (front matter or `<!-- more -->`), not the first paragraph."""
    body_zlib: bytes
    """The converted HTML, as `pack_body` keeps it (read it as `body_html`)."""
    headings: tuple[Heading, ...]
    heading_count: int
    reading_minutes: int
    image: str | None
    template: str | None
    draft: bool
    lang: str | None
    """Language of the text when it differs from the site's (e.g. 'zh' on an English site)."""
    extra: Mapping[str, Any]
    references: tuple[MetricReference, ...] = ()
    """Metric and chart references, by placeholder index; `body_html` holds placeholders until the
    model resolves them against the published metrics."""
    annotation: PostAnnotation | None = None
    """Front matter `annotate:`: a numbered marker on the charts of the post's month."""
    path_line: int | None = None
    """The front matter line that chose `path` (`permalink:`, `url:` or `slug:`), so a URL collision points at it."""
    field_lines: Mapping[str, int] | None = None
    """The line of each front matter key ('title': 2), so what is found in a value later (a `{{ metric }}` in the
    title or summary, characters no font has) is reported at its line."""
    language: str | None = None
    """On a site in several languages, the tag of the language whose folder the post lives in (issue 23)."""
    translation_key: str | None = None
    """On a site in several languages, what the post shares with its translations (`translation_key:` or its
    file name without the language suffix)."""
    translation_line: int | None = None
    """The front matter line of `translation_key:`, when the post has one."""

    @property
    def body_html(self) -> str:
        """The converted HTML (with the references' placeholders), read from its compressed form each time: a
        page that shows it holds the text while it renders, and no build holds every body as text at once."""
        return zlib.decompress(self.body_zlib).decode("utf-8")

    @property
    def show_toc(self) -> bool:
        return self.heading_count >= TOC_MIN_HEADINGS

    @property
    def last_modified(self) -> datetime | None:
        return self.updated or self.date


@dataclass(frozen=True)
class Withheld:
    """A post kept out of the output: a draft, or scheduled for later."""

    relpath: PurePosixPath
    title: str
    reason: Literal["draft", "scheduled"]
    date: datetime | None


@dataclass(frozen=True)
class StaticFile:
    """A non-Markdown file under content/, copied to the same relative path in the output."""

    source: Path
    relpath: PurePosixPath


def post_card(post: Post) -> Post:
    """Return a post as listings, feeds' neighbours and the dashboard's month and year pages show it: all but
    its body (the page keys hash it so, and a `serve` rebuild reuses a dashboard while its posts' cards hold)."""
    return dataclasses.replace(post, body_zlib=_NO_BODY, headings=())


_NO_BODY = pack_body("")

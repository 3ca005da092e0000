"""The Post type: one published Markdown file (a dated post or a standalone page)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from generator.content.converted import Heading
from generator.content.references import MetricReference, PostAnnotation

TOC_MIN_HEADINGS = 3
"""A post shows its table of contents once it has this many headings."""


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
    body_html: str
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
    return dataclasses.replace(post, body_html="", headings=())

"""What converting one post's Markdown yields: HTML, headings, and the local files and posts it refers to.

Kept apart from the converter (markdown.py) so the stages and the build cache can read these
types without loading Python-Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.content.references import MetricReference, ReferenceProblem
from generator.urls import SourceTarget

MORE_MARKER = "<!-- more -->"
TITLE_MARKER = "<!-- opensite:title -->"
"""Where the heading a post took its title from stood, below scraped lines; its summary starts after it."""


_OWN_NUMBER = re.compile(r"\s*(?:\d{1,3}(?:\.\d{1,3})*\s*[.、．)）:：]|\d{1,3}(?:\.\d{1,3})+\s|[(（]\d{1,3}[)）]|"
                         r"[一二三四五六七八九十百零〇]{1,4}\s*[、.．]|第[一二三四五六七八九十百零〇\d]{1,4}[章节部篇条步]|"
                         r"[IVX]{1,5}[.)]\s)")


@dataclass(frozen=True)
class Heading:
    """One entry of a post's table of contents."""

    id: str
    name: str
    level: int
    children: tuple[Heading, ...] = ()

    @property
    def numbered(self) -> bool:
        """True when the heading carries its own number ("1. Pricing", "1.发送手写信件", "一、定价", "第二章"):
        a table of contents of such headings shows no list numbers of its own, or they would read "1. 1."."""
        return _OWN_NUMBER.match(self.name) is not None


@dataclass(frozen=True)
class LocalReference:
    """A local file, page or post a post refers to (image or link), resolved against its source folder."""

    tag: str
    """The element that refers to it: 'img', 'a', or another tag of raw HTML ('source', 'video', …)."""
    target: SourceTarget
    line: int | None = None
    """Line in the source file, once known (the converter sees only the body)."""

    @property
    def url(self) -> str:
        """The URL as written in the post."""
        return self.target.written

    @property
    def is_image(self) -> bool:
        return self.tag == "img"


@dataclass(frozen=True)
class UnsafeLink:
    """A link a reader could click that runs code (`javascript:`), refused at its line."""

    url: str
    scheme: str


@dataclass(frozen=True)
class ConvertedMarkdown:
    """What one conversion yields: HTML, headings for the ToC, and the local files it refers to."""

    html: str
    headings: tuple[Heading, ...]
    heading_count: int
    local_references: tuple[LocalReference, ...] = ()
    references: tuple[MetricReference, ...] = ()
    """`{{ metric … }}` and `{{ chart … }}` references, by placeholder index; lines not yet known."""
    reference_problems: tuple[ReferenceProblem, ...] = ()
    markdown_links: tuple[SourceTarget, ...] = ()
    """Links to other Markdown files, by placeholder index: their URLs are known once every post is loaded."""
    unsafe_links: tuple[UnsafeLink, ...] = ()

    @property
    def images(self) -> tuple[LocalReference, ...]:
        return tuple(r for r in self.local_references if r.is_image)


MARKDOWN_LINK_PLACEHOLDER = re.compile(r"opensite-markdown-link:(\d+)")
"""What a `.md` link's href holds until `link_markdown_targets` knows the target's URL."""

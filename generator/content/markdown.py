"""Markdown to HTML: owns the one reused Python-Markdown instance and our small extensions.

Each post is converted exactly once (Pelican converts body and summary separately, which is
most of its build time); the summary and reading time are derived from that one HTML string.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.content.references import (
    MetricReference,
    ReferenceExtension,
    ReferenceProblem,
)
from generator.content.slugs import heading_id

MORE_MARKER = "<!-- more -->"


@dataclass(frozen=True)
class Heading:
    """One entry of a post's table of contents."""

    id: str
    name: str
    level: int
    children: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class LocalReference:
    """A local image (or linked file) the post refers to, resolved against content/."""

    url: str
    """The URL as written in the post."""
    target: PurePosixPath
    """Path relative to content/, e.g. images/team.svg."""


@dataclass(frozen=True)
class ConvertedMarkdown:
    """What one conversion yields: HTML, headings for the ToC, and local images."""

    html: str
    headings: tuple[Heading, ...]
    heading_count: int
    images: tuple[LocalReference, ...]
    references: tuple[MetricReference, ...] = ()
    """`{{ metric … }}` and `{{ chart … }}` references, by placeholder index; lines not yet known."""
    reference_problems: tuple[ReferenceProblem, ...] = ()


def local_target(value: str | None, source_dir: PurePosixPath) -> PurePosixPath | None:
    """Return the content/-relative path a local URL points to, or None for external/anchor URLs.

    `/images/a.svg` is relative to content/; `cover.png` is relative to the file's own folder.
    """
    if not value or value.startswith(("#", "//", "data:", "mailto:", "tel:")):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/"):
        resolved = posixpath.normpath(parts.path.lstrip("/"))
    else:
        resolved = posixpath.normpath((source_dir / parts.path).as_posix())
    if resolved.startswith("..") or resolved == ".":
        return None
    return PurePosixPath(resolved)


def _with_slash(target: PurePosixPath, written: str) -> str:
    """Keep the trailing '/' of a folder URL that normalising dropped."""
    path = target.as_posix()
    return path + "/" if urlsplit(written).path.endswith("/") else path


def site_url_of(target: PurePosixPath, base_path: str, written: str = "") -> str:
    """Return the URL path of a content file under base_url's path, percent-encoded."""
    return base_path + quote(_with_slash(target, written))


def _query_and_fragment(url: str) -> str:
    """Return the '?query#fragment' tail of a URL, which resolving the path drops."""
    parts = urlsplit(url)
    return (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


class _LocalUrlRewriter(Treeprocessor):
    """Point local links and images at their site URL under base_url's path.

    A relative `cover.png` in content/posts/launch.md becomes `/open/posts/cover.png`, because
    the post's own URL (/open/2024/03/launch/) is not where the file is copied to.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.base_path = "/"
        self.source_dir = PurePosixPath(".")
        self.images: list[LocalReference] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            if attribute is None:
                continue
            value = element.get(attribute)
            if element.tag == "a" and not (value or "").startswith("/"):
                continue  # a relative link is relative to the page's own URL, as in a browser
            target = local_target(value, self.source_dir)
            if target is None:
                if element.tag == "a" and urlsplit(value).path == "/":  # the home page: '/', '/#top'
                    element.set(attribute, self.base_path + value[1:])
                continue
            element.set(attribute, site_url_of(target, self.base_path, value) + _query_and_fragment(value))
            if element.tag == "img":
                self.images.append(LocalReference(value, target))


class _LocalUrlExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        self.processor = _LocalUrlRewriter(md)
        # After inline patterns (priority 20) so <img> elements exist; before prettify (10).
        md.treeprocessors.register(self.processor, "opensite_local_urls", 15)


class MarkdownConverter:
    """Converts post bodies with one Markdown instance, reset between posts."""

    def __init__(self, base_path: str = "/", css_class: str = "highlight") -> None:
        self._local = _LocalUrlExtension()
        self._references = ReferenceExtension()
        self._base_path = base_path
        self._md = markdown.Markdown(
            extensions=[
                "tables", "fenced_code", "footnotes", "abbr", "attr_list", "def_list",
                "admonition", "md_in_html", "sane_lists",
                "codehilite", "toc", self._local, self._references,
            ],
            extension_configs={
                "codehilite": {"css_class": css_class, "guess_lang": False},
                "toc": {"slugify": heading_id, "toc_depth": "2-4"},
                "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
            },
            output_format="html",
        )

    def convert(self, text: str, source_dir: PurePosixPath) -> ConvertedMarkdown:
        """Return the HTML of `text`; relative URLs resolve against `source_dir` (under content/)."""
        md = self._md
        md.reset()
        processor = self._local.processor
        processor.base_path = self._base_path
        processor.source_dir = source_dir
        processor.images = []
        recorder = self._references.recorder
        recorder.reset()
        html = md.convert(text)
        tokens = getattr(md, "toc_tokens", [])
        headings = tuple(_heading(t) for t in tokens)
        return ConvertedMarkdown(html, headings, _count(headings), tuple(processor.images),
                                 tuple(recorder.references), tuple(recorder.problems))


def _heading(token: dict) -> Heading:
    return Heading(token["id"], _strip_tags(token["name"]), token["level"],
                   tuple(_heading(c) for c in token.get("children", ())))


def _count(headings: tuple[Heading, ...]) -> int:
    return sum(1 + _count(h.children) for h in headings)


_TAG = re.compile(r"<[^>]+>")


def _strip_tags(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def source_dir_of(relpath: Path) -> PurePosixPath:
    """Return the folder of a content-relative file as a POSIX path, for URL resolution."""
    return PurePosixPath(relpath.as_posix()).parent

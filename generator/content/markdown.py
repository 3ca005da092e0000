"""Markdown to HTML: owns the one reused Python-Markdown instance and our small extensions.

Each post is converted exactly once (Pelican converts body and summary separately, which is
most of its build time); the summary and reading time are derived from that one HTML string.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.content.converted import (
    ConvertedMarkdown,
    Heading,
    LocalReference,
    UnsafeLink,
)
from generator.content.reference_extension import ReferenceExtension
from generator.content.slugs import heading_id
from generator.urls import SourceTarget, resolve_source_reference, unsafe_scheme

_RAW_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?(/?)>")
_RAW_URL_ATTRIBUTE = re.compile(r"""(\s(?:src|href)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)


class _UrlRebaser:
    """Points the local URLs of one post at their public URLs, recording what they refer to.

    A relative `cover.png` or `[deck](deck.pdf)` in content/posts/launch.md becomes
    `/open/posts/cover.png`: it is resolved against the *source* folder (what the writer sees in
    their editor), because the post's own URL (/open/2024/03/launch/) is not where files are copied.
    Markdown elements and raw HTML in the post are treated alike.
    """

    def __init__(self) -> None:
        self.start("/", PurePosixPath("."))

    def start(self, base_path: str, source_dir: PurePosixPath) -> None:
        self.base_path = base_path
        self.source_dir = source_dir
        self.local: list[LocalReference] = []
        self.markdown_links: list[SourceTarget] = []
        self.unsafe: list[UnsafeLink] = []

    def rebase(self, tag: str, value: str | None) -> str | None:
        """Return the URL to write instead of `value`, or None to keep it as written."""
        scheme = unsafe_scheme(value)
        if scheme and not (scheme == "data" and tag == "img"):  # an inline image is data, not a link
            self.unsafe.append(UnsafeLink(value or "", scheme))
            return "#"
        target = resolve_source_reference(value, self.source_dir)
        if target is None:
            return None
        self.local.append(LocalReference(tag, target))
        if target.is_markdown and not target.outside:
            self.markdown_links.append(target)
            return f"opensite-markdown-link:{len(self.markdown_links) - 1}"
        return target.url(self.base_path)

    def rebase_raw_html(self, text: str) -> str:
        """Return raw HTML with the src and href of every tag rebased like Markdown's."""
        def tag(match: re.Match[str]) -> str:
            attributes = match.group(2)
            if not attributes:
                return match.group(0)
            rebased = _RAW_URL_ATTRIBUTE.sub(lambda m: self._raw_attribute(match.group(1).lower(), m), attributes)
            return f"<{match.group(1)}{rebased}{match.group(3)}>"
        return _RAW_TAG.sub(tag, text)

    def _raw_attribute(self, tag: str, match: re.Match[str]) -> str:
        quoted = match.group(2)
        value = html.unescape(quoted[1:-1] if quoted[:1] in "'\"" else quoted)
        rebased = self.rebase(tag, value)
        if rebased is None:
            return match.group(0)
        return f'{match.group(1)}"{html.escape(rebased, quote=True)}"'


class _UrlRewriter(Treeprocessor):
    """Rebases `<img src>` and `<a href>` of the element tree, and `src`/`href` in the post's raw HTML.

    Raw HTML waits in Python-Markdown's stash until the raw_html postprocessor puts it back; it is
    complete once inline patterns ran, so it is rewritten here, once (postprocessors also run on the
    table of contents, which would rebase a URL twice).
    """

    def __init__(self, md: markdown.Markdown, rebaser: _UrlRebaser) -> None:
        super().__init__(md)
        self.rebaser = rebaser

    def run(self, root: etree.Element) -> None:
        self._rebase_elements(root)
        stash = self.md.htmlStash
        for index, block in enumerate(stash.rawHtmlBlocks):
            if isinstance(block, str):
                stash.rawHtmlBlocks[index] = self.rebaser.rebase_raw_html(block)
            else:  # md_in_html keeps parsed elements
                self._rebase_elements(block)

    def _rebase_elements(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            if attribute is None or element.get(attribute) is None:
                continue
            rebased = self.rebaser.rebase(element.tag, element.get(attribute))
            if rebased is not None:
                element.set(attribute, rebased)


class _DemotedHeadings(Treeprocessor):
    """Shifts a body's headings one level down when it uses `#`: the page's title is its only <h1>.

    Pasted articles use `#` for their sections; beside the page's own `<h1>` title they would break
    the heading outline (vnu and axe's heading-order, issue 22). `##` and below stay as written when
    the body has no `#`; otherwise every level moves down one (`#` → h2, `##` → h3, …, h6 stays h6).
    """

    def run(self, root: etree.Element) -> None:
        headings = [e for e in root.iter() if e.tag in _HEADING_TAGS]
        if not any(e.tag == "h1" for e in headings):
            return
        for element in headings:
            element.tag = f"h{min(6, int(element.tag[1]) + 1)}"


_HEADING_TAGS = frozenset(f"h{level}" for level in range(1, 7))


class _LocalUrlExtension(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.rebaser = _UrlRebaser()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After inline patterns (priority 20) so <img> elements exist; before prettify (10).
        md.treeprocessors.register(_UrlRewriter(md, self.rebaser), "opensite_local_urls", 15)
        # Before the table of contents (5) reads the levels; after inline patterns (20).
        md.treeprocessors.register(_DemotedHeadings(md), "opensite_demoted_headings", 16)


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
        rebaser = self._local.rebaser
        rebaser.start(self._base_path, source_dir)
        recorder = self._references.recorder
        recorder.reset()
        html = label_empty_links(focusable_code_blocks(md.convert(text)))
        tokens = getattr(md, "toc_tokens", [])
        headings = tuple(_heading(t) for t in tokens)
        return ConvertedMarkdown(html, headings, _count(headings), tuple(rebaser.local),
                                 tuple(recorder.references), tuple(recorder.problems),
                                 tuple(rebaser.markdown_links), tuple(rebaser.unsafe))


_PRE = re.compile(r"<pre(?![^>]*\btabindex=)(?=[\s>])")
_EMPTY_LINK = re.compile(r'<a\b([^>]*\bhref="([^"]*)"[^>]*)>((?:\s|<img\b[^>]*\balt=""[^>]*>|<(?:span|div)\b[^>]*>\s*</(?:span|div)>)*)</a>',
                         re.IGNORECASE)


def focusable_code_blocks(text: str) -> str:
    """Return HTML whose <pre> blocks take keyboard focus: a long line scrolls, and a keyboard user must
    be able to scroll it (axe's scrollable-region-focusable)."""
    return _PRE.sub('<pre tabindex="0"', text)


def label_empty_links(text: str) -> str:
    """Return HTML in which a link with nothing to read (a pasted Medium link card, an image without alt
    text) says where it goes: screen readers otherwise announce just "link"."""
    def label(match: re.Match[str]) -> str:
        address = html.unescape(match.group(2))
        parts = urlsplit(address)
        shown = (parts.netloc + parts.path.rstrip("/")) if parts.netloc else address
        return f"<a{match.group(1)}>{match.group(3)}{html.escape(shown or address)}</a>"
    return _EMPTY_LINK.sub(label, text)


def _heading(token: dict) -> Heading:
    return Heading(token["id"], _strip_tags(token["name"]), token["level"],
                   tuple(_heading(c) for c in token.get("children", ())))


def _count(headings: tuple[Heading, ...]) -> int:
    return sum(1 + _count(h.children) for h in headings)


_TAG = re.compile(r"<[^>]+>")


def _strip_tags(text: str) -> str:
    return html.unescape(_TAG.sub("", text))

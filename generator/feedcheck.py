"""What `opensite check` finds in the rendered feeds: every Atom feed (and the sitemap) must be well-formed XML.

A browser forgives a stray character in a page; a feed reader drops the whole feed, for every
subscriber, at the first character XML 1.0 forbids (U+FFFF, say) or a `&` a theme override left
unescaped. The build cannot see this, so `check` parses each XML file it rendered and reports the
first error at its line and column in the feed, and, when the character comes from a post, at the
post's line too (issue #11, §1).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from generator.content import Post
from generator.errors import Diagnostic
from generator.model import OutputFile, Site
from generator.pages import FeedPage, PageKind
from generator.urls import absolute_url

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 forbids anywhere in a document, even escaped."""


def check_feeds(site: Site, files: Sequence[OutputFile], rendered_root: Path) -> list[Diagnostic]:
    """Return an error for each rendered feed or sitemap that is not well-formed XML.

    Args:
        site: the assembled site (its feed pages and the posts in each).
        files: the rendered files.
        rendered_root: where output/ would be, to name the feed.
    """
    data = {f.path: f.data for f in files}
    found: list[Diagnostic] = []
    for page in (page for tree in site.trees for page in tree.renders):  # every language's feeds (issue 23)
        if not (isinstance(page, FeedPage) or page.kind is PageKind.SITEMAP) or page.output_path not in data:
            continue
        error = _xml_error(data[page.output_path])
        if error is not None:
            posts = page.feed_posts if isinstance(page, FeedPage) else ()
            found += _feed_problems(page.output_path, data[page.output_path], error, rendered_root, posts,
                                    site.config.base_url, isinstance(page, FeedPage))
    return found


def _xml_error(document: bytes) -> ElementTree.ParseError | None:
    """Return the first well-formedness error of an XML document, or None."""
    try:
        ElementTree.fromstring(document)
    except ElementTree.ParseError as error:
        return error
    return None


def _feed_problems(path: str, document: bytes, error: ElementTree.ParseError, rendered_root: Path,
                   posts: Sequence[Post], base_url: str, feed: bool) -> list[Diagnostic]:
    """Return the error at the feed, plus one at the post whose text holds the character that broke it."""
    line, column = error.position
    text = document.decode("utf-8", errors="replace")
    lines = text.split("\n")
    char = lines[line - 1][column] if line <= len(lines) and column < len(lines[line - 1]) else ""
    forbidden = bool(_NOT_XML.fullmatch(char)) if char else False
    what = f"U+{ord(char):04X}, a character XML forbids" if forbidden \
        else re.sub(r"^not well-formed \((.*)\)$", r"\1", expat.ErrorString(error.code) or "")
    post = _post_at(text, sum(len(one) + 1 for one in lines[:line - 1]) + column, posts, base_url)
    post_line = _line_of(post.source, char) if post is not None and forbidden else None
    cause = f" in the entry of {post.source.name}" if post is not None else ""
    readers = "feed readers reject the whole feed" if feed else "search engines reject the whole sitemap"
    found = [Diagnostic(f"{path} is not well-formed XML: {what}{cause}; {readers}",
                        rendered_root / path, line, column + 1,
                        "delete the character from the post" if post_line else
                        "escape text in feed templates (no '| safe'), and remove characters XML forbids")]
    if post is not None and post_line is not None:
        found.append(Diagnostic(f"U+{ord(char):04X}, a character XML forbids, makes {path} unreadable for "
                                "feed readers", post.source, post_line, None, "delete the character"))
    return found


def _post_at(text: str, offset: int, posts: Sequence[Post], base_url: str) -> Post | None:
    """Return the post whose <entry> holds `offset` in a rendered feed, found by its link."""
    start = text.rfind("<entry", 0, offset + 1)
    if start < 0:
        return None
    end = text.find("</entry>", offset)
    entry = text[start:end if end >= 0 else len(text)]
    return next((post for post in posts if f'href="{absolute_url(post.path, base_url)}"' in entry), None)


def _line_of(source: Path, char: str) -> int | None:
    """Return the 1-based line of the first `char` in a post's source file (None when it is not there)."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # gone since the build read it: the feed's own error remains
        return None
    index = text.find(char)
    return text.count("\n", 0, index) + 1 if index >= 0 else None

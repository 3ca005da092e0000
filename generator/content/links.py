"""What a post's local links and images point to: missing files, paths out of content/, `.md` links.

Markdown conversion resolves each local URL against the post's source folder (generator.urls) and
records it with its line; this module checks those against the disk and, once every post is loaded,
turns a link to another post's Markdown file into that post's URL. Both run every build, cached or not,
because they depend on other files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from generator.content.converted import MARKDOWN_LINK_PLACEHOLDER, LocalReference
from generator.content.post import Post, pack_body
from generator.errors import Diagnostic
from generator.urls import public_url


def find_written_line(body: str, body_line: int, written: str) -> int | None:
    """Return the file line of the first body line that holds `written` (body_line is the body's first line)."""
    for index, line in enumerate(body.split("\n")):
        if written in line:
            return body_line + index
    return None


def check_local_references(references: Iterable[LocalReference], content_root: Path,
                           source: Path) -> list[Diagnostic]:
    """Return a warning per link or image out of content/ and per missing image, at its line."""
    problems: list[Diagnostic] = []
    for reference in references:
        if reference.target.outside:
            problems.append(Diagnostic(
                f"{reference.url} points outside content/, where nothing is published", source, reference.line,
                None, "move the file under content/ and link it from there", "warning"))
        elif reference.is_image and not (content_root / reference.target.path).is_file():
            problems.append(Diagnostic(f"image not found: {reference.url}", source, reference.line, None,
                                       f"add content/{reference.target.path} or fix the path", "warning"))
    return problems


def link_markdown_targets(posts: Sequence[Post], links: Mapping[Path, Sequence[LocalReference]],
                          base_path: str) -> tuple[list[Post], list[Diagnostic]]:
    """Return the posts with each `.md` link pointing at the published post's URL, and a warning per missing one.

    A link to a file that is missing, a draft or scheduled keeps pointing at the Markdown file's own
    path, which `check` reports as a broken link: a draft's slug never reaches the output.
    """
    by_relpath = {post.relpath: post for post in posts}
    linked: list[Post] = []
    problems: list[Diagnostic] = []
    for post in posts:
        references = links.get(post.source, ())
        if not references:
            linked.append(post)
            continue
        urls = []
        for reference in references:
            target = reference.target
            found = by_relpath.get(PurePosixPath(target.path))
            if found is None:
                problems.append(Diagnostic(
                    f"link to {target.written}: no published post or page at content/{target.path}", post.source,
                    reference.line, None,
                    "fix the path (relative to this file's folder), or publish the post it names", "warning"))
            urls.append(public_url(found.path, base_path) + target.tail if found else target.url(base_path))
        body_html = MARKDOWN_LINK_PLACEHOLDER.sub(lambda m: urls[int(m.group(1))], post.body_html)
        linked.append(replace(post, body_zlib=pack_body(body_html)))
    return linked, problems

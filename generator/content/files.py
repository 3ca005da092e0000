"""The files under content/ and the text of each, made safe before any parsing.

Three guards run here, before front matter or Markdown sees a byte: links leaving the site are
errors (`generator.inside`), control characters are stripped with a warning at their line so
every page and feed stays well-formed XML, and bodies whose shape would make Markdown crawl
(`generator.limits`) are refused at their line (issue #11, §1–2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.content.post import StaticFile
from generator.errors import ContentError, Diagnostic
from generator.inside import walk_inside
from generator.limits import (
    MARKDOWN_MAX_NESTING,
    MARKDOWN_MAX_OPEN_BRACKETS,
    MARKDOWN_MAX_PARAGRAPH_CHARS,
)
from generator.plaintext import find_control_characters, strip_control_characters

MARKDOWN_SUFFIXES = (".md", ".markdown")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_NESTING = re.compile(r"(?:\s*(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s)))+")
_MARKER = re.compile(r">|[-*+](?=\s)|\d{1,9}[.)](?=\s)")
_BRACKETS = {"[": "]", "(": ")", "<": ">"}


@dataclass(frozen=True)
class ContentFiles:
    """What content/ holds: Markdown files to parse, files to copy, and the problems found."""

    markdown: tuple[PurePosixPath, ...]
    static: tuple[StaticFile, ...]
    problems: tuple[Diagnostic, ...]
    """Errors (links leaving the site) and warnings (Markdown outside posts/ and pages/)."""


def scan_content(root: Path, site_root: Path) -> ContentFiles:
    """List Markdown and static files under content/ (`root`), skipping dotfiles and links leaving the site."""
    files, problems = walk_inside(root, site_root)
    markdown: list[PurePosixPath] = []
    static: list[StaticFile] = []
    for path in files:
        relpath = PurePosixPath(path.relative_to(root).as_posix())
        if any(part.startswith(".") for part in relpath.parts):
            continue
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            static.append(StaticFile(path, relpath))
        elif relpath.parts[0] in ("posts", "pages") and len(relpath.parts) > 1:
            markdown.append(relpath)
        else:
            problems.append(Diagnostic("Markdown outside content/posts/ and content/pages/ is not published",
                                       path, None, None, "move it into posts/ or pages/", "warning"))
    return ContentFiles(tuple(markdown), tuple(static), tuple(problems))


def decode_source(data: bytes, path: Path) -> tuple[str, list[Diagnostic]]:
    """Return a post's text without control characters, and a warning where they were; raise on non-UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1  # exc.start is a 0-based byte offset
        raise ContentError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path, line,
                           hint="save the file as UTF-8") from None
    found = list(find_control_characters(text))
    if not found:
        return text, []
    first = found[0]
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return strip_control_characters(text), [Diagnostic(
        f"removed the control character {first.name}{more}: pages and feeds must stay well-formed XML",
        path, first.line, first.column, "delete it from the file (often pasted from a terminal or a PDF)",
        "warning")]


def check_markdown_shape(body: str, path: Path, body_line: int) -> list[Diagnostic]:
    """Return an error for each paragraph or line whose shape would make Markdown crawl or overflow its stack."""
    problems: list[Diagnostic] = []
    fence: str | None = None
    paragraph: list[str] = []
    start = body_line
    for number, line in enumerate(body.split("\n"), body_line):
        opened = _FENCE.match(line)
        if fence is not None:
            fence = None if opened and opened.group(1)[0] == fence else fence
            continue
        if opened:
            fence = opened.group(1)[0]
        if opened or not line.strip():
            problems += _paragraph_problems(paragraph, path, start)
            paragraph, start = [], number + 1
            continue
        paragraph.append(line)
        if not any("nested" in p.message and "levels" in p.message for p in problems):  # once per file
            problems += _nesting_problem(line, path, number)
    problems += _paragraph_problems(paragraph, path, start)
    return problems


def _nesting_problem(line: str, path: Path, number: int) -> list[Diagnostic]:
    expanded = line.expandtabs(4)
    depth = (len(expanded) - len(expanded.lstrip(" "))) // 4
    markers = _NESTING.match(expanded)
    if markers:
        depth += len(_MARKER.findall(expanded, 0, markers.end() + 1))
    if depth <= MARKDOWN_MAX_NESTING:
        return []
    return [Diagnostic(f"lists or quotes nested {depth} levels deep (the limit is {MARKDOWN_MAX_NESTING})",
                       path, number, None, "flatten the list; deeper nesting is not readable anyway")]


def _paragraph_problems(lines: list[str], path: Path, start: int) -> list[Diagnostic]:
    if not lines:
        return []
    length = sum(len(line) + 1 for line in lines)
    if length > MARKDOWN_MAX_PARAGRAPH_CHARS:
        return [Diagnostic(f"a paragraph of {length:,} characters (the limit is {MARKDOWN_MAX_PARAGRAPH_CHARS:,})",
                           path, start, None, "split it with blank lines, or put data in a ``` code block")]
    text = "\n".join(lines)
    for opener, closer in _BRACKETS.items():
        if text.count(opener) <= MARKDOWN_MAX_OPEN_BRACKETS:
            continue  # the common case, without a character loop
        depth = _open_depth(text, opener, closer)
        if depth > MARKDOWN_MAX_OPEN_BRACKETS:
            return [Diagnostic(f"{depth:,} unclosed or nested {opener!r} in one paragraph (the limit is "
                               f"{MARKDOWN_MAX_OPEN_BRACKETS})", path, start, None,
                               f"close them, or write \\{opener} for a literal {opener}")]
    return []


def _open_depth(text: str, opener: str, closer: str) -> int:
    """Return the most `opener`s open at once (a closer only closes one that is open)."""
    depth = deepest = 0
    for char in text:
        if char == opener:
            depth += 1
            deepest = max(deepest, depth)
        elif char == closer and depth:
            depth -= 1
    return deepest

"""One Markdown file to a Post: front matter, title, Markdown, slug, date and URL — a pure function of its text.

`parse_source` reads nothing but the bytes it is given and the site's settings, so its result can be
cached by the file's hash (generator.content.cache) and computed in worker processes. What depends on
other files (does an image exist? is a linked post published?) is checked afterwards, every build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Protocol

from generator import routes
from generator.config import SiteConfig
from generator.config.lengths import too_long
from generator.content.converted import MORE_MARKER, TITLE_MARKER, ConvertedMarkdown, LocalReference, UnsafeLink
from generator.content.fields import FieldReader, extra_fields
from generator.content.files import check_markdown_shape, decode_source
from generator.content.frontmatter import FrontMatter, parse_front_matter
from generator.content.links import find_written_line
from generator.content.post import Post, pack_body
from generator.content.references import PostAnnotation, locate_problem, locate_references
from generator.content.remote import RemoteResource, find_remote_resources, is_remote, remote_problems
from generator.content.slugs import fallback_slug, slugify, split_date_prefix
from generator.content.text import cjk_language, derive_summary, reading_minutes, shorten
from generator.content.translations import Placement, place_post
from generator.errors import Diagnostic
from generator.limits import TITLE_MAX_CHARS
from generator.urls import UnsafePath, resolve_source_reference, source_dir_of

CONTENT_DIR = "content"
TITLE_FROM_LINE_MAX_CHARS = 100
"""A plain-text post's first line up to this length is its title; a longer one is shortened."""
_HEADING = re.compile(r"^#{1,6}(?!#)[ \t]*(.+?)[ \t]*#*[ \t]*$")
_H1 = re.compile(r"^#(?!#)[ \t]*(.+?)[ \t]*#*[ \t]*$")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`|~~)(.+?)\1")


@dataclass(frozen=True)
class ParsedSource:
    """What one Markdown file says on its own: the Post (None when it has errors), problems, what it links."""

    post: Post | None
    problems: tuple[Diagnostic, ...]
    local_references: tuple[LocalReference, ...] = ()
    """Images and links to local files, each with its line (checked against the disk every build)."""
    markdown_links: tuple[LocalReference, ...] = ()
    """Links to other Markdown files, by placeholder index, each with its line."""
    cover: LocalReference | None = None
    """The front matter `image:` when it is a local file."""


class Converter(Protocol):
    """Markdown to HTML (generator.content.markdown.MarkdownConverter), passed in so this module never loads it."""

    def convert(self, text: str, source_dir: PurePosixPath) -> ConvertedMarkdown: ...


def parse_source(data: bytes, relpath: PurePosixPath, config: SiteConfig, converter: Converter) -> ParsedSource:
    """Return what one Markdown file under content/ says, from its bytes; raise ContentError if it is not text."""
    path = config.root / CONTENT_DIR / relpath
    text, cleaned = decode_source(data, path)
    front = parse_front_matter(text, path)
    reader = FieldReader(front, path, config)
    reader.problems.extend(cleaned)
    kind = "post" if relpath.parts[0] == "posts" else "page"
    title, body, body_line = _title_and_body(reader, front)
    shape = check_markdown_shape(body, path, body_line)
    if shape:  # Markdown would crawl or overflow its stack on this body: stop before converting it
        return ParsedSource(None, tuple(reader.problems + shape))
    try:
        converted = converter.convert(body, source_dir_of(relpath))
    except Exception as exc:  # noqa: BLE001 — an extension's own bug on odd input is the writer's error, not a crash
        return ParsedSource(None, tuple(reader.problems) + (Diagnostic(
            f"Python-Markdown could not convert this body ({type(exc).__name__}: {str(exc)[:200]})", path, body_line,
            hint="simplify the Markdown near unusual HTML (e.g. a <div markdown=\"1\"> inside footnotes) and build "
                 "again"),))
    converted = replace(converted, references=locate_references(converted.references, body, body_line))
    _report_reference_problems(reader, converted, body, body_line)
    _report_unsafe_links(reader, converted.unsafe_links, body, body_line)
    _report_remote_resources(reader, converted.html, body, body_line, config)
    post = _assemble_post(reader, kind, path, relpath, title, converted, config)
    located = tuple(replace(r, line=find_written_line(body, body_line, r.url)) for r in converted.local_references)
    markdown_links = tuple(replace(LocalReference("a", target), line=find_written_line(body, body_line, target.written))
                           for target in converted.markdown_links)
    return ParsedSource(post, tuple(reader.problems), located, markdown_links, _cover(reader, relpath))


def _report_unsafe_links(reader: FieldReader, unsafe: tuple[UnsafeLink, ...], body: str, body_line: int) -> None:
    for link in unsafe:
        reader.problems.append(Diagnostic(
            f"{link.scheme}: link refused: {link.url[:80]}", reader.path, find_written_line(body, body_line, link.url),
            None, "link to a page or file (https://…, /about/, deck.pdf); a post never runs code"))


def _report_remote_resources(reader: FieldReader, html: str, body: str, body_line: int, config: SiteConfig) -> None:
    """Report every image, player, script or stylesheet the post would load from another server, at its line."""
    found = find_remote_resources(html)
    lines = [find_written_line(body, body_line, resource.url) for resource in found]
    cover = reader.text("image")
    if cover and is_remote(cover):
        found.append(RemoteResource("cover image", cover, 0))
        lines.append(reader.front.line_of("image"))
    reader.problems.extend(remote_problems(found, reader.path, lines, https_site=config.base_url.startswith("https:"),
                                           allowed=config.allow_remote))


def _cover(reader: FieldReader, relpath: PurePosixPath) -> LocalReference | None:
    """Return the front matter image as a local reference (with its line), or None when it is remote or absent."""
    target = resolve_source_reference(reader.text("image"), source_dir_of(relpath))
    return LocalReference("img", target, reader.front.line_of("image")) if target is not None else None


def _title_and_body(reader: FieldReader, front: FrontMatter) -> tuple[str, str, int]:
    """Return the title and the body without the heading line that repeats or supplies it.

    Medium and many hand-written posts start with `# Title`; without front matter it is the
    title, and with a matching front matter title it would otherwise show twice. A post pasted
    from the web often has a line of the site's navigation above its heading: without a `title:`,
    the first `#` heading is the title wherever it is (issue 22), and the summary starts after it.
    """
    title = reader.text("title")
    lines = front.body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    at = first if title is not None else _first_heading(lines)
    heading = _HEADING.match(lines[at]) if at is not None else None
    if heading and at == first and (title is None or slugify(heading.group(1)) == slugify(title)):
        title = title or _heading_title(reader, heading.group(1), front.body_line + at)
        lines[at] = ""  # blank, not deleted, so body lines keep their file line numbers
    elif heading and title is None and at is not None and first is not None:
        title = _heading_title(reader, heading.group(1), front.body_line + at)
        lines[at] = TITLE_MARKER  # the summary starts below it; the lines above stay, with a warning
        reader.problems.append(Diagnostic(
            f"no title: using the first heading, {shorten(title, 60)!r}, from line {front.body_line + at}; the "
            f"{at - first} line{'s' if at - first > 1 else ''} above it stay at the top of the post",
            reader.path, front.body_line + first, None,
            "add 'title: ...' to the front matter; delete the lines above the heading if they were copied from "
            "the site's navigation", "warning"))
    if not title and first is not None and reader.raw("title")[0] is None:
        title, lines = _title_from_first_line(reader, lines, first, front.body_line)
    if not title:
        if reader.raw("title")[0] is None:
            reader.report(None, "no title", "add 'title: ...' to the front matter or start the body with '# Title'")
        title = ""
    return title, "\n".join(lines), front.body_line


def _first_heading(lines: list[str]) -> int | None:
    """Return the index of the first `#` heading outside fenced code, or None (`##` and below are sections)."""
    fence = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence and stripped.startswith(fence) else fence or stripped[:3]
        elif fence is None and _H1.match(line):
            return index
    return None


def _heading_title(reader: FieldReader, text: str, line: int) -> str:
    """Return a heading as a title, or '' after reporting one longer than a title may be."""
    title = _plain_heading(text)
    if len(title) > TITLE_MAX_CHARS:
        reader.problems.append(Diagnostic(too_long("the heading used as the title", len(title), TITLE_MAX_CHARS),
                                          reader.path, line, None, "shorten it, or add 'title: ...' to the front "
                                          "matter and make the heading a section"))
        return ""
    return title


def _title_from_first_line(reader: FieldReader, lines: list[str], first: int, body_line: int) -> tuple[str, list[str]]:
    """Return a title from the first line of a plain-text post (a scraped article), with a warning.

    A short first line reads as the headline and leaves the body; a long one is a sentence, so the
    title is its start and the body keeps it.
    """
    text = _plain_heading(lines[first].strip())
    title = shorten(text, TITLE_FROM_LINE_MAX_CHARS)
    if title == text:
        lines = [*lines[:first], "", *lines[first + 1:]]
    reader.problems.append(Diagnostic(f"no title: using the first line, {title!r}", reader.path, body_line + first,
                                      None, "add 'title: ...' to the front matter or start the body with '# Title'",
                                      "warning"))
    return title, lines


def _assemble_post(reader: FieldReader, kind: str, path: Path, relpath: PurePosixPath, title: str,
                   converted, config: SiteConfig) -> Post | None:
    placed = place_post(reader, relpath, config)
    file_date, stem = _file_date_and_stem(relpath, placed.stem)
    date = _date(reader, kind, file_date, config)
    category, category_tags = reader.category() if kind == "post" else (None, ())
    slug = _slug(reader, stem, title, relpath)
    draft = reader.flag("draft") or reader.flag("published") is False
    summary = reader.text("summary", "description", "excerpt")
    authors = reader.text_list("authors", split_spaces=False) or reader.text_list("author", split_spaces=False)
    if reader.problems and any(p.severity == "error" for p in reader.problems):
        return None
    return Post(
        kind=kind, source=path, relpath=relpath, title=title, slug=slug,
        path=_output_path(reader, kind, relpath, slug, category, date, config, placed),
        date=date, updated=reader.datetime("updated", "lastmod", "last_modified_at", "modified"),
        category=category, tags=_unique(reader.text_list("tags", split_spaces=True) + category_tags),
        authors=authors or ((config.default_author,) if config.default_author else ()),
        summary=shorten(summary) if summary else derive_summary(converted.html),
        summary_written=bool(summary) or MORE_MARKER in converted.html,
        body_zlib=pack_body(converted.html), headings=converted.headings, heading_count=converted.heading_count,
        reading_minutes=reading_minutes(converted.html), image=_image(reader, relpath, config),
        template=reader.text("template"), draft=bool(draft),
        lang=_lang(reader, placed, converted.html, config),
        extra=MappingProxyType(extra_fields(reader.front.data)),
        references=converted.references, annotation=_annotation(reader),
        field_lines=MappingProxyType(dict(reader.front.key_lines)),
        path_line=_path_line(reader), language=placed.language.tag if placed.language else None,
        translation_key=placed.key, translation_line=placed.key_line,
    )


def _file_date_and_stem(relpath: PurePosixPath, stem: str) -> tuple[tuple[int, int, int] | None, str]:
    """Return the date prefix and slug stem of a file (its `stem` without a language suffix); a bundle's
    index.md takes its folder's name."""
    if stem in ("index", "_index") and len(relpath.parts) > 2:
        stem = relpath.parent.name
    return split_date_prefix(stem)


def _date(reader: FieldReader, kind: str, file_date: tuple[int, int, int] | None,
          config: SiteConfig) -> datetime | None:
    """Return the front matter date, else the file name's date; report a post that has neither."""
    date = reader.datetime("date")
    if date is not None or reader.raw("date")[0] is not None:
        return date  # a bad front matter date is already reported at its line
    if file_date is not None:
        try:
            return datetime(*file_date, tzinfo=config.zone)
        except ValueError:
            reader.report(None, "file name starts with an impossible date {:04d}-{:02d}-{:02d}".format(*file_date),
                          "fix the date in the file name or add 'date: YYYY-MM-DD' to the front matter")
            return None
    if kind == "post":
        reader.report(None, "post has no date",
                      "add 'date: YYYY-MM-DD' to the front matter or start the file name with YYYY-MM-DD-")
    return None


def _slug(reader: FieldReader, stem: str, title: str, relpath: PurePosixPath) -> str:
    given = reader.text("slug")
    if given is not None:
        slug = slugify(given)
        if not slug:
            reader.report("slug", f"slug {given!r} has no letters or digits", "write e.g. slug: our-first-year")
        return slug
    return slugify(stem) or slugify(title) or fallback_slug(relpath.as_posix())


def _output_path(reader: FieldReader, kind: str, relpath: PurePosixPath, slug: str, category: str | None,
                 date: datetime | None, config: SiteConfig, placed: Placement) -> str:
    """Return where the file is written, relative to the output root ('2024/03/slug/'), in its language's folder."""
    path = _path_in_language(reader, kind, relpath.with_stem(placed.stem), slug, category, date, config)
    return routes.in_language(placed.language.folder, path) if placed.language and path else path


def _path_in_language(reader: FieldReader, kind: str, relpath: PurePosixPath, slug: str,
                      category: str | None, date: datetime | None, config: SiteConfig) -> str:
    permalink = reader.text("permalink", "url")
    if permalink is not None:
        try:
            return routes.permalink(permalink)
        except UnsafePath as unsafe:
            reader.report("permalink" if reader.raw("permalink")[0] is not None else "url",
                          f"permalink {unsafe}: pages are written only inside the output folder",
                          "write a path from the site root, e.g. permalink: /about/team/")
            return ""
    if kind == "page":
        folder = PurePosixPath(*relpath.parts[1:-1]) if len(relpath.parts) > 2 else PurePosixPath()
        inside = folder.parent if relpath.stem in ("index", "_index") else folder
        return routes.standalone_page("" if inside == PurePosixPath() else inside.as_posix(), slug)
    try:
        return routes.post(config.permalink, date.astimezone(config.zone) if date else None, slug, category)
    except UnsafePath as unsafe:
        reader.report("slug" if reader.raw("slug")[0] is not None else None,
                      f"the site's permalink pattern makes {unsafe}", "give the post a 'slug:' of letters and digits")
        return ""


def _path_line(reader: FieldReader) -> int | None:
    """Return the line of the front matter key that chose the post's URL, or None when its file name did."""
    key = reader.raw("permalink", "url")[0] or reader.raw("slug")[0]
    return reader.front.line_of(key) if key else None


def _image(reader: FieldReader, relpath: PurePosixPath, config: SiteConfig) -> str | None:
    """Return the cover image URL: local files resolve like Markdown images, others stay as written."""
    image = reader.text("image")
    if image is None:
        return None
    target = resolve_source_reference(image, source_dir_of(relpath))
    return image if target is None else target.url(config.base_path)


def _report_reference_problems(reader: FieldReader, converted: ConvertedMarkdown, body: str, body_line: int) -> None:
    """Report each `{{ metric … }}` / `{{ chart … }}` that does not parse, at its line."""
    for problem in converted.reference_problems:
        reader.problems.append(Diagnostic(problem.message, reader.path, locate_problem(problem, body, body_line),
                                          None, problem.hint))


def _annotation(reader: FieldReader) -> PostAnnotation | None:
    """Read `annotate: "Raised prices"` and the optional `annotate_metrics: [mrr]` (both stay in `extra` too)."""
    text = reader.text("annotate")
    metrics = reader.text_list("annotate_metrics", split_spaces=True)
    if text is None:
        if metrics:
            reader.report("annotate_metrics", "'annotate_metrics' without 'annotate'",
                          'add annotate: "What happened" (the marker\'s text), or remove annotate_metrics')
        return None
    return PostAnnotation(text, metrics, reader.front.line_of("annotate"))


def _lang(reader: FieldReader, placed: Placement, body_html: str, config: SiteConfig) -> str | None:
    """Return the language of the text when it differs from the language of the pages around it."""
    if placed.language is None:
        return reader.text("lang") or _detected_lang(body_html, config.language)
    return placed.lang or _detected_lang(body_html, placed.language.tag)


def _detected_lang(body_html: str, language: str) -> str | None:
    """Mark a post whose script differs from the language of its pages (a Chinese post on an English
    site, and the reverse), so screen readers pronounce it right."""
    site = language.split("-")[0]
    detected = cjk_language(body_html)
    if detected is not None:
        return detected if detected != site else None
    return "en" if site in ("zh", "ja", "ko") else None


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _plain_heading(text: str) -> str:
    """Return a Markdown heading as plain text: `Why *we* [publish](x)` -> `Why we publish`."""
    text = _INLINE_LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text



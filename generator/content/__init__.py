"""content/ to Posts: front matter, Markdown, slugs and URLs; drafts and scheduled posts withheld.

`load_content` reads every file, reports every problem of every file together, and returns
only what may be published, so no later stage can leak a draft by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from generator.config import SiteConfig
from generator.content.fields import FieldReader, extra_fields
from generator.content.frontmatter import FrontMatter, parse_front_matter
from generator.content.markdown import (
    MORE_MARKER,
    ConvertedMarkdown,
    MarkdownConverter,
    local_target,
    site_url_of,
    source_dir_of,
)
from generator.content.post import Post, StaticFile, Withheld
from generator.content.references import (
    PostAnnotation,
    locate_problem,
    locate_references,
)
from generator.content.source import check_markdown_shape, read_source, scan_content
from generator.content.slugs import fallback_slug, slugify, split_date_prefix
from generator.content.text import (
    cjk_language,
    derive_summary,
    reading_minutes,
    shorten,
)
from generator.errors import ContentError, Diagnostic, GeneratorError

__all__ = ["Content", "Post", "StaticFile", "Withheld", "load_content"]

CONTENT_DIR = "content"
TITLE_FROM_LINE_MAX_CHARS = 100
"""A plain-text post's first line up to this length is its title; a longer one is shortened."""
_H1 = re.compile(r"^#(?!#)\s*(.+?)\s*#*\s*$")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`|~~)(.+?)\1")


@dataclass(frozen=True)
class Content:
    """Everything publishable under content/, plus what was withheld and the warnings."""

    posts: tuple[Post, ...]
    """Published posts, newest first."""
    pages: tuple[Post, ...]
    static_files: tuple[StaticFile, ...]
    withheld: tuple[Withheld, ...]
    warnings: tuple[Diagnostic, ...]


def load_content(config: SiteConfig, *, now: datetime, drafts: bool = False) -> Content:
    """Read content/ and return what may be published at `now`; raise ContentError on any problem.

    Args:
        config: the validated site config.
        now: the build time (SOURCE_DATE_EPOCH when set); posts dated after it are scheduled.
        drafts: publish drafts and scheduled posts too (for previews).
    """
    root = config.root / CONTENT_DIR
    found = scan_content(root, config.root)
    static_files = found.static
    warnings = [p for p in found.problems if p.severity == "warning"]
    converter = MarkdownConverter(config.base_path)
    problems: list[Diagnostic] = [p for p in found.problems if p.severity == "error"]
    loaded: list[Post] = []
    for relpath in found.markdown:
        try:
            post, post_problems = _load_file(root, relpath, config, converter)
        except GeneratorError as error:
            problems.extend(error.diagnostics)
            continue
        problems.extend(p for p in post_problems if p.severity == "error")
        warnings.extend(p for p in post_problems if p.severity == "warning")
        if post is not None:
            loaded.append(post)
    error = ContentError.collect(problems)
    if error:
        raise error
    published, withheld = _split_published(loaded, now, drafts)
    posts = sorted((p for p in published if p.kind == "post"), key=_newest_first)
    pages = sorted((p for p in published if p.kind == "page"), key=lambda p: p.relpath)
    return Content(tuple(posts), tuple(pages), tuple(static_files), tuple(withheld), tuple(warnings))


def _plain_heading(text: str) -> str:
    """Return a Markdown heading as plain text: `Why *we* [publish](x)` -> `Why we publish`."""
    text = _INLINE_LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def _newest_first(post: Post) -> tuple[float, str]:
    return (-post.date.timestamp() if post.date else 0.0, post.relpath.as_posix())


def _load_file(root: Path, relpath: PurePosixPath, config: SiteConfig,
               converter: MarkdownConverter) -> tuple[Post | None, list[Diagnostic]]:
    """Parse one Markdown file into a Post, with the problems found in its fields."""
    path = root / relpath
    text, cleaned = read_source(path)
    front = parse_front_matter(text, path)
    reader = FieldReader(front, path, config)
    reader.problems.extend(cleaned)
    kind = "post" if relpath.parts[0] == "posts" else "page"
    title, body, body_line = _title_and_body(reader, front)
    shape = check_markdown_shape(body, path, body_line)
    if shape:
        return None, reader.problems + shape
    converted = converter.convert(body, source_dir_of(relpath))
    converted = replace(converted, references=locate_references(converted.references, body, body_line))
    _report_reference_problems(reader, converted, body, body_line)
    post = _assemble_post(reader, kind, path, relpath, title, converted, config)
    _check_images(reader, root, converted.images, body, body_line)
    return post, reader.problems


def _title_and_body(reader: FieldReader, front: FrontMatter) -> tuple[str, str, int]:
    """Return the title and the body without a leading '# Title' line that repeats or supplies it.

    Medium and many hand-written posts start with `# Title`; without front matter it is the
    title, and with a matching front matter title it would otherwise show twice.
    """
    title = reader.text("title")
    lines = front.body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = _H1.match(lines[first]) if first is not None else None
    if heading and (title is None or slugify(heading.group(1)) == slugify(title)):
        title = title or _plain_heading(heading.group(1))
        lines[first] = ""  # blank, not deleted, so body lines keep their file line numbers
    if not title and first is not None:
        title, lines = _title_from_first_line(reader, lines, first, front.body_line)
    if not title:
        reader.report(None, "no title", "add 'title: ...' to the front matter or start the body with '# Title'")
        title = ""
    return title, "\n".join(lines), front.body_line


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
    file_date, stem = _file_date_and_stem(relpath)
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
        path=_output_path(reader, kind, relpath, slug, category, date, config),
        date=date, updated=reader.datetime("updated", "lastmod", "last_modified_at", "modified"),
        category=category, tags=_unique(reader.text_list("tags", split_spaces=True) + category_tags),
        authors=authors or ((config.default_author,) if config.default_author else ()),
        summary=shorten(summary) if summary else derive_summary(converted.html),
        summary_written=bool(summary) or MORE_MARKER in converted.html,
        body_html=converted.html, headings=converted.headings, heading_count=converted.heading_count,
        reading_minutes=reading_minutes(converted.html), image=_image(reader, relpath, config),
        template=reader.text("template"), draft=bool(draft),
        lang=reader.text("lang") or _detected_lang(converted.html, config),
        extra=MappingProxyType(extra_fields(reader.front.data)),
        references=converted.references, annotation=_annotation(reader),
    )


def _file_date_and_stem(relpath: PurePosixPath) -> tuple[tuple[int, int, int] | None, str]:
    """Return the date prefix and slug stem of a file; a bundle's index.md takes its folder's name."""
    stem = relpath.stem
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


def _output_path(reader: FieldReader, kind: str, relpath: PurePosixPath, slug: str,
                 category: str | None, date: datetime | None, config: SiteConfig) -> str:
    """Return where the file is written, relative to the output root ('2024/03/slug/')."""
    permalink = reader.text("permalink", "url")
    if permalink is not None:
        path = permalink.strip("/") if permalink.endswith(".html") else permalink.strip("/") + "/"
        return "" if path == "/" else path
    if kind == "page":
        folder = PurePosixPath(*relpath.parts[1:-1]) if len(relpath.parts) > 2 else PurePosixPath()
        inside = folder.parent if relpath.stem in ("index", "_index") else folder
        return (inside / slug).as_posix() + "/"
    local = date.astimezone(config.zone) if date else datetime(1970, 1, 1)
    return config.permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
        slug=slug, category=category or "uncategorized",
    ).lstrip("/")


def _image(reader: FieldReader, relpath: PurePosixPath, config: SiteConfig) -> str | None:
    """Return the cover image URL: local files resolve like Markdown images, others stay as written."""
    image = reader.text("image")
    if image is None:
        return None
    target = local_target(image, source_dir_of(relpath))
    if target is None:
        return image
    if not (config.root / CONTENT_DIR / target).is_file():
        reader.report("image", f"image not found: {image}", f"add content/{target} or fix the path", "warning")
    return site_url_of(target, config.base_path)


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


def _check_images(reader: FieldReader, root: Path, images, body: str, body_line: int) -> None:
    """Warn about each local image that does not exist, at the line that refers to it."""
    lines = body.split("\n")
    for image in images:
        if (root / image.target).is_file():
            continue
        index = next((i for i, line in enumerate(lines) if image.url in line), None)
        line = body_line + index if index is not None else None
        reader.problems.append(Diagnostic(f"image not found: {image.url}", reader.path, line, None,
                                          f"add content/{image.target} or fix the path", "warning"))


def _detected_lang(body_html: str, config: SiteConfig) -> str | None:
    """Mark a post whose script differs from the site's language (a Chinese post on an English
    site, and the reverse), so screen readers pronounce it right."""
    site = config.language.split("-")[0]
    detected = cjk_language(body_html)
    if detected is not None:
        return detected if detected != site else None
    return "en" if site in ("zh", "ja", "ko") else None


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _split_published(posts: list[Post], now: datetime, drafts: bool) -> tuple[list[Post], list[Withheld]]:
    if drafts:
        return posts, []
    published: list[Post] = []
    withheld: list[Withheld] = []
    for post in posts:
        if post.draft:
            withheld.append(Withheld(post.relpath, post.title, "draft", post.date))
        elif post.date is not None and post.date > now:
            withheld.append(Withheld(post.relpath, post.title, "scheduled", post.date))
        else:
            published.append(post)
    return published, withheld

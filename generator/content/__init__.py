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
from generator.content.links import check_local_references, link_markdown_targets
from generator.content.markdown import (
    MORE_MARKER,
    ConvertedMarkdown,
    MarkdownConverter,
)
from generator.content.post import Post, StaticFile, Withheld
from generator.content.references import (
    PostAnnotation,
    locate_problem,
    locate_references,
)
from generator.content.slugs import fallback_slug, slugify, split_date_prefix
from generator.content.text import (
    cjk_language,
    derive_summary,
    reading_minutes,
    shorten,
)
from generator.errors import ContentError, Diagnostic, GeneratorError
from generator.urls import SourceTarget, UnsafePath, contained_site_path, resolve_source_reference, source_dir_of

__all__ = ["Content", "Post", "StaticFile", "Withheld", "load_content"]

CONTENT_DIR = "content"
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
    markdown_files, static_files, warnings = _scan(root)
    converter = MarkdownConverter(config.base_path)
    problems: list[Diagnostic] = []
    loaded: list[Post] = []
    links: dict[Path, tuple[SourceTarget, ...]] = {}
    bodies: dict[Path, tuple[str, int]] = {}
    for relpath in markdown_files:
        try:
            post, post_problems, converted, body = _load_file(root, relpath, config, converter)
        except GeneratorError as error:
            problems.extend(error.diagnostics)
            continue
        problems.extend(p for p in post_problems if p.severity == "error")
        warnings.extend(p for p in post_problems if p.severity == "warning")
        if post is not None:
            loaded.append(post)
            links[post.source], bodies[post.source] = converted.markdown_links, body
    error = ContentError.collect(problems)
    if error:
        raise error
    published, withheld = _split_published(loaded, now, drafts)
    published, link_problems = link_markdown_targets(published, links, config.base_path, bodies)
    warnings.extend(link_problems)
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


def _scan(root: Path) -> tuple[list[PurePosixPath], list[StaticFile], list[Diagnostic]]:
    """List Markdown and static files under content/, skipping dotfiles and dot-folders."""
    markdown_files: list[PurePosixPath] = []
    static_files: list[StaticFile] = []
    warnings: list[Diagnostic] = []
    if not root.is_dir():
        return markdown_files, static_files, warnings
    for path in sorted(root.rglob("*")):
        relpath = PurePosixPath(path.relative_to(root).as_posix())
        if any(part.startswith(".") for part in relpath.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in (".md", ".markdown"):
            static_files.append(StaticFile(path, relpath))
        elif relpath.parts[0] in ("posts", "pages") and len(relpath.parts) > 1:
            markdown_files.append(relpath)
        else:
            warnings.append(Diagnostic("Markdown outside content/posts/ and content/pages/ is not published",
                                       path, None, None, "move it into posts/ or pages/", "warning"))
    return markdown_files, static_files, warnings


def _load_file(root: Path, relpath: PurePosixPath, config: SiteConfig, converter: MarkdownConverter
               ) -> tuple[Post | None, list[Diagnostic], ConvertedMarkdown, tuple[str, int]]:
    """Parse one Markdown file into a Post, with the problems found in it, its conversion and its body."""
    path = root / relpath
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1  # exc.start is a 0-based byte offset
        raise ContentError(f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x})", path, line,
                           hint="save the file as UTF-8") from None
    front = parse_front_matter(text, path)
    reader = FieldReader(front, path, config)
    kind = "post" if relpath.parts[0] == "posts" else "page"
    title, body, body_line = _title_and_body(reader, front)
    converted = converter.convert(body, source_dir_of(relpath))
    converted = replace(converted, references=locate_references(converted.references, body, body_line))
    _report_reference_problems(reader, converted, body, body_line)
    post = _assemble_post(reader, kind, path, relpath, title, converted, config)
    reader.problems.extend(check_local_references(converted, root, path, body, body_line))
    return post, reader.problems, converted, (body, body_line)


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
    if not title:
        reader.report(None, "no title", "add 'title: ...' to the front matter or start the body with '# Title'")
        title = ""
    return title, "\n".join(lines), front.body_line


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
        try:
            path = contained_site_path(permalink if permalink.endswith(".html") else permalink.rstrip("/") + "/")
        except UnsafePath as unsafe:
            reader.report("permalink" if reader.raw("permalink")[0] is not None else "url",
                          f"permalink {unsafe}: pages are written only inside the output folder",
                          "write a path from the site root, e.g. permalink: /about/team/")
            return ""
        return path
    if kind == "page":
        folder = PurePosixPath(*relpath.parts[1:-1]) if len(relpath.parts) > 2 else PurePosixPath()
        inside = folder.parent if relpath.stem in ("index", "_index") else folder
        return (inside / slug).as_posix() + "/"
    local = date.astimezone(config.zone) if date else datetime(1970, 1, 1)
    path = config.permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
        slug=slug, category=category or "uncategorized",
    )
    try:
        return contained_site_path(path)
    except UnsafePath as unsafe:
        reader.report("slug" if reader.raw("slug")[0] is not None else None,
                      f"the site's permalink pattern makes {unsafe}", "give the post a 'slug:' of letters and digits")
        return ""


def _image(reader: FieldReader, relpath: PurePosixPath, config: SiteConfig) -> str | None:
    """Return the cover image URL: local files resolve like Markdown images, others stay as written."""
    image = reader.text("image")
    if image is None:
        return None
    target = resolve_source_reference(image, source_dir_of(relpath))
    if target is None:
        return image
    if target.outside or not (config.root / CONTENT_DIR / target.path).is_file():
        reader.report("image", f"image not found: {image}", f"add content/{target.path} or fix the path", "warning")
    return target.url(config.base_path)


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

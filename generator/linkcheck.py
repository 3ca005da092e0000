"""What `opensite check` finds beyond a build: broken internal links, images and #anchors, missing alt text.

A build proves that every page renders; it cannot see that a post links to a page that does not
exist, or to a heading whose id changed when its text was edited. This module reads the rendered
HTML (nothing is written) and resolves every internal URL the way a static host would serve it.
A problem inside a post's own text is reported at its line in the Markdown file; one that comes
from a template shows up on many pages, so it is reported once, on the first rendered page.
It also lists what a writer should know before publishing: posts without summary or category,
and posts withheld as drafts or scheduled for later.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit

from generator.config import SiteConfig
from generator.content import Content, Post
from generator.errors import Diagnostic, GeneratorError, Severity
from generator.model import OutputFile, Site
from generator.pages import PostBacked
from generator.urls import base_path_of, output_file_of, site_path_of

NOTE: Severity = "note"
"""Severity of facts that are not problems (a scheduled post); `Severity` names only error and warning."""

_URL_ATTRIBUTES: Mapping[str, str] = {
    "a": "href", "area": "href", "link": "href", "img": "src", "script": "src", "source": "src",
    "video": "src", "audio": "src", "track": "src", "iframe": "src", "embed": "src",
}
"""The attribute of each element that points at another file or page."""
_LINK_TAGS = ("a", "area")
_SITE_TOP = ("", "top")
"""Fragments every page has: '#' and '#top' scroll to the top (HTML's "indicated part" rules)."""

ProblemKind = Literal["link", "file", "anchor", "outside", "alt"]


@dataclass(frozen=True)
class Reference:
    """One URL a page refers to, or one image on it."""

    tag: str
    url: str
    line: int
    alt: str | None = None
    """For images: the alt text, or None when the attribute is missing."""


@dataclass(frozen=True)
class PageScan:
    """What a link check needs from one HTML page: its ids and what it refers to."""

    ids: frozenset[str]
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class LinkProblem:
    """One broken reference on one rendered page (`page` is its output path, e.g. 'about/index.html')."""

    page: str
    line: int
    url: str
    kind: ProblemKind
    message: str
    hint: str


class _Scanner(HTMLParser):
    """Collects ids and URL references with their line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        attribute = _URL_ATTRIBUTES.get(tag)
        if attribute is None or (attribute not in values and tag != "img"):
            return
        alt = values.get("alt") if tag == "img" else None
        self.references.append(Reference(tag, values.get(attribute, "").strip(), self.getpos()[0], alt))

    handle_startendtag = handle_starttag


def parse_page(text: str) -> PageScan:
    """Return the ids and references of an HTML page."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return PageScan(frozenset(scanner.ids), tuple(scanner.references))


def find_link_problems(files: Sequence[OutputFile], base_url: str,
                       extra_paths: Collection[str] = ()) -> list[LinkProblem]:
    """Return every internal reference of the HTML files that does not resolve, and images without alt.

    Args:
        files: the rendered files, by output path.
        base_url: the site's address; its path is where output/ is served ('/open/').
        extra_paths: output paths of files copied as they are (images, PDFs under content/).
    """
    scans = {f.path: parse_page(f.data.decode("utf-8", "replace")) for f in files if f.path.endswith(".html")}
    available = {f.path for f in files} | set(extra_paths)
    problems: list[LinkProblem] = []
    for page, scan in scans.items():
        for reference in scan.references:
            problem = _check_reference(page, reference, base_url, available, scans)
            if problem is not None:
                problems.append(problem)
    return problems


def _check_reference(page: str, reference: Reference, base_url: str, available: set[str],
                     scans: Mapping[str, PageScan]) -> LinkProblem | None:
    if reference.tag == "img" and reference.alt is None:
        return LinkProblem(page, reference.line, reference.url, "alt", f"image has no alt attribute: {reference.url}",
                           'describe the image, e.g. ![Revenue by month](chart.svg), or write alt="" if it is '
                           "only decoration")
    if not reference.url:
        return None
    # A site repeats the same absolute links on every page (navigation, assets): resolve each once.
    target = _resolve(reference.url, "" if reference.url.startswith(("/", "http:", "https:")) else page, base_url)
    if target is None:
        return None
    path, fragment = target
    if path is None and "/../" in reference.url:
        return LinkProblem(page, reference.line, reference.url, "outside",
                           f"link climbs out of the site: {reference.url}",
                           "only files under content/ are published: move the file there and link it from there")
    if path is None:
        base_path = base_path_of(base_url)
        return LinkProblem(page, reference.line, reference.url, "outside",
                           f"link leaves the site: {reference.url} is not under base_url's path {base_path}",
                           f"start site links with {base_path}, or write them in Markdown as /path/ so "
                           "opensite adds the base path")
    found = _find(path, available)
    if found is None:
        return _missing(page, reference, path)
    if fragment.lower() not in _SITE_TOP and found in scans and fragment not in scans[found].ids:
        shown = "this page" if found == page else f"/{path}"
        return LinkProblem(page, reference.line, reference.url, "anchor",
                           f"anchor #{fragment} does not exist on {shown}",
                           "link to an existing heading id (headings get ids from their text), or fix the anchor")
    return None


def _missing(page: str, reference: Reference, path: str) -> LinkProblem:
    if reference.tag in _LINK_TAGS:
        return LinkProblem(page, reference.line, reference.url, "link", f"broken link: {reference.url}",
                           f"nothing is built at /{path}; fix the link or create the page")
    what = "image" if reference.tag == "img" else "file"
    return LinkProblem(page, reference.line, reference.url, "file", f"{what} not found: {reference.url}",
                       f"nothing is built or copied to /{path}; add it under content/ or fix the path")


@functools.lru_cache(maxsize=65536)
def _resolve(url: str, page: str, base_url: str) -> tuple[str | None, str] | None:
    """Return (output-relative path or None when outside the site, fragment); None for external URLs."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, data:, javascript:
    if (parts.scheme or parts.netloc) and parts.netloc != base.netloc:
        return None
    base_path = base_path_of(base_url)
    page_url = f"{base.scheme}://{base.netloc}{base_path}{site_path_of(page)}"
    joined = urlsplit(urljoin(page_url, url))
    raw = unquote(joined.path) or "/"
    path = posixpath.normpath(raw)
    if raw.endswith("/") and path != "/":
        path += "/"  # normpath drops it, but 'about/' and 'about' are different URLs
    fragment = unquote(joined.fragment)
    if path + "/" == base_path:
        return "", fragment
    if not path.startswith(base_path):
        return None if (parts.scheme or parts.netloc) else (None, fragment)
    return path[len(base_path):], fragment


def _find(path: str, available: set[str]) -> str | None:
    """Return the output file that serves `path`, as a static host would (folders serve index.html)."""
    for candidate in (output_file_of(path), path.rstrip("/") + "/index.html"):
        if candidate in available:
            return candidate
    return None


def check_rendered_site(site: Site, files: Sequence[OutputFile], content: Content, warnings: Sequence[Diagnostic],
                        rendered_root: Path, more: Sequence[Diagnostic] = ()) -> tuple[Diagnostic, ...]:
    """Return the build's warnings plus every problem `opensite check` finds in the rendered site.

    Args:
        site: the assembled site (posts, pages, their sources and output paths).
        files: the rendered files.
        content: what load_content returned (for the withheld posts).
        warnings: the build's warnings (content and metrics).
        rendered_root: where output/ would be, to name the rendered page of a template problem.
        more: what other checks of the rendered files found (generator.feedcheck), sorted in with the rest.
    """
    posts = tuple(post for tree in site.trees for post in tree.posts)  # every language's (issue 23)
    written = posts + tuple(page for tree in site.trees for page in tree.pages)
    sources = load_sources(written)
    static = [s.relpath.as_posix() for s in site.static_files]
    problems = find_link_problems(files, site.config.base_url, static)
    found = locate_problems(problems, site, sources, rendered_root)
    found += check_alt_text(written, sources, site.config.base_path)
    found += check_posts(posts, site.config, sources)
    found += withheld_notes(content, site.config)
    found += more
    kept = _without_superseded(warnings, found)
    return tuple(sorted(kept + found, key=_order))


def load_sources(posts: Iterable[Post]) -> dict[Path, str]:
    """Read the Markdown source of each post (to point problems at their line)."""
    sources: dict[Path, str] = {}
    for post in posts:
        try:
            sources[post.source] = post.source.read_text(encoding="utf-8")
        except OSError as exc:
            raise GeneratorError(f"cannot read {post.source.name}: {exc.strerror or exc}", post.source) from None
    return sources


def locate_problems(problems: Sequence[LinkProblem], site: Site, sources: Mapping[Path, str],
                    rendered_root: Path) -> list[Diagnostic]:
    """Point each problem at its Markdown line when it comes from a post's text, else at the rendered page.

    A template problem repeats on every page that uses the template; it is reported once with a count.
    """
    posts = {page.output_path: page.post for tree in site.trees for page in tree.renders
             if isinstance(page, PostBacked)}
    found: list[Diagnostic] = []
    by_template: dict[tuple[str, str], list[LinkProblem]] = {}
    for problem in problems:
        post = posts.get(problem.page)
        if post is not None and _written_in(problem.url, post):
            line = find_line(sources.get(post.source, ""), problem.url, site.config.base_path)
            found.append(Diagnostic(problem.message, post.source, line, None, problem.hint, "error"))
        else:
            by_template.setdefault((problem.kind, problem.message), []).append(problem)
    for group in by_template.values():
        first = group[0]
        pages = {p.page for p in group}
        suffix = f" (on {len(pages)} pages: the link comes from a template)" if len(pages) > 1 else ""
        found.append(Diagnostic(first.message + suffix, rendered_root / first.page, first.line, None,
                                first.hint, "error"))
    return found


def _written_in(url: str, post: Post) -> bool:
    """Return True when a URL comes from the post's own text (its body or its cover image)."""
    body = post.body_html
    return url == post.image or url in body or html.escape(url) in body


def find_line(source: str, url: str, base_path: str = "/") -> int | None:
    """Return the first line of `source` that holds `url` as written (before base path and encoding)."""
    decoded = unquote(url)
    candidates = [url, decoded]
    if base_path != "/" and decoded.startswith(base_path):
        candidates.append("/" + decoded[len(base_path):])
    parts = urlsplit(decoded)
    name = posixpath.basename(parts.path.rstrip("/"))
    if parts.fragment:
        candidates.append("#" + parts.fragment)
    if name:
        candidates.append(name)
    lines = source.split("\n")
    for candidate in candidates:
        for number, line in enumerate(lines, 1):
            if candidate in line:
                return number
    return None


def check_alt_text(posts: Iterable[Post], sources: Mapping[Path, str], base_path: str = "/") -> list[Diagnostic]:
    """Warn about images in a post's text whose alt text is empty (Markdown's `![](x.png)`) or a placeholder.

    An empty alt is how HTML marks decoration, so it is a warning, not an error; a missing
    attribute is an error, found on the rendered page.
    """
    found: list[Diagnostic] = []
    for post in posts:
        for image in parse_page(post.body_html).references:
            if image.tag != "img" or image.alt is None:
                continue
            line = find_line(sources.get(post.source, ""), image.url, base_path)
            if not image.alt.strip():
                found.append(Diagnostic(
                    f"image has no alt text: {image.url}", post.source, line, None,
                    "describe what it shows for readers who cannot see it: ![Revenue by month](chart.svg)",
                    "warning"))
            elif is_placeholder_alt(image.alt):
                found.append(Diagnostic(
                    f"image has placeholder alt text {image.alt.strip()[:60]!r}: {image.url}", post.source, line, None,
                    "describe what it shows, e.g. ![MRR grew 12% in March](chart.png); a screen reader reads the alt "
                    "text aloud", "warning"))
    return found


PLACEHOLDER_ALTS = frozenset({
    # what editors and Q&A sites leave when nobody describes the image
    "enter image description here", "image description", "image", "img", "photo", "picture", "pic", "screenshot",
    "screen shot", "alt", "alt text", "alternative text", "untitled", "placeholder", "insert image",
    "add alt text", "describe the image", "description", "thumbnail", "figure", "graphic", "icon",
    # the same in Chinese: CSDN's, OSChina's and common editors' defaults
    "在这里插入图片描述", "这里写图片描述", "请输入图片描述", "输入图片说明", "图片描述", "图片说明", "图片", "图像", "图",
    "插图", "截图", "配图", "示例图片", "无标题", "未命名", "替代文本", "描述",
})
"""Alt texts that describe nothing, in English and Chinese (normalised: lower case, no spaces or punctuation
at the ends); `check` warns about each, as it does about an empty one (issue 22)."""
_FILE_NAME = re.compile(r".{1,80}\.(?:png|jpe?g|gif|webp|avif|svg|bmp|tiff?|heic)", re.IGNORECASE)
_CAMERA_NAME = re.compile(r"(?:img|dsc|dscn|pxl|screenshot|screen shot|屏幕截图|微信图片)[\s_-]*[\d_-]*", re.IGNORECASE)


def is_placeholder_alt(alt: str) -> bool:
    """Return True for an alt text that stands in for a description: a default, a file or camera name."""
    text = alt.strip().strip(".:：。!！*_-–— ").lower()
    return text in PLACEHOLDER_ALTS or bool(_FILE_NAME.fullmatch(text) or _CAMERA_NAME.fullmatch(text))


def check_posts(posts: Iterable[Post], config: SiteConfig, sources: Mapping[Path, str]) -> list[Diagnostic]:
    """Warn about posts without a category or a summary (listings and feeds then show the first paragraph)."""
    beats = ", ".join(c.slug for c in config.categories)
    found: list[Diagnostic] = []
    for post in posts:
        if post.kind != "post":
            continue
        if post.category is None:
            found.append(Diagnostic("post has no category", post.source, 1, None,
                                    f"add 'category: ...' to the front matter (one of: {beats})", "warning"))
        if not post.summary_written:
            found.append(Diagnostic(
                "post has no summary; listings, feeds and search results show its first paragraph",
                post.source, 1, None,
                "add 'summary: One sentence.' to the front matter, or put <!-- more --> after the intro",
                "warning"))
    return found


def withheld_notes(content: Content, config: SiteConfig) -> list[Diagnostic]:
    """Return a note for each scheduled post (with the date it goes live) and each draft."""
    notes: list[Diagnostic] = []
    for withheld in content.withheld:
        path = config.root / "content" / withheld.relpath
        if withheld.reason == "scheduled" and withheld.date is not None:
            when = withheld.date.astimezone(config.zone).isoformat(sep=" ", timespec="minutes")
            notes.append(Diagnostic(f"scheduled: {withheld.title!r} goes live on {when}", path, None, None,
                                    "a build after that time publishes it", NOTE))
        else:
            notes.append(Diagnostic(f"draft: {withheld.title!r} is not published", path, None, None,
                                    "publish it by removing its draft flag; --drafts previews it", NOTE))
    return notes


def _without_superseded(warnings: Iterable[Diagnostic], found: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Drop a build warning when the check reports an error at the same place (a missing image, twice)."""
    errors = {(d.path, d.line) for d in found if d.severity == "error"}
    return [w for w in warnings if (w.path, w.line) not in errors]


def _order(diagnostic: Diagnostic) -> tuple[str, int]:
    return (diagnostic.path.as_posix() if diagnostic.path else "", diagnostic.line or 0)

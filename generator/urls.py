"""Every URL and output path of the site, made in one place.

Three spaces meet here:
- a **site path** is where a page or file lives relative to the output root ('2024/03/launch/',
  'images/team.png', '' for the home page);
- a **public URL** is a site path under `base_url`'s path, percent-encoded once ('/open/2024/03/launch/');
- a **source reference** is a URL as a founder writes it in a post ('deck.pdf', '../images/a.png',
  'other-post.md#pricing', '/about/'), resolved against the post's *source* folder, as their editor and
  GitHub's Markdown preview resolve it.

Everything else asks this module (Hugo's relURL/absURL and Zola's get_url are the model), so a
`base_url` subpath, encoding and containment are applied the same way everywhere. Containment is
enforced here too: no site path may climb out of the output folder.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

SAFE_URL_CHARS = "/?=&#%~:"
"""Characters kept as written when a site path becomes a URL (the path may carry a query or fragment)."""
UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
"""Schemes that run code or smuggle content when followed: refused in links a reader can click."""
MARKDOWN_SUFFIXES = (".md", ".markdown")


class UnsafePath(ValueError):
    """A site path that would be written outside the output folder."""


def base_path_of(base_url: str) -> str:
    """Return the path part of a base URL, always starting and ending with '/' ('/open/')."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def public_url(site_path: str, base_path: str) -> str:
    """Return the percent-encoded URL path of a site path under base_url's path; full URLs stay as written."""
    if "://" in site_path:
        return site_path
    return base_path + quote(site_path.lstrip("/"), safe=SAFE_URL_CHARS)


def absolute_url(site_path: str, base_url: str) -> str:
    """Return the full URL of a site path (canonical links, feeds, sitemap, Open Graph)."""
    if "://" in site_path:
        return site_path
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{public_url(site_path, base_path_of(base_url))}"


_ROOT_RELATIVE_ATTRIBUTE = re.compile(r'(\s(?:src|href)=")(/(?!/)[^"]*)"')


def absolute_urls_in_html(html: str, base_url: str) -> str:
    """Return HTML with root-relative src and href made absolute, for feed readers that ignore xml:base."""
    parts = urlsplit(base_url)
    return _ROOT_RELATIVE_ATTRIBUTE.sub(lambda m: f'{m.group(1)}{parts.scheme}://{parts.netloc}{m.group(2)}"', html)


def output_file_of(site_path: str) -> str:
    """Return the file that serves a site path: 'a/b/' -> 'a/b/index.html', '' -> 'index.html'."""
    return site_path + "index.html" if site_path == "" or site_path.endswith("/") else site_path


def site_path_of(output_file: str) -> str:
    """Return the site path an output file is served at: 'a/index.html' -> 'a/', 'index.html' -> ''."""
    if output_file == "index.html" or output_file.endswith("/index.html"):
        return output_file[:-len("index.html")]
    return output_file


def contained_site_path(path: str) -> str:
    """Return a permalink as a normalised site path ('a/b/'), or raise UnsafePath if it leaves the output.

    `/../../escape/`, `a/../../b`, a drive or backslash path and a NUL byte all leave (or may leave) the
    output folder once joined to it; every output path passes through here before anything is written.
    """
    if "\x00" in path or "\\" in path:
        raise UnsafePath(f"{path!r} holds a NUL or backslash, which no URL path may contain")
    folder = path.endswith("/") or path in ("", "/")
    normal = posixpath.normpath("/" + path.strip())
    if normal.startswith("//"):
        normal = "/" + normal.lstrip("/")
    climbs = any(part == ".." for part in PurePosixPath(path.strip()).parts)
    if climbs:
        raise UnsafePath(f"{path!r} climbs out of the site with '..'")
    relative = normal.lstrip("/")
    if relative in ("", "."):
        return ""
    return relative + "/" if folder else relative


@dataclass(frozen=True)
class SourceTarget:
    """A local URL written in a post, resolved against the post's source folder under content/."""

    written: str
    """The URL as written."""
    path: PurePosixPath
    """Content-relative path ('posts/2024/deck.pdf'), which is also the copied file's site path."""
    tail: str = ""
    """The '?query#fragment' the URL carried."""
    folder: bool = False
    """The URL ended with '/' (a page, not a file)."""
    outside: bool = False
    """The path climbs out of content/: nothing there is ever copied or served."""

    @property
    def is_markdown(self) -> bool:
        """Return True for a link to another post's or page's source file ('launch.md')."""
        return self.path.suffix.lower() in MARKDOWN_SUFFIXES and not self.folder

    @property
    def site_path(self) -> str:
        return self.path.as_posix() + ("/" if self.folder and self.path.as_posix() != "." else "")

    def url(self, base_path: str) -> str:
        """Return the public URL of the file this reference points to, with its query and fragment."""
        site_path = "" if self.site_path in (".", "./") else self.site_path
        return base_path + quote(site_path) + self.tail  # the path is a file name: '?' and '#' in it are encoded


def unsafe_scheme(url: str | None) -> str | None:
    """Return the scheme of a URL that must not be followed (javascript:, vbscript:, data:), else None.

    The scheme is read as a browser reads it (the WHATWG URL parser): leading and trailing C0 controls
    and spaces are stripped, tabs and newlines are removed anywhere (`java\tscript:` runs), and only
    then is the scheme taken, a letter followed by letters, digits, `+`, `-` or `.` up to the colon.
    Anything else before the colon (`java script:`, `java\x0cscript:`) makes no scheme: the browser
    reads a relative path, which runs nothing. This is the one check every caller uses (issue 18).
    """
    cleaned = _TAB_OR_NEWLINE.sub("", (url or "").strip(_C0_OR_SPACE))
    match = _SCHEME.match(cleaned)
    scheme = match.group(1).lower() if match else None
    return scheme if scheme in UNSAFE_SCHEMES else None


_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def resolve_source_reference(url: str | None, source_dir: PurePosixPath) -> SourceTarget | None:
    """Return where a URL written in a post points under content/, or None when it is not local.

    `/images/a.svg` is relative to content/ (the site root); `cover.png` and `../deck.pdf` are relative
    to the post's own folder. External URLs, `#anchors`, `mailto:` and the like return None.
    """
    if not url or url.startswith(("#", "//")):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    tail = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    joined = parts.path.lstrip("/") if parts.path.startswith("/") else (source_dir / parts.path).as_posix()
    resolved = posixpath.normpath(joined)
    outside = resolved == ".." or resolved.startswith("../")
    folder = parts.path.endswith("/")
    return SourceTarget(url, PurePosixPath(resolved), tail, folder, outside)


def source_dir_of(relpath: PurePosixPath | str) -> PurePosixPath:
    """Return the folder of a content-relative file, against which its relative URLs resolve."""
    return PurePosixPath(str(relpath)).parent

"""`opensite fetch-remote`: copy the remote images posts hot-link into the site, and point the posts at the copies.

A post pasted from the web loads its images (and tracking pixels) from other servers, which breaks the
promise of a site without third-party requests (issue 22; `check` and `build` warn about each). This
command, run by hand and never by a build, downloads each remote image of every post and page into
`content/images/remote/<host>/`, then replaces the address in the Markdown file with the local one.

It reads only what an image can be: http(s) only (redirects too), a PNG, JPEG, GIF, WebP, AVIF, BMP or
icon whose first bytes agree, at most `FETCH_MAX_BYTES`. SVG is refused (it can carry scripts that would
run from the site's own origin); so is anything else. Files are written with `atomic.write_atomic`.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from generator import __version__
from generator.atomic import write_atomic
from generator.config import SiteConfig
from generator.content.markdown import MarkdownConverter
from generator.content.parse import CONTENT_DIR, parse_source
from generator.content.remote import find_remote_resources, is_remote
from generator.content.slugs import slugify
from generator.errors import Diagnostic
from generator.inside import walk_inside

REMOTE_FOLDER = PurePosixPath("images") / "remote"
"""Where fetched images go, under content/ (so `/images/remote/…` in a post)."""
FETCH_MAX_BYTES = 20_000_000
FETCH_TIMEOUT_SECONDS = 20
IMAGE_KINDS = frozenset({"image", "tracking pixel", "image button", "cover image"})
_TYPES = {  # content type: (extension, how the file starts)
    "image/png": (".png", (b"\x89PNG\r\n\x1a\n",)), "image/jpeg": (".jpg", (b"\xff\xd8\xff",)),
    "image/gif": (".gif", (b"GIF87a", b"GIF89a")), "image/webp": (".webp", (b"RIFF",)),
    "image/avif": (".avif", (b"\x00\x00\x00",)), "image/bmp": (".bmp", (b"BM",)),
    "image/x-icon": (".ico", (b"\x00\x00\x01\x00",)), "image/vnd.microsoft.icon": (".ico", (b"\x00\x00\x01\x00",)),
}


@dataclass(frozen=True)
class RemoteImage:
    """One remote image a Markdown file refers to: the file, the line, the address as the post reads it."""

    source: Path
    line: int | None
    url: str


@dataclass(frozen=True)
class Fetched:
    """What fetching one image did: where its copy is (under content/) and how big it is, or why it failed."""

    image: RemoteImage
    relpath: PurePosixPath | None
    size: int = 0
    problem: str | None = None


def find_remote_images(config: SiteConfig) -> tuple[list[RemoteImage], list[Diagnostic]]:
    """Return every remote image of every Markdown file under content/, and the files that could not be read."""
    root = config.root / CONTENT_DIR
    files, problems = walk_inside(root, config.root)
    converter = MarkdownConverter(config.base_path)
    images: list[RemoteImage] = []
    for path in (f for f in files if f.suffix.lower() in (".md", ".markdown")):
        relpath = PurePosixPath(path.relative_to(root).as_posix())
        parsed = parse_source(path.read_bytes(), relpath, config, converter)
        if parsed.post is None:
            problems += [p for p in parsed.problems if p.severity == "error"]
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        urls = [r.url for r in find_remote_resources(parsed.post.body_html) if r.kind in IMAGE_KINDS]
        if parsed.post.image and is_remote(parsed.post.image):
            urls.append(parsed.post.image)
        for url in dict.fromkeys(urls):
            images.append(RemoteImage(path, _line_of(text, url), url))
    return images, problems


def fetch_images(config: SiteConfig, images: list[RemoteImage], *, dry_run: bool = False) -> Iterator[Fetched]:
    """Download each image into content/images/remote/ and point its post at the copy; yield what happened."""
    content = config.root / CONTENT_DIR
    for image in images:
        relpath = target_relpath(image.url)
        if dry_run:
            yield Fetched(image, relpath)
            continue
        try:
            data = download_image(image.url)
        except FetchRefused as refused:
            yield Fetched(image, None, problem=str(refused))
            continue
        relpath = relpath.with_suffix(_extension(data))
        try:
            write_atomic(content / relpath, data, within=content)
            replaced = _point_post_at(image, "/" + relpath.as_posix(), content)
        except OSError as exc:
            yield Fetched(image, None, problem=f"cannot write {exc.filename or relpath}: {exc.strerror or exc}")
            continue
        yield Fetched(image, relpath, len(data),
                      None if replaced else f"saved as content/{relpath}, but the address is not written as such in "
                                            "the file: replace it by hand")


class FetchRefused(Exception):
    """An address that is not an image opensite will copy into a site, with the reason."""


def download_image(url: str) -> bytes:
    """Return the bytes of an image at an http(s) address; raise FetchRefused with the reason otherwise."""
    if urlsplit(url if "://" in url else "https:" + url).scheme not in ("http", "https"):
        raise FetchRefused("only http:// and https:// addresses are fetched")
    request = urllib.request.Request(url if "://" in url else "https:" + url,
                                     headers={"User-Agent": f"opensite/{__version__} fetch-remote"})
    opener = urllib.request.build_opener(_WebRedirects())
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            kind = response.headers.get_content_type()
            data = response.read(FETCH_MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FetchRefused(f"the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchRefused(f"cannot download it: {getattr(error, 'reason', error)}") from None
    if len(data) > FETCH_MAX_BYTES:
        raise FetchRefused(f"it is larger than {FETCH_MAX_BYTES:,} bytes")
    if kind == "image/svg+xml" or data.lstrip()[:5].lower() in (b"<?xml", b"<svg "):
        raise FetchRefused("it is an SVG, which can hold scripts that would run from your site; save it yourself "
                           "after checking it, or use a PNG")
    if _extension(data) == "" or (kind in _TYPES and _extension(data) != _TYPES[kind][0]):
        raise FetchRefused(f"it is not a PNG, JPEG, GIF, WebP, AVIF, BMP or icon image (the server says {kind})")
    return data


def target_relpath(url: str) -> PurePosixPath:
    """Return where an image's copy goes under content/: images/remote/<host>/<name>-<hash of the address>."""
    parts = urlsplit(url if "://" in url else "https:" + url)
    host = re.sub(r"[^a-z0-9.-]+", "-", (parts.hostname or "").lower()).strip(".-") or "remote"
    name = slugify(posixpath.splitext(posixpath.basename(parts.path))[0])[:60] or "image"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return REMOTE_FOLDER / host / f"{name}-{digest}"


def _extension(data: bytes) -> str:
    for extension, starts in _TYPES.values():
        if data.startswith(starts) and (extension != ".webp" or data[8:12] == b"WEBP") \
                and (extension != ".avif" or data[4:12] in (b"ftypavif", b"ftypavis")):
            return extension
    return ""


def _point_post_at(image: RemoteImage, local: str, content: Path) -> bool:
    """Replace the image's address in its Markdown file with the local one; return False when not found."""
    text = image.source.read_text(encoding="utf-8")
    for written in (image.url, html.escape(image.url)):
        if written in text:
            write_atomic(image.source, text.replace(written, local).encode("utf-8"), within=content)
            return True
    return False


def _line_of(text: str, url: str) -> int | None:
    for written in (url, html.escape(url)):
        for number, line in enumerate(text.split("\n"), 1):
            if written in line:
                return number
    return None


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) addresses (urllib also follows ftp://)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 (urllib's signature)
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-web address refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

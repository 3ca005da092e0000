"""What `opensite serve` answers: a build held in memory, mapped to responses like a static host.

Pure functions of a `Snapshot`: no sockets, no threads, so every answer (a page, a redirect to
the base path, the 404 page, the error page of a failed build) is tested directly. The live-reload
script is added here, to responses on their way out, never to the files of a build.
"""

from __future__ import annotations

import html
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote, unquote, urlsplit

from generator import routes
from generator.errors import Diagnostic
from generator.i18n import Translator
from generator.urls import output_file_of

EVENTS_PATH = "/__opensite__/events"
"""The live-reload event stream; outside any base path, so it cannot clash with a page."""

_RELOAD_SCRIPT = """<script>/* opensite serve: live reload (only in served pages, never in built files) */
(() => {{ const built = "{version}"; const events = new EventSource("{events}");
events.onmessage = (event) => {{ if (event.data !== built) location.reload(); }}; }})();
</script>
"""


@dataclass(frozen=True)
class Snapshot:
    """One build as served: rendered files in memory, copied files by their source, or the errors."""

    version: str
    base_path: str = "/"
    files: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    """Output path ('about/index.html') to rendered bytes."""
    static: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    """Output path to the content/ file copied there as it is."""
    errors: tuple[Diagnostic, ...] = ()
    """The problems of the latest build; the files are then the last good build's."""
    root: Path = Path(".")
    language: str = "en"
    """The site's language (its first, on a site in several): the overlay and the fallback 404 speak it."""
    overrides: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """site.yaml's `strings:` in that language."""


@dataclass(frozen=True)
class Response:
    """What the server sends for one request."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def route_request(snapshot: Snapshot, raw_path: str) -> Response:
    """Return the response to a GET of `raw_path`, as a static host serving output/ under the base path would."""
    path = unquote(urlsplit(raw_path).path)
    base = snapshot.base_path
    if not path.startswith(base):
        if path in ("/", base.rstrip("/")):
            return Response(302, location=quote(base))
        return _not_found(snapshot, _t(snapshot)("serve.served_under", base=base))
    relpath = path[len(base):]
    key = output_file_of(relpath)
    if key not in snapshot.files and key not in snapshot.static:
        folder = output_file_of(relpath + "/")  # 'a/b' asked for, 'a/b/' exists: redirect as static hosts do
        if folder in snapshot.files or folder in snapshot.static:
            return Response(301, location=quote(path + "/"))
        return _not_found(snapshot, _t(snapshot)("serve.nothing_at", path=path), relpath)
    content_type = _content_type(key)
    if snapshot.errors and content_type.startswith("text/html"):
        return Response(500, render_error_page(snapshot))
    try:
        data = snapshot.files[key] if key in snapshot.files else snapshot.static[key].read_bytes()
    except OSError:  # the source file was deleted since the build
        return _not_found(snapshot, _t(snapshot)("serve.nothing_at", path=path), relpath)
    return Response(200, data, content_type)


def _not_found(snapshot: Snapshot, text: str, relpath: str = "") -> Response:
    """Return the nearest 404 page up the path (a language's own, under its folder), as Cloudflare Pages does."""
    if snapshot.errors:
        return Response(500, render_error_page(snapshot))
    folders = relpath.split("/")[:-1]
    nearest = [routes.in_language(routes.language_folder("/".join(folders[:depth])), routes.NOT_FOUND)
               for depth in range(len(folders), 0, -1)] + [routes.NOT_FOUND]
    page = next((snapshot.files[found] for found in nearest if found in snapshot.files), None)
    if page is None:
        title = html.escape(_t(snapshot)("serve.not_found"))
        page = (f'<!doctype html><html lang="{html.escape(snapshot.language)}"><title>{title}</title><h1>{title}</h1>'
                f"<p>{html.escape(text)}</p>").encode()
    return Response(404, page)


def _t(snapshot: Snapshot) -> Translator:
    return Translator(snapshot.language, snapshot.overrides)


def _content_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith(("xml", "json")) \
        else guessed


def render_error_page(snapshot: Snapshot) -> bytes:
    """Return the page shown instead of every page while the latest build fails."""
    lines = "\n".join(html.escape(d.format(snapshot.root, severity=True)) for d in snapshot.errors)
    t = _t(snapshot)
    return (
        f'<!doctype html>\n<html lang="{html.escape(snapshot.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(t('serve.failed_title'))}</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
        "pre{background:#fff4f4;border-left:4px solid #c00;padding:1rem;overflow-x:auto;white-space:pre-wrap}"
        "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}pre{background:#300}}</style>\n"
        f"</head>\n<body>\n<main>\n<h1>{html.escape(t('serve.failed'))}</h1>\n"
        f"<p>{html.escape(t('serve.fix', n=len(snapshot.errors)))}</p>\n"
        f"<pre>{lines}</pre>\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")


def inject_reload_script(page: bytes, version: str) -> bytes:
    """Return an HTML page with the live-reload script before </body> (or at the end)."""
    script = _RELOAD_SCRIPT.format(version=version, events=EVENTS_PATH).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]

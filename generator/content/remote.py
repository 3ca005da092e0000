"""Remote resources: what makes a reader's browser ask another server for something (issue 22).

opensite promises a site that makes no third-party requests: no hot-linked images, tracking pixels,
embedded players, scripts or stylesheets from elsewhere. A post pasted from the web brings all of
those along. This module finds them in HTML (a post's, or a template's source) with their lines:
`img`, `source` (`src`, `srcset`), `video` (`src`, `poster`), `audio`, `track`, `iframe`, `embed`,
`object`, `script`, `input type=image`, `link` that loads something (stylesheets, icons, preloads),
and `url(…)` in `style` attributes and `<style>` blocks. Links a reader clicks (`<a href>`) are not
requests and are not reported.

Each is a warning (the build still succeeds) unless its host is allowed in site.yaml
(`allow_remote: [youtube.com]`); one loaded over plain `http://` on an `https://` site is an error,
allowed or not, because browsers block or rewrite such mixed content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import Diagnostic

_RESOURCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "img": ("src", "srcset"), "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
    "script": ("src",), "input": ("src",), "link": ("href",),
}
_LOADING_RELS = frozenset({"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                           "modulepreload", "manifest", "mask-icon", "dns-prefetch", "preconnect"})
_KINDS = {"img": "image", "source": "media source", "video": "video", "audio": "audio", "track": "text track",
          "iframe": "embedded page (iframe)", "frame": "frame", "embed": "embedded object", "object": "embedded object",
          "script": "script", "input": "image button", "link": "stylesheet or icon", "style": "stylesheet image"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""", re.IGNORECASE)
_MAY_LOAD = re.compile("<(?:" + "|".join(_RESOURCE_ATTRIBUTES) + ")|style", re.IGNORECASE)
"""Text without any of these cannot load anything: no tag that loads, no style attribute or block (a tag's or an
attribute's name cannot be written with character references, so this is exact, and most posts skip the parser)."""


@dataclass(frozen=True)
class RemoteResource:
    """One thing a page would load from another server: what it is, its URL, and the line of the HTML."""

    kind: str
    url: str
    line: int

    @property
    def host(self) -> str:
        return (urlsplit(self.url if "://" in self.url else "https:" + self.url).hostname or "").lower()

    @property
    def insecure(self) -> bool:
        return self.url.lower().startswith("http://")


def is_remote(url: str) -> bool:
    """Return True for an http(s) or protocol-relative URL: one a browser fetches from another server."""
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


def find_remote_resources(html: str) -> list[RemoteResource]:
    """Return every remote resource of an HTML fragment or page, with the line of its tag."""
    if not _MAY_LOAD.search(html):
        return []
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Return True when `host` is an allowed host or one of its subdomains (www.youtube.com for youtube.com)."""
    return any(host == name or host.endswith("." + name) for name in allowed)


def remote_problems(resources: Sequence[RemoteResource], path: Path, lines: Sequence[int | None], *,
                    https_site: bool, allowed: Iterable[str]) -> list[Diagnostic]:
    """Return a warning per remote resource (an error when it is http:// on an https site), at its line."""
    allowed = tuple(allowed)
    problems: list[Diagnostic] = []
    for resource, line in zip(resources, lines, strict=True):
        if https_site and resource.insecure:
            problems.append(Diagnostic(
                f"{resource.kind} loaded over plain http:// on an https site (browsers block it): {resource.url}",
                path, line, None, "download it into the site (opensite fetch-remote), or use its https:// address"))
        elif not host_allowed(resource.host, allowed):
            problems.append(Diagnostic(
                f"{resource.kind} loaded from {resource.host or 'another server'}, a third-party request: "
                f"{_shown(resource.url)}", path, line, None,
                "download it into the site (opensite fetch-remote for images), or allow the host in site.yaml: "
                f"allow_remote: [{resource.host or 'example.com'}]", "warning"))
    return problems


def _shown(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "…"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[RemoteResource] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if tag == "style":
            self._in_style = True
        for name in _RESOURCE_ATTRIBUTES.get(tag, ()):
            if tag == "link" and not _LOADING_RELS & set(values.get("rel", "").lower().split()):
                continue
            if tag == "input" and values.get("type", "").lower() != "image":
                continue
            for url in _urls(values.get(name, ""), srcset=name == "srcset"):
                if is_remote(url):
                    self.found.append(RemoteResource(_kind(tag, values), url, line))
        for url in _CSS_URL.findall(values.get("style", "")):
            if is_remote(url[1]):
                self.found.append(RemoteResource(_KINDS["style"], url[1], line))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            return
        line = self.getpos()[0]
        for match in _CSS_URL.finditer(data):
            if is_remote(match.group(2)):
                self.found.append(RemoteResource(_KINDS["style"], match.group(2), line + data.count("\n", 0,
                                                                                                    match.start())))


def _urls(value: str, *, srcset: bool) -> list[str]:
    if not srcset:
        return [value.strip()] if value.strip() else []
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _kind(tag: str, values: dict[str, str]) -> str:
    if tag == "img" and (_tiny(values.get("width")) or _tiny(values.get("height"))):
        return "tracking pixel"
    return _KINDS[tag]


def _tiny(size: str | None) -> bool:
    return size is not None and size.strip().rstrip("px").strip() in ("0", "1")


def template_remote_problems(paths: Iterable[Path], *, https_site: bool, allowed: Iterable[str]) -> list[Diagnostic]:
    """Return the remote resources written in the site's template files, at their lines (`{{ … }}` URLs are
    not known until rendering and are not reported)."""
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # an unreadable template is reported when it is rendered
        found = find_remote_resources(text)
        problems += remote_problems(found, path, [r.line for r in found], https_site=https_site, allowed=allowed)
    return problems

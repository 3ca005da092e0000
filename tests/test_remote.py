"""No third-party requests, enforced (issue 22): remote resources are named at their line, and fetch-remote copies
remote images into the site. Downloads are tested against a local http.server on loopback only."""

from __future__ import annotations

import http.server
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUILD_TIME

from generator.build import build_site, check_site
from generator.cli import main
from generator.content.remote import find_remote_resources
from generator.errors import GeneratorError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(20)
THEME = Path(__file__).parent.parent / "generator" / "theme" / "templates"


def _post(body: str, extra: str = "") -> str:
    return f"---\ntitle: Pasted\ndate: 2024-01-05\ncategory: finances\nsummary: S.\n{extra}---\n{body}\n"


def test_find_remote_resources_names_every_kind_with_its_line() -> None:
    html = ('<p><img src="https://cdn.example/a.png" alt="A"></p>\n'
            '<img src="https://t.example/p.gif" width="1" height="1" alt="">\n'
            '<iframe src="//www.youtube.com/embed/x"></iframe>\n<script src="https://js.example/a.js"></script>\n'
            '<link rel="stylesheet" href="https://fonts.example/css"><link rel="canonical" href="https://me.example/">\n'
            '<video poster="https://v.example/p.jpg"><source srcset="https://v.example/a.webm 1x, /local.webm 2x">'
            '</video>\n<div style="background: url(\'https://bg.example/x.png\')"></div>\n'
            '<style>.a { background: url(https://css.example/y.png) }</style>\n'
            '<a href="https://elsewhere.example/">a link is not a request</a><img src="/local.png" alt="x">\n')
    found = [(r.kind, r.host, r.line) for r in find_remote_resources(html)]
    assert found == [("image", "cdn.example", 1), ("tracking pixel", "t.example", 2),
                     ("embedded page (iframe)", "www.youtube.com", 3), ("script", "js.example", 4),
                     ("stylesheet or icon", "fonts.example", 5), ("video", "v.example", 6),
                     ("media source", "v.example", 6), ("stylesheet image", "bg.example", 7),
                     ("stylesheet image", "css.example", 8)]


@pytest.mark.parametrize("html", [
    '<p>A plain post with <a href="https://example.com/">a link</a> and <code>//comment</code>.</p>',
    '<IMG SRC="https:&#x2F;&#x2F;cdn.example.com/a.png">',  # upper case, slashes as character references
    '<p style="background: url(//cdn.example.com/bg.png)">x</p>',
    '<STYLE>p { background: url("https://cdn.example.com/x.png") }</STYLE>',
    '<iframe src="https://player.example.com/v/1"></iframe><frame src="//f.example.com/">',
    '<link rel="stylesheet" href="https://fonts.example.com/a.css"><input type="image" src="https://e.com/b.png">',
])
def test_the_quick_look_for_loading_tags_misses_nothing_the_parser_finds(html: str) -> None:
    """Most posts skip the HTML parser (no tag that loads anything): the shortcut must give what the parser gives."""
    from generator.content.remote import _Scanner

    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    assert find_remote_resources(html) == scanner.found
    assert bool(scanner.found) is ("<p>A plain post" not in html)


def test_the_default_theme_loads_nothing_from_elsewhere() -> None:
    for template in sorted(THEME.rglob("*.html")):
        assert find_remote_resources(template.read_text(encoding="utf-8")) == [], template.name


def test_build_warns_at_the_line_of_each_remote_resource_and_check_lists_them(make_site) -> None:
    body = ("Intro.\n\n![Chart](https://cdn.example/chart.png)\n\n"
            '<img src="https://pixel.example/t.gif" width="1" height="1" alt="">\n\n'
            '<iframe src="https://www.youtube.com/embed/abc" title="Demo"></iframe>\n')
    root = make_site({"content/posts/2024-01-05-pasted.md": _post(body),
                      "templates/base.html": '{% extends "default/base.html" %}{% block head %}{{ super() }}'
                                             '\n<script src="https://analytics.example/a.js"></script>'
                                             '{% endblock %}'},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\nallow_remote: [youtube.com]\n")
    result = build_site(root, root.parent / "out", now=BUILD_TIME)
    remote = sorted((w.path.name, w.line, w.message.split(",")[0]) for w in result.warnings
                    if "third-party request" in w.message)
    assert remote == [("2024-01-05-pasted.md", 9, "image loaded from cdn.example"),
                      ("2024-01-05-pasted.md", 11, "tracking pixel loaded from pixel.example"),
                      ("base.html", 2, "script loaded from analytics.example")]
    checked = check_site(root, now=BUILD_TIME).diagnostics
    assert sum("third-party request" in d.message for d in checked) == 3  # the allowed YouTube frame is not


def test_plain_http_resources_on_an_https_site_are_errors_at_their_line(make_site) -> None:
    root = make_site({"content/posts/2024-01-05-pasted.md": _post("![x](http://cdn.example/a.png)",
                                                                  "image: http://cdn.example/cover.png\n")},
                     config="title: T\nbase_url: https://t.example/\ntimezone: UTC\nallow_remote: [cdn.example]\n")
    with pytest.raises(GeneratorError) as caught:
        build_site(root, root.parent / "out", now=BUILD_TIME)
    assert sorted((d.line, d.message.split(":")[0]) for d in caught.value.diagnostics) == [
        (6, "cover image loaded over plain http"), (8, "image loaded over plain http")]


class _Images(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []
    files = {"/a.png": ("image/png", PNG), "/pixel.gif": ("image/gif", GIF), "/evil.svg": ("image/svg+xml",
             b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
             "/fake.png": ("image/png", b"<html>not an image</html>")}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        if self.path == "/moved.png":
            self.send_response(302)
            self.send_header("Location", "/a.png")
            self.end_headers()
            return
        kind, data = self.files.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.files else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def image_server() -> Iterator[str]:
    _Images.requests = []
    with socketserver.TCPServer(("127.0.0.1", 0), _Images) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def test_fetch_remote_copies_images_into_the_site_and_a_build_never_downloads(make_site, runner: CliRunner,
                                                                             image_server: str) -> None:
    body = (f"![Chart]({image_server}/a.png)\n\n![Moved]({image_server}/moved.png)\n\n"
            f'<img src="{image_server}/pixel.gif" width="1" height="1" alt="">\n\n'
            f"![Vector]({image_server}/evil.svg)\n\n![Fake]({image_server}/fake.png)\n\n"
            f"![Gone]({image_server}/missing.png)\n")
    root = make_site({"content/posts/2024-01-05-pasted.md": _post(body)},
                     config="title: T\nbase_url: http://t.example/\ntimezone: UTC\n")
    post = root / "content/posts/2024-01-05-pasted.md"

    built = runner.invoke(main, ["build", "-s", str(root)])
    assert built.exit_code == 0 and built.stderr.count("third-party request") == 6
    assert _Images.requests == [], "a build must never download anything"

    dry = runner.invoke(main, ["fetch-remote", "-s", str(root), "--dry-run"])
    assert dry.exit_code == 0 and dry.stdout.count("would fetch") == 6 and _Images.requests == []

    fetched = runner.invoke(main, ["fetch-remote", "-s", str(root)])

    assert fetched.exit_code == 1, fetched.output  # three were refused
    assert fetched.stdout.count("fetched http") == 3
    assert "evil.svg (it is an SVG" in fetched.stderr and "fake.png (it is not a PNG" in fetched.stderr
    assert "missing.png (the server answered 404" in fetched.stderr
    copies = sorted(p.relative_to(root / "content").as_posix() for p in (root / "content/images").rglob("*.*") if p.is_file())
    assert len(copies) == 3 and all(c.startswith("images/remote/127.0.0.1/") for c in copies)
    assert {(root / "content" / c).read_bytes() for c in copies} == {PNG, GIF}
    text = post.read_text()
    assert f"{image_server}/a.png" not in text and f"{image_server}/pixel.gif" not in text
    assert f"{image_server}/evil.svg" in text  # refused: left as it was

    _Images.requests = []
    rebuilt = runner.invoke(main, ["build", "-s", str(root)])
    assert rebuilt.exit_code == 0 and rebuilt.stderr.count("third-party request") == 3 and _Images.requests == []
    assert (root / "output/images/remote/127.0.0.1").is_dir()

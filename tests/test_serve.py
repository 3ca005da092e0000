"""`opensite serve` against a running server: pages, live reload, the error page and recovery, Ctrl-C.

The end-to-end tests start `python -m generator serve --port 0` in a subprocess, as a founder
would, read the address it prints, and poll with urllib (at most 10 s per wait).
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from generator.build import render_site_in_memory
from generator.cli import main
from generator.cli.previewing import serve
from generator.errors import Diagnostic
from generator.serve import (
    DEFAULT_HOST,
    EVENTS_PATH,
    DevServer,
    Snapshot,
    inject_reload_script,
    is_editor_temp,
    route_request,
)

WAIT_SECONDS = 10.0
POST = "content/posts/2024-03-04-launch.md"
POST_TEXT = "---\ntitle: Launch day\ndate: 2024-03-04\ncategory: finances\nsummary: We launched.\n---\n{body}\n"


@pytest.fixture
def subpath_site(make_site) -> Path:
    """A project-page site: base_url has the path /open/."""
    return make_site({POST: POST_TEXT.format(body="First words."),
                      "content/images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
                     config="title: Open Co\nbase_url: https://open-co.github.io/open/\ntimezone: UTC\n")


@dataclass
class Page:
    status: int
    url: str
    text: str


def fetch(url: str) -> Page:
    """GET a URL (following redirects); HTTP errors are pages too."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return Page(response.status, response.url, response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return Page(error.code, url, error.read().decode("utf-8"))


def poll(get: Callable[[], Page], done: Callable[[Page], bool]) -> Page:
    """Return the first page for which done() holds, or fail after WAIT_SECONDS with the last one."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        page = get()
        if done(page):
            return page
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {WAIT_SECONDS} s; last response {page.status}:\n{page.text[:2000]}")
        time.sleep(0.1)


class Server:
    """`opensite serve` in a subprocess, with its output collected line by line."""

    def __init__(self, site: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-s", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for_line("Serving ").split()[1]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for_line(self, start: str) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(start):
                return line
        pytest.fail(f"no line starting {start!r}; output:\n{''.join(self.output)}")

    def interrupt(self) -> int:
        """Press Ctrl-C and return the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT_SECONDS)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serving(subpath_site: Path) -> Iterator[Server]:
    server = Server(subpath_site)
    yield server
    server.kill()


def _post_url(server: Server) -> str:
    return server.url + "2024/03/launch/"


def test_serve_live_reloads_shows_errors_and_recovers(serving: Server, subpath_site: Path) -> None:
    assert serving.url.startswith(f"http://{DEFAULT_HOST}:") and serving.url.endswith("/open/")
    home = fetch(serving.url.removesuffix("open/"))
    assert home.url == serving.url, "the bare address redirects to base_url's path"
    assert "Launch day" in home.text and EVENTS_PATH in home.text
    events = urllib.request.urlopen(serving.url.removesuffix("/open/") + EVENTS_PATH, timeout=WAIT_SECONDS)
    first_version = _next_event(events)

    (subpath_site / POST).write_text(POST_TEXT.format(body="Fresh words from the founder."), encoding="utf-8")
    poll(lambda: fetch(_post_url(serving)), lambda page: "Fresh words from the founder." in page.text)
    assert _next_event(events) != first_version, "open tabs are told to reload"

    (subpath_site / POST).write_text("---\ntitle: [broken\n---\nBody.\n", encoding="utf-8")
    error = poll(lambda: fetch(_post_url(serving)), lambda page: page.status == 500)
    assert "Build failed" in error.text
    assert "content/posts/2024-03-04-launch.md:2:" in error.text and "invalid YAML" in error.text
    assert EVENTS_PATH in error.text, "the error page reloads itself once the post is fixed"
    assert fetch(serving.url + "images/logo.svg").status == 200, "the last good build is still served"
    serving.wait_for_line("Build failed")

    (subpath_site / POST).write_text(POST_TEXT.format(body="Fixed again."), encoding="utf-8")
    fixed = poll(lambda: fetch(_post_url(serving)), lambda page: page.status == 200)
    assert "Fixed again." in fixed.text and "Build failed" not in fixed.text
    events.close()

    assert serving.interrupt() == 0
    output = "".join(serving.output)
    assert "Stopped." in output and "Traceback" not in output
    assert not (subpath_site / "output").exists(), "serve never writes the build to disk"


def _next_event(stream) -> str:
    """Return the data of the next server-sent event, skipping retry lines and comments."""
    while True:
        line = stream.readline().decode("utf-8").strip()
        if line.startswith("data: "):
            return line.removeprefix("data: ")


def test_serve_picks_up_a_new_template_folder(serving: Server, subpath_site: Path) -> None:
    template = subpath_site / "templates/post.html"
    template.parent.mkdir()
    template.write_text('{% extends "default/post.html" %}\n{% block body %}{{ super() }}<p>Signed, the team.</p>'
                        "{% endblock %}\n", encoding="utf-8")
    poll(lambda: fetch(_post_url(serving)), lambda page: "Signed, the team." in page.text)


def test_serve_reports_a_busy_port(runner: CliRunner, make_site) -> None:
    root = make_site()
    with socket.socket() as taken:
        taken.bind((DEFAULT_HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "-s", str(root), "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.output


def test_serve_listens_on_localhost_only_by_default(make_site) -> None:
    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"
    server = DevServer(make_site(), port=0)
    try:
        assert server.address[0] == "127.0.0.1"
    finally:
        server.stop()


def test_dev_server_rebuild_keeps_the_last_good_files_on_error(subpath_site: Path) -> None:
    server = DevServer(subpath_site, port=0)
    try:
        good = server.rebuild()
        assert good.errors == () and server.snapshot.base_path == "/open/"
        (subpath_site / POST).write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        bad = server.rebuild([subpath_site / POST])
        assert bad.result is None and bad.errors[0].line == 2
        assert server.snapshot.errors == bad.errors
        assert "2024/03/launch/index.html" in server.snapshot.files
    finally:
        server.stop()


def test_dev_server_serves_what_a_cold_build_makes_after_each_save(subpath_site: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # A build looks only at the files the watcher named (issue 24): added, edited, renamed, deleted, and an
    # editor's backup file, which starts no build but is copied like any file of content/ by the next one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    posts = subpath_site / "content/posts"
    more = POST_TEXT.replace("Launch day", "More").replace("2024-03-04", "2024-03-05").format(body="Added.")
    saves = [lambda: (posts / "2024-03-05-more.md").write_text(more, encoding="utf-8"),
             lambda: (posts / "2024-03-05-more.md~").write_text(more, encoding="utf-8"),
             lambda: (subpath_site / POST).write_text(POST_TEXT.format(body="Edited words."), encoding="utf-8"),
             lambda: (posts / "2024-03-05-more.md").rename(posts / "2024-03-06-moved.md"),
             lambda: (subpath_site / POST).unlink()]
    server = DevServer(subpath_site, port=0)
    try:
        server.start()
        for number, save in enumerate(saves):
            save()
            cold = render_site_in_memory(subpath_site, base_url=f"http://127.0.0.1:{server.port}/open/",
                                         use_cache=False, jobs=1)
            files = {f.path: f.data for f in cold.files}
            static = {s.relpath.as_posix(): s.source for s in cold.site.static_files}
            deadline = time.monotonic() + WAIT_SECONDS
            while number != 1 and (dict(server.snapshot.files), dict(server.snapshot.static)) != (files, static) \
                    and time.monotonic() < deadline:
                time.sleep(0.05)
            if number != 1:  # the backup file alone starts no build
                assert dict(server.snapshot.files) == files and dict(server.snapshot.static) == static, number
    finally:
        server.stop()


def test_dev_server_builds_with_a_local_base_url_and_overrides(subpath_site: Path) -> None:
    server = DevServer(subpath_site, port=0, base_url="https://elsewhere.example/preview/")
    try:
        server.rebuild()
        assert server.url == f"http://127.0.0.1:{server.port}/preview/"
        home = server.snapshot.files["index.html"].decode("utf-8")
        assert f'href="http://127.0.0.1:{server.port}/preview/"' in home, "canonical links point at the preview"
        assert EVENTS_PATH not in home, "the reload script is added on the way out, never built in"
    finally:
        server.stop()


SNAPSHOT = Snapshot("v1", "/open/", MappingProxyType({
    "index.html": b"<html><body><p>Home</p></body></html>",
    "about/index.html": b"<html><body>About</body></html>",
    "404.html": b"<html><body>Lost?</body></html>",
    "assets/style.css": b"body{}",
    "feed.xml": b"<feed/>",
}))


@pytest.mark.parametrize(("path", "status", "location"), [
    ("/", 302, "/open/"), ("/open", 302, "/open/"), ("/open/about", 301, "/open/about/"),
    ("/open/%E5%85%B3%E4%BA%8E", 404, None), ("/elsewhere/", 404, None), ("/open/about/", 200, None),
    ("/open/about/index.html", 200, None), ("/open/assets/style.css?v=123", 200, None),
])
def test_route_request_serves_like_a_static_host_under_the_base_path(path: str, status: int,
                                                                      location: str | None) -> None:
    response = route_request(SNAPSHOT, path)
    assert (response.status, response.location) == (status, location)


def test_route_request_sets_content_types_and_serves_404_page() -> None:
    assert route_request(SNAPSHOT, "/open/assets/style.css").content_type == "text/css; charset=utf-8"
    assert route_request(SNAPSHOT, "/open/feed.xml").content_type == "application/xml; charset=utf-8"
    missing = route_request(SNAPSHOT, "/open/nowhere/")
    assert missing.status == 404 and missing.body == b"<html><body>Lost?</body></html>"


def test_route_request_shows_the_error_page_for_pages_only() -> None:
    failed = Snapshot("v2", SNAPSHOT.base_path, SNAPSHOT.files, errors=(
        Diagnostic("invalid YAML: <oops>", Path("content/posts/a.md"), 3, 7, "fix it"),), root=Path("."))
    page = route_request(failed, "/open/about/")
    assert page.status == 500
    assert b"content/posts/a.md:3:7: error: invalid YAML: &lt;oops&gt; (fix it)" in page.body
    assert route_request(failed, "/open/nowhere/").status == 500
    assert route_request(failed, "/open/assets/style.css").status == 200


def test_inject_reload_script_goes_before_body_end() -> None:
    page = inject_reload_script(b"<html><body><p>Hi</p></BODY></html>", "abc-3")
    assert page.index(b"EventSource") < page.index(b"</BODY>")
    assert b'const built = "abc-3"' in page
    assert inject_reload_script(b"<p>fragment</p>", "v").startswith(b"<p>fragment</p><script>")


# issue 11: Host header, bounded connections, editor temp files, SIGTERM ------------------------------------------

def _raw_get(server: Server, host: str, path: str = "/open/") -> tuple[int, bytes]:
    port = int(server.url.split(":")[2].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def test_serve_refuses_other_hosts_so_dns_rebinding_reads_nothing(serving: Server) -> None:
    status, data = _raw_get(serving, "attacker.example:8000")
    assert status == 421 and b"Launch day" not in data
    for host in ("127.0.0.1", "localhost:8000", "[::1]:8000", "192.168.1.20:8000"):
        assert _raw_get(serving, host)[0] == 200, host


def test_serve_answers_while_many_clients_hold_idle_connections(serving: Server) -> None:
    port = int(serving.url.split(":")[2].split("/")[0])
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(100)]
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: fetch(serving.url).status, range(16)))
        assert statuses == [200] * 16
    finally:
        for sock in idle:
            sock.close()


def test_aborted_download_prints_no_traceback(serving: Server) -> None:
    port = int(serving.url.split(":")[2].split("/")[0])
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
        sock.sendall(b"GET /open/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.close()
    assert fetch(serving.url).status == 200
    assert serving.interrupt() == 0
    assert "Traceback" not in "".join(serving.output)


@pytest.mark.parametrize(("name", "temporary"), [
    ("sedAb12Cd", True), ("4913", True), (".#launch.md", True), ("launch.md~", True), (".launch.md.swp", True),
    ("launch.md", False), ("site.yaml", False), ("sed-notes.md", False),
])
def test_is_editor_temp_knows_what_editors_leave_behind(name: str, temporary: bool) -> None:
    assert is_editor_temp(name) is temporary


def test_serve_stops_on_sigterm(serving: Server) -> None:
    serving.process.send_signal(signal.SIGTERM)
    assert serving.process.wait(timeout=WAIT_SECONDS) == 0
    assert "Stopped." in "".join(serving.output)


@pytest.mark.parametrize("how", ["site.yaml", "environment"])
def test_serve_rebuilds_when_an_external_metrics_dir_changes(make_site, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    numbers = tmp_path / "private-numbers"
    numbers.mkdir()
    (numbers / "mrr.csv").write_text("month,mrr\n2024-01,1000\n2024-02,1200\n", encoding="utf-8")
    config = "title: Open Co\nbase_url: https://open.example/\ntimezone: UTC\n"
    if how == "site.yaml":
        config += "metrics_dir: ../private-numbers\n"
    else:
        monkeypatch.setenv("OPENSITE_METRICS_DIR", str(numbers))
    server = DevServer(make_site(config=config), port=0)
    try:
        first = server.start()
        assert first.errors == () and b"1200" in server.snapshot.files["data/metrics.csv"]
        (numbers / "mrr.csv").write_text("month,mrr\n2024-01,1000\n2024-02,4321\n", encoding="utf-8")
        deadline = time.monotonic() + WAIT_SECONDS
        while b"4321" not in server.snapshot.files["data/metrics.csv"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"4321" in server.snapshot.files["data/metrics.csv"], "a save in metrics_dir rebuilds the preview"
        page = fetch(f"http://127.0.0.1:{server.port}/metrics/mrr/")
        assert page.status == 200 and "4,321" in page.text
    finally:
        server.stop()


def test_sigterm_stops_a_dev_server_waiting_in_python_and_restores_the_handler(make_site) -> None:
    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    server = DevServer(make_site(), port=0)
    watchdog = threading.Timer(WAIT_SECONDS, server.stop)  # never hang the suite if SIGTERM were ignored
    try:
        server.start()
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM)).start()
        watchdog.start()
        server.wait()
        assert server.stopping and watchdog.is_alive(), "SIGTERM, not the watchdog, ended wait()"
        assert received == [], "while waiting, SIGTERM is the server's"
        with pytest.raises(OSError):
            socket.create_connection((server.host, server.port), timeout=1).close()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
        assert received == [signal.SIGTERM], "after wait() the program's own handler is back"
    finally:
        watchdog.cancel()
        server.stop()
        signal.signal(signal.SIGTERM, previous)


def test_dev_server_started_without_wait_leaves_sigterm_to_the_program(make_site) -> None:
    before = signal.getsignal(signal.SIGTERM)
    server = DevServer(make_site(), port=0)
    try:
        server.start()
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        server.stop()



# issue 22: keep it as sturdy as it is -------------------------------------------------------------------------

MALFORMED = [
    b"GET /open/" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # a 100 KB URL
    b"GET /open/\x00index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # NUL
    b"GET /open/%C0%AF%C0%AE%C0%AE/etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # overlong UTF-8
    b"GET /open/%E0%80%AF HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /open/% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # stray %
    b"GET /open/%zz%4 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET /open/../../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # traversal
    b"GET /open/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET //etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"BREW /open/ HTCPCP/1.0\r\n\r\n",  # nonsense method and protocol
    b"GET /open/ HTTP/1.1\r\n" + b"X-Pad: " + b"x" * 70_000 + b"\r\n\r\n",  # an overlong header
    b"GET /open/ HTTP/1.1\r\n" + b"X-A: b\r\n" * 500 + b"\r\n",  # too many headers
    b"\xff\xfe\x00garbage\r\n\r\n",
    b"GET /open/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
    b"",  # connects and says nothing
]


def _send_raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
                if len(received) > 1_000_000:
                    break
            return received
        except OSError:  # the server may close on a request it will not read: that is an answer too
            return b""


def test_serve_survives_a_bounded_hammering_and_still_answers(serving: Server) -> None:
    """Malformed requests, 200 concurrent clients beside 50 idle connections, resets mid-download: loopback
    only, a fixed number of each, every socket with a 5 s timeout; then the server must still serve the post."""
    port = int(serving.url.split(":")[2].split("/")[0])
    for data in MALFORMED:
        answer = _send_raw(port, data)
        assert b"root:x:0:0" not in answer and b"/bin/" not in answer  # nothing outside the site is served
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(50)]
    try:
        with ThreadPoolExecutor(50) as pool:
            statuses = list(pool.map(lambda _: fetch(serving.url).status, range(200)))
        assert statuses.count(200) == 200
    finally:
        for sock in idle:
            sock.close()
    for _ in range(30):  # read the start of a page, then reset the connection
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /open/2024/03/launch/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.recv(64)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    assert serving.process.poll() is None, "the server died"
    page = fetch(_post_url(serving))
    assert page.status == 200 and "Launch day" in page.text
    assert serving.interrupt() == 0
    assert "Traceback" not in "".join(serving.output)

"""The HTTP side of `opensite serve`: binding the port, answering requests, streaming reload events."""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import urlsplit

from generator.errors import GeneratorError
from generator.serve.memory import (
    EVENTS_PATH,
    Snapshot,
    inject_reload_script,
    route_request,
)

HEARTBEAT_SECONDS = 15.0
"""How often an idle event stream sends a comment, so a closed tab frees its thread."""


class LiveSite(Protocol):
    """What the handler needs from the dev server: the current build and news of the next one."""

    @property
    def snapshot(self) -> Snapshot: ...

    @property
    def stopping(self) -> bool: ...

    def wait_for_version(self, seen: str | None, timeout: float) -> str: ...


MAX_CONNECTIONS = 256
"""Connections served at once; more wait in the listen queue instead of each taking a thread."""
IDLE_SECONDS = 10.0
"""A connection that sends nothing (or reads nothing) for this long is closed, freeing its thread."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # On Windows SO_REUSEADDR lets a second server take a busy port silently; elsewhere it only
    # allows a quick restart over connections still closing.
    allow_reuse_address = sys.platform != "win32"
    request_queue_size = 128

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        """Start a thread only when one of the bounded slots is free (a flood cannot exhaust threads)."""
        while not self._slots.acquire(timeout=0.5):
            if getattr(getattr(self, "dev", None), "stopping", False):
                self.shutdown_request(request)
                return
        super().process_request(request, client_address)

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a browser goes away mid-response (an aborted download): that is no error."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)


def is_local_host(header: str) -> bool:
    """Return True for a Host header naming localhost or an IP literal, with or without a port."""
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":")[0]
    if host in ("localhost", "localhost."):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _Server6(_Server):
    address_family = socket.AF_INET6


def bind_server(host: str, port: int) -> ThreadingHTTPServer:
    """Return a server listening on host:port; raise GeneratorError when the port is taken."""
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host, port), _Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise GeneratorError(f"port {port} on {host} is already in use",
                                 hint=f"stop the other server, or pick another port, e.g. --port {port + 1}") from None
        if exc.errno == errno.EACCES:
            raise GeneratorError(f"not allowed to listen on port {port}",
                                 hint="ports below 1024 need administrator rights; try --port 8000") from None
        raise GeneratorError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                             hint="check --host; 127.0.0.1 serves this machine only") from None


class _Handler(BaseHTTPRequestHandler):
    """Serves the current snapshot and the live-reload event stream."""

    server_version = "opensite"
    timeout = IDLE_SECONDS

    @property
    def dev(self) -> LiveSite:
        return self.server.dev  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if not self._host_allowed():
            return
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
            return
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        if self._host_allowed():
            self._respond(head=True)

    def _host_allowed(self) -> bool:
        """Answer only requests addressed to this machine by IP or `localhost`: a web page whose domain
        resolves to 127.0.0.1 (DNS rebinding) sends its own name in Host and gets nothing, drafts included."""
        if is_local_host(self.headers.get("Host", "")):
            return True
        body = b"opensite serve answers only for localhost or an IP address.\n"
        self.send_response(421)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return False

    def _respond(self, head: bool) -> None:
        snapshot = self.dev.snapshot
        response = route_request(snapshot, self.path)
        body = response.body
        if response.content_type.startswith("text/html") and response.location is None:
            body = inject_reload_script(body, snapshot.version)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if response.location:
            self.send_header("Location", response.location)
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (ConnectionError, TimeoutError):  # the browser went away (an aborted download)
                self.close_connection = True

    def _stream_events(self) -> None:
        """Send the build version now and after every build, until the tab closes or the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen: str | None = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not self.dev.stopping:
                version = self.dev.wait_for_version(seen, HEARTBEAT_SECONDS)
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": ping\n\n")
                self.wfile.flush()
                seen = version
        except OSError:  # the tab went away
            return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        """Stay quiet: the terminal shows builds and errors, not every request."""

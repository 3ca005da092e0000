"""A headless Chromium driven over the DevTools protocol, for the browser tests and README screenshots.

No WebDriver and no download: the Debian `chromium` package and `websocket-client` from PyPI. A
built site is served from a local HTTP server on 127.0.0.1, since its links are root-relative.
"""

from __future__ import annotations

import base64
import functools
import http.server
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*")


def find_chromium() -> str | None:
    """Return the path of a Chromium on PATH, or None."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class Page:
    """One browser tab: navigate, emulate a viewport and colour scheme, evaluate JavaScript, screenshot."""

    def __init__(self, ws_url: str) -> None:
        import websocket  # websocket-client, a test dependency

        self._ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self._ids = itertools.count(1)
        self.send("Page.enable")

    def send(self, method: str, **params: Any) -> dict:
        """Send one command and return its result (events that arrive meanwhile are dropped)."""
        number = next(self._ids)
        self._ws.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _wait_for(self, event: str) -> None:
        while json.loads(self._ws.recv()).get("method") != event:
            pass

    def emulate(self, width: int, height: int = 900, dark: bool = False) -> None:
        """Set the viewport (CSS px, device scale 1) and prefers-color-scheme."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)
        self.send("Emulation.setEmulatedMedia",
                  features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])

    def open(self, url: str) -> None:
        """Navigate and wait for the load event, then for lazy images and fonts."""
        number = next(self._ids)
        self._ws.send(json.dumps({"id": number, "method": "Page.navigate", "params": {"url": url}}))
        self._wait_for("Page.loadEventFired")
        self.evaluate("""(async () => {
            for (const img of document.images) { img.loading = 'eager'; }
            await Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => {
                i.onload = i.onerror = r; })));
            await document.fonts.ready; })()""")

    def evaluate(self, expression: str) -> Any:
        """Return the value of a JavaScript expression (promises awaited); raise on an exception."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        """Write a PNG of the page (the whole page, not only the viewport, by default)."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            height = self.evaluate("document.documentElement.scrollHeight")
            width = self.evaluate("document.documentElement.clientWidth")
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": width, "height": height,
                                                            "scale": 1})
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))

    def close(self) -> None:
        self._ws.close()


@contextmanager
def chromium(executable: str) -> Iterator[Page]:
    """Start a headless Chromium with a throwaway profile and yield a Page; stop it afterwards."""
    profile = Path(tempfile.mkdtemp(prefix="opensite-chromium-"))
    process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = _devtools_port(profile, process)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=30) as response:
            page = Page(json.load(response)["webSocketDebuggerUrl"])
        try:
            yield page
        finally:
            page.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def _devtools_port(profile: Path, process: subprocess.Popen) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if marker.is_file() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with code {process.returncode} before it listened")
        time.sleep(0.05)
    raise RuntimeError("chromium did not open its DevTools port within 30 s")


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) and yield its base URL, 'http://127.0.0.1:PORT'."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=os.fspath(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

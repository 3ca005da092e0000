"""`opensite serve`: build in memory, serve it under base_url's path, rebuild on change, reload open tabs.

Nothing is written to disk: each build's files live in a `Snapshot`, so serving can never
disturb output/, and the live-reload script, added to HTML responses on their way out, can
never leak into a deployed site. A failed rebuild keeps the last good snapshot (its CSS and
images are still served) and shows the errors in place of every page until the next good save.
Tabs learn about a new build over Server-Sent Events, which every browser speaks natively.
"""

from __future__ import annotations

import gc
import queue
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import watchfiles

from generator.build import BuildResult, load_site_config, render_site_in_memory
from generator.config import CONFIG_NAME
from generator.errors import Diagnostic, GeneratorError
from generator.inside import is_inside
from generator.output import PagesInMemory
from generator.serve.changes import ChangeLog, is_editor_temp
from generator.serve.http import bind_server
from generator.serve.memory import (
    EVENTS_PATH,
    Snapshot,
    inject_reload_script,
    route_request,
)
from generator.urls import base_path_of
from generator.write import SOURCE_FOLDERS

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can connect unless --host says otherwise: drafts are served too."""
DEFAULT_PORT = 8000
STOP_SECONDS = 0.8
"""How long stop() waits for the background threads, so Ctrl-C or SIGTERM ends a preview within a second."""
TERM_POLL_SECONDS = 0.05
"""How often wait() looks for SIGTERM: with STOP_SECONDS, a preview stops within a second."""
WATCH_READY_SECONDS = 5.0
"""How long to wait for the operating system to start watching before serving anyway."""
WATCH_STEP_MS = 20
"""A batch of changes is built once no other change came for this long: an editor's save (a temporary file
renamed over the post) takes microseconds; each millisecond here is one more between save and page (issue 24)."""
IDLE_SAVE_SECONDS = 0.2
"""The caches of a build are saved (and garbage collected) once no change came for this long after it: the page
is served first."""
GC_PAUSED_BUILDS = 10

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "EVENTS_PATH", "DevServer", "Rebuild", "Snapshot",
           "inject_reload_script", "route_request"]


@dataclass(frozen=True)
class Rebuild:
    """What one build of `serve` did, for the command line to report."""

    result: BuildResult | None
    errors: tuple[Diagnostic, ...]
    seconds: float
    changes: tuple[Path, ...] = ()
    """The files whose change started this build (empty for the first one)."""


class DevServer:
    """The HTTP server, the watcher and the rebuilds of one `opensite serve`.

    Binding happens in the constructor, so a busy port is reported before anything is built.
    """

    def __init__(self, site_dir: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 drafts: bool = False, base_url: str | None = None,
                 on_rebuild: Callable[[Rebuild], None] | None = None) -> None:
        self.site_dir = Path(site_dir)
        self.drafts = drafts
        self.base_url = base_url
        self.on_rebuild = on_rebuild
        self._httpd = bind_server(host, port)
        self._httpd.dev = self  # type: ignore[attr-defined]
        self.host, self.port = self._httpd.server_address[:2]
        self._session = secrets.token_hex(4)  # a restarted server makes open tabs reload
        self._snapshot = Snapshot(f"{self._session}-0", root=self.site_dir)
        self._builds = 0
        self._pages = PagesInMemory()
        """The last good build's pages: a save re-renders only the pages it changes (and the parsed posts
        come from the build cache on disk, shared with `opensite build`)."""
        self._log = ChangeLog()
        """What changed since the last good build: a build looks at those files alone (serve/changes.py)."""
        self._gc_paused = 0
        """Builds run since the cyclic garbage collector was paused (0: it runs)."""
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._changes: queue.Queue[tuple[set[Path], bool]] = queue.Queue()
        """Batches of changed files, and whether the batch asks for a build (not only editors' temporary files)."""
        self._threads: list[threading.Thread] = []
        self._serving = False
        self._watching = threading.Event()
        self._polling = False
        self._metrics_dir: Path | None = None
        """The metrics_dir outside the site's folders being watched, if any."""
        self._terminated = False
        self._closed = False
        self._waiting = False
        self._handling = False

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    @property
    def url(self) -> str:
        """Return the address of the site's home page."""
        return f"http://{_url_host(self.host)}:{self.port}{self.snapshot.base_path}"

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def start(self) -> Rebuild:
        """Watch, build once, then serve and rebuild in background threads; return the first build.

        The watchers start first, so every change after the first build began is seen, and later builds can
        look at the changed files alone (a save during the first build is built right after it).
        """
        self._spawn(self._watch_sources)
        self._watching.wait(WATCH_READY_SECONDS)  # so a save right after "Serving …" is not missed
        first = self.rebuild()
        self._pages.prepare(first.result.site.config if first.result else None)  # nobody waits for a page yet
        self._serving = True
        self._spawn(self._httpd.serve_forever, 0.2)
        self._spawn(self._rebuild_on_change)
        return first

    def wait(self) -> None:
        """Block until stop() or SIGTERM (then stop within a second); Ctrl-C raises KeyboardInterrupt here.

        Like uvicorn's `Server.run`, the server takes SIGTERM only while the main thread waits here
        (or inside `handling_sigterm`), and puts the previous handler back: a program that merely
        starts a DevServer (a test, an editor plugin) keeps its own signal handling, while `kill` or
        a process manager stops a preview that runs in the foreground, from the command line or
        from Python alike.
        """
        self._waiting = True
        try:
            with self.handling_sigterm():
                while not (self._stop.wait(TERM_POLL_SECONDS) or self._terminated):
                    pass
        finally:
            self._waiting = False
        if self._terminated:
            self.stop()

    @contextmanager
    def handling_sigterm(self) -> Iterator[None]:
        """While inside (in the main thread; others cannot take signals), SIGTERM stops this server.

        In wait() it only raises a flag; elsewhere (during the first build, say) it raises
        KeyboardInterrupt, as Ctrl-C does. The previous handler is restored on the way out.
        """
        if threading.current_thread() is not threading.main_thread() or self._handling:
            yield
            return
        self._terminated = False
        previous = signal.signal(signal.SIGTERM, self._on_sigterm)
        self._handling = True
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._handling = False

    def _on_sigterm(self, signum: int, frame: object) -> None:
        self._terminated = True  # only a flag while waiting: the main thread may hold a lock of wait()'s Event
        if not self._waiting:
            raise KeyboardInterrupt

    def stop(self) -> None:
        """Stop serving, watching and streaming; close the port (again: nothing happens)."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._gc_paused:
            gc.enable()  # the program that started this server gets its collector back
        with self._changed:
            self._changed.notify_all()
        if self._serving:
            self._httpd.shutdown()
        self._httpd.server_close()
        deadline = time.monotonic() + STOP_SECONDS  # the threads are daemons: a build in progress is abandoned
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def rebuild(self, changes: Sequence[Path] = ()) -> Rebuild:
        """Build the site into memory; on failure keep the last good files and record the errors.

        `changes` are the files the watcher saw change since the last build (they alone are looked at
        when the watcher has seen every change since the last good build).
        """
        start = time.perf_counter()
        self._log.add(changes, self._watched_folders())
        self._pages.note_changes(self._log.pending)
        result, base_path, errors = self._build()
        if result is not None:
            self._log.built(watching=self._watching.is_set())
        version = self._next_version()
        if result is not None:
            snapshot = _snapshot_of(result, base_path, version, self.site_dir)
        else:
            snapshot = replace(self._snapshot, version=version, errors=errors, **self._language())
        with self._changed:
            self._snapshot = snapshot
            self._changed.notify_all()
        outcome = Rebuild(result, errors, time.perf_counter() - start, tuple(changes))
        if self.on_rebuild is not None:
            self.on_rebuild(outcome)
        return outcome

    def _pause_gc(self) -> None:
        """Pause the cyclic garbage collector until nothing happens: a full collection of the heap a served site
        holds (~120,000 objects at 1,000 posts) takes 0.1–0.2 s, and it came in the middle of every few builds."""
        if self._gc_paused >= GC_PAUSED_BUILDS:  # saves that never stop: collect now and then all the same
            self._resume_gc()
        if gc.isenabled():
            gc.disable()
        self._gc_paused += 1

    def _resume_gc(self) -> None:
        if self._gc_paused:
            self._gc_paused = 0
            gc.enable()
            gc.collect()

    def _watched_folders(self) -> list[Path]:
        return [self.site_dir] + ([self._metrics_dir] if self._metrics_dir is not None else [])

    def _build(self) -> tuple[BuildResult | None, str, tuple[Diagnostic, ...]]:
        """Return (result, base path, ()) for a good build, or (None, "", errors)."""
        try:
            base_path = self._base_path()
            result = render_site_in_memory(self.site_dir, drafts=self.drafts, base_url=self._local_url(base_path),
                                           pages=self._pages)
            return result, base_path, ()
        except GeneratorError as error:
            return None, "", error.diagnostics
        except Exception as exc:  # a bug in opensite: show it, and keep serving for the next save
            return None, "", (Diagnostic(f"internal error: {type(exc).__name__}: {exc}",
                                         hint="this is a bug in opensite; `opensite --debug build` shows the "
                                         "traceback"),)

    def wait_for_version(self, seen: str | None, timeout: float) -> str:
        """Return the current build version once it differs from `seen`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.version != seen or self.stopping, timeout)
            return self._snapshot.version

    def _next_version(self) -> str:
        self._builds += 1
        return f"{self._session}-{self._builds}"

    def _language(self) -> dict[str, object]:
        """Return the site's language and wording for the overlay of a failed build (site.yaml's, if it reads)."""
        try:
            config = load_site_config(self.site_dir)
        except GeneratorError:  # site.yaml itself is broken: the last good build's language
            return {}
        return {"language": config.language, "overrides": MappingProxyType(config.string_overrides)}

    def _base_path(self) -> str:
        if self.base_url is not None:
            return base_path_of(self.base_url)
        return load_site_config(self.site_dir).base_path

    def _local_url(self, base_path: str) -> str:
        return f"http://{_url_host(self.host)}:{self.port}{base_path}"

    def _spawn(self, target: Callable[..., object], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name=f"opensite-{target.__name__}")
        thread.start()
        self._threads.append(thread)

    def _rebuild_on_change(self) -> None:
        """Rebuild once per batch of changes, one build at a time; save the caches while nothing happens."""
        while not self.stopping:
            try:
                changes, wanted = self._changes.get(timeout=IDLE_SAVE_SECONDS)
            except queue.Empty:
                self._pages.save_caches()
                self._resume_gc()
                continue
            while not self._changes.empty():  # saves that arrived during the last build: one more build
                more, asked = self._changes.get_nowait()
                changes, wanted = changes | more, wanted or asked
            if not wanted:  # only editors' temporary files: no build, but the next one looks at them too
                self._log.add(changes, self._watched_folders())
            elif not self.stopping:
                self._pause_gc()
                self.rebuild(sorted(changes))

    def _watch_sources(self) -> None:
        """Watch site.yaml and the source folders; restart when a source folder appears or goes away.

        The site folder itself is watched without recursion (it may hold output/, .git or
        node_modules), and content/, metrics/ and templates/ recursively, as is a `metrics_dir`
        elsewhere (a private checkout of the numbers).
        """
        generation = 0
        while not self.stopping:
            folders = [self.site_dir / name for name in SOURCE_FOLDERS if (self.site_dir / name).is_dir()]
            self._metrics_dir = self._external_metrics_dir()
            if self._metrics_dir is not None and not any(is_inside(self._metrics_dir, f) for f in folders):
                folders.append(self._metrics_dir)
            restart = threading.Event()
            jobs = [([self.site_dir], False)] + ([(folders, True)] if folders else [])
            readiness = [threading.Event() for _ in jobs]
            watchers = [threading.Thread(target=self._watch, args=(paths, recursive, restart, ready), daemon=True)
                        for (paths, recursive), ready in zip(jobs, readiness)]
            for watcher in watchers:
                watcher.start()
            for ready in readiness:
                ready.wait(WATCH_READY_SECONDS)
            self._log.watchers_started()
            if generation == 0:
                self._watching.set()
            else:  # files saved while the new watchers started were seen by neither: build once more
                self._changes.put((set(folders), True))
            generation += 1
            while not (restart.wait(0.2) or self.stopping):
                pass
            restart.set()
            for watcher in watchers:
                watcher.join(timeout=5)

    def _external_metrics_dir(self) -> Path | None:
        """Return the `metrics_dir` builds read (site.yaml, --metrics-dir or the environment), None for metrics/."""
        try:
            folder = load_site_config(self.site_dir).metrics_dir
        except GeneratorError:  # a broken site.yaml: the build reports it; watch what is there
            return None
        return folder if folder is not None and folder.is_dir() else None

    def _watch(self, paths: list[Path], recursive: bool, restart: threading.Event, ready: threading.Event) -> None:
        """Queue the changed files under `paths` until `restart` is set; set `ready` once watching."""
        watched = {CONFIG_NAME, *SOURCE_FOLDERS}
        try:
            # yield_on_timeout: the first (empty) yield proves the OS watches are in place.
            # watch_filter=None: every file a build reads is seen (watchfiles' default filter hides `x~` and
            # `.pyc` files, which content/ copies); a batch is yielded after WATCH_STEP_MS without another change.
            for changes in watchfiles.watch(*paths, watch_filter=None, recursive=recursive, stop_event=restart,
                                            raise_interrupt=False, debounce=400, step=WATCH_STEP_MS, rust_timeout=100,
                                            yield_on_timeout=True, force_polling=self._polling or None):
                ready.set()
                changed = {Path(p) for _, p in changes}
                if not recursive:
                    changed = {p for p in changed if p.name in watched}
                    if any(Path(p).name in SOURCE_FOLDERS and kind != watchfiles.Change.modified
                           for kind, p in changes):
                        restart.set()  # a source folder was created or removed: watch the new set
                    elif any(p.name == CONFIG_NAME for p in changed) \
                            and self._external_metrics_dir() != self._metrics_dir:
                        restart.set()  # site.yaml now names another metrics_dir: watch that one
                if changed:
                    self._changes.put((changed, any(not is_editor_temp(p.name) for p in changed)))
        except FileNotFoundError:  # a watched folder vanished: watch the new set
            time.sleep(0.2)
        except OSError:  # e.g. the system's limit of watches is reached: look for changes by polling
            self._polling = True
        finally:
            ready.set()
            restart.set()


def _snapshot_of(result: BuildResult, base_path: str, version: str, root: Path) -> Snapshot:
    files = MappingProxyType({f.path: f.data for f in result.files})
    static = MappingProxyType({s.relpath.as_posix(): s.source for s in result.site.static_files})
    config = result.site.config
    return Snapshot(version, base_path, files, static, (), root, config.language,
                    MappingProxyType(config.string_overrides))


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host

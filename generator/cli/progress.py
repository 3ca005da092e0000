"""The progress display of long builds and the summary line every build ends with."""

from __future__ import annotations

import threading
from typing import IO, TYPE_CHECKING

import click

from generator.cli.common import plural, shown_path

if TYPE_CHECKING:  # the pipeline is imported when a command runs it, not to draw a progress line
    from generator.build import BuildResult


class Progress:
    """Show the running stage on stderr once a build has taken a second; clear it when done.

    Only on a terminal: CI logs would fill with animation frames.
    """

    FRAMES = "|/-\\"
    LABELS = {"config": "reading site.yaml", "content": "reading posts", "metrics": "reading metrics",
              "model": "laying out pages", "charts": "drawing charts", "render": "rendering pages",
              "check": "checking links", "write": "writing output"}

    def __init__(self, *, enabled: bool, stream: IO[str] | None = None, delay: float = 1.0,
                 interval: float = 0.1) -> None:
        self.enabled = enabled
        self.stream = stream
        self.delay = delay
        self.interval = interval
        self.stage = ""
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._animate, daemon=True)
        self._shown = False

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self.enabled:
            self._thread.join()
        if self._shown:
            self._write("\r\033[K")

    def _animate(self) -> None:
        if self._done.wait(self.delay):
            return
        frame = 0
        while not self._done.is_set():
            label = self.LABELS.get(self.stage, self.stage)
            self._write(f"\r\033[K{self.FRAMES[frame % len(self.FRAMES)]} Building: {label}…")
            self._shown = True
            frame += 1
            self._done.wait(self.interval)

    def _write(self, text: str) -> None:
        stream = self.stream or click.get_text_stream("stderr")
        stream.write(text)
        stream.flush()


def summary_line(result: BuildResult) -> str:
    """Return the line every build ends with: `Built 1,042 pages (3 rendered, 5 files written), 12 charts in 0.4 s → output/`.

    The part in brackets appears when the build cache saved work: how many pages had to be rendered
    and how many files written (an unchanged site writes none).
    """
    seconds = sum(result.timings.values())
    where = shown_path(result.output_dir) if result.output_dir else "-"
    charts = f", {plural(result.chart_count, 'chart')}" if result.chart_count else ""
    saved = ""
    if result.reused:
        saved = f" ({result.rendered:,} rendered, {plural(result.written, 'file')} written)"
    return f"Built {plural(result.page_count, 'page')}{saved}{charts} in {seconds:.1f} s → {where}/"



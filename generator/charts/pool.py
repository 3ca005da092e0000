"""Drawing what the chart cache lacks: chart SVGs (matplotlib) and share cards (Pillow), here or in workers.

A cold build of a real site draws a few hundred charts (a wide and a narrow SVG each, ~15 ms apiece) and a
share card per post and metric (~5 ms); drawn one after the other they were most of a cold build (issue 24).
When there is enough to draw, forked workers (generator.workers) draw them: each inherits the drawings to
make, only index chunks go out and only bytes come back, in order, so the files are the same whatever the
worker count. Charts go first, one per task (they cost three times a card), so the cheap cards fill the end.

A cold build forks its drawing workers before it reads the posts (`early_drawers`), and sends them the drawings:
a worker forked at the charts stage started from the whole site (100 MiB at 5,000 posts), and matplotlib and
the fonts came on top of it, the largest process of the build (issue 24).
"""

from __future__ import annotations

import contextlib
import io
import pickle
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool
from types import FunctionType
from typing import Any

from generator.charts.cards import draw_card
from generator.charts.fonts import CardFonts
from generator.dashboard.previews import Preview
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries
from generator.workers import can_fork, in_order, worker_pool

PARALLEL_MIN_COST = 40
"""Below this much work (a chart counts 3, a card 1), worker processes cost more to start than they save."""
_CARD_CHUNK = 16
CHART_COST = 3
"""A chart's drawing time in share cards (~15 ms against ~5 ms)."""


@dataclass(frozen=True)
class ChartDrawing:
    """A chart to draw: its spec (wide or narrow) and its series."""

    spec: ChartSpec
    series: tuple[MetricSeries, ...]


@dataclass(frozen=True)
class CardDrawing:
    """A share card to draw, in its fonts."""

    preview: Preview
    fonts: CardFonts


Drawing = ChartDrawing | CardDrawing


def draw_all(drawings: Sequence[Drawing], jobs: int, drawers: Pool | None = None) -> Iterator[bytes]:
    """Yield the bytes of every drawing, in order, as each is done: here, or in `jobs` worker processes when it
    pays (the caller keeps or stores each as it comes, rather than holding them all: issue 24). `drawers`
    (from `early_drawers`) are workers forked earlier, sent the drawings themselves; without them, workers are forked
    now and inherit the drawings."""
    cost = sum(CHART_COST if isinstance(d, ChartDrawing) else 1 for d in drawings)
    if jobs < 2 or cost < PARALLEL_MIN_COST or not can_fork():
        yield from map(_draw, drawings)
        return
    order = sorted(range(len(drawings)), key=lambda i: not isinstance(drawings[i], ChartDrawing))  # charts first
    chunks: list[list[int]] = []
    for index in order:
        chart = isinstance(drawings[index], ChartDrawing)
        if chart or not chunks or len(chunks[-1]) >= _CARD_CHUNK or isinstance(drawings[chunks[-1][0]], ChartDrawing):
            chunks.append([index])
        else:
            chunks[-1].append(index)
    with contextlib.ExitStack() as stack:
        if drawers is not None:
            sent = (_sent([drawings[i] for i in chunk]) for chunk in chunks)
            drawn = in_order(drawers, _draw_sent, sent, ahead=4 * jobs)
        else:
            pool = stack.enter_context(worker_pool(min(jobs, len(chunks)), _start_worker, (tuple(drawings),)))
            drawn = in_order(pool, _draw_in_worker, chunks, ahead=4 * jobs)
        waiting: dict[int, bytes] = {}  # drawn ahead of the next index to yield (charts go first, out of order)
        following = 0
        for chunk, results in zip(chunks, drawn, strict=True):
            waiting.update(zip(chunk, results, strict=True))
            while following in waiting:
                yield waiting.pop(following)
                following += 1
    yield from (waiting.pop(index) for index in range(following, len(drawings)))


@contextlib.contextmanager
def early_drawers(jobs: int) -> Iterator[Pool | None]:
    """Yield `jobs` drawing workers forked now, while the process is small, for a charts stage that will have
    much to draw (a cold build); None when drawing would not use workers. They are stopped on leaving."""
    if jobs < 2 or not can_fork():
        yield None
        return
    with worker_pool(jobs, _stand_by, ()) as pool:
        yield pool


def warm_up(drawers: Pool | None, jobs: int) -> None:
    """Have the early drawers import what drawing takes (matplotlib with numpy, Pillow: ~0.4 s each) now, while
    the build assembles its model on one core, rather than when the drawings arrive."""
    if drawers is not None:
        for _ in range(jobs):
            drawers.apply_async(_import_drawing)


def _import_drawing() -> None:
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import PIL.Image  # noqa: F401

    import generator.charts.canvas  # noqa: F401
    import generator.charts.frame  # noqa: F401
    time.sleep(0.05)  # each worker takes one: the first to finish does not take the other's too


def _draw(drawing: Drawing) -> bytes:
    if isinstance(drawing, CardDrawing):
        return draw_card(drawing.preview, drawing.fonts)
    from generator.charts.draw import draw_chart

    return draw_chart(drawing.spec, drawing.series)


_WORKER: tuple[Drawing, ...] = ()


def _start_worker(drawings: tuple[Drawing, ...]) -> None:
    global _WORKER  # inherited through fork: nothing is pickled on the way out
    _WORKER = drawings


def _stand_by() -> None:
    """Nothing to set up: an early worker is sent what it draws."""


def _sent(drawings: list[Drawing]) -> bytes:
    """Pickle drawings for an early worker, a lambda or closure in them (a custom metric's computation, which no
    drawing calls) by its name: pickle cannot send one."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = _function_name  # type: ignore[method-assign]
    pickler.dump(drawings)
    return buffer.getvalue()


def _function_name(obj: object) -> str | None:
    """A lambda's or a closure's name (pickle sends other functions by reference)."""
    return f"{obj.__module__}.{obj.__qualname__}" if isinstance(obj, FunctionType) and "<" in obj.__qualname__ \
        else None


class _Received(pickle.Unpickler):
    """Reads what `_sent` pickled in this very build (nothing from outside): a function comes back as a stand-in."""

    def persistent_load(self, pid: Any) -> Any:
        return _NotHere(str(pid))


@dataclass(frozen=True)
class _NotHere:
    """A metric's computation, left in the build's process: a drawing that called it would fail loudly."""

    name: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{self.name} is not computed where drawings are drawn")


def _draw_sent(payload: bytes) -> list[bytes]:
    return _draw_given(_Received(io.BytesIO(payload)).load())


def _draw_given(drawings: Sequence[Drawing]) -> list[bytes]:
    return [_draw(drawing) for drawing in drawings]


def _draw_in_worker(indices: Sequence[int]) -> list[bytes]:
    return _draw_given([_WORKER[i] for i in indices])

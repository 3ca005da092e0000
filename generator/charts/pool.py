"""Drawing what the chart cache lacks: chart SVGs (matplotlib) and share cards (Pillow), here or in workers.

A cold build of a real site draws a few hundred charts (a wide and a narrow SVG each, ~15 ms apiece) and a
share card per post and metric (~5 ms); drawn one after the other they were most of a cold build (issue 24).
When there is enough to draw, forked workers (generator.workers) draw them: each inherits the drawings to
make, only index chunks go out and only bytes come back, in order, so the files are the same whatever the
worker count. Charts go first, one per task (they cost three times a card), so the cheap cards fill the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.charts.cards import draw_card
from generator.charts.fonts import CardFonts
from generator.dashboard.previews import Preview
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries
from generator.workers import can_fork, in_order, release_freed_memory, worker_pool

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


def draw_all(drawings: Sequence[Drawing], jobs: int) -> Iterator[bytes]:
    """Yield the bytes of every drawing, in order, as each is done: here, or in `jobs` worker processes when it
    pays (the caller keeps or stores each as it comes, rather than holding them all: issue 24)."""
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
    release_freed_memory()
    waiting: dict[int, bytes] = {}  # drawn ahead of the next index to yield (charts go first, out of order)
    following = 0
    with worker_pool(min(jobs, len(chunks)), _start_worker, (tuple(drawings),)) as pool:
        for chunk, results in zip(chunks, in_order(pool, _draw_in_worker, chunks, ahead=4 * jobs), strict=True):
            waiting.update(zip(chunk, results, strict=True))
            while following in waiting:
                yield waiting.pop(following)
                following += 1
    yield from (waiting.pop(index) for index in range(following, len(drawings)))


def _draw(drawing: Drawing) -> bytes:
    if isinstance(drawing, CardDrawing):
        return draw_card(drawing.preview, drawing.fonts)
    from generator.charts.draw import draw_chart

    return draw_chart(drawing.spec, drawing.series)


_WORKER: tuple[Drawing, ...] = ()


def _start_worker(drawings: tuple[Drawing, ...]) -> None:
    global _WORKER  # inherited through fork: nothing is pickled on the way out
    _WORKER = drawings


def _draw_in_worker(indices: Sequence[int]) -> list[bytes]:
    drawn = [_draw(_WORKER[i]) for i in indices]
    release_freed_memory()
    return drawn

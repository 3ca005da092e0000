"""The charts stage: each ChartSpec the model decided, with its published series, to SVG bytes; each share
card to a PNG (Pillow, generator/charts/cards.py), in a font that has its characters (charts/fonts.py).

Three layers: the metrics stage computes, a registered chart kind describes its plots (charts/plot.py)
and the frame draws them on a Figure without Axes (charts/frame.py, charts/canvas.py), and one
`_to_svg(fig)` exports. matplotlib (about a second to import) is imported only when a
chart is not in the cache, and only the `Figure` API is used: no pyplot and its global state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing.pool import Pool
from pathlib import Path

from generator.charts.cache import CACHE_FOLDER, ChartCache, chart_key, preview_key
from generator.charts.cards import card_text
from generator.charts.draw import draw_chart
from generator.charts.fonts import CardFonts, FontFinder, missing_fonts
from generator.charts.kinds import chart_kind, chart_kinds
from generator.charts.pool import CardDrawing, ChartDrawing, Drawing, draw_all, early_drawers, warm_up
from generator.dashboard.previews import Preview
from generator.dashboard.spec import ChartSpec
from generator.memory import Recall
from generator.metrics import MetricsData, MetricSeries
from generator.model import OutputFile, Site, StoredFile
from generator.pages import OgImagePage

__all__ = ["CACHE_FOLDER", "ChartCache", "ChartSpec", "RenderedCharts", "chart_key", "chart_kind", "chart_kinds",
           "draw_chart", "early_drawers", "render_charts", "series_for", "warm_up"]


@dataclass(frozen=True)
class RenderedCharts:
    """The SVG files of a build and how many had to be drawn (the rest came from the cache)."""

    files: tuple[OutputFile | StoredFile, ...]
    """Drawn bytes, or (a build with a cache) where the cache keeps them until they are written."""
    drawn: int
    cached: int
    notes: tuple[str, ...] = ()
    """Cached charts that failed their hash check and were drawn again."""
    font_files: tuple[Path, ...] = ()
    """The font files the share cards are drawn in."""


def render_charts(site: Site, cache_folder: Path | None = None, *, use_cache: bool = True, jobs: int = 1,
                  memory: Recall | None = None, drawers: Pool | None = None) -> RenderedCharts:
    """Return two SVG files for every chart of the site (wide, and narrow for phones), and the preview images,
    drawing only those the cache lacks.

    Args:
        site: the assembled site; the charts and published metrics of each of its languages are read.
        cache_folder: where drawn charts persist between builds (default <site>/.opensite-cache/charts).
        use_cache: False draws every chart and leaves the cache alone (`--no-cache`).
        jobs: worker processes for what must be drawn (1: none; charts/pool.py decides when they pay).
        memory: a long-running process's last charts, given back while the charts and cards are unchanged.
        drawers: workers a cold build forked before it read the posts (charts/pool.early_drawers), to draw in.
    """
    folder = cache_folder if cache_folder is not None else site.config.root / CACHE_FOLDER
    cards = tuple(page.preview for tree in site.trees for page in tree.renders if isinstance(page, OgImagePage))
    if memory is None:  # a build: drawings stay in the cache until written; serve keeps its charts' bytes
        return _render_charts(site, cards, folder, use_cache, jobs, stream=True, drawers=drawers)
    made: list[RenderedCharts] = []
    inputs = (site.config, tuple(chart for tree in site.trees for chart in tree.charts), cards, folder, use_cache)
    result = memory.get("charts", inputs, lambda: made.append(_render_charts(site, cards, folder, use_cache, jobs))
                        or made[0])
    return result if made else replace(result, drawn=0, cached=len(result.files), notes=())


def _render_charts(site: Site, cards: Sequence[Preview], folder: Path, use_cache: bool, jobs: int,
                   stream: bool = False, drawers: Pool | None = None) -> RenderedCharts:
    cache = ChartCache(folder) if use_cache else None
    fonts = choose_card_fonts(site, cards)  # first: a machine without the fonts fails before drawing anything
    planned: list[tuple[str, str, Drawing]] = []  # (output path, cache key, what to draw)
    for tree, chart in ((tree, chart) for tree in site.trees for chart in tree.charts):  # every language's labels
        series = series_for(chart.spec, tree.metrics, chart.derived)
        for spec in (chart.spec, replace(chart.spec, variant="narrow", path=chart.spec.narrow_path)):
            planned.append((spec.path, chart_key(spec, series), ChartDrawing(spec, series)))
    for preview in cards:
        card_fonts = fonts[preview.path]
        planned.append((preview.path, preview_key(preview, card_fonts), CardDrawing(preview, card_fonts)))

    def held(key: str, data: bytes) -> bytes | StoredFile:
        """The bytes, or (streaming) where the cache keeps them: a build at 5,000 posts held 82 MB of drawings."""
        return (cache.stored(key, data) or data) if stream and cache is not None else data

    found: dict[str, bytes | StoredFile | None] = {}
    for _, key, _ in planned:
        if key not in found:
            data = cache.get(key) if cache is not None else None
            found[key] = held(key, data) if data is not None else None
    missing = {key: drawing for _, key, drawing in planned if found.get(key) is None}  # one drawing per key
    for key, data in zip(missing, draw_all(list(missing.values()), jobs, drawers), strict=True):
        if cache is not None:
            cache.put(key, data)
        found[key] = held(key, data)
    files = tuple(replace(kept, path=path) if isinstance(kept, StoredFile) else OutputFile(path, kept)  # type: ignore[arg-type]
                  for path, key, _ in planned for kept in (found[key],))
    if cache is not None:
        cache.prune(set(found))  # charts of earlier data are never drawn again: the folder stays the size of one build
    drawn = sum(1 for drawing in missing.values() if isinstance(drawing, ChartDrawing))
    used = tuple(map(Path, sorted({face.path for chosen in fonts.values() for face in (chosen.regular, chosen.bold)})))
    return RenderedCharts(files, drawn, len(files) - drawn, tuple(cache.notes) if cache is not None else (), used)


def choose_card_fonts(site: Site, cards: Sequence[Preview]) -> dict[str, CardFonts]:
    """Return the fonts of each share card, by its path; raise MissingFontError when none has a card's text."""
    finders: dict[str, FontFinder] = {}  # by language: a Chinese post on an English site is drawn in a Chinese face
    for language in dict.fromkeys(preview.language for preview in cards):
        finders[language] = FontFinder(site.config.share_images.font, language=language)
    chosen = {preview.path: finders[preview.language].fonts_for(card_text(preview)) for preview in cards}
    missing_fonts(cards, chosen)
    return {path: found for path, found in chosen.items() if isinstance(found, CardFonts)}


def series_for(spec: ChartSpec, metrics: MetricsData, derived: Sequence[MetricSeries] = ()) -> tuple[MetricSeries, ...]:
    """Return the chart's series (bars or lines first, then overlays) cut to its months; `derived` holds the
    series a chart makes of published ones ("Other", "not disclosed": Chart.derived)."""
    made = {one.id: one for one in derived}
    return tuple(
        replace(one, points=tuple(p for p in one.points if spec.first_month <= p.month <= spec.last_month))
        for one in (made.get(m) or metrics.series[m] for m in spec.series_ids))

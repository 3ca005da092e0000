"""The charts stage: each ChartSpec the model decided, with its published series, to SVG bytes; each share
card to a PNG (Pillow, generator/charts/cards.py), in a font that has its characters (charts/fonts.py).

Three layers: the metrics stage computes, a registered chart kind draws on the Axes it is given,
and one `_to_svg(fig)` exports. matplotlib (about a second to import) is imported only when a
chart is not in the cache, and only the `Figure` API is used: no pyplot and its global state.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.charts.cache import CACHE_FOLDER, ChartCache, chart_key, preview_key
from generator.charts.cards import card_text, draw_card
from generator.charts.fonts import CardFonts, FontFinder, missing_fonts
from generator.charts.kinds import chart_kind, chart_kinds, get_chart_kind
from generator.charts.svg import HASH_SALT, STYLE, _to_svg
from generator.dashboard.previews import Preview
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricsData, MetricSeries
from generator.model import OutputFile, Site
from generator.pages import OgImagePage

__all__ = ["CACHE_FOLDER", "ChartCache", "ChartSpec", "RenderedCharts", "chart_key", "chart_kind", "chart_kinds",
           "draw_chart", "render_charts", "series_for"]



@dataclass(frozen=True)
class RenderedCharts:
    """The SVG files of a build and how many had to be drawn (the rest came from the cache)."""

    files: tuple[OutputFile, ...]
    drawn: int
    cached: int
    notes: tuple[str, ...] = ()
    """Cached charts that failed their hash check and were drawn again."""


def render_charts(site: Site, cache_folder: Path | None = None, *, use_cache: bool = True) -> RenderedCharts:
    """Return two SVG files for every chart of the site (wide, and narrow for phones), and the preview images,
    drawing only those the cache lacks.

    Args:
        site: the assembled site; the charts and published metrics of each of its languages are read.
        cache_folder: where drawn charts persist between builds (default <site>/.opensite-cache/charts).
        use_cache: False draws every chart and leaves the cache alone (`--no-cache`).
    """
    folder = cache_folder if cache_folder is not None else site.config.root / CACHE_FOLDER
    cache = ChartCache(folder) if use_cache else None
    cards = [page.preview for tree in site.trees for page in tree.renders if isinstance(page, OgImagePage)]
    fonts = choose_card_fonts(site, cards)  # first: a machine without the fonts fails before drawing anything
    files: list[OutputFile] = []
    keys: set[str] = set()
    drawn = 0
    for tree, chart in ((tree, chart) for tree in site.trees for chart in tree.charts):  # every language's labels
        series = series_for(chart.spec, tree.metrics, chart.derived)
        for spec in (chart.spec, replace(chart.spec, variant="narrow", path=chart.spec.narrow_path)):
            key = chart_key(spec, series)
            keys.add(key)
            data = cache.get(key) if cache is not None else None
            if data is None:
                data = draw_chart(spec, series)
                if cache is not None:
                    cache.put(key, data)
                drawn += 1
            files.append(OutputFile(spec.path, data))
    for preview in cards:
        key = preview_key(preview, fonts[preview.path])
        keys.add(key)
        data = cache.get(key) if cache is not None else None
        if data is None:
            data = draw_card(preview, fonts[preview.path])
            if cache is not None:
                cache.put(key, data)
        files.append(OutputFile(preview.path, data))
    if cache is not None:
        cache.prune(keys)  # charts of earlier data are never drawn again: the folder stays the size of one build
    return RenderedCharts(tuple(files), drawn, len(files) - drawn, tuple(cache.notes) if cache is not None else ())


def choose_card_fonts(site: Site, cards: Sequence[Preview]) -> dict[str, CardFonts]:
    """Return the fonts of each share card, by its path; raise MissingFontError when none has a card's text."""
    finders: dict[str, FontFinder] = {}  # by language: a Chinese post on an English site is drawn in a Chinese face
    chosen = {preview.path: finders.setdefault(preview.language, FontFinder(
        site.config.share_images.font, language=preview.language)).fonts_for(card_text(preview)) for preview in cards}
    missing_fonts(cards, chosen)
    return {path: found for path, found in chosen.items() if isinstance(found, CardFonts)}


def series_for(spec: ChartSpec, metrics: MetricsData, derived: Sequence[MetricSeries] = ()) -> tuple[MetricSeries, ...]:
    """Return the chart's series (bars or lines first, then overlays) cut to its months; `derived` holds the
    series a chart makes of published ones ("Other", "not disclosed": Chart.derived)."""
    made = {one.id: one for one in derived}
    return tuple(
        replace(one, points=tuple(p for p in one.points if spec.first_month <= p.month <= spec.last_month))
        for one in (made.get(m) or metrics.series[m] for m in spec.series_ids))


def draw_chart(spec: ChartSpec, series: Sequence[MetricSeries]) -> bytes:
    """Draw one chart with its registered kind and return the SVG bytes."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, **STYLE}), warnings.catch_warnings():
        # Labels in Chinese are measured with DejaVu Sans, which lacks the glyphs; readers' fonts render them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        width, height = spec.size
        fig = Figure(figsize=(width / 100, height / 100))
        ax = fig.add_axes((0.15, 0.15, 0.7, 0.7))  # placed for good by the frame, once the labels are known
        get_chart_kind(spec.kind)(ax, series, spec)
        return _to_svg(fig)

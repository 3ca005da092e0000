"""What the model hands the charts stage and the templates: ChartSpec, and the Chart a page shows.

`ChartSpec` lives here, on the model's level, because the model decides every chart (which
metrics, which months, which markers, where the SVG goes) and `charts` sits above the model:
charts imports this type, never the reverse. A `ChartSpec` holds everything that changes the
drawing and nothing else the drawing needs, so its hash (with the series data) keys the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from generator.metrics.series import MetricSeries
from generator.registry.charts import ChartKind

CHART_WIDTH = 520
CHART_HEIGHT = 320
"""Size of every chart in CSS pixels at 100 px an inch (the SVG scales to its container; this fixes the
aspect ratio and, with the font size, how large labels read on a 360 px phone)."""
NARROW_WIDTH = 440
NARROW_HEIGHT = 380
"""Size of the narrow rendering served to phones (`<picture>`): 317 points wide, so its 11-point text is at
least 11 px where a phone shows it 317 px wide or more (350 px on a 390 px phone)."""
COLUMN_WIDTH = 640
COLUMN_HEIGHT = 380
"""Size of a chart drawn for a post's column (and a month or year page): as wide as most of the column, so it
is never stretched to fill it (issue 19: 520 px charts upscaled to 717 px had text larger than the body's)."""
CHART_SIZES = {"wide": (CHART_WIDTH, CHART_HEIGHT), "narrow": (NARROW_WIDTH, NARROW_HEIGHT),
               "column": (COLUMN_WIDTH, COLUMN_HEIGHT)}
NARROW_BELOW = {"wide": "30em", "column": "40em"}
"""Below which viewport width a page shows the narrow rendering instead (the column rendering needs a column
of about 600 px for its text to stay at 11 px or more)."""
PANEL_HEIGHT = 150
"""Height each further panel of a small-multiples chart adds (CSS pixels), so every panel keeps a readable scale."""


def chart_size(kind: ChartKind, variant: str, series: int = 1) -> tuple[int, int]:
    """Return a chart's size in CSS pixels: its variant's, taller by a panel for each further small multiple."""
    width, height = CHART_SIZES[variant]
    return width, height + (PANEL_HEIGHT * (series - 1) if kind is ChartKind.PANELS else 0)


NARROW_SUFFIX = "-narrow"

DISTINCT_COLOURS = 10
"""Colour slots 0–9 are ten colours a reader tells apart (generator/charts/svg.py draws them, light and dark):
a chart never shows more series than that; more cost categories fold into "Other"."""
OTHER_COLOUR = 10
"""The slot of "Other" (the smallest cost categories, folded together): a grey."""
UNDISCLOSED_COLOUR = 11
"""The slot of "not disclosed" (costs the published categories do not account for): a paler grey."""
OVERLAY_COLOUR = 12
"""The slot of a line drawn over bars (net new MRR, MRR over costs): the text colour."""


@dataclass(frozen=True)
class Annotation:
    """A numbered marker on a chart: something that happened in a month, with where to read about it."""

    number: int
    month: date
    text: str
    url: str | None = None
    """A site path ('2024/09/raising-prices/') or a full URL; None when there is nothing to link."""


@dataclass(frozen=True)
class ChartSpec:
    """One chart to draw: kind, series, months and markers; hashable, so it can key the cache."""

    id: str
    """Unique among the site's charts, e.g. 'mrr-all'; also the SVG's file name."""
    kind: ChartKind
    """How it is drawn (generator/registry/charts.py); the charts stage has one drawing per kind."""
    title: str
    metrics: tuple[str, ...]
    """Metric ids drawn by the kind: lines, the two axes of a dual chart, or the stacked bars."""
    first_month: date
    last_month: date
    path: str
    """Output path of the SVG, e.g. 'metrics/charts/mrr-all.svg'."""
    currency: str
    language: str
    overlay: tuple[str, ...] = ()
    """Metric ids drawn as lines over the bars of a stacked chart (net new MRR, revenue)."""
    below: tuple[str, ...] = ()
    """Bar metrics drawn below zero: amounts lost, such as churned MRR."""
    in_progress: date | None = None
    """The month still running at build time, when the chart shows it: drawn lighter, as an estimate."""
    estimate_label: str = "estimate"
    """The word printed over the month in progress, in the site's language."""
    annotations: tuple[Annotation, ...] = ()
    labels: tuple[str, ...] = ()
    """Legend label of each series in `series_ids` order (shortened where they share a word)."""
    months_tick: str = "{n} mo"
    """A tick on an axis of months, in the site's language ('{n} mo', '{n}个月')."""
    caps: tuple[tuple[str, float], ...] = ()
    """(metric id, top of its axis): values above are drawn at the top with an open triangle, not as a spike."""
    variant: str = "wide"
    """'wide' (desktop and tablets) or 'narrow' (the phone rendering, fewer month ticks, taller)."""
    x_labels: tuple[str, ...] = ()
    """The labels of the x positions when they are not calendar months (a cohort's age: '0', '1', …)."""
    """'wide' (the dashboard), 'column' (a post's column, a month or year page) or 'narrow' (the phone rendering,
    fewer month ticks, taller)."""
    colours: tuple[int, ...] = ()
    """The colour slot of each series in `series_ids` order, so a category keeps its colour on every chart;
    () gives slot 0, 1, 2… in order (overlays: OVERLAY_COLOUR)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ChartKind(self.kind))  # a misspelt kind fails here, not when drawing

    @property
    def narrow_path(self) -> str:
        """Output path of the phone rendering, beside the wide one ('metrics/charts/mrr-narrow.svg')."""
        return self.path.removesuffix(".svg") + NARROW_SUFFIX + ".svg"

    def cap_of(self, metric_id: str) -> float | None:
        return next((cap for one, cap in self.caps if one == metric_id), None)

    @property
    def size(self) -> tuple[int, int]:
        """Return the drawing's size in CSS pixels."""
        return chart_size(self.kind, self.variant, len(self.series_ids))

    def colour_of(self, index: int) -> int:
        """Return the colour slot of the series at `index` of `series_ids`."""
        if index < len(self.colours):
            return self.colours[index]
        return OVERLAY_COLOUR if index >= len(self.metrics) else index % DISTINCT_COLOURS

    @property
    def series_ids(self) -> tuple[str, ...]:
        """Every metric the chart reads, bars first."""
        return self.metrics + self.overlay


@dataclass(frozen=True)
class ChartRow:
    """One month of a chart's data table, formatted."""

    month: date
    label: str
    cells: tuple[str, ...]
    estimate: bool = False
    path: str | None = None
    """The month's page, when it has one."""


@dataclass(frozen=True)
class ChartNote:
    """One entry of the legend under a chart: marker number, month and the linked text."""

    number: int
    month_label: str
    text: str
    url: str | None


@dataclass(frozen=True)
class Chart:
    """A chart as pages show it: the spec, where the SVG is served, and its text alternatives."""

    spec: ChartSpec
    url: str
    """The SVG's URL path under base_url's path, e.g. '/open/metrics/charts/mrr-all.svg'."""
    alt: str
    """The trend in one or two sentences, from the data ('MRR rose from $12,000 to $48,500 …')."""
    caption: str
    columns: tuple[str, ...]
    rows: tuple[ChartRow, ...]
    notes: tuple[ChartNote, ...] = ()
    metric_path: str | None = None
    """The metric page with the definition (for a chart of one main metric)."""
    narrow_url: str = ""
    """The phone rendering's URL path (`<source media>` in a `<picture>`); '' when there is none."""
    remarks: tuple[str, ...] = ()
    """What a reader must know to read the drawing right, e.g. that runway is capped on the axis."""
    derived: tuple[MetricSeries, ...] = ()
    """Series the chart shows that are not published metrics of their own, made from published data:
    "Other" (the smallest cost categories summed), "not disclosed" (costs minus the published categories),
    the cohorts' average retention curves."""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def width(self) -> int:
        return self.spec.size[0]

    @property
    def height(self) -> int:
        return self.spec.size[1]

    @property
    def narrow_media(self) -> str:
        """Return the media query of the narrow rendering's `<source>`."""
        return f"(max-width: {NARROW_BELOW.get(self.spec.variant, NARROW_BELOW['wide'])})"

    @property
    def narrow_width(self) -> int:
        return replace(self.spec, variant="narrow").size[0]

    @property
    def narrow_height(self) -> int:
        return replace(self.spec, variant="narrow").size[1]

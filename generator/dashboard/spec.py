"""What the model hands the charts stage and the templates: ChartSpec, and the Chart a page shows.

`ChartSpec` lives here, on the model's level, because the model decides every chart (which
metrics, which months, which markers, where the SVG goes) and `charts` sits above the model:
charts imports this type, never the reverse. A `ChartSpec` holds everything that changes the
drawing and nothing else the drawing needs, so its hash (with the series data) keys the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.registry.charts import ChartKind
from generator.metrics.series import MetricSeries

CHART_WIDTH = 520
CHART_HEIGHT = 320
"""Size of every chart in CSS pixels at 100 px an inch (the SVG scales to its container; this fixes the
aspect ratio and, with the font size, how large labels read on a 360 px phone)."""
NARROW_WIDTH = 440
NARROW_HEIGHT = 380
"""Size of the narrow rendering served to phones (`<picture>`): 317 points wide, so its 11-point text is at
least 11 px where a phone shows it 317 px wide or more (350 px on a 390 px phone)."""
CHART_SIZES = {"wide": (CHART_WIDTH, CHART_HEIGHT), "narrow": (NARROW_WIDTH, NARROW_HEIGHT)}
NARROW_SUFFIX = "-narrow"


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ChartKind(self.kind))  # a misspelt kind fails here, not when drawing

    @property
    def narrow_path(self) -> str:
        """Output path of the phone rendering, beside the wide one ('metrics/charts/mrr-narrow.svg')."""
        return self.path.removesuffix(".svg") + NARROW_SUFFIX + ".svg"

    def cap_of(self, metric_id: str) -> float | None:
        return next((cap for one, cap in self.caps if one == metric_id), None)

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
    series: tuple[MetricSeries, ...] = ()
    """The series drawn, when they are not the site's metrics by id (the cohorts' average curve)."""

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
        return CHART_WIDTH

    @property
    def height(self) -> int:
        return CHART_HEIGHT

    @property
    def narrow_width(self) -> int:
        return NARROW_WIDTH

    @property
    def narrow_height(self) -> int:
        return NARROW_HEIGHT

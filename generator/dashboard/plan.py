"""Which charts exist and what each shows: the dashboard's six charts, one per metric page, and posts' charts.

A chart keeps only the metrics the site publishes and has values for in its months; a chart left
with nothing is not drawn. Stacked bars never mix an index (relative metric) with amounts. Every
chart comes with its text alternative, caption and data table, computed here from the same data
the SVG is drawn from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from generator import routes
from generator.config import SiteConfig
from generator.dashboard.annotations import AnnotationEntry, annotations_for
from generator.dashboard.spec import Chart, ChartNote, ChartRow, ChartSpec
from generator.dashboard.text import Formatter
from generator.metrics import MetricSeries, add_months, month_of
from generator.metrics.series import PublishedMetrics, count_months, require_published
from generator.registry import COST_PREFIX
from generator.registry.charts import DASHBOARD_CHARTS, ChartKind, DashboardChart
from generator.registry.definition import SeriesRole
from generator.registry.table import axis_caps, chart_series
from generator.urls import public_url


@dataclass(frozen=True)
class ChartPlan:
    """A dashboard chart before the data decides what is left of it."""

    id: str
    kind: ChartKind
    metrics: tuple[str, ...]
    overlay: tuple[str, ...] = ()
    below: tuple[str, ...] = ()


COSTS_BY_CATEGORY = "costs.*"
"""Stands for every published cost category (or the total when none is published)."""


def _plan(chart: DashboardChart) -> ChartPlan:
    """Return a chart's plan from the registry: the metrics whose entries place themselves in it."""
    series = chart_series(chart.id)
    drawn = tuple(COSTS_BY_CATEGORY if role is SeriesRole.CATEGORIES else m for m, role in series
                  if role is not SeriesRole.OVERLAY)
    return ChartPlan(chart.id, chart.kind, drawn,
                     overlay=tuple(m for m, role in series if role is SeriesRole.OVERLAY),
                     below=tuple(m for m, role in series if role is SeriesRole.BELOW))


CHART_PLANS: tuple[ChartPlan, ...] = tuple(_plan(chart) for chart in DASHBOARD_CHARTS)
"""The dashboard's charts in page order; their ids are also what `{{ chart … }}` may name."""


@dataclass(frozen=True)
class DashboardContext:
    """What every dashboard decision reads: the published data, the build month, the formatter."""

    config: SiteConfig
    metrics: PublishedMetrics
    fmt: Formatter
    months: tuple[date, ...]
    """The data's months up to the build month: later rows cannot have happened yet."""
    latest_closed: date | None
    """The newest month that ended before the build (what cards and month pages show)."""
    in_progress: date | None
    """The build month, when the data has a row for it (an estimate)."""
    annotations: tuple[AnnotationEntry, ...] = ()

    @property
    def path(self) -> str:
        """Return the dashboard's folder in the language of these pages ('metrics/', 'zh/metrics/')."""
        return routes.in_language(self.config.language_folder, self.config.dashboard.path)

    def data_page(self, path: str) -> str | None:
        """Return the first language's twin of a page, beside which its downloads live (one open-data set for
        every language, issue 23); None when these pages are the first language's."""
        return routes.outside_language(self.config.language_folder, path) if self.config.language_folder else None

    @property
    def closed_months(self) -> tuple[date, ...]:
        return tuple(m for m in self.months if self.latest_closed and m <= self.latest_closed)

    def metric_path(self, metric_id: str) -> str:
        return routes.metric(self.path, metric_id)

    def month_path(self, month: date) -> str | None:
        """Return the page of a closed month, or None (the month in progress and later have none)."""
        if self.latest_closed is None or month > self.latest_closed or month not in self.months:
            return None
        return routes.month(self.path, month)

    def usable(self, metric_id: str, first: date, last: date) -> MetricSeries | None:
        """Return the published series when it has a value between `first` and `last`."""
        series = self.metrics.get(metric_id)
        if series is None or not any(p.value is not None and first <= p.month <= last for p in series.points):
            return None
        return series


def make_context(config: SiteConfig, metrics: PublishedMetrics, build_time: datetime,
                 annotations: Sequence[AnnotationEntry] = ()) -> DashboardContext:
    """Return the context of a build at `build_time` (in the site's time zone); only published metrics."""
    require_published(metrics)
    build_month = month_of(build_time, config.zone)
    months = tuple(m for m in metrics.months if m <= build_month)
    closed = [m for m in months if m < build_month]
    fmt = Formatter(config.language, metrics.currency, config.string_overrides)
    return DashboardContext(config, metrics, fmt, months, closed[-1] if closed else None,
                            build_month if build_month in months else None, tuple(annotations))


def window(ctx: DashboardContext, months: int | None, last: date | None = None) -> tuple[date, date] | None:
    """Return the first and last month of a window of `months` (None: all) ending at `last` (default: newest)."""
    if not ctx.months:
        return None
    last = last or ctx.months[-1]
    first = ctx.months[0] if months is None else max(ctx.months[0], add_months(last, 1 - months))
    return (first, last) if first <= last else None


def plan_dashboard_chart(ctx: DashboardContext, plan: ChartPlan, chart_id: str, first: date,
                         last: date) -> Chart | None:
    """Return a dashboard chart over `first`..`last` with what the data allows, or None."""
    bars = plan.kind is ChartKind.STACKED_BAR
    metrics = tuple(m for m in _expand(ctx, plan.metrics, first, last) if _fits(ctx, m, first, last, bars))
    overlay = tuple(m for m in plan.overlay
                    if _fits(ctx, m, first, last, bars) and m not in metrics)
    if not metrics:
        return None
    kind = ChartKind.LINE if plan.kind is ChartKind.DUAL_LINE and len(metrics) == 1 else plan.kind
    title = ctx.fmt(f"chart.{plan.id}")
    below = tuple(m for m in plan.below if m in metrics)
    main = "costs" if plan.metrics[0] == COSTS_BY_CATEGORY else plan.metrics[0]
    main = main if ctx.usable(main, first, last) else None
    return make_chart(ctx, chart_id, kind, title, metrics, first, last, overlay=overlay, below=below,
                      metric_path=ctx.metric_path(main) if main else None)


def plan_metric_chart(ctx: DashboardContext, metric_id: str, chart_id: str, first: date, last: date) -> Chart | None:
    """Return a line chart of one metric, or None when it has no values in the window."""
    series = ctx.usable(metric_id, first, last)
    if series is None:
        return None
    return make_chart(ctx, chart_id, ChartKind.LINE, series.label, (metric_id,), first, last,
                      metric_path=ctx.metric_path(metric_id))


def _expand(ctx: DashboardContext, metric_ids: Sequence[str], first: date, last: date) -> tuple[str, ...]:
    if COSTS_BY_CATEGORY not in metric_ids:
        return tuple(metric_ids)
    categories = tuple(s.id for s in ctx.metrics if s.id.startswith(COST_PREFIX))
    return categories if any(ctx.usable(c, first, last) for c in categories) else ("costs",)


def _fits(ctx: DashboardContext, metric_id: str, first: date, last: date, bars: bool) -> bool:
    series = ctx.usable(metric_id, first, last)
    return series is not None and not (bars and series.indexed)  # an index cannot stack with amounts


def make_chart(ctx: DashboardContext, chart_id: str, kind: ChartKind, title: str, metrics: tuple[str, ...], first: date,
               last: date, *, overlay: tuple[str, ...] = (), below: tuple[str, ...] = (),
               metric_path: str | None = None) -> Chart:
    """Return the spec of a chart with its URL, text alternative, caption, legend notes and data table."""
    shown = metrics + overlay + (("costs",) if any(m.startswith(COST_PREFIX) for m in metrics) else ())
    marked = annotations_for(ctx.annotations, shown, first, last)  # a note on costs marks its categories too
    spec = ChartSpec(
        id=chart_id, kind=kind, title=title, metrics=metrics, first_month=first, last_month=last,
        path=routes.chart(ctx.path, chart_id), currency=ctx.metrics.currency,
        language=ctx.config.language, overlay=overlay, below=below,
        in_progress=ctx.in_progress if ctx.in_progress and first <= ctx.in_progress <= last else None,
        estimate_label=ctx.fmt("estimate"), annotations=marked,
        labels=legend_labels([ctx.metrics.series[m].label for m in metrics + overlay]),
        months_tick=ctx.fmt("axis.months"), caps=_caps(ctx, metrics + overlay, first, last))
    series = [ctx.metrics.series[m] for m in spec.series_ids]
    notes = tuple(ChartNote(a.number, ctx.fmt.month_short(a.month), a.text, a.url) for a in marked)
    remarks = tuple(ctx.fmt("chart.capped", label=ctx.metrics.series[m].label,
                            cap=ctx.fmt.value(ctx.metrics.series[m], Decimal(int(cap)))) for m, cap in spec.caps)
    alt = ctx.fmt.sentences((describe_chart(ctx, spec, series, notes), *remarks))
    return Chart(spec, public_url(spec.path, ctx.config.base_path), alt,
                 ctx.fmt("caption", first_month=ctx.fmt.month(first), last_month=ctx.fmt.month(last)),
                 (ctx.fmt("month"), *(s.label for s in series)), _rows(ctx, spec, series), notes, metric_path,
                 public_url(spec.narrow_path, ctx.config.base_path), remarks)


def _caps(ctx: DashboardContext, metric_ids: Sequence[str], first: date, last: date) -> tuple[tuple[str, float], ...]:
    """Return the axes to cap (the registry's `axis_cap`: runway near break-even runs to hundreds of months)."""
    caps = []
    for metric_id, cap in axis_caps().items():
        series = ctx.metrics.get(metric_id)
        if metric_id in metric_ids and series is not None and any(
                p.value is not None and p.value > cap and first <= p.month <= last for p in series.points):
            caps.append((metric_id, float(cap)))
    return tuple(caps)


def legend_labels(labels: Sequence[str]) -> tuple[str, ...]:
    """Return short legend labels: a prefix ('Costs: ', '成本：') or last word ('MRR') most labels share is dropped."""
    labels = list(labels)
    if len(labels) < 3:
        return tuple(labels)
    for colon in (": ", "："):  # English and Chinese ('成本：托管')
        prefixes = {label.split(colon, 1)[0] for label in labels if colon in label}
        if len(prefixes) == 1:
            prefix = prefixes.pop() + colon
            labels = [label.removeprefix(prefix) for label in labels]
    words = [label.rsplit(" ", 1) for label in labels]
    shared = [w[1] for w in words if len(w) == 2]
    if len(shared) >= len(labels) - 1 and len(set(shared)) == 1:
        labels = [w[0] if len(w) == 2 else label for w, label in zip(words, labels, strict=True)]
    return tuple(labels)


def describe_chart(ctx: DashboardContext, spec: ChartSpec, series: Sequence[MetricSeries],
                   notes: Sequence[ChartNote] = ()) -> str:
    """Return the chart's text alternative: what the bars are, each line's trend, the estimate, the markers."""
    fmt = ctx.fmt
    closed_last = add_months(spec.in_progress, -1) if spec.in_progress else spec.last_month
    sentences = []
    lines = list(series)
    if spec.kind == ChartKind.STACKED_BAR:
        bars = [(one, label) for one, label in zip(series, spec.labels, strict=True) if one.id not in spec.overlay]
        above = fmt.join(label for one, label in bars if one.id not in spec.below)
        below = fmt.join(label for one, label in bars if one.id in spec.below)
        sentences.append(fmt("alt.bars_below", above=above, below=below) if below else fmt("alt.bars", above=above))
        total = ctx.metrics.get("costs") if any(m.startswith(COST_PREFIX) for m in spec.metrics) else None
        lines = ([total] if total is not None else []) + [one for one in series if one.id in spec.overlay]
    sentences += [_trend(ctx, one, spec.first_month, closed_last) for one in lines]
    if spec.in_progress:
        sentences.append(fmt("alt.estimate", month=fmt.month(spec.in_progress)))
    if notes:
        sentences.append(fmt("alt.notes", notes=fmt("sep.notes").join(
            f"{n.number}. {fmt.labelled(n.month_label, n.text)}" for n in notes)))
    return fmt.sentences(sentences)


def _trend(ctx: DashboardContext, series: MetricSeries, first: date, last: date) -> str:
    """Return e.g. 'MRR rose from $12,000 to $48,500 over 12 months (November 2025 to October 2026).'"""
    fmt = ctx.fmt
    points = [p for p in series.points if first <= p.month <= last and p.value is not None]
    span = {"first_month": fmt.month(first), "last_month": fmt.month(last)}
    if not points:
        return fmt("trend.none", label=series.label, **span)
    start, end = points[0], points[-1]
    values = {"label": series.label, "first": fmt.point(series, start), "last": fmt.point(series, end),
              "first_month": fmt.month(start.month), "last_month": fmt.month(end.month),
              "n": count_months(start.month, end.month) + 1}
    if start is end:
        return fmt("trend.one", **values)
    if values["first"] == values["last"]:  # equal as shown: "fell from 3.4% to 3.4%" would read wrong
        return fmt("trend.flat", **values)
    key = "trend.rose" if end.value > start.value else "trend.fell"
    return fmt(key, **values)


def _rows(ctx: DashboardContext, spec: ChartSpec, series: Sequence[MetricSeries]) -> tuple[ChartRow, ...]:
    rows = []
    for month in ctx.months:
        if not spec.first_month <= month <= spec.last_month:
            continue
        estimate = month == spec.in_progress
        label = ctx.fmt.month_short(month)
        label = ctx.fmt("in_brackets", text=label, note=ctx.fmt("estimate")) if estimate else label
        cells = tuple(ctx.fmt.point(one, one.point_at(month)) for one in series)
        rows.append(ChartRow(month, label, cells, estimate, ctx.month_path(month)))
    return tuple(rows)


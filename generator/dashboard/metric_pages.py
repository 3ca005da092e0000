"""The dashboard's pages: overview (last months and all time), one page per metric, per month, and methodology.

`assemble_dashboard` decides everything those pages show from the published metrics; templates
only lay it out. Only months that have ended get a month page; the month in progress appears on
charts and tables, marked as an estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator import routes
from generator.config.metrics import Disclosure, PublishRule
from generator.content import Post
from generator.dashboard.annotations import check_annotation_metrics
from generator.dashboard.cards import (
    KpiCard,
    assemble_cards,
    framed,
    hidden_metric_ids,
    make_card,
    point_note,
    valid_metric_ids,
    value_in_words,
)
from generator.dashboard.choices import dashboard_chart_ids
from generator.dashboard.cohorts import CohortView, assemble_cohorts
from generator.dashboard.context import DashboardContext, window
from generator.dashboard.costs import OTHER, category_colour
from generator.dashboard.formulas import reader_formula
from generator.dashboard.months import MonthPage, assemble_months
from generator.dashboard.plan import (
    CHART_PLANS,
    plan_dashboard_chart,
    plan_metric_chart,
    withheld_reason,
)
from generator.dashboard.previews import Preview, lead_card, make_preview
from generator.dashboard.spec import OTHER_COLOUR, Chart
from generator.dashboard.team import TeamView, assemble_team_view
from generator.dashboard.text import Change, Formatter
from generator.dashboard.years import YearSummary, assemble_years
from generator.errors import MetricsError
from generator.metrics import (
    RUNWAY_WINDOW_MONTHS,
    MetricSeries,
    add_months,
    get_definition,
)
from generator.metrics.publish.indexing import rounding_step
from generator.registry.table import reading_turned

SHARED_CHART_MAX_SERIES = 12
"""A metric page shows a dashboard chart that holds it only when the chart draws at most this many series.
Each cost category's page showed the stack of every category, with its data table: 2,000 categories made
2,000 pages of 2,000 columns each (1.8 GB, issue #11). Beyond this, the page links to the chart instead."""
CUSTOM_CHART = "custom-"
"""Prefix of the dashboard chart of each of the site's own metrics (apart from the built-in charts' ids)."""


@dataclass(frozen=True)
class MetricRow:
    """One month of a metric's table."""

    month: date
    month_label: str
    month_path: str | None
    value_text: str
    change: Change | None
    note: str
    estimate: bool = False


@dataclass(frozen=True)
class MetricBadge:
    """A metric's latest closed value as a badge for a README: '/badges/mrr.svg' saying 'MRR | $46,632'."""

    path: str
    label: str
    value_text: str
    """As the site publishes it: '≈$280,000' for a rounded metric (a hidden one has no badge at all)."""
    month: str


@dataclass(frozen=True)
class ChartLink:
    """A chart shown on another page, linked by its title (the figure's id is `chart-<id>`)."""

    id: str
    title: str
    page_path: str


@dataclass(frozen=True)
class MetricPage:
    """/metrics/<id>/: what a metric means, how it is computed and published, its chart and every month."""

    id: str
    label: str
    path: str
    description: str
    formula: str
    source: str | None
    disclosure: str
    """How the site publishes it, in a sentence: exactly, rounded (to what), or as an index."""
    disclosure_kind: str
    """'exact', 'rounded' or 'relative'."""
    null_reasons: tuple[tuple[str, str], ...]
    """(reason as shown, when it happens) for each way the metric can have no value."""
    chart: Chart | None
    rows: tuple[MetricRow, ...]
    """Newest first."""
    custom: bool = False
    """True for one of the site's own metrics (site.yaml metrics.custom)."""
    badge: MetricBadge | None = None
    """The shields-style badge of its latest closed value; None when that month has no value."""
    compare: ChartLink | None = None
    """The all-time dashboard chart holding this metric among more series than a metric page shows."""
    framing: str = ""
    """How the metric reads when negative (net burn: a profit), in a sentence; '' for the others."""
    reader_formula: str = ""
    """The formula in the page's language, metric names for ids ('' for an input: `source` says where it is read)."""
    data_page: str | None = None
    """The first language's page of the metric, beside which its downloads live; None: this page (issue 23)."""

    @property
    def csv_path(self) -> str:
        return routes.metric_download(self.data_page or self.path, self.id, "csv")

    @property
    def json_path(self) -> str:
        return routes.metric_download(self.data_page or self.path, self.id, "json")


@dataclass(frozen=True)
class Dashboard:
    """Everything the metrics pages show, decided once."""

    title: str
    path: str
    text: Formatter
    """Dashboard strings and number formats in the site's language: `text("methodology")`."""
    latest_closed: date | None
    in_progress: date | None
    recent_months: int
    cards: tuple[KpiCard, ...]
    recent: tuple[Chart, ...]
    all_time: tuple[Chart, ...]
    metrics: tuple[MetricPage, ...]
    months: tuple[MonthPage, ...]
    post_charts: tuple[Chart, ...] = ()
    ltv_churn_months: int = 6
    runway_months: int = RUNWAY_WINDOW_MONTHS
    previews: tuple[Preview, ...] = ()
    """The Open Graph image of the overview, of each metric page and of each month page."""
    team: TeamView | None = None
    """The team page, when the site has team.csv (issue #13)."""
    years: tuple[YearSummary, ...] = ()
    """The year pages, newest first."""
    cohorts: CohortView | None = None
    """The retention cohorts page, when the site has cohorts.csv with a closed month (issue 21)."""
    withheld: tuple[str, ...] = ()
    """Why a chart the data would allow is not drawn (a cost category hidden and no exact total to add up to)."""
    stale: str = ""
    """"Data last updated …" when the newest closed month is older than the month before the build; '' otherwise."""

    @property
    def years_path(self) -> str:
        return routes.years(self.path)

    @property
    def all_path(self) -> str:
        return routes.dashboard_all(self.path)

    @property
    def methodology_path(self) -> str:
        return routes.methodology(self.path)

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Every chart to draw, each once (a metric page may show an all-time dashboard chart)."""
        unique = {c.spec.path: c for c in (*self.recent, *self.all_time, *(m.chart for m in self.metrics if m.chart),
                                           *self.post_charts, *((self.team.chart,) if self.team and self.team.chart
                                                                 else ()),
                                           *((self.cohorts.chart,) if self.cohorts and self.cohorts.chart else ()),
                                           *(c for m in self.months for c in m.charts),
                                           *(c for y in self.years for c in y.charts))}
        return tuple(unique.values())

    def metric(self, metric_id: str) -> MetricPage | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def preview_of(self, page_path: str) -> str | None:
        """Return the site path of a page's Open Graph image, or None when it has none."""
        return next((p.path for p in self.previews if p.page_path == page_path), None)


def assemble_dashboard(ctx: DashboardContext, posts: Sequence[Post], post_charts: Sequence[Chart] = ()) -> Dashboard:
    """Return the dashboard of a site with metrics; raise for cards or annotations naming unknown metrics."""
    valid = valid_metric_ids(ctx)
    problems = check_annotation_metrics(ctx.annotations, valid, hidden_metric_ids(ctx))
    if problems:
        raise MetricsError(diagnostics=problems)
    settings = ctx.config.dashboard
    recent = _dashboard_charts(ctx, settings.recent_months, "")
    all_time = _dashboard_charts(ctx, None, "-all")
    title = settings.title.get(ctx.config.language) if settings.title else ctx.fmt("dashboard")
    ltv = ctx.config.metrics.ltv_churn_months if ctx.config.metrics else 6
    cards = assemble_cards(ctx)
    metrics = tuple(_metric_page(ctx, ctx.metrics.series[m], all_time) for m in valid)
    months = assemble_months(ctx, valid, posts)
    return Dashboard(title, ctx.path, ctx.fmt, ctx.latest_closed, ctx.in_progress, settings.recent_months,
                     cards, recent, all_time, metrics, months, tuple(post_charts), ltv,
                     previews=_previews(ctx, title, cards, metrics, months), team=assemble_team_view(ctx),
                     years=assemble_years(ctx, posts), withheld=_withheld(ctx), stale=_stale(ctx),
                     cohorts=assemble_cohorts(ctx))


def _previews(ctx: DashboardContext, title: str, cards: Sequence[KpiCard], metrics: Sequence[MetricPage],
              months: Sequence[MonthPage]) -> tuple[Preview, ...]:
    """Return the Open Graph images: the dashboard, every metric page and every month page."""
    latest = ctx.latest_closed
    return (make_preview(ctx, ctx.path, title, lead_card(cards)),
            *(make_preview(ctx, m.path, m.label, make_card(ctx, ctx.metrics.series[m.id], latest) if latest else None)
              for m in metrics),
            *(make_preview(ctx, m.path, m.title, lead_card(m.cards)) for m in months))


def _dashboard_charts(ctx: DashboardContext, months: int | None, suffix: str) -> tuple[Chart, ...]:
    """Return the dashboard's charts over the last `months` closed months (plus the estimate), or all months."""
    end = ctx.latest_closed or (ctx.months[-1] if ctx.months else None)
    span = window(ctx, months, end)
    if span is None:
        return ()
    last = ctx.in_progress or span[1]
    plans = {plan.id: plan for plan in CHART_PLANS}
    charts = [plan_dashboard_chart(ctx, plans[one], one + suffix, span[0], last) if one in plans else
              plan_metric_chart(ctx, one, f"{CUSTOM_CHART}{one}{suffix}", span[0], last)
              for one in dashboard_chart_ids(ctx)]
    return tuple(chart for chart in charts if chart is not None)


def _stale(ctx: DashboardContext) -> str:
    """Return the notice of a dashboard whose numbers stop before last month (issue 19), or ''."""
    if ctx.latest_closed is None or ctx.build_month is None or ctx.latest_closed >= add_months(ctx.build_month, -1):
        return ""
    return ctx.fmt("data_updated", month=ctx.fmt.month(ctx.latest_closed))


def _withheld(ctx: DashboardContext) -> tuple[str, ...]:
    """Return why a dashboard chart is withheld over the data's months, once each."""
    span = window(ctx, None)
    chosen = dashboard_chart_ids(ctx)
    reasons = [withheld_reason(ctx, plan, *span) for plan in CHART_PLANS if plan.id in chosen] if span else []
    return tuple(dict.fromkeys(r for r in reasons if r))


def _metric_page(ctx: DashboardContext, series: MetricSeries, all_time: Sequence[Chart]) -> MetricPage:
    definition = series.definition or get_definition(series.id, series.label)
    language = ctx.config.language
    chart = next((c for c in all_time if series.id in c.spec.series_ids), None)
    folded = chart is None and category_colour(ctx, series.id) == OTHER_COLOUR
    if folded:  # a small cost category, in the costs chart's "Other"
        chart = next((c for c in all_time if OTHER in c.spec.series_ids), None)
    compare = None
    if chart is not None and (folded or len(chart.spec.series_ids) > SHARED_CHART_MAX_SERIES):
        # Linked, not drawn again: one chart per category would cost a second each of 2,000 categories.
        compare, chart = ChartLink(chart.id, chart.title, routes.dashboard_all(ctx.path)), None
    elif chart is None and ctx.months:
        chart = plan_metric_chart(ctx, series.id, f"metric-{series.id}", ctx.months[0], ctx.months[-1])
    rows = []
    for month in reversed(ctx.months):
        point = series.point_at(month)
        rows.append(MetricRow(month, ctx.fmt.month_short(month), ctx.month_path(month),
                              value_in_words(ctx, series, month),
                              ctx.fmt.change(series, point, series.point_at(add_months(month, -1))),
                              point_note(ctx, series, point), month == ctx.in_progress))
    reasons = tuple((ctx.fmt.reason_text(reason), when.get(language)) for reason, when in definition.null_reasons)
    label = framed(ctx, series, ctx.latest_closed)[0] if ctx.latest_closed else series.label  # "Profit", not "Net burn"
    turned = reading_turned(series.id)
    return MetricPage(series.id, label, ctx.metric_path(series.id), definition.description.get(language),
                      definition.formula, definition.source.get(language) if definition.source else None,
                      _disclosure(ctx, series), series.disclosure.value, reasons, chart, tuple(rows), definition.custom,
                      _badge(ctx, series), compare, ctx.fmt(f"framing.{turned}") if turned else "",
                      reader_formula(ctx, definition), ctx.data_page(ctx.metric_path(series.id)))


def _badge(ctx: DashboardContext, series: MetricSeries) -> MetricBadge | None:
    """Return the badge of a metric's latest closed value, or None when that month has no value."""
    point = series.point_at(ctx.latest_closed) if ctx.latest_closed else None
    if point is None or point.value is None or ctx.latest_closed is None:
        return None
    label, text = framed(ctx, series, ctx.latest_closed)  # a profitable month's net burn reads "Profit $5,095"
    text += f" ({ctx.fmt('index')})" if series.indexed else ""
    return MetricBadge(routes.in_language(ctx.config.language_folder, routes.badge(series.id)), label, text,
                       ctx.fmt.month(point.month))


def _disclosure(ctx: DashboardContext, series: MetricSeries) -> str:
    """Return how the site publishes a metric, in a sentence."""
    fmt = ctx.fmt
    if series.computed_from and not series.indexed and series.approximate:  # issue 20: from what they publish
        labels = [ctx.metrics.series[m].label if m in ctx.metrics.series else m for m in series.computed_from]
        return fmt("disclosure.computed", inputs=fmt.join(labels))
    if series.disclosure is Disclosure.ROUNDED:
        rule = ctx.config.metrics.rule(series.id) if ctx.config.metrics else None
        step = series.round_to or rounding_step(rule or PublishRule(Disclosure.ROUNDED), series.unit)
        return fmt("disclosure.rounded", step=fmt.value(series, step))
    if series.indexed and series.index_base:
        return fmt("disclosure.indexed", month=fmt.month(series.index_base))
    if series.disclosure is Disclosure.RELATIVE:
        return fmt("disclosure.relative")
    return fmt("disclosure.exact")

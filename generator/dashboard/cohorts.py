"""The retention cohorts page (issue 21): the triangle, its average curve, the retention card, from published cohorts.

Only months that have closed are shown (a cell measuring the month in progress is left out); the
published cohorts (generator/metrics/cohorts.py) already hold no group smaller than the threshold.
Every figure is a ratio, formatted by the dashboard's one Formatter; each cell also carries a colour
step (0–10) the stylesheet shades in light and dark, the number itself printed in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator import routes
from generator.dashboard.plan import DashboardContext, legend_labels
from generator.dashboard.spec import Chart, ChartRow, ChartSpec
from generator.metrics import MetricPoint, MetricSeries, Unit, add_months
from generator.metrics.publish.cohorts import CohortGroup, Cohorts, GroupAge
from generator.registry.charts import ChartKind
from generator.urls import public_url

AXIS_START = date(2000, 1, 1)
"""The curve is drawn by age; its points need a month each, which no reader sees (the axis shows ages)."""


@dataclass(frozen=True)
class CohortCellView:
    """One cell of the triangle: the ratio as shown (or '–' when withheld) and its colour step."""

    text: str
    level: int | None
    """0–10 (a tenth of retention each, 100% and above is 10); None for a withheld cell."""


@dataclass(frozen=True)
class CohortRowView:
    label: str
    size: str
    """The cohort's customers as shown; '' when sizes are not published."""
    logo: tuple[CohortCellView, ...]
    revenue: tuple[CohortCellView, ...]


@dataclass(frozen=True)
class RetentionCard:
    """'Retention after 6 months: 82%' for the latest cohort that reached that age, naming it."""

    label: str
    value_text: str
    note: str
    path: str


@dataclass(frozen=True)
class CohortView:
    """Everything /metrics/cohorts/ shows, decided once."""

    title: str
    path: str
    as_of: str
    ages: tuple[int, ...]
    rows: tuple[CohortRowView, ...]
    logo: bool
    revenue: bool
    sizes: bool
    notes: tuple[str, ...]
    withheld_cells: bool
    min_customers: int
    chart: Chart | None
    card: RetentionCard | None
    groups: tuple[CohortGroup, ...]
    """The groups as shown (closed months only), for the downloads."""

    data_page: str | None = None
    """The first language's cohort page, beside which the downloads live; None: this page (issue 23)."""

    @property
    def csv_path(self) -> str:
        return routes.metric_download(self.data_page or self.path, "cohorts", "csv")

    @property
    def json_path(self) -> str:
        return routes.metric_download(self.data_page or self.path, "cohorts", "json")


def assemble_cohorts(ctx: DashboardContext) -> CohortView | None:
    """Return the cohort page of a site whose published data has cohorts with a closed month, else None."""
    cohorts: Cohorts | None = ctx.metrics.cohorts
    if cohorts is None or ctx.latest_closed is None or not (cohorts.logo or cohorts.revenue):
        return None
    closed = ctx.latest_closed
    groups = tuple(cut for group in cohorts.groups if (cut := _closed(group, closed)) is not None)
    if not groups:
        return None
    fmt, path = ctx.fmt, routes.cohorts(ctx.path)
    ages = tuple(range(max(len(group.ages) for group in groups)))
    rows = tuple(_row(ctx, group, cohorts, len(ages)) for group in groups)
    notes = tuple(note for note in (
        fmt("cohorts.merged", n=cohorts.min_customers) if any(g.merged for g in groups) else "",
        fmt("cohorts.withheld", n=cohorts.min_customers, count=cohorts.withheld) if cohorts.withheld else "") if note)
    withheld = cohorts.revenue and any(age.mrr is None for group in groups for age in group.ages)
    return CohortView(fmt("cohorts.title"), path, fmt.month(closed), ages, rows, cohorts.logo, cohorts.revenue,
                      cohorts.sizes, notes, withheld, cohorts.min_customers, _average_chart(ctx, groups, cohorts),
                      _card(ctx, groups, cohorts, path), groups, ctx.data_page(path))


def _closed(group: CohortGroup, closed: date) -> CohortGroup | None:
    ages = tuple(age for age in group.ages if age.observed <= closed)
    return CohortGroup(group.first, group.last, group.size, group.start_mrr, ages) if ages else None


def _ratio() -> MetricSeries:
    return MetricSeries("retention", "", Unit.RATIO, ())


def logo_ratio(group: CohortGroup, age: GroupAge) -> Decimal | None:
    return Decimal(age.customers) / group.size if group.size else None


def revenue_ratio(group: CohortGroup, age: GroupAge) -> Decimal | None:
    return age.mrr / group.start_mrr if age.mrr is not None and group.start_mrr else None


def _cell(ctx: DashboardContext, ratio: Decimal | None) -> CohortCellView:
    if ratio is None:
        return CohortCellView("–", None)
    return CohortCellView(ctx.fmt.value(_ratio(), ratio), min(10, max(0, int(ratio * 10 + Decimal("0.5")))))


def _row(ctx: DashboardContext, group: CohortGroup, cohorts: Cohorts, width: int) -> CohortRowView:
    fmt = ctx.fmt
    label = fmt.month_short(group.first) if not group.merged else fmt(
        "cohorts.range", first=fmt.month_short(group.first), last=fmt.month_short(group.last))
    size = fmt.value(MetricSeries("customers", "", Unit.COUNT, ()), Decimal(group.size)) if cohorts.sizes else ""
    logo = tuple(_cell(ctx, logo_ratio(group, age)) for age in group.ages) if cohorts.logo else ()
    revenue = tuple(_cell(ctx, revenue_ratio(group, age)) for age in group.ages) if cohorts.revenue else ()
    return CohortRowView(label, size, logo, revenue)


def average_curve(groups: Sequence[CohortGroup]) -> list[tuple[int, Decimal, Decimal | None, int]]:
    """Return per age: logo and revenue retention over every group that reached it, weighted by size; how many."""
    curve = []
    for age in range(max((len(g.ages) for g in groups), default=0)):
        reached = [g for g in groups if len(g.ages) > age]
        logo = Decimal(sum(g.ages[age].customers for g in reached)) / sum(g.size for g in reached)
        priced = [g for g in reached if g.ages[age].mrr is not None and g.start_mrr]
        revenue = (sum((g.ages[age].mrr for g in priced), Decimal(0)) /  # type: ignore[misc]
                   sum((g.start_mrr for g in priced), Decimal(0))) if priced else None
        curve.append((age, logo, revenue, len(reached)))
    return curve


def _average_chart(ctx: DashboardContext, groups: Sequence[CohortGroup], cohorts: Cohorts) -> Chart | None:
    """Return the average curve as a line chart over ages (logo and, when published, revenue retention)."""
    curve = average_curve(groups)
    if len(curve) < 2:
        return None
    fmt = ctx.fmt
    labels = [fmt("cohorts.logo_title")] * cohorts.logo + [fmt("cohorts.revenue_title")] * cohorts.revenue
    series = tuple(MetricSeries(key, label, Unit.RATIO, tuple(
        MetricPoint(add_months(AXIS_START, age), value) for age, value in
        ((a, logo if key == "cohorts.logo" else revenue) for a, logo, revenue, _ in curve)))
        for key, label in zip((k for k, on in (("cohorts.logo", cohorts.logo), ("cohorts.revenue", cohorts.revenue))
                               if on), labels, strict=True))
    ages = tuple(fmt("axis.months", n=age) for age, *_ in curve)
    spec = ChartSpec(id="cohorts-average", kind=ChartKind.LINE, title=fmt("cohorts.average_title"),
                     metrics=tuple(one.id for one in series), first_month=AXIS_START,
                     last_month=add_months(AXIS_START, len(curve) - 1), path=routes.chart(ctx.path, "cohorts-average"), currency=ctx.metrics.currency, language=ctx.config.language,
                     labels=legend_labels(labels), months_tick=fmt("axis.months"), x_labels=ages)
    rows = tuple(ChartRow(add_months(AXIS_START, age), fmt("cohorts.age_value", n=age),
                          tuple(fmt.point(one, one.points[age]) for one in series)) for age, *_ in curve)
    return Chart(spec, public_url(spec.path, ctx.config.base_path), _alt(ctx, curve, cohorts),
                 fmt("cohorts.average_caption"), (fmt("cohorts.age"), *labels), rows, (), None,
                 public_url(spec.narrow_path, ctx.config.base_path), derived=series)


def _alt(ctx: DashboardContext, curve: Sequence[tuple[int, Decimal, Decimal | None, int]], cohorts: Cohorts) -> str:
    """Describe the curve at its last age reached by at least two groups (or its last age)."""
    fmt = ctx.fmt
    age, logo, revenue, count = next((point for point in reversed(curve) if point[3] >= 2), curve[-1])
    values = {"age": fmt("cohorts.age_value", n=age), "logo": fmt.value(_ratio(), logo), "cohorts": count}
    if cohorts.revenue and revenue is not None:
        return fmt("cohorts.average_alt_revenue", revenue=fmt.value(_ratio(), revenue), **values)
    return fmt("cohorts.average_alt", **values)


def _card(ctx: DashboardContext, groups: Sequence[CohortGroup], cohorts: Cohorts, path: str) -> RetentionCard | None:
    """Return the card for the latest group that reached the configured age (logo retention, else revenue)."""
    age = ctx.config.metrics.cohorts.card_age if ctx.config.metrics else 6
    group = next((g for g in reversed(groups) if len(g.ages) > age), None)
    if group is None:
        return None
    ratio = logo_ratio(group, group.ages[age]) if cohorts.logo else revenue_ratio(group, group.ages[age])
    if ratio is None:
        return None
    cohort = ctx.fmt.month(group.first) if not group.merged else ctx.fmt(
        "cohorts.range", first=ctx.fmt.month_short(group.first), last=ctx.fmt.month_short(group.last))
    return RetentionCard(ctx.fmt("cohorts.card", n=age), ctx.fmt.value(_ratio(), ratio),
                         ctx.fmt("cohorts.card_note", cohort=cohort), path)

"""The year in numbers (issue #13): /metrics/years/ and one page per (fiscal) year, from the published metrics.

A year's flows (revenue, costs, hires) are sums of its months; its stocks (ARR, customers) are read
at the end of the month before it starts and at the end of its last month. A year's table adds up (issue 19):
new − churned + reactivated customers = net new, reactivations being what the published counts leave.
A year is compared with the same months a year earlier that have numbers: the year in progress over its
closed months, and a year after a partial one (the numbers started mid-year) over the months both have, in
a column of its own; a partial year says where its numbers start. A month without data is named, never
silently counted as zero. The page links the year's reports and posts and shows its charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from generator import routes
from generator.content import Post
from generator.dashboard.context import DashboardContext
from generator.dashboard.periods import YEAR_CHARTS, period_charts, posts_in, reports_on
from generator.dashboard.spec import Chart
from generator.dashboard.text import Change
from generator.metrics import MetricPoint, MetricSeries, add_months, format_month, list_months


@dataclass(frozen=True)
class YearLine:
    """One row of a year's table: a figure, the same figure a year earlier, and the change."""

    key: str
    label: str
    value_text: str
    previous_text: str
    change: Change | None
    path: str | None = None
    """The metric page behind the figure."""
    same_text: str = ""
    """This year's figure over the months the comparison covers, when that is not the whole year."""


@dataclass(frozen=True)
class YearSummary:
    year: int
    """The calendar year the (fiscal) year starts in."""
    label: str
    path: str
    first: date
    last: date
    to_date: bool
    """True for the year in progress: its figures cover its closed months only."""
    covered: tuple[date, ...]
    missing: tuple[str, ...]
    """Months of the period without revenue data, as shown."""
    comparison: str
    """What the previous column holds: '2024', or 'April–October 2024' for the same months a year earlier."""
    lines: tuple[YearLine, ...]
    costs: tuple[YearLine, ...]
    """Costs by category, largest first."""
    revenue_from_mrr: bool
    previous_path: str | None = None
    next_path: str | None = None
    previous_label: str = ""
    next_label: str = ""
    starts: date | None = None
    """The data's first month, when it falls inside this year (a partial year)."""
    same: str = ""
    """The months of this year the comparison covers, when not all ('November–December 2024'); '' otherwise."""
    reports: tuple[Post, ...] = ()
    """Posts reporting on the year or one of its months (front matter `report:`)."""
    post_count: int = 0
    archive_path: str = ""
    charts: tuple[Chart, ...] = ()


def fiscal_year_of(month: date, start: int) -> int:
    """Return the year a month's fiscal year starts in (start: its first month, 1-12)."""
    return month.year if month.month >= start else month.year - 1


def year_label(year: int, start: int) -> str:
    """Return '2025' for calendar years and '2025–26' for a fiscal year starting after January."""
    return str(year) if start == 1 else f"{year}–{(year + 1) % 100:02d}"


def assemble_years(ctx: DashboardContext, posts: Sequence[Post] = ()) -> tuple[YearSummary, ...]:
    """Return every year the data touches, newest first, each linking its neighbours by name."""
    months = ctx.closed_months
    if not months:
        return ()
    start = ctx.config.fiscal_year_start
    years = sorted({fiscal_year_of(m, start) for m in months})
    summaries = [_year(ctx, year, start, posts) for year in years]
    linked = []
    for index, one in enumerate(summaries):
        before = summaries[index - 1] if index else None
        after = summaries[index + 1] if index + 1 < len(summaries) else None
        linked.append(replace(one, previous_path=before.path if before else None,
                              next_path=after.path if after else None,
                              previous_label=before.label if before else "", next_label=after.label if after else ""))
    return tuple(reversed(linked))


def _year(ctx: DashboardContext, year: int, start: int, posts: Sequence[Post]) -> YearSummary:
    first = date(year, start, 1)
    last = add_months(first, 11)
    closed = [m for m in ctx.closed_months if first <= m <= last]
    to_date = ctx.latest_closed is not None and ctx.latest_closed < last
    begins = max(first, ctx.months[0])  # months before the data's first are before the company's numbers began
    period = list(list_months(begins, min(last, ctx.latest_closed))) if ctx.latest_closed else []
    before = [add_months(m, -12) for m in period if add_months(m, -12) >= ctx.months[0]]
    same = [add_months(m, 12) for m in before]
    revenue_id = "revenue" if ctx.metrics.get("revenue") else "mrr"
    missing = tuple(ctx.fmt.month(m) for m in period if _value(ctx, revenue_id, m) is None)
    fmt = ctx.fmt
    partial = bool(before) and len(same) < len(period)
    comparison = year_label(year - 1, start) if before and not to_date and not partial else fmt(
        "years.same_months", first=fmt.month(before[0]), last=fmt.month(before[-1])) if before else \
        year_label(year - 1, start)
    span = _Span(period, before, same if partial else period)
    periods = [str(year), *(format_month(m) for m in list_months(first, last))]
    return YearSummary(
        year, year_label(year, start), routes.year(ctx.path, year), first, last, to_date, tuple(closed), missing,
        comparison, _lines(ctx, revenue_id, span), _costs(ctx, span), revenue_id == "mrr",
        starts=begins if begins > first else None,
        same=fmt("years.same_months", first=fmt.month(same[0]), last=fmt.month(same[-1])) if partial else "",
        reports=reports_on(posts, periods) if start == 1 else reports_on(posts, periods[1:]),
        post_count=len(posts_in(ctx, posts, first, last)),
        archive_path=routes.in_language(ctx.config.language_folder, routes.archive_year(year)),
        charts=period_charts(ctx, YEAR_CHARTS, period[0], period[-1]) if period else ())


@dataclass(frozen=True)
class _Span:
    """The months a year's figures cover, those a year earlier it is compared with, and this year's same months."""

    period: Sequence[date]
    before: Sequence[date]
    same: Sequence[date]

    @property
    def partial(self) -> bool:
        return list(self.same) != list(self.period)


def _lines(ctx: DashboardContext, revenue_id: str, span: _Span) -> tuple[YearLine, ...]:
    fmt = ctx.fmt
    label = fmt("years.revenue_mrr") if revenue_id == "mrr" else fmt("years.revenue")
    lines = [_flow(ctx, "revenue", label, revenue_id, span)]
    lines.append(_flow(ctx, "costs", fmt("years.costs"), "costs", span))
    lines.append(_profit(ctx, revenue_id, span))
    opening, closing = add_months(span.period[0], -1), span.period[-1]
    for metric_id in ("arr", "customers"):
        series = ctx.metrics.get(metric_id)
        if series is not None and series.latest() is not None:
            series = _with_opening(ctx, series) if metric_id == "customers" else series
            lines.append(_stock(ctx, series, fmt("years.at_start", label=series.label), opening))
            lines.append(_stock(ctx, series, fmt("years.at_end", label=series.label), closing))
    lines.append(_net_new(ctx, opening, closing))
    for metric_id in ("new_customers", "churned_customers"):
        series = ctx.metrics.get(metric_id)
        if _summable(series):
            lines.append(_flow(ctx, metric_id, series.label, metric_id, span))  # type: ignore[union-attr]
    lines.append(_reactivated(ctx, span, opening, closing))
    for metric_id in ("hires", "departures"):
        series = ctx.metrics.get(metric_id)
        if _summable(series):
            lines.append(_flow(ctx, metric_id, series.label, metric_id, span))  # type: ignore[union-attr]
    return tuple(line for line in lines if line is not None)


def _costs(ctx: DashboardContext, span: _Span) -> tuple[YearLine, ...]:
    lines = [_flow(ctx, s.id, s.label, s.id, span) for s in ctx.metrics if s.id.startswith("costs.")]
    kept = [line for line in lines if line is not None]
    totals = {line.key: _sum(ctx.metrics.series[line.key], span.period) or Decimal(0) for line in kept}
    return tuple(sorted(kept, key=lambda line: (-totals[line.key], line.label)))


def _summable(series: MetricSeries | None) -> bool:
    """Return True for a series with values (so it has a metric page to link) that is not an index."""
    return series is not None and not series.indexed and series.latest() is not None


def _sum(series: MetricSeries, months: Sequence[date]) -> Decimal | None:
    if any((point := series.point_at(m)) is not None and point.reason == "withheld" for m in months):
        return None  # a year without its withheld months would read as a whole year (issue 20)
    values = [series.value_at(m) for m in months]
    defined = [v for v in values if v is not None]
    return sum(defined, Decimal(0)) if defined else None


def _value(ctx: DashboardContext, metric_id: str, month: date) -> Decimal | None:
    series = ctx.metrics.get(metric_id)
    return series.value_at(month) if series is not None else None


def _line(ctx: DashboardContext, key: str, label: str, series: MetricSeries, values: tuple[Decimal | None, ...],
          span: _Span, approximate: bool = False) -> YearLine:
    """Return a row from (this year, a year earlier, this year's compared months) values."""
    current, previous, same = values
    month = span.period[-1]
    now = MetricPoint(month, current, approximate=approximate)
    then = MetricPoint(add_months(month, -12), previous, approximate=approximate)
    compared = MetricPoint(month, same, approximate=approximate)
    return YearLine(key, label, ctx.fmt.point(series, now), ctx.fmt.point(series, then),
                    ctx.fmt.change(series, compared if span.partial else now, then), ctx.metric_path(series.id),
                    ctx.fmt.point(series, compared) if span.partial else "")


def _flow(ctx: DashboardContext, key: str, label: str, metric_id: str, span: _Span) -> YearLine | None:
    series = ctx.metrics.get(metric_id)
    if not _summable(series):
        return None
    values = (_sum(series, span.period), _sum(series, span.before), _sum(series, span.same))  # type: ignore[arg-type]
    return _line(ctx, key, label, series, values, span, series.approximate)  # type: ignore[arg-type,union-attr]


def _profit(ctx: DashboardContext, revenue_id: str, span: _Span) -> YearLine | None:
    revenue, costs = ctx.metrics.get(revenue_id), ctx.metrics.get("costs")
    if not (_summable(revenue) and _summable(costs)):
        return None

    def profit(months: Sequence[date]) -> Decimal | None:
        if _sum(costs, months) is None:  # type: ignore[arg-type]
            return None  # no costs, or some withheld: not a year's profit
        both = [m for m in months if revenue.value_at(m) is not None and costs.value_at(m) is not None]  # type: ignore[union-attr]
        return _sum(revenue, both) - _sum(costs, both) if both else None  # type: ignore[arg-type,operator]

    return _line(ctx, "profit", ctx.fmt("years.profit"), revenue, (profit(span.period), profit(span.before),  # type: ignore[arg-type]
                 profit(span.same)), span, revenue.approximate or costs.approximate)  # type: ignore[union-attr]


def _stock(ctx: DashboardContext, series: MetricSeries, label: str, month: date) -> YearLine:
    now, then = series.point_at(month), series.point_at(add_months(month, -12))
    return YearLine(f"{series.id}@{month:%Y-%m}", label, ctx.fmt.point(series, now), ctx.fmt.point(series, then),
                    ctx.fmt.change(series, now, then), ctx.metric_path(series.id))


def _net(series: MetricSeries, start: date, end: date) -> Decimal | None:
    first, last = series.value_at(start), series.value_at(end)
    return last - first if first is not None and last is not None else None


def _with_opening(ctx: DashboardContext, customers: MetricSeries) -> MetricSeries:
    """Return the customer counts with the month before the data: the first month's customers less its new ones and
    plus its churned ones (nobody can come back before the numbers begin), so the first year adds up too."""
    first = customers.points[0] if customers.points else None
    new, churned = ctx.metrics.get("new_customers"), ctx.metrics.get("churned_customers")
    if first is None or first.value is None or new is None or churned is None or customers.approximate:
        return customers
    gained, lost = new.value_at(first.month), churned.value_at(first.month)
    if gained is None or lost is None:
        return customers
    opening = MetricPoint(add_months(first.month, -1), first.value - gained + lost)
    return replace(customers, points=(opening, *customers.points))


def _net_new(ctx: DashboardContext, opening: date, closing: date) -> YearLine | None:
    series = ctx.metrics.get("customers")
    if not _summable(series):
        return None
    series = _with_opening(ctx, series)  # type: ignore[arg-type]
    now = MetricPoint(closing, _net(series, opening, closing), approximate=series.approximate)  # type: ignore[arg-type,union-attr]
    year_ago = add_months(closing, -12)
    then = MetricPoint(year_ago, _net(series, add_months(opening, -12), year_ago), approximate=series.approximate)  # type: ignore[arg-type,union-attr]
    return YearLine("net_new_customers", ctx.fmt("years.net_new_customers"), ctx.fmt.point(series, now),  # type: ignore[arg-type]
                    ctx.fmt.point(series, then), ctx.fmt.change(series, now, then), ctx.metric_path("customers"))  # type: ignore[arg-type]


def _reactivated(ctx: DashboardContext, span: _Span, opening: date, closing: date) -> YearLine | None:
    """Return the customers who came back: net new − (new − churned), so the table adds up."""
    customers, new, churned = (ctx.metrics.get(m) for m in ("customers", "new_customers", "churned_customers"))
    if not all(_summable(s) and not s.approximate for s in (customers, new, churned)):  # type: ignore[union-attr]
        return None
    customers = _with_opening(ctx, customers)  # type: ignore[arg-type]

    def back(start: date, end: date, months: Sequence[date]) -> Decimal | None:
        net, gained, lost = _net(customers, start, end), _sum(new, months), _sum(churned, months)  # type: ignore[arg-type]
        return net - gained + lost if None not in (net, gained, lost) else None  # type: ignore[operator]

    now = MetricPoint(closing, back(opening, closing, span.period))
    year_ago = add_months(closing, -12)
    then = MetricPoint(year_ago, back(add_months(opening, -12), year_ago, [add_months(m, -12) for m in span.period]))
    if now.value is None:
        return None
    return YearLine("reactivated_customers", ctx.fmt("years.reactivated"), ctx.fmt.point(new, now),  # type: ignore[arg-type]
                    ctx.fmt.point(new, then), ctx.fmt.change(new, now, then), ctx.metric_path("customers"))  # type: ignore[arg-type]

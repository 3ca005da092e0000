"""The year in numbers (issue #13): /metrics/years/ and one page per (fiscal) year, from the published metrics.

A year's flows (revenue, costs, hires) are sums of its months; its stocks (ARR, customers) are read
at the end of the month before it starts and at the end of its last month. The year in progress is
"year to date" over its closed months and compares with the same months of the year before. A
month without data is named, never silently counted as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator import routes
from generator.dashboard.plan import DashboardContext
from generator.dashboard.text import Change
from generator.metrics import MetricPoint, MetricSeries, add_months, list_months


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
    """What the previous column holds: '2024', or 'April–October 2024' for a year to date."""
    lines: tuple[YearLine, ...]
    costs: tuple[YearLine, ...]
    """Costs by category, largest first."""
    revenue_from_mrr: bool
    previous_path: str | None = None
    next_path: str | None = None


def fiscal_year_of(month: date, start: int) -> int:
    """Return the year a month's fiscal year starts in (start: its first month, 1-12)."""
    return month.year if month.month >= start else month.year - 1


def year_label(year: int, start: int) -> str:
    """Return '2025' for calendar years and '2025–26' for a fiscal year starting after January."""
    return str(year) if start == 1 else f"{year}–{(year + 1) % 100:02d}"


def assemble_years(ctx: DashboardContext) -> tuple[YearSummary, ...]:
    """Return every year the data touches, newest first, each linking its neighbours."""
    months = ctx.closed_months
    if not months:
        return ()
    start = ctx.config.fiscal_year_start
    years = sorted({fiscal_year_of(m, start) for m in months})
    summaries = [_year(ctx, year, start) for year in years]
    linked = []
    for index, one in enumerate(summaries):
        linked.append(YearSummary(**{**one.__dict__,
                                     "previous_path": summaries[index - 1].path if index else None,
                                     "next_path": summaries[index + 1].path if index + 1 < len(summaries) else None}))
    return tuple(reversed(linked))


def _year(ctx: DashboardContext, year: int, start: int) -> YearSummary:
    first = date(year, start, 1)
    last = add_months(first, 11)
    closed = [m for m in ctx.closed_months if first <= m <= last]
    to_date = ctx.latest_closed is not None and ctx.latest_closed < last
    period = list(list_months(first, min(last, ctx.latest_closed))) if ctx.latest_closed else []
    before = [add_months(m, -12) for m in period]
    revenue_id = "revenue" if ctx.metrics.get("revenue") else "mrr"
    # Months before the data's first are before the company's numbers began: not gaps to name.
    missing = tuple(ctx.fmt.month(m) for m in period if m >= ctx.months[0] and _value(ctx, revenue_id, m) is None)
    fmt = ctx.fmt
    comparison = year_label(year - 1, start) if not to_date else fmt(
        "years.same_months", first=fmt.month(before[0]), last=fmt.month(before[-1]))
    return YearSummary(year, year_label(year, start), routes.year(ctx.path, year), first, last, to_date, tuple(closed),
                       missing, comparison, _lines(ctx, revenue_id, period, before), _costs(ctx, period, before),
                       revenue_id == "mrr")


def _lines(ctx: DashboardContext, revenue_id: str, period: Sequence[date], before: Sequence[date]) -> tuple[YearLine, ...]:
    fmt = ctx.fmt
    label = fmt("years.revenue_mrr") if revenue_id == "mrr" else fmt("years.revenue")
    lines = [_flow(ctx, "revenue", label, revenue_id, period, before)]
    lines.append(_flow(ctx, "costs", fmt("years.costs"), "costs", period, before))
    lines.append(_profit(ctx, revenue_id, period, before))
    opening, closing = add_months(period[0], -1), period[-1]
    for metric_id in ("arr", "customers"):
        series = ctx.metrics.get(metric_id)
        if series is not None and series.latest() is not None:
            lines.append(_stock(ctx, series, fmt("years.at_start", label=series.label), opening))
            lines.append(_stock(ctx, series, fmt("years.at_end", label=series.label), closing))
    lines.append(_net_new(ctx, opening, closing))
    for metric_id in ("new_customers", "churned_customers", "hires", "departures"):
        series = ctx.metrics.get(metric_id)
        if _summable(series):
            lines.append(_flow(ctx, metric_id, series.label, metric_id, period, before))  # type: ignore[union-attr]
    return tuple(line for line in lines if line is not None)


def _costs(ctx: DashboardContext, period: Sequence[date], before: Sequence[date]) -> tuple[YearLine, ...]:
    lines = [_flow(ctx, s.id, s.label, s.id, period, before) for s in ctx.metrics if s.id.startswith("costs.")]
    kept = [line for line in lines if line is not None]
    totals = {line.key: _sum(ctx.metrics.series[line.key], period) or Decimal(0) for line in kept}
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


def _line(ctx: DashboardContext, key: str, label: str, series: MetricSeries, current: Decimal | None,
          previous: Decimal | None, month: date, approximate: bool = False) -> YearLine:
    now = MetricPoint(month, current, approximate=approximate)
    then = MetricPoint(add_months(month, -12), previous, approximate=approximate)
    return YearLine(key, label, ctx.fmt.point(series, now), ctx.fmt.point(series, then),
                    ctx.fmt.change(series, now, then), ctx.metric_path(series.id))


def _flow(ctx: DashboardContext, key: str, label: str, metric_id: str, period: Sequence[date],
          before: Sequence[date]) -> YearLine | None:
    series = ctx.metrics.get(metric_id)
    if not _summable(series):
        return None
    return _line(ctx, key, label, series, _sum(series, period), _sum(series, before), period[-1],  # type: ignore[arg-type]
                 series.approximate)  # type: ignore[union-attr]


def _profit(ctx: DashboardContext, revenue_id: str, period: Sequence[date], before: Sequence[date]) -> YearLine | None:
    revenue, costs = ctx.metrics.get(revenue_id), ctx.metrics.get("costs")
    if not (_summable(revenue) and _summable(costs)):
        return None

    def profit(months: Sequence[date]) -> Decimal | None:
        if _sum(costs, months) is None:  # type: ignore[arg-type]
            return None  # no costs, or some withheld: not a year's profit
        both = [m for m in months if revenue.value_at(m) is not None and costs.value_at(m) is not None]  # type: ignore[union-attr]
        return _sum(revenue, both) - _sum(costs, both) if both else None  # type: ignore[arg-type,operator]

    return _line(ctx, "profit", ctx.fmt("years.profit"), revenue, profit(period), profit(before), period[-1],  # type: ignore[arg-type]
                 revenue.approximate or costs.approximate)  # type: ignore[union-attr]


def _stock(ctx: DashboardContext, series: MetricSeries, label: str, month: date) -> YearLine:
    now, then = series.point_at(month), series.point_at(add_months(month, -12))
    return YearLine(f"{series.id}@{month:%Y-%m}", label, ctx.fmt.point(series, now), ctx.fmt.point(series, then),
                    ctx.fmt.change(series, now, then), ctx.metric_path(series.id))


def _net_new(ctx: DashboardContext, opening: date, closing: date) -> YearLine | None:
    series = ctx.metrics.get("customers")
    if not _summable(series):
        return None

    def net(start: date, end: date) -> Decimal | None:
        first, last = series.value_at(start), series.value_at(end)  # type: ignore[union-attr]
        return last - first if first is not None and last is not None else None

    return _line(ctx, "net_new_customers", ctx.fmt("years.net_new_customers"), series, net(opening, closing),  # type: ignore[arg-type]
                 net(add_months(opening, -12), add_months(closing, -12)), closing, series.approximate)  # type: ignore[union-attr]

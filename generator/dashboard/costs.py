"""The costs chart's bars: each category in its own colour on every chart, at most ten, and nothing left out.

Issue 19: hiding a cost category made the stacked bars smaller than the published costs, so the chart
looked profitable beside a card saying otherwise. When the total is published, what the published
categories leave out is one more segment, "not disclosed", so the stack adds up to the total; when the
total is not published exactly, the chart is withheld with a note saying why. More than ten categories
are more colours than a reader tells apart: the largest nine keep theirs and the rest fold into "Other".
A category's colour is its rank by all-time spend, the same on the dashboard, the all-time page, its own
metric page and in posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from generator.config.metrics import Disclosure
from generator.dashboard.context import DashboardContext
from generator.dashboard.spec import DISTINCT_COLOURS, OTHER_COLOUR, UNDISCLOSED_COLOUR
from generator.metrics import MetricPoint, MetricSeries
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS

OTHER = "costs:other"
"""The id of the "Other" series (the smallest categories summed); not a metric of its own, so no page."""
UNDISCLOSED = "costs:undisclosed"
"""The id of the "not disclosed" series (the published total minus the published categories)."""


@dataclass(frozen=True)
class CostsPlan:
    """The costs chart's bars over a window: ids in stacking order, the series made here, colours, remarks."""

    metrics: tuple[str, ...] = ()
    derived: tuple[MetricSeries, ...] = ()
    colours: tuple[int, ...] = ()
    remarks: tuple[str, ...] = ()
    withheld: str = ""
    """Why the chart is not drawn ('' when it is)."""


def ranked_categories(ctx: DashboardContext) -> tuple[MetricSeries, ...]:
    """Return the published cost categories that can stack (amounts, not indexes), largest all-time spend first."""
    categories = [s for s in ctx.metrics if s.id.startswith(COST_PREFIX) and not s.indexed]
    return tuple(sorted(categories, key=lambda s: (-sum((abs(v) for v in s.values if v is not None), Decimal(0)),
                                                   s.id)))


def category_colour(ctx: DashboardContext, metric_id: str) -> int | None:
    """Return a cost category's colour slot on every chart (its rank, or Other's), None for other metrics."""
    ranked = [s.id for s in ranked_categories(ctx)]
    if metric_id not in ranked:
        return None
    rank = ranked.index(metric_id)
    return rank if len(ranked) <= DISTINCT_COLOURS or rank < DISTINCT_COLOURS - 1 else OTHER_COLOUR


def plan_costs(ctx: DashboardContext, first: date, last: date) -> CostsPlan:
    """Return the bars of the costs chart over `first`..`last`: categories, Other, not disclosed; or why none."""
    ranked = [s for s in ranked_categories(ctx) if ctx.usable(s.id, first, last)]
    total = ctx.metrics.get("costs")
    hidden = _hidden_categories(ctx)
    if hidden and ranked and (total is None or total.indexed):
        return CostsPlan(withheld=ctx.fmt("chart.costs_withheld"))
    if not ranked:
        return CostsPlan(("costs",), colours=(0,)) if ctx.usable("costs", first, last) and not (
            total is not None and total.indexed) else CostsPlan()
    colours = [category_colour(ctx, s.id) or 0 for s in ranked]
    shown = [s for s, colour in zip(ranked, colours, strict=True) if colour != OTHER_COLOUR]
    folded = [s for s, colour in zip(ranked, colours, strict=True) if colour == OTHER_COLOUR]
    metrics = [s.id for s in shown]
    derived, remarks = [], []
    if folded:
        derived.append(_summed(OTHER, ctx.fmt("chart.other"), folded))
        remarks.append(ctx.fmt("chart.other_note", n=len(folded)))
    if hidden and total is not None:
        remainder = _remainder(ctx, total, ranked)
        if any(p.value for p in remainder.points if first <= p.month <= last):
            derived.append(remainder)
            remarks.append(ctx.fmt("chart.undisclosed_rounded" if total.approximate else "chart.undisclosed_note"))
    metrics += [s.id for s in derived]
    colours = [*sorted(c for c in colours if c != OTHER_COLOUR), *(
        OTHER_COLOUR if s.id == OTHER else UNDISCLOSED_COLOUR for s in derived)]
    return CostsPlan(tuple(metrics), tuple(derived), tuple(colours), tuple(remarks))


def _hidden_categories(ctx: DashboardContext) -> bool:
    """Return True when the publishing rules keep a cost category off the site (the total then spends more)."""
    settings = ctx.config.metrics
    if settings is None:
        return False
    return any(metric_id.startswith(COST_PREFIX) and metric_id not in METRIC_DEFINITIONS
               and rule.disclosure is Disclosure.HIDDEN for metric_id, rule in settings.publish.items())


def _summed(metric_id: str, label: str, parts: Sequence[MetricSeries]) -> MetricSeries:
    """Return the month-by-month sum of `parts` (a month none of them has stays without a value)."""
    points = []
    for column in zip(*(s.points for s in parts), strict=True):
        values = [p.value for p in column if p.value is not None]
        points.append(MetricPoint(column[0].month, sum(values, Decimal(0)) if values else None,
                                  approximate=any(p.approximate for p in column)))
    return replace(parts[0], id=metric_id, label=label, points=tuple(points), definition=None)


def _remainder(ctx: DashboardContext, total: MetricSeries, categories: Sequence[MetricSeries]) -> MetricSeries:
    """Return what the published total spends beyond the published categories (rounded totals: never below 0)."""
    points = []
    for month_points in zip(total.points, *(s.points for s in categories), strict=True):
        month, value = month_points[0].month, month_points[0].value
        if value is not None:
            value -= sum((p.value for p in month_points[1:] if p.value is not None), Decimal(0))
            value = max(value, Decimal(0)) if total.approximate else value
        points.append(MetricPoint(month, value, approximate=total.approximate))
    return replace(total, id=UNDISCLOSED, label=ctx.fmt("chart.undisclosed"), points=tuple(points), definition=None)

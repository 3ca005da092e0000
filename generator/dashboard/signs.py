"""Honest signs: how a number's sign, its change and its colour read to someone who is not the founder.

Three rules (issue 14):
- **Say it as a founder would.** A negative net burn is a profit: the card says "Profit $5,095", not
  "Net burn −$5,095", and its changes are changes of the profit.
- **No percentage across zero or from a negative base.** From −$3,348 to $5,095 is "+$8,443"; a
  percentage of a negative base reads backwards, and one across zero is meaningless.
- **Colour by what is good for the company**, with a word as well as a colour: churn ▲ is worse,
  MRR ▲ is better. A metric that is neither (costs by category, new customers' count aside) stays neutral.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Literal

from generator.config.metrics import COST_PREFIX
from generator.metrics import MetricSeries

Tone = Literal["good", "bad", "neutral"]

UP_IS_GOOD = frozenset({
    "mrr", "new_mrr", "expansion_mrr", "reactivation_mrr", "arr", "net_new_mrr", "mrr_growth", "cmgr_12m",
    "customers", "new_customers", "nrr", "grr", "arpu", "ltv", "quick_ratio", "cash", "runway_months", "profit",
})
UP_IS_BAD = frozenset({
    "contraction_mrr", "churned_mrr", "churned_customers", "customer_churn_rate", "gross_mrr_churn_rate",
    "net_mrr_churn_rate", "net_burn", "costs",
})
"""Which way is good for the company, by metric id; cost categories count as costs."""

FLIPPED = {"net_burn": "profit"}
"""Metrics read the other way round when negative: a negative net burn is shown as a profit."""


def tone_of(metric_id: str, difference: Decimal) -> Tone:
    """Return whether a change of `difference` is good, bad or neither for the company."""
    if not difference:
        return "neutral"
    if metric_id in UP_IS_GOOD:
        return "good" if difference > 0 else "bad"
    if metric_id in UP_IS_BAD or metric_id.startswith(COST_PREFIX):
        return "bad" if difference > 0 else "good"
    return "neutral"


def relative_change(current: Decimal, base: Decimal) -> Decimal | None:
    """Return (current − base) / base, or None when a percentage would mislead: a base of zero or below,
    or a change across zero."""
    if base <= 0 or current < 0:
        return None
    return (current - base) / base


def shown_as(series: MetricSeries, month: date) -> MetricSeries:
    """Return the series as a card shows it in `month`: a negative net burn becomes a positive profit.

    The whole series is negated (so the card's changes are changes of the profit) and takes the id
    'profit', which the label and the tone rules know.
    """
    point = series.point_at(month)
    flipped = FLIPPED.get(series.id)
    if flipped is None or point is None or point.value is None or point.value >= 0:
        return series
    points = tuple(replace(p, value=-p.value) if p.value is not None else p for p in series.points)
    return replace(series, id=flipped, points=points)

"""Honest signs: how a number's sign, its change and its colour read to someone who is not the founder.

Three rules (issue 14):
- **Say it as a founder would.** A negative net burn is a profit: the card says "Profit $5,095", not
  "Net burn −$5,095", and its changes are changes of the profit.
- **No percentage across zero or from a negative base.** From −$3,348 to $5,095 is "+$8,443"; a
  percentage of a negative base reads backwards, and one across zero is meaningless.
- **Colour by what is good for the company**, with a word as well as a colour: churn ▲ is worse,
  MRR ▲ is better. The metric's registry entry decides (`MetricDefinition.higher_is_better`, and
  site.yaml's `higher_is_better` for a site's own metrics), so a KPI card, a month page, a year page
  and a metric page colour the same change alike.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from generator.metrics import MetricSeries
from generator.metrics.framing import registered_reading

Tone = Literal["good", "bad", "neutral"]


def tone_of(metric: MetricSeries | str, difference: Decimal) -> Tone:
    """Return whether a change of `difference` is good, bad or neither for the company.

    `metric` is a series (its registry entry says which way is good, a site's own metric included)
    or a built-in id. One without an entry (a series made by hand, an unknown id) is neutral rather
    than guessed.
    """
    if isinstance(metric, str):
        definition = registered_reading(metric)
    else:
        definition = metric.definition or registered_reading(metric.id)
    if not difference or definition is None:
        return "neutral"
    return "good" if (difference > 0) == definition.higher_is_better else "bad"


def relative_change(current: Decimal, base: Decimal) -> Decimal | None:
    """Return (current − base) / base, or None when a percentage would mislead: a base of zero or below,
    or a change across zero."""
    if base <= 0 or current < 0:
        return None
    return (current - base) / base

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

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Literal

from generator.metrics import MetricDefinition, MetricSeries, get_definition
from generator.registry import METRIC_DEFINITIONS
from generator.registry.table import reading_turned

Tone = Literal["good", "bad", "neutral"]



def _read_as(shown_id: str) -> str | None:
    """Return the metric a turned-round id reads ('profit' → 'net_burn'), from the registry's entries."""
    return next((d.id for d in METRIC_DEFINITIONS.values() if d.presence.negative_reads_as == shown_id), None)


def tone_of(metric: MetricSeries | str, difference: Decimal) -> Tone:
    """Return whether a change of `difference` is good, bad or neither for the company.

    `metric` is a series (its registry entry says which way is good, a site's own metric included)
    or a built-in id. One without an entry (a series made by hand, an unknown id) is neutral rather
    than guessed.
    """
    if isinstance(metric, str):
        definition = _registered(metric)
    else:
        definition = metric.definition or _registered(metric.id)
    if not difference or definition is None:
        return "neutral"
    return "good" if (difference > 0) == definition.higher_is_better else "bad"


def _registered(metric_id: str) -> MetricDefinition | None:
    """Return the built-in entry of an id, 'profit' being net burn's turned round; None for an unknown id."""
    turned = _read_as(metric_id)
    try:
        definition = get_definition(turned or metric_id)
    except KeyError:
        return None
    return _turned(definition, metric_id) if turned else definition


def _turned(definition: MetricDefinition, metric_id: str) -> MetricDefinition:
    """Return the entry of a metric read the other way round: a falling burn is a rising profit."""
    return replace(definition, id=metric_id, higher_is_better=not definition.higher_is_better)


def relative_change(current: Decimal, base: Decimal) -> Decimal | None:
    """Return (current − base) / base, or None when a percentage would mislead: a base of zero or below,
    or a change across zero."""
    if base <= 0 or current < 0:
        return None
    return (current - base) / base


def shown_as(series: MetricSeries, month: date) -> MetricSeries:
    """Return the series as a card shows it in `month`: a negative net burn becomes a positive profit.

    The whole series is negated (so the card's changes are changes of the profit) and takes the id
    'profit', which the label knows, and a definition whose good direction is turned round.
    """
    point = series.point_at(month)
    flipped = reading_turned(series.id)
    if flipped is None or point is None or point.value is None or point.value >= 0:
        return series
    points = tuple(replace(p, value=-p.value) if p.value is not None else p for p in series.points)
    definition = series.definition or _registered(series.id)
    if definition is not None:  # the good direction turns round too
        definition = _turned(definition, flipped)
    return replace(series, id=flipped, points=points, definition=definition)

"""One framing per metric: a negative net burn reads as a profit, wherever a reader meets it.

The registry entry says how a metric reads when negative (`Presence.negative_reads_as`); cards, month
pages, share cards and `opensite metrics` all ask `shown_as`, so the terminal and the site frame the
same value the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from generator.metrics.series import MetricSeries
from generator.registry import METRIC_DEFINITIONS, MetricDefinition, get_definition
from generator.registry.table import reading_turned


def _read_as(shown_id: str) -> str | None:
    """Return the metric a turned-round id reads ('profit' → 'net_burn'), from the registry's entries."""
    return next((d.id for d in METRIC_DEFINITIONS.values() if d.presence.negative_reads_as == shown_id), None)


def registered_reading(metric_id: str) -> MetricDefinition | None:
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
    definition = series.definition or registered_reading(series.id)
    if definition is not None:  # the good direction turns round too
        definition = _turned(definition, flipped)
    return replace(series, id=flipped, points=points, definition=definition)

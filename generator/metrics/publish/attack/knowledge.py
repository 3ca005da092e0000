"""What a reader knows: every value the site publishes, read as a reader must read it (issue 20).

The open data holds every number pages, badges, share cards and year pages show, at the finest precision (pages
round further; year totals add published months up), so the attacker reads the published series:

- a value published exactly is known to its last digit (± half of it);
- a value rounded from the true one (`round_to` set) is known to ± half the step;
- an index of the true values (relative) is known up to one unknown scale per series: value = scale × index / 100,
  the index itself to ± half its last digit;
- a value computed from the published values of its inputs (`computed_from`) is no observation of the true
  value at all: it is a function of what is published anyway;
- a hidden or withheld value is unknown.

`Target`s are the values the founder protects, with what each rule allows a reader to know (docs/metrics.md,
"What a reader can and cannot infer").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.config.metrics import Disclosure, PublishRule
from generator.metrics.compute.table import PRECISION
from generator.metrics.publish.disclosure import ResolvedRule
from generator.metrics.publish.indexing import INDEXED_UNITS, rounding_step
from generator.metrics.series import LoadedMetrics, MetricSeries, PublishedMetrics
from generator.registry import Unit

Cell = tuple[str, int]
"""(series id, month index)."""


@dataclass(frozen=True)
class Indexed:
    """A series published as an index of its true values: true = scale × index / 100."""

    values: Mapping[int, Decimal]
    step: Decimal
    """The index's last digit: each index is ± half of it."""
    unit: Unit


@dataclass(frozen=True)
class Target:
    """A protected series: what its rule allows a reader to know."""

    id: str
    disclosure: Disclosure
    allowed: Decimal | None
    """Rounded: the step (a reader may know the value to within it). Hidden: the unit's default rounding step (a
    reader must not know the value to within it). Relative: None (the scale must stay unknown)."""
    line: int | None


@dataclass
class Knowledge:
    """Every published value of a site, by cell, and the true values (only to linearize identities and check)."""

    months: tuple[date, ...]
    exact: dict[Cell, tuple[Decimal, Decimal]]
    """Cells published exactly: (value, ± error)."""
    bounds: dict[Cell, tuple[Decimal, Decimal]]
    """Cells rounded from the truth: (low, high)."""
    indexed: dict[str, Indexed]
    truth: dict[str, list[Decimal | None]]
    units: dict[str, Unit]

    def is_known(self, cell: Cell) -> bool:
        return cell in self.exact


def read_knowledge(loaded: LoadedMetrics, published: PublishedMetrics) -> Knowledge:
    """Return what the published metrics tell about each cell of the loaded ones."""
    knowledge = Knowledge(loaded.months, {}, {}, {}, {}, {})
    for name, values in loaded.raw.items():
        knowledge.truth[name] = list(values)
        knowledge.units[name] = Unit.COUNT if name in ("reactivated_customers", "headcount_start") else Unit.CURRENCY
    for metric_id, series in loaded.series.items():
        knowledge.truth[metric_id] = list(series.values)
        knowledge.units[metric_id] = series.unit
        shown = published.series.get(metric_id)
        if shown is not None and not shown.computed_from:
            _observe(knowledge, shown)
    return knowledge


def _observe(knowledge: Knowledge, shown: MetricSeries) -> None:
    if shown.indexed:
        values = {i: p.value for i, p in enumerate(shown.points) if p.value is not None}
        knowledge.indexed[shown.id] = Indexed(values, _last_digit(values.values()), shown.unit)
        return
    for index, point in enumerate(shown.points):
        if point.value is None:
            continue
        if shown.disclosure is Disclosure.ROUNDED:
            if shown.round_to is not None:  # otherwise: rounded another way; safest to read nothing from it
                half = shown.round_to / 2
                knowledge.bounds[(shown.id, index)] = (point.value - half, point.value + half)
        else:
            knowledge.exact[(shown.id, index)] = (point.value, PRECISION[shown.unit] / 2)


def _last_digit(values) -> Decimal:
    places = max((max(0, -v.normalize().as_tuple().exponent) for v in values), default=0)
    return Decimal(1).scaleb(-places)


def read_targets(loaded: LoadedMetrics, resolved: Mapping[str, ResolvedRule], published: PublishedMetrics,
                 written: Mapping[str, PublishRule]) -> list[Target]:
    """Return the protected series and what their rules allow.

    Inputs are protected by their rule after spreading (a movement of a rounded MRR is rounded too). A computed
    series is a target only by a rule written for it and when it is published from its true values (lifted, or
    computed from exact inputs): one computed from published values tells nothing they do not, and one hidden
    because an input is hidden is as safe as that input, which is a target itself.
    """
    targets = []
    for metric_id, series in loaded.series.items():
        is_input = series.definition is None or series.definition.is_input
        shown = published.series.get(metric_id)
        if is_input and metric_id in resolved:
            rule = resolved[metric_id].rule
        elif not is_input and metric_id in written and not (shown is not None and shown.computed_from):
            rule = written[metric_id]
        else:
            continue
        if rule.disclosure is Disclosure.EXACT or (rule.disclosure is Disclosure.RELATIVE and
                                                   series.unit not in INDEXED_UNITS):
            continue  # a ratio has no scale to protect: relative publishes it as computed
        allowed = None if rule.disclosure is Disclosure.RELATIVE else rounding_step(rule, series.unit)
        targets.append(Target(metric_id, rule.disclosure, allowed, rule.line))
    return targets

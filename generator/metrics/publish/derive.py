"""What each series publishes: inputs by their own rule, everything else computed from what its inputs publish.

The disclosure model (issue 20, docs/metrics.md "Propagation"), applied series by series in computing order:

- an **input** (a column of the founder's files) is published by its rule: exactly, rounded (from the true value;
  known to ± half a step), as an index (whole points of its largest value; scale unknown), or not at all;
- a **computed** series (the registry's formulas, the site's own formulas, the cost totals) whose inputs are all
  published exactly is computed from them and published by its own rule;
- otherwise it is **computed from the published values of its inputs**: a rounded input as rounded, an index as
  the index, a withheld month as withheld. So it can tell a reader nothing its inputs do not already tell.
  A hidden input hides it. Its interval (`intervals.py`) sets the precision it is shown at. Relative inputs
  carry an unknown scale: the series is published as a value if it does not depend on any scale (MRR growth of
  an indexed MRR), as an index if it grows with exactly one scale (ARR, ARPU of an indexed MRR), and withheld
  otherwise (net burn, gross margin of an indexed MRR: `costs − λ·MRR` gives λ back). Whether it depends on a
  scale is tested, not assumed: the formula is run again with the scale doubled and tripled.

`lift_propagation: true` computes a series from the true values of its inputs whatever they publish.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from generator.config.metrics import Disclosure, PublishRule
from generator.metrics.compute.table import settle_value
from generator.metrics.publish.disclosure import ResolvedRule
from generator.metrics.publish.indexing import (
    INDEX_STEP,
    INDEXED_UNITS,
    index_points,
    precision_step,
    round_to_step,
    rounding_step,
)
from generator.metrics.publish.intervals import Ambiguous, Interval
from generator.metrics.series import MetricPoint, MetricSeries
from generator.registry import Cell, MetricDefinition, MonthView, NullReason, Undefined, Unit

WITHHELD = NullReason.WITHHELD
"""The reason of a month withheld so that published numbers cannot isolate a protected one (payroll)."""
_SCALES = (Decimal(2), Decimal(3))
_TOLERANCE = Decimal("1e-18")


class Kind(Enum):
    """What a published series is to a reader."""

    TRUE = "true"
    """The true values (published exactly, or an input column that is no metric)."""
    ROUNDED = "rounded"
    """Rounded from the true values: each is known to ± half its step."""
    COMPUTED = "computed"
    """Computed from published values: it tells nothing they do not."""
    INDEX = "index"
    """An index: the values up to an unknown scale."""
    HIDDEN = "hidden"


@dataclass
class Column:
    """One series as the engine carries it: what dependents compute from, and how precisely it is known."""

    kind: Kind
    cells: list[Cell]
    """The values dependents compute with: true, rounded, computed, or index values (a scale of 1)."""
    known: list[Interval | Decimal | None]
    """Each value as a reader knows it: a number, or an interval."""
    bases: frozenset[str] = frozenset()
    """The relative inputs whose unknown scale the values carry."""
    published: tuple[MetricPoint, ...] | None = None
    """The points to publish (None: not published)."""
    index_base: date | None = None
    computed_from: tuple[str, ...] = ()
    """For COMPUTED and computed indexes: the protected inputs whose published values it was computed from."""
    scaled: dict[str, dict[Decimal, list[Cell]]] = field(default_factory=dict)
    """For each relative base: the cells with that scale doubled and tripled."""
    step: Decimal | None = None
    """For ROUNDED: the step each true value was rounded to."""


@dataclass(frozen=True)
class Node:
    """A series to publish, in computing order: its id, definition (None for inputs), and rule."""

    id: str
    unit: Unit
    rule: ResolvedRule
    definition: MetricDefinition | None = None
    true: tuple[Cell, ...] = ()
    """Its values as computed from the true inputs."""
    mask: frozenset[date] = frozenset()
    """Months withheld whatever the rule (payroll under `bands`)."""
    truth: bool = False
    """Publish from the true values by its own rule even though an input is not exact (a cost total whose hidden
    parts are two or more: it reveals only their sum)."""


class Engine:
    """Publish nodes one by one; each sees the published form of the nodes before it."""

    def __init__(self, months: Sequence[date], ltv_churn_months: int) -> None:
        self.months = tuple(months)
        self.ltv = ltv_churn_months
        self.columns: dict[str, Column] = {}

    def add_true(self, column_id: str, cells: Sequence[Cell]) -> None:
        """Add an input column no rule applies to (reactivated customers, a per: metric's column)."""
        self.columns[column_id] = Column(Kind.TRUE, list(cells), [v for v, _ in cells])

    def publish_input(self, node: Node) -> Column:
        """Publish a column of the founder's files by its own rule."""
        column = self._from_truth(node, list(node.true))
        self.columns[node.id] = column
        return column

    def publish_computed(self, node: Node) -> Column:
        """Publish a computed series: from the true values when its inputs are exact, else from what they publish."""
        definition = node.definition
        assert definition is not None
        needs = [self.columns[need] for need in definition.needs if need in self.columns]
        if node.rule.disclosure is Disclosure.HIDDEN:
            column = _hidden(len(self.months))
        elif node.rule.rule.lift or node.truth or all(c.kind is Kind.TRUE for c in needs):
            column = self._from_truth(node, list(node.true))
        elif any(c.kind is Kind.HIDDEN for c in needs):
            column = _hidden(len(self.months))
        else:
            column = self._from_published(node, definition)
        self.columns[node.id] = column
        return column

    # --- from the true values ---

    def _from_truth(self, node: Node, cells: list[Cell]) -> Column:
        cells = self._masked(node, cells)
        rule = node.rule.rule
        points = _points(self.months, cells)
        if rule.disclosure is Disclosure.HIDDEN:
            return _hidden(len(self.months))
        if rule.disclosure is Disclosure.ROUNDED:
            step = rounding_step(rule, node.unit)
            rounded = [(round_to_step(v, step, node.unit), r) if v is not None else (v, r) for v, r in cells]
            known = [Interval.around(v, step / 2) if v is not None else None for v, _ in rounded]
            return Column(Kind.ROUNDED, rounded, known, published=tuple(replace(p, value=v, approximate=v is not None)
                                                                       for p, (v, _) in zip(points, rounded)),
                          step=step)
        if rule.disclosure is Disclosure.RELATIVE and node.unit in INDEXED_UNITS:
            indexed = index_points(points, node.unit, base=True)
            if indexed is None:  # too small a series to index without giving the counts back
                return _hidden(len(self.months))
            published, base = indexed
            index_cells = [(p.value, c[1]) for p, c in zip(published, cells)]
            known = [Interval.around(v, INDEX_STEP / 2) if v is not None else None for v, _ in index_cells]
            return Column(Kind.INDEX, index_cells, known, frozenset({node.id}), published, base,
                          scaled=_scales(node.id, index_cells))
        return Column(Kind.TRUE, cells, [v for v, _ in cells], published=points)

    # --- from the published values ---

    def _from_published(self, node: Node, definition: MetricDefinition) -> Column:
        cells = self._run(definition, {n: self.columns[n].cells for n in definition.needs})
        bases = frozenset().union(*(self.columns[n].bases for n in definition.needs))
        scaled = {base: {factor: self._run(definition, self._scaled_inputs(definition, base, factor))
                         for factor in _SCALES} for base in bases}
        degrees = {base: _degree(cells, runs) for base, runs in scaled.items()}
        carried = frozenset(base for base, degree in degrees.items() if degree != 0)
        if any(degree is None for degree in degrees.values()) or len(carried) > 1 or \
                any(degrees[base] != 1 for base in carried):
            return _hidden(len(self.months))  # it mixes a scale with other values: it would give the scale back
        cells = self._masked(node, cells)
        scaled = {base: {factor: self._masked(node, run) for factor, run in runs.items()}
                  for base, runs in scaled.items()}
        known = [interval if value is not None else None for (value, _), (interval, _) in
                 zip(cells, self._run(definition, {n: _known_cells(self.columns[n]) for n in definition.needs},
                                      intervals=True))]
        protected = tuple(sorted({n for n in definition.needs if self.columns[n].kind is not Kind.TRUE}))
        if carried or (node.rule.disclosure is Disclosure.RELATIVE and node.unit in INDEXED_UNITS):
            indexed = index_points(_points(self.months, cells), node.unit, base=False)
            if node.unit not in INDEXED_UNITS or indexed is None:
                return _hidden(len(self.months))
            published, base = indexed
            return Column(Kind.INDEX, cells, known, carried, published, base, protected, scaled)
        published = tuple(self._settle(node, value, interval, reason, month)
                          for month, (value, reason), interval in zip(self.months, cells, known))
        return Column(Kind.COMPUTED, cells, known, published=published, computed_from=protected, scaled=scaled)

    def _masked(self, node: Node, cells: Sequence[Cell]) -> list[Cell]:
        return [(None, WITHHELD) if month in node.mask else cell for month, cell in zip(self.months, cells)]

    def _settle(self, node: Node, value: Decimal | None, interval: Interval | Decimal | None,
                reason: str | None, month: date) -> MetricPoint:
        if value is None:
            return MetricPoint(month, None, reason)
        width = interval.width if isinstance(interval, Interval) else (Decimal(0) if interval is not None else None)
        own = node.rule.rule
        step = precision_step(abs(value) if width is None else width, node.unit, value)
        if own.disclosure is Disclosure.ROUNDED:
            step = max(step, rounding_step(own, node.unit))
        approximate = width != 0 or own.disclosure is Disclosure.ROUNDED
        shown = round_to_step(value, step, node.unit) if approximate else settle_value(value, node.unit)
        return MetricPoint(month, shown, None, approximate)

    def _scaled_inputs(self, definition: MetricDefinition, base: str, factor: Decimal) -> dict[str, Sequence[Cell]]:
        return {n: (self.columns[n].scaled[base][factor] if base in self.columns[n].scaled else self.columns[n].cells)
                for n in definition.needs}

    def _run(self, definition: MetricDefinition, columns: Mapping[str, Sequence[Cell]],
             intervals: bool = False) -> list[Cell]:
        """Run a formula over every month; over intervals, a value known to no useful precision is None."""
        needs = frozenset(definition.needs)
        return [_one(definition, MonthView(index, columns, needs, self.ltv), intervals)
                for index in range(len(self.months))]


def _one(definition: MetricDefinition, view: MonthView, intervals: bool) -> Cell:
    try:
        return definition.compute(view), None  # type: ignore[misc]
    except Undefined as undefined:
        return None, undefined.reason
    except (Ambiguous, ArithmeticError):
        if not intervals:
            raise
        return None, None


def _known_cells(column: Column) -> list[Cell]:
    return [(known if value is not None else None, reason)
            for (value, reason), known in zip(column.cells, column.known)]


def _hidden(count: int) -> Column:
    return Column(Kind.HIDDEN, [(None, NullReason.MISSING_INPUT)] * count, [None] * count)


def _points(months: Sequence[date], cells: Sequence[Cell]) -> tuple[MetricPoint, ...]:
    return tuple(MetricPoint(month, value, reason) for month, (value, reason) in zip(months, cells))


def _scales(base: str, cells: Sequence[Cell]) -> dict[str, dict[Decimal, list[Cell]]]:
    return {base: {factor: [(v * factor if v is not None else None, r) for v, r in cells] for factor in _SCALES}}


def _degree(cells: Sequence[Cell], runs: Mapping[Decimal, Sequence[Cell]]) -> int | None:
    """Return 0 when the values do not change with the scale, 1 when they grow with it, None otherwise."""
    fits = {0: True, 1: True}
    for factor, scaled in runs.items():
        for (value, _), (other, _) in zip(cells, scaled):
            if (value is None) != (other is None):
                return None
            if value is None or value == 0 and other == 0:
                continue
            for degree in (0, 1):
                expected = value * factor ** degree
                if abs(other - expected) > _TOLERANCE * max(abs(expected), Decimal(1)):
                    fits[degree] = False
    return 0 if fits[0] else 1 if fits[1] else None


def published_series(node: Node, column: Column, loaded: MetricSeries) -> MetricSeries | None:
    """Return the series as the site publishes it, or None when it is hidden."""
    if column.published is None or column.kind is Kind.HIDDEN:
        return None
    disclosure = {Kind.TRUE: Disclosure.EXACT, Kind.ROUNDED: Disclosure.ROUNDED, Kind.INDEX: Disclosure.RELATIVE,
                  Kind.COMPUTED: Disclosure.ROUNDED if any(p.approximate for p in column.published)
                  else Disclosure.EXACT}[column.kind]
    if column.kind is Kind.TRUE and node.rule.disclosure is Disclosure.RELATIVE:
        disclosure = Disclosure.RELATIVE  # a ratio published as computed: it has no scale to hide
    return replace(loaded, points=column.published, disclosure=disclosure, index_base=column.index_base,
                   computed_from=column.computed_from, round_to=column.step)


def rule_of(rule: PublishRule) -> ResolvedRule:
    """Return a rule no propagation touched (for tests and hand-made nodes)."""
    return ResolvedRule(rule)

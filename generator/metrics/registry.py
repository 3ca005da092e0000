"""The registry of metric definitions and the month view a formula reads its inputs through.

A derived metric is one registered function that computes one month (see definitions.py). It
reads other series only through `MonthView`, which lets it read nothing it did not declare in
`needs` (so the publishing rules know exactly what reveals what) and turns every undefined
input into a null with a reason code, so formulas read like the definitions table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from generator.config.localized import LocalizedText
from generator.config.metrics import COST_PREFIX
from generator.metrics.series import MetricDefinition, NullReason, Unit

Cell = tuple[Decimal | None, NullReason | None]
"""One month of a series while computing: a value, or None and the reason."""

Formula = Callable[["MonthView"], Decimal]

RAW_COLUMNS = frozenset({"reactivated_customers", "headcount_start", "cost_of_revenue"})
"""Input columns formulas may need that are not published metrics themselves."""


class Undefined(Exception):
    """Raised inside a formula when the month has no value; carries the null reason."""

    def __init__(self, reason: NullReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


_REGISTRY: dict[str, MetricDefinition] = {}

METRIC_DEFINITIONS: Mapping[str, MetricDefinition] = MappingProxyType(_REGISTRY)
"""Every registered definition by id, in registration (= table) order; read-only."""


def register(definition: MetricDefinition) -> MetricDefinition:
    """Add a definition; refuse a second one with the same id or one needing an unknown series.

    Needs must name series registered earlier, which keeps the table acyclic and makes table
    order a valid computing order.
    """
    if definition.id in _REGISTRY:
        raise ValueError(f"metric {definition.id!r} is already defined")
    unknown = [need for need in definition.needs if need not in _REGISTRY and need not in RAW_COLUMNS]
    if unknown:
        raise ValueError(f"metric {definition.id!r} needs {', '.join(unknown)}, which no earlier definition provides")
    _REGISTRY[definition.id] = definition
    return definition


def bilingual(english: str, chinese: str) -> LocalizedText:
    """Return a text of the registry in English and Simplified Chinese (the two languages that ship)."""
    return LocalizedText(english, MappingProxyType({"en": english, "zh-CN": chinese}))


def input_metric(metric_id: str, *, unit: Unit, label: LocalizedText, source: LocalizedText,
                 description: LocalizedText, missing: LocalizedText | None = None,
                 higher_is_better: bool = True, requires: tuple[str, ...] = ()) -> MetricDefinition:
    """Register a metric read straight from an input file (null only where the file has no value)."""
    file = source.default.split(",")[0].strip("`")
    missing = missing or bilingual(f"{file} has no row for the month", f"{file} 没有该月的行")
    return register(MetricDefinition(metric_id, label, unit, formula="input", description=description,
                                     null_reasons=((NullReason.MISSING_INPUT, missing),), source=source,
                                     higher_is_better=higher_is_better, requires=requires))


def derived_metric(metric_id: str, *, unit: Unit, needs: Sequence[str], label: LocalizedText, formula: str,
                   description: LocalizedText, nulls: Mapping[NullReason, LocalizedText],
                   as_percent: bool = True, higher_is_better: bool = True,
                   requires: tuple[str, ...] = ()) -> Callable[[Formula], Formula]:
    """Register the decorated function as the formula of one month of `metric_id`.

    Args:
        metric_id: the id used in site.yaml, exports and post references.
        unit: what the values count.
        needs: the series the formula reads (inputs, earlier metrics or RAW_COLUMNS).
        label: the name shown on pages, per language (`bilingual(en, zh)`).
        formula: the formula as readers see it.
        description: what the metric tells, for the metric and methodology pages, per language.
        nulls: each null reason the formula can give, with when, in order of precedence.
        as_percent: for ratios, whether pages show a percentage.
        higher_is_better: whether a rise is good news (the colour of its change).
        requires: what the site must have for the metric to exist (e.g. ("team",)); () for always.
    """
    def decorate(function: Formula) -> Formula:
        register(MetricDefinition(metric_id, label, unit, formula, description, tuple(nulls.items()),
                                  tuple(needs), function, None, as_percent, higher_is_better,
                                  requires=requires))
        return function
    return decorate


def get_definition(metric_id: str, label: str | None = None) -> MetricDefinition:
    """Return the definition of `metric_id`, including the generated one of a `costs.<category>`.

    Raises:
        KeyError: no such metric.
    """
    if metric_id.startswith(COST_PREFIX):
        return build_cost_definition(metric_id, label or metric_id[len(COST_PREFIX):])
    return _REGISTRY[metric_id]


def build_cost_definition(metric_id: str, written: str) -> MetricDefinition:
    """Return the definition of one cost category series, e.g. costs.hosting."""
    return MetricDefinition(
        metric_id, bilingual(f"Costs: {written}", f"成本：{written}"), Unit.CURRENCY,
        formula=f"sum of the month's {written!r} amounts",
        description=bilingual(f"What the month cost in the category {written!r}, refunds subtracted.",
                              f"本月在“{written}”类别上的成本，已扣除退款。"),
        null_reasons=((NullReason.MISSING_INPUT, bilingual("costs.csv has no row at all for the month",
                                                           "costs.csv 该月完全没有行")),),
        source=bilingual("`costs.csv`", "`costs.csv`"), higher_is_better=False)


@dataclass(frozen=True)
class MonthView:
    """What one formula may read while computing month `index`."""

    index: int
    columns: Mapping[str, Sequence[Cell]]
    needs: frozenset[str]
    ltv_churn_months: int

    def __getitem__(self, metric_id: str) -> Decimal:
        """Return this month's value, or raise Undefined with the input's own reason."""
        value, reason = self._column(metric_id)[self.index]
        if value is None:
            raise Undefined(reason or NullReason.MISSING_INPUT)
        return value

    def has(self, metric_id: str) -> bool:
        """Return True when this month has a value."""
        return self._column(metric_id)[self.index][0] is not None

    def prev(self, metric_id: str) -> Decimal:
        """Return last month's value; raise Undefined(no_previous_month) when it has no row."""
        return self.back(metric_id, 1, NullReason.NO_PREVIOUS_MONTH)

    def back(self, metric_id: str, months: int,
             reason: NullReason = NullReason.INSUFFICIENT_HISTORY) -> Decimal:
        """Return the value `months` months ago; raise Undefined(reason) when that month has none."""
        column = self._column(metric_id)
        value = column[self.index - months][0] if self.index >= months else None
        if value is None:
            raise Undefined(reason)
        return value

    def mean(self, metric_id: str, months: int) -> Decimal:
        """Return the mean of the defined values over the window of `months` months ending now.

        When none is defined, raise Undefined with this month's own reason: the window always
        holds this month, so its reason says why the whole window is empty.
        """
        values = self.window(metric_id, months)
        if not values:
            raise Undefined(self._column(metric_id)[self.index][1] or NullReason.MISSING_INPUT)
        return sum(values, Decimal(0)) / len(values)

    def trailing(self, metric_id: str, months: int) -> list[Decimal]:
        """Return every value of the `months` months ending now; a month before the data or without a value
        raises Undefined (insufficient_history, or that month's own reason)."""
        if self.index < months - 1:
            raise Undefined(NullReason.INSUFFICIENT_HISTORY)
        cells = self._column(metric_id)[self.index - months + 1:self.index + 1]
        for value, reason in cells:
            if value is None:
                raise Undefined(reason or NullReason.MISSING_INPUT)
        return [value for value, _ in cells]  # type: ignore[misc]

    def window(self, metric_id: str, months: int) -> list[Decimal]:
        """Return the defined values of this month and the `months - 1` before it."""
        column = self._column(metric_id)
        return [v for v, _ in column[max(0, self.index - months + 1):self.index + 1] if v is not None]

    def _column(self, metric_id: str) -> Sequence[Cell]:
        if metric_id not in self.needs:
            raise KeyError(f"a formula read {metric_id!r} without declaring it in needs=")
        return self.columns[metric_id]

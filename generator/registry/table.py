"""The registry of metric definitions: one entry per metric, in table order, refusing duplicates.

A derived metric is one registered function that computes one month (see revenue.py and its
neighbours). It reads other series only through `MonthView` (month.py), which lets it read nothing
it did not declare in `needs` (so the publishing rules know exactly what reveals what).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType

from generator.i18n.localized import LocalizedText
from generator.registry.charts import DASHBOARD_CHART_IDS
from generator.registry.definition import (
    MetricDefinition,
    NullReason,
    Presence,
    ReportKind,
    ReportSlot,
    SeriesRole,
    Unit,
    bilingual,
)
from generator.registry.shared import column_source

Formula = Callable[..., Decimal]
"""One month's value from a MonthView."""

COST_PREFIX = "costs."
"""Per-category cost series are named `costs.<category id>`, e.g. `costs.hosting`."""

OPTIONAL_COLUMNS = frozenset({"reactivation"})
"""Input columns a file may leave out: their value is then 0 (mrr.csv before reactivations were tracked)."""

RAW_COLUMNS = frozenset({"reactivated_customers", "headcount_start", "cost_of_revenue"})
"""Input columns formulas may need that are not published metrics themselves."""


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
    charts = [slot.chart for slot in definition.presence.charts if slot.chart not in DASHBOARD_CHART_IDS]
    charts += [slot.chart for slot in definition.presence.reports if slot.chart and slot.chart not in DASHBOARD_CHART_IDS
               and slot.chart not in _REGISTRY and slot.chart != definition.id]
    if charts:
        raise ValueError(f"metric {definition.id!r} names unknown chart(s) {', '.join(charts)}; "
                         f"the dashboard's charts are {', '.join(DASHBOARD_CHART_IDS)}")
    _REGISTRY[definition.id] = definition
    return definition


def input_metric(metric_id: str, *, unit: Unit, label: LocalizedText, description: LocalizedText,
                 reads: tuple[str, str] | None = None, source: LocalizedText | None = None,
                 missing: LocalizedText | None = None, higher_is_better: bool = True, requires: tuple[str, ...] = (),
                 presence: Presence = Presence()) -> MetricDefinition:
    """Register a metric read straight from an input file (null only where the file has no value).

    `reads=('mrr', 'new')` names the file stem and column it is read from (the metrics stage aligns it from
    there, and its source text follows); `source` describes inputs gathered otherwise (every cost category).
    """
    if source is None:
        if reads is None:
            raise ValueError(f"input metric {metric_id!r} needs reads= or source=")
        source = column_source(f"{reads[0]}.csv", reads[1], absent=reads[1] in OPTIONAL_COLUMNS)
    file = source.default.split(",")[0].strip("`")
    missing = missing or bilingual(f"{file} has no row for the month", f"{file} 没有该月的行")
    return register(MetricDefinition(metric_id, label, unit, formula="input", description=description,
                                     null_reasons=((NullReason.MISSING_INPUT, missing),), source=source,
                                     higher_is_better=higher_is_better, requires=requires, presence=presence,
                                     reads=reads))


def derived_metric(metric_id: str, *, unit: Unit, needs: Sequence[str], label: LocalizedText, formula: str,
                   description: LocalizedText, nulls: Mapping[NullReason, LocalizedText],
                   as_percent: bool = True, higher_is_better: bool = True,
                   requires: tuple[str, ...] = (), presence: Presence = Presence()) -> Callable[[Formula], Formula]:
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
        presence: where it shows beyond its own page: default card, dashboard charts, draft reports.
    """
    def decorate(function: Formula) -> Formula:
        register(MetricDefinition(metric_id, label, unit, formula, description, tuple(nulls.items()),
                                  tuple(needs), function, None, as_percent, higher_is_better,
                                  requires=requires, presence=presence))
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


def build_cost_definition(metric_id: str, written: str, names: LocalizedText | None = None) -> MetricDefinition:
    """Return the definition of one cost category series, e.g. costs.hosting (`names`: the category in each
    language, from site.yaml's `metrics.cost_names`; else as costs.csv writes it)."""
    en, zh = (names.get("en"), names.get("zh-CN")) if names is not None else (written, written)
    return MetricDefinition(
        metric_id, bilingual(f"Costs: {en}", f"成本：{zh}"), Unit.CURRENCY,
        formula=f"sum(amount where category = {written!r})",
        description=bilingual(f"What the month cost in the category {en!r}, refunds subtracted.",
                              f"本月在“{zh}”类别上的成本，已扣除退款。"),
        null_reasons=((NullReason.MISSING_INPUT, bilingual("costs.csv has no row at all for the month",
                                                           "costs.csv 该月完全没有行")),),
        source=bilingual("`costs.csv`", "`costs.csv`"), higher_is_better=False)




def default_card_ids() -> tuple[str, ...]:
    """Return the dashboard's default cards (when site.yaml names none), in their order."""
    carded = [(d.presence.card, d.id) for d in _REGISTRY.values() if d.presence.card is not None]
    return tuple(metric_id for _, metric_id in sorted(carded))


def chart_series(chart_id: str) -> tuple[tuple[str, SeriesRole], ...]:
    """Return the metrics a dashboard chart shows, each with its role, in the chart's order."""
    slots = [(slot.order, d.id, slot.role) for d in _REGISTRY.values() for slot in d.presence.charts
             if slot.chart == chart_id]
    return tuple((metric_id, role) for _, metric_id, role in sorted(slots))


def report_slots(report: ReportKind) -> tuple[tuple[str, ReportSlot], ...]:
    """Return (metric id, slot) of every metric a draft report lists, in each section's order."""
    slots = [(slot.order, d.id, slot) for d in _REGISTRY.values() for slot in d.presence.reports
             if slot.report is report]
    return tuple((metric_id, slot) for _, metric_id, slot in sorted(slots, key=lambda s: (s[0], s[1])))


def reading_turned(metric_id: str) -> str | None:
    """Return the label key a metric takes when negative (net_burn → 'profit'), or None."""
    definition = _REGISTRY.get(metric_id)
    return definition.presence.negative_reads_as if definition else None


def axis_caps() -> Mapping[str, int]:
    """Return the metrics whose chart axis stops at a cap, with the cap."""
    return MappingProxyType({d.id: d.presence.axis_cap for d in _REGISTRY.values() if d.presence.axis_cap})


def read_from(stem: str) -> Mapping[str, str]:
    """Return {metric id: column} of the input metrics read from one file (`reads`), in table order."""
    return MappingProxyType({d.id: d.reads[1] for d in _REGISTRY.values() if d.reads and d.reads[0] == stem})

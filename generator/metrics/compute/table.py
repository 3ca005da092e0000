"""Run the definitions table over the loaded inputs: aligned input columns in, settled series out.

Formulas see full Decimal precision (LTV divides by a mean of unrounded churn rates); values
are settled to their published precision only at the end, once, so every page, export and the
terminal show the same digits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType

from generator.config.metrics import MetricsConfig, parse_cost_category_id
from generator.i18n.localized import LocalizedText
from generator.metrics.compute.custom import RAW_SUFFIX, CustomColumns
from generator.metrics.read.inputs import MetricInputs
from generator.metrics.series import LoadedMetrics, MetricPoint, MetricSeries, count_months, list_months
from generator.registry import (
    COST_PREFIX,
    METRIC_DEFINITIONS,
    RAW_COLUMNS,
    Cell,
    MetricDefinition,
    MonthView,
    NullReason,
    Undefined,
    Unit,
    build_cost_definition,
)
from generator.registry.table import read_from

PRECISION: Mapping[Unit, Decimal] = MappingProxyType({
    Unit.CURRENCY: Decimal("0.01"),
    Unit.RATIO: Decimal("0.000001"),
    Unit.COUNT: Decimal("1"),
    Unit.MONTHS: Decimal("0.01"),
    Unit.NUMBER: Decimal("0.0001"),
})
"""Published precision per unit: money to the cent, ratios to 0.0001 percentage points."""

_MISSING: Cell = (None, NullReason.MISSING_INPUT)
_WIDE = Context(prec=60)  # quantizing a huge LTV to the cent must not overflow the default 28 digits


def compute_metrics(inputs: MetricInputs, settings: MetricsConfig, custom: Sequence[MetricDefinition] = (),
                    custom_columns: CustomColumns | None = None, language: str = "en",
                    extra: Mapping[str, Mapping[date, Decimal]] | None = None,
                    features: frozenset[str] = frozenset()) -> LoadedMetrics:
    """Return every metric of the definitions table plus costs.<category>, then the site's own, month by month.

    Args:
        inputs: the built-in files, read and checked.
        settings: the `metrics:` section.
        custom: the site's own metrics in computing order (generator.metrics.custom.custom_definitions).
        custom_columns: the file columns those metrics read.
        language: the site's language, for the series' labels.
        extra: more input columns by id, month to value (team.csv's, revenue.csv's).
        features: what the site has (team, salaries, revenue, acquisition, cost_of_revenue): a definition
            whose `requires` is not among them is neither computed nor published.
    """
    custom_columns = custom_columns or CustomColumns()
    months = _months(inputs, CustomColumns(MappingProxyType({**custom_columns.values, **(extra or {})})))
    if not months:
        return LoadedMetrics(currency=settings.currency)
    columns = _input_columns(inputs, months)
    columns.update(_align_custom(CustomColumns(MappingProxyType(dict(extra or {}))), months))
    columns.update(_group_columns(inputs, settings, months))
    for metric_id in [*RAW_COLUMNS, *METRIC_DEFINITIONS]:
        columns.setdefault(metric_id, [_MISSING] * len(months))
    for definition in METRIC_DEFINITIONS.values():
        if not definition.is_input and set(definition.requires) <= features:
            columns[definition.id] = _run(definition, columns, len(months), settings.ltv_churn_months)
    columns.update(_align_custom(custom_columns, months))
    for definition in custom:
        if not definition.is_input:
            columns[definition.id] = _run(definition, columns, len(months), settings.ltv_churn_months)
    labels = inputs.costs.categories if inputs.costs else {}
    by_id = {d.id: d for d in custom}
    published = [*(d for d in _published_definitions(labels, settings.cost_names) if set(d.requires) <= features),
                 *(by_id[m] for m in settings.custom if m in by_id)]
    series = {d.id: _settle(d, columns[d.id], months, language) for d in published}
    raw = {name: tuple(value for value, _ in cells) for name, cells in columns.items()
           if name in RAW_COLUMNS or name.endswith(RAW_SUFFIX)}  # a per: metric's column, too
    return LoadedMetrics(months, MappingProxyType(series), settings.currency, raw=MappingProxyType(raw))


def recompute_metric(definition: MetricDefinition, columns: Mapping[str, Sequence[Cell]], count: int,
                     ltv_churn_months: int) -> list[Cell]:
    """Return one derived metric's cells computed from the given (e.g. rounded) input columns."""
    return _run(definition, columns, count, ltv_churn_months)


def _align_custom(custom: CustomColumns, months: tuple[date, ...]) -> dict[str, list[Cell]]:
    """Align each custom file column with `months`; a month without a row is (None, missing_input)."""
    columns = {}
    for column_id, values in custom.values.items():
        columns[column_id] = [(values[m], None) if m in values else _MISSING for m in months]
    return columns


def data_months(inputs: MetricInputs, custom: CustomColumns) -> tuple[date, ...]:
    """Return every month from the first to the last row of any file but team.csv (whose people are
    counted from their first start to these months' last: company_inputs.team_months)."""
    return _months(inputs, custom)


def _months(inputs: MetricInputs, custom: CustomColumns) -> tuple[date, ...]:
    """Return every month from the first to the last row of any file; months between are gaps."""
    found: set[date] = {row.month for row in inputs.mrr.rows} | custom.months
    found |= {row.month for row in inputs.churn.rows} if inputs.churn else set()
    found |= set(inputs.costs.amounts) if inputs.costs else set()
    found |= {row.month for row in inputs.cash.rows} if inputs.cash else set()
    return list_months(min(found), max(found)) if found else ()


def _input_columns(inputs: MetricInputs, months: tuple[date, ...]) -> dict[str, list[Cell]]:
    """Align every input value with `months`; a month without a row is (None, missing_input)."""
    columns: dict[str, list[Cell]] = {}
    mrr_fields = read_from("mrr")  # the registry's inputs say which column each is read from
    fields = mrr_fields if inputs.mrr.has_movements else {"mrr": mrr_fields["mrr"]}
    columns.update(_align(months, inputs.mrr.rows, fields))
    for metric_id in mrr_fields:
        columns.setdefault(metric_id, [_MISSING] * len(months))
    churn_fields = {**read_from("churn"), "reactivated_customers": "reactivated_customers"}
    columns.update(_align(months, inputs.churn.rows if inputs.churn else (), churn_fields))
    columns.update(_align(months, inputs.cash.rows if inputs.cash else (), read_from("cash")))
    columns.update(_cost_columns(inputs, months))
    return columns


def _align(months: tuple[date, ...], rows: Iterable[object], fields: Mapping[str, str]) -> dict[str, list[Cell]]:
    columns = {metric_id: [_MISSING] * len(months) for metric_id in fields}
    for row in rows:
        index = count_months(months[0], row.month)  # type: ignore[attr-defined]
        for metric_id, attribute in fields.items():
            columns[metric_id][index] = (Decimal(getattr(row, attribute)), None)
    return columns


def _cost_columns(inputs: MetricInputs, months: tuple[date, ...]) -> dict[str, list[Cell]]:
    """Total costs and one column per category; a month with any cost row has 0 in the other categories."""
    categories = inputs.costs.categories if inputs.costs else {}
    columns = {metric_id: [_MISSING] * len(months) for metric_id in ["costs", *(COST_PREFIX + c for c in categories)]}
    for month, amounts in (inputs.costs.amounts.items() if inputs.costs else ()):
        index = count_months(months[0], month)
        columns["costs"][index] = (sum(amounts.values(), Decimal(0)), None)
        for category, amount in amounts.items():
            columns[COST_PREFIX + category][index] = (amount, None)
    return columns


def _group_columns(inputs: MetricInputs, settings: MetricsConfig, months: tuple[date, ...]) -> dict[str, list[Cell]]:
    """Sum the categories each cost group tags (matched like category ids), in months with any cost row."""
    columns = {}
    for group, column in (("acquisition", "acquisition_spend"), ("cost_of_revenue", "cost_of_revenue")):
        tagged = {parse_cost_category_id(name) for name in settings.cost_groups.get(group, ())}
        cells = [_MISSING] * len(months)
        for month, amounts in (inputs.costs.amounts.items() if inputs.costs else ()):
            total = sum((amount for category, amount in amounts.items() if category in tagged), Decimal(0))
            cells[count_months(months[0], month)] = (total, None)
        columns[column] = cells
    return columns


def _run(definition: MetricDefinition, columns: Mapping[str, Sequence[Cell]], count: int,
         ltv_churn_months: int) -> list[Cell]:
    needs = frozenset(definition.needs)
    cells: list[Cell] = []
    for index in range(count):
        try:
            cells.append((definition.compute(MonthView(index, columns, needs, ltv_churn_months)), None))  # type: ignore[misc]
        except Undefined as undefined:
            cells.append((None, undefined.reason))
    return cells


def _published_definitions(labels: Mapping[str, str], names: Mapping[str, LocalizedText]) -> list[MetricDefinition]:
    """Return the table in order, with one definition per cost category right after `costs` (named per language
    as `metrics.cost_names` says)."""
    ordered: list[MetricDefinition] = []
    for definition in METRIC_DEFINITIONS.values():
        ordered.append(definition)
        if definition.id == "costs":
            ordered += [build_cost_definition(COST_PREFIX + c, label, names.get(c)) for c, label in labels.items()]
    return ordered


def _settle(definition: MetricDefinition, cells: Sequence[Cell], months: tuple[date, ...],
            language: str) -> MetricSeries:
    points = tuple(MetricPoint(month, settle_value(value, definition.unit), reason)
                   for month, (value, reason) in zip(months, cells))
    return MetricSeries(definition.id, definition.label.get(language), definition.unit, points,
                        definition=definition)


def settle_value(value: Decimal | None, unit: Unit) -> Decimal | None:
    """Round a value to its unit's published precision (half up), never producing -0."""
    if value is None:
        return None
    settled = value.quantize(PRECISION[unit], rounding=ROUND_HALF_UP, context=_WIDE)
    return settled.copy_abs() if settled.is_zero() else settled

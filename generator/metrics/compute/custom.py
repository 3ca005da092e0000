"""The site's own metrics (site.yaml `metrics.custom`) as registry entries, and the CSV columns they read.

A column metric reads any monthly CSV in metrics/ with the reading rules of the built-in files
(encodings, delimiters, header matching, number and month forms, duplicate months); `per:` divides
it by another metric. A formula metric is parsed by generator.metrics.formula. Every problem is a
diagnostic at the entry's site.yaml line (a formula's at the character at fault): an unknown id
with the closest one, a cycle with its path, a missing file or column. The definitions come back
in computing order, so each formula reads only series computed before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.config.custom import CustomMetric
from generator.config.metrics import FileOptions, MetricsConfig
from generator.errors import Diagnostic, choice_hint, did_you_mean
from generator.i18n import STRINGS
from generator.i18n.localized import LocalizedText
from generator.metrics.compute.formula import (
    Binary,
    Expression,
    FormulaError,
    Prev,
    Window,
    evaluate_formula,
    formula_references,
    parse_formula,
    render_formula,
)
from generator.metrics.read.cells import CellReader, without_duplicate_months
from generator.metrics.read.csvfile import CsvTable, load_csv, normalize_header
from generator.registry import (
    COST_PREFIX,
    METRIC_DEFINITIONS,
    MetricDefinition,
    NullReason,
    Undefined,
    Unit,
    bilingual,
)

RAW_SUFFIX = ":column"
"""A `per:` metric's file column is kept under '<id>:column' while computing; it is never published."""

_UNITS = {"currency": Unit.CURRENCY, "ratio": Unit.RATIO, "count": Unit.COUNT, "months": Unit.MONTHS}
_WHEN: Mapping[NullReason, LocalizedText] = MappingProxyType({
    NullReason.MISSING_INPUT: bilingual("a metric the formula reads has no value for the month",
                                        "公式读取的某个指标在该月没有数值"),
    NullReason.NO_PREVIOUS_MONTH: bilingual("prev() reads a month without a value (the first month, or after a gap)",
                                            "prev() 读取的上个月没有数值（第一个月，或数据中断之后）"),
    NullReason.INSUFFICIENT_HISTORY: bilingual("sum() reaches back before the first month of data",
                                               "sum() 需要的月份早于数据的第一个月"),
    NullReason.ZERO_DENOMINATOR: bilingual("the formula divides by zero", "公式的分母为零"),
})
_INHERITED = bilingual("a metric the formula reads has no value, for this reason", "公式读取的某个指标因此没有数值")


@dataclass(frozen=True)
class CustomColumns:
    """The monthly values of every column metric, read from their files."""

    values: Mapping[str, Mapping[date, Decimal]] = field(default_factory=lambda: MappingProxyType({}))
    """By column id (a metric id, or '<id>:column' for a `per:` metric), month to value."""

    @property
    def months(self) -> set[date]:
        return {month for column in self.values.values() for month in column}


def custom_definitions(settings: MetricsConfig,
                       categories: Iterable[str] = ()) -> tuple[tuple[MetricDefinition, ...], list[Diagnostic]]:
    """Return the registry entries of the site's own metrics in computing order, and what is wrong with them.

    Args:
        settings: the `metrics:` section; its `custom` entries are turned into definitions.
        categories: the cost category ids the data has, which formulas may name as costs.<category>.
    """
    custom = settings.custom
    known = [*METRIC_DEFINITIONS, *(COST_PREFIX + c for c in categories), *custom]
    problems: list[Diagnostic] = []
    parsed: dict[str, Expression] = {}
    needs: dict[str, tuple[str, ...]] = {}
    for metric in custom.values():
        reads = _check_reads(settings, metric, known, parsed, problems)
        if reads is not None:
            needs[metric.id] = reads
    order = _computing_order(settings, needs, problems)
    definitions: dict[str, MetricDefinition] = {}
    for metric_id in order:
        definitions[metric_id] = _definition(custom[metric_id], parsed.get(metric_id), needs[metric_id], definitions)
    return tuple(definitions.values()), problems


def _check_reads(settings: MetricsConfig, metric: CustomMetric, known: Sequence[str],
                 parsed: dict[str, Expression], problems: list[Diagnostic]) -> tuple[str, ...] | None:
    """Return the metric ids a custom metric reads, or None after recording why it cannot be computed."""
    if not metric.is_formula:
        if metric.per is None:
            return ()
        if metric.per in known and metric.per != metric.id:
            return (metric.per,)
        problems.append(Diagnostic(f"metrics.custom.{metric.id}: 'per' names unknown metric {metric.per!r}",
                                   settings.source, metric.per_line or metric.line, None,
                                   choice_hint(metric.per, [k for k in known if k != metric.id])))
        return None
    line, column = metric.formula_at
    try:
        expression = parse_formula(metric.formula or "")
    except FormulaError as error:
        problems.append(Diagnostic(f"metrics.custom.{metric.id}: formula {_excerpt(metric.formula or '')!r}: {error.message}",
                                   settings.source, line, _at(column, error.position), error.hint))
        return None
    reads = list(dict.fromkeys(formula_references(expression)))
    unknown = [(name, position) for name, position in reads if name not in known]
    for name, position in unknown:
        hint = did_you_mean(name, known) or "metrics: " + ", ".join(known)
        problems.append(Diagnostic(f"metrics.custom.{metric.id}: formula reads unknown metric {name!r}",
                                   settings.source, line, _at(column, position), hint))
    if unknown:
        return None
    parsed[metric.id] = expression
    return tuple(dict.fromkeys(name for name, _ in reads))


def _at(column: int | None, position: int) -> int | None:
    return column + position - 1 if column is not None else None


def _computing_order(settings: MetricsConfig, needs: Mapping[str, tuple[str, ...]],
                     problems: list[Diagnostic]) -> list[str]:
    """Return the custom ids so that each comes after the custom metrics it reads; report every cycle."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(metric_id: str, path: list[str]) -> bool:
        if metric_id not in needs or state.get(metric_id) == "failed":  # its own problem is reported already
            return False
        if state.get(metric_id) == "done":
            return True
        if state.get(metric_id) == "visiting":
            cycle = " → ".join(path[path.index(metric_id):] + [metric_id])
            problems.append(Diagnostic(f"metrics.custom.{metric_id}: the formulas form a cycle: {cycle}",
                                       settings.source, settings.custom[metric_id].line, None,
                                       "a metric cannot be computed from itself; break the cycle"))
            return False
        state[metric_id] = "visiting"
        fine = all([visit(need, path + [metric_id]) for need in needs[metric_id] if need in settings.custom])
        state[metric_id] = "done" if fine else "failed"
        if fine:
            order.append(metric_id)
        return fine

    for metric_id in needs:
        if metric_id not in state:
            visit(metric_id, [])
    return order


def _definition(metric: CustomMetric, expression: Expression | None, needs: tuple[str, ...],
                earlier: Mapping[str, MetricDefinition]) -> MetricDefinition:
    unit = _UNITS.get(metric.unit, Unit.NUMBER)
    common = {"label": metric.label, "unit": unit, "description": metric.description,
              "higher_is_better": metric.higher_is_better, "custom": True,
              "unit_name": "" if metric.unit in _UNITS else metric.unit}
    if expression is not None:
        return MetricDefinition(metric.id, formula=render_formula(expression), needs=needs,
                                null_reasons=_formula_reasons(expression, needs, earlier),
                                compute=lambda at: evaluate_formula(expression, at), **common)
    source = bilingual(f"`{metric.file}`, column `{metric.column}`", f"`{metric.file}` 的 `{metric.column}` 列")
    missing = bilingual(f"{metric.file} has no row for the month", f"{metric.file} 没有该月的行")
    if metric.per is None:
        return MetricDefinition(metric.id, formula="input", null_reasons=((NullReason.MISSING_INPUT, missing),),
                                source=source, **common)
    raw = metric.id + RAW_SUFFIX
    per = earlier.get(metric.per) or METRIC_DEFINITIONS.get(metric.per)
    per_label = per.label if per else bilingual(metric.per, metric.per)
    zero = bilingual(f"{per_label.get('en')} is 0 in the month", f"该月的{per_label.get('zh-CN')}为 0")
    return MetricDefinition(metric.id, formula=f"{metric.column} / {metric.per}", needs=(raw, metric.per),
                            null_reasons=((NullReason.MISSING_INPUT, missing), (NullReason.ZERO_DENOMINATOR, zero)),
                            source=source, compute=lambda at: _divide(at[raw], at[metric.per]), **common)


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    if denominator == 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return numerator / denominator


def _formula_reasons(expression: Expression, needs: Sequence[str],
                     earlier: Mapping[str, MetricDefinition]) -> tuple[tuple[NullReason, LocalizedText], ...]:
    """Return every reason a formula's value can be null: its inputs' own, then its prev, sum and division."""
    reasons: dict[NullReason, LocalizedText] = {NullReason.MISSING_INPUT: _WHEN[NullReason.MISSING_INPUT]}
    for need in needs:
        definition = earlier.get(need) or METRIC_DEFINITIONS.get(need)
        for reason, _ in definition.null_reasons if definition else ():
            reasons.setdefault(reason, _WHEN.get(reason, _INHERITED))
    for node in _nodes(expression):
        if isinstance(node, Prev):
            reasons.setdefault(NullReason.NO_PREVIOUS_MONTH, _WHEN[NullReason.NO_PREVIOUS_MONTH])
        elif isinstance(node, Window) and node.function == "sum":
            reasons.setdefault(NullReason.INSUFFICIENT_HISTORY, _WHEN[NullReason.INSUFFICIENT_HISTORY])
        elif isinstance(node, Binary) and node.op == "/":
            reasons.setdefault(NullReason.ZERO_DENOMINATOR, _WHEN[NullReason.ZERO_DENOMINATOR])
    return tuple(reasons.items())


def _nodes(expression: Expression) -> Iterable[Expression]:
    yield expression
    for child in (getattr(expression, "operand", None), getattr(expression, "left", None),
                  getattr(expression, "right", None)):
        if child is not None:
            yield from _nodes(child)


def load_custom_columns(folder: Path, settings: MetricsConfig) -> tuple[CustomColumns, list[Diagnostic]]:
    """Read the column of every column metric from its CSV in `folder`; report a missing file at site.yaml."""
    by_file: dict[str, list[CustomMetric]] = {}
    for metric in settings.custom.values():
        if metric.file is not None:
            by_file.setdefault(metric.file.lower(), []).append(metric)
    present = {path.name.lower(): path for path in sorted(folder.iterdir())} if folder.is_dir() else {}
    values: dict[str, Mapping[date, Decimal]] = {}
    problems: list[Diagnostic] = []
    for name, metrics in by_file.items():
        path = present.get(name)
        if path is None or not path.is_file():
            problems += [_missing_file(settings, metric, present) for metric in metrics]
            continue
        columns, found = _read_file(path, metrics, settings)
        values.update(columns)
        problems += found
    return CustomColumns(MappingProxyType(values)), problems


def custom_file_names(settings: MetricsConfig | None) -> set[str]:
    """Return the lower-case names of the CSV files custom metrics read (not 'unknown files' to warn about)."""
    return {m.file.lower() for m in settings.custom.values() if m.file} if settings else set()


def _missing_file(settings: MetricsConfig, metric: CustomMetric, present: Mapping[str, Path]) -> Diagnostic:
    csvs = [name for name in present if name.endswith(".csv")]
    hint = did_you_mean(metric.file or "", csvs) or (f"create metrics/{metric.file} with a 'month' column and a "
                                                      f"{metric.column!r} column")
    return Diagnostic(f"metrics.custom.{metric.id}: metrics/{metric.file} does not exist", settings.source,
                      metric.line, None, hint)


def _read_file(path: Path, metrics: Sequence[CustomMetric],
               settings: MetricsConfig) -> tuple[dict[str, Mapping[date, Decimal]], list[Diagnostic]]:
    stem = path.name[:-4].lower()
    table, problems = load_csv(path, stem, settings.files.get(stem, FileOptions()))
    if table is None:
        return {}, problems
    table = _with_month_column(table)
    keys = [normalize_header(m.column or m.id) for m in metrics]
    header = _missing_columns(table, metrics, keys)
    if header:
        return {}, problems + header
    cells = CellReader(table, settings.decimal_comma)
    rows = []
    for row in table.rows:
        before = len(cells.problems)
        month = cells.month(row)
        amounts = {key: cells.amount(row, key, required=True) for key in dict.fromkeys(keys)}
        if len(cells.problems) == before:
            rows.append(_Row(month, row.line, amounts))  # type: ignore[arg-type]
    problems += cells.problems
    rows = without_duplicate_months(table, rows, problems)
    columns = {m.id + (RAW_SUFFIX if m.per else ""): MappingProxyType({r.month: r.amounts[key] for r in rows})
               for m, key in zip(metrics, keys, strict=True)}
    return columns, problems


MONTH_HEADERS = frozenset(normalize_header(table["month"]) for table in STRINGS.values() if "month" in table)
"""What a month column may be called besides `month`: the string table's word for it in every language (月份)."""


def _with_month_column(table: CsvTable) -> CsvTable:
    """Return the table with its month column keyed `month` when its header names it in a site language."""
    if table.has("month"):
        return table
    position = next((i for i, key in enumerate(table.keys) if key in MONTH_HEADERS), None)
    if position is None:
        return table
    return replace(table, keys=tuple("month" if i == position else key for i, key in enumerate(table.keys)))


def _missing_columns(table: CsvTable, metrics: Sequence[CustomMetric], keys: Sequence[str]) -> list[Diagnostic]:
    """Report the month column or a metric's column missing from the header, with the closest header cell."""
    written = ", ".join(repr(h) for h in table.header if h)
    problems = []
    if not table.has("month"):
        problems.append(Diagnostic("missing column 'month'", table.path, table.header_line, None,
                                   f"the header has: {written}; name the column of months 'month' (or "
                                   f"{', '.join(sorted(MONTH_HEADERS - {'month'}))}), or map it with 'columns: "
                                   f"{{month: \"<your header>\"}}' under metrics.files.{table.path.stem.lower()} in "
                                   "site.yaml"))
    for metric, key in zip(metrics, keys, strict=True):
        if not table.has(key):
            close = did_you_mean(key, [k for k in table.keys if k])
            problems.append(Diagnostic(f"missing column {metric.column!r} (metrics.custom.{metric.id})", table.path,
                                       table.header_line, None, (close + " " if close else "") +
                                       f"the header has: {written}; set 'column:' of metrics.custom.{metric.id} "
                                       "to one of them"))
    return problems


@dataclass(frozen=True)
class _Row:
    month: date
    line: int
    amounts: Mapping[str, Decimal]


def _excerpt(formula: str) -> str:
    return formula if len(formula) <= 80 else formula[:77] + "..."

"""The files an import writes: mrr.csv, churn.csv or costs.csv as bytes, aggregates only.

Headers follow site.yaml's `columns:` renames and the file's `encoding`, so the metrics engine
reads the new file exactly as it read the old one. Columns the import does not own (a `notes`
column, say) are carried over from the existing file, matched by month (costs: month and category).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal

from generator.config.metrics import FileOptions, parse_cost_category_id
from generator.errors import MetricsError
from generator.importers.movements import MonthTable
from generator.importers.pnl import CostLedger
from generator.metrics.read.csvfile import CsvRow, CsvTable, parse_month

MRR_COLUMNS = ("month", "mrr", "new", "expansion", "contraction", "churned", "reactivation")
CHURN_COLUMNS = ("month", "customers", "new_customers", "churned_customers", "reactivated_customers")
COSTS_COLUMNS = ("month", "category", "amount", "currency", "source")
"""`source` tags the rows an import wrote (`pnl`, or the imports entry's `tag:`): a re-import replaces only those."""

RowKey = Callable[[CsvTable, CsvRow], Hashable]


def render_mrr_csv(months: MonthTable, options: FileOptions, existing: CsvTable | None) -> bytes:
    """Return mrr.csv: month-end MRR and the five movements, to the cent."""
    rows = [((row.month,), [f"{row.month:%Y-%m}", *(_money(getattr(row, name)) for name in MRR_COLUMNS[1:])])
            for row in months.rows]
    return _render(MRR_COLUMNS, rows, options, existing, _month_key)


def render_churn_csv(months: MonthTable, options: FileOptions, existing: CsvTable | None) -> bytes:
    """Return churn.csv: customers at month end and the month's new, churned and reactivated customers."""
    rows = [((row.month,), [f"{row.month:%Y-%m}", *(str(getattr(row, name)) for name in CHURN_COLUMNS[1:])])
            for row in months.rows]
    return _render(CHURN_COLUMNS, rows, options, existing, _month_key)


def render_costs_csv(ledgers: Sequence[CostLedger], options: FileOptions, existing: CsvTable | None) -> bytes:
    """Return costs.csv in the long form with a `source` column: the ledgers' rows, tagged, then every row they
    did not write, untouched and in its order (a hand-added row, another sheet's). An untagged row of a month
    and category the import writes is an older import's and is replaced."""
    tags = {ledger.tag for ledger in ledgers}
    ours = [((row.month, parse_cost_category_id(row.category)),
             [f"{row.month:%Y-%m}", row.category, f"{row.amount:f}", row.currency, ledger.tag])
            for ledger in ledgers for row in ledger.rows]
    written = {key for key, _ in ours}
    kept = [(key, cells) for key, cells, tag in _existing_costs(existing)
            if tag not in tags and not (not tag and key in written)]
    rows = sorted(ours, key=lambda item: item[0]) + kept  # the import's rows first; the others as they were
    extra = [i for i, name in enumerate(existing.keys) if name and name not in COSTS_COLUMNS
             and existing.has("category")] if existing else []
    notes = {_cost_key(existing, row): [row.cells[i] if i < len(row.cells) else "" for i in extra]
             for row in existing.rows} if existing is not None and extra else {}
    header = [options.columns.get(name, name) for name in COSTS_COLUMNS]
    body = [cells + notes.get(key, [""] * len(extra)) for key, cells in rows]
    return _encode([header + [existing.header[i] for i in extra] if existing else header, *body], options)


def _existing_costs(table: CsvTable | None) -> list[tuple[Hashable, list[str], str]]:
    """Return the rows of the existing costs.csv as (key, long-form cells, source tag); wide form is unpivoted."""
    if table is None:
        return []
    if table.has("category"):
        return [(_cost_key(table, row), [table.cell(row, name) for name in COSTS_COLUMNS[:-1]] +
                 [table.cell(row, "source")], table.cell(row, "source")) for row in table.rows]
    rows = []
    columns = [i for i, key in enumerate(table.keys) if key and key not in ("month", "currency")]
    for row in table.rows:
        month = _month_key(table, row)
        for i in (i for i in columns if i < len(row.cells) and row.cells[i]):
            key = (*month, parse_cost_category_id(table.header[i])) if month else None
            rows.append((key, [table.cell(row, "month"), table.header[i], row.cells[i], table.cell(row, "currency"),
                               ""], ""))
    return rows


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _month_key(table: CsvTable, row: CsvRow) -> Hashable:
    try:
        return (parse_month(table.cell(row, "month")),)
    except ValueError:
        return None


def _cost_key(table: CsvTable, row: CsvRow) -> Hashable:
    month = _month_key(table, row)
    return (*month, parse_cost_category_id(table.cell(row, "category"))) if month else None


def _render(owned: Sequence[str], rows: Sequence[tuple[Hashable, list[str]]], options: FileOptions,
            existing: CsvTable | None, key: RowKey) -> bytes:
    """Write the header (with renames), our rows and the existing file's other columns, in the file's encoding."""
    extra = [i for i, name in enumerate(existing.keys) if name and name not in owned] if existing else []
    kept: dict[Hashable, list[str]] = {}
    if existing is not None and extra:
        for row in existing.rows:
            kept.setdefault(key(existing, row), [row.cells[i] if i < len(row.cells) else "" for i in extra])
    header = [options.columns.get(name, name) for name in owned]
    return _encode([header + [existing.header[i] for i in extra] if existing else header,
                    *(cells + kept.get(row_key, [""] * len(extra)) for row_key, cells in rows)], options)


def _encode(rows: Iterable[Sequence[str]], options: FileOptions) -> bytes:
    """Write the rows as CSV in the file's encoding (site.yaml's), refusing text it cannot hold."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    codec = "utf-8" if options.encoding.replace("_", "-").lower() in ("utf-8", "utf8") else options.encoding
    try:
        return buffer.getvalue().encode(codec)
    except UnicodeEncodeError as exc:
        raise MetricsError(f"the file is read as {options.encoding} (site.yaml), which cannot hold "
                           f"{exc.object[exc.start:exc.end]!r}", None, None, None,
                           "set its 'encoding: utf-8' under metrics.files in site.yaml") from None

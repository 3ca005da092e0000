"""The files an import writes: mrr.csv, churn.csv or costs.csv as bytes, aggregates only.

Headers follow site.yaml's `columns:` renames and the file's `encoding`, so the metrics engine
reads the new file exactly as it read the old one. Columns the import does not own (a `notes`
column, say) are carried over from the existing file, matched by month (costs: month and category).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal

from generator.config.metrics import FileOptions, parse_cost_category_id
from generator.errors import MetricsError
from generator.importers.movements import MonthTable
from generator.importers.pnl import CostLedger
from generator.metrics.read.csvfile import CsvRow, CsvTable, parse_month

MRR_COLUMNS = ("month", "mrr", "new", "expansion", "contraction", "churned", "reactivation")
CHURN_COLUMNS = ("month", "customers", "new_customers", "churned_customers", "reactivated_customers")
COSTS_COLUMNS = ("month", "category", "amount", "currency")

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


def render_costs_csv(ledger: CostLedger, options: FileOptions, existing: CsvTable | None) -> bytes:
    """Return costs.csv in the long form, one row per category and month, with the amount's currency."""
    rows = [((row.month, parse_cost_category_id(row.category)),
             [f"{row.month:%Y-%m}", row.category, f"{row.amount:f}", row.currency])
            for row in sorted(ledger.rows, key=lambda r: (r.month, parse_cost_category_id(r.category)))]
    return _render(COSTS_COLUMNS, rows, options, existing, _cost_key)


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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = [options.columns.get(name, name) for name in owned]
    writer.writerow(header + [existing.header[i] for i in extra] if existing else header)
    for row_key, cells in rows:
        writer.writerow(cells + kept.get(row_key, [""] * len(extra)))
    codec = "utf-8" if options.encoding.replace("_", "-").lower() in ("utf-8", "utf8") else options.encoding
    try:
        return buffer.getvalue().encode(codec)
    except UnicodeEncodeError as exc:
        raise MetricsError(f"the file is read as {options.encoding} (site.yaml), which cannot hold "
                           f"{exc.object[exc.start:exc.end]!r}", None, None, None,
                           "set its 'encoding: utf-8' under metrics.files in site.yaml") from None

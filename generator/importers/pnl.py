"""`opensite import pnl`: a profit-and-loss or cost sheet, categories in rows and months across.

This is how accounting tools and most founders' spreadsheets lay costs out (`Category, Jan 2024,
Feb 2024, …` or `科目, 2024年1月, …`). Subtotal and total rows and columns (`Total …`, `合计`,
`小计`) and income rows are skipped, so nothing is counted twice; what is left becomes costs.csv in the
long form, one row per category and month, with its currency. A row with amounts but no category is
skipped as a total only when each amount is the total of the cost rows above it (since the last total
row, or all of them); otherwise it is an error at its line (a merged cell in the sheet), like a column
with values but no month: dropping either would leave the months short of the sheet's own total
(issue 22).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.errors import Diagnostic, MetricsError
from generator.importers.records import ImportContext, RowReader, find_header, load_export
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.metrics.read.cellvalues import parse_number
from generator.metrics.read.csvfile import MONTH_HINT, CsvRow, CsvTable, parse_month

_TOTAL = re.compile(r"\b(sub)?totals?\b|^sum\b|^net (income|profit|loss|burn)\b|^gross (profit|margin)\b|"
                    r"^operating (income|profit)\b|^ebitda\b|合计|小计|总计|共计|总额|利润", re.IGNORECASE)
_INCOME = re.compile(r"^(revenue|sales|turnover)\b|^(other |interest )?income$|收入$|^营业额|^销售额", re.IGNORECASE)


@dataclass(frozen=True)
class CostRow:
    """One category in one month, as the sheet writes it (category label kept, amount in `currency`)."""

    month: date
    category: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class CostLedger:
    """A cost sheet read into long-form rows, plus what was skipped, for the summary."""

    path: Path
    rows: tuple[CostRow, ...]
    months: tuple[date, ...]
    currency: str
    skipped: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Rows left out, by reason: 'total or subtotal', 'income', 'heading'."""
    tag: str = "pnl"
    """What costs.csv's `source` column says for these rows: a re-import replaces exactly them."""
    title_lines: int = 0
    """Lines above the header (a title, the company, the unit), skipped."""


@import_source("pnl", writes=Writes.COSTS)
def read_pnl(request: SourceRequest) -> CostLedger:
    """Read the P&L sheet of an import request, tagging its rows with the entry's tag (default 'pnl')."""
    ledger = load_pnl_ledger(request.files[0], request.ctx, request.ctx.costs_currency or request.ctx.currency)
    return replace(ledger, tag=request.entry.tag or "pnl")


def load_pnl_ledger(path: Path, ctx: ImportContext, currency: str) -> CostLedger:
    """Read a categories × months sheet in `currency`; raise MetricsError listing every problem.

    Title lines above the header (a company name, "单位：元") are skipped: the header is the first of the
    first 30 lines with a month after its first cell.
    """
    skip = find_header(path, ctx.encoding, _names_months)
    table = load_export(path, ctx, skip=skip)
    months = _month_columns(table)
    reader = RowReader(table, ctx, "costs")
    reader.currency = currency
    rows: list[CostRow] = []
    skipped: Counter[str] = Counter()
    since_total: Counter[date] = Counter()
    for row in table.rows:
        if not (row.cells[0].strip() if row.cells else "") and _has_amounts(row, months):
            if not _sums_rows_above(row, months, (since_total, _by_month(rows)), ctx.decimal_comma):
                reader.report(row, table.keys[0], "this row has amounts but no category (a merged cell in the "
                              "sheet?), and they are not the total of the rows above",
                              "write the category in its first cell; label a total row 'Total' or '合计'")
                continue
        reason = _skip_reason(table, row, months)
        if reason:
            skipped[reason] += 1
            since_total = Counter() if reason == "total or subtotal" else since_total
            continue
        added = _cost_rows(reader, row, months, currency)
        since_total.update(_by_month(added))
        rows += added
    reader.raise_problems()
    if not rows:
        raise MetricsError("the sheet has no cost rows", path, table.header_line, None,
                           "put one category per row and one month per column; totals and income rows are skipped")
    return CostLedger(path, tuple(rows), tuple(sorted(months.values())), currency,
                      MappingProxyType(dict(sorted(skipped.items()))), title_lines=table.header_line - 1)


def _names_months(cells: Sequence[str]) -> int:
    """Return 1 for a header line (a month in some cell after the first), else 0."""
    for text in cells[1:]:
        try:
            parse_month(text)
        except ValueError:
            continue
        return 1
    return 0


def _month_columns(table: CsvTable) -> dict[int, date]:
    """Return column position to month for every month header; a header that is neither month nor total is an error."""
    months: dict[int, date] = {}
    problems: list[Diagnostic] = []
    for position, text in enumerate(table.header[1:], 1):
        if not text.strip() and any(position < len(row.cells) and row.cells[position].strip() for row in table.rows):
            problems.append(Diagnostic(f"column {position + 1} has values but no month in the header (a merged "
                                       "header cell?)", table.path, table.header_line, None,
                                       "write the month above the column, e.g. 2024-03 or 2024年3月"))
            continue
        if not text or _TOTAL.search(text) or text.casefold() in ("ytd", "全年", "年度", "notes", "备注"):
            continue
        try:
            month = parse_month(text)
        except ValueError as exc:
            problems.append(Diagnostic(f"column {position + 1} of the header, {text!r}, is not a month", table.path,
                                       table.header_line, None, f"{exc}; the first column holds the categories"))
            continue
        if month in months.values():
            problems.append(Diagnostic(f"{month:%Y-%m} is the header of two columns", table.path, table.header_line,
                                       None, "keep one column per month"))
        months[position] = month
    if not months and not problems:
        problems.append(Diagnostic("no month in the header", table.path, table.header_line, None,
                                   f"the sheet needs categories in rows and months across: 'Category, Jan 2024, "
                                   f"Feb 2024, …' ({MONTH_HINT}); title lines above such a header are skipped"))
    if problems:
        raise MetricsError(diagnostics=problems)
    return months


def _skip_reason(table: CsvTable, row: CsvRow, months: Mapping[int, date]) -> str:
    """Return why a row is not a cost row ('' when it is)."""
    category = row.cells[0] if row.cells else ""
    if not category or _TOTAL.search(category):
        return "total or subtotal"
    if _INCOME.search(category):
        return "income"
    if not any(position < len(row.cells) and row.cells[position] for position in months):
        return "heading"
    return ""


def _has_amounts(row: CsvRow, months: Mapping[int, date]) -> bool:
    return any(position < len(row.cells) and row.cells[position].strip() for position in months)


def _by_month(rows: list[CostRow]) -> Counter[date]:
    totals: Counter[date] = Counter()
    for row in rows:
        totals[row.month] += row.amount
    return totals


def _sums_rows_above(row: CsvRow, months: Mapping[int, date], totals: tuple[Counter[date], ...],
                     decimal_comma: bool) -> bool:
    """Return True when a row without a category holds, in every month, the total of the cost rows above it
    (since the last total row, or all of them): an unlabelled total row, skipped like a labelled one."""
    try:
        amounts = {month: parse_number(row.cells[position], decimal_comma=decimal_comma)
                   for position, month in months.items() if position < len(row.cells) and row.cells[position].strip()}
    except ValueError:
        return False
    return any(all(total[month] == amount for month, amount in amounts.items()) for total in totals)


def _cost_rows(reader: RowReader, row: CsvRow, months: Mapping[int, date], currency: str) -> list[CostRow]:
    rows = []
    key_of = reader.table.keys
    for position, month in months.items():
        if position >= len(row.cells) or not row.cells[position]:
            continue
        amount = reader.amount(row, key_of[position], required=True, currency=currency)
        if amount is not None:
            rows.append(CostRow(month, row.cells[0], amount, currency))
    return rows

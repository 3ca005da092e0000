"""metrics/costs.csv to a CostsFile: long or wide form, categories by id, currencies converted, totals refused."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.config.metrics import FileOptions, parse_cost_category_id
from generator.errors import Diagnostic
from generator.metrics.read.cells import (
    CellReader,
    check_row_currency,
    locator,
    require_columns,
    row_currency,
)
from generator.metrics.read.csvfile import CsvRow, CsvTable, load_csv
from generator.metrics.read.inputs import CostsFile
from generator.metrics.read.money import Converter, FxRates, FxUse


def load_costs_file(path: Path, options: FileOptions, decimal_comma: bool,
                    rates: FxRates | None = None) -> tuple[CostsFile | None, list[Diagnostic]]:
    """Read costs.csv in long form (month, category, amount[, currency]) or wide form (month, <category>, ...).

    With `rates`, amounts are checked against their currency and converted to the site currency.
    """
    table, problems = load_csv(path, "costs", options)
    if table is None:
        return None, problems
    header_problems = require_columns(table, "costs", ("month",)) + _costs_form_problems(table)
    if header_problems:
        return None, problems + header_problems
    cells = CellReader(table, decimal_comma, (options.currency or rates.currency) if rates else None)
    converter = Converter(rates, "costs") if rates else None
    totals: dict[date, dict[str, Decimal]] = {}
    labels: dict[str, str] = {}
    lines: dict[date, int] = {}
    entries = _long_entries(cells) if table.has("category") else _wide_entries(cells)
    for row, key, month, label, amount in entries:
        lines.setdefault(month, row.line)
        if converter is not None:
            amount = converter.to_site(amount, row_currency(cells, row), month, locator(table, row, key))
            if amount is None:
                continue
        category = parse_cost_category_id(label)
        labels.setdefault(category, label)
        totals.setdefault(month, {}).setdefault(category, Decimal(0))
        totals[month][category] += amount
    problems += cells.problems + (converter.problems if converter else []) + _sign_warning(table, totals)
    costs = _costs_file(path, labels, totals, converter.uses if converter else {})
    return replace(costs, lines=MappingProxyType(lines)), problems


_TOTALS = ("total", "totals", "sum", "total_costs", "grand_total", "subtotal", "sub_total", "subtotals",
           "合计", "小计", "总计", "合計", "小計", "總計", "summe", "gesamt", "zwischensumme", "somme", "sous_total")
"""Category ids (see parse_cost_category_id) that are sums of other rows, in the languages books are kept in."""


def _is_total(category_id: str) -> bool:
    """Return True for 'Total', 'Subtotal', '合计', 'Total payroll', 'Payroll subtotal' and the like."""
    return category_id in _TOTALS or category_id.startswith(("total_", "subtotal_")) or \
        category_id.endswith(("_total", "_subtotal", "_totals"))


_TOTAL_HINT = ("remove totals and subtotals: opensite adds the categories up itself, and a total would count "
               "every cost twice")


def _costs_form_problems(table: CsvTable) -> list[Diagnostic]:
    if table.has("category") != table.has("amount"):
        return require_columns(table, "costs", ("category", "amount"))
    if table.has("category"):
        return []
    if not _wide_columns(table):
        return [Diagnostic("no cost columns: write 'month,category,amount' (long form) or one column per "
                           "category after month (wide form)", table.path, table.header_line)]
    return [Diagnostic(f"column {table.header[i]!r} looks like a total", table.path, table.header_line, None,
                       _TOTAL_HINT) for i in _wide_columns(table) if _is_total(parse_cost_category_id(table.keys[i]))]


def _wide_columns(table: CsvTable) -> list[int]:
    return [i for i, key in enumerate(table.keys)
            if key and key not in ("month", "currency") and parse_cost_category_id(key)]


def _long_entries(cells: CellReader) -> Iterable[tuple[CsvRow, str, date, str, Decimal]]:
    for row in cells.table.rows:
        before = len(cells.problems)
        month = cells.month(row)
        currency = check_row_currency(cells, row)
        label = cells.table.cell(row, "category")
        if not parse_cost_category_id(label):
            cells.report(row, "category", f"{label!r} is not a category name" if label else "the category is blank",
                         "name the category, e.g. hosting")
        elif _is_total(parse_cost_category_id(label)):
            cells.report(row, "category", f"{label!r} looks like a total row", _TOTAL_HINT)
        amount = cells.amount(row, "amount", required=True, currency=currency)
        if len(cells.problems) == before:
            yield row, "amount", month, label, amount  # type: ignore[misc]


def _wide_entries(cells: CellReader) -> Iterable[tuple[CsvRow, str, date, str, Decimal]]:
    table = cells.table
    columns = _wide_columns(table)
    for row in table.rows:
        before = len(cells.problems)
        month = cells.month(row)
        currency = check_row_currency(cells, row)
        _reject_unnamed_cells(cells, row, columns)
        amounts = [(table.keys[i], table.header[i], cells.amount(row, table.keys[i], required=False,
                                                                 currency=currency)) for i in columns]
        if len(cells.problems) == before:
            yield from ((row, key, month, label, amount) for key, label, amount in amounts)  # type: ignore[misc]


def _reject_unnamed_cells(cells: CellReader, row: CsvRow, columns: list[int]) -> None:
    """A value under a blank header would be silently lost, so it is an error."""
    for position, text in enumerate(row.cells):
        if text and position not in columns and cells.table.keys[position] not in ("month", "currency"):
            cells.problems.append(Diagnostic(f"cell {position + 1} holds {text!r} but its column has no name",
                                             cells.table.path, row.line, None, "name the category in the header"))


def _sign_warning(table: CsvTable, totals: Mapping[date, Mapping[str, Decimal]]) -> list[Diagnostic]:
    """Ledgers often export spending as negative numbers; costs are read as spending when positive."""
    amounts = [a for month in totals.values() for a in month.values() if a]
    if amounts and all(a < 0 for a in amounts):
        return [Diagnostic("every cost amount is negative, so costs reduce net burn", table.path,
                           table.header_line, None, "write spending as positive amounts; only refunds are negative",
                           "warning")]
    return []


def _costs_file(path: Path, labels: Mapping[str, str], totals: Mapping[date, Mapping[str, Decimal]],
                fx: Mapping[tuple[str, date], FxUse]) -> CostsFile:
    categories = MappingProxyType(dict(sorted(labels.items())))
    amounts = {month: MappingProxyType({c: row.get(c, Decimal(0)) for c in categories})
               for month, row in sorted(totals.items())}
    return CostsFile(path, categories, MappingProxyType(amounts), MappingProxyType(dict(fx)))

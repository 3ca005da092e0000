"""metrics/revenue.csv: the revenue the accounts recognised each month, for the year pages (issue #13).

Optional: without it a year's revenue is the sum of its monthly MRR, labelled as such. With it,
one-off sales and annual plans count the way the books count them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.read.cells import (
    CellReader,
    locator,
    require_columns,
    row_currency,
    without_duplicate_months,
)
from generator.metrics.read.csvfile import load_csv
from generator.metrics.read.money import Converter, FxRates


class _Row:
    __slots__ = ("month", "line", "amount")

    def __init__(self, month: date, line: int, amount: Decimal) -> None:
        self.month, self.line, self.amount = month, line, amount


def load_revenue_file(path: Path, options: FileOptions, decimal_comma: bool,
                      rates: FxRates) -> tuple[Mapping[date, Decimal] | None, list[Diagnostic]]:
    """Read revenue.csv (month, revenue[, currency]) into the site currency, one value per month."""
    table, problems = load_csv(path, "revenue", options)
    if table is None:
        return None, problems
    header = require_columns(table, "revenue", ("month", "revenue"))
    if header:
        return None, problems + header
    cells = CellReader(table, decimal_comma, options.currency or rates.currency)
    converter = Converter(rates, "revenue")
    rows = []
    for row in table.rows:
        before = len(cells.problems)
        currency = row_currency(cells, row)
        month = cells.month(row)
        amount = cells.amount(row, "revenue", required=True, currency=currency)
        if len(cells.problems) == before:
            converted = converter.to_site(amount, currency, month, locator(table, row, "revenue"))  # type: ignore[arg-type]
            if converted is not None:
                rows.append(_Row(month, row.line, converted))  # type: ignore[arg-type]
    problems += cells.problems + converter.problems
    kept = without_duplicate_months(table, rows, problems)
    return MappingProxyType({row.month: row.amount for row in kept}), problems

"""Typed cells of one metrics CSV: months, amounts in their currency, counts, and the problems found.

Shared by the per-file loaders (inputs.py) and the importers, so a cell reads the same wherever
it comes from: the same number forms, the same currency check, the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from generator.config.metrics import is_currency_code
from generator.errors import Diagnostic, did_you_mean
from generator.metrics.read.csvfile import CsvRow, CsvTable, parse_month, parse_number
from generator.metrics.read.money import Locate, describe_mark, parse_currency_mark


class CellReader:
    """Reads typed cells of one table and collects what is wrong with them."""

    def __init__(self, table: CsvTable, decimal_comma: bool, currency: str | None = None,
                 stem: str | None = None) -> None:
        self.table = table
        self.decimal_comma = decimal_comma
        self.currency = currency
        """The file's currency, checked against symbols in the cells; None checks nothing."""
        self.stem = stem or table.path.stem.lower()
        """The metrics.files.<stem> entry of site.yaml that declares the file's currency."""
        self.problems: list[Diagnostic] = []

    def month(self, row: CsvRow) -> date | None:
        text = self.table.cell(row, "month")
        if not text:
            self.report(row, "month", "the month is blank", "every row needs its month, e.g. 2024-03")
            return None
        try:
            return parse_month(text)
        except ValueError as exc:
            self.report(row, "month", f"{_excerpt(text)!r} is not a month", str(exc))
            return None

    def amount(self, row: CsvRow, key: str, *, required: bool, non_negative: bool = False,
               currency: str | None = None) -> Decimal | None:
        """Return the cell as a Decimal; blank is 0 for optional columns and a problem for required ones.

        A currency symbol or code contradicting `currency` (default: the file's) is a problem too.
        """
        text = self.table.cell(row, key)
        if not text:
            if required:
                self.report(row, key, "the cell is blank", "write a number (0 if there was none)")
            return None if required else Decimal(0)
        try:
            value = parse_number(text, decimal_comma=self.decimal_comma)
        except ValueError as exc:
            self.report(row, key, f"{_excerpt(text)!r} is not a number", str(exc))
            return None
        if non_negative and value < 0:
            self.report(row, key, f"{text} is negative", f"{key} cannot be below 0")
            return None
        return value if self._currency_agrees(row, key, text, currency or self.currency) else None

    def _currency_agrees(self, row: CsvRow, key: str, text: str, currency: str | None) -> bool:
        if currency is None or (text[:1].isdigit() and text[-1:].isdigit()):
            return True  # most cells: no symbol to check
        meaning = parse_currency_mark(text)
        if not meaning or currency in meaning:
            return True
        per_row = self.table.has("currency") and bool(self.table.cell(row, "currency"))
        hint = (f"fix the amount, or the row's {self.table.written('currency')!r} cell" if per_row else
                f"declare the file's currency with 'currency: {sorted(meaning)[0]}' under metrics.files.{self.stem} "
                "in site.yaml, or give the row a currency column")
        self.report(row, key, f"{describe_mark(text, meaning)}, but the amounts of this "
                    f"{'row' if per_row else 'file'} are in {currency}", hint)
        return False

    def count(self, row: CsvRow, key: str, *, required: bool) -> int | None:
        value = self.amount(row, key, required=required, non_negative=True)
        if value is not None and value != value.to_integral_value():
            self.report(row, key, f"{self.table.cell(row, key)} is not a whole number",
                         "customers are counted in whole customers")
            return None
        return int(value) if value is not None else None

    def report(self, row: CsvRow, key: str, message: str, hint: str) -> None:
        """Record a problem in the cell of column `key`."""
        self.problems.append(self.table.problem(row.line, key, f"column {self.table.written(key)!r}: {message}", hint))


def require_columns(table: CsvTable, stem: str, required: Iterable[str]) -> list[Diagnostic]:
    """Report each required column the header lacks, with the closest header cell."""
    problems: list[Diagnostic] = []
    for key in required:
        if table.has(key):
            continue
        close = did_you_mean(key, [k for k in table.keys if k])
        hint = (close + " " if close else "") + (
            f"the header has: {', '.join(repr(h) for h in table.header if h)}; name it {key!r}, or map it "
            f"with 'columns: {{{key}: \"<your header>\"}}' under metrics.files.{stem} in site.yaml")
        problems.append(Diagnostic(f"missing column {key!r}", table.path, table.header_line, None, hint))
    return problems


def without_duplicate_months(table: CsvTable, rows: Sequence, problems: list[Diagnostic]) -> list:
    """Keep the first row of each month; report every later one with both line numbers."""
    first_line: dict[date, int] = {}
    kept = []
    for row in rows:
        if row.month in first_line:
            problems.append(table.problem(row.line, "month",
                                          f"month {row.month:%Y-%m} appears twice: lines {first_line[row.month]} "
                                          f"and {row.line}", "keep one row per month"))
            continue
        first_line[row.month] = row.line
        kept.append(row)
    return sorted(kept, key=lambda r: r.month)


def locator(table: CsvTable, row: CsvRow, key: str) -> Locate:
    """Return how to report a problem at one cell (for the currency converter)."""
    return lambda message, hint: table.problem(row.line, key, message, hint)


def row_currency(cells: CellReader, row: CsvRow) -> str:
    """Return the row's `currency` cell when the file has that column and the cell is filled, else the file's."""
    return cells.table.cell(row, "currency").upper() or cells.currency or ""


def check_row_currency(cells: CellReader, row: CsvRow) -> str | None:
    """Return the row's currency; an unknown code is a problem (None)."""
    code = row_currency(cells, row)
    if cells.currency is None or is_currency_code(code):
        return code
    cells.report(row, "currency", f"{cells.table.cell(row, 'currency')!r} is not a currency code",
                 "write an ISO 4217 code such as USD, EUR or CNY, or leave it blank for the file's currency")
    return None


def _excerpt(text: str) -> str:
    """Return a cell as a message shows it: a 10,000-character cell is not repeated in full."""
    return text if len(text) <= 60 else text[:57] + "..."

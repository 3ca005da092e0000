"""Per-file loaders: metrics/mrr.csv, churn.csv, costs.csv and cash.csv to typed, validated rows.

Each loader returns its file (None when nothing usable is left) and every problem it found, and
never raises: `load_metrics` gathers the problems of all files before deciding to stop. A row
with a bad cell is dropped after its problem is recorded, so one typo is reported once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.read.cells import (
    CellReader,
    check_row_currency,
    locator,
    require_columns,
    without_duplicate_months,
)
from generator.metrics.read.csvfile import CsvRow, CsvTable, load_csv
from generator.metrics.read.money import Converter, FxRates, FxUse

MOVEMENTS = ("new", "expansion", "contraction", "churned")
"""MRR movement columns that must come together (reactivation is optional with them)."""


@dataclass(frozen=True)
class MrrRow:
    """One month of mrr.csv; movements are magnitudes, None when the file has no movement columns."""

    month: date
    line: int
    mrr: Decimal
    new: Decimal | None = None
    expansion: Decimal | None = None
    contraction: Decimal | None = None
    churned: Decimal | None = None
    reactivation: Decimal | None = None


@dataclass(frozen=True)
class MrrFile:
    path: Path
    rows: tuple[MrrRow, ...]
    has_movements: bool


@dataclass(frozen=True)
class ChurnRow:
    """One month of churn.csv: paying customers at month end and the month's moves."""

    month: date
    line: int
    customers: int
    new_customers: int
    churned_customers: int
    reactivated_customers: int = 0


@dataclass(frozen=True)
class ChurnFile:
    path: Path
    rows: tuple[ChurnRow, ...]


@dataclass(frozen=True)
class CostsFile:
    """costs.csv in either form, summed per month and category."""

    path: Path
    categories: Mapping[str, str]
    """Category id ('cloud_hosting') to its label as first written ('Cloud hosting'), sorted by id."""
    amounts: Mapping[date, Mapping[str, Decimal]]
    """Month to category id to the month's total; a month is present when it has any cost row."""
    fx: Mapping[tuple[str, date], FxUse] = field(default_factory=lambda: MappingProxyType({}))
    """The rates that converted its amounts to the site currency."""
    lines: Mapping[date, int] = field(default_factory=lambda: MappingProxyType({}))
    """The first line of each month's rows, for diagnostics about a month."""


@dataclass(frozen=True)
class CashRow:
    month: date
    line: int
    balance: Decimal


@dataclass(frozen=True)
class CashFile:
    path: Path
    rows: tuple[CashRow, ...]
    """One row per month: the balances of every account, in the site currency."""
    fx: Mapping[tuple[str, date], FxUse] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class MetricInputs:
    """The parsed input files of one site; only mrr.csv is required."""

    mrr: MrrFile
    churn: ChurnFile | None = None
    costs: CostsFile | None = None
    cash: CashFile | None = None


def _magnitudes(table: CsvTable, rows: list, keys: Sequence[str], problems: list[Diagnostic]) -> list:
    """Read lost amounts as magnitudes, whichever sign the file uses; a column mixing signs is an error."""
    for key in keys:
        signed = [(row, getattr(row, key)) for row in rows if getattr(row, key)]
        if not signed:
            continue
        first_row, first_value = signed[0]
        for row, value in signed[1:]:
            if (value < 0) != (first_value < 0):
                problems.append(table.problem(
                    row.line, key, f"column {table.written(key)!r} mixes signs: {value} here but "
                    f"{first_value} on line {first_row.line}",
                    f"write every {key} amount with the same sign; either way it is read as an amount lost"))
                break
    return [replace(row, **{key: abs(getattr(row, key)) for key in keys if getattr(row, key) is not None})
            for row in rows]


# mrr.csv -----------------------------------------------------------------------------------------

def load_mrr_file(path: Path, options: FileOptions, decimal_comma: bool,
                  rates: FxRates | None = None) -> tuple[MrrFile | None, list[Diagnostic]]:
    """Read mrr.csv: month, mrr and optionally the four movement columns (plus reactivation).

    With `rates`, a currency symbol contradicting the file's currency is a problem; amounts stay in
    the file's currency so the bridge is checked as written (loader.convert_mrr_file converts them).
    """
    table, problems = load_csv(path, "mrr", options)
    if table is None:
        return None, problems
    header_problems = require_columns(table, "mrr", ("month", "mrr")) + _movement_problems(table)
    if header_problems:
        return None, problems + header_problems
    movements = table.has("new")
    cells = CellReader(table, decimal_comma, (options.currency or rates.currency) if rates else None)
    rows = [row for row in (_mrr_row(cells, r, movements) for r in table.rows) if row is not None]
    problems += cells.problems
    rows = _magnitudes(table, rows, ("contraction", "churned"), problems)
    rows = without_duplicate_months(table, rows, problems)
    return MrrFile(path, tuple(rows), movements), problems


def _movement_problems(table: CsvTable) -> list[Diagnostic]:
    present = [key for key in MOVEMENTS if table.has(key)]
    if (not present and not table.has("reactivation")) or len(present) == len(MOVEMENTS):
        return []
    missing = [key for key in MOVEMENTS if key not in present]
    return [Diagnostic(
        f"movement columns come all four or none: found {', '.join(present + ['reactivation'] * table.has('reactivation'))}"
        f"; missing {', '.join(missing)}", table.path, table.header_line, None,
        "add the missing columns (0 where there was none), or remove the movement columns to publish MRR alone")]


def _mrr_row(cells: CellReader, row: CsvRow, movements: bool) -> MrrRow | None:
    before = len(cells.problems)
    month = cells.month(row)
    mrr = cells.amount(row, "mrr", required=True, non_negative=True)
    moves: dict[str, Decimal | None] = {}
    if movements:
        for key in ("new", "expansion", "reactivation"):
            moves[key] = cells.amount(row, key, required=False, non_negative=True)
        for key in ("contraction", "churned"):
            moves[key] = cells.amount(row, key, required=False)
    if len(cells.problems) > before or month is None or mrr is None:
        return None
    return MrrRow(month, row.line, mrr, **moves)


# churn.csv ---------------------------------------------------------------------------------------

def load_churn_file(path: Path, options: FileOptions,
                    decimal_comma: bool) -> tuple[ChurnFile | None, list[Diagnostic]]:
    """Read churn.csv: month, customers, new_customers, churned_customers, optional reactivated_customers."""
    table, problems = load_csv(path, "churn", options)
    if table is None:
        return None, problems
    header_problems = require_columns(table, "churn", ("month", "customers", "new_customers", "churned_customers"))
    if header_problems:
        return None, problems + header_problems
    cells = CellReader(table, decimal_comma)
    rows = [row for row in (_churn_row(cells, r) for r in table.rows) if row is not None]
    problems += cells.problems
    rows = _magnitudes(table, rows, ("churned_customers",), problems)
    problems += [_negative_start(table, row) for row in rows if _start_of_month(row) < 0]
    rows = without_duplicate_months(table, rows, problems)
    return ChurnFile(path, tuple(rows)), problems


def _churn_row(cells: CellReader, row: CsvRow) -> ChurnRow | None:
    before = len(cells.problems)
    month = cells.month(row)
    customers = cells.count(row, "customers", required=True)
    new = cells.count(row, "new_customers", required=True)
    churned = cells.amount(row, "churned_customers", required=True)  # sign checked per column
    if churned is not None and churned != churned.to_integral_value():
        cells.report(row, "churned_customers", f"{churned} is not a whole number", "customers are counted whole")
    reactivated = cells.count(row, "reactivated_customers", required=False)
    if len(cells.problems) > before:
        return None
    return ChurnRow(month, row.line, customers, new, int(churned), reactivated)  # type: ignore[arg-type]


def _start_of_month(row: ChurnRow) -> int:
    """Return the customers the row implies at the start of its month (the churn rate's denominator)."""
    return row.customers - row.new_customers - row.reactivated_customers + row.churned_customers


def _negative_start(table: CsvTable, row: ChurnRow) -> Diagnostic:
    return table.problem(
        row.line, None,
        f"{row.customers} customers - {row.new_customers} new - {row.reactivated_customers} reactivated + "
        f"{row.churned_customers} churned leaves {_start_of_month(row)} customers at the start of {row.month:%Y-%m}",
        "customers is the count at month end; new_customers counts only those who started paying this month")


# cash.csv ----------------------------------------------------------------------------------------

def load_cash_file(path: Path, options: FileOptions, decimal_comma: bool,
                   rates: FxRates | None = None) -> tuple[CashFile | None, list[Diagnostic]]:
    """Read cash.csv: month and balance (cash at month end; may be negative), optionally per account and currency.

    Several accounts (an `account` column, or rows in several currencies) add up, in the site currency.
    """
    table, problems = load_csv(path, "cash", options)
    if table is None:
        return None, problems
    header_problems = require_columns(table, "cash", ("month", "balance"))
    if header_problems:
        return None, problems + header_problems
    cells = CellReader(table, decimal_comma, (options.currency or rates.currency) if rates else None)
    converter = Converter(rates, "cash") if rates else None
    rows = []
    for row in table.rows:
        before = len(cells.problems)
        month, currency = cells.month(row), check_row_currency(cells, row)
        balance = cells.amount(row, "balance", required=True, currency=currency)
        if len(cells.problems) == before and converter is not None:
            balance = converter.to_site(balance, currency, month,  # type: ignore[arg-type]
                                        locator(table, row, "balance"))
        if len(cells.problems) == before and balance is not None:
            rows.append((CashRow(month, row.line, balance), table.cell(row, "account"), currency))  # type: ignore[arg-type]
    problems += cells.problems + (converter.problems if converter else [])
    return CashFile(path, _cash_by_month(table, rows, problems),
                    MappingProxyType(dict(converter.uses if converter else {}))), problems


def _cash_by_month(table: CsvTable, rows: Sequence[tuple[CashRow, str, str | None]],
                   problems: list[Diagnostic]) -> tuple[CashRow, ...]:
    """Sum the accounts of each month; the same account and currency twice in a month is an error."""
    if not table.has("account") and not table.has("currency"):
        return tuple(without_duplicate_months(table, [row for row, _, _ in rows], problems))
    first_line: dict[tuple[date, str, str | None], int] = {}
    totals: dict[date, CashRow] = {}
    for row, account, currency in rows:
        key = (row.month, account, currency)
        if key in first_line:
            shown = f"account {account!r}" if account else "the balance"
            problems.append(table.problem(row.line, "month", f"{shown} in {currency or 'the file currency'} appears "
                                          f"twice in {row.month:%Y-%m}: lines {first_line[key]} and {row.line}",
                                          "keep one balance per account, currency and month"))
            continue
        first_line[key] = row.line
        total = totals.get(row.month)
        totals[row.month] = row if total is None else replace(total, balance=total.balance + row.balance)
    return tuple(totals[month] for month in sorted(totals))

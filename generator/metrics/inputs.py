"""Per-file loaders: metrics/mrr.csv, churn.csv, costs.csv and cash.csv to typed, validated rows.

Each loader returns its file (None when nothing usable is left) and every problem it found, and
never raises: `load_metrics` gathers the problems of all files before deciding to stop. A row
with a bad cell is dropped after its problem is recorded, so one typo is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic, did_you_mean
from generator.metrics.csvfile import CsvRow, CsvTable, load_csv, parse_month, parse_number

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


@dataclass(frozen=True)
class MetricInputs:
    """The parsed input files of one site; only mrr.csv is required."""

    mrr: MrrFile
    churn: ChurnFile | None = None
    costs: CostsFile | None = None
    cash: CashFile | None = None


class _Cells:
    """Reads typed cells of one table and collects what is wrong with them."""

    def __init__(self, table: CsvTable, decimal_comma: bool) -> None:
        self.table = table
        self.decimal_comma = decimal_comma
        self.problems: list[Diagnostic] = []

    def month(self, row: CsvRow) -> date | None:
        text = self.table.cell(row, "month")
        if not text:
            self.report(row, "month", "the month is blank", "every row needs its month, e.g. 2024-03")
            return None
        try:
            return parse_month(text)
        except ValueError as exc:
            self.report(row, "month", f"{text!r} is not a month", str(exc))
            return None

    def amount(self, row: CsvRow, key: str, *, required: bool, non_negative: bool = False) -> Decimal | None:
        """Return the cell as a Decimal; blank is 0 for optional columns and a problem for required ones."""
        text = self.table.cell(row, key)
        if not text:
            if required:
                self.report(row, key, "the cell is blank", "write a number (0 if there was none)")
            return None if required else Decimal(0)
        try:
            value = parse_number(text, decimal_comma=self.decimal_comma)
        except ValueError as exc:
            self.report(row, key, f"{text!r} is not a number", str(exc))
            return None
        if non_negative and value < 0:
            self.report(row, key, f"{text} is negative", f"{key} cannot be below 0")
            return None
        return value

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


def _require_columns(table: CsvTable, stem: str, required: Iterable[str]) -> list[Diagnostic]:
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


def _without_duplicate_months(table: CsvTable, rows: Sequence, problems: list[Diagnostic]) -> list:
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

def load_mrr_file(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[MrrFile | None, list[Diagnostic]]:
    """Read mrr.csv: month, mrr and optionally the four movement columns (plus reactivation)."""
    table, problems = load_csv(path, "mrr", options)
    if table is None:
        return None, problems
    header_problems = _require_columns(table, "mrr", ("month", "mrr")) + _movement_problems(table)
    if header_problems:
        return None, problems + header_problems
    movements = table.has("new")
    cells = _Cells(table, decimal_comma)
    rows = [row for row in (_mrr_row(cells, r, movements) for r in table.rows) if row is not None]
    problems += cells.problems
    rows = _magnitudes(table, rows, ("contraction", "churned"), problems)
    rows = _without_duplicate_months(table, rows, problems)
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


def _mrr_row(cells: _Cells, row: CsvRow, movements: bool) -> MrrRow | None:
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
    header_problems = _require_columns(table, "churn", ("month", "customers", "new_customers", "churned_customers"))
    if header_problems:
        return None, problems + header_problems
    cells = _Cells(table, decimal_comma)
    rows = [row for row in (_churn_row(cells, r) for r in table.rows) if row is not None]
    problems += cells.problems
    rows = _magnitudes(table, rows, ("churned_customers",), problems)
    problems += [_negative_start(table, row) for row in rows if _start_of_month(row) < 0]
    rows = _without_duplicate_months(table, rows, problems)
    return ChurnFile(path, tuple(rows)), problems


def _churn_row(cells: _Cells, row: CsvRow) -> ChurnRow | None:
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

def load_cash_file(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[CashFile | None, list[Diagnostic]]:
    """Read cash.csv: month and balance (cash at month end; may be negative)."""
    table, problems = load_csv(path, "cash", options)
    if table is None:
        return None, problems
    header_problems = _require_columns(table, "cash", ("month", "balance"))
    if header_problems:
        return None, problems + header_problems
    cells = _Cells(table, decimal_comma)
    rows = []
    for row in table.rows:
        before = len(cells.problems)
        month, balance = cells.month(row), cells.amount(row, "balance", required=True)
        if len(cells.problems) == before:
            rows.append(CashRow(month, row.line, balance))  # type: ignore[arg-type]
    problems += cells.problems
    return CashFile(path, tuple(_without_duplicate_months(table, rows, problems))), problems

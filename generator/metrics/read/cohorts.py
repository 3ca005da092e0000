"""metrics/cohorts.csv (written by every import): retention cohorts, read and checked.

Each row is one cohort (the month its customers first paid at a month end) at one age in months:
`cohort, age, customers, mrr` — aggregates only. What of it may be published is decided in
generator/metrics/publish/cohorts.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.read.cells import CellReader, require_columns
from generator.metrics.read.csvfile import CsvRow, load_csv, parse_month

COHORT_COLUMNS = ("cohort", "age", "customers", "mrr")
"""The columns of cohorts.csv, as imports write them and builds read them."""


@dataclass(frozen=True)
class CohortCell:
    """One cohort at one age: customers paying at that month's end, and their MRR (site currency)."""

    cohort: date
    age: int
    customers: int
    mrr: Decimal
    line: int = field(default=0, compare=False)
    """Its line in cohorts.csv (0: computed by an import, not read)."""


def load_cohorts_file(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[tuple[CohortCell, ...],
                                                                                     list[Diagnostic]]:
    """Read metrics/cohorts.csv; return its cells (oldest cohort, youngest age first) and every problem."""
    table, problems = load_csv(path, "cohorts", options)
    if table is None:
        return (), problems
    header = require_columns(table, "cohorts", COHORT_COLUMNS)
    if header:
        return (), problems + header
    reader = _CohortReader(table, decimal_comma)
    cells = [cell for row in table.rows if (cell := reader.cell(row)) is not None]
    problems += reader.problems + _check(cells, table.path)
    return tuple(sorted(cells, key=lambda c: (c.cohort, c.age))), problems


class _CohortReader(CellReader):
    """Reads cohorts.csv's cells: the cohort column with the month rules, the rest as counts and amounts."""

    def cell(self, row: CsvRow) -> CohortCell | None:
        before = len(self.problems)
        cohort = self._cohort(row)
        age = self.count(row, "age", required=True)
        customers = self.count(row, "customers", required=True)
        mrr = self.amount(row, "mrr", required=True, non_negative=True)
        if len(self.problems) > before or cohort is None or age is None or customers is None or mrr is None:
            return None
        return CohortCell(cohort, age, customers, mrr, row.line)

    def _cohort(self, row: CsvRow) -> date | None:
        text = self.table.cell(row, "cohort")
        try:
            return parse_month(text)
        except ValueError as exc:
            self.report(row, "cohort", f"{text!r} is not a month" if text else "the cohort month is blank", str(exc))
            return None


def _check(cells: Sequence[CohortCell], path: Path) -> list[Diagnostic]:
    """Each cohort needs age 0, each (cohort, age) once, and no age with more customers than the cohort has."""
    problems: list[Diagnostic] = []
    seen: dict[tuple[date, int], int] = {}
    sizes = {cell.cohort: cell.customers for cell in cells if cell.age == 0}
    for cell in cells:
        if (cell.cohort, cell.age) in seen:
            problems.append(Diagnostic(f"cohort {cell.cohort:%Y-%m} at age {cell.age} appears twice: lines "
                                       f"{seen[(cell.cohort, cell.age)]} and {cell.line}", path, cell.line, None,
                                       "keep one row per cohort and age (opensite import writes the file whole)"))
        seen.setdefault((cell.cohort, cell.age), cell.line)
        if cell.cohort not in sizes:
            problems.append(Diagnostic(f"cohort {cell.cohort:%Y-%m} has no age 0 row", path, cell.line, None,
                                       "age 0 is the cohort's size: re-run opensite import"))
            sizes[cell.cohort] = cell.customers
        elif cell.customers > sizes[cell.cohort]:
            problems.append(Diagnostic(f"cohort {cell.cohort:%Y-%m} has {cell.customers} customers at age {cell.age}"
                                       f" but {sizes[cell.cohort]} at age 0", path, cell.line, None,
                                       "a cohort never gains customers: re-run opensite import"))
    return problems



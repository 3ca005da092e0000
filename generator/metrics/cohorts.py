"""metrics/cohorts.csv (written by every import): retention cohorts, read, checked, and cut to what may be published.

Each row is one cohort (the month its customers first paid at a month end) at one age in months:
`cohort, age, customers, mrr` — aggregates only. Publishing merges a cohort of fewer customers than
`metrics.cohorts.min_customers` (default 5) with the cohorts after it until the group is large enough,
and withholds the newest customers while they are too few, so no single customer can be followed from
month to month. A cell where fewer than that many customers still pay shows their count but no revenue
(their MRR would be one customer's). Nothing absolute about money is ever published: revenue retention
is a ratio, and it follows `nrr`'s publishing rule; logo retention follows `customer_churn_rate`'s; the
cohorts' sizes follow `customers`' (shown only when exact).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.cells import CellReader, require_columns
from generator.metrics.csvfile import CsvRow, load_csv, parse_month
from generator.metrics.series import add_months

DEFAULT_MIN_CUSTOMERS = 5


@dataclass(frozen=True)
class CohortCell:
    """One cohort at one age: customers paying at that month's end, and their MRR (site currency)."""

    cohort: date
    age: int
    customers: int
    mrr: Decimal
    line: int = 0


@dataclass(frozen=True)
class GroupAge:
    """A published group at one age: customers still paying, their MRR (None: withheld), the month it measures."""

    age: int
    customers: int
    mrr: Decimal | None
    observed: date
    """The latest calendar month among the group's cohorts at this age (a cell is shown once it has closed)."""


@dataclass(frozen=True)
class CohortGroup:
    """One published row of the triangle: a cohort, or consecutive small cohorts merged."""

    first: date
    last: date
    size: int
    """Customers at age 0."""
    start_mrr: Decimal
    ages: tuple[GroupAge, ...]

    @property
    def merged(self) -> bool:
        return self.first != self.last


@dataclass(frozen=True)
class Cohorts:
    """What the site may publish of cohorts.csv."""

    groups: tuple[CohortGroup, ...]
    min_customers: int = DEFAULT_MIN_CUSTOMERS
    withheld: int = 0
    """Customers of the newest cohorts, fewer than `min_customers` together: not shown until more join them."""
    logo: bool = True
    """Whether logo retention is published (customer_churn_rate's rule)."""
    revenue: bool = True
    """Whether revenue retention is published (nrr's rule)."""
    sizes: bool = True
    """Whether the cohorts' sizes are published (customers', exact only)."""


def load_cohorts_file(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[tuple[CohortCell, ...],
                                                                                     list[Diagnostic]]:
    """Read metrics/cohorts.csv; return its cells (oldest cohort, youngest age first) and every problem."""
    table, problems = load_csv(path, "cohorts", options)
    if table is None:
        return (), problems
    header = require_columns(table, "cohorts", ("cohort", "age", "customers", "mrr"))
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


def publish_cohorts(cells: Iterable[CohortCell], min_customers: int = DEFAULT_MIN_CUSTOMERS, *, logo: bool = True,
                    revenue: bool = True, sizes: bool = True) -> Cohorts:
    """Return the cohorts the site may publish: small cohorts merged forward, the newest too-few withheld."""
    by_cohort: dict[date, dict[int, CohortCell]] = {}
    for cell in cells:
        by_cohort.setdefault(cell.cohort, {})[cell.age] = cell
    groups: list[CohortGroup] = []
    pending: list[date] = []
    for cohort in sorted(by_cohort):
        pending.append(cohort)
        if sum(by_cohort[c][0].customers for c in pending if 0 in by_cohort[c]) >= min_customers:
            groups.append(_group([by_cohort[c] for c in pending], pending, min_customers))
            pending = []
    withheld = sum(by_cohort[c][0].customers for c in pending if 0 in by_cohort[c])
    return Cohorts(tuple(groups), min_customers, withheld, logo, revenue, sizes)


def _group(members: Sequence[dict[int, CohortCell]], cohorts: Sequence[date], min_customers: int) -> CohortGroup:
    """Return consecutive cohorts as one row: at each age every member has reached, their sums."""
    reached = min(max(cells) for cells in members)
    ages = []
    for age in range(reached + 1):
        found = [cells[age] for cells in members if age in cells]
        if len(found) < len(members):
            break
        customers = sum(cell.customers for cell in found)
        mrr = sum((cell.mrr for cell in found), Decimal(0)) if customers >= min_customers or customers == 0 else None
        ages.append(GroupAge(age, customers, mrr, add_months(cohorts[-1], age)))
    start = ages[0] if ages else GroupAge(0, 0, Decimal(0), cohorts[-1])
    return CohortGroup(cohorts[0], cohorts[-1], start.customers, start.mrr or Decimal(0), tuple(ages))

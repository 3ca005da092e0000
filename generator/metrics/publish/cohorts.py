"""Retention cohorts cut to what may be published.

Publishing merges a cohort of fewer customers than `metrics.cohorts.min_customers` (default 5) with the
cohorts after it until the group is large enough, and withholds the newest customers while they are too
few, so no single customer can be followed from month to month. A cell where fewer than that many
customers still pay shows their count but no revenue (their MRR would be one customer's). Nothing
absolute about money is ever published: revenue retention is a ratio, and it follows `nrr`'s publishing
rule; logo retention follows `customer_churn_rate`'s; the cohorts' sizes follow `customers`' (shown only
when exact).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.metrics.read.cohorts import CohortCell
from generator.metrics.series import add_months

DEFAULT_MIN_CUSTOMERS = 5


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

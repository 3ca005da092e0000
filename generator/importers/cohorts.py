"""Retention cohorts from an import: per first paid month and age, the customers still paying and their MRR.

A customer's **cohort** is the first month at whose end they pay (the month-end snapshots of
movements.py, so a cohort and mrr.csv count the same customers); **age** n is the n-th month after
it. For each cohort and age the table holds how many of the cohort's customers pay at that month's
end and their MRR — aggregates only: cohorts.csv never holds a customer, and the dashboard merges or
hides cohorts too small to publish (generator/metrics/publish/cohorts.py). Age 0 is the cohort's size and
starting MRR, so `customers[n] / customers[0]` is logo retention and `mrr[n] / mrr[0]` revenue
retention (which counts expansion, so it may pass 100 %).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from generator.importers.movements import ZERO, Steps
from generator.metrics.read.cohorts import COHORT_COLUMNS, CohortCell
from generator.metrics.series import add_months


class CohortTotals:
    """Counts cohorts customer by customer as movements.compute_months sees them (its `observe`), then by age.

    Each customer's month-end changes are added once, as differences by age (a difference array per
    cohort), so a 100,000-customer import never holds every customer's history.
    """

    def __init__(self) -> None:
        self._paying: dict[int, dict[int, int]] = {}
        self._money: dict[int, dict[int, Decimal]] = {}

    def add(self, steps: Steps) -> None:
        """Add one customer: their cohort is the first month they pay at its end."""
        cohort = next((index for index, after in steps if after > 0), None)
        if cohort is None:
            return
        people = self._paying.setdefault(cohort, {})
        amounts = self._money.setdefault(cohort, {})
        before = ZERO
        for index, after in steps:
            if index >= cohort:
                age = index - cohort
                people[age] = people.get(age, 0) + (after > 0) - (before > 0)
                amounts[age] = amounts.get(age, ZERO) + after - before
            before = after

    def cells(self, months: Sequence[date]) -> tuple[CohortCell, ...]:
        """Return every cohort at every age up to the last month, oldest cohort first."""
        cells = []
        for cohort in sorted(self._paying):
            customers, mrr = 0, ZERO
            for age in range(len(months) - cohort):
                customers += self._paying[cohort].get(age, 0)
                mrr += self._money[cohort].get(age, ZERO)
                cells.append(CohortCell(months[cohort], age, customers, mrr))
        return tuple(cells)


def render_cohorts_csv(cells: tuple[CohortCell, ...]) -> bytes:
    """Return cohorts.csv: cohort month, age in months, customers paying, their MRR to the cent."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COHORT_COLUMNS)
    for cell in cells:
        writer.writerow((f"{cell.cohort:%Y-%m}", cell.age, cell.customers, f"{cell.mrr:.2f}"))
    return buffer.getvalue().encode("utf-8")


def observed_month(cell: CohortCell) -> date:
    """Return the calendar month a cell measures: its cohort month plus its age."""
    return add_months(cell.cohort, cell.age)

"""Retention cohorts from an import: per first paid month and age, the customers still paying and their MRR.

A customer's **cohort** is the first month at whose end they pay (the month-end snapshots of
movements.py, so a cohort and mrr.csv count the same customers); **age** n is the n-th month after
it. For each cohort and age the table holds how many of the cohort's customers pay at that month's
end and their MRR — aggregates only: cohorts.csv never holds a customer, and the dashboard merges or
hides cohorts too small to publish (generator/metrics/cohorts.py). Age 0 is the cohort's size and
starting MRR, so `customers[n] / customers[0]` is logo retention and `mrr[n] / mrr[0]` revenue
retention (which counts expansion, so it may pass 100 %).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.importers.movements import ZERO, MonthEnds
from generator.metrics.series import add_months

COHORT_COLUMNS = ("cohort", "age", "customers", "mrr")


@dataclass(frozen=True)
class CohortCell:
    """One cohort at one age: customers paying at that month's end, and their MRR (site currency)."""

    cohort: date
    age: int
    customers: int
    mrr: Decimal


def compute_cohorts(ends: MonthEnds) -> tuple[CohortCell, ...]:
    """Return every cohort at every age up to the last month of the import, oldest cohort first."""
    count = len(ends.months)
    paying: dict[int, list[int]] = {}
    money: dict[int, list[Decimal]] = {}
    for steps in ends.customers:
        cohort = next((index for index, after in steps if after > 0), None)
        if cohort is None:
            continue
        people = paying.setdefault(cohort, [0] * (count - cohort + 1))
        amounts = money.setdefault(cohort, [ZERO] * (count - cohort + 1))
        before = ZERO
        for index, after in steps:  # difference arrays: each change is added once, then summed by age
            if index < cohort:
                continue
            people[index - cohort] += (after > 0) - (before > 0)
            amounts[index - cohort] += after - before
            before = after
    cells = []
    for cohort in sorted(paying):
        customers, mrr = 0, ZERO
        for age in range(count - cohort):
            customers += paying[cohort][age]
            mrr += money[cohort][age]
            cells.append(CohortCell(ends.months[cohort], age, customers, mrr))
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

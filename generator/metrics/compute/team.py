"""team.csv's rows to monthly headcount, hires, departures and payroll.

A person's rows that touch or overlap (a promotion, a second role) are one stint, so a role change
is neither a departure nor a hire; a gap between rows is a departure and a rehire. Someone counts
at month end while their stint covers the day after the month's last day: who leaves on the 31st
is a departure of that month and not in its headcount, so headcount[m] = headcount[m−1] + hires −
departures always holds.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.errors import Diagnostic
from generator.metrics.read.money import Converter, FxRates
from generator.metrics.read.team import TeamFile, TeamRow

TEAM_COLUMNS = ("headcount", "headcount_start", "hires", "departures")
"""The monthly columns team.csv gives (plus payroll_monthly when it has salaries)."""


def month_end(month: date) -> date:
    """Return the last day of `month`."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def list_stints(rows: Sequence[TeamRow]) -> dict[str, list[tuple[date, date | None]]]:
    """Return each person's stints: rows that touch or overlap merged into one (start, end)."""
    stints: dict[str, list[tuple[date, date | None]]] = {}
    for row in sorted(rows, key=lambda r: (r.person, r.start)):
        own = stints.setdefault(row.person, [])
        if own and (own[-1][1] is None or row.start <= own[-1][1] + timedelta(days=1)):
            start, end = own[-1]
            own[-1] = (start, None if end is None or row.end is None else max(end, row.end))
        else:
            own.append((row.start, row.end))
    return stints


def team_columns(team: TeamFile, months: Sequence[date], rates: FxRates) -> tuple[
        dict[str, Mapping[date, Decimal]], list[Diagnostic]]:
    """Return headcount, headcount_start, hires, departures (and payroll_monthly) for each of `months`."""
    stints = [s for own in list_stints(team.rows).values() for s in own]
    columns: dict[str, dict[date, Decimal]] = {name: {} for name in TEAM_COLUMNS}
    for month in months:
        last, before = month_end(month), month - timedelta(days=1)
        columns["headcount"][month] = Decimal(sum(_here(s, last) for s in stints))
        columns["headcount_start"][month] = Decimal(sum(_here(s, before) for s in stints))
        columns["hires"][month] = Decimal(sum(s[0].replace(day=1) == month for s in stints))
        columns["departures"][month] = Decimal(sum(s[1] is not None and s[1].replace(day=1) == month for s in stints))
    problems: list[Diagnostic] = []
    if team.has_salaries:
        columns["payroll_monthly"], problems = _payroll(team, months, rates)
    return {name: MappingProxyType(values) for name, values in columns.items()}, problems


def _here(stint: tuple[date, date | None], day: date) -> bool:
    return stint[0] <= day and (stint[1] is None or stint[1] > day)


def _payroll(team: TeamFile, months: Sequence[date], rates: FxRates) -> tuple[dict[date, Decimal], list[Diagnostic]]:
    """Sum a twelfth of each yearly salary of the people here at month end; a month with a salary unknown has none."""
    converter = Converter(rates, "team")
    payroll: dict[date, Decimal] = {}
    stints = list_stints(team.rows)
    for month in months:
        here = rows_at(team.rows, stints, month_end(month))
        if any(row.salary is None for row in here):
            continue
        amounts = [converter.to_site(row.salary, row.currency, month,  # type: ignore[arg-type]
                                     _locate(team.path, row.line))
                   for row in here]
        if all(amount is not None for amount in amounts):
            payroll[month] = sum(amounts, Decimal(0)) / 12  # type: ignore[arg-type]
    return payroll, converter.problems


def payroll_terms(team: TeamFile, months: Sequence[date], rates: FxRates) -> dict[date, Mapping[tuple[str, int], Decimal]]:
    """Return, for each month with a payroll, the salary rows it adds up and the rate each is converted at.

    Payroll is Σ rate × salary / 12 over these rows: what a reader who knows who is on the team could solve for.
    Publishing uses it to withhold the months whose payroll would isolate fewer than 3 people's pay (issue 20).
    """
    stints = list_stints(team.rows)
    terms: dict[date, Mapping[tuple[str, int], Decimal]] = {}
    for month in months:
        here = rows_at(team.rows, stints, month_end(month))
        found = {(row.person, row.line): rates.lookup(row.currency, month) for row in here}
        if all(row.salary is not None for row in here) and all(found.values()):
            terms[month] = MappingProxyType({key: rate[0] for key, rate in found.items()})  # type: ignore[index]
    return terms


def _locate(path: Path, line: int):
    return lambda message, hint: Diagnostic(message, path, line, None, hint)


def rows_at(rows: Sequence[TeamRow], stints: Mapping[str, list[tuple[date, date | None]]], day: date) -> list[TeamRow]:
    """Return the rows in effect on `day` of the people still here at its end (their stint covers the next day).

    A role change is two touching rows, the old one ending on `day` and the new one starting the day after:
    the person is here at the end of `day` in the old role, so its row (and salary) counts. Asking each row
    whether it covers the next day would drop the person on the month boundary (issue 20).
    """
    here = {person for person, own in stints.items() if any(_here(stint, day) for stint in own)}
    return [row for row in rows if row.person in here and row.start <= day and (row.end is None or row.end >= day)]


def current_rows(team: TeamFile, day: date) -> tuple[TeamRow, ...]:
    """Return the rows of the people here at the end of `day`, sorted by role, then team and line."""
    rows = rows_at(team.rows, list_stints(team.rows), day)
    return tuple(sorted(rows, key=lambda r: (r.role, r.team, r.line)))


def salary_in_site_currency(row: TeamRow, month: date, rates: FxRates) -> Decimal | None:
    """Return the row's yearly salary in the site currency at `month`'s rate (None: no salary or rate)."""
    if row.salary is None:
        return None
    found = rates.lookup(row.currency, month)
    return row.salary * found[0] if found else None

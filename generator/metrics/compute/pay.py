"""The team as its page shows it, and the one place salaries and names are withheld (`publish_team`).

`assemble_team` keeps everything, including each salary, for the checks; `publish_team` returns
what `team.salaries` and `team.names` allow, exactly as `publish_metrics` drops hidden series: a
salary that is not published is no longer in the data, so no template can print it. Bands never
show a range of fewer than 3 people: a smaller group is merged into the next one up (by pay).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from generator.config.company import (
    SalaryDisclosure,
    SalaryFormula,
    TeamConfig,
    YearsBasis,
)
from generator.errors import Diagnostic
from generator.metrics.compute.team import (
    current_rows,
    list_stints,
    month_end,
    salary_in_site_currency,
)
from generator.metrics.read.money import FxRates
from generator.metrics.read.team import TeamFile, TeamRow

MIN_BAND_PEOPLE = 3
BAND_STEP = Decimal(5000)
"""Band ends are rounded outward to this step (and a band is at least one step wide), so no end is one salary."""


@dataclass(frozen=True)
class TeamMember:
    """One person here at the end of the data; `name` and `salary` are '' / None unless published."""

    role: str
    team: str
    location: str
    level: str
    name: str = ""
    salary: Decimal | None = None
    formula: Decimal | None = None
    """What the pay formula gives for this row (None: not covered, or not published)."""
    matches: bool | None = None
    pay_key: tuple[str, ...] = ()
    """The formula's combination for this row — role, level, location band, years multiplier — or () when the
    formula does not cover it: people who share one are paid alike by the formula."""


@dataclass(frozen=True)
class SalaryBand:
    roles: tuple[str, ...]
    people: int
    low: Decimal
    high: Decimal

    @property
    def merged(self) -> bool:
        return len(self.roles) > 1


@dataclass(frozen=True)
class FormulaExample:
    """A worked example of the formula on its own first entries (not on a real person)."""

    role: str
    level: str
    base: Decimal
    location: str
    location_multiplier: Decimal
    years: int
    years_multiplier: Decimal
    result: Decimal


@dataclass(frozen=True)
class Team:
    as_of: date
    members: tuple[TeamMember, ...]
    """Sorted by role."""
    former: int
    """People who were on the team and are not now."""
    salaries: SalaryDisclosure = SalaryDisclosure.HIDDEN
    names: bool = False
    bands: tuple[SalaryBand, ...] = ()
    unbanded: int = 0
    """People with a salary left out of the bands because fewer than 3 have one."""
    formula: SalaryFormula | None = None
    example: FormulaExample | None = None
    checked: int = 0
    matched: int = 0
    published: bool = False
    formula_withheld: bool = False
    """True when the formula is not shown because it would single out a hidden or banded salary (issue 20)."""

    @property
    def roles_by_team(self) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
        """Return (team, ((role, people), …)) for the current team, teams and roles sorted."""
        counts = Counter((m.team, m.role) for m in self.members)
        teams = sorted({team for team, _ in counts})
        return tuple((team, tuple((role, counts[(team, role)]) for t, role in sorted(counts) if t == team))
                     for team in teams)


def assemble_team(team: TeamFile, last_month: date, rates: FxRates, settings: TeamConfig) -> tuple[Team, list[Diagnostic]]:
    """Return the whole team at the end of `last_month` (salaries included) and a warning per formula mismatch."""
    as_of = month_end(last_month)
    rows = current_rows(team, as_of)
    stints = list_stints(team.rows)
    here = {row.person for row in rows}
    members, problems = [], []
    for row in rows:
        salary = salary_in_site_currency(row, last_month, rates)
        expected = expected_salary(settings.formula, row, _years(settings.formula, row, stints, as_of), problems,
                                   team) if settings.formula else None
        matches = None if expected is None or salary is None else abs(salary - expected) <= settings.formula.tolerance  # type: ignore[union-attr]
        if matches is False:
            problems.append(Diagnostic(f"the salary of this {row.role} row differs from the pay formula's "
                                       f"{expected:.2f} by {abs(salary - expected):.2f}", team.path, row.line, None,  # type: ignore[operator]
                                       "pay what the published formula says, or change the formula in site.yaml "
                                       "(team.formula) and say so", "warning"))
        members.append(TeamMember(row.role, row.team, row.location, row.level, row.person, salary, expected, matches,
                                   _pay_key(settings.formula, row, _years(settings.formula, row, stints, as_of))
                                   if expected is not None else ()))
    checked = [m for m in members if m.matches is not None]
    return Team(as_of, tuple(members), len(set(stints) - here), settings.salaries, settings.names, (), 0,
                settings.formula, formula_example(settings.formula), len(checked),
                sum(bool(m.matches) for m in checked)), problems


def _pay_key(formula: SalaryFormula | None, row: TeamRow, years: int) -> tuple[str, ...]:
    """Return (role, level, location band, years multiplier): what the formula pays this row by."""
    if formula is None:
        return ()
    wanted = row.location.strip().casefold()
    band = next((b.id for b in formula.locations.values()
                 if wanted == b.id.casefold() or wanted in (p.casefold() for p in b.places)), "")
    return (row.role, row.level, band, str(years_multiplier(formula, years)))


def _years(formula: SalaryFormula | None, row: TeamRow, stints, as_of: date) -> int:
    if formula is not None and formula.basis is YearsBasis.EXPERIENCE:
        return int(row.experience or 0)
    start = next((s for s, e in stints[row.person] if s <= row.start and (e is None or e >= row.start)), row.start)
    return as_of.year - start.year - ((as_of.month, as_of.day) < (start.month, start.day))


def expected_salary(formula: SalaryFormula, row: TeamRow, years: int, problems: list[Diagnostic],
                    team: TeamFile) -> Decimal | None:
    """Return base[role][level] × location multiplier × years multiplier; None (and why) when not computable."""
    levels = formula.base.get(row.role)
    if levels is None:
        return None  # a role the formula does not cover (founders, often): nothing to check
    base = levels.get(row.level) if row.level in levels else levels.get("") if len(levels) == 1 else None
    location = location_multiplier(formula, row.location)
    if base is None or location is None:
        what = f"level {row.level!r}" if base is None else f"location {row.location!r}"
        choices = ", ".join(levels) if base is None else ", ".join(formula.locations)
        problems.append(Diagnostic(f"the pay formula has no {what} for the role {row.role!r}", team.path, row.line,
                                   None, f"use one of: {choices}; or add it to team.formula in site.yaml", "warning"))
        return None
    return base * location * years_multiplier(formula, years)


def location_multiplier(formula: SalaryFormula, location: str) -> Decimal | None:
    """Return the multiplier of the band named `location` or listing it as a place; 1 without bands."""
    if not formula.locations:
        return Decimal(1)
    wanted = location.strip().casefold()
    for band in formula.locations.values():
        if wanted == band.id.casefold() or wanted in (p.casefold() for p in band.places):
            return band.multiplier
    return None


def years_multiplier(formula: SalaryFormula, years: int) -> Decimal:
    """Return the multiplier of the highest step at or below `years` (1 below the first step)."""
    return next((m for start, m in reversed(formula.years) if years >= start), Decimal(1))


def formula_example(formula: SalaryFormula | None) -> FormulaExample | None:
    if formula is None or not formula.base:
        return None
    role, levels = next(iter(formula.base.items()))
    level, base = list(levels.items())[-1]
    band = next(iter(formula.locations.values()), None)
    years, multiplier = formula.years[-1] if formula.years else (0, Decimal(1))
    location = band.multiplier if band else Decimal(1)
    return FormulaExample(role, level, base, band.id if band else "", location, years, multiplier,
                          base * location * multiplier)


def publish_team(team: Team | None) -> Team | None:
    """Return the team as site.yaml allows it to be shown: bands computed, then salaries and names dropped.

    With salaries hidden or banded, the pay formula is shown only when no combination of role, level, location
    and years it pays by is held by fewer than MIN_BAND_PEOPLE people (the one support person's pay *is* the
    formula's Support value), and "n of m salaries match" only for m ≥ MIN_BAND_PEOPLE (issue 20).
    """
    if team is None or team.published:
        return team
    bands, unbanded = salary_bands(team.members) if team.salaries is SalaryDisclosure.BANDS else ((), 0)
    exact = team.salaries is SalaryDisclosure.EXACT
    members = tuple(replace(m, name=m.name if team.names else "", salary=m.salary if exact else None,
                            formula=m.formula if exact else None, matches=m.matches if exact else None,
                            pay_key=m.pay_key if exact else ()) for m in team.members)
    published = replace(team, members=members, bands=bands, unbanded=unbanded, published=True)
    if exact or team.formula is None:
        return published
    held = Counter(m.pay_key for m in team.members if m.pay_key)
    if any(count < MIN_BAND_PEOPLE for count in held.values()):
        return replace(published, formula=None, example=None, checked=0, matched=0, formula_withheld=True)
    if team.checked < MIN_BAND_PEOPLE:
        return replace(published, checked=0, matched=0)
    return published


def salary_bands(members: Sequence[TeamMember]) -> tuple[tuple[SalaryBand, ...], int]:
    """Return one band per role (fewer than 3 people merged into the next band up by pay) and who was left out."""
    by_role: dict[str, list[Decimal]] = {}
    for member in members:
        if member.salary is not None:
            by_role.setdefault(member.role, []).append(member.salary)
    total = sum(len(v) for v in by_role.values())
    if total < MIN_BAND_PEOPLE:
        return (), total
    groups = sorted(([role], salaries) for role, salaries in by_role.items())
    groups.sort(key=lambda g: (min(g[1]), g[0]))
    merged: list[tuple[list[str], list[Decimal]]] = []
    for roles, salaries in groups:
        if merged and len(merged[-1][1]) < MIN_BAND_PEOPLE:
            merged[-1] = (merged[-1][0] + roles, merged[-1][1] + salaries)
        else:
            merged.append((roles, salaries))
    if len(merged) > 1 and len(merged[-1][1]) < MIN_BAND_PEOPLE:
        last = merged.pop()
        merged[-1] = (merged[-1][0] + last[0], merged[-1][1] + last[1])
    return tuple(_band(roles, salaries) for roles, salaries in merged), 0


def _band(roles: list[str], salaries: list[Decimal]) -> SalaryBand:
    # Strictly outward: a lowest or highest salary that is itself a multiple of the step (90,000)
    # would otherwise be an end of the range, and so one person's figure.
    low = ((min(salaries) / BAND_STEP).to_integral_value(ROUND_CEILING) - 1) * BAND_STEP
    high = ((max(salaries) / BAND_STEP).to_integral_value(ROUND_FLOOR) + 1) * BAND_STEP
    return SalaryBand(tuple(sorted(roles)), len(salaries), max(low, Decimal(0)), high)

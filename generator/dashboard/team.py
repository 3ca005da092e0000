"""The team page (issue #13): headcount over time, hires and departures, roles by team, salaries as published.

Everything it shows comes from the published metrics and the published team (generator.metrics.compute.pay
.publish_team), so a salary or a name site.yaml withholds is not here to be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator import routes
from generator.config.company import SalaryDisclosure
from generator.dashboard.context import DashboardContext
from generator.dashboard.plan import lines_kind, make_chart
from generator.dashboard.spec import Chart
from generator.metrics.compute.pay import BAND_STEP, Team


@dataclass(frozen=True)
class TeamMonth:
    month: date
    label: str
    hires: str
    departures: str
    headcount: str


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str
    team: str
    location: str
    level: str
    salary: str
    formula: str
    check: str


@dataclass(frozen=True)
class BandRow:
    roles: str
    people: int
    range: str
    merged: bool


@dataclass(frozen=True)
class FormulaView:
    """The pay formula as the page shows it: bases, location bands, years steps, a worked example, the check."""

    bases: tuple[tuple[str, str, str], ...]
    """(role, level, base)."""
    locations: tuple[tuple[str, str, str], ...]
    """(band, multiplier, places)."""
    years: tuple[tuple[str, str], ...]
    """(from n years, multiplier)."""
    basis: str
    example: str
    check: str
    text: str = ""
    """The formula in words, without the years multiplier when the formula has none."""


@dataclass(frozen=True)
class TeamView:
    title: str
    path: str
    team: Team
    chart: Chart | None
    moves: tuple[TeamMonth, ...]
    """Months with a hire or a departure, newest first."""
    as_of: str
    salaries_text: str = ""
    members: tuple[MemberRow, ...] = ()
    """The salary table (exact salaries only), sorted by role."""
    bands: tuple[BandRow, ...] = ()
    formula: FormulaView | None = None
    formula_note: str = ""
    """Why a pay formula is not shown (it would single out someone's hidden or banded pay)."""
    show_levels: bool = True
    """False when the pay has one level per role: a column of '0' or blanks says nothing (issue 19)."""


def assemble_team_view(ctx: DashboardContext) -> TeamView | None:
    """Return the team page's content, or None when the site has no team.csv."""
    team = ctx.metrics.team
    if team is None:
        return None
    settings = ctx.config.team
    title = settings.title.get(ctx.config.language) if settings.title else ctx.fmt("team.title")
    chart = None
    if ctx.months and ctx.usable("headcount", ctx.months[0], ctx.months[-1]):
        metrics = ("headcount",) + tuple(m for m in ("attrition_rate_12m",)
                                         if ctx.usable(m, ctx.months[0], ctx.months[-1]))
        chart = make_chart(ctx, "team-headcount", lines_kind([ctx.metrics.series[m] for m in metrics]),
                           ctx.fmt("chart.headcount"), metrics, ctx.months[0], ctx.months[-1],
                           metric_path=ctx.metric_path("headcount"))
    return TeamView(title, routes.in_language(ctx.config.language_folder, settings.path), team, chart, _moves(ctx), ctx.fmt.month(team.as_of.replace(day=1)),
                    _salaries_text(ctx, team), _members(ctx, team), _bands(ctx, team), _formula(ctx, team),
                    ctx.fmt("team.formula_withheld") if team.formula_withheld else "",
                    show_levels=len(_levels_used(team)) > 1)


def _levels_used(team: Team) -> set[str]:
    """Return the levels the pay distinguishes: those of the formula's bases and of the people."""
    levels = {m.level for m in team.members if m.level}
    if team.formula:
        levels |= {level for bases in team.formula.base.values() for level in bases if level}
    return levels


def level_name(ctx: DashboardContext, team: Team, level: str) -> str:
    """Return a level as readers see it: site.yaml's name for it, 'Level 2' for a number, or as written."""
    names = team.formula.levels if team.formula else {}
    if level in names:
        return names[level].get(ctx.config.language)
    return ctx.fmt("team.level_n", level=level) if level.isdigit() else level


def band_name(ctx: DashboardContext, team: Team, band_id: str) -> str:
    """Return a location band as readers see it: its site.yaml label, else 'Band 1', 'Band 2'… in order written."""
    bands = list(team.formula.locations.values()) if team.formula else []
    band = next((b for b in bands if b.id == band_id), None)
    if band is None:
        return band_id
    return band.label.get(ctx.config.language) if band.label else ctx.fmt("team.band_n", n=bands.index(band) + 1)


def _money(ctx: DashboardContext, amount: Decimal) -> str:
    """Return a yearly amount in whole units of the site currency: '$96,000'."""
    return ctx.fmt.numbers.signed(amount, lambda v: ctx.fmt.numbers.money(v, whole=True))


def _salaries_text(ctx: DashboardContext, team: Team) -> str:
    currency = ctx.fmt.currency_name
    if team.salaries is SalaryDisclosure.EXACT:
        return ctx.fmt("team.salaries_exact", currency=currency)
    if team.salaries is SalaryDisclosure.BANDS:
        return ctx.fmt("team.salaries_bands", currency=currency, step=_money(ctx, BAND_STEP)) if team.bands \
            else ctx.fmt("team.salaries_too_few")
    return ctx.fmt("team.salaries_hidden")


def _members(ctx: DashboardContext, team: Team) -> tuple[MemberRow, ...]:
    if team.salaries is not SalaryDisclosure.EXACT:
        return ()
    fmt = ctx.fmt
    checks = {True: fmt("team.matches"), False: fmt("team.differs"), None: fmt("team.not_covered")}
    return tuple(MemberRow(m.name, m.role, m.team, m.location, level_name(ctx, team, m.level) if m.level else "",
                           _money(ctx, m.salary) if m.salary is not None else "—",
                           _money(ctx, m.formula) if m.formula is not None else "—",
                           checks[m.matches] if team.formula else "") for m in team.members)


def _bands(ctx: DashboardContext, team: Team) -> tuple[BandRow, ...]:
    return tuple(BandRow(ctx.fmt("team.role_separator").join(b.roles), b.people, f"{_money(ctx, b.low)} – {_money(ctx, b.high)}", b.merged)
                 for b in team.bands)


def _formula(ctx: DashboardContext, team: Team) -> FormulaView | None:
    formula, example, fmt = team.formula, team.example, ctx.fmt
    if formula is None:
        return None
    bases = tuple((role, level_name(ctx, team, level) if level else "", _money(ctx, base))
                  for role, levels in formula.base.items() for level, base in levels.items())
    locations = tuple((band_name(ctx, team, b.id), str(b.multiplier), fmt.join(b.places))
                      for b in formula.locations.values())
    years = tuple((fmt("team.from_years", n=n), str(m)) for n, m in formula.years)
    key = "team.example" if formula.years else "team.example_no_years"
    shown_level = example.level if example and example.level and len(_levels_used(team)) > 1 else ""
    text = fmt(key, role=example.role, level=fmt("team.level_suffix", level=level_name(ctx, team, shown_level))
               if shown_level else "", location=band_name(ctx, team, example.location) if example.location else "—",
               years=example.years,
               base=_money(ctx, example.base), location_multiplier=example.location_multiplier,
               years_multiplier=example.years_multiplier, result=_money(ctx, example.result)) if example else ""
    check = fmt("team.check", matched=team.matched, checked=team.checked) if team.checked else ""
    basis = fmt(f"team.formula_years_{formula.basis.value}") if formula.years else ""
    return FormulaView(bases, locations, years, basis, text, check,
                       fmt("team.formula_text" if formula.years else "team.formula_text_no_years"))


def _moves(ctx: DashboardContext) -> tuple[TeamMonth, ...]:
    hires, departures, headcount = (ctx.metrics.get(m) for m in ("hires", "departures", "headcount"))
    if hires is None or departures is None or headcount is None:
        return ()
    rows = []
    for month in reversed(ctx.months):
        joined, left = hires.point_at(month), departures.point_at(month)
        if (joined and joined.value) or (left and left.value):
            rows.append(TeamMonth(month, ctx.fmt.month(month), ctx.fmt.point(hires, joined),
                                  ctx.fmt.point(departures, left), ctx.fmt.point(headcount, headcount.point_at(month))))
    return tuple(rows)

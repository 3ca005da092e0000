"""The company's own settings: the `team:` section (salary disclosure, names, pay formula), cost groups, fiscal year.

Salaries and names are the most private values opensite handles, so everything here defaults to
publishing nothing: `team.salaries: hidden`, `team.names: false` (issue #13).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from generator import routes
from generator.config.localized import read_localized
from generator.config.schema import Section, describe
from generator.errors import choice_hint
from generator.i18n.localized import LocalizedText

COST_GROUPS = ("acquisition", "cost_of_revenue", "payroll")
"""The cost groups `metrics.cost_groups` may tag categories with."""

PAYROLL_WORDS = ("payroll", "salary", "salaries", "wage", "wages", "compensation", "personnel")
"""Words of a cost category id that make it payroll when `cost_groups.payroll` is not given (`Salaries & wages`)."""
PAYROLL_CHARACTERS = ("工资", "薪资", "薪酬", "薪水", "薪金", "人工", "人员费")
"""The same in Chinese, found anywhere in a category's name (`员工工资`, `人工成本`)."""


def is_payroll_category(category_id: str) -> bool:
    """Return True for a cost category that pays people: 'payroll', 'salaries_wages', '工资', '人工成本'."""
    return bool(set(category_id.split("_")) & set(PAYROLL_WORDS)) or any(w in category_id for w in PAYROLL_CHARACTERS)

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")


class SalaryDisclosure(StrEnum):
    """How much of the salaries the team page shows."""

    HIDDEN = "hidden"
    BANDS = "bands"
    EXACT = "exact"


class YearsBasis(StrEnum):
    """What the formula's years multiplier counts."""

    TENURE = "tenure"
    EXPERIENCE = "experience"


@dataclass(frozen=True)
class LocationBand:
    """One location band of the pay formula: its multiplier and the places team.csv may name for it."""

    id: str
    multiplier: Decimal
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class SalaryFormula:
    """salary = base[role][level] × location multiplier × years multiplier (Buffer's open formula, simplified)."""

    base: Mapping[str, Mapping[str, Decimal]]
    """Role (as written in team.csv) to level to the yearly base; a role with one base has the level ''."""
    locations: Mapping[str, LocationBand] = field(default_factory=lambda: MappingProxyType({}))
    basis: YearsBasis = YearsBasis.TENURE
    years: tuple[tuple[int, Decimal], ...] = ()
    """(from this many whole years, multiplier), ascending; none means 1 for everyone."""
    tolerance: Decimal = Decimal(1)
    """How far (in the site currency, per year) a salary may be from the formula and still match it."""
    line: int | None = None


@dataclass(frozen=True)
class TeamConfig:
    """The `team:` section: where the team page lives and what it discloses."""

    path: str = routes.DEFAULT_TEAM
    title: LocalizedText | None = None
    salaries: SalaryDisclosure = SalaryDisclosure.HIDDEN
    names: bool = False
    """Show the `person` column (names) on the page; never by default."""
    formula: SalaryFormula | None = None
    line: int | None = None
    """Line of `team:` in site.yaml, for diagnostics raised later."""


def read_team(top: Section) -> TeamConfig:
    """Read the optional `team: {path, title, salaries, names, formula}` section."""
    section = top.child("team", default_empty=False)
    if section is None:
        return TeamConfig()
    title = read_localized(section, "title", "") if section.has("title") else None
    path = section.get("path", str, "/" + routes.DEFAULT_TEAM, check=_check_folder_path, hint="write a site path such as /team/")
    salaries = section.get("salaries", str, "hidden", check=_check_choice(SalaryDisclosure),
                           hint=choice_hint("", [d.value for d in SalaryDisclosure]))
    names = section.get("names", bool, False)
    formula = _read_formula(section)
    section.finish()
    return TeamConfig(path.strip("/") + "/", title, SalaryDisclosure(salaries), names, formula,
                      top.doc.where(("team",))[0])


def read_fiscal_year_start(top: Section) -> int:
    """Read `fiscal_year_start: 4` or `April` (default 1, January): the first month of the company's year."""
    value = top.get("fiscal_year_start", (int, str), 1, check=_check_month,
                    hint="write a month number 1-12 or an English month name, e.g. 4 or April")
    return value if isinstance(value, int) else MONTH_NAMES.index(value.strip().lower()) + 1


def read_cost_groups(section: Section) -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, tuple[int | None, ...]]]:
    """Read `cost_groups: {acquisition: [Ads, Marketing], cost_of_revenue: [Hosting]}` (category names as written).

    Returns the names of each group and, beside them, the site.yaml line of each name, so that a
    name matching no cost category can be pointed at once costs.csv is read.
    """
    groups = section.child("cost_groups", default_empty=False)
    if groups is None:
        return MappingProxyType({}), MappingProxyType({})
    found: dict[str, tuple[str, ...]] = {}
    lines: dict[str, tuple[int | None, ...]] = {}
    for key in groups.data:
        if key not in COST_GROUPS:
            groups.doc.report(groups.keypath + (key,), f"unknown cost group {groups.name(key)!r}",
                              choice_hint(str(key), COST_GROUPS))
    for group in COST_GROUPS:
        if groups.has(group):
            names = groups.get_str_list(group)
            if not names:
                groups.doc.report(groups.keypath + (group,), f"{groups.name(group)!r} names no cost category",
                                  "list the costs.csv categories, e.g. [Ads, Marketing]")
            found[group] = names
            lines[group] = tuple(groups.doc.where(groups.keypath + (group, index))[0] for index in range(len(names)))
    return MappingProxyType(found), MappingProxyType(lines)


def _read_formula(team: Section) -> SalaryFormula | None:
    section = team.child("formula", default_empty=False)
    if section is None:
        return None
    base = _read_bases(section)
    locations = _read_locations(section)
    basis, years = _read_years(section)
    tolerance = section.get("tolerance", (int, float), 1, check=_check_non_negative)
    section.finish()
    return SalaryFormula(base, locations, basis, years, Decimal(str(tolerance)),
                         team.doc.where(team.keypath + ("formula",))[0])


def _read_bases(formula: Section) -> Mapping[str, Mapping[str, Decimal]]:
    """Read `base: {Engineer: {1: 90000, 2: 100000}, Support: 60000}`."""
    section = formula.child("base", default_empty=False)
    if section is None:
        formula.doc.report(formula.keypath, f"missing required key {formula.name('base')!r}",
                           "add 'base: {Engineer: 96000}': the yearly base salary per role (and level)")
        return MappingProxyType({})
    bases: dict[str, Mapping[str, Decimal]] = {}
    for role, value in section.items():
        if isinstance(value, dict):
            levels = {str(level): _amount(section, (role, level), amount) for level, amount in value.items()}
        else:
            levels = {"": _amount(section, (role,), value)}
        bases[role] = MappingProxyType({k: v for k, v in levels.items() if v is not None})
    return MappingProxyType(bases)


def _read_locations(formula: Section) -> Mapping[str, LocationBand]:
    """Read `locations: {tier_1: {multiplier: 1.0, places: [London]}, tier_2: 0.9}`."""
    section = formula.child("locations", default_empty=False)
    bands: dict[str, LocationBand] = {}
    for band, value in (section.items() if section else ()):
        entry = Section(section.doc, section.keypath + (band,), value if isinstance(value, dict)  # type: ignore[union-attr]
                        else {"multiplier": value})
        multiplier = entry.get("multiplier", (int, float), check=_check_positive)
        places = entry.get_str_list("places")
        entry.finish()
        if multiplier is not None:
            bands[band] = LocationBand(band, Decimal(str(multiplier)), places)
    return MappingProxyType(bands)


def _read_years(formula: Section) -> tuple[YearsBasis, tuple[tuple[int, Decimal], ...]]:
    """Read `years: {basis: tenure, multipliers: {0: 1.0, 2: 1.05}}`."""
    section = formula.child("years", default_empty=False)
    if section is None:
        return YearsBasis.TENURE, ()
    basis = section.get("basis", str, "tenure", check=_check_choice(YearsBasis),
                        hint="write tenure (years since joining) or experience (team.csv's experience column)")
    steps = section.child("multipliers")
    years: list[tuple[int, Decimal]] = []
    for key, value in (steps.items() if steps else ()):
        amount = _amount(steps, (key,), value, "a multiplier such as 1.05")  # type: ignore[arg-type]
        if not re.fullmatch(r"\d{1,2}", str(key)):
            steps.doc.report(steps.keypath + (key,), f"{steps.name(key)!r}: years must be a whole number, "  # type: ignore[union-attr]
                             f"found {key!r}", "write e.g. '0: 1.0' and '2: 1.05'")
        elif amount is not None:
            years.append((int(key), amount))
    section.finish()
    return YearsBasis(basis), tuple(sorted(years))


def _amount(section: Section, keys: tuple, value: object, what: str = "a yearly amount such as 96000") -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        section.doc.report(section.keypath + keys, f"{'.'.join(str(k) for k in section.keypath + keys)!r} must be "
                           f"a number above 0, found {describe(value)}", f"write {what}")
        return None
    return Decimal(str(value))


def _check_choice(kind: type[StrEnum]):
    choices = [member.value for member in kind]
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}, found {value!r}"


def _check_month(value: int | str) -> str | None:
    if isinstance(value, int):
        return None if 1 <= value <= 12 else f"must be a month between 1 and 12, found {value}"
    return None if value.strip().lower() in MONTH_NAMES else f"is not a month: {value!r}"


def _check_folder_path(path: str) -> str | None:
    if not (path.startswith("/") and path.endswith("/")) or path == "/" or re.search(r"[\s?#]|\.\.|://", path):
        return f"must be a folder path such as /team/, found {path!r}"
    return None


def _check_positive(value: float) -> str | None:
    return None if value > 0 else f"must be above 0, found {value}"


def _check_non_negative(value: float) -> str | None:
    return None if value >= 0 else f"must be 0 or more, found {value}"

"""Issue #13's inputs: team.csv, revenue.csv and the cost groups, read beside the other files and turned into columns.

Kept apart from loader.py so the core files stay as they are: this module reads the two optional
files, says which features the site has (which decides the metrics that exist), and returns their
monthly columns and the unpublished team.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.config.metrics import MetricsConfig, parse_cost_category_id
from generator.errors import Diagnostic
from generator.metrics.compute.custom import CustomColumns
from generator.metrics.compute.pay import Team, assemble_team
from generator.metrics.compute.table import data_months
from generator.metrics.compute.team import payroll_terms, team_columns
from generator.metrics.read.inputs import MetricInputs
from generator.metrics.read.money import FxRates
from generator.metrics.read.revenue import load_revenue_file
from generator.metrics.read.team import TeamFile, load_team_file
from generator.metrics.series import list_months


@dataclass(frozen=True)
class CompanyFiles:
    team: TeamFile | None = None
    revenue: Mapping[date, Decimal] | None = None


@dataclass(frozen=True)
class CompanyColumns:
    extra: Mapping[str, Mapping[date, Decimal]] = field(default_factory=lambda: MappingProxyType({}))
    features: frozenset[str] = frozenset()
    team: Team | None = None
    problems: tuple[Diagnostic, ...] = ()
    payroll_terms: Mapping[date, Mapping[tuple[str, int], Decimal]] = field(default_factory=lambda: MappingProxyType({}))
    """Each month's salary rows and rates (compute.team.payroll_terms), for publishing payroll safely."""


def load_company_files(paths: dict[str, Path], settings: MetricsConfig, rates: FxRates,
                       problems: list[Diagnostic]) -> tuple[CompanyFiles, list[Diagnostic]]:
    """Read (and take out of `paths`) metrics/team.csv and metrics/revenue.csv when present."""
    team = revenue = None
    if "team" in paths:
        team, found = load_team_file(paths.pop("team"), settings.file_options("team"), settings.decimal_comma, rates)
        problems = problems + found
    if "revenue" in paths:
        revenue, found = load_revenue_file(paths.pop("revenue"), settings.file_options("revenue"),
                                           settings.decimal_comma, rates)
        problems = problems + found
    return CompanyFiles(team, revenue), problems


def company_columns(files: CompanyFiles, inputs: MetricInputs, custom: CustomColumns, config: Any,
                    rates: FxRates) -> CompanyColumns:
    """Return the monthly columns, the features and the (unpublished) team of a site's company files."""
    settings: MetricsConfig = config.metrics or MetricsConfig()
    extra: dict[str, Mapping[date, Decimal]] = {"revenue": files.revenue} if files.revenue is not None else {}
    months = data_months(inputs, CustomColumns(MappingProxyType({**custom.values, **extra})))
    features = {"revenue"} if files.revenue is not None else set()
    features |= {group for group, names in settings.cost_groups.items() if names}
    problems = _untagged(settings, inputs)
    team, terms = None, {}
    if files.team is not None and months:
        columns, found = team_columns(files.team, team_months(files.team, months), rates)
        extra.update(columns)
        team, checked = assemble_team(files.team, months[-1], rates, config.team)
        problems += found + checked
        features |= {"team", "salaries"} if files.team.has_salaries else {"team"}
        terms = payroll_terms(files.team, team_months(files.team, months), rates) if files.team.has_salaries else {}
    return CompanyColumns(MappingProxyType(extra), frozenset(features), team, tuple(problems),
                          MappingProxyType(terms))


def team_months(team: TeamFile, months: tuple[date, ...]) -> tuple[date, ...]:
    """Return the months the team is counted over: from its first start (or the data's first month) to the data's last.

    A company often hires before it bills: its founders' months before the first mrr.csv row are part
    of its story, so they widen the site's months (as revenue.csv's do). Starts after the data's last
    month are left to later builds: the site never shows a month its numbers have not reached.
    """
    first = min((row.start.replace(day=1) for row in team.rows), default=months[0])
    return list_months(min(first, months[0]), months[-1])


def _untagged(settings: MetricsConfig, inputs: MetricInputs) -> list[Diagnostic]:
    """Warn about each cost-group name costs.csv never has: a typo would leave that category's spend out.

    Each name is checked on its own, so a group whose other names match still points at the one that
    does not (`[Ads, Marketting]` would otherwise count only the ads).
    """
    labels = dict(inputs.costs.categories) if inputs.costs else {}
    problems = []
    for group, names in settings.cost_groups.items():
        lines = settings.cost_group_lines.get(group, ())
        for index, name in enumerate(names):
            if parse_cost_category_id(name) not in labels:
                line = lines[index] if index < len(lines) else None
                problems.append(Diagnostic(f"metrics.cost_groups.{group}: {name!r} is not a category of costs.csv, "
                                           "so none of its spend is counted", settings.source, line, None,
                                           _category_hint(name, labels), "warning"))
    return problems


def _category_hint(name: str, labels: Mapping[str, str]) -> str:
    """Return "did you mean 'Marketing'? costs.csv has: Hosting, Marketing" (categories as costs.csv writes them)."""
    if not labels:
        return "costs.csv has no categories: add metrics/costs.csv, or remove the name"
    listing = "costs.csv has: " + ", ".join(sorted(labels.values()))
    close = difflib.get_close_matches(parse_cost_category_id(name), list(labels), n=1, cutoff=0.6)
    return f"did you mean {labels[close[0]]!r}? {listing}" if close else listing

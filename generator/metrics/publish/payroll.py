"""Pay that cannot be solved for: payroll, and the costs that pay people, follow `team.salaries` (issue 20).

Payroll is a sum of salaries. Published exactly beside a team of two, or across a month one person joined, it is
their pay. So `payroll_monthly` and the payroll cost categories (`metrics.cost_groups.payroll`, or by default the
categories named like pay in either language: Payroll, Salaries & wages, 工资, 人工成本) are published no more
precisely than the salaries themselves:

- `exact`: exactly;
- `hidden`: nowhere (and whatever is computed from them is hidden too);
- `bands`: rounded to 1,000 a month, and only in months where no combination of the published months singles out
  fewer than 3 people's pay — the first months of a two-founder company, the month one person joins (against
  any month published before), a month where only someone paid in another currency changed with the rate. Those
  months are withheld (`withheld`), and so is everything computed from them that month (costs, net burn …).

A rule written in `metrics.publish` for any of them is the founder's own decision and wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from generator.config.company import SalaryDisclosure, TeamConfig, is_payroll_category
from generator.config.metrics import Disclosure, MetricsConfig, PublishRule, parse_cost_category_id
from generator.registry import COST_PREFIX

PAYROLL_STEP = Decimal(1000)
"""`bands`: payroll is rounded to this much a month (12,000 a year, more than one salary band step)."""
MIN_PEOPLE = 3
"""No published combination of payroll months may involve the pay of fewer people than this."""

Terms = Mapping[date, Mapping[tuple[str, int], Decimal]]
Vector = dict[tuple[str, int], Fraction]


def payroll_categories(settings: MetricsConfig, categories: Iterable[str]) -> list[str]:
    """Return the cost series that pay people: `cost_groups.payroll`, else the categories named like pay."""
    ids = list(categories)
    if "payroll" in settings.cost_groups:
        tagged = {parse_cost_category_id(name) for name in settings.cost_groups["payroll"]}
        return [COST_PREFIX + c for c in ids if c in tagged]
    return [COST_PREFIX + c for c in ids if is_payroll_category(c)]


def with_payroll_rules(settings: MetricsConfig, team: TeamConfig, categories: Iterable[str] = ()) -> MetricsConfig:
    """Return `settings` with payroll and the payroll categories published no more than `team.salaries` allows.

    The categories follow the salaries when the site speaks about its team (a `team:` section) or tags them
    (`cost_groups.payroll`); `payroll_monthly` always does. A rule site.yaml writes for one of them stays.
    """
    if team.salaries is SalaryDisclosure.EXACT:
        return settings
    rule = PublishRule(Disclosure.HIDDEN) if team.salaries is SalaryDisclosure.HIDDEN else \
        PublishRule(Disclosure.ROUNDED, PAYROLL_STEP)
    added = {metric_id: replace(rule, line=team.line) for metric_id in pay_series(settings, team, categories)
             if metric_id not in settings.publish}
    return replace(settings, publish=MappingProxyType({**settings.publish, **added})) if added else settings


def pay_series(settings: MetricsConfig, team: TeamConfig, categories: Iterable[str]) -> list[str]:
    """Return the series that follow `team.salaries`: payroll, and the payroll categories when the site speaks
    about its team (a `team:` section) or tags them (`cost_groups.payroll`)."""
    paying = ["payroll_monthly"]
    if team.line is not None or "payroll" in settings.cost_groups:
        paying += payroll_categories(settings, categories)
    return paying


def payroll_masks(settings: MetricsConfig, team: TeamConfig, categories: Iterable[str], terms: Terms,
                  months: Sequence[date]) -> dict[str, frozenset[date]]:
    """Return, for each series published under the `bands` rule, the months it withholds."""
    if team.salaries is not SalaryDisclosure.BANDS:
        return {}
    ruled = with_payroll_rules(replace(settings, publish=MappingProxyType({})), team, categories).publish
    own = {m for m in ruled if m not in settings.publish}
    withheld = withheld_months(terms, months) if terms else frozenset(months)
    return {metric_id: withheld for metric_id in own}


def withheld_months(terms: Terms, months: Sequence[date]) -> frozenset[date]:
    """Return the months whose payroll would, with the months published before, isolate fewer than 3 people.

    Each month's payroll is a linear combination of salaries (rate × salary / 12 for each row here at month end).
    A month is published only if afterwards no combination of published months is a vector over the salary rows
    of fewer than MIN_PEOPLE people; a month that adds nothing new (nobody changed) is always published.
    """
    basis: list[tuple[tuple[str, int], Vector]] = []
    withheld = set()
    for month in months:
        row = terms.get(month)
        if row is None:
            continue
        vector = reduce_vector({key: Fraction(rate) for key, rate in row.items()}, basis)
        if not vector:
            continue  # nothing new since the months published: it reveals nothing more
        candidate = extend_basis(basis, vector)
        if isolates(candidate, {key for month_row in terms.values() for key in month_row}):
            withheld.add(month)
        else:
            basis = candidate
    return frozenset(withheld)


def reduce_vector(vector: Vector, basis: Sequence[tuple[tuple[str, int], Vector]]) -> Vector:
    """Return `vector` minus its part in the span of `basis` (reduced rows, each 1 at its pivot, 0 at the others')."""
    reduced = dict(vector)
    for pivot, row in basis:
        factor = reduced.get(pivot)
        if factor:
            for key, value in row.items():
                reduced[key] = reduced.get(key, Fraction(0)) - factor * value
    return {key: value for key, value in reduced.items() if value}


def extend_basis(basis: Sequence[tuple[tuple[str, int], Vector]],
                 vector: Vector) -> list[tuple[tuple[str, int], Vector]]:
    """Return `basis` with a reduced, non-zero `vector` added, kept in reduced row echelon form."""
    pivot = min(vector)
    new_row = {key: value / vector[pivot] for key, value in vector.items()}
    rows = []
    for old_pivot, row in basis:
        factor = row.get(pivot)
        if factor:
            row = {k: v for k, v in ((k, row.get(k, Fraction(0)) - factor * new_row.get(k, Fraction(0)))
                                     for k in set(row) | set(new_row)) if v}
        rows.append((old_pivot, row))
    return rows + [(pivot, new_row)]


def isolates(basis: Sequence[tuple[tuple[str, int], Vector]], keys: set[tuple[str, int]]) -> bool:
    """Return True when the span holds a non-zero vector over the salary rows of fewer than MIN_PEOPLE people."""
    people: dict[str, list[Vector]] = {}
    for key in sorted(keys):
        people.setdefault(key[0], []).append(reduce_vector({key: Fraction(1)}, basis))
    names = sorted(people)
    for index, first in enumerate(names):
        for second in names[index:]:  # one person (second == first) or two
            vectors = people[first] + (people[second] if second != first else [])
            if _rank(vectors) < len(vectors):
                return True
    return False


def _rank(vectors: Sequence[Vector]) -> int:
    rows: list[tuple[tuple[str, int], Vector]] = []
    for vector in vectors:
        reduced = reduce_vector(vector, rows)
        if reduced:
            rows = extend_basis(rows, reduced)
    return len(rows)

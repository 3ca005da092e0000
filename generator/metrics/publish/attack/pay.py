"""The attacker on pay: a reader who knows who is on the team each month (the team page, posts, LinkedIn) reads
each published payroll as a sum of those people's salaries, and looks for a combination of months that leaves
fewer than 3 people (issue 20)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from generator.config.company import SalaryDisclosure, TeamConfig
from generator.metrics.publish.payroll import extend_basis, isolates, reduce_vector
from generator.metrics.series import LoadedMetrics, PublishedMetrics


@dataclass(frozen=True)
class PayIsolation:
    """A published pay series whose months, up to `month`, single out fewer than 3 people's pay."""

    metric: str
    month: date
    earlier: date | None
    """The last month published before it (None: the month alone does it)."""


def find_pay_isolations(loaded: LoadedMetrics, published: PublishedMetrics, team: TeamConfig,
                        pay_series: Sequence[str]) -> list[PayIsolation]:
    """Return, for each published pay series, the first month that isolates fewer than MIN_PEOPLE people."""
    if team.salaries is SalaryDisclosure.EXACT or not loaded.payroll_terms:
        return []
    keys = {key for row in loaded.payroll_terms.values() for key in row}
    found = []
    for metric_id in pay_series:
        series = published.series.get(metric_id)
        if series is None or series.indexed or series.computed_from:
            continue
        basis: list = []
        earlier = None
        for point in series.points:
            row = loaded.payroll_terms.get(point.month)
            if point.value is None or row is None:
                continue
            vector = reduce_vector({k: Fraction(rate) for k, rate in row.items()}, basis)
            if vector:
                basis = extend_basis(basis, vector)
                if isolates(basis, keys):
                    found.append(PayIsolation(metric_id, point.month, earlier))
                    break
            earlier = point.month
    return found


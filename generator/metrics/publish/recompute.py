"""What readers can work out with a calculator: identities between published metrics.

Propagation (`disclosure.py`) keeps derived metrics from revealing their inputs; these identities
catch the rest — a value the founder hid or rounded that the *published* metrics still give back
exactly (MRR = costs − net burn, a category = costs − the other categories, cash = runway × burn).
`check` shows the arithmetic with the site's own numbers, so the founder sees what a reader sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.config.metrics import Disclosure, MetricsConfig
from generator.errors import Diagnostic
from generator.metrics.publish.disclosure import ResolvedRule
from generator.metrics.series import MetricsData, format_month
from generator.registry import COST_PREFIX, RUNWAY_WINDOW_MONTHS

Values = Mapping[str, Sequence[Decimal | None]]


@dataclass(frozen=True)
class Identity:
    """`target` = `formula` of `parts`; `evaluate` returns the value for month `index` (None when undefined)."""

    target: str
    parts: tuple[str, ...]
    formula: str
    evaluate: Callable[[Values, int], Decimal | None]


def _at(values: Values, metric_id: str, index: int) -> Decimal:
    value = values[metric_id][index]
    if value is None:
        raise LookupError(metric_id)
    return value


def _mean_burn(values: Values, index: int) -> Decimal:
    window = [v for v in values["net_burn"][max(0, index - RUNWAY_WINDOW_MONTHS + 1):index + 1] if v is not None]
    if not window:
        raise LookupError("net_burn")
    return sum(window, Decimal(0)) / len(window)


IDENTITIES: tuple[Identity, ...] = (
    Identity("mrr", ("costs", "net_burn"), "costs − net_burn",
             lambda v, i: _at(v, "costs", i) - _at(v, "net_burn", i)),
    Identity("costs", ("net_burn", "mrr"), "net_burn + mrr",
             lambda v, i: _at(v, "net_burn", i) + _at(v, "mrr", i)),
    Identity("mrr", ("arr",), "arr / 12", lambda v, i: _at(v, "arr", i) / 12),
    Identity("mrr", ("arpu", "customers"), "arpu × customers",
             lambda v, i: _at(v, "arpu", i) * _at(v, "customers", i)),
    Identity("customers", ("mrr", "arpu"), "mrr / arpu",
             lambda v, i: (_at(v, "mrr", i) / _at(v, "arpu", i)).quantize(Decimal(1))),
    Identity("cash", ("runway_months", "net_burn"), f"runway_months × mean net_burn of {RUNWAY_WINDOW_MONTHS} months",
             lambda v, i: (_at(v, "runway_months", i) * _mean_burn(v, i)).quantize(Decimal(1))),
)
"""Fixed identities between metrics; the cost-category sums are added per site (`cost_identities`)."""


def cost_identities(categories: Sequence[str]) -> list[Identity]:
    """Return costs = Σ categories, and each category = costs − the others."""
    identities = [Identity("costs", tuple(categories), " + ".join(categories),
                           lambda v, i: sum((_at(v, c, i) for c in categories), Decimal(0)))]
    for category in categories:
        others = tuple(c for c in categories if c != category)
        identities.append(Identity(category, ("costs", *others), " − ".join(("costs", *others)),
                                   lambda v, i, others=others: _at(v, "costs", i) - sum(
                                       (_at(v, c, i) for c in others), Decimal(0))))
    return identities


def find_recomputable(settings: MetricsConfig, resolved: Mapping[str, ResolvedRule],
                      data: MetricsData | None) -> list[Diagnostic]:
    """Return a warning for each hidden, rounded or relative metric that exactly published ones give back."""
    categories = sorted(m for m in resolved if m.startswith(COST_PREFIX))
    warnings: list[Diagnostic] = []
    for identity in (*IDENTITIES, *(cost_identities(categories) if categories else ())):
        target = resolved.get(identity.target)
        if target is None or target.disclosure is Disclosure.EXACT:
            continue
        if all(part in resolved and resolved[part].disclosure is Disclosure.EXACT for part in identity.parts):
            warnings.append(_warning(settings, identity, target, data))
    return warnings


def _warning(settings: MetricsConfig, identity: Identity, target: ResolvedRule, data: MetricsData | None) -> Diagnostic:
    arithmetic = f"{identity.target} = {identity.formula}"
    example = _example(identity, data) if data is not None else None
    if example is not None:
        month, value = example
        arithmetic += f" = {value:,} in {format_month(month)}"
    parts = ", ".join(identity.parts)
    return Diagnostic(f"{identity.target} is {target.disclosure.value}, but readers can recompute it from published "
                      f"metrics: {arithmetic}", settings.source, target.rule.line, None,
                      f"hide or round {parts} too", "warning")


def _example(identity: Identity, data: MetricsData) -> tuple[date, Decimal] | None:
    """Return the latest month where the identity gives a value, and that value."""
    values = {metric_id: series.values for metric_id, series in data.series.items()}
    if not all(part in values for part in identity.parts):
        return None
    for index in range(len(data.months) - 1, -1, -1):
        try:
            return data.months[index], identity.evaluate(values, index)
        except (LookupError, ArithmeticError):
            continue
    return None

"""The identities a reader may use: every formula of the registry (built-in and the site's own), and those of
the inputs that no formula computes but opensite checks or builds by construction.

The registry's formulas are not copied here: each identity runs the definition's own `compute`, so a new metric,
or a site's formula, is known to the attacker the moment it exists. The input identities are:

- costs = Σ its categories, acquisition spend and cost of revenue = Σ their tagged categories (compute/table.py);
- the MRR bridge: mrr = last month's + new + expansion + reactivation − contraction − churned (compute/checks.py);
- the customer identity: customers = last month's + new + reactivated − churned (compute/checks.py; only in the
  months where the data keeps it, since it is a warning by default);
- the headcount identity: headcount = last month's + hires − departures (compute/team.py, by construction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.config.metrics import MetricsConfig
from generator.metrics.publish.disclosure import total_parts
from generator.metrics.series import LoadedMetrics
from generator.registry import METRIC_DEFINITIONS, MetricDefinition, MonthView, get_definition


@dataclass(frozen=True)
class Identity:
    """`target` = the definition's formula, month by month; `text` is how a report writes it."""

    target: str
    definition: MetricDefinition
    text: str


def list_identities(loaded: LoadedMetrics, settings: MetricsConfig,
                    custom: Sequence[MetricDefinition]) -> list[Identity]:
    """Return every identity that holds between the site's series."""
    identities = [Identity(d.id, d, f"{d.id} = {d.formula}") for d in METRIC_DEFINITIONS.values()
                  if not d.is_input and d.id in loaded.series]
    identities += [Identity(d.id, d, f"{d.id} = {d.formula}") for d in custom if not d.is_input]
    for total, parts in total_parts(settings, loaded.series).items():
        if parts and (total in loaded.series or total in loaded.raw):
            identities.append(_identity(total, parts, lambda at, parts=tuple(parts): sum(
                (at[p] for p in parts), Decimal(0)), f"{total} = " + " + ".join(parts)))
    for level, (gains, losses) in _LEVELS.items():
        present = [m for m in (*gains, *losses) if m in loaded.series or m in loaded.raw]
        if level in loaded.series and len(present) == len(gains) + len(losses) and _has_values(loaded, gains[0]):
            text = f"{level} = {level}[prev] + " + " + ".join(gains) + "".join(f" − {m}" for m in losses)
            identities.append(_identity(level, (level, *gains, *losses), _level(level, gains, losses), text))
    return identities


_LEVELS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mrr": (("new_mrr", "expansion_mrr", "reactivation_mrr"), ("contraction_mrr", "churned_mrr")),
    "customers": (("new_customers", "reactivated_customers"), ("churned_customers",)),
    "headcount": (("hires",), ("departures",)),
}


def _level(level: str, gains: tuple[str, ...], losses: tuple[str, ...]):
    def compute(at: MonthView) -> Decimal:
        return at.prev(level) + sum((at[m] for m in gains), Decimal(0)) - sum((at[m] for m in losses), Decimal(0))
    return compute


def _has_values(loaded: LoadedMetrics, metric_id: str) -> bool:
    series = loaded.series.get(metric_id)
    return series is not None and any(v is not None for v in series.values)


def _identity(target: str, needs: Sequence[str], compute, text: str) -> Identity:
    definition = replace(get_definition("costs"), id=target, formula=text, needs=tuple(dict.fromkeys(needs)),
                         compute=compute)
    return Identity(target, definition, text)

"""The rules each series is published by, before any data is seen: the founder's, and what they spread to.

The founder writes a rule per metric (site.yaml `metrics.publish`); `payroll.py` adds the ones `team.salaries`
implies. Here they spread where the arithmetic ties series together without a formula to recompute through:

- **a level and its movements** — `mrr` = last month's + new + expansion + reactivation − contraction − churned,
  `customers` = last month's + new − churned (+ reactivated), `headcount` = last month's + hires − departures.
  A hidden or relative level hides its movements (an index of each would still let a reader solve for the
  scales); a rounded level rounds them with its step; and a movement protected more than its level (any rule
  beside an exact level, a coarser rounding) makes them all hidden: the others and the level's change would
  give it back, or narrow it;
- **a total and its parts** — a rule on `costs` (or on `acquisition_spend`) spreads to each of its categories
  that has none (the categories would add up to the total): hiding costs hides the categories, rounding it
  rounds them; a relative total hides them (their own indexes would not add up to the total's);
- **hidden dominates**: whatever is computed from a hidden series is hidden (ARPU of hidden MRR, runway of hidden
  cash), unless its own rule says `lift_propagation: true`; `hide_derived: true` hides everything computed from
  the metric even then.

What a metric computed from rounded or relative inputs publishes depends on the data (`derive.py`): it is
computed from what they publish.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from generator.config.metrics import (
    Disclosure,
    MetricsConfig,
    PublishRule,
    parse_cost_category_id,
)
from generator.metrics.publish.indexing import rounding_step
from generator.registry import (
    COST_PREFIX,
    METRIC_DEFINITIONS,
    RAW_COLUMNS,
    MetricDefinition,
    Unit,
)
from generator.registry.table import read_from

STRICTNESS: Mapping[Disclosure, int] = {Disclosure.EXACT: 0, Disclosure.ROUNDED: 1, Disclosure.RELATIVE: 2,
                                        Disclosure.HIDDEN: 3}

MOVEMENTS: Mapping[str, tuple[str, ...]] = {
    **{level: tuple(m for m in read_from(stem) if m != level) for level, stem in (("mrr", "mrr"), ("customers", "churn"))},
    "headcount": ("hires", "departures"),
}
"""Each level series and the movements that, with last month's level, add up to it (the other inputs of its file)."""

GROUP_COLUMNS: Mapping[str, str] = {"acquisition": "acquisition_spend", "cost_of_revenue": "cost_of_revenue"}
"""The cost groups that add up to a column of their own (the payroll group does not: it tags, for pay's rules)."""


@dataclass(frozen=True)
class ResolvedRule:
    """A metric's effective rule, and the series that made it stricter than written (None if none did)."""

    rule: PublishRule
    inherited_from: str | None = None
    lifted_over: str | None = None
    """The input whose stricter rule `lift_propagation` overrode (for the check warning)."""

    @property
    def disclosure(self) -> Disclosure:
        return self.rule.disclosure


def resolve_rules(settings: MetricsConfig, metric_ids: Iterable[str],
                  custom: Sequence[MetricDefinition] = ()) -> dict[str, ResolvedRule]:
    """Return the rule of each metric after the spreading above (data-independent).

    `custom` holds the site's own definitions (site.yaml `metrics.custom`), in computing order: their
    formulas derive metrics from others exactly as built-in definitions do.
    """
    metric_ids = list(metric_ids)
    resolved = {m: ResolvedRule(settings.rule(m)) for m in metric_ids}
    for total, parts in total_parts(settings, metric_ids).items():
        _spread_down(resolved, total, parts)
    for level, movements in MOVEMENTS.items():
        _tie_movements(resolved, level, [m for m in movements if m in resolved])
    for definition in [*METRIC_DEFINITIONS.values(), *custom]:
        if definition.id in resolved and not definition.is_input:
            for need in definition.needs:
                if need in resolved and resolved[need].disclosure is Disclosure.HIDDEN:
                    _inherit(resolved, definition.id, need, PublishRule(Disclosure.HIDDEN))
                elif need in resolved and resolved[need].disclosure is not Disclosure.EXACT and \
                        resolved[definition.id].rule.lift and resolved[definition.id].lifted_over is None:
                    resolved[definition.id] = replace(resolved[definition.id], lifted_over=need)
    _hide_derived(resolved, settings, custom)
    return resolved


def total_parts(settings: MetricsConfig, metric_ids: Iterable[str]) -> dict[str, list[str]]:
    """Return each cost total (costs, acquisition_spend, cost_of_revenue) with the categories that add up to it."""
    categories = [m for m in metric_ids if m.startswith(COST_PREFIX)]
    totals = {"costs": categories}
    for group, column in GROUP_COLUMNS.items():
        tagged = {COST_PREFIX + parse_cost_category_id(name) for name in settings.cost_groups.get(group, ())}
        totals[column] = [c for c in categories if c in tagged]
    return totals


def _spread_down(resolved: dict[str, ResolvedRule], total: str, parts: Sequence[str]) -> None:
    """A rule on a total spreads to its parts that have none: they would add up to it (the stricter of two)."""
    rule = resolved.get(total)
    if rule is None or rule.disclosure is Disclosure.EXACT:
        return
    # A relative total's parts are hidden rather than indexed: indexes of their own would not add up to the
    # total's index, and two or more hidden parts let the total be published from its true values.
    spread = replace(rule.rule, disclosure=Disclosure.HIDDEN, round_to=None) \
        if rule.disclosure is Disclosure.RELATIVE else rule.rule
    for part in parts:
        current = resolved[part]
        if current.rule.line is not None:  # a part with a rule of its own keeps it
            continue
        # A part of two totals (a marketing cost is in costs and in acquisition spend) keeps the stricter rule.
        if current.inherited_from is None or _stricter(spread, current.rule, Unit.CURRENCY):
            resolved[part] = ResolvedRule(replace(spread, lift=False, hide_derived=False), total)


def _tie_movements(resolved: dict[str, ResolvedRule], level: str, movements: Sequence[str]) -> None:
    """Movements add up to the level's change: none may be protected more than the level, or all are hidden."""
    if level not in resolved or not movements:
        return
    rule = resolved[level].rule
    unit = METRIC_DEFINITIONS[level].unit
    stricter = [m for m in movements if _stricter(resolved[m].rule, rule, unit)]
    if rule.disclosure in (Disclosure.HIDDEN, Disclosure.RELATIVE) or stricter:
        source = level if not stricter else stricter[0]
        for movement in movements:
            _inherit(resolved, movement, source, replace(rule, disclosure=Disclosure.HIDDEN, round_to=None))
    elif rule.disclosure is Disclosure.ROUNDED:
        for movement in movements:
            _inherit(resolved, movement, level, rule, same_step=True)


def _stricter(rule: PublishRule, than: PublishRule, unit: Unit) -> bool:
    """Return True when `rule` protects more than `than` (a coarser rounding counts, the unit's default step too)."""
    if rule.disclosure is than.disclosure is Disclosure.ROUNDED:
        return rounding_step(rule, unit) > rounding_step(than, unit)
    return STRICTNESS[rule.disclosure] > STRICTNESS[than.disclosure]


def _inherit(resolved: dict[str, ResolvedRule], metric_id: str, source: str, offered: PublishRule,
             same_step: bool = False) -> None:
    """Make `metric_id` at least as strict as `offered`, unless its own rule lifts the propagation."""
    current = resolved[metric_id]
    stricter = STRICTNESS[offered.disclosure] > STRICTNESS[current.disclosure]
    if same_step and offered.disclosure is current.disclosure is Disclosure.ROUNDED:
        unit = METRIC_DEFINITIONS[metric_id].unit
        stricter = rounding_step(current.rule, unit) < rounding_step(offered, unit)
    if not stricter:
        return
    if current.rule.lift:
        resolved[metric_id] = replace(current, lifted_over=current.lifted_over or source)
        return
    inherited = replace(offered, line=current.rule.line or offered.line, lift=False, hide_derived=False)
    resolved[metric_id] = ResolvedRule(inherited, source)


def _hide_derived(resolved: dict[str, ResolvedRule], settings: MetricsConfig,
                  custom: Sequence[MetricDefinition] = ()) -> None:
    dependents = list_dependents(resolved, custom, grouped_costs(settings))
    for metric_id, rule in list(settings.publish.items()):
        if metric_id in resolved and rule.disclosure is Disclosure.HIDDEN and rule.hide_derived:
            for dependent in dependents[metric_id]:
                resolved[dependent] = ResolvedRule(PublishRule(Disclosure.HIDDEN, line=rule.line), metric_id)


def grouped_costs(settings: MetricsConfig) -> dict[str, set[str]]:
    """Return, for each tagged cost category, the group columns its amounts flow into (issue #13)."""
    flows: dict[str, set[str]] = defaultdict(set)
    for group, names in settings.cost_groups.items():
        if group in GROUP_COLUMNS:
            for name in names:
                flows[COST_PREFIX + parse_cost_category_id(name)].add(GROUP_COLUMNS[group])
    return flows


def list_dependents(metric_ids: Iterable[str], custom: Sequence[MetricDefinition] = (),
                    groups: Mapping[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Return, for each metric, every metric computed from it directly or through others."""
    direct: dict[str, set[str]] = defaultdict(set)
    for definition in [*METRIC_DEFINITIONS.values(), *custom]:
        for need in definition.needs:
            direct[need].add(definition.id)
    for metric_id in metric_ids:
        if metric_id.startswith(COST_PREFIX):
            direct[metric_id].add("costs")
    for metric_id, grouped in (groups or {}).items():
        direct[metric_id].update(grouped)
    closure: dict[str, set[str]] = defaultdict(set)
    for start in list(direct):
        pending = list(direct[start])
        while pending:
            current = pending.pop()
            if current not in closure[start]:
                closure[start].add(current)
                pending.extend(direct.get(current, ()))
    return closure


def is_raw(column: str) -> bool:
    """Return True for an input column that is no published metric (reactivated customers, a per: column)."""
    return column in RAW_COLUMNS or ":" in column

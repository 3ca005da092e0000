"""How publishing rules spread over the metric dependency graph: the one place that decides it.

A derived metric never publishes more than its inputs allow (issue #11, §4). Walking the
definitions table in order (inputs before what is computed from them), each metric's rule is the
stricter of its own and the one it inherits:

- from a **hidden** input: hidden (ARPU of hidden MRR, runway of hidden cash);
- from a **relative** input: currency and count metrics become relative (an index, so ARPU of a
  relative customer count is an index); ratios and months are withheld (hidden), since a ratio of a
  relative series and an exact one recovers the scale — except a ratio of one relative series
  alone (MRR growth of a relative MRR), whose scale cancels;
- from a **rounded** input: rounded, and computed from the rounded values (ARR of an MRR rounded
  to 1,000 is 12 × the rounded MRR, not the exact ARR rounded).

Two identities tie inputs that are not computed from each other. A level and its movements
(`mrr` = last month's + new + expansion + reactivation − contraction − churned; `customers` =
last month's + new − churned + reactivated): when the level is relative its movements are
withheld, when it is rounded they are rounded with the same step. A total and its parts
(`costs` = the sum of `costs.<category>`): when exactly one category is not exact, `costs` takes
that category's rule (it would otherwise reveal it as `costs − the others`); with two or more,
`costs` only reveals their sum and stays as it is.

`lift_propagation: true` on a metric's rule publishes it by its own rule regardless; `check`
warns about each such lift. `hide_derived: true` on a hidden metric hides everything computed from
it even where a rule lifts the propagation.
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
    level: tuple(m for m in read_from(stem) if m != level) for level, stem in (("mrr", "mrr"), ("customers", "churn"))
}
"""Each level series and the movements that, with last month's level, add up to it (the other inputs of its file)."""


@dataclass(frozen=True)
class ResolvedRule:
    """A metric's effective rule, and the input that made it stricter than written (None if none did)."""

    rule: PublishRule
    inherited_from: str | None = None
    lifted_over: str | None = None
    """The input whose stricter rule `lift_propagation` overrode (for the check warning)."""

    @property
    def disclosure(self) -> Disclosure:
        return self.rule.disclosure


def resolve_rules(settings: MetricsConfig, metric_ids: Iterable[str],
                  custom: Sequence[MetricDefinition] = ()) -> dict[str, ResolvedRule]:
    """Return the effective rule of each metric after propagation over the dependency graph.

    `custom` holds the site's own definitions (site.yaml `metrics.custom`), in computation order: their
    formulas derive metrics from others exactly as built-in definitions do.
    """
    metric_ids = list(metric_ids)
    resolved = {m: ResolvedRule(settings.rule(m)) for m in metric_ids}
    _apply_sum(resolved, "costs", [m for m in metric_ids if m.startswith(COST_PREFIX)])
    for column, members in _group_members(settings).items():  # acquisition_spend and cost of revenue are sums too
        _apply_sum(resolved, column, [m for m in members if m in resolved])
    for level, movements in MOVEMENTS.items():
        if level in resolved:
            for movement in movements:
                if movement in resolved:
                    _inherit(resolved, movement, level, _movement_rule(resolved[level].rule))
    for definition in [*METRIC_DEFINITIONS.values(), *custom]:
        if definition.id in resolved and not definition.is_input:
            for need in definition.needs:
                if need in resolved and need not in RAW_COLUMNS:
                    _inherit(resolved, definition.id, need, _derived_rule(resolved[need].rule, definition.unit,
                                                                          definition.needs))
    _hide_derived(resolved, settings, custom)
    return resolved


def _inherit(resolved: dict[str, ResolvedRule], metric_id: str, source: str, offered: PublishRule | None) -> None:
    """Make `metric_id` at least as strict as `offered`, unless its own rule lifts the propagation."""
    current = resolved[metric_id]
    if offered is None:
        return
    if offered.disclosure is Disclosure.ROUNDED is current.disclosure and current.inherited_from is None:
        resolved[metric_id] = replace(current, inherited_from=source)  # own step, but from the rounded inputs
        return
    if STRICTNESS[offered.disclosure] <= STRICTNESS[current.disclosure]:
        return
    if current.rule.lift:
        resolved[metric_id] = replace(current, lifted_over=current.lifted_over or source)
        return
    inherited = replace(offered, line=current.rule.line or offered.line, lift=False, hide_derived=False)
    resolved[metric_id] = ResolvedRule(inherited, source)


def _derived_rule(rule: PublishRule, unit: Unit, needs: tuple[str, ...]) -> PublishRule | None:
    if rule.disclosure is Disclosure.RELATIVE and unit not in (Unit.CURRENCY, Unit.COUNT):
        alone = len([n for n in needs if n not in RAW_COLUMNS]) == 1
        return None if alone else replace(rule, disclosure=Disclosure.HIDDEN, round_to=None)
    if rule.disclosure is Disclosure.ROUNDED:
        return replace(rule, round_to=None)  # computed from the rounded inputs, not rounded again
    return rule if rule.disclosure is not Disclosure.EXACT else None


def _movement_rule(rule: PublishRule) -> PublishRule | None:
    if rule.disclosure is Disclosure.RELATIVE:
        return replace(rule, disclosure=Disclosure.HIDDEN)
    return rule if rule.disclosure is not Disclosure.EXACT else None


def _apply_sum(resolved: dict[str, ResolvedRule], total: str, parts: list[str]) -> None:
    """A total takes the rule of its only non-exact part: otherwise the total − the others reveals it."""
    if total not in resolved:
        return
    strict = [c for c in parts if resolved[c].disclosure is not Disclosure.EXACT]
    if len(strict) == 1:
        _inherit(resolved, total, strict[0], resolved[strict[0]].rule)


def _group_members(settings: MetricsConfig) -> dict[str, list[str]]:
    """Return each cost-group column (acquisition_spend, …) with the cost categories that add up to it."""
    members: dict[str, list[str]] = defaultdict(list)
    for category, columns in grouped_costs(settings).items():
        for column in columns:
            members[column].append(category)
    return members


def grouped_costs(settings: MetricsConfig) -> dict[str, set[str]]:
    """Return, for each tagged cost category, the group columns its amounts flow into (issue #13)."""
    columns = {"acquisition": "acquisition_spend", "cost_of_revenue": "cost_of_revenue"}
    flows: dict[str, set[str]] = defaultdict(set)
    for group, names in settings.cost_groups.items():
        for name in names:
            flows[COST_PREFIX + parse_cost_category_id(name)].add(columns[group])
    return flows


def _hide_derived(resolved: dict[str, ResolvedRule], settings: MetricsConfig,
                  custom: Sequence[MetricDefinition] = ()) -> None:
    dependents = list_dependents(resolved, custom, grouped_costs(settings))
    for metric_id, rule in list(settings.publish.items()):
        if metric_id in resolved and rule.disclosure is Disclosure.HIDDEN and rule.hide_derived:
            for dependent in dependents[metric_id]:
                resolved[dependent] = ResolvedRule(PublishRule(Disclosure.HIDDEN, line=rule.line), metric_id)


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

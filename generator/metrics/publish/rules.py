"""The founder's publishing rules, applied once, before anything is rendered.

`publish_metrics` returns the only metrics (PublishedMetrics) pages and exports may use: hidden series are gone,
rounded ones rounded (and flagged so templates show ≈), relative ones turned into an index, and everything
computed from them computed from what they publish (`derive.py`). A hidden number cannot leak through a template
because it is no longer in the data, nor through arithmetic, because nothing published was computed from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import product
from types import MappingProxyType
from typing import Any

from generator.config.company import TeamConfig
from generator.config.metrics import Disclosure, MetricsConfig, PublishRule
from generator.config.site import SiteConfig
from generator.metrics.compute.pay import publish_team
from generator.metrics.publish.cohorts import Cohorts, publish_cohorts
from generator.metrics.publish.derive import Column, Engine, Kind, Node, published_series
from generator.metrics.publish.disclosure import ResolvedRule, resolve_rules, total_parts
from generator.metrics.publish.payroll import payroll_masks, with_payroll_rules
from generator.metrics.series import LoadedMetrics, MetricSeries, PublishedMetrics
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS, MetricDefinition, Unit, get_definition

TOTALS = ("costs", "acquisition_spend", "cost_of_revenue")
"""The cost totals, in the order they give way when their parts would be exposed (the last first)."""


def publish_metrics(data: LoadedMetrics | PublishedMetrics, config: SiteConfig | MetricsConfig) -> PublishedMetrics:
    """Return `data` as the site may publish it; applying it twice changes nothing.

    Args:
        data: what load_metrics returned.
        config: the SiteConfig (or its MetricsConfig).
    """
    if isinstance(data, PublishedMetrics):
        return data
    plan = plan_publication(data, config)
    series = {metric_id: published for metric_id, one in data.series.items()
              if (published := published_series(plan.nodes[metric_id], plan.columns[metric_id], one)) is not None}
    return PublishedMetrics(data.months, MappingProxyType(series), data.currency, data.warnings, data.fx,
                            publish_team(data.team), _cohorts(data.cohorts, series, plan.settings))


def _cohorts(cells: Any, series: Mapping[str, MetricSeries], settings: MetricsConfig) -> Cohorts | None:
    """Publish cohorts.csv: small cohorts merged, and each kind of retention only where its metric is published."""
    if cells is None:
        return None
    customers = series.get("customers")
    return publish_cohorts(cells, settings.cohorts.min_customers, logo="customer_churn_rate" in series,
                           revenue="nrr" in series,
                           sizes=customers is not None and customers.disclosure is Disclosure.EXACT)


class Publication:
    """Every series' node (its rule) and column (what it publishes), in computing order."""

    def __init__(self, months: tuple, nodes: Mapping[str, Node], columns: Mapping[str, Column],
                 settings: MetricsConfig) -> None:
        self.months = months
        self.nodes = nodes
        self.columns = columns
        self.settings = settings


def plan_publication(data: LoadedMetrics, config: SiteConfig | MetricsConfig) -> Publication:
    """Run the disclosure model over the loaded data: each series' rule and what it publishes."""
    written = _settings(config)
    team = config.team if isinstance(config, SiteConfig) else TeamConfig()
    categories = [m[len(COST_PREFIX):] for m in data.series if m.startswith(COST_PREFIX)]
    settings = with_payroll_rules(written, team, categories)
    custom = computing_order([s.definition for s in data if s.definition is not None and s.definition.custom])
    resolved = resolve_rules(settings, [*data.series, *(t for t in TOTALS if t in data.raw)], custom)
    masks = payroll_masks(written, team, categories, data.payroll_terms, data.months)
    engine = Engine(data.months, settings.ltv_churn_months)
    for name, values in data.raw.items():
        if name not in TOTALS:
            engine.add_true(name, [(v, None) for v in values])
    nodes: dict[str, Node] = {}
    for metric_id, one in data.series.items():
        if _is_input(one) and metric_id not in TOTALS:
            nodes[metric_id] = _node(one, resolved, masks)
            engine.publish_input(nodes[metric_id])
    for total, node in _totals(data, settings, resolved, engine).items():
        nodes[total] = node
        engine.publish_computed(node)
    for definition in [*(d for d in METRIC_DEFINITIONS.values() if not d.is_input), *custom]:
        if definition.id in data.series and definition.id not in nodes and not definition.is_input:
            nodes[definition.id] = _node(data.series[definition.id], resolved, masks, definition)
            engine.publish_computed(nodes[definition.id])
    return Publication(data.months, nodes, engine.columns, settings)


def _is_input(series: MetricSeries) -> bool:
    return series.definition is None or series.definition.is_input


def _node(series: MetricSeries, resolved: Mapping[str, ResolvedRule], masks: Mapping[str, frozenset],
          definition: MetricDefinition | None = None) -> Node:
    return Node(series.id, series.unit, resolved[series.id], definition,
                tuple((p.value, p.reason) for p in series.points), masks.get(series.id, frozenset()))


def _totals(data: LoadedMetrics, settings: MetricsConfig, resolved: Mapping[str, ResolvedRule],
            engine: Engine) -> dict[str, Node]:
    """Return the cost totals as nodes computed from their categories, each from the truth where that is safe."""
    parts = total_parts(settings, data.series)
    present = [t for t in TOTALS if t in data.series or t in data.raw]
    safe = _true_totals({t: parts[t] for t in present}, engine)
    nodes = {}
    for total in present:
        true = data.series[total].points if total in data.series else None
        cells = tuple((p.value, p.reason) for p in true) if true else tuple((v, None) for v in data.raw[total])
        definition = replace(get_definition("costs"), id=total, needs=tuple(parts[total]),
                             compute=_summing(tuple(parts[total])))
        nodes[total] = Node(total, Unit.CURRENCY, resolved.get(total, ResolvedRule(PublishRule())), definition,
                            cells, truth=total in safe)
    return nodes


def _summing(parts: tuple[str, ...]):
    return lambda at: sum((at[part] for part in parts), Decimal(0))


def _true_totals(parts: Mapping[str, Sequence[str]], engine: Engine) -> set[str]:
    """Return the totals that may be published from the truth: each sums two or more hidden parts, and no
    combination of them (costs − acquisition spend, …) singles out one hidden part or touches a rounded one
    alone."""
    kinds = {part: engine.columns[part].kind for total in parts.values() for part in total}
    candidates = [t for t in TOTALS if t in parts and sum(kinds[p] is Kind.HIDDEN for p in parts[t]) >= 2
                  and not any(kinds[p] is Kind.INDEX for p in parts[t])]
    while candidates and _exposes([parts[t] for t in candidates], kinds):
        candidates.pop()  # cost_of_revenue gives way first, then acquisition spend, costs last
    return set(candidates)


def _exposes(totals: Sequence[Sequence[str]], kinds: Mapping[str, Kind]) -> bool:
    hidden = sorted({p for total in totals for p in total if kinds[p] is Kind.HIDDEN})
    rounded = sorted({p for total in totals for p in total if kinds[p] in (Kind.ROUNDED, Kind.COMPUTED)})
    for signs in product((-1, 0, 1), repeat=len(totals)):
        if not any(signs):
            continue
        weight = {p: sum(sign for sign, total in zip(signs, totals) if p in total) for p in hidden + rounded}
        on_hidden = [p for p in hidden if weight[p]]
        if len(on_hidden) == 1 or (not on_hidden and any(weight[p] for p in rounded)):
            return True
    return False


def computing_order(custom: Iterable[MetricDefinition]) -> list[MetricDefinition]:
    """Return the site's own definitions so that each comes after the custom metrics it reads."""
    pending = {d.id: d for d in custom}
    ordered: list[MetricDefinition] = []
    while pending:
        ready = [d for d in pending.values() if not any(n in pending for n in d.needs)]
        if not ready:  # a cycle is reported when the metrics load; never here
            ready = list(pending.values())
        for definition in ready:
            ordered.append(pending.pop(definition.id))
    return ordered


def with_payroll_rule(settings: MetricsConfig, team: TeamConfig) -> MetricsConfig:
    """Return `settings` with payroll published no more than `team.salaries` allows (see payroll.py)."""
    return with_payroll_rules(settings, team)


def _settings(config: SiteConfig | MetricsConfig) -> MetricsConfig:
    if isinstance(config, MetricsConfig):
        return config
    return config.metrics or MetricsConfig()


def resolve_publish_rules(settings: MetricsConfig, metric_ids: Iterable[str],
                          custom: Sequence[MetricDefinition] = ()) -> dict[str, PublishRule]:
    """Return the rule of each metric after the data-independent spreading (disclosure.resolve_rules)."""
    return {metric_id: resolved.rule for metric_id, resolved in resolve_rules(settings, metric_ids, custom).items()}

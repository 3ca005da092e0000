"""The founder's publishing rules, applied once, before anything is rendered.

`publish_metrics` returns the only metrics (PublishedMetrics) pages and exports may use: hidden series are gone,
rounded ones rounded (and flagged so templates show ≈), relative ones turned into an index. A
hidden number cannot leak through a template because it is no longer in the data.
`find_disclosure_leaks` warns when a published metric lets readers work a hidden one back out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType
from typing import Any

from generator.config.company import SalaryDisclosure, TeamConfig
from generator.config.metrics import Disclosure, MetricsConfig, PublishRule
from generator.config.site import SiteConfig
from generator.errors import Diagnostic
from generator.metrics.compute.custom import custom_definitions
from generator.metrics.compute.pay import publish_team
from generator.metrics.compute.table import recompute_metric, settle_value
from generator.metrics.publish.cohorts import Cohorts, publish_cohorts
from generator.metrics.publish.disclosure import ResolvedRule, resolve_rules
from generator.metrics.publish.recompute import find_recomputable
from generator.metrics.series import LoadedMetrics, MetricPoint, MetricsData, MetricSeries, PublishedMetrics
from generator.registry import (
    COST_PREFIX,
    METRIC_DEFINITIONS,
    Cell,
    MetricDefinition,
    Unit,
)

DEFAULT_ROUND_TO: Mapping[Unit, Decimal] = MappingProxyType({
    Unit.CURRENCY: Decimal(1000), Unit.COUNT: Decimal(10), Unit.MONTHS: Decimal(1), Unit.RATIO: Decimal("0.01"),
    Unit.NUMBER: Decimal(1),
})
"""Step of `rounded` when site.yaml gives no round_to."""

INDEXED_UNITS = frozenset({Unit.CURRENCY, Unit.COUNT, Unit.NUMBER})
"""Units `relative` turns into an index; ratios and runway months are scale-free and stay as they are."""

INDEX_PRECISION = Decimal("0.1")
_WIDE = Context(prec=60)  # an index of a tiny base can have many digits


def publish_metrics(data: LoadedMetrics | PublishedMetrics, config: SiteConfig | MetricsConfig) -> PublishedMetrics:
    """Return `data` as the site may publish it; applying it twice changes nothing.

    Rules are first spread over the dependency graph (`disclosure.resolve_rules`); a metric that
    inherits `rounded` is recomputed from its inputs' rounded values.

    Args:
        data: what load_metrics returned.
        config: the SiteConfig (or its MetricsConfig).
    """
    if isinstance(data, PublishedMetrics):
        return data
    settings = _settings(config)
    custom = [s.definition for s in data if s.definition is not None and s.definition.custom]
    settings = with_payroll_rule(settings, config.team if isinstance(config, SiteConfig) else TeamConfig())
    resolved = resolve_rules(settings, data.series, custom)
    columns: dict[str, list[Cell]] = {name: [(v, None) for v in values] for name, values in data.raw.items()}
    series: dict[str, MetricSeries] = {}
    for metric_id, one in data.series.items():
        rule = resolved[metric_id]
        if _recomputed(rule, metric_id):
            one = _recompute(one, columns, len(data.months), settings.ltv_churn_months)
        columns[metric_id] = [(p.value, p.reason) for p in (_apply(one, rule.rule) if rule.disclosure is
                              Disclosure.ROUNDED else one).points]
        if rule.disclosure is not Disclosure.HIDDEN:
            series[metric_id] = _apply(one, rule.rule)
    return PublishedMetrics(data.months, MappingProxyType(series), data.currency, data.warnings, data.fx,
                            publish_team(data.team), _cohorts(data.cohorts, series, settings))


def _cohorts(cells: Any, series: Mapping[str, MetricSeries], settings: MetricsConfig) -> Cohorts | None:
    """Publish cohorts.csv: small cohorts merged, and each kind of retention only where its metric is published."""
    if cells is None:
        return None
    customers = series.get("customers")
    return publish_cohorts(cells, settings.cohorts.min_customers, logo="customer_churn_rate" in series,
                           revenue="nrr" in series,
                           sizes=customers is not None and customers.disclosure is Disclosure.EXACT)


def with_payroll_rule(settings: MetricsConfig, team: TeamConfig) -> MetricsConfig:
    """Return `settings` with payroll published no more than `team.salaries` allows, unless a rule says otherwise.

    Payroll is the sum of the salaries: published exactly beside a one-person team, or across the month
    someone joined, it is one person's salary. So it is hidden with `hidden` salaries and rounded to 1000
    with `bands`; an explicit `metrics.publish.payroll_monthly` rule is the founder's own decision.
    """
    if "payroll_monthly" in settings.publish or team.salaries is SalaryDisclosure.EXACT:
        return settings
    rule = PublishRule(Disclosure.HIDDEN) if team.salaries is SalaryDisclosure.HIDDEN else \
        PublishRule(Disclosure.ROUNDED, Decimal(1000))
    return replace(settings, publish=MappingProxyType({**settings.publish, "payroll_monthly": rule}))


def _settings(config: SiteConfig | MetricsConfig) -> MetricsConfig:
    if isinstance(config, MetricsConfig):
        return config
    return config.metrics or MetricsConfig()


def resolve_publish_rules(settings: MetricsConfig, metric_ids: Iterable[str],
                          custom: Sequence[MetricDefinition] = ()) -> dict[str, PublishRule]:
    """Return the effective rule of each metric, after propagation over the dependency graph."""
    return {metric_id: resolved.rule for metric_id, resolved in resolve_rules(settings, metric_ids, custom).items()}


def _recomputed(rule: ResolvedRule, metric_id: str) -> bool:
    return rule.inherited_from is not None and rule.disclosure is Disclosure.ROUNDED and \
        metric_id in METRIC_DEFINITIONS and not METRIC_DEFINITIONS[metric_id].is_input


def _recompute(series: MetricSeries, columns: Mapping[str, list[Cell]], count: int,
               ltv_churn_months: int) -> MetricSeries:
    """Return a derived series computed from the published (rounded) values of its inputs, flagged approximate."""
    cells = recompute_metric(METRIC_DEFINITIONS[series.id], columns, count, ltv_churn_months)
    points = tuple(replace(point, value=settle_value(value, series.unit), reason=reason, approximate=value is not None)
                   for point, (value, reason) in zip(series.points, cells))
    return replace(series, points=points)


def _apply(series: MetricSeries, rule: PublishRule) -> MetricSeries:
    if rule.disclosure is Disclosure.ROUNDED and series.approximate and rule.round_to is None:
        return replace(series, disclosure=Disclosure.ROUNDED)  # recomputed from rounded inputs: keep its digits
    if rule.disclosure is Disclosure.ROUNDED:
        return _rounded(series, rule.round_to or DEFAULT_ROUND_TO[series.unit])
    if rule.disclosure is Disclosure.RELATIVE:
        return _indexed(series) if series.unit in INDEXED_UNITS else replace(series, disclosure=Disclosure.RELATIVE)
    return replace(series, disclosure=Disclosure.EXACT)


def _rounded(series: MetricSeries, step: Decimal) -> MetricSeries:
    """Round each value to the nearest `step` (half away from zero) and flag it approximate."""
    points = tuple(
        replace(point, value=settle_value((point.value / step).quantize(Decimal(1), ROUND_HALF_UP, _WIDE) * step,
                                          series.unit), approximate=True)
        if point.value is not None else point
        for point in series.points)
    return replace(series, points=points, disclosure=Disclosure.ROUNDED)


def _indexed(series: MetricSeries) -> MetricSeries:
    """Turn amounts into an index: the first defined non-zero value is 100 (±100 when negative)."""
    base = next((p for p in series.points if p.value), None)
    if base is None:  # nothing but zeros: the shape is flat, and 0 reveals no scale
        return replace(series, disclosure=Disclosure.RELATIVE)
    scale = abs(base.value)  # type: ignore[arg-type]
    points = tuple(_index_point(point, scale) for point in series.points)
    return replace(series, points=points, disclosure=Disclosure.RELATIVE, index_base=base.month)


def _index_point(point: MetricPoint, scale: Decimal) -> MetricPoint:
    if point.value is None:
        return point
    value = (point.value / scale * 100).quantize(INDEX_PRECISION, ROUND_HALF_UP, _WIDE)
    return replace(point, value=value.copy_abs() if value.is_zero() else value)


def find_disclosure_leaks(config: SiteConfig | MetricsConfig, data: MetricsData | None = None) -> list[Diagnostic]:
    """Return a warning for each lifted propagation and each value readers can recompute from published ones.

    Args:
        config: the SiteConfig (or its MetricsConfig); no `metrics:` section means no warnings.
        data: the loaded (not yet published) metrics, when known: the arithmetic then shows real numbers.
    """
    settings = with_payroll_rule(_settings(config), config.team if isinstance(config, SiteConfig) else TeamConfig())
    categories = _categories(settings, data)
    custom = custom_definitions(settings, [c[len(COST_PREFIX):] for c in categories])[0]
    metric_ids = [*METRIC_DEFINITIONS, *categories, *(d.id for d in custom)]
    resolved = resolve_rules(settings, metric_ids, custom)
    warnings = [_lift_warning(settings, metric_id, rule, resolved) for metric_id, rule in resolved.items()
                if rule.lifted_over is not None]
    warnings += find_recomputable(settings, resolved, data)
    if isinstance(config, SiteConfig):
        warnings += _payroll_warning(settings, config.team)
    return warnings


def _payroll_warning(settings: MetricsConfig, team: TeamConfig) -> list[Diagnostic]:
    """Warn when a rule publishes payroll exactly while the salaries themselves are hidden or banded.

    Payroll is the sum of the salaries: in a month with one person it is that person's salary, and
    the change across a month someone joins is the joiner's; so `exact` undoes `hidden` or `bands`.
    """
    rule = settings.publish.get("payroll_monthly")
    if rule is None or rule.disclosure is not Disclosure.EXACT or team.salaries is SalaryDisclosure.EXACT:
        return []
    return [Diagnostic(f"payroll_monthly is published exact, but team.salaries is {team.salaries.value}: in a month "
                       "with one person, or across a month someone joins or leaves, payroll shows one person's "
                       "salary", settings.source, rule.line, None,
                       "round it (disclosure: rounded, round_to: 1000) or hide it, or publish salaries exact "
                       "if that is what you mean", "warning")]


def _categories(settings: MetricsConfig, data: MetricsData | None) -> list[str]:
    categories = [m for m in settings.publish if m.startswith(COST_PREFIX)]
    return categories + [m for m in (data.series if data else ()) if m.startswith(COST_PREFIX) and m not in categories]


def _lift_warning(settings: MetricsConfig, metric_id: str, rule: ResolvedRule,
                  resolved: Mapping[str, ResolvedRule]) -> Diagnostic:
    source = rule.lifted_over or ""
    return Diagnostic(f"{metric_id} is published {rule.disclosure.value} although it is computed from {source} "
                      f"({resolved[source].disclosure.value}): lift_propagation lets readers see more of {source} "
                      "than its rule allows", settings.source, rule.rule.line, None,
                      "remove lift_propagation if that is not what you want", "warning")

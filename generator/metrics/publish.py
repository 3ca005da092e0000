"""The founder's publishing rules, applied once, before anything is rendered.

`publish_metrics` returns the only MetricsData pages and exports may use: hidden series are gone,
rounded ones rounded (and flagged so templates show ≈), relative ones turned into an index. A
hidden number cannot leak through a template because it is no longer in the data.
`find_disclosure_leaks` warns when a published metric lets readers work a hidden one back out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType

from generator.config.company import SalaryDisclosure, TeamConfig
from generator.config.metrics import COST_PREFIX, METRIC_IDS, Disclosure, MetricsConfig, PublishRule, \
    parse_cost_category_id
from generator.config.site import SiteConfig
from generator.errors import Diagnostic
from generator.metrics.compute import settle_value
from generator.metrics.custom import custom_definitions
from generator.metrics.pay import publish_team
from generator.metrics.registry import METRIC_DEFINITIONS
from generator.metrics.series import MetricDefinition, MetricPoint, MetricsData, MetricSeries, Unit

DEFAULT_ROUND_TO: Mapping[Unit, Decimal] = MappingProxyType({
    Unit.CURRENCY: Decimal(1000), Unit.COUNT: Decimal(10), Unit.MONTHS: Decimal(1), Unit.RATIO: Decimal("0.01"),
    Unit.NUMBER: Decimal(1),
})
"""Step of `rounded` when site.yaml gives no round_to."""

INDEXED_UNITS = frozenset({Unit.CURRENCY, Unit.COUNT, Unit.NUMBER})
"""Units `relative` turns into an index; ratios and runway months are scale-free and stay as they are."""

INDEX_PRECISION = Decimal("0.1")
_WIDE = Context(prec=60)  # an index of a tiny base can have many digits


def publish_metrics(data: MetricsData, config: SiteConfig | MetricsConfig) -> MetricsData:
    """Return `data` as the site may publish it; applying it twice changes nothing.

    Args:
        data: what load_metrics returned.
        config: the SiteConfig (or its MetricsConfig).
    """
    if data.published:
        return data
    custom = [s.definition for s in data if s.definition is not None and s.definition.custom]
    settings = with_payroll_rule(_settings(config), config.team if isinstance(config, SiteConfig) else TeamConfig())
    rules = resolve_publish_rules(settings, data.series, custom)
    series = {metric_id: _apply(one, rules[metric_id]) for metric_id, one in data.series.items()
              if rules[metric_id].disclosure is not Disclosure.HIDDEN}
    return replace(data, series=MappingProxyType(series), published=True, team=publish_team(data.team))


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
    """Return the rule of each metric, with `hide_derived` spreading `hidden` to everything computed from it.

    Args:
        settings: the `metrics:` section.
        metric_ids: every metric of the data.
        custom: the site's own definitions, whose formulas also derive metrics from others.
    """
    metric_ids = list(metric_ids)
    rules = {metric_id: settings.rule(metric_id) for metric_id in metric_ids}
    dependents = _dependents(metric_ids, custom, grouped_costs(settings))
    for metric_id, rule in list(rules.items()):
        if rule.disclosure is Disclosure.HIDDEN and rule.hide_derived:
            for dependent in dependents[metric_id]:
                rules[dependent] = PublishRule(Disclosure.HIDDEN, line=rule.line)
    return rules


def _dependents(metric_ids: Iterable[str], custom: Sequence[MetricDefinition] = (),
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


def grouped_costs(settings: MetricsConfig) -> dict[str, set[str]]:
    """Return, for each tagged cost category, the group columns its amounts flow into (issue #13)."""
    columns = {"acquisition": "acquisition_spend", "cost_of_revenue": "cost_of_revenue"}
    flows: dict[str, set[str]] = defaultdict(set)
    for group, names in settings.cost_groups.items():
        for name in names:
            flows[COST_PREFIX + parse_cost_category_id(name)].add(columns[group])
    return flows


def _apply(series: MetricSeries, rule: PublishRule) -> MetricSeries:
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
    """Return a warning for each hidden metric that a published one lets readers work back out.

    Args:
        config: the SiteConfig (or its MetricsConfig); no `metrics:` section means no warnings.
        data: the loaded (not yet published) metrics, when known, to include the cost categories that
            site.yaml does not name.
    """
    settings = _settings(config)
    categories = [m for m in settings.publish if m.startswith(COST_PREFIX)]
    categories += [m for m in (data.series if data else ()) if m.startswith(COST_PREFIX) and m not in categories]
    custom = custom_definitions(settings, [c[len(COST_PREFIX):] for c in categories])[0]
    metric_ids = [*METRIC_IDS, *categories, *(d.id for d in custom)]
    rules = resolve_publish_rules(settings, metric_ids, custom)
    dependents = _dependents(metric_ids, custom, grouped_costs(settings))
    warnings = [_leak(settings, metric_id, rules, sorted(dependents[metric_id]))
                for metric_id in metric_ids if rules[metric_id].disclosure is Disclosure.HIDDEN]
    if rules["costs"].disclosure is Disclosure.HIDDEN:
        warnings.append(_leak(settings, "costs", rules, categories, "that add up to it"))
    return [warning for warning in warnings if warning is not None]


def _leak(settings: MetricsConfig, hidden: str, rules: Mapping[str, PublishRule], revealing: Iterable[str],
          how: str = "computed from it") -> Diagnostic | None:
    shown = [m for m in revealing if m in rules and rules[m].disclosure is not Disclosure.HIDDEN]
    if not shown:
        return None
    listing = ", ".join(f"{m} ({rules[m].disclosure.value})" for m in shown)
    hint = f"hide {'it' if len(shown) == 1 else 'them'} too (e.g. '{shown[0]}: hidden')"
    if how == "computed from it":
        hint += f", or write '{hidden}: {{disclosure: hidden, hide_derived: true}}'"
    return Diagnostic(f"{hidden} is hidden, but readers can work it back out from published metrics {how}: {listing}",
                      settings.source, rules[hidden].line, None, hint, "warning")

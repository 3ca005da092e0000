"""What `check` says about disclosure: each lifted propagation, payroll published exactly beside private pay, and
every protected value the attacker recovers from what the site publishes (attack/): an error in `check`, a
warning in `build`."""

from __future__ import annotations

from collections.abc import Mapping

from generator.config.company import SalaryDisclosure, TeamConfig
from generator.config.metrics import Disclosure, MetricsConfig
from generator.config.site import SiteConfig
from generator.errors import Diagnostic
from generator.metrics.compute.custom import custom_definitions
from generator.metrics.publish.disclosure import ResolvedRule, resolve_rules
from generator.metrics.publish.payroll import with_payroll_rules
from generator.metrics.publish.attack import find_recoveries, recovery_diagnostics
from generator.metrics.series import LoadedMetrics, MetricsData
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS


def find_disclosure_leaks(config: SiteConfig | MetricsConfig, data: MetricsData | None = None, *,
                          recoveries: bool = True) -> list[Diagnostic]:
    """Return a warning for each lifted propagation, and for each protected value readers work out.

    Args:
        config: the SiteConfig (or its MetricsConfig); no `metrics:` section means no warnings.
        data: the loaded (not yet published) metrics; without them only the rules are checked.
        recoveries: also run the attacker (find_disclosure_recoveries) when `data` is given.
    """
    team = config.team if isinstance(config, SiteConfig) else TeamConfig()
    written = config if isinstance(config, MetricsConfig) else (config.metrics or MetricsConfig())
    categories = _categories(written, data)
    settings = with_payroll_rules(written, team, [c[len(COST_PREFIX):] for c in categories])
    custom = custom_definitions(settings, [c[len(COST_PREFIX):] for c in categories])[0]
    metric_ids = [*METRIC_DEFINITIONS, *categories, *(d.id for d in custom)]
    resolved = resolve_rules(settings, metric_ids, custom)
    warnings = [_lift_warning(settings, metric_id, rule, resolved) for metric_id, rule in resolved.items()
                if rule.lifted_over is not None]
    if recoveries:
        warnings += find_disclosure_recoveries(config, data)
    if isinstance(config, SiteConfig):
        warnings += _payroll_warning(settings, config.team)
    return warnings


def find_disclosure_recoveries(config: SiteConfig | MetricsConfig, data: MetricsData | None,
                               severity: str = "warning") -> list[Diagnostic]:
    """Return one diagnostic per protected value the attacker works out of what the site publishes."""
    if not isinstance(data, LoadedMetrics) or data.is_empty:
        return []
    written = config if isinstance(config, MetricsConfig) else config.metrics
    return recovery_diagnostics(find_recoveries(data, config), written, severity)


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

"""Which charts the dashboard shows, in which order: site.yaml's `dashboard.charts`, or the default.

The default is the built-in charts, then a chart for each of the site's own metrics that no other metric
reads: a founder with twenty helper metrics feeding three formulas gets three charts, not twenty (issue 19).
A chart named in site.yaml that does not exist, or whose metric the publishing rules hide, is an error at its
line listing the valid ids.
"""

from __future__ import annotations

from generator.dashboard.cards import custom_metric_ids, hidden_metric_ids, valid_metric_ids
from generator.dashboard.context import DashboardContext
from generator.dashboard.plan import CHART_PLANS
from generator.errors import ConfigError, Diagnostic, choice_hint


def dashboard_chart_ids(ctx: DashboardContext) -> tuple[str, ...]:
    """Return the ids of the dashboard's charts in order: built-in chart ids and metric ids."""
    chosen = ctx.config.dashboard.charts
    if chosen is None:
        inputs = formula_inputs(ctx)
        return (*(plan.id for plan in CHART_PLANS), *(m for m in custom_metric_ids(ctx) if m not in inputs))
    valid = [plan.id for plan in CHART_PLANS] + valid_metric_ids(ctx)
    hidden = hidden_metric_ids(ctx)
    problems = []
    for choice in chosen:
        if choice.id in valid:
            continue
        message = (f"dashboard.charts names {choice.id!r}, which metrics.publish hides" if choice.id in hidden
                   else f"dashboard.charts names unknown chart {choice.id!r}")
        problems.append(Diagnostic(message, ctx.config.dashboard.source, choice.line, None,
                                   choice_hint(choice.id, valid)))
    if problems:
        raise ConfigError(diagnostics=problems)
    return tuple(dict.fromkeys(choice.id for choice in chosen))


def formula_inputs(ctx: DashboardContext) -> set[str]:
    """Return the site's own metrics that another of its metrics reads (a formula's input, a rate's divisor)."""
    own = set(custom_metric_ids(ctx))
    return {need for series in ctx.metrics if series.definition is not None and series.definition.custom
            for need in series.definition.needs if need in own and need != series.id}

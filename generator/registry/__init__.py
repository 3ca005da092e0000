"""The metric registry: every built-in metric is one entry, registered here in table order.

Below config on the ladder (docs/architecture.md), so site.yaml's validation, the metrics stage, the
dashboard, the scaffolds and the docs test all read the same entries. Importing this package registers
the domains in the order of the definitions table (docs/metrics.md): revenue, customers, finances, team,
acquisition; a site's own metrics (metrics.custom) become entries of the same type at build time.
"""

from generator.registry.definition import MetricDefinition, NullReason, Unit, bilingual
from generator.registry.month import Cell, MonthView, Undefined
from generator.registry.table import (
    COST_PREFIX,
    METRIC_DEFINITIONS,
    RAW_COLUMNS,
    build_cost_definition,
    derived_metric,
    get_definition,
    input_metric,
    register,
)

# isort: off
# Registration order is the table's order (docs/metrics.md): a metric may need only those registered before it.
from generator.registry import revenue, customers, finances, team, acquisition  # noqa: E402,F401
from generator.registry.finances import RUNWAY_WINDOW_MONTHS  # noqa: E402
# isort: on

__all__ = [
    "COST_PREFIX", "METRIC_DEFINITIONS", "RAW_COLUMNS", "RUNWAY_WINDOW_MONTHS", "Cell", "MetricDefinition",
    "MonthView", "NullReason", "Undefined", "Unit", "bilingual", "build_cost_definition", "derived_metric",
    "get_definition", "input_metric", "register",
]

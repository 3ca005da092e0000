"""The metrics dashboard, on the model's level: which pages, cards and charts the published metrics make.

`make_context` fixes the build month (what has closed, what is in progress); `resolve_references`
says what each `{{ metric … }}` / `{{ chart … }}` placeholder in a post stands for (render draws it
with the theme's macros);
`assemble_dashboard` decides the overview, metric, month and methodology pages. Nothing here
draws: each chart is a `ChartSpec` that the charts stage turns into SVG.
"""

from generator.dashboard.annotations import (
    AnnotationEntry,
    load_annotations,
    post_annotations,
)
from generator.dashboard.cards import KpiCard
from generator.dashboard.context import DashboardContext, make_context
from generator.dashboard.metric_pages import (
    Dashboard,
    MetricPage,
    assemble_dashboard,
)
from generator.dashboard.months import MonthPage
from generator.dashboard.plan import CHART_PLANS
from generator.dashboard.references import (
    MetricValue,
    Resolved,
    ResolvedReferences,
    as_of_month,
    resolve_references,
    substitute_placeholders,
)
from generator.dashboard.spec import Annotation, Chart, ChartSpec
from generator.dashboard.text import Change, Formatter

__all__ = [
    "CHART_PLANS", "Annotation", "AnnotationEntry", "Change", "Chart", "ChartSpec", "Dashboard",
    "DashboardContext", "Formatter", "KpiCard", "MetricPage", "MetricValue", "MonthPage", "Resolved",
    "ResolvedReferences", "as_of_month", "assemble_dashboard", "load_annotations", "make_context", "post_annotations",
    "resolve_references", "substitute_placeholders",
]

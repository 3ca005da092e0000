"""The metrics stage: metrics/*.csv to MetricsData, publishing rules, and the open-data exports.

Pipeline: `load_metrics(config)` reads, checks and computes; `publish_metrics(data, config)`
applies the founder's disclosure rules once; pages and `render_metrics_json` /
`render_metrics_csv` / `render_metrics_table` read only the published data.
"""

from generator.config.metrics import Disclosure, MetricsConfig, PublishRule
from generator.metrics.compute.table import compute_metrics
from generator.metrics.loader import load_metrics
from generator.metrics.publish.export import (
    OpenDataInfo,
    SourceRevision,
    cut_to,
    format_number,
    render_metrics_csv,
    render_metrics_json,
    select_open_data,
)
from generator.metrics.publish.leaks import find_disclosure_leaks
from generator.metrics.publish.rules import (
    publish_metrics,
    resolve_publish_rules,
)
from generator.metrics.publish.terminal import (
    FORMATS,
    render_metrics_table,
    select_month,
)
from generator.metrics.read.csvfile import parse_month
from generator.metrics.series import (
    LoadedMetrics,
    MetricPoint,
    MetricsData,
    MetricSeries,
    PublishedMetrics,
    add_months,
    format_month,
    list_months,
    month_of,
    require_published,
)
from generator.registry import (
    METRIC_DEFINITIONS,
    RUNWAY_WINDOW_MONTHS,
    MetricDefinition,
    NullReason,
    Unit,
    derived_metric,
    get_definition,
)

__all__ = [
    "LoadedMetrics", "PublishedMetrics", "require_published",
    "parse_month",
    "FORMATS", "METRIC_DEFINITIONS", "RUNWAY_WINDOW_MONTHS", "Disclosure", "MetricDefinition", "MetricPoint",
    "MetricSeries", "MetricsConfig", "MetricsData", "NullReason", "PublishRule", "Unit", "add_months",
    "compute_metrics", "derived_metric", "find_disclosure_leaks", "format_month", "format_number", "get_definition",
    "OpenDataInfo", "SourceRevision", "cut_to", "list_months", "load_metrics", "month_of", "publish_metrics",
    "render_metrics_csv", "render_metrics_json",
    "render_metrics_table", "resolve_publish_rules", "select_month", "select_open_data",
]

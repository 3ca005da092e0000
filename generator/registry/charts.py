"""Chart kinds and the dashboard's charts: the names the dashboard chooses and the charts stage draws.

Below config, beside the metric registry, so a chart kind is a `ChartKind` (a typo is an error when
the module loads, not a chart silently missing), and the charts stage registers one drawing per kind
(generator/charts/kinds.py; a test fails when a kind has none). Which metrics a dashboard chart shows
is not listed here: each metric's registry entry says where it appears (`Presence.charts`), so adding a
metric to a chart is part of adding the metric.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class ChartKind(StrEnum):
    """How a chart draws its series."""

    LINE = "line"
    """One line per series on one value axis: series that share a unit."""
    PANELS = "panels"
    """Small multiples: one panel per series, one above the other on the same months, each with its own value
    axis; for series in different units (a second y-axis would make lines cross where nothing happened)."""
    STACKED_BAR = "stacked_bar"
    """Bars stacked above zero (gains) and below it (losses), with optional overlay lines."""


@dataclass(frozen=True)
class DashboardChart:
    """One chart of the dashboard (and `{{ chart <id> }}` in posts): its id and how it is drawn."""

    id: str
    kind: ChartKind


DASHBOARD_CHARTS: tuple[DashboardChart, ...] = (
    DashboardChart("mrr", ChartKind.LINE),
    DashboardChart("mrr_movements", ChartKind.STACKED_BAR),
    DashboardChart("customers", ChartKind.PANELS),
    DashboardChart("costs", ChartKind.STACKED_BAR),
    DashboardChart("burn", ChartKind.PANELS),
    DashboardChart("arpu_ltv", ChartKind.LINE),
    DashboardChart("acquisition", ChartKind.LINE),
)
"""The dashboard's charts in page order; their titles are the string table's `chart.<id>`."""

DASHBOARD_CHART_IDS: Mapping[str, DashboardChart] = MappingProxyType({c.id: c for c in DASHBOARD_CHARTS})

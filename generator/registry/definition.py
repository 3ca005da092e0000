"""What a metric is: its unit, the reasons it can be undefined, and its registry entry.

Below config on the ladder, so site.yaml's validation, the metrics stage, the dashboard and the
scaffolds all ask the one registry what metrics exist rather than keeping lists of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from generator.i18n.localized import LocalizedText


class Unit(StrEnum):
    """What a metric's numbers count; the export's `unit` field."""

    CURRENCY = "currency"
    RATIO = "ratio"
    COUNT = "count"
    MONTHS = "months"
    NUMBER = "number"
    """A plain quantity with decimals, for a custom metric's declared unit (e.g. NPS in points)."""


class NullReason(StrEnum):
    """Why a month has no value; every null point carries one."""

    NO_PREVIOUS_MONTH = "no_previous_month"
    ZERO_DENOMINATOR = "zero_denominator"
    NO_CHURN = "no_churn"
    PROFITABLE = "profitable"
    MISSING_INPUT = "missing_input"
    INSUFFICIENT_HISTORY = "insufficient_history"
    NO_NEW_CUSTOMERS = "no_new_customers"
    NO_ACQUISITION_SPEND = "no_acquisition_spend"
    NEGATIVE_MARGIN = "negative_margin"
    WITHHELD = "withheld"
    """Not published that month, so that published numbers cannot isolate a protected one (payroll, issue 20)."""


@dataclass(frozen=True)
class MetricDefinition:
    """One registry entry: what a metric means, in every language, how it is computed, and when it is null.

    Built-in entries are registered by domain (generator/registry/revenue.py …); a site's own metrics (site.yaml
    `metrics.custom`) become entries of the same type, so every page, export and command reads
    a built-in and a custom metric alike.
    """

    id: str
    label: LocalizedText
    unit: Unit
    formula: str
    """The formula as readers see it, e.g. '(mrr − mrr[prev]) / mrr[prev]'; 'input' for inputs."""
    description: LocalizedText
    null_reasons: tuple[tuple[NullReason, LocalizedText], ...]
    """Each reason code this metric can carry, with when it happens, in order of precedence."""
    needs: tuple[str, ...] = ()
    compute: Callable[..., Decimal] | None = None
    """One month's value from a registry.MonthView; None for inputs read straight from a file."""
    source: LocalizedText | None = None
    """For inputs: the file and column, identifiers in backticks: '`mrr.csv`, column `mrr`'."""
    as_percent: bool = True
    """For ratios: shown as a percentage (False for multiples such as the quick ratio)."""
    higher_is_better: bool = True
    """Whether a rise is good news (MRR) or bad (churn, costs): the colour of its change."""
    unit_name: str = ""
    """A declared unit such as 'points' (unit NUMBER); '' for the built-in units."""
    custom: bool = False
    """True for a metric declared in site.yaml's metrics.custom."""
    requires: tuple[str, ...] = ()
    """What the site must have for the metric to exist (team.csv, salaries, cost groups…); see compute.FEATURES."""
    decimals: int | None = None
    """For a site's own unit (Unit.NUMBER): decimals shown (None: generator.numbers.DEFAULT_DECIMALS)."""
    presence: Presence = field(default_factory=lambda: Presence())
    """Where it shows beyond its own page: default card, dashboard charts, draft reports."""
    reads: tuple[str, str] | None = None
    """For an input read from one column: (file stem, column), e.g. ('mrr', 'new'); the metrics stage reads it so."""

    @property
    def is_input(self) -> bool:
        return self.compute is None

    @property
    def unit_text(self) -> str:
        """Return the unit as exports name it: 'currency', 'ratio', or a declared unit such as 'points'."""
        return self.unit_name or self.unit.value


def bilingual(english: str, chinese: str) -> LocalizedText:
    """Return a text of the registry in English and Simplified Chinese (the two languages that ship)."""
    return LocalizedText(english, MappingProxyType({"en": english, "zh-CN": chinese}))


class SeriesRole(StrEnum):
    """How a metric appears in a dashboard chart."""

    MAIN = "main"
    """A line, or a bar stacked above zero."""
    BELOW = "below"
    """A bar stacked below zero: money lost (churn, contraction)."""
    OVERLAY = "overlay"
    """A line drawn over the bars (net new MRR over the movements, MRR over the costs)."""
    CATEGORIES = "categories"
    """The metric's parts stacked above zero (each published cost category), or the metric itself without them."""


@dataclass(frozen=True)
class ChartSlot:
    """A place in one of the dashboard's charts (generator/registry/charts.py names them)."""

    chart: str
    role: SeriesRole = SeriesRole.MAIN
    order: int = 0
    """Position among the chart's series (stacking order, legend order)."""


class ReportKind(StrEnum):
    """The draft reports `opensite new report` writes."""

    MONTHLY = "monthly"
    ANNUAL = "annual"


@dataclass(frozen=True)
class ReportSlot:
    """Where a draft report lists the metric: under which heading, in which order, with which chart."""

    report: ReportKind
    section: str
    """The heading's key in the string table: report_revenue, report_customers, report_costs, report.team."""
    order: int
    chart: str | None = None
    """A dashboard chart the section draws when this metric has a value."""


@dataclass(frozen=True)
class Presence:
    """Where a metric shows beyond its own page: default card, dashboard charts, draft reports, reading."""

    card: int | None = None
    """Position among the dashboard's default cards (when site.yaml names none); None: no default card."""
    charts: tuple[ChartSlot, ...] = ()
    reports: tuple[ReportSlot, ...] = ()
    negative_reads_as: str | None = None
    """A metric read the other way round when negative, and the label key it then takes (net burn → profit)."""
    axis_cap: int | None = None
    """Where a chart's axis stops, so one huge value does not flatten the rest (runway near break-even)."""


def monthly(section: str, order: int, chart: str | None = None) -> ReportSlot:
    """Return the metric's place in the monthly report."""
    return ReportSlot(ReportKind.MONTHLY, section, order, chart)


def annual(section: str, order: int, chart: str | None = None) -> ReportSlot:
    """Return the metric's place in the annual letter."""
    return ReportSlot(ReportKind.ANNUAL, section, order, chart)

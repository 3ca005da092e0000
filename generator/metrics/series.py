"""The data the metrics stage hands on: months, one MetricSeries per metric, units and null reasons.

Everything here is frozen: the build, the exports and the dashboard all read one MetricsData, and
`publish_metrics` returns a new one rather than editing it, so nothing downstream can reach a
number the founder chose not to publish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from generator.config.localized import LocalizedText
from generator.config.metrics import Disclosure
from generator.errors import Diagnostic
from generator.metrics.money import FxUse


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


@dataclass(frozen=True)
class MetricDefinition:
    """One registry entry: what a metric means, in every language, how it is computed, and when it is null.

    Built-in entries are registered in definitions.py; a site's own metrics (site.yaml
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

    @property
    def is_input(self) -> bool:
        return self.compute is None

    @property
    def unit_text(self) -> str:
        """Return the unit as exports name it: 'currency', 'ratio', or a declared unit such as 'points'."""
        return self.unit_name or self.unit.value


@dataclass(frozen=True)
class MetricPoint:
    """One month of one metric: a value, or None and the reason it is undefined."""

    month: date
    value: Decimal | None
    reason: str | None = None
    approximate: bool = False
    """True when the published value is rounded, so templates show ≈."""

    @property
    def defined(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class MetricSeries:
    """Monthly values of one metric, oldest first, aligned with MetricsData.months."""

    id: str
    label: str
    unit: Unit
    points: tuple[MetricPoint, ...]
    disclosure: Disclosure = Disclosure.EXACT
    index_base: date | None = None
    """For a relative (indexed) series: the month whose value is 100."""
    definition: MetricDefinition | None = field(default=None, compare=False, repr=False)
    """The registry entry the series was computed from (None only in hand-made test series)."""

    @property
    def as_percent(self) -> bool:
        """For ratios: True when pages show a percentage rather than a multiple (2.5×)."""
        return self.definition.as_percent if self.definition else True

    @property
    def unit_text(self) -> str:
        """Return the unit as exports name it (a declared unit such as 'points' for custom metrics)."""
        return self.definition.unit_text if self.definition else self.unit.value

    @property
    def approximate(self) -> bool:
        """True when values are rounded for publication (show ≈)."""
        return self.disclosure is Disclosure.ROUNDED

    @property
    def indexed(self) -> bool:
        """True when values are an index (first defined value = 100) rather than amounts."""
        return self.index_base is not None

    @property
    def values(self) -> tuple[Decimal | None, ...]:
        return tuple(point.value for point in self.points)

    def point_at(self, month: date) -> MetricPoint | None:
        """Return the point of `month`, or None when the month lies outside the series."""
        if not self.points:
            return None
        index = count_months(self.points[0].month, month)
        return self.points[index] if 0 <= index < len(self.points) else None

    def value_at(self, month: date) -> Decimal | None:
        """Return the value of `month`, or None when it is undefined or out of range."""
        point = self.point_at(month)
        return point.value if point else None

    def latest(self) -> MetricPoint | None:
        """Return the newest point that has a value."""
        return next((p for p in reversed(self.points) if p.value is not None), None)


@dataclass(frozen=True)
class MetricsData:
    """Every metric of a site, month by month; empty when the site has no metrics."""

    months: tuple[date, ...] = ()
    """Every calendar month from the first to the last row of any file, gaps included."""
    series: Mapping[str, MetricSeries] = field(default_factory=lambda: MappingProxyType({}))
    """By metric id, in definitions-table order, with costs.<category> after costs."""
    currency: str = "USD"
    warnings: tuple[Diagnostic, ...] = ()
    published: bool = False
    """True once publish_metrics applied the disclosure rules."""
    fx: tuple[FxUse, ...] = ()
    """Every exchange rate that converted an input amount to `currency`, by currency and month."""
    raw: Mapping[str, tuple[Decimal | None, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Input columns that are no metric (reactivated_customers), so publishing can recompute a metric
    from rounded inputs; emptied by publish_metrics, never exported."""
    team: Any = None
    """The team (generator.metrics.team_page.Team) when the site has team.csv; published, it holds only what
    team.salaries and team.names allow."""
    cohorts: Any = None
    """cohorts.csv's cells (generator.metrics.cohorts); published, a Cohorts with small cohorts merged or withheld."""

    @property
    def is_empty(self) -> bool:
        return not self.months

    def get(self, metric_id: str) -> MetricSeries | None:
        """Return the series of `metric_id`, or None when it is absent (or hidden)."""
        return self.series.get(metric_id)

    def __iter__(self) -> Iterator[MetricSeries]:
        return iter(self.series.values())


def add_months(month: date, count: int) -> date:
    """Return the first day of the month `count` months after `month` (before it when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_of(moment: datetime, zone: tzinfo) -> date:
    """Return the month `moment` falls in, read in `zone`: the build month of a build at that moment."""
    local = moment.astimezone(zone)
    return date(local.year, local.month, 1)


def count_months(start: date, month: date) -> int:
    """Return how many months `month` lies after `start`."""
    return (month.year - start.year) * 12 + month.month - start.month


def list_months(first: date, last: date) -> tuple[date, ...]:
    """Return every month from `first` to `last`, both included."""
    return tuple(add_months(first, i) for i in range(count_months(first, last) + 1))


def format_month(month: date) -> str:
    """Return the export form of a month, '2024-03'."""
    return f"{month.year:04d}-{month.month:02d}"

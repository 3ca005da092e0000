"""The data the metrics stage hands on: months, one MetricSeries per metric, units and null reasons.

Everything here is frozen: the build, the exports and the dashboard all read one MetricsData, and
`publish_metrics` returns a new one rather than editing it, so nothing downstream can reach a
number the founder chose not to publish.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from generator.config.metrics import Disclosure
from generator.errors import Diagnostic
from generator.metrics.read.money import FxUse
from generator.registry import MetricDefinition, Unit


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
    computed_from: tuple[str, ...] = ()
    """The protected (rounded, relative) inputs whose *published* values this series was computed from: it tells
    a reader nothing they do not (issue 20). Empty when computed from exact values, or for an input."""
    round_to: Decimal | None = None
    """For a series rounded from its true values: the step (each true value lies within half of it)."""
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
    def decimals(self) -> int | None:
        """Decimals shown for a site's own unit (its entry's `decimals`), None for the built-in units' rules."""
        return self.definition.decimals if self.definition else None

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
    """Every metric of a site, month by month; empty when the site has no metrics.

    Two kinds exist, and the difference is a type, not a flag: `LoadedMetrics` (every value as computed,
    from load_metrics) and `PublishedMetrics` (only what the founder's rules let readers see, from
    publish_metrics). Everything that renders, exports or prints accepts `PublishedMetrics` alone
    (`require_published`), so an unpublished number cannot reach a page by construction.
    """

    months: tuple[date, ...] = ()
    """Every calendar month from the first to the last row of any file, gaps included."""
    series: Mapping[str, MetricSeries] = field(default_factory=lambda: MappingProxyType({}))
    """By metric id, in definitions-table order, with costs.<category> after costs."""
    currency: str = "USD"
    warnings: tuple[Diagnostic, ...] = ()
    fx: tuple[FxUse, ...] = ()
    """Every exchange rate that converted an input amount to `currency`, by currency and month."""
    team: Any = None
    """The team (generator.metrics.compute.pay.Team) when the site has team.csv; published, it holds only
    what team.salaries and team.names allow."""
    cohorts: Any = None
    """cohorts.csv's cells (generator.metrics.read.cohorts); published, a Cohorts with small cohorts merged or
    withheld (generator.metrics.publish.cohorts)."""

    @property
    def is_empty(self) -> bool:
        return not self.months

    def get(self, metric_id: str) -> MetricSeries | None:
        """Return the series of `metric_id`, or None when it is absent (or hidden)."""
        return self.series.get(metric_id)

    def __iter__(self) -> Iterator[MetricSeries]:
        return iter(self.series.values())


@dataclass(frozen=True)
class LoadedMetrics(MetricsData):
    """What load_metrics computed: exact values, input columns and the whole team. Never rendered as it is."""

    raw: Mapping[str, tuple[Decimal | None, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Input columns that are no metric (reactivated_customers), so publishing can recompute a metric
    from rounded inputs; never exported."""
    payroll_terms: Mapping[date, Mapping[tuple[str, int], Decimal]] = field(
        default_factory=lambda: MappingProxyType({}))
    """By month, the team.csv rows (person, line) whose salaries payroll adds up and the rate of each: publishing
    withholds the months that would isolate fewer than 3 people's pay; never exported."""


@dataclass(frozen=True)
class PublishedMetrics(MetricsData):
    """What publish_metrics let through: hidden metrics absent, rounded and relative ones as readers see them."""


def labelled_in(data: PublishedMetrics, language: str) -> PublishedMetrics:
    """Return the same published numbers with each series labelled in `language` (a site's second language)."""
    series = {key: replace(one, label=one.definition.label.get(language)) if one.definition else one
              for key, one in data.series.items()}
    return replace(data, series=MappingProxyType(series))


def require_published(data: MetricsData) -> PublishedMetrics:
    """Return `data` when it is PublishedMetrics; refuse anything else (a bug: it would publish too much)."""
    if not isinstance(data, PublishedMetrics):
        raise TypeError(f"expected PublishedMetrics (the output of publish_metrics), got {type(data).__name__}")
    return data


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

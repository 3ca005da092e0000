"""What every dashboard decision reads: the published metrics, the build month, the formatter, the notes.

Made once per build (`make_context`); the cards, charts, metric, month, year and team pages all read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from generator import routes
from generator.config import SiteConfig
from generator.dashboard.annotations import AnnotationEntry
from generator.dashboard.text import Formatter
from generator.metrics import MetricSeries, add_months, month_of
from generator.metrics.series import PublishedMetrics, require_published


@dataclass(frozen=True)
class DashboardContext:
    """What every dashboard decision reads: the published data, the build month, the formatter."""

    config: SiteConfig
    metrics: PublishedMetrics
    fmt: Formatter
    months: tuple[date, ...]
    """The data's months up to the build month: later rows cannot have happened yet."""
    latest_closed: date | None
    """The newest month that ended before the build (what cards and month pages show)."""
    in_progress: date | None
    """The build month, when the data has a row for it (an estimate)."""
    annotations: tuple[AnnotationEntry, ...] = ()
    build_month: date | None = None
    """The month the build runs in (in the site's time zone)."""

    @property
    def path(self) -> str:
        """Return the dashboard's folder in the language of these pages ('metrics/', 'zh/metrics/')."""
        return routes.in_language(self.config.language_folder, self.config.dashboard.path)

    def data_page(self, path: str) -> str | None:
        """Return the first language's twin of a page, beside which its downloads live (one open-data set for
        every language, issue 23); None when these pages are the first language's."""
        return routes.outside_language(self.config.language_folder, path) if self.config.language_folder else None

    @property
    def closed_months(self) -> tuple[date, ...]:
        return tuple(m for m in self.months if self.latest_closed and m <= self.latest_closed)

    def metric_path(self, metric_id: str) -> str:
        return routes.metric(self.path, metric_id)

    def month_path(self, month: date) -> str | None:
        """Return the page of a closed month, or None (the month in progress and later have none)."""
        if self.latest_closed is None or month > self.latest_closed or month not in self.months:
            return None
        return routes.month(self.path, month)

    def usable(self, metric_id: str, first: date, last: date) -> MetricSeries | None:
        """Return the published series when it has a value between `first` and `last`."""
        series = self.metrics.get(metric_id)
        if series is None or not any(p.value is not None and first <= p.month <= last for p in series.points):
            return None
        return series


def make_context(config: SiteConfig, metrics: PublishedMetrics, build_time: datetime,
                 annotations: Sequence[AnnotationEntry] = ()) -> DashboardContext:
    """Return the context of a build at `build_time` (in the site's time zone); only published metrics."""
    require_published(metrics)
    build_month = month_of(build_time, config.zone)
    months = tuple(m for m in metrics.months if m <= build_month)
    closed = [m for m in months if m < build_month]
    fmt = Formatter(config.language, metrics.currency, config.string_overrides)
    return DashboardContext(config, metrics, fmt, months, closed[-1] if closed else None,
                            build_month if build_month in months else None, tuple(annotations), build_month)


def window(ctx: DashboardContext, months: int | None, last: date | None = None) -> tuple[date, date] | None:
    """Return the first and last month of a window of `months` (None: all) ending at `last` (default: newest)."""
    if not ctx.months:
        return None
    last = last or ctx.months[-1]
    first = ctx.months[0] if months is None else max(ctx.months[0], add_months(last, 1 - months))
    return (first, last) if first <= last else None

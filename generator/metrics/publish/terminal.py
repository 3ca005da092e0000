"""`opensite metrics`: the same numbers as the exports, printed for a terminal.

`table` shows one month (the latest by default) for people, in the site's language: words from
the string table (site.yaml's `strings:` included), numbers and months formatted by Babel for the
locale. `csv` and `json` print exactly what metrics.csv and metrics.json hold, for the whole
range or one month; given the site's OpenDataInfo, that is what the site's downloads publish
(no month after the build month, the month in progress flagged as an estimate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from babel.dates import format_skeleton

from generator.errors import MetricsError
from generator.i18n import Translator
from generator.metrics.framing import shown_as
from generator.metrics.publish.export import (
    OpenDataInfo,
    render_metrics_csv,
    render_metrics_json,
)
from generator.metrics.series import (
    MetricPoint,
    MetricsData,
    MetricSeries,
    PublishedMetrics,
    count_months,
    format_month,
    require_published,
)
from generator.numbers import NumberFormat
from generator.textwidth import display_width, pad

FORMATS = ("table", "csv", "json")


def render_metrics_table(data: PublishedMetrics, month: date | None = None, fmt: str = "table", *,
                         info: OpenDataInfo | None = None, language: str = "en",
                         overrides: Mapping[str, str] | None = None) -> str:
    """Return the metrics of `month` (all months for csv/json when None) as a table, CSV or JSON.

    Args:
        data: the published metrics (for the site's downloads: already cut at the build month).
        month: one month; None for the latest (table) or every month (csv, json).
        fmt: one of FORMATS.
        info: the site's open-data facts: CSV and JSON then flag the estimate as the downloads do.
        language: the site's language, for the table's words and numbers.
        overrides: site.yaml's `strings:` in that language.

    Raises:
        ValueError: `fmt` is not one of FORMATS.
        MetricsError: `month` lies outside the data.
    """
    require_published(data)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if month is not None:
        data = select_month(data, month)
    if fmt == "csv":
        return render_metrics_csv(data, info).decode("utf-8")
    if fmt == "json":
        return render_metrics_json(data, info).decode("utf-8")
    shown = data.months[-1] if data.months else None
    translator = Translator(language, overrides)
    return _Table(translator, NumberFormat(language, data.currency, translator)).render(
        data, shown, estimate=info is not None and shown is not None and shown == info.estimate)


def select_month(data: PublishedMetrics, month: date) -> PublishedMetrics:
    """Return `data` cut down to one month."""
    month = month.replace(day=1)
    if month not in data.months:
        span = f"months run from {format_month(data.months[0])} to {format_month(data.months[-1])}" \
            if data.months else "the site has no metrics yet"
        raise MetricsError(f"no metrics for {format_month(month)}", hint=span)
    index = count_months(data.months[0], month)
    series = {key: replace(one, points=(one.points[index],)) for key, one in data.series.items()}
    return replace(data, months=(month,), series=MappingProxyType(series))


class _Table:
    """One month's metrics as aligned text in one language: words from `t`, numbers as the site prints them."""

    def __init__(self, t: Translator, numbers: NumberFormat) -> None:
        self.t, self.numbers, self.locale, self.currency = t, numbers, numbers.locale, numbers.currency

    def render(self, data: MetricsData, month: date | None, estimate: bool) -> str:
        t = self.t
        if month is None:
            return t("numbers.empty") + "\n"
        rows = [(t("numbers.metric"), t("numbers.label"), t("numbers.value"), t("numbers.note"))]
        rows += [self._row(one, month) for one in data if one.point_at(month) is not None]
        widths = [max(display_width(row[i]) for row in rows) for i in range(4)]  # a Chinese label is 2 columns a char
        title = t("numbers.title_estimate" if estimate else "numbers.title",
                  month=format_skeleton("yMMMM", month, locale=self.locale), currency=self.currency)
        lines = [title, ""]
        lines += ["  ".join(pad(cell, width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        return "\n".join(lines) + "\n"

    def _row(self, series: MetricSeries, month: date) -> tuple[str, str, str, str]:
        """Return one metric's row as the site frames it: a negative net burn is a profit, as on its pages."""
        shown = shown_as(series, month)
        label = self.t(f"label.{shown.id}") if shown is not series else series.label
        point = shown.point_at(month)
        return series.id, label, self._display(shown, point), self._note(shown, point)  # type: ignore[arg-type]

    def _display(self, series: MetricSeries, point: MetricPoint) -> str:
        """Format a value exactly as the site shows it: $12,500, 4.1%, 1,204, 14.2 months, ≈$620,000."""
        return self.numbers.point(series, point)

    def _note(self, series: MetricSeries, point: MetricPoint) -> str:
        if point.value is None:
            key = f"reason.{point.reason}"
            return self.t(key) if point.reason and key in self.t.strings else str(point.reason or "")
        if series.indexed and series.index_base:
            return self.t("numbers.index_base", month=format_skeleton("yMMM", series.index_base, locale=self.locale))
        return self.t("numbers.rounded") if point.approximate else ""

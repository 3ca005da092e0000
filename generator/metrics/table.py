"""`opensite metrics`: the same numbers as the exports, printed for a terminal.

`table` shows one month (the latest by default) with values formatted for people; `csv` and
`json` print exactly what metrics.csv and metrics.json hold, for the whole range or one month.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from babel.numbers import format_currency, format_decimal, format_percent

from generator.errors import MetricsError
from generator.metrics.export import render_metrics_csv, render_metrics_json
from generator.metrics.series import MetricPoint, MetricsData, MetricSeries, Unit, count_months, format_month
from generator.textwidth import display_width, pad

FORMATS = ("table", "csv", "json")
_LOCALE = "en_US"


def render_metrics_table(data: MetricsData, month: date | None = None, fmt: str = "table") -> str:
    """Return the metrics of `month` (all months for csv/json when None) as a table, CSV or JSON.

    Raises:
        ValueError: `fmt` is not one of FORMATS.
        MetricsError: `month` lies outside the data.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if month is not None:
        data = select_month(data, month)
    if fmt == "csv":
        return render_metrics_csv(data).decode("utf-8")
    if fmt == "json":
        return render_metrics_json(data).decode("utf-8")
    return _text_table(data, data.months[-1] if data.months else None)


def select_month(data: MetricsData, month: date) -> MetricsData:
    """Return `data` cut down to one month."""
    month = month.replace(day=1)
    if month not in data.months:
        span = f"months run from {format_month(data.months[0])} to {format_month(data.months[-1])}" \
            if data.months else "the site has no metrics yet"
        raise MetricsError(f"no metrics for {format_month(month)}", hint=span)
    index = count_months(data.months[0], month)
    series = {key: replace(one, points=(one.points[index],)) for key, one in data.series.items()}
    return replace(data, months=(month,), series=MappingProxyType(series))


def _text_table(data: MetricsData, month: date | None) -> str:
    if month is None:
        return "No metrics: add metrics/mrr.csv to the site.\n"
    rows = [("metric", "label", "value", "note")]
    rows += [(one.id, one.label, _display(one, point, data.currency), _note(one, point))
             for one in data for point in one.points if point.month == month]
    widths = [max(display_width(row[i]) for row in rows) for i in range(4)]  # a Chinese label is 2 columns a char
    lines = [f"{month:%B %Y} ({data.currency})", ""]
    lines += ["  ".join(pad(cell, width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def _display(series: MetricSeries, point: MetricPoint, currency: str) -> str:
    """Format a value for people: $12,500.00, 4.1%, 1,204, 14.2 months, or an index."""
    if point.value is None:
        return "—"
    prefix = "≈" if point.approximate else ""
    return prefix + _format(point.value, series, currency)


def _format(value: Decimal, series: MetricSeries, currency: str) -> str:
    if series.indexed:
        return f"index {format_decimal(value, '#,##0.0', locale=_LOCALE)}"
    if series.unit is Unit.CURRENCY:
        return format_currency(value, currency, locale=_LOCALE)
    if series.unit is Unit.RATIO:
        if series.as_percent:
            return format_percent(value, "#,##0.0#%", locale=_LOCALE)
        return format_decimal(value, "#,##0.00", locale=_LOCALE) + "×"
    if series.unit is Unit.MONTHS:
        return format_decimal(value, "#,##0.0", locale=_LOCALE) + " months"
    if series.unit is Unit.NUMBER:
        return f"{format_decimal(value, '#,##0.##', locale=_LOCALE)} {series.unit_text}".rstrip()
    return format_decimal(value, "#,##0", locale=_LOCALE)


def _note(series: MetricSeries, point: MetricPoint) -> str:
    if point.value is None:
        return str(point.reason or "")
    if series.indexed and series.index_base:
        return f"{format_month(series.index_base)} = 100"
    return "rounded" if point.approximate else ""

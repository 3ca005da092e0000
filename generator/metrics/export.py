"""Open data: metrics.json and metrics.csv, as deterministic bytes.

Same data, same bytes: no timestamps, keys in the order the format gives (the table's order for
metrics, chronological for months), numbers written from their Decimal digits (never through a
float), currency to the cent, ratios as fractions (0.05 for 5%).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from generator.metrics.series import MetricsData, MetricSeries, Unit, format_month


def format_number(value: Decimal | None, series: MetricSeries) -> str:
    """Return the machine form of a value: '12500.00' for money, '0.05' for 5%, '' when undefined."""
    if value is None:
        return ""
    if series.unit is Unit.CURRENCY and not series.indexed:
        return f"{value.quantize(Decimal('0.01')):f}"
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def render_metrics_json(data: MetricsData) -> bytes:
    """Return metrics.json: currency, months, and per metric label, unit, disclosure, values, reasons."""
    lines = ["{", f'  "currency": {_string(data.currency)},',
             f'  "months": [{", ".join(_string(format_month(m)) for m in data.months)}],', *_json_fx(data),
             '  "metrics": {']
    entries = [_json_series(series) for series in data]
    lines.append(",\n".join(entries))
    lines += ["  }", "}", ""]
    return "\n".join(line for line in lines if line).encode("utf-8") + b"\n"


def _json_series(series: MetricSeries) -> str:
    values = ", ".join(format_number(p.value, series) or "null" for p in series.points)
    reasons = ", ".join(f"{_string(format_month(p.month))}: {_string(str(p.reason))}"
                        for p in series.points if p.value is None and p.reason)
    return "\n".join([
        f"    {_string(series.id)}: {{",
        f'      "label": {_string(series.label)},',
        f'      "unit": {_string(series.unit_text)},',
        f'      "disclosure": {_string(series.disclosure.value)},',
        f'      "values": [{values}],',
        f'      "reasons": {{{reasons}}}',
        "    }",
    ])


def _json_fx(data: MetricsData) -> list[str]:
    """Return the `fx` entry: every rate that converted an input amount (absent when nothing was converted)."""
    if not data.fx:
        return []
    entries = [f'    {{"currency": {_string(use.currency)}, '
               f'"month": {_string(format_month(use.month)) if use.month else "null"}, '
               f'"rate": {use.rate.normalize():f}, "source": {_string(use.source)}, '
               f'"files": [{", ".join(_string(name) for name in use.files)}]}}' for use in data.fx]
    return ['  "fx": [', ",\n".join(entries), "  ],"]


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render_metrics_csv(data: MetricsData) -> bytes:
    """Return metrics.csv: a `month` column plus one column per metric (by id), empty where undefined."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    series = list(data)
    writer.writerow(["month", *(one.id for one in series)])
    for index, month in enumerate(data.months):
        writer.writerow([format_month(month), *(format_number(one.points[index].value, one) for one in series)])
    return buffer.getvalue().encode("utf-8")

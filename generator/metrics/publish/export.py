"""Open data: metrics.json and metrics.csv, as deterministic bytes.

Same data, same bytes: no timestamps, keys in the order the format gives (the table's order for
metrics, chronological for months), numbers written from their Decimal digits (never through a
float), currency to the cent, ratios as fractions (0.05 for 5%).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from generator.metrics.series import MetricSeries, PublishedMetrics, format_month, require_published
from generator.registry import Unit


@dataclass(frozen=True)
class SourceRevision:
    """The git commit a site was built from, and whether its tree had uncommitted changes then."""

    commit: str
    dirty: bool

    @property
    def text(self) -> str:
        """Return what data/VERSION holds: the commit, with '-dirty' when the tree had changes (as git describe)."""
        return self.commit + ("-dirty" if self.dirty else "")


@dataclass(frozen=True)
class OpenDataInfo:
    """What the site's downloads say beyond the numbers: the month still running, and the source revision."""

    estimate: date | None = None
    """The month in progress at build time: its values are an estimate (flagged in JSON and CSV)."""
    revision: SourceRevision | None = None
    """None when the site is not a git checkout: then no `meta` object is written."""


def cut_to(data: PublishedMetrics, last: date | None) -> PublishedMetrics:
    """Return the data without the months after `last`: open data never runs ahead of the dashboard, nor do the
    exchange rates it lists (a rate of a later month, or before the first, is not published; issue 21)."""
    require_published(data)
    if last is None:
        return replace(data, months=(), series=MappingProxyType({}), fx=())
    keep = sum(1 for month in data.months if month <= last)
    series = {key: replace(one, points=one.points[:keep]) for key, one in data.series.items()}
    shown = data.months[:keep]
    fx = tuple(use for use in data.fx if use.month is None or (shown and shown[0] <= use.month <= shown[-1]))
    return replace(data, months=shown, series=MappingProxyType(series), fx=fx)  # a rate only for a month shown


def select_open_data(data: PublishedMetrics, build_month: date,
                     revision: SourceRevision | None = None) -> tuple[PublishedMetrics, OpenDataInfo]:
    """Return what the open data publishes at a build in `build_month`: no later month, and that month flagged.

    The site's downloads and `opensite metrics --format csv|json` both come from here, so the
    command prints what the site would publish if built now (issue 14: open data never runs ahead).
    """
    published = cut_to(data, build_month)
    return published, OpenDataInfo(build_month if build_month in published.months else None, revision)


def format_number(value: Decimal | None, series: MetricSeries) -> str:
    """Return the machine form of a value: '12500.00' for money, '0.05' for 5%, '' when undefined."""
    if value is None:
        return ""
    if series.unit is Unit.CURRENCY and not series.indexed:
        return f"{value.quantize(Decimal('0.01')):f}"
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def render_metrics_json(data: PublishedMetrics, info: OpenDataInfo | None = None) -> bytes:
    """Return metrics.json: currency, months, and per metric label, unit, disclosure, values, reasons.

    A site's download (`info` given) also says which month is an estimate and, from a git checkout,
    `meta`: the source revision and whether the tree had uncommitted changes.
    """
    require_published(data)
    lines = ["{"]
    if info is not None and info.revision is not None:
        lines.append(f'  "meta": {{"revision": {_string(info.revision.commit)}, '
                     f'"uncommitted_changes": {json.dumps(info.revision.dirty)}}},')
    lines += [f'  "currency": {_string(data.currency)},',
              f'  "months": [{", ".join(_string(format_month(m)) for m in data.months)}],', *_json_fx(data)]
    if info is not None:
        estimate = _string(format_month(info.estimate)) if info.estimate in data.months else "null"
        lines.append(f'  "estimate_month": {estimate},')
    lines.append('  "metrics": {')
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
        *([f'      "round_to": {format_number(series.round_to, series)},'] if series.round_to else []),
        *([f'      "computed_from": [{", ".join(_string(m) for m in series.computed_from)}],']
          if series.computed_from else []),
        f'      "values": [{values}],',
        f'      "reasons": {{{reasons}}}',
        "    }",
    ])


def _json_fx(data: PublishedMetrics) -> list[str]:
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


def render_metrics_csv(data: PublishedMetrics, info: OpenDataInfo | None = None) -> bytes:
    """Return metrics.csv: a `month` column plus one column per metric (by id), empty where undefined.

    A site's download (`info` given) ends with an `estimate` column: `yes` on the month still running.
    """
    require_published(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    series = list(data)
    flag = ["estimate"] if info is not None else []
    writer.writerow(["month", *(one.id for one in series), *flag])
    for index, month in enumerate(data.months):
        estimate = ["yes" if month == info.estimate else ""] if info is not None else []
        writer.writerow([format_month(month), *(format_number(one.points[index].value, one) for one in series),
                         *estimate])
    return buffer.getvalue().encode("utf-8")

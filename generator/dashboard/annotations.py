"""Chart annotations: metrics/annotations.csv and posts with `annotate:`, as numbered markers.

`annotations.csv` has the columns `month, text` and optionally `metrics` (ids separated by spaces,
commas or semicolons; empty means every chart) and `url`; on a site in several languages, `text.en`
(`text.<language>`) holds the text in another language (issue 23). A post with `annotate: "Raised prices"`
marks its own month and links to itself. Which markers a chart gets, and their numbers, is
decided per chart: those in its months that name one of its metrics (or none), in month order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from generator.config import SiteConfig
from generator.config.metrics import FileOptions
from generator.config.values import check_link
from generator.content import Post
from generator.dashboard.spec import Annotation
from generator.errors import Diagnostic, MetricsError, choice_hint
from generator.metrics.loader import find_metrics_file
from generator.metrics.read.csvfile import CsvTable, load_csv, normalize_header, parse_month

ANNOTATIONS_FILE = "annotations.csv"
TEXT_IN = "text."
"""A column `text.en` holds an annotation's text in that language (on a site in several languages)."""
_SEPARATORS = re.compile(r"[\s,;|]+")


@dataclass(frozen=True)
class AnnotationEntry:
    """One thing that happened in a month, from annotations.csv or a post's front matter."""

    month: date
    text: str
    metrics: tuple[str, ...] = ()
    """Metric ids whose charts show the marker; empty means every chart."""
    url: str | None = None
    """A site path without the leading '/' ('2024/09/prices/') or a full URL."""
    source: Path | None = None
    line: int | None = None
    texts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """The text in other languages, by tag as a CSV header reads ('zh_cn': annotations.csv's `text.zh-CN`)."""

    def in_language(self, language: str) -> AnnotationEntry:
        """Return the annotation with its text in `language` when annotations.csv has it."""
        text = self.texts.get(normalize_header(language)) or self.texts.get(normalize_header(language.split("-")[0]))
        return replace(self, text=text) if text else self


def load_annotations(config: SiteConfig) -> tuple[AnnotationEntry, ...]:
    """Read metrics/annotations.csv (any case) when it exists; raise MetricsError listing every bad row."""
    path = find_metrics_file(config, ANNOTATIONS_FILE)
    if path is None:
        return ()
    table, problems = load_csv(path, "annotations", FileOptions())
    entries: list[AnnotationEntry] = []
    if table is not None:
        problems += _missing_columns(table)
        if not problems:
            for row in table.rows:
                entry = _entry(table, row, problems)
                if entry is not None:
                    entries.append(entry)
    error = MetricsError.collect(p for p in problems if p.severity == "error")
    if error:
        raise error
    return tuple(entries)


def _missing_columns(table: CsvTable) -> list[Diagnostic]:
    hint = "write the header 'month,text,metrics,url' (metrics and url are optional)"
    return [Diagnostic(f"{ANNOTATIONS_FILE} has no {column!r} column", table.path, table.header_line, None, hint)
            for column in ("month", "text") if column not in table.keys]


def _entry(table: CsvTable, row, problems: list[Diagnostic]) -> AnnotationEntry | None:
    text = table.cell(row, "text")
    try:
        month = parse_month(table.cell(row, "month"))
    except ValueError as exc:
        problems.append(table.problem(row.line, "month", f"{table.cell(row, 'month')!r} is not a month", str(exc)))
        return None
    if not text:
        problems.append(table.problem(row.line, "text", "the annotation has no text",
                                      "write what happened, e.g. 'Raised prices'"))
        return None
    metrics = tuple(m for m in _SEPARATORS.split(table.cell(row, "metrics")) if m)
    url = table.cell(row, "url") or None
    if url is not None and check_link(url):
        problems.append(table.problem(row.line, "url", f"the url {check_link(url)}",
                                      "write an https:// address or a site path such as /2024/03/launch/"))
        return None
    if url is not None and "://" not in url:
        url = url.lstrip("/")
    texts = {key.removeprefix(TEXT_IN): table.cell(row, key) for key in table.keys if key.startswith(TEXT_IN)}
    return AnnotationEntry(month, text, metrics, url, table.path, row.line, MappingProxyType(texts))


def post_annotations(posts: Iterable[Post], config: SiteConfig) -> tuple[AnnotationEntry, ...]:
    """Return the annotation of each post with `annotate:`, in its month, linking to the post."""
    entries = []
    for post in posts:
        if post.annotation is None or post.date is None:
            continue
        local = post.date.astimezone(config.zone)
        entries.append(AnnotationEntry(date(local.year, local.month, 1), post.annotation.text,
                                       post.annotation.metrics, post.path, post.source, post.annotation.line))
    return tuple(sorted(entries, key=lambda e: e.month))


def check_annotation_metrics(entries: Iterable[AnnotationEntry], valid: Sequence[str],
                             hidden: Iterable[str]) -> list[Diagnostic]:
    """Return an error for each annotation naming a metric the site does not publish (hidden ones pass)."""
    hidden = set(hidden)
    problems = []
    for entry in entries:
        for metric_id in entry.metrics:
            if metric_id not in valid and metric_id not in hidden:
                problems.append(Diagnostic(f"annotation {entry.text!r} names unknown metric {metric_id!r}",
                                           entry.source, entry.line, None, choice_hint(metric_id, valid)))
    return problems


def annotations_for(entries: Iterable[AnnotationEntry], metric_ids: Iterable[str], first: date,
                    last: date) -> tuple[Annotation, ...]:
    """Return the numbered markers of a chart of `metric_ids` from `first` to `last`, in month order."""
    shown = set(metric_ids)
    matching = [e for e in entries
                if first <= e.month <= last and (not e.metrics or shown.intersection(e.metrics))]
    matching.sort(key=lambda e: e.month)  # stable: same-month entries keep file, then post order
    return tuple(Annotation(number, e.month, e.text, e.url) for number, e in enumerate(matching, 1))

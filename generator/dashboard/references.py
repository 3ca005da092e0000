"""Resolve `{{ metric … }}` and `{{ chart … }}` placeholders in posts against the published metrics.

Resolving gives data, not HTML: a `MetricValue` or a `Chart` per placeholder. The render stage
turns them into HTML with the theme's macros (`_charts.html`), the same ones the dashboard uses, so
autoescaping and a theme override apply to posts and dashboard alike.

The as-of rule: without an explicit month a reference shows the post's as-of month, the latest
month that had ended by the post's date, so a post keeps the numbers it was written with when
later months arrive. (A page has no date: it shows the latest closed month.) Every reference
that names an unknown or hidden metric, or a month without a value, is a ContentError at the
reference's file:line that lists the valid choices; all of them are reported together.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from generator.content import Post
from generator.content.references import (
    INLINE_REFERENCE,
    PLACEHOLDER,
    MetricReference,
    ReferenceProblem,
    parse_reference,
)
from generator.content.text import derive_summary
from generator.dashboard.cards import hidden_metric_ids, valid_metric_ids, value_in_words
from generator.dashboard.context import DashboardContext
from generator.dashboard.periods import plan_window_chart
from generator.dashboard.plan import CHART_PLANS
from generator.dashboard.restatements import (
    PublishedRecord,
    PublishedValue,
    RecordKey,
    Restatement,
)
from generator.dashboard.spec import Chart
from generator.errors import ContentError, Diagnostic, choice_hint
from generator.metrics import (
    MetricPoint,
    MetricSeries,
    add_months,
    format_month,
    format_number,
)

DEFAULT_CHART_MONTHS = 12


@dataclass(frozen=True)
class MetricValue:
    """What `{{ metric mrr }}` shows: a formatted value that links to its month page."""

    id: str
    text: str
    path: str
    """Site path of the month page ('metrics/2024-03/'); the link's fragment is the metric id."""
    restated: str = ""
    """What the data says today, when it differs from `text`, the value the post was published with."""


Resolved = MetricValue | Chart
"""What one placeholder in a post stands for."""


@dataclass(frozen=True)
class ResolvedReferences:
    """Every post's placeholders resolved, and the charts they embed (each drawn once)."""

    posts: tuple[Post, ...]
    """The posts, with summaries that read the values (their bodies keep the placeholders)."""
    by_source: Mapping[Path, tuple[Resolved, ...]]
    """Each post's resolved placeholders, by placeholder index, keyed by its source file."""
    charts: tuple[Chart, ...]
    record: PublishedRecord = PublishedRecord()
    """Every value the posts publish now, to be kept in metrics/.published.json."""
    restatements: tuple[Restatement, ...] = ()


class _Unresolved(Exception):
    """A reference that cannot be resolved; carries the message and hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def resolve_references(ctx: DashboardContext, posts: Sequence[Post], build_time: datetime,
                       record: PublishedRecord = PublishedRecord()) -> ResolvedReferences:
    """Return what each post's placeholders stand for, and the charts they embed.

    A value `record` holds for a post, metric and month is shown as published, with what the data
    says now when that differs (a restatement); every value shown is in the returned record.

    Raises:
        ContentError: one diagnostic per reference that cannot be resolved.
    """
    resolver = _Resolver(ctx, build_time, record)
    by_source: dict[Path, tuple[Resolved, ...]] = {}
    resolved_posts = []
    for post in posts:
        if post.references or has_front_matter_reference(post):
            post, by_source[post.source] = resolver.post(post)
        resolved_posts.append(post)
    error = ContentError.collect(resolver.problems)
    if error:
        raise error
    return ResolvedReferences(tuple(resolved_posts), MappingProxyType(by_source), tuple(resolver.charts.values()),
                              PublishedRecord(MappingProxyType(resolver.published)), tuple(resolver.restatements))


def substitute_placeholders(body_html: str, replacement: Mapping[int, str]) -> str:
    """Return a post's HTML with each placeholder replaced (an unresolved one is left out)."""
    return PLACEHOLDER.sub(lambda m: replacement.get(int(m.group(2)), ""), body_html)


def as_of_month(ctx: DashboardContext, post: Post, build_time: datetime) -> date | None:
    """Return the latest month that had ended by the post's date (a page: the latest closed month)."""
    if post.date is None:
        return ctx.latest_closed
    local = post.date.astimezone(ctx.config.zone)
    month = add_months(date(local.year, local.month, 1), -1)
    if post.date > build_time and ctx.latest_closed is not None:  # a scheduled post in a preview
        return min(month, ctx.latest_closed)
    return month


class _Resolver:
    """Resolves the references of many posts, collecting problems and the charts they need."""

    def __init__(self, ctx: DashboardContext, build_time: datetime, record: PublishedRecord) -> None:
        self.ctx = ctx
        self.record = record
        self.published: dict[RecordKey, PublishedValue] = {  # posts not built this time keep their record
            key: entry for key, entry in record.values.items()
            if key[1] in ctx.metrics.series and ctx.metrics.series[key[1]].disclosure.value == entry.disclosure}
        self.restatements: list[Restatement] = []
        self.build_time = build_time
        self.valid = valid_metric_ids(ctx)
        self.hidden = hidden_metric_ids(ctx)
        self.chart_ids = [plan.id for plan in CHART_PLANS]
        self.problems: list[Diagnostic] = []
        self.charts: dict[str, Chart] = {}

    def post(self, post: Post) -> tuple[Post, tuple[Resolved, ...]]:
        """Return the post with a summary that reads its values, and what each placeholder stands for."""
        as_of = as_of_month(self.ctx, post, self.build_time)
        resolved: list[Resolved] = []
        for reference in post.references:
            try:
                resolved.append(self.reference(reference, as_of, post))
            except _Unresolved as problem:
                self.problems.append(Diagnostic(problem.message, post.source, reference.line, None, problem.hint))
        post = replace(post, title=self.plain(post, "title", post.title, as_of))
        if post.summary != derive_summary(post.body_html):  # written in front matter: its references read too
            return replace(post, summary=self.plain(post, "summary", post.summary, as_of)), tuple(resolved)
        texts = {i: html.escape(r.text) for i, r in enumerate(resolved) if isinstance(r, MetricValue)}
        return replace(post, summary=derive_summary(substitute_placeholders(post.body_html, texts))), tuple(resolved)

    def plain(self, post: Post, field: str, text: str, as_of: date | None) -> str:
        """Return a front matter text with each `{{ metric … }}` as its value in plain text (frozen like the body's);
        a reference that cannot be read, or a chart, is an error at the key's line (issue 19: never shown raw)."""
        line = _field_line(post, field)

        def value(match: re.Match[str]) -> str:
            parsed = parse_reference(match.group(1), match.group(2), match.group(0))  # type: ignore[arg-type]
            problem = None
            if isinstance(parsed, ReferenceProblem):
                problem = (parsed.message, parsed.hint)
            elif parsed.kind == "chart":
                problem = (f"{parsed.text}: a chart cannot stand in the {field}",
                           f"move it to the body, on a line of its own, or write {{{{ metric {parsed.metric_id} }}}}")
            else:
                try:
                    return self.metric(replace(parsed, line=line), parsed.month or as_of, post).text
                except _Unresolved as unresolved:
                    problem = (unresolved.message, unresolved.hint)
            self.problems.append(Diagnostic(problem[0], post.source, line, None, problem[1]))
            return match.group(0)
        return re.sub(INLINE_REFERENCE, value, text)

    def reference(self, reference: MetricReference, as_of: date | None, post: Post) -> Resolved:
        if reference.kind == "metric":
            return self.metric(reference, reference.month or as_of, post)
        return self.chart(reference, reference.month or as_of, post)

    def metric(self, reference: MetricReference, month: date | None, post: Post) -> MetricValue:
        series = self.ctx.metrics.series[self._check_metric(reference, self.valid)]
        point = series.point_at(month) if month else None
        if month is None or point is None or point.value is None or month not in self.ctx.closed_months:
            raise _Unresolved(self._no_value(reference, series.label, month, post), self._months_hint(reference))
        text = value_in_words(self.ctx, series, month)  # a negative net burn reads "$5,095 profit" (framing)
        if series.indexed:
            text += f" ({self.ctx.fmt('index')})"
        return self._as_published(MetricValue(series.id, text, self.ctx.month_path(month) or ""), series, point,
                                  reference, post)

    def _as_published(self, value: MetricValue, series: MetricSeries, point: MetricPoint,
                      reference: MetricReference, post: Post) -> MetricValue:
        """Return the value as the post first published it, noting today's value when the data restates it."""
        key = (_relative(post.source, self.ctx.config.root), series.id, format_month(point.month))
        now = PublishedValue(format_number(point.value, series), value.text, series.disclosure.value)
        before = self.record.values.get(key)
        if before is None or before.disclosure != now.disclosure:  # never show a value published another way
            self.published[key] = now
            return value
        self.published[key] = before
        if before.value == now.value:
            return value
        self.restatements.append(Restatement(post.source, reference.line, series.id, key[2], before.text, value.text))
        return replace(value, text=before.text, restated=value.text)

    def chart(self, reference: MetricReference, month: date | None, post: Post) -> Chart:
        target = self._check_metric(reference, self.valid + self.chart_ids)
        if month is None or month not in self.ctx.closed_months:
            raise _Unresolved(self._no_value(reference, target, month, post), self._months_hint(reference))
        months = reference.window or DEFAULT_CHART_MONTHS
        first = max(self.ctx.months[0], add_months(month, 1 - months))
        chart = plan_window_chart(self.ctx, target, first, month)  # the month page's, when it is its window
        if chart is None:
            raise _Unresolved(f"{reference.text}: no values from {format_month(first)} to {format_month(month)}",
                              self._months_hint(reference))
        return self.charts.setdefault(chart.spec.path, chart)

    def _check_metric(self, reference: MetricReference, valid: Sequence[str]) -> str:
        name = reference.metric_id
        if name in valid:
            return name
        what = "chart" if reference.kind == "chart" else "metric"
        if name in self.hidden:
            raise _Unresolved(f"{reference.text}: {name!r} is hidden by the publishing rules (metrics.publish in "
                              "site.yaml)", choice_hint(name, valid))
        if name in self.ctx.metrics.series:
            raise _Unresolved(f"{reference.text}: {name!r} has no values", choice_hint(name, valid))
        if not valid:
            raise _Unresolved(f"{reference.text}: the site has no metrics", "add metrics/mrr.csv, or remove the "
                              "reference")
        raise _Unresolved(f"{reference.text}: unknown {what} {name!r}", choice_hint(name, valid))

    def _no_value(self, reference: MetricReference, label: str, month: date | None, post: Post) -> str:
        if month is None:
            return f"{reference.text}: no month has ended yet"
        if reference.month is None:
            dated = f", the last month that ended before the post's date {post.date:%Y-%m-%d}" if post.date else \
                ", the latest closed month"
            return f"{reference.text}: no value for {label} in {format_month(month)}{dated}"
        return f"{reference.text}: no value for {label} in {format_month(month)}"

    def _months_hint(self, reference: MetricReference) -> str:
        series = self.ctx.metrics.get(reference.metric_id)
        closed = self.ctx.closed_months
        months = [p.month for p in series.points if p.value is not None and p.month in closed] if series else closed
        listing = describe_months(months) if months else "none"
        example = format_month(months[-1]) if months else "YYYY-MM"
        return (f"months with values: {listing}; name one explicitly, e.g. "
                f"{{{{ {reference.kind} {reference.metric_id} {example} }}}}")


def _field_line(post: Post, field: str) -> int | None:
    """Return the front matter line of a field (a summary may be written as description or excerpt)."""
    lines = post.field_lines or {}
    keys = ("summary", "description", "excerpt") if field == "summary" else (field,)
    return next((lines[key] for key in keys if key in lines), None)


def has_front_matter_reference(post: Post) -> bool:
    """Return True when the post's title or written summary holds a `{{ metric … }}`."""
    return bool(re.search(INLINE_REFERENCE, post.title) or (post.summary_written and re.search(INLINE_REFERENCE,
                                                                                                   post.summary)))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def describe_months(months: Sequence[date]) -> str:
    """Return months as ranges: '2023-11 to 2024-02, 2024-04 to 2026-10'."""
    ranges: list[list[date]] = []
    for month in months:
        if ranges and add_months(ranges[-1][1], 1) == month:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    return ", ".join(format_month(a) if a == b else f"{format_month(a)} to {format_month(b)}" for a, b in ranges)

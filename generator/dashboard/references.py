"""Resolve `{{ metric … }}` and `{{ chart … }}` placeholders in posts against the published metrics.

The as-of rule: without an explicit month a reference shows the post's as-of month, the latest
month that had ended by the post's date, so a post keeps the numbers it was written with when
later months arrive. (A page has no date: it shows the latest closed month.) Every reference
that names an unknown or hidden metric, or a month without a value, is a ContentError at the
reference's file:line that lists the valid choices; all of them are reported together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import quote

from markupsafe import Markup

from generator.content import Post
from generator.content.references import PLACEHOLDER, MetricReference
from generator.content.text import derive_summary
from generator.dashboard.cards import hidden_metric_ids, valid_metric_ids
from generator.dashboard.plan import (
    DASHBOARD_CHARTS,
    DashboardContext,
    plan_dashboard_chart,
    plan_metric_chart,
)
from generator.dashboard.spec import Chart
from generator.errors import ContentError, Diagnostic, choice_hint
from generator.metrics import add_months, format_month

DEFAULT_CHART_MONTHS = 12


class _Unresolved(Exception):
    """A reference that cannot be resolved; carries the message and hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def resolve_references(ctx: DashboardContext, posts: Sequence[Post], build_time: datetime,
                       methodology_path: str) -> tuple[tuple[Post, ...], tuple[Chart, ...]]:
    """Return the posts with their placeholders replaced by values and figures, and the charts they embed.

    Raises:
        ContentError: one diagnostic per reference that cannot be resolved.
    """
    resolver = _Resolver(ctx, build_time, methodology_path)
    resolved = tuple(resolver.post(post) if post.references else post for post in posts)
    error = ContentError.collect(resolver.problems)
    if error:
        raise error
    return resolved, tuple(resolver.charts.values())


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

    def __init__(self, ctx: DashboardContext, build_time: datetime, methodology_path: str) -> None:
        self.ctx = ctx
        self.build_time = build_time
        self.methodology_path = methodology_path
        self.valid = valid_metric_ids(ctx)
        self.hidden = hidden_metric_ids(ctx)
        self.chart_ids = [plan.id for plan in DASHBOARD_CHARTS]
        self.problems: list[Diagnostic] = []
        self.charts: dict[str, Chart] = {}

    def post(self, post: Post) -> Post:
        as_of = as_of_month(self.ctx, post, self.build_time)
        parts: dict[int, str] = {}
        for index, reference in enumerate(post.references):
            try:
                parts[index] = self.reference(reference, as_of, post)
            except _Unresolved as problem:
                self.problems.append(Diagnostic(problem.message, post.source, reference.line, None, problem.hint))
                parts[index] = ""
        body = PLACEHOLDER.sub(lambda m: parts.get(int(m.group(2)), m.group(0)), post.body_html)
        summary = derive_summary(body) if post.summary == derive_summary(post.body_html) else post.summary
        return replace(post, body_html=body, summary=summary)

    def reference(self, reference: MetricReference, as_of: date | None, post: Post) -> str:
        if reference.kind == "metric":
            return self.metric(reference, reference.month or as_of, post)
        return self.chart(reference, reference.month or as_of, post)

    def metric(self, reference: MetricReference, month: date | None, post: Post) -> str:
        series = self.ctx.metrics.series[self._check_metric(reference, self.valid)]
        point = series.point_at(month) if month else None
        if month is None or point is None or point.value is None or month not in self.ctx.closed_months:
            raise _Unresolved(self._no_value(reference, series.label, month, post), self._months_hint(reference))
        text = self.ctx.fmt.point(series, point)
        if series.indexed:
            text += f" ({self.ctx.fmt('index')})"
        href = self.ctx.config.base_path + (self.ctx.month_path(month) or "")
        return str(Markup('<a class="metric-value" href="{}#{}">{}</a>').format(href, series.id, text))

    def chart(self, reference: MetricReference, month: date | None, post: Post) -> str:
        target = self._check_metric(reference, self.valid + self.chart_ids)
        if month is None or month not in self.ctx.closed_months:
            raise _Unresolved(self._no_value(reference, target, month, post), self._months_hint(reference))
        months = reference.window or DEFAULT_CHART_MONTHS
        first = max(self.ctx.months[0], add_months(month, 1 - months))
        chart_id = f"post-{target}-{format_month(first)}-{format_month(month)}"
        plan = next((p for p in DASHBOARD_CHARTS if p.id == target), None)
        chart = plan_dashboard_chart(self.ctx, plan, chart_id, first, month) if plan else \
            plan_metric_chart(self.ctx, target, chart_id, first, month)
        if chart is None:
            raise _Unresolved(f"{reference.text}: no values from {format_month(first)} to {format_month(month)}",
                              self._months_hint(reference))
        self.charts.setdefault(chart.spec.path, chart)
        return render_figure(chart, self.ctx.config.base_path, self.methodology_path, self.ctx.fmt("data_table"),
                             self.ctx.fmt("methodology"))

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


def describe_months(months: Sequence[date]) -> str:
    """Return months as ranges: '2023-11 to 2024-02, 2024-04 to 2026-10'."""
    ranges: list[list[date]] = []
    for month in months:
        if ranges and add_months(ranges[-1][1], 1) == month:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    return ", ".join(format_month(a) if a == b else f"{format_month(a)} to {format_month(b)}" for a, b in ranges)


def render_figure(chart: Chart, base_path: str, methodology_path: str, table_label: str,
                  methodology_label: str) -> str:
    """Return the HTML of a chart inside a post: figure, caption, image link, marker legend, data table.

    The same structure as the theme's `chart_figure` macro; posts cannot use templates, because
    their HTML is final before any template runs.
    """
    notes = "".join(Markup('<li value="{}">{}: {}</li>').format(
        n.number, n.month_label, Markup('<a href="{}">{}</a>').format(_href(n.url, base_path), n.text)
        if n.url else n.text) for n in chart.notes)
    head = "".join(Markup('<th scope="col">{}</th>').format(c) for c in chart.columns)
    rows = "".join(Markup("<tr><th scope=\"row\">{}</th>{}</tr>").format(
        row.label, Markup("").join(Markup("<td>{}</td>").format(c) for c in row.cells)) for row in chart.rows)
    return str(Markup(
        '<figure class="chart" id="chart-{id}">\n'
        '<figcaption><strong>{title}</strong> {caption} <a href="{methodology}">{methodology_label}</a></figcaption>\n'
        '<a class="chart-image" href="{url}"><img src="{url}" alt="{alt}" width="{width}" height="{height}" '
        'loading="lazy"></a>\n{notes}'
        '<details><summary>{table_label}</summary><div class="table-scroll"><table class="data-table">'
        '<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></details>\n'
        '</figure>').format(
        id=chart.id, title=chart.title, caption=chart.caption, methodology=base_path + methodology_path,
        methodology_label=methodology_label, url=chart.url, alt=chart.alt, width=chart.width, height=chart.height,
        notes=Markup('<ol class="chart-notes">{}</ol>\n').format(Markup(notes)) if notes else "",
        table_label=table_label, head=Markup(head), rows=Markup(rows)))


def _href(url: str, base_path: str) -> str:
    return url if "://" in url else base_path + quote(url, safe="/#")

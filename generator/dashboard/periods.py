"""What a month or a year page shows beside its numbers: the posts of the period, the reports on it, its charts.

A report is linked from the period it is about, not only from the month it was published in: "October 2026
in numbers" comes out in November, and says so in its front matter, `report: 2026-10` (a year's letter:
`report: 2025`; `opensite new report` writes it). A month page shows the MRR movements of the twelve months
ending with it, a year page its movements and costs: the same SVG as a post's `{{ chart … }}` of that window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from generator.content import Post
from generator.dashboard.context import DashboardContext
from generator.dashboard.plan import CHART_PLANS, plan_dashboard_chart, plan_metric_chart
from generator.dashboard.spec import Chart
from generator.metrics import add_months, format_month

REPORT_KEY = "report"
"""The front matter key that names the period a post reports on: '2026-10' or '2025'."""
MONTH_CHARTS = ("mrr_movements",)
YEAR_CHARTS = ("mrr_movements", "costs")
FALLBACK_CHART = "mrr"
"""What a period page shows when the site has none of its charts (no movement columns): MRR itself."""
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2}))?")


def report_period(post: Post) -> str | None:
    """Return the period a post reports on ('2026-10', '2025'), from its front matter, or None."""
    value = post.extra.get(REPORT_KEY) if post.extra else None
    found = _PERIOD.fullmatch(str(value).strip()) if value is not None else None
    if found is None or (found.group(2) and not 1 <= int(found.group(2)) <= 12):
        return None
    return found.group(0)


def reports_on(posts: Sequence[Post], periods: Sequence[str]) -> tuple[Post, ...]:
    """Return the posts that report on any of `periods`, oldest period first."""
    wanted = {period: index for index, period in enumerate(periods)}
    found = [(wanted[p], post.date is None, post.date, post.path) for post in posts
             if (p := report_period(post)) in wanted]
    by_path = {post.path: post for post in posts}
    return tuple(by_path[path] for *_, path in sorted(found, key=lambda f: (f[0], f[1], f[2] or 0, f[3])))


def posts_in(ctx: DashboardContext, posts: Sequence[Post], first: date, last: date) -> tuple[Post, ...]:
    """Return the posts published from `first` to `last` (months, in the site's time zone), newest first."""
    found = []
    for post in posts:
        if post.date is not None:
            local = post.date.astimezone(ctx.config.zone)
            if first <= date(local.year, local.month, 1) <= last:
                found.append(post)
    return tuple(found)


def window_chart_id(target: str, first: date, last: date) -> str:
    """Return the id of a dashboard chart over a window ('mrr_movements-2025-11-2026-10'): posts, month and year
    pages showing the same window share one SVG."""
    return f"{target}-{format_month(first)}-{format_month(last)}"


def period_charts(ctx: DashboardContext, targets: Sequence[str], first: date, last: date) -> tuple[Chart, ...]:
    """Return the charts `targets` over `first`..`last` that the data allows (MRR when none of them)."""
    charts = [plan_window_chart(ctx, target, first, last) for target in targets]
    found = tuple(chart for chart in charts if chart is not None)
    if found:
        return found
    fallback = plan_window_chart(ctx, FALLBACK_CHART, first, last)
    return (fallback,) if fallback is not None else ()


def month_charts(ctx: DashboardContext, month: date) -> tuple[Chart, ...]:
    """Return the charts of a month page: the twelve months ending with it."""
    return period_charts(ctx, MONTH_CHARTS, max(ctx.months[0], add_months(month, -11)), month)


def plan_window_chart(ctx: DashboardContext, target: str, first: date, last: date) -> Chart | None:
    """Return a dashboard chart (or one metric's) over a window, or None when it has no values there."""
    plan = next((p for p in CHART_PLANS if p.id == target), None)
    chart_id = window_chart_id(target, first, last)
    chart = plan_dashboard_chart(ctx, plan, chart_id, first, last) if plan else \
        plan_metric_chart(ctx, target, chart_id, first, last)
    return replace(chart, spec=replace(chart.spec, variant="column")) if chart else None  # drawn for the column

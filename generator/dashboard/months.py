"""The month pages, /metrics/YYYY-MM/: every published metric in a month that has ended, its reports and posts,
its chart, and the months either side, by name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from generator.content import Post
from generator.dashboard.cards import KpiCard, make_card
from generator.dashboard.context import DashboardContext
from generator.dashboard.periods import month_charts, posts_in, reports_on
from generator.dashboard.spec import Chart
from generator.metrics import format_month


@dataclass(frozen=True)
class MonthPage:
    """/metrics/YYYY-MM/: every published metric in a month that has ended, and that month's posts."""

    month: date
    label: str
    title: str
    path: str
    cards: tuple[KpiCard, ...]
    """Every published metric in the month, with its changes."""
    posts: tuple[Post, ...]
    """Posts published in the month."""
    previous_path: str | None = None
    previous_label: str = ""
    next_path: str | None = None
    next_label: str = ""
    reports: tuple[Post, ...] = ()
    """Posts that report on the month (front matter `report: 2026-10`), wherever they were published."""
    charts: tuple[Chart, ...] = ()
    """The month's chart: the MRR movements of the twelve months ending with it."""


def assemble_months(ctx: DashboardContext, valid: Sequence[str], posts: Sequence[Post]) -> tuple[MonthPage, ...]:
    """Return one page per closed month, newest first, each linking its neighbours."""
    months = ctx.closed_months
    pages = []
    for index, month in enumerate(months):
        before = months[index - 1] if index > 0 else None
        after = months[index + 1] if index + 1 < len(months) else None
        reports = reports_on(posts, [format_month(month)])
        pages.append(MonthPage(
            month, ctx.fmt.month(month), ctx.fmt("month_in_numbers", month=ctx.fmt.month(month)),
            ctx.month_path(month) or "", tuple(make_card(ctx, ctx.metrics.series[m], month) for m in valid),
            tuple(p for p in posts_in(ctx, posts, month, month) if p not in reports),
            ctx.month_path(before) if before else None, ctx.fmt.month(before) if before else "",
            ctx.month_path(after) if after else None, ctx.fmt.month(after) if after else "",
            reports, month_charts(ctx, month)))
    return tuple(reversed(pages))

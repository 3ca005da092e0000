"""What a shared link shows: a 1200×630 preview (og:image) of the dashboard, each metric and each month.

A preview is data here (the site, the page's heading, one number as the site publishes it, and that
metric's sparkline); the charts stage draws it. Only published values reach it, so a hidden metric
never appears and a rounded one shows ≈.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator import routes
from generator.dashboard.cards import KpiCard
from generator.dashboard.context import DashboardContext

SPARKLINE_MONTHS = 24


@dataclass(frozen=True)
class Preview:
    """One Open Graph image: where it goes, for which page, and everything drawn on it."""

    path: str
    """Site path of the PNG ('og/metrics/mrr.png')."""
    page_path: str
    site_title: str
    heading: str
    value_text: str
    caption: str
    """What the number is: 'MRR · October 2026'."""
    values: tuple[float | None, ...]
    """The sparkline, oldest first (None: a month without a value)."""


def make_preview(ctx: DashboardContext, page_path: str, heading: str, card: KpiCard | None) -> Preview:
    """Return the preview of a page led by `card` (its number and sparkline), or by the heading alone."""
    if card is None or card.point is None or card.point.value is None:
        return Preview(routes.share_image(page_path), page_path, ctx.config.title, heading, "", "", ())
    series = ctx.metrics.series[card.metric_id]
    months = [m for m in ctx.closed_months if m <= card.month][-SPARKLINE_MONTHS:]
    sign = -1 if card.label != series.label and card.metric_id == "net_burn" else 1  # drawn as the card reads
    values = tuple(_float(series.point_at(m), sign) for m in months)
    caption = f"{card.label} · {ctx.fmt.month(card.month)}"
    return Preview(routes.share_image(page_path), page_path, ctx.config.title, heading, card.value_text, caption, values)


def lead_card(cards: Sequence[KpiCard], metric_id: str | None = None) -> KpiCard | None:
    """Return the card a preview leads with: the metric's own, else the first with a value."""
    with_value = [c for c in cards if c.point is not None and c.point.value is not None]
    if metric_id is not None:
        return next((c for c in with_value if c.metric_id == metric_id), None)
    return with_value[0] if with_value else None


def _float(point, sign: int) -> float | None:
    return None if point is None or point.value is None else sign * float(point.value)

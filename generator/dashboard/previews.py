"""What a shared link shows: a 1200×630 share card (og:image) of the home page, each post, the dashboard,
each metric and each month.

A preview is data here (the site, the page's heading, one number as the site publishes it and that metric's
sparkline, or a post's date and category); the charts stage draws it (generator/charts/cards.py). Only
published values reach it, so a hidden metric never appears and a rounded one shows ≈; a metric that reads
the other way round when negative (net burn → profit) is named, valued and drawn as its card reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel.dates import format_date

from generator import routes
from generator.config import SiteConfig
from generator.content import Post
from generator.dashboard.cards import KpiCard
from generator.dashboard.context import DashboardContext

SPARKLINE_MONTHS = 24


@dataclass(frozen=True)
class Preview:
    """One share card: where it goes, for which page, and everything drawn on it."""

    path: str
    """Site path of the PNG ('og/metrics/mrr.png')."""
    page_path: str
    site_title: str
    heading: str
    value_text: str
    caption: str
    """What the number is ('MRR · October 2026'), or a post's date and category."""
    values: tuple[float | None, ...]
    """The sparkline, oldest first (None: a month without a value)."""
    language: str = "en"
    """The site's language: which face of a font collection draws it (Noto Sans CJK SC for zh-CN)."""
    source: Path | None = None
    """The file whose text the card shows (a post, or site.yaml), for a missing-font error."""
    line: int | None = None


def make_preview(ctx: DashboardContext, page_path: str, heading: str, card: KpiCard | None) -> Preview:
    """Return the preview of a page led by `card` (its number and sparkline), or by the heading alone."""
    config = ctx.config
    where = {"language": config.language, "source": config.share_images.source, "line": config.share_images.line}
    if card is None or card.point is None or card.point.value is None:
        return Preview(routes.share_image(page_path), page_path, config.title, heading, "", "", (), **where)
    series = ctx.metrics.series[card.metric_id]
    months = [m for m in ctx.closed_months if m <= card.month][-SPARKLINE_MONTHS:]
    sign = -1 if card.label != series.label and card.metric_id == "net_burn" else 1  # drawn as the card reads
    values = tuple(_float(series.point_at(m), sign) for m in months)
    caption = f"{card.label} · {ctx.fmt.month(card.month)}"
    return Preview(routes.share_image(page_path), page_path, config.title, heading, card.value_text, caption, values,
                   **where)


def make_post_previews(config: SiteConfig, posts: Sequence[Post], home_path: str,
                       known: dict[int, tuple[Post, Preview]] | None = None) -> tuple[Preview, ...]:
    """Return the share cards of the home page (the site and its description) and of each post without a cover
    image of its own (its title, the site, its date and category).

    `known` (a `serve` session's, made for this config) holds the last build's cards by post identity: a post
    that is the same object has the same card, and its card the same digest in the page keys (issue 24).
    """
    where = {"language": config.language, "source": config.share_images.source, "line": config.share_images.line}
    home = Preview(routes.share_image(home_path), home_path, config.title, config.description or config.title, "",
                   "", (), **where)
    last = dict(known or {})
    made = {id(post): _known(last.get(id(post)), post) or (post, _post_preview(config, post))
            for post in posts if not post.image}
    if known is not None:  # only this build's posts are kept: an id is only unique while its object lives
        known.clear()
        known.update(made)
    return (home, *(preview for _, preview in made.values()))


def _known(entry: tuple[Post, Preview] | None, post: Post) -> tuple[Post, Preview] | None:
    return entry if entry is not None and entry[0] is post else None


def _post_preview(config: SiteConfig, post: Post) -> Preview:
    return Preview(routes.share_image(post.path), post.path, config.title, post.title, "", _post_caption(config, post),
                   (), post.lang or config.language, post.source,
                   post.field_lines.get("title", 1) if post.field_lines else 1)


def _post_caption(config: SiteConfig, post: Post) -> str:
    """Return 'March 4, 2024 · Finances' in the site's language."""
    parts = []
    if isinstance(post.date, datetime):
        parts.append(format_date(post.date.astimezone(config.zone).date(), "long", locale=config.locale))
    category = config.category(post.category) if post.category else None
    if category is not None:
        parts.append(category.name.get(config.language))
    return " · ".join(parts)


def lead_card(cards: Sequence[KpiCard], metric_id: str | None = None) -> KpiCard | None:
    """Return the card a preview leads with: the metric's own, else the first with a value."""
    with_value = [c for c in cards if c.point is not None and c.point.value is not None]
    if metric_id is not None:
        return next((c for c in with_value if c.metric_id == metric_id), None)
    return with_value[0] if with_value else None


def _float(point, sign: int) -> float | None:
    return None if point is None or point.value is None else sign * float(point.value)

"""KPI cards: each chosen metric in the latest closed month, with its change against last month and a year ago.

site.yaml's `dashboard.cards` picks and orders them; without it the default cards that the site
publishes (and has values for) are shown. A card naming a metric that does not exist, or that
the publishing rules hide, is a ConfigError at its site.yaml line listing the valid ids.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from generator.config.dashboard import DashboardCard
from generator.config.metrics import Disclosure
from generator.dashboard.context import DashboardContext
from generator.dashboard.text import Change
from generator.errors import ConfigError, Diagnostic, choice_hint
from generator.metrics import MetricPoint, MetricSeries, add_months
from generator.metrics.framing import shown_as
from generator.registry import METRIC_DEFINITIONS
from generator.registry.table import default_card_ids


@dataclass(frozen=True)
class KpiCard:
    """One metric's value in a month and how it moved."""

    metric_id: str
    label: str
    month: date
    point: MetricPoint | None
    value_text: str
    """'$48,500', '≈$620,000', '4.5%', or '—' when the month has no value."""
    note: str
    """Why there is no value, the index base of a relative metric, or ''."""
    previous: Change | None
    """Against the month before; None means no prior data."""
    previous_label: str
    year: Change | None
    """Against 12 months earlier; None means no prior data."""
    year_label: str
    path: str
    """The metric's page."""
    as_of: str = ""
    """'as of Sep 2026' on the card of a metric that lags (`as_of: latest`) when its month is not the latest closed."""

    @property
    def previous_tone(self) -> str:
        """Return whether the change from last month is good or bad for the company (signs.tone_of)."""
        return self.previous.tone if self.previous else "neutral"

    @property
    def year_tone(self) -> str:
        """Return whether the change from a year before is good or bad for the company."""
        return self.year.tone if self.year else "neutral"


def assemble_cards(ctx: DashboardContext) -> tuple[KpiCard, ...]:
    """Return the KPI cards for the latest closed month (none before a month has closed)."""
    if ctx.latest_closed is None:
        return ()
    chosen = ctx.config.dashboard.cards
    if chosen is None:  # the default cards, then the site's own metrics
        ids = [m for m in (*default_card_ids(), *custom_metric_ids(ctx)) if m in valid_metric_ids(ctx)]
    else:
        _check_cards(ctx, chosen)
        return tuple(_chosen_card(ctx, card) for card in chosen)
    return tuple(make_card(ctx, ctx.metrics.series[m], ctx.latest_closed) for m in ids)


def _chosen_card(ctx: DashboardContext, choice: DashboardCard) -> KpiCard:
    """Return a card site.yaml names; `as_of: latest` shows the newest closed month with a value, and says which."""
    series = ctx.metrics.series[choice.metric]
    month = ctx.latest_closed
    if choice.latest and month is not None:
        month = next((p.month for p in reversed(series.points) if p.value is not None and p.month <= month), month)
    card = make_card(ctx, series, month)  # type: ignore[arg-type]
    if month != ctx.latest_closed:
        card = replace(card, as_of=ctx.fmt("card.as_of", month=ctx.fmt.month_short(month)))  # type: ignore[arg-type]
    return card


def make_card(ctx: DashboardContext, series: MetricSeries, month: date) -> KpiCard:
    """Return one card: the value in `month`, its change from the month before and from a year before."""
    fmt = ctx.fmt
    shown = shown_as(series, month)  # a negative net burn reads as a profit
    label = fmt(f"label.{shown.id}") if shown is not series else series.label
    point = shown.point_at(month)
    previous, year_ago = add_months(month, -1), add_months(month, -12)
    since_previous = fmt.change(shown, point, shown.point_at(previous))
    since_year = fmt.change(shown, point, shown.point_at(year_ago))
    return KpiCard(
        series.id, label, month, point, fmt.point(shown, point), point_note(ctx, shown, point),
        since_previous, fmt("vs_previous", month=fmt.month_short(previous)),
        since_year, fmt("vs_year", month=fmt.month_short(year_ago)),
        ctx.metric_path(series.id))


def framed(ctx: DashboardContext, series: MetricSeries, month: date) -> tuple[str, str]:
    """Return (label, value) of a metric in a month as readers are told it (metrics/framing.py): a negative net
    burn is "Profit" and a positive amount; a month without a value is '—'."""
    shown = shown_as(series, month)
    label = ctx.fmt(f"label.{shown.id}") if shown is not series else series.label
    return label, ctx.fmt.point(shown, shown.point_at(month))


def value_in_words(ctx: DashboardContext, series: MetricSeries, month: date) -> str:
    """Return a value where no label stands beside it (a table of months, a number in a post): a negative net
    burn reads "$5,095 profit", every other value as it is."""
    shown = shown_as(series, month)
    text = ctx.fmt.point(shown, shown.point_at(month))
    return ctx.fmt(f"value.{shown.id}", value=text) if shown is not series else text


def point_note(ctx: DashboardContext, series: MetricSeries, point: MetricPoint | None) -> str:
    """Return what a reader should know beside a value: the null reason, or the index base."""
    if point is None or point.value is None:
        return ctx.fmt.reason(point)
    if series.indexed and series.index_base:
        return ctx.fmt("index_base", month=ctx.fmt.month_short(series.index_base))
    return ""


def valid_metric_ids(ctx: DashboardContext) -> list[str]:
    """Return the published metrics with at least one value: what cards and references may name."""
    return [s.id for s in ctx.metrics if any(p.value is not None for p in s.points if p.month in ctx.months)]


def custom_metric_ids(ctx: DashboardContext) -> list[str]:
    """Return the ids of the site's own metrics (site.yaml metrics.custom), in the order written."""
    return list(ctx.config.metrics.custom) if ctx.config.metrics else []


def hidden_metric_ids(ctx: DashboardContext) -> set[str]:
    """Return the metric ids the publishing rules keep out of the site (named, never their values)."""
    settings = ctx.config.metrics
    named = set(METRIC_DEFINITIONS) | set(custom_metric_ids(ctx)) | (set(settings.publish) if settings else set())
    hidden = {m for m in named if m not in ctx.metrics.series}
    if settings:
        hidden |= {m for m, rule in settings.publish.items() if rule.disclosure is Disclosure.HIDDEN}
    return hidden


def _check_cards(ctx: DashboardContext, chosen: tuple[DashboardCard, ...]) -> None:
    valid = valid_metric_ids(ctx)
    hidden = hidden_metric_ids(ctx)
    problems = []
    for card in chosen:
        if card.metric in valid:
            continue
        if card.metric in hidden:
            message = f"dashboard.cards names {card.metric!r}, which metrics.publish hides"
        elif card.metric in ctx.metrics.series:
            message = f"dashboard.cards names {card.metric!r}, which has no values"
        else:
            message = f"dashboard.cards names unknown metric {card.metric!r}"
        problems.append(Diagnostic(message, ctx.config.dashboard.source, card.line, None,
                                   choice_hint(card.metric, valid)))
    if problems:
        raise ConfigError(diagnostics=problems)

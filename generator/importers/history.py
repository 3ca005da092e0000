"""A subscription's billing history to the stretches it paid: plan changes, seat changes, pauses and ends, dated.

Two kinds of record meet here. A **standing** is a subscription as a subscriptions export describes
it *now* (its current price, when it first paid, whether and when it stopped); a **period** is one
paid billing period from an invoice or transaction export (from, to, the price billed). Periods date
what a standing cannot: each period's price holds from its start until the next period's start, so an
upgrade in March is dated in March, not back to the subscription's start. A gap between periods
longer than `GAP_SECONDS` is a pause: the subscription stopped paying at the end of the period before.

Without periods, a subscription pays its current price from its paid start to its end (Stripe's
subscriptions export alone). Refunds do not change MRR (ChartMogul and Baremetrics: MRR is the
committed run rate, a refund is cash); a subscription ended with its refund ends by its own end date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from zoneinfo import ZoneInfo

from generator.importers.records import Segment, local_month
from generator.metrics.read.csvfile import CsvTable
from generator.metrics.read.money import Converter, Locate

GAP_SECONDS = 3 * 86_400
"""A period starting more than this after the one before it leaves a gap: a pause, or a lapse and a return."""


@dataclass(frozen=True, slots=True)
class AmountColumn:
    """The column an export's amounts are in: a problem with a stretch's amount is reported at its cell.

    One per export, shared by its rows (a closure per row cost 20 MiB on 100,000 subscriptions).
    """

    table: CsvTable
    key: str

    def at(self, line: int) -> Locate:
        return lambda message, hint: self.table.problem(line, self.key, message, hint)


@dataclass(frozen=True, slots=True)
class Standing:
    """A subscription as a subscriptions export states it: its current price and when it paid."""

    subscription: str
    customer: int
    paid_start: int
    """When it first paid (the trial end, when it had one), POSIX seconds."""
    end: int | None
    """When it stopped paying (ended, cancelled, paused); None while it pays, or when `paying` says it stopped
    at a date the export does not give (then its periods' end is that date)."""
    monthly: Decimal
    """Its current price per month, in `currency`."""
    currency: str
    line: int
    amounts: AmountColumn
    """Where a problem with the amount is reported (the amount's cell on `line`)."""
    paying: bool = True
    """False for a subscription that is not paying now (paused) even when `end` is None."""


@dataclass(frozen=True, slots=True)
class Period:
    """One paid billing period of a subscription: its price per month holds from `start`."""

    subscription: str
    customer: int
    start: int
    end: int
    monthly: Decimal | None
    """Per month in `currency`; None for a proration line, which the next period prices."""
    currency: str
    line: int
    amounts: AmountColumn


@dataclass(frozen=True, slots=True)
class _Piece:
    customer: int
    start: int
    end: int | None
    monthly: Decimal
    currency: str
    line: int
    amounts: AmountColumn


def history_segments(standings: Iterable[Standing], periods: Iterable[Period], latest: int, zone: ZoneInfo,
                     converter: Converter, cutoff: int | None = None, gap: int = GAP_SECONDS) -> list[Segment]:
    """Return the paid segments of every subscription, each converted at the rate of the month it starts.

    Args:
        standings: the subscriptions export's rows (at most one per subscription).
        periods: the invoice or transaction export's paid periods, in any order.
        latest: the exports' latest event: a subscription known only from periods still pays when its last
            period reaches it.
        zone: the site's time zone (the month of a segment's start picks its exchange rate).
        converter: converts to the site currency and collects missing rates as problems.
        cutoff: `--until`'s end: a stretch starting later is never converted (its month needs no rate).
        gap: how long after a period's end the next may start and still continue it.
    """
    ordered = sorted(periods, key=lambda p: (p.subscription, p.start, p.line))
    if not ordered:  # a subscriptions export alone: one stretch each, converted as it is read (100,000 rows)
        return [segment for s in standings if (s.paying or s.end is not None) and (cutoff is None or s.paid_start
                < cutoff) and (segment := _convert(_Piece(s.customer, s.paid_start, s.end, s.monthly, s.currency,
                                                          s.line, s.amounts), zone, converter)) is not None]
    by_id = {standing.subscription: standing for standing in standings}
    pieces: list[_Piece] = []
    priced = set()
    for subscription, group in groupby(ordered, key=lambda p: p.subscription):
        mine = [p for p in group if p.monthly != 0]
        if mine:
            priced.add(subscription)
            pieces += _from_periods(mine, by_id.get(subscription), latest, gap)
    pieces += [_Piece(s.customer, s.paid_start, s.end, s.monthly, s.currency, s.line, s.amounts)
               for s in by_id.values() if s.subscription not in priced and (s.paying or s.end is not None)]
    return [segment for piece in pieces if (cutoff is None or piece.start < cutoff)
            and (segment := _convert(piece, zone, converter)) is not None]


def _from_periods(periods: Sequence[Period], standing: Standing | None, latest: int, gap: int) -> list[_Piece]:
    """Return the pieces of one subscription's periods: contiguous runs, each period priced from its start."""
    prices = _prices(periods, standing)
    runs: list[list[int]] = []
    reach = 0
    for index, period in enumerate(periods):
        if runs and period.start <= reach + gap:
            runs[-1].append(index)
        else:
            runs.append([index])
        reach = max(reach, period.end) if len(runs[-1]) > 1 else period.end
    pieces: list[_Piece] = []
    for number, run in enumerate(runs):
        run_end: int | None = max(periods[i].end for i in run)
        if number == len(runs) - 1 and _still_paying(standing, run_end, latest, gap):  # type: ignore[arg-type]
            run_end = None
        for position, index in enumerate(run):
            period = periods[index]
            end = periods[run[position + 1]].start if position + 1 < len(run) else run_end
            if prices[index] is not None and (end is None or end > period.start):
                pieces.append(_Piece(period.customer, period.start, end, prices[index], period.currency,  # type: ignore[arg-type]
                                     period.line, period.amounts))
    pieces = _joined(pieces)
    if standing is None:
        return pieces
    pieces = _cut(pieces, standing.end) if standing.end is not None else pieces
    return [_Piece(p.customer, max(p.start, standing.paid_start), p.end, p.monthly, p.currency, p.line, p.amounts)
            for p in pieces if p.end is None or p.end > standing.paid_start]  # nothing paid before the trial ended


def _joined(pieces: list[_Piece]) -> list[_Piece]:
    """Join back-to-back pieces at one price: a renewal is no change, and keeps the rate of the month it began."""
    joined: list[_Piece] = []
    for piece in pieces:
        last = joined[-1] if joined else None
        if last is not None and last.end == piece.start and (last.monthly, last.currency) == (piece.monthly,
                                                                                              piece.currency):
            joined[-1] = _Piece(last.customer, last.start, piece.end, last.monthly, last.currency, last.line,
                                last.amounts)
        else:
            joined.append(piece)
    return joined


def _prices(periods: Sequence[Period], standing: Standing | None) -> list[Decimal | None]:
    """Price each proration period by the next priced period of the subscription (else its current price)."""
    prices: list[Decimal | None] = [p.monthly for p in periods]
    following = standing.monthly if standing is not None else None
    for index in range(len(periods) - 1, -1, -1):
        if prices[index] is None:
            prices[index] = following
        else:
            following = prices[index]
    return prices


def _still_paying(standing: Standing | None, run_end: int, latest: int, gap: int) -> bool:
    """Whether the last run goes on past its last period: the export says it pays, or the period reaches now."""
    if standing is not None:
        return standing.paying and standing.end is None
    return run_end + gap >= latest


def _cut(pieces: list[_Piece], end: int) -> list[_Piece]:
    """Stop every piece at the subscription's end (an immediate cancellation ends inside a paid period)."""
    cut = []
    for piece in pieces:
        if piece.start >= end:
            continue
        stop = end if piece.end is None or piece.end > end else piece.end
        cut.append(_Piece(piece.customer, piece.start, stop, piece.monthly, piece.currency, piece.line, piece.amounts))
    return cut


def _convert(piece: _Piece, zone: ZoneInfo, converter: Converter) -> Segment | None:
    if piece.end is not None and piece.end <= piece.start:
        return None
    mrr = converter.to_site(piece.monthly, piece.currency, local_month(piece.start, zone),
                            piece.amounts.at(piece.line))
    return Segment(piece.customer, piece.start, piece.end, mrr) if mrr is not None and mrr > 0 else None

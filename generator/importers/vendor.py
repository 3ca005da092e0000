"""What the vendors' readers share: minor units, billing cycles, a price per month, the log they return.

Paddle, Lemon Squeezy and Chargebee write amounts in the currency's minor unit (cents; yen have
none), so `major` divides by the currency's own number of decimals (ISO 4217, through Babel). A
billing cycle is an interval and a count (`month` × 3 is a quarter); `monthly` normalises a price
to a month exactly as the Stripe reader does (year ÷ 12, week × 52 ÷ 12, day × 365 ÷ 12).
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from babel.numbers import get_currency_precision

from generator.errors import MetricsError
from generator.importers.history import Period, Standing, history_segments
from generator.importers.records import INTERVALS, RowReader, SubscriptionLog
from generator.metrics.read.csvfile import CsvRow
from generator.metrics.read.money import Converter, merge_fx_uses

DAY = 86_400
_CYCLES = ((1, "day", 1), (8, "week", 1), (16, "week", 2), (35, "month", 1), (66, "month", 2), (100, "month", 3),
           (200, "month", 6), (400, "year", 1), (800, "year", 2))
"""Longest period in days for each billing cycle, to tell a period's cycle from its length."""


@lru_cache(maxsize=64)
def _digits(currency: str) -> int:
    return get_currency_precision(currency) if currency else 2


def major(amount: Decimal, currency: str) -> Decimal:
    """Return an amount written in minor units (1999 cents) in major units (19.99); yen have no minor unit."""
    return amount.scaleb(-_digits(currency))


def monthly(amount: Decimal, quantity: int, interval: str, count: int) -> Decimal:
    """Return a price per month: amount × quantity, normalised from `count` × `interval`."""
    return amount * quantity * INTERVALS[interval] / count


def infer_cycle(start: int, end: int) -> tuple[str, int]:
    """Return the billing cycle of a period from its length (a month is 28 to 31 days, a year 365 or 366)."""
    days = (end - start) / DAY
    return next(((interval, count) for longest, interval, count in _CYCLES if days <= longest), ("year", 1))


def add_cycle(start: int, cycle: tuple[str, int]) -> int:
    """Return the end of one billing cycle from `start` (UTC): calendar months and years, or days and weeks."""
    interval, count = cycle
    moment = datetime.fromtimestamp(start, timezone.utc)
    if interval in ("month", "year"):
        year, month = divmod(moment.year * 12 + moment.month - 1 + (12 if interval == "year" else 1) * count, 12)
        day = min(moment.day, monthrange(year, month + 1)[1])
        return int(moment.replace(year=year, month=month + 1, day=day).timestamp())
    if interval == "quarter":
        return add_cycle(start, ("month", 3 * count))
    return int((moment + timedelta(days=(7 if interval == "week" else 1) * count)).timestamp())


def read_cycle(reader: RowReader, row: CsvRow, columns: Mapping[str, str], interval_key: str,
               count_key: str) -> tuple[str, int] | None:
    """Return the row's (interval, count) from its columns; None after reporting a bad cell."""
    interval = reader.interval(row, columns[interval_key], ("day", "week", "month", "year"))
    count = reader.whole(row, columns.get(count_key), 1)
    return (interval, count) if interval is not None and count is not None else None


@dataclass(frozen=True)
class PlanRow:
    """What every vendor's subscriptions export says alike in a row: status, currency, cycle and monthly price."""

    status: str
    """Lower-cased; reported when it is not one of the vendor's."""
    currency: str
    cycle: tuple[str, int] | None
    price: Decimal | None
    """Unit price × quantity per month, in major units; None after a bad cell was reported."""


def read_plan_row(reader: RowReader, row: CsvRow, columns: Mapping[str, str], statuses: Sequence[str], vendor: str,
                  default_currency: str) -> PlanRow:
    """Read a subscription row's status, currency, unit price, quantity and billing cycle, reporting bad cells."""
    cell = reader.table.cell
    status = cell(row, columns["status"]).lower()
    if status not in statuses:
        reader.report(row, columns["status"], f"{cell(row, columns['status'])!r} is not a {vendor} status",
                      "valid: " + ", ".join(statuses))
    currency = (cell(row, columns["currency"]).upper() if "currency" in columns else "") or default_currency
    amount = reader.amount(row, columns["unit_price"], required=True, non_negative=True, currency=currency)
    quantity = reader.whole(row, columns.get("quantity"), 1)
    cycle = read_cycle(reader, row, columns, "interval", "count")
    price = monthly(major(amount, currency), quantity, *cycle) \
        if amount is not None and quantity is not None and cycle is not None else None
    return PlanRow(status, currency, cycle, price)


@dataclass
class Tally:
    """What a reader counts as it goes: rows, customers, the latest event, and rows left out by reason."""

    rows: int = 0
    latest: int = 0
    skipped: Counter[str] | None = None

    def skip(self, reason: str) -> None:
        self.skipped = self.skipped or Counter()
        self.skipped[reason] += 1

    def saw(self, *moments: int | None) -> None:
        """Record events that have happened (starts, cancellations, billing dates; never future period ends)."""
        self.latest = max([self.latest, *(moment for moment in moments if moment is not None)])


def raise_problems(readers: Sequence[RowReader], converter: Converter) -> None:
    """Stop the import with every problem of every file read, in file and line order."""
    problems = [p for reader in readers for p in reader.problems] + converter.problems
    if problems:
        raise MetricsError(diagnostics=sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.column or 0)))


def vendor_log(paths: Sequence[Path], readers: Sequence[RowReader], tally: Tally, standings: Iterable[Standing],
               periods: Iterable[Period], customers: int, noun: str) -> SubscriptionLog:
    """Return the log of a vendor's exports: segments dated by the periods, trials not over left out."""
    raise_problems(readers, readers[0].converter)
    converter: Converter = readers[0].converter
    periods = list(periods)
    if periods:  # dating by periods needs every standing first (and the latest event they saw)
        standings = list(standings)
    segments = history_segments(standings, periods, tally.latest, readers[0].ctx.zone, converter,
                                readers[0].ctx.cutoff)
    raise_problems(readers, converter)
    waiting = [segment for segment in segments if segment.start > tally.latest]
    for _ in waiting:
        tally.skip("trial not over")
    skipped = dict(sorted((tally.skipped or Counter()).items()))
    return SubscriptionLog(paths[0], tuple(s for s in segments if s.start <= tally.latest), tally.latest, tally.rows,
                           customers, noun, MappingProxyType(skipped), merge_fx_uses(converter.uses),
                           names=" and ".join(path.name for path in paths))

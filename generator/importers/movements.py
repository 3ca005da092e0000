"""Paid segments to month-end MRR and its movements, customer by customer (the MRR bridge by construction).

A customer's MRR for month m is the sum of their segments running at the end of m's last day in
the site's time zone (the month in progress: at the export's latest event). Month over month,
per customer: 0 → x is new the first time they ever pay and reactivation after that; x → y is
expansion or contraction; x → 0 is churn. Each customer's MRR is rounded to the cent *before*
the movements are taken, so the month totals bridge exactly. This is how ChartMogul and
Baremetrics build their MRR movements, and how Stripe's own billing analytics classify them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from zoneinfo import ZoneInfo

from generator.errors import MetricsError
from generator.importers.records import Segment, SubscriptionLog, local_month, show_instant
from generator.metrics.series import add_months, list_months

CENT = Decimal("0.01")
ZERO = Decimal(0)
MOVEMENTS = ("new", "expansion", "contraction", "churned", "reactivation")
COUNTS = ("new_customers", "churned_customers", "reactivated_customers")


@dataclass(frozen=True)
class MonthRow:
    """One month of the import: month-end MRR and customers, and the month's movements (magnitudes)."""

    month: date
    mrr: Decimal
    new: Decimal
    expansion: Decimal
    contraction: Decimal
    churned: Decimal
    reactivation: Decimal
    customers: int
    new_customers: int
    churned_customers: int
    reactivated_customers: int


@dataclass(frozen=True)
class MonthTable:
    """The months an import writes, oldest first, and how the last one was measured."""

    rows: tuple[MonthRow, ...]
    measured_at: int
    """The moment the last month is measured at (POSIX seconds): its end, or the latest event."""
    in_progress: bool
    """True when the last month is measured at the latest event, before its end."""
    short: int
    """Subscriptions that started and ended between two month ends, so are in no snapshot."""
    all_months: tuple[date, ...] = ()
    """Every month from the first segment's on (the month indexes `compute_months` gives its observer)."""


class _Totals:
    """Per-month accumulators: movements and counts, plus diffs of MRR and customers."""

    def __init__(self, count: int) -> None:
        self.money = {name: [ZERO] * count for name in MOVEMENTS}
        self.counts = {name: [0] * count for name in COUNTS}
        self.mrr_diff = [ZERO] * (count + 1)
        self.customer_diff = [0] * (count + 1)

    def move(self, index: int, before: Decimal, after: Decimal, returning: bool) -> None:
        """Record one customer's change from `before` to `after` at month `index`."""
        self.mrr_diff[index] += after - before
        self.customer_diff[index] += (after > 0) - (before > 0)
        if before == 0:
            self.money["reactivation" if returning else "new"][index] += after
            self.counts["reactivated_customers" if returning else "new_customers"][index] += 1
        elif after == 0:
            self.money["churned"][index] += before
            self.counts["churned_customers"][index] += 1
        elif after > before:
            self.money["expansion"][index] += after - before
        else:
            self.money["contraction"][index] += before - after


Steps = Sequence[tuple[int, Decimal]]
"""One customer's month-end MRR changes: (month index, the new MRR to the cent), oldest first."""


def compute_months(log: SubscriptionLog, zone: ZoneInfo, until: date | None = None,
                   observe: Callable[[Steps], None] | None = None) -> MonthTable:
    """Return the month table of a subscription log, from the first month with MRR to the last event's (or `until`).

    Args:
        observe: called with each customer's steps (month indexes count from `MonthTable.all_months[0]`), so
            cohorts are counted in the same pass without holding every customer's history.

    Raises:
        MetricsError: nothing ever paid, nothing was paying at any month end, or `until` lies before the first
            paid month.
    """
    if not log.segments and until is not None:
        raise MetricsError(f"--until {until:%Y-%m} is before the first paid month: nothing in the export paid by "
                           "then", log.path, None, None, "choose a later month, or leave --until out")
    if not log.segments:
        raise MetricsError("no subscription in the export ever paid", log.path, None, None,
                           "check that this is the full export (trials, incomplete and free plans do not count)")
    first = local_month(min(segment.start for segment in log.segments), zone)
    last = until or local_month(log.latest_event, zone)
    if last < first:
        raise MetricsError(f"--until {last:%Y-%m} is before the first paid month, {first:%Y-%m}", log.path)
    months = list_months(first, last)
    starts = [_month_start(month, zone) for month in (*months, add_months(last, 1))]
    snapshots = [min(end, log.latest_event + 1) for end in starts[1:]]
    totals = _Totals(len(months))
    short = 0
    for _, group in groupby(sorted(log.segments, key=lambda s: s.customer), key=lambda s: s.customer):
        segments = list(group)
        steps, missed = _customer_steps(segments, snapshots)
        short += missed
        first_paid, before = min(segment.start for segment in segments), ZERO
        for index, after in steps:
            totals.move(index, before, after, returning=first_paid < starts[index])
            before = after
        if observe is not None:
            observe(steps)
    rows = _rows(months, totals)
    paying = next((i for i, row in enumerate(rows) if row.mrr > 0), None)
    if paying is None:
        raise MetricsError(f"no customer was paying at any month end up to {show_instant(snapshots[-1] - 1, zone)}",
                           log.path, None, None, "subscriptions that start and end inside one month are in no "
                           "month-end snapshot")
    return MonthTable(tuple(rows[paying:]), snapshots[-1] - 1, snapshots[-1] < starts[-1], short, months)


def _month_start(month: date, zone: ZoneInfo) -> int:
    return int(datetime(month.year, month.month, 1, tzinfo=zone).timestamp())


def _customer_steps(segments: Sequence[Segment], snapshots: Sequence[int]) -> tuple[tuple[tuple[int, Decimal], ...],
                                                                                   int]:
    """Return one customer's month-end MRR changes (month index, new MRR to the cent) and segments in no snapshot."""
    deltas: dict[int, Decimal] = {}
    short = 0
    count = len(snapshots)
    for segment in segments:
        first = bisect_right(snapshots, segment.start)  # first snapshot after the start
        stop = bisect_right(snapshots, segment.end) if segment.end is not None else count
        if first >= stop:
            short += first < count
            continue
        deltas[first] = deltas.get(first, ZERO) + segment.mrr
        if stop < count:
            deltas[stop] = deltas.get(stop, ZERO) - segment.mrr
    steps = []
    running, before = ZERO, ZERO
    for index in sorted(deltas):
        running += deltas[index]
        after = running.quantize(CENT, ROUND_HALF_UP)
        if after != before:
            steps.append((index, after))
            before = after
    return tuple(steps), short


def _rows(months: Sequence[date], totals: _Totals) -> list[MonthRow]:
    rows: list[MonthRow] = []
    mrr, customers = ZERO, 0
    for index, month in enumerate(months):
        mrr += totals.mrr_diff[index]
        customers += totals.customer_diff[index]
        rows.append(MonthRow(month, mrr, *(totals.money[name][index] for name in MOVEMENTS), customers,
                             *(totals.counts[name][index] for name in COUNTS)))
    return rows

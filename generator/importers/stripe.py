"""`opensite import stripe`: Stripe's dashboard Subscriptions export to paid segments.

A subscription pays from its paid start (the trial end when later than the start) until
`Ended At`, exclusive. `Canceled At` alone does not end it: Stripe sets it when a cancellation is
*scheduled* for the period end, and `Ended At` once it happened. Amounts are per unit, in major
units, in the row's `Currency`, converted at the rate of the paid start's month (ChartMogul and
Baremetrics likewise fix a subscription's MRR at the rate of its transaction date, so exchange
rates never show up as expansion or contraction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import timezone
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.errors import MetricsError
from generator.importers.history import AmountColumn, Standing
from generator.importers.layouts import peek_header
from generator.importers.records import (
    INTERVALS,
    ImportContext,
    RowReader,
    SubscriptionLog,
    find_column,
    load_export,
    require_header,
    show_instant,
)
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.importers.stripe_lines import LINE_ITEM_MARKS, load_line_items
from generator.importers.vendor import Tally, vendor_log
from generator.metrics.read.csvfile import CsvRow, CsvTable

REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "customer": ("customer_id", "customer"),
    "status": ("status",),
    "interval": ("interval", "plan_interval"),
    "amount": ("amount", "plan_amount"),
    "start": ("start_(utc)", "start_date_(utc)", "start", "start_date"),
})
OPTIONAL: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "id": ("id", "subscription_id"),
    "quantity": ("quantity",),
    "interval_count": ("interval_count", "plan_interval_count"),
    "currency": ("currency", "plan_currency"),
    "created": ("created_(utc)", "created"),
    "trial_end": ("trial_end_(utc)", "trial_end"),
    "canceled": ("canceled_at_(utc)", "canceled_at"),
    "ended": ("ended_at_(utc)", "ended_at"),
})
EXPECTED = ("id, Customer ID, Status, Quantity, Interval, Interval Count, Amount, Currency, Start (UTC), "
            "Created (UTC), Trial Start (UTC), Trial End (UTC), Canceled At (UTC), Ended At (UTC)")

STATUSES = ("active", "past_due", "unpaid", "canceled", "trialing", "paused", "incomplete", "incomplete_expired")
NEVER_PAID = ("incomplete", "incomplete_expired", "paused")
"""Statuses that never count: the first payment failed, or (paused) a trial ended without a payment method."""
STRIPE_INTERVALS = ("day", "week", "month", "year")

_OTHER_EXPORTS = (
    (("amount_due", "amount_paid", "amount_remaining", "invoice_number"), "invoices"),
    (("amount_refunded", "captured", "converted_amount"), "payments"),
)
_HOW_TO = "export Billing → Subscriptions → Export in the Stripe dashboard, with all columns"


@dataclass(frozen=True, slots=True)
class _Row:
    """One subscription row, typed; the customer is already a number."""

    line: int
    customer: int
    status: str
    monthly: Decimal
    """Amount × quantity normalised to a month, in the row's currency."""
    currency: str
    start: int
    trial_end: int | None
    ended: int | None
    latest: int
    """The row's latest event: Created, Start, Canceled At or Ended At."""


@import_source("stripe", writes=Writes.SUBSCRIPTIONS, many_files=True)
def read_stripe(request: SourceRequest) -> SubscriptionLog:
    """Read Stripe's subscriptions export, and its invoice line items export when given (plan changes dated)."""
    lines = [path for path in request.files if peek_header(path, request.ctx.encoding) & LINE_ITEM_MARKS]
    subscriptions = [path for path in request.files if path not in lines]
    if len(subscriptions) != 1 or len(lines) > 1:
        raise MetricsError("give Stripe's subscriptions export, and at most one invoice line items export",
                           request.files[0], None, None, _HOW_TO)
    return load_stripe_log(subscriptions[0], request.ctx, request.customer, lines[0] if lines else None)


def load_stripe_log(path: Path, ctx: ImportContext, customer: Callable[[str], int] | None = None,
                    line_items: Path | None = None) -> SubscriptionLog:
    """Read a Stripe subscriptions export into paid segments; raise MetricsError listing every bad row.

    With `line_items` (the invoice line items export), each subscription's price is dated by its
    invoices: an upgrade counts from the day it was billed, not from the subscription's start.
    """
    table = load_export(path, ctx, [name for names in (*REQUIRED.values(), *OPTIONAL.values()) for name in names])
    _refuse_other_exports(table)
    columns = {**require_header(table, REQUIRED, EXPECTED),
               **{ours: key for ours, names in OPTIONAL.items() if (key := find_column(table, names))}}
    reader = RowReader(table, ctx, "stripe")
    number = customer or _local_numbers()
    tally = Tally(rows=len(table.rows))
    standings = _standings(reader, columns, number, tally)
    _duplicate_ids(reader, table, columns.get("id"))
    readers, periods = [reader], []
    if line_items is not None:
        periods, more = load_line_items(line_items, ctx, number, reader.converter, tally)
        readers.append(more)
    customers = len({number(table.cell(row, columns["customer"])) for row in table.rows} |
                    {period.customer for period in periods})
    log = vendor_log([path, *([line_items] if line_items else [])], readers, tally, standings, periods, customers,
                     "subscription")
    return log if line_items else replace(log, names="")


def _local_numbers() -> Callable[[str], int]:
    numbers: dict[str, int] = {}
    return lambda key: numbers.setdefault(key, len(numbers))


def _refuse_other_exports(table: CsvTable) -> None:
    """Name the export a founder downloaded by mistake, and the one that is needed."""
    for keys, name in _OTHER_EXPORTS:
        if any(table.has(key) for key in keys):
            raise MetricsError(f"this looks like a Stripe {name} export, not the subscriptions export",
                               table.path, table.header_line, None, _HOW_TO)
    if table.has("email") and not table.has("status") and not table.has("interval"):
        raise MetricsError("this looks like a Stripe customers export, not the subscriptions export",
                           table.path, table.header_line, None, _HOW_TO)


def _read_row(reader: RowReader, columns: Mapping[str, str], number: Callable[[str], int],
              row: CsvRow) -> _Row | None:
    before = len(reader.problems)
    cell = reader.table.cell
    customer = cell(row, columns["customer"])
    if not customer:
        reader.report(row, columns["customer"], "the customer is blank", "every subscription belongs to a customer")
    status = cell(row, columns["status"]).lower()
    if status not in STATUSES:
        reader.report(row, columns["status"], f"{cell(row, columns['status'])!r} is not a Stripe status",
                      "valid: " + ", ".join(STATUSES))
    currency = cell(row, columns["currency"]).upper() if "currency" in columns else reader.ctx.currency
    monthly = _monthly_amount(reader, columns, row, currency or reader.ctx.currency)
    start = reader.instant(row, columns["start"], timezone.utc, required=True)
    trial_end = reader.instant(row, columns.get("trial_end"), timezone.utc)
    ended = reader.instant(row, columns.get("ended"), timezone.utc)
    events = (start, ended, reader.instant(row, columns.get("created"), timezone.utc),
              reader.instant(row, columns.get("canceled"), timezone.utc))
    if start is not None and ended is not None and ended < start:
        reader.report(row, columns["ended"], f"it ended ({show_instant(ended, timezone.utc)}) before it started "
                      f"({show_instant(start, timezone.utc)})", "check the Start and Ended At of this row (UTC)")
    if len(reader.problems) > before:
        return None
    return _Row(row.line, number(customer), status, monthly, currency or reader.ctx.currency,  # type: ignore[arg-type]
                start, trial_end, ended, max(moment for moment in events if moment is not None))  # type: ignore[arg-type]


def _monthly_amount(reader: RowReader, columns: Mapping[str, str], row: CsvRow, currency: str) -> Decimal | None:
    """Return Amount × Quantity per month: year ÷ 12, week × 52 ÷ 12, day × 365 ÷ 12, ÷ Interval Count."""
    amount = reader.amount(row, columns["amount"], required=True, non_negative=True, currency=currency)
    interval = reader.interval(row, columns["interval"], STRIPE_INTERVALS)
    quantity = reader.whole(row, columns.get("quantity"), 1)
    count = reader.whole(row, columns.get("interval_count"), 1)
    if amount is None or interval is None or quantity is None or count is None:
        return None
    return amount * quantity * INTERVALS[interval] / count


def _duplicate_ids(reader: RowReader, table: CsvTable, key: str | None) -> None:
    if key is None:
        return
    first: dict[str, int] = {}
    for row in table.rows:
        text = table.cell(row, key)
        if text and text in first:
            reader.report(row, key, f"the same subscription id is on lines {first[text]} and {row.line}",
                          "export once, or remove the repeated row")
        first.setdefault(text, row.line)


def _standings(reader: RowReader, columns: Mapping[str, str], number: Callable[[str], int],
               tally: Tally) -> Iterator[Standing]:
    """Yield one standing per subscription that ever pays, priced from its paid start; count why others never do.

    Lazily, row by row, so a 100,000-row export is never held twice (bench/bench_import.py).
    """
    amounts = AmountColumn(reader.table, columns["amount"])
    for csv_row in reader.table.rows:
        row = _read_row(reader, columns, number, csv_row)
        if row is None:
            continue
        tally.saw(row.latest)  # future period and trial ends are not events
        paid_start = max(row.start, row.trial_end) if row.trial_end is not None else row.start
        reason = _never_pays(row, paid_start)
        if reason:
            tally.skip(reason)
            continue
        if reader.ctx.ignores(paid_start):
            continue  # starts paying after --until: never read, so no rate is needed for its month
        key = reader.table.cell(csv_row, columns["id"]) if "id" in columns else ""
        yield Standing(key or f"#{csv_row.line}", row.customer, paid_start, row.ended, row.monthly, row.currency,
                       csv_row.line, amounts, paying=row.ended is None)


def _never_pays(row: _Row, paid_start: int) -> str:
    """Return why a subscription is in no month's MRR ('' when it pays at some point)."""
    if row.status in NEVER_PAID:
        return row.status
    if row.status == "trialing" and row.trial_end is None:
        return "trialing"
    if row.ended is not None and row.ended <= paid_start:
        return "ended during its trial"
    if row.monthly == 0:
        return "free"
    return ""

"""Stripe's invoice line items export: each subscription's billed periods, so a plan change inside it is dated.

Stripe's subscriptions export holds only each subscription's *current* plan; its invoices hold the
history. The line items export (Reports → Invoice line items, or Invoices → Export with line items)
has one row per line: the `Subscription`, `Period Start (UTC)` and `Period End (UTC)`, `Amount` (the
line's total, major units, in `Currency`), `Quantity` and `Proration` (the invoice line object:
https://docs.stripe.com/api/invoice-line-item/object). A regular line's amount covers one billing
period, so its price per month is the amount normalised by the period's cycle (the `Price Interval`
when the export has it, else the period's length); a positive proration line dates a change and
is priced by the subscription's next regular line; credits for unused time (negative) are left out,
as are lines of void, draft and uncollectible invoices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timezone
from pathlib import Path
from types import MappingProxyType

from generator.importers.history import AmountColumn, Period
from generator.importers.layouts import Layout, read_layout
from generator.importers.records import ImportContext, RowReader
from generator.importers.vendor import Tally, infer_cycle, monthly, read_cycle
from generator.metrics.read.csvfile import CsvRow
from generator.metrics.read.money import Converter

LINE_ITEMS = Layout("Stripe invoice line items export", MappingProxyType({
    "subscription": ("subscription", "subscription_id"),
    "customer": ("customer", "customer_id"),
    "starts": ("period_start_(utc)", "period_start"),
    "ends": ("period_end_(utc)", "period_end"),
    "amount": ("amount", "line_item_amount"),
}), MappingProxyType({
    "currency": ("currency",),
    "quantity": ("quantity",),
    "proration": ("proration",),
    "invoice": ("invoice_id", "invoice"),
    "status": ("invoice_status", "status"),
    "interval": ("price_interval", "plan_interval", "interval"),
    "interval_count": ("price_interval_count", "plan_interval_count", "interval_count"),
}), how="Stripe: Reports → Invoice line items (or Invoices → Export, itemized), UTC timestamps")
LINE_ITEM_MARKS = frozenset({"period_start_(utc)", "period_start", "proration", "line_item_id"})
"""Header keys that only the line items export has (the subscriptions export never does)."""
NOT_BILLED = ("void", "draft", "uncollectible", "deleted")


def load_line_items(path: Path, ctx: ImportContext, number: Callable[[str], int], converter: Converter,
                    tally: Tally) -> tuple[list[Period], RowReader]:
    """Return the billed periods of every subscription in the line items export, and its reader (for problems)."""
    laid = read_layout(path, ctx, LINE_ITEMS, {})
    reader = RowReader(laid.table, ctx, "stripe", converter)
    grouped: dict[tuple[str, str, int], Period] = {}
    for row in laid.table.rows:
        period = _period(reader, laid.columns, row, number, tally)
        if period is None:
            continue
        key = (period.subscription, laid.table.cell(row, laid.columns["invoice"]) if "invoice" in laid.columns
               else "", period.start)
        earlier = grouped.get(key)
        if earlier is not None and earlier.monthly is not None and period.monthly is not None:
            period = Period(period.subscription, period.customer, period.start, max(period.end, earlier.end),
                            earlier.monthly + period.monthly, period.currency, earlier.line, earlier.amounts)
        grouped[key] = period
    return list(grouped.values()), reader


def _period(reader: RowReader, columns: Mapping[str, str], row: CsvRow, number: Callable[[str], int],
            tally: Tally) -> Period | None:
    cell = reader.table.cell
    subscription = cell(row, columns["subscription"])
    status = cell(row, columns["status"]).lower() if "status" in columns else ""
    if not subscription or status in NOT_BILLED:
        return None  # a one-time line, or one never billed
    before = len(reader.problems)
    start = reader.instant(row, columns["starts"], timezone.utc, required=True)
    end = reader.instant(row, columns["ends"], timezone.utc, required=True)
    currency = cell(row, columns["currency"]).upper() if "currency" in columns else ""
    currency = currency or reader.ctx.currency
    amount = reader.amount(row, columns["amount"], required=True, currency=currency)
    if len(reader.problems) > before or start is None or end is None or amount is None:
        return None
    tally.saw(start)
    if reader.ctx.ignores(start):
        return None
    prorated = cell(row, columns["proration"]).lower() in ("true", "yes", "1") if "proration" in columns else False
    if prorated and amount <= 0:
        return None  # the credit for unused time on the old price: the new price's line dates the change
    price = None
    if not prorated:
        given = "interval" in columns and cell(row, columns["interval"])
        cycle = read_cycle(reader, row, columns, "interval", "interval_count") if given else infer_cycle(start, end)
        if cycle is None:
            return None
        price = monthly(amount, 1, *cycle)  # the amount is the line's total: quantity is already in it
    return Period(subscription, number(cell(row, columns["customer"])), start, end, price, currency, row.line,
                  AmountColumn(reader.table, columns["amount"]))

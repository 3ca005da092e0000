"""`opensite import lemonsqueezy`: Lemon Squeezy's subscriptions export, and its subscription invoices when given.

Columns are Lemon Squeezy's own field names. The **subscriptions** file holds the subscription object
(https://docs.lemonsqueezy.com/api/subscriptions: `id, customer_id, status, trial_ends_at, ends_at,
created_at, updated_at`) with its item and price (https://docs.lemonsqueezy.com/api/subscription-items:
`quantity`; https://docs.lemonsqueezy.com/api/prices: `unit_price` in cents, `renewal_interval_unit`,
`renewal_interval_quantity`) and the store's `currency`. The optional **subscription invoices** file
(https://docs.lemonsqueezy.com/api/subscription-invoices: `subscription_id, customer_id, billing_reason,
status, currency, subtotal, created_at`) dates each price: an `initial` or `renewal` invoice pays one
billing cycle from its date, an `updated` invoice (a plan or seat change) dates the new price.

Statuses: `active`, `past_due` and `unpaid` pay while running (as Stripe's MRR counts them);
`on_trial` pays from `trial_ends_at`; `cancelled` still pays until `ends_at` (Lemon Squeezy's grace
period: a scheduled cancellation), `expired` ended at `ends_at`; `paused` stopped paying at its last
paid cycle's end when invoices are given, else at `updated_at`. Refunds do not change MRR.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from datetime import timezone
from types import MappingProxyType

from generator.errors import MetricsError
from generator.importers.history import AmountColumn, Period, Standing
from generator.importers.layouts import LaidOut, Layout, read_layout, sort_files
from generator.importers.records import RowReader, SubscriptionLog
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.importers.vendor import Tally, add_cycle, major, monthly, read_plan_row, vendor_log
from generator.metrics.read.csvfile import CsvRow
from generator.metrics.read.money import Converter

_HOW = "in Lemon Squeezy: Store → Subscriptions → Export (and Subscription invoices → Export)"
SUBSCRIPTIONS = Layout("Lemon Squeezy subscriptions export", MappingProxyType({
    "id": ("id", "subscription_id"),
    "customer": ("customer_id",),
    "status": ("status",),
    "created": ("created_at",),
    "unit_price": ("unit_price", "price"),
    "interval": ("renewal_interval_unit", "interval"),
}), MappingProxyType({
    "count": ("renewal_interval_quantity", "interval_count"),
    "quantity": ("quantity",),
    "currency": ("currency",),
    "trial_ends": ("trial_ends_at",),
    "ends": ("ends_at",),
    "updated": ("updated_at",),
}), marks=("renews_at", "trial_ends_at", "renewal_interval_unit", "variant_id", "ends_at"), how=_HOW)
INVOICES = Layout("Lemon Squeezy subscription invoices export", MappingProxyType({
    "subscription": ("subscription_id",),
    "customer": ("customer_id",),
    "status": ("status",),
    "subtotal": ("subtotal",),
    "created": ("created_at",),
}), MappingProxyType({
    "reason": ("billing_reason",),
    "currency": ("currency",),
}), marks=("billing_reason", "subtotal", "refunded_at"), how=_HOW)

STATUSES = ("on_trial", "active", "paused", "past_due", "unpaid", "cancelled", "expired")
PAID_INVOICES = ("paid", "refunded", "partial_refund")
UNPAID_INVOICES = ("pending", "void")


@import_source("lemonsqueezy", writes=Writes.SUBSCRIPTIONS, many_files=True)
def load_lemonsqueezy_log(request: SourceRequest) -> SubscriptionLog:
    """Read Lemon Squeezy's subscriptions export (and invoices) into paid segments; raise listing every bad row."""
    files = sort_files(request.files, request.ctx, (SUBSCRIPTIONS, INVOICES))
    if SUBSCRIPTIONS not in files:
        raise_missing(request)
    tally = Tally()
    converter = Converter(request.ctx.rates, "lemonsqueezy")
    laid = read_layout(files[SUBSCRIPTIONS], request.ctx, SUBSCRIPTIONS, request.columns)
    readers = [RowReader(laid.table, request.ctx, "lemonsqueezy", converter)]
    cycles: dict[str, tuple[str, int]] = {}
    amounts = AmountColumn(laid.table, laid.columns["unit_price"])
    standings: Iterable[Standing] = (s for row in laid.table.rows if (s := _standing(
        readers[0], laid.columns, row, request, tally, cycles, INVOICES in files, amounts)))
    periods: list[Period] = []
    if INVOICES in files:
        standings = list(standings)  # every subscription's billing cycle, before its invoices are read
        invoices = read_layout(files[INVOICES], request.ctx, INVOICES, request.columns)
        readers.append(RowReader(invoices.table, request.ctx, "lemonsqueezy", converter))
        periods = [p for row in invoices.table.rows if (p := _period(readers[1], invoices, row, request, tally,
                                                                   cycles))]
    customers = len({request.customer(laid.table.cell(row, laid.columns["customer"])) for row in laid.table.rows} |
                    {p.customer for p in periods})
    return vendor_log([files[one] for one in (SUBSCRIPTIONS, INVOICES) if one in files], readers, tally, standings,
                      periods, customers, "subscription")


def raise_missing(request: SourceRequest) -> None:
    raise MetricsError("the Lemon Squeezy subscriptions export is missing", request.files[0], None, None,
                       "give the subscriptions export; the subscription invoices export only adds dates")


def _standing(reader: RowReader, columns: Mapping[str, str], row: CsvRow, request: SourceRequest, tally: Tally,
              cycles: dict[str, tuple[str, int]], has_invoices: bool, amounts: AmountColumn) -> Standing | None:
    tally.rows += 1
    before = len(reader.problems)
    cell = reader.table.cell
    plan = read_plan_row(reader, row, columns, STATUSES, "Lemon Squeezy", request.ctx.currency)
    status, currency, cycle = plan.status, plan.currency, plan.cycle
    moments = {name: reader.instant(row, columns.get(name), timezone.utc)
               for name in ("created", "trial_ends", "ends", "updated")}
    tally.saw(moments["created"], moments["updated"], moments["ends"] if status == "expired" else None)
    if len(reader.problems) > before or plan.price is None or cycle is None:
        return None
    key = cell(row, columns["id"]) or f"#{row.line}"
    cycles[key] = cycle
    paid_start = max(moments["created"] or 0, moments["trial_ends"] or 0)
    end = moments["ends"] if status in ("expired", "cancelled") else None
    if status == "paused" and not has_invoices:
        end = moments["updated"]
    if status == "on_trial" or (end is not None and end <= paid_start):
        tally.skip("trial not over" if status == "on_trial" else "ended during its trial")
        return None
    return Standing(key, request.customer(cell(row, columns["customer"])), paid_start, end,
                    plan.price, sys.intern(currency), row.line, amounts,
                    paying=status not in ("paused", "expired"))


def _period(reader: RowReader, laid: LaidOut, row: CsvRow, request: SourceRequest, tally: Tally,
            cycles: Mapping[str, tuple[str, int]]) -> Period | None:
    columns, cell = laid.columns, reader.table.cell
    status = cell(row, columns["status"]).lower()
    start = reader.instant(row, columns["created"], timezone.utc, required=True)
    tally.saw(start)
    if status in UNPAID_INVOICES:
        return None
    if status not in PAID_INVOICES:
        reader.report(row, columns["status"], f"{cell(row, columns['status'])!r} is not a Lemon Squeezy invoice status",
                      "valid: " + ", ".join((*PAID_INVOICES, *UNPAID_INVOICES)))
    subscription = cell(row, columns["subscription"])
    currency = (cell(row, columns["currency"]).upper() if "currency" in columns else "") or request.ctx.currency
    subtotal = reader.amount(row, columns["subtotal"], required=True, non_negative=True, currency=currency)
    cycle = cycles.get(subscription, ("month", 1))
    if start is None or subtotal is None or reader.ctx.ignores(start):
        return None
    changed = cell(row, columns["reason"]).lower() == "updated" if "reason" in columns else False
    return Period(subscription, request.customer(cell(row, columns["customer"])), start, add_cycle(start, cycle),
                  None if changed else monthly(major(subtotal, currency), 1, *cycle), currency, row.line,
                  AmountColumn(reader.table, columns["subtotal"]))

"""`opensite import chargebee`: Chargebee's subscriptions export, and its invoice line items when given.

Columns are Chargebee's field names, as its exports and data catalog write them (with or without the
`subscriptions.` prefix). The **subscriptions** file (https://datacatalog.chargebee.com/subscriptions,
https://apidocs.chargebee.com/docs/api/subscriptions): `id, customer_id, status, currency_code,
plan_unit_price` (cents), `plan_quantity, billing_period, billing_period_unit, started_at,
trial_end, cancelled_at, pause_date, resume_date`. The optional **invoice line items** file
(https://datacatalog.chargebee.com/invoice_line_items): `subscription_id, customer_id, date_from,
date_to, unit_amount, quantity, entity_type`, and the invoice's `currency_code` and `status` when
present: each recurring line dates its price from `date_from` (a mid-term change included).

Statuses: `active` pays; `in_trial` pays from `trial_end`; `non_renewing` is a scheduled cancellation
and pays until `cancelled_at`; `cancelled` ended at `cancelled_at`; `paused` stopped at `pause_date`
(an active subscription whose `pause_date` and `resume_date` both passed paid nothing in between);
`future` has not started and `transferred` moved to another business entity (neither counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timezone
from types import MappingProxyType

from generator.errors import MetricsError
from generator.importers.history import AmountColumn, Period, Standing
from generator.importers.layouts import LaidOut, Layout, read_layout, sort_files
from generator.importers.records import RowReader, SubscriptionLog
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.importers.vendor import Tally, infer_cycle, major, monthly, read_plan_row, vendor_log
from generator.metrics.read.csvfile import CsvRow
from generator.metrics.read.money import Converter

_HOW = "in Chargebee: Subscriptions → Export (and Invoices → Export with line items)"
SUBSCRIPTIONS = Layout("Chargebee subscriptions export", MappingProxyType({
    "id": ("id", "subscription_id"),
    "customer": ("customer_id",),
    "status": ("status",),
    "unit_price": ("plan_unit_price", "unit_price", "plan_amount"),
    "interval": ("billing_period_unit",),
    "started": ("started_at", "created_at"),
}), MappingProxyType({
    "count": ("billing_period",),
    "quantity": ("plan_quantity", "quantity"),
    "currency": ("currency_code", "currency"),
    "trial_end": ("trial_end",),
    "cancelled": ("cancelled_at",),
    "pause": ("pause_date",),
    "resume": ("resume_date",),
    "created": ("created_at",),
}), marks=("billing_period_unit", "plan_unit_price", "plan_quantity", "pause_date", "activated_at"), how=_HOW)
LINE_ITEMS = Layout("Chargebee invoice line items export", MappingProxyType({
    "subscription": ("subscription_id",),
    "customer": ("customer_id",),
    "starts": ("date_from",),
    "ends": ("date_to",),
    "unit_price": ("unit_amount", "amount"),
}), MappingProxyType({
    "quantity": ("quantity",),
    "kind": ("entity_type",),
    "currency": ("currency_code", "currency"),
    "status": ("invoice_status", "status"),
}), marks=("date_from", "date_to", "entity_type", "unit_amount"), how=_HOW)

STATUSES = ("future", "in_trial", "active", "non_renewing", "paused", "cancelled", "transferred")
ONE_TIME = ("charge_item_price", "charge", "adhoc")
NOT_BILLED = ("voided", "pending")


@import_source("chargebee", writes=Writes.SUBSCRIPTIONS, many_files=True)
def load_chargebee_log(request: SourceRequest) -> SubscriptionLog:
    """Read Chargebee's subscriptions export (and invoice line items) into paid segments; raise listing bad rows."""
    files = sort_files(request.files, request.ctx, (SUBSCRIPTIONS, LINE_ITEMS))
    if SUBSCRIPTIONS not in files:
        raise MetricsError("the Chargebee subscriptions export is missing", request.files[0], None, None,
                           "give the subscriptions export; the invoice line items export only adds dates")
    tally = Tally()
    converter = Converter(request.ctx.rates, "chargebee")
    laid = read_layout(files[SUBSCRIPTIONS], request.ctx, SUBSCRIPTIONS, request.columns)
    readers = [RowReader(laid.table, request.ctx, "chargebee", converter)]
    cycles: dict[str, tuple[str, int]] = {}
    standings: Iterable[Standing] = (s for row in laid.table.rows for s in _standings(
        readers[0], laid.columns, row, request, tally, cycles, LINE_ITEMS in files))
    periods: list[Period] = []
    if LINE_ITEMS in files:
        standings = list(standings)  # every subscription's billing cycle, before its lines are read
        lines = read_layout(files[LINE_ITEMS], request.ctx, LINE_ITEMS, request.columns)
        readers.append(RowReader(lines.table, request.ctx, "chargebee", converter))
        periods = [p for row in lines.table.rows if (p := _period(readers[1], lines, row, request, tally, cycles))]
    customers = len({request.customer(laid.table.cell(row, laid.columns["customer"])) for row in laid.table.rows} |
                    {p.customer for p in periods})
    return vendor_log([files[one] for one in (SUBSCRIPTIONS, LINE_ITEMS) if one in files], readers, tally,
                      standings, periods, customers, "subscription")


def _standings(reader: RowReader, columns: Mapping[str, str], row: CsvRow, request: SourceRequest, tally: Tally,
               cycles: dict[str, tuple[str, int]], dated: bool) -> list[Standing]:
    """Return the stretches one subscription row paid: one, or two around a pause that has ended."""
    tally.rows += 1
    before = len(reader.problems)
    cell = reader.table.cell
    plan = read_plan_row(reader, row, columns, STATUSES, "Chargebee", request.ctx.currency)
    status, currency, cycle, price = plan.status, plan.currency, plan.cycle, plan.price
    at = {name: reader.instant(row, columns.get(name), timezone.utc)
          for name in ("started", "trial_end", "cancelled", "pause", "resume", "created")}
    tally.saw(at["started"], at["created"], *(at[name] for name in ("cancelled", "pause", "resume")
                                             if status in ("cancelled", "paused", "active")))
    if len(reader.problems) > before or price is None or cycle is None:
        return []
    key = cell(row, columns["id"]) or f"#{row.line}"
    cycles[key] = cycle
    if status in ("future", "in_trial", "transferred") or at["started"] is None:
        tally.skip({"in_trial": "trial not over"}.get(status, status))
        return []
    paid_start = max(at["started"], at["trial_end"] or 0)
    end = at["cancelled"] if status in ("cancelled", "non_renewing") else at["pause"] if status == "paused" else None
    customer = request.customer(cell(row, columns["customer"]))
    locate = AmountColumn(reader.table, columns["unit_price"])
    paused = not dated and status == "active" and at["pause"] and at["resume"] and \
        paid_start < at["pause"] < at["resume"]  # with invoice lines, the gap between periods dates the pause
    if paused:  # paused and resumed: nothing paid in between
        return [Standing(key + "#before-pause", customer, paid_start, at["pause"], price, currency, row.line, locate,
                         paying=False),
                Standing(key, customer, at["resume"], None, price, currency, row.line, locate)]  # type: ignore[arg-type]
    if end is not None and end <= paid_start:
        tally.skip("ended during its trial")
        return []
    return [Standing(key, customer, paid_start, end, price, currency, row.line, locate,
                     paying=status not in ("paused", "cancelled"))]


def _period(reader: RowReader, laid: LaidOut, row: CsvRow, request: SourceRequest, tally: Tally,
            cycles: Mapping[str, tuple[str, int]]) -> Period | None:
    columns, cell = laid.columns, reader.table.cell
    subscription = cell(row, columns["subscription"])
    kind = cell(row, columns["kind"]).lower() if "kind" in columns else ""
    status = cell(row, columns["status"]).lower() if "status" in columns else ""
    if not subscription or kind in ONE_TIME or status in NOT_BILLED:
        return None  # a one-time charge, or a line never billed
    before = len(reader.problems)
    start = reader.instant(row, columns["starts"], timezone.utc, required=True)
    end = reader.instant(row, columns["ends"], timezone.utc, required=True)
    currency = (cell(row, columns["currency"]).upper() if "currency" in columns else "") or request.ctx.currency
    amount = reader.amount(row, columns["unit_price"], required=True, non_negative=True, currency=currency)
    quantity = reader.whole(row, columns.get("quantity"), 1)
    if len(reader.problems) > before or start is None or end is None or amount is None or quantity is None:
        return None
    tally.saw(start)
    if reader.ctx.ignores(start):
        return None
    cycle = cycles.get(subscription) or infer_cycle(start, end)
    return Period(subscription, request.customer(cell(row, columns["customer"])), start, end,
                  monthly(major(amount, currency), quantity, *cycle), currency, row.line,
                  AmountColumn(reader.table, columns["unit_price"]))

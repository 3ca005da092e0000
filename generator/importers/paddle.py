"""`opensite import paddle`: Paddle Billing's subscriptions and transactions exports (either or both).

Columns follow Paddle's own names, as its reports do ("column headings on reports mirror fields in the
Paddle API": https://developer.paddle.com/build/finance/reports/transaction-line-items). The
**subscriptions** file is the subscription entity
(https://developer.paddle.com/api-reference/subscriptions/list-subscriptions), one row per item:
`id, status, customer_id, currency_code, started_at, first_billed_at, paused_at, canceled_at,
billing_cycle.interval, billing_cycle.frequency, quantity, unit_price.amount`, optionally
`scheduled_change.action`. The **transactions** file is the transaction line items report:
`transaction_id, status, customer_id, subscription_id, currency_code, billed_at,
billing_period.starts_at, billing_period.ends_at, quantity, unit_price.amount` and the price's
billing cycle when present. Unit prices are in the currency's minor unit (cents; yen have none);
timestamps are RFC 3339 (UTC).

Statuses: `active` and `past_due` pay (past due has not churned yet, as in Stripe's MRR); `trialing`
pays from `first_billed_at`; `paused` stopped paying at `paused_at`, `canceled` at `canceled_at`; a
scheduled cancellation (`scheduled_change.action: cancel`) still pays until it takes effect. A paid
transaction (`completed`, `paid`, `billed`, `past_due`) dates its price from its billing period's
start, so an upgrade, a seat change or a pause (a gap between periods) is dated exactly; draft, ready
and canceled transactions never billed. Refunds (Paddle adjustments) do not change MRR.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import timezone
from decimal import Decimal
from types import MappingProxyType

from generator.importers.history import AmountColumn, Period, Standing
from generator.importers.layouts import LaidOut, Layout, read_layout, sort_files
from generator.importers.records import RowReader, SubscriptionLog
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.importers.vendor import Tally, infer_cycle, major, monthly, read_cycle, vendor_log
from generator.metrics.read.csvfile import CsvRow
from generator.metrics.read.money import Converter

_HOW = "in Paddle: Reports → New report → Transaction line items; subscriptions from the API's list subscriptions"
SUBSCRIPTIONS = Layout("Paddle subscriptions export", MappingProxyType({
    "id": ("id", "subscription_id"),
    "status": ("status",),
    "customer": ("customer_id",),
    "currency": ("currency_code", "currency"),
    "unit_price": ("unit_price_amount", "price_unit_price_amount", "unit_price"),
    "interval": ("billing_cycle_interval", "price_billing_cycle_interval"),
    "started": ("started_at", "created_at"),
}), MappingProxyType({
    "frequency": ("billing_cycle_frequency", "price_billing_cycle_frequency"),
    "quantity": ("quantity",),
    "first_billed": ("first_billed_at",),
    "paused": ("paused_at",),
    "canceled": ("canceled_at",),
    "created": ("created_at",),
    "scheduled": ("scheduled_change_action",),
}), marks=("first_billed_at", "next_billed_at", "started_at", "paused_at", "scheduled_change_action"), how=_HOW)
TRANSACTIONS = Layout("Paddle transactions export", MappingProxyType({
    "subscription": ("subscription_id",),
    "customer": ("customer_id",),
    "status": ("status", "transaction_status"),
    "currency": ("currency_code", "currency"),
    "starts": ("billing_period_starts_at",),
    "ends": ("billing_period_ends_at",),
    "unit_price": ("unit_price_amount", "price_unit_price_amount", "unit_price"),
}), MappingProxyType({
    "transaction": ("transaction_id", "id"),
    "quantity": ("quantity",),
    "interval": ("billing_cycle_interval", "price_billing_cycle_interval"),
    "frequency": ("billing_cycle_frequency", "price_billing_cycle_frequency"),
    "billed": ("billed_at", "created_at"),
    "subtotal": ("totals_subtotal", "subtotal"),
}), marks=("billing_period_starts_at", "billed_at", "transaction_id", "origin"), how=_HOW)

STATUSES = ("active", "trialing", "past_due", "paused", "canceled")
BILLED = ("completed", "paid", "billed", "past_due")
NOT_BILLED = ("draft", "ready", "canceled")


@import_source("paddle", writes=Writes.SUBSCRIPTIONS, many_files=True)
def load_paddle_log(request: SourceRequest) -> SubscriptionLog:
    """Read Paddle's subscriptions and/or transactions exports into paid segments; raise listing every bad row."""
    files = sort_files(request.files, request.ctx, (SUBSCRIPTIONS, TRANSACTIONS))
    tally = Tally()
    converter = Converter(request.ctx.rates, "paddle")
    readers: list[RowReader] = []
    customers: set[int] = set()
    standings: list[Standing] = []
    periods: list[Period] = []
    if SUBSCRIPTIONS in files:
        laid = read_layout(files[SUBSCRIPTIONS], request.ctx, SUBSCRIPTIONS, request.columns)
        readers.append(RowReader(laid.table, request.ctx, "paddle", converter))
        standings = _standings(readers[-1], laid, request, tally, customers)
    if TRANSACTIONS in files:
        laid = read_layout(files[TRANSACTIONS], request.ctx, TRANSACTIONS, request.columns)
        readers.append(RowReader(laid.table, request.ctx, "paddle", converter))
        periods = _periods(readers[-1], laid, request, tally, customers)
    noun = "subscription" if SUBSCRIPTIONS in files else "row"
    return vendor_log([files[one] for one in (SUBSCRIPTIONS, TRANSACTIONS) if one in files], readers, tally,
                      standings, periods, len(customers), noun)


def _standings(reader: RowReader, laid: LaidOut, request: SourceRequest, tally: Tally,
               customers: set[int]) -> list[Standing]:
    """Return one standing per subscription (its items' prices summed); count those that never paid."""
    by_id: dict[str, Standing] = {}
    amounts = AmountColumn(laid.table, laid.columns["unit_price"])  # one for all rows
    for row in laid.table.rows:
        tally.rows += 1
        standing = _standing(reader, laid.columns, row, request, tally, amounts)
        if standing is None:
            continue
        customers.add(standing.customer)
        earlier = by_id.get(standing.subscription)
        by_id[standing.subscription] = standing if earlier is None else _with_item(earlier, standing)
    return list(by_id.values())


def _with_item(standing: Standing, item: Standing) -> Standing:
    return Standing(standing.subscription, standing.customer, standing.paid_start, standing.end,
                    standing.monthly + item.monthly, standing.currency, standing.line, standing.amounts,
                    standing.paying)


def _standing(reader: RowReader, columns: Mapping[str, str], row: CsvRow, request: SourceRequest,
              tally: Tally, amounts: AmountColumn) -> Standing | None:
    before = len(reader.problems)
    cell = reader.table.cell
    key, customer = cell(row, columns["id"]), cell(row, columns["customer"])
    status = cell(row, columns["status"]).lower()
    if status not in STATUSES:
        reader.report(row, columns["status"], f"{cell(row, columns['status'])!r} is not a Paddle subscription status",
                      "valid: " + ", ".join(STATUSES))
    if not customer:
        reader.report(row, columns["customer"], "the customer is blank", "every subscription belongs to a customer")
    currency = cell(row, columns["currency"]).upper() or request.ctx.currency
    price = _price(reader, columns, row, currency)
    moments = {name: reader.instant(row, columns.get(name), timezone.utc)
               for name in ("started", "first_billed", "paused", "canceled", "created")}
    tally.saw(*moments.values())
    if len(reader.problems) > before or price is None:
        return None
    paid_start = moments["first_billed"] or (moments["started"] if status in ("active", "past_due") else None)
    end = moments["canceled"] if status == "canceled" else moments["paused"] if status == "paused" else None
    if paid_start is None or (end is not None and end <= paid_start):
        tally.skip("trial not over" if status == "trialing" else "ended during its trial")
        return None
    return Standing(key, request.customer(customer), paid_start, end, price, sys.intern(currency), row.line,
                    amounts, paying=status not in ("paused", "canceled"))


def _price(reader: RowReader, columns: Mapping[str, str], row: CsvRow, currency: str,
           cycle: tuple[str, int] | None = None) -> Decimal | None:
    """Return unit price × quantity per month, in major units."""
    amount = reader.amount(row, columns["unit_price"], required=True, non_negative=True, currency=currency)
    quantity = reader.whole(row, columns.get("quantity"), 1)
    if cycle is None and "interval" in columns:
        cycle = read_cycle(reader, row, columns, "interval", "frequency")
    if amount is None or quantity is None or cycle is None:
        return None
    return monthly(major(amount, currency), quantity, *cycle)


def _periods(reader: RowReader, laid: LaidOut, request: SourceRequest, tally: Tally,
             customers: set[int]) -> list[Period]:
    """Return one period per billed transaction of a subscription (its lines summed); one-time lines left out."""
    columns, cell = laid.columns, laid.table.cell
    grouped: dict[tuple[str, str, int], Period] = {}
    amounts = AmountColumn(laid.table, columns["unit_price"])
    for row in laid.table.rows:
        if "subscription" not in columns or not cell(row, columns["subscription"]):
            continue  # a one-time charge: no recurring revenue
        period = _period(reader, columns, row, request, tally, amounts)
        if period is None:
            continue
        customers.add(period.customer)
        key = (period.subscription, cell(row, columns["transaction"]) if "transaction" in columns else "",
               period.start)
        earlier = grouped.get(key)
        grouped[key] = period if earlier is None or earlier.monthly is None else Period(
            period.subscription, period.customer, period.start, max(period.end, earlier.end),
            earlier.monthly + (period.monthly or 0), period.currency, earlier.line, earlier.amounts)
    return list(grouped.values())


def _period(reader: RowReader, columns: Mapping[str, str], row: CsvRow, request: SourceRequest,
            tally: Tally, amounts: AmountColumn) -> Period | None:
    before = len(reader.problems)
    cell = reader.table.cell
    status = cell(row, columns["status"]).lower()
    tally.saw(reader.instant(row, columns.get("billed"), timezone.utc))
    if status in NOT_BILLED:
        return None
    if status not in BILLED:
        reader.report(row, columns["status"], f"{cell(row, columns['status'])!r} is not a Paddle transaction status",
                      "valid: " + ", ".join((*BILLED, *NOT_BILLED)))
    start = reader.instant(row, columns["starts"], timezone.utc, required=True)
    end = reader.instant(row, columns["ends"], timezone.utc, required=True)
    currency = cell(row, columns["currency"]).upper() or request.ctx.currency
    tally.saw(start)
    if len(reader.problems) > before or start is None or end is None:
        return None
    if "subtotal" in columns and reader.amount(row, columns["subtotal"], required=False) == 0:
        return None  # a trial's transaction lists the price but bills nothing
    cycle = None if "interval" in columns and cell(row, columns["interval"]) else infer_cycle(start, end)
    price = _price(reader, columns, row, currency, cycle)
    if price is None:
        return None
    return Period(cell(row, columns["subscription"]), request.customer(cell(row, columns["customer"])), start, end,
                  price, sys.intern(currency), row.line, amounts)

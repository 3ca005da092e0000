"""One subscription history, written as each vendor's exports would hold it and as a plain event log.

The histories are the test's own model of what happened (a price from a date, a pause, an end); each
vendor renderer writes what that vendor's exports show of it (its current state, its billed periods),
and `events_log` writes the customer's MRR at every change, independently of any importer. Importing a
vendor's exports and importing the event log must give the same monthly files.
"""

from __future__ import annotations

import csv
from calendar import monthrange
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

EXPORTED = datetime(2024, 12, 20, 10, 0, tzinfo=timezone.utc)
UNTIL = "2024-11"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Price:
    """From `start` on, `unit` (minor units) × `quantity` per billing cycle."""

    start: datetime
    unit: int
    quantity: int = 1


@dataclass(frozen=True)
class Sub:
    id: str
    customer: str
    currency: str
    start: datetime
    prices: tuple[Price, ...]
    """The first price starts at the paid start; later ones inside a period are immediate changes (prorated)."""
    interval: str = "month"
    trial_days: int = 0
    pause: tuple[datetime, datetime | None] | None = None
    """Paused at (a period's end) and resumed at (a new period starts), or never resumed."""
    end: datetime | None = None
    """When it stopped (cancelled at the period end, or at once with a refund)."""
    scheduled: datetime | None = None
    """A cancellation scheduled after the export."""
    refunded: bool = False

    @property
    def paid_start(self) -> datetime:
        return self.start + timedelta(days=self.trial_days)

    def price_at(self, moment: datetime) -> Price:
        """Return the price in effect at `moment` (the first one before it starts: a trial's price to come)."""
        return ([p for p in self.prices if p.start <= moment] or [self.prices[0]])[-1]

    def monthly(self, price: Price) -> Decimal:
        amount = Decimal(price.unit * price.quantity) / 100
        return amount / 12 if self.interval == "year" else amount

    def stops(self) -> datetime:
        return min(moment for moment in (self.end, EXPORTED) if moment is not None)


def _next(moment: datetime, interval: str) -> datetime:
    months = 12 if interval == "year" else 1
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, monthrange(year, month + 1)[1]))


def billed_periods(sub: Sub) -> list[tuple[datetime, datetime, Price, bool]]:
    """Return every billed period (start, end, price, prorated) up to the export: renewals and immediate changes."""
    periods = []
    moment = sub.paid_start
    while moment < sub.stops():
        if sub.pause and sub.pause[0] <= moment and (sub.pause[1] is None or moment < sub.pause[1]):
            if sub.pause[1] is None:
                break
            moment = sub.pause[1]
            continue
        following = _next(moment, sub.interval)
        periods.append((moment, following, sub.price_at(moment), False))
        for change in sub.prices[1:]:
            if moment < change.start < following and change.start < sub.stops():
                periods.append((change.start, following, change, True))
        moment = following
    return periods


def _stamp(moment: datetime | None, form: str = "%Y-%m-%dT%H:%M:%SZ") -> str:
    return moment.strftime(form) if moment else ""


def _csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _paused_now(sub: Sub) -> bool:
    return sub.pause is not None and sub.pause[1] is None and sub.pause[0] <= EXPORTED


def events_log(subs: list[Sub]) -> str:
    """Return `date, customer, amount, interval, currency`: each customer's total at every change, as they happened."""
    moments: dict[str, set[datetime]] = {}
    for sub in subs:
        points = {sub.paid_start, *(p.start for p in sub.prices[1:])}
        points |= {m for m in (sub.end, *(sub.pause or ())) if m is not None}
        moments.setdefault(sub.customer, set()).update(m for m in points if m <= EXPORTED)
    rows = []
    for customer, points in sorted(moments.items()):
        mine = [sub for sub in subs if sub.customer == customer]
        for moment in sorted(points):
            paying = [sub for sub in mine if _paying(sub, moment)]
            total = sum((sub.monthly(sub.price_at(moment)) for sub in paying), Decimal(0))
            currency = paying[0].currency if paying else mine[0].currency
            rows.append({"date": _stamp(moment), "customer": customer, "amount": f"{total * 12:f}",
                         "interval": "year", "currency": currency})
    return _csv(["date", "customer", "amount", "interval", "currency"], rows)


def _paying(sub: Sub, moment: datetime) -> bool:
    if moment < sub.paid_start or sub.paid_start > EXPORTED or (sub.end is not None and moment >= sub.end):
        return False
    return not (sub.pause and sub.pause[0] <= moment and (sub.pause[1] is None or moment < sub.pause[1]))


# Paddle Billing ---------------------------------------------------------------------------------

def paddle_subscriptions(subs: list[Sub]) -> str:
    header = ["id", "status", "customer_id", "address_id", "currency_code", "created_at", "started_at",
              "first_billed_at", "next_billed_at", "paused_at", "canceled_at", "billing_cycle.interval",
              "billing_cycle.frequency", "price_id", "quantity", "unit_price.amount", "scheduled_change.action",
              "scheduled_change.effective_at", "customer_email"]
    rows = []
    for sub in subs:
        price = sub.price_at(min(sub.stops(), EXPORTED))
        status = ("canceled" if sub.end and sub.end <= EXPORTED else "paused" if _paused_now(sub) else
                  "trialing" if sub.paid_start > EXPORTED else "active")
        rows.append({"id": sub.id, "status": status, "customer_id": sub.customer, "address_id": "add_01",
                     "currency_code": sub.currency, "created_at": _stamp(sub.start), "started_at": _stamp(sub.start),
                     "first_billed_at": _stamp(sub.paid_start) if sub.paid_start <= sub.stops() else "",
                     "next_billed_at": "" if status == "canceled" else _stamp(EXPORTED + timedelta(days=5)),
                     "paused_at": _stamp(sub.pause[0]) if status == "paused" else "",
                     "canceled_at": _stamp(sub.end) if status == "canceled" else "",
                     "billing_cycle.interval": sub.interval, "billing_cycle.frequency": "1", "price_id": "pri_01",
                     "quantity": str(price.quantity), "unit_price.amount": str(price.unit),
                     "scheduled_change.action": "cancel" if sub.scheduled else "",
                     "scheduled_change.effective_at": _stamp(sub.scheduled), "customer_email": f"{sub.customer}@ex.org"})
    return _csv(header, rows)


def paddle_transactions(subs: list[Sub]) -> str:
    header = ["transaction_id", "status", "customer_id", "customer_email", "subscription_id", "origin",
              "currency_code", "billed_at", "billing_period.starts_at", "billing_period.ends_at", "price_id",
              "quantity", "unit_price.amount", "totals.subtotal", "billing_cycle.interval", "billing_cycle.frequency"]
    rows = []
    for sub in subs:
        if sub.trial_days:
            rows.append(_paddle_line(sub, len(rows), sub.start, sub.paid_start, sub.prices[0], "web", trial=True))
        for start, end, price, prorated in billed_periods(sub):
            rows.append(_paddle_line(sub, len(rows), start, end, price,
                                     "subscription_update" if prorated else "subscription_recurring"))
    return _csv(header, rows)


def _paddle_line(sub: Sub, number: int, start: datetime, end: datetime, price: Price, origin: str,
                 trial: bool = False) -> dict[str, str]:
    return {"transaction_id": f"txn_{number:04d}", "status": "completed", "customer_id": sub.customer,
            "customer_email": f"{sub.customer}@ex.org", "subscription_id": sub.id, "origin": origin,
            "currency_code": sub.currency, "billed_at": _stamp(start), "billing_period.starts_at": _stamp(start),
            "billing_period.ends_at": _stamp(end), "price_id": "pri_01", "quantity": str(price.quantity),
            "unit_price.amount": str(price.unit), "totals.subtotal": "0" if trial else str(price.unit * price.quantity),
            "billing_cycle.interval": sub.interval, "billing_cycle.frequency": "1"}


# Lemon Squeezy ----------------------------------------------------------------------------------

def lemonsqueezy_subscriptions(subs: list[Sub]) -> str:
    header = ["id", "store_id", "customer_id", "order_id", "product_name", "variant_name", "user_name", "user_email",
              "status", "status_formatted", "trial_ends_at", "renews_at", "ends_at", "created_at", "updated_at",
              "quantity", "unit_price", "renewal_interval_unit", "renewal_interval_quantity", "currency"]
    rows = []
    for sub in subs:
        price = sub.price_at(min(sub.stops(), EXPORTED))
        ended = sub.end is not None and sub.end <= EXPORTED
        status = ("expired" if ended else "paused" if _paused_now(sub) else "cancelled" if sub.scheduled else
                  "on_trial" if sub.paid_start > EXPORTED else "active")
        rows.append({"id": sub.id, "store_id": "1", "customer_id": sub.customer, "order_id": "9",
                     "product_name": "Tallybird", "variant_name": "Team", "user_name": f"Person {sub.customer}",
                     "user_email": f"{sub.customer}@ex.org", "status": status, "status_formatted": status.title(),
                     "trial_ends_at": _stamp(sub.paid_start) if sub.trial_days else "",
                     "renews_at": _stamp(EXPORTED + timedelta(days=5)),
                     "ends_at": _stamp(sub.end if ended else sub.scheduled), "created_at": _stamp(sub.start),
                     "updated_at": _stamp(sub.pause[0] if _paused_now(sub) else sub.start),
                     "quantity": str(price.quantity), "unit_price": str(price.unit),
                     "renewal_interval_unit": sub.interval, "renewal_interval_quantity": "1", "currency": sub.currency})
    return _csv(header, rows)


def lemonsqueezy_invoices(subs: list[Sub]) -> str:
    header = ["id", "store_id", "subscription_id", "customer_id", "user_email", "billing_reason", "currency", "status",
              "refunded", "subtotal", "total", "created_at"]
    rows = []
    for sub in subs:
        for index, (start, _, price, prorated) in enumerate(billed_periods(sub)):
            reason = "updated" if prorated else "initial" if index == 0 else "renewal"
            rows.append({"id": str(len(rows) + 1), "store_id": "1", "subscription_id": sub.id,
                         "customer_id": sub.customer, "user_email": f"{sub.customer}@ex.org", "billing_reason": reason,
                         "currency": sub.currency, "status": "refunded" if sub.refunded else "paid",
                         "refunded": "true" if sub.refunded else "false",
                         "subtotal": str(price.unit * price.quantity // (3 if prorated else 1)),
                         "total": str(price.unit * price.quantity), "created_at": _stamp(start)})
    return _csv(header, rows)


# Chargebee --------------------------------------------------------------------------------------

def chargebee_subscriptions(subs: list[Sub]) -> str:
    header = ["subscriptions.id", "subscriptions.customer_id", "subscriptions.status", "subscriptions.currency_code",
              "subscriptions.plan_id", "subscriptions.plan_unit_price", "subscriptions.plan_quantity",
              "subscriptions.billing_period", "subscriptions.billing_period_unit", "subscriptions.started_at",
              "subscriptions.trial_start", "subscriptions.trial_end", "subscriptions.activated_at",
              "subscriptions.cancelled_at", "subscriptions.pause_date", "subscriptions.resume_date",
              "subscriptions.created_at", "customers.email"]
    rows = []
    for sub in subs:
        price = sub.price_at(min(sub.stops(), EXPORTED))
        ended = sub.end is not None and sub.end <= EXPORTED
        status = ("cancelled" if ended else "paused" if _paused_now(sub) else "non_renewing" if sub.scheduled else
                  "in_trial" if sub.paid_start > EXPORTED else "active")
        stamp = lambda moment: str(int(moment.timestamp())) if moment else ""  # noqa: E731 - Chargebee: Unix seconds
        rows.append({"subscriptions.id": sub.id, "subscriptions.customer_id": sub.customer,
                     "subscriptions.status": status, "subscriptions.currency_code": sub.currency,
                     "subscriptions.plan_id": "team", "subscriptions.plan_unit_price": str(price.unit),
                     "subscriptions.plan_quantity": str(price.quantity), "subscriptions.billing_period": "1",
                     "subscriptions.billing_period_unit": sub.interval, "subscriptions.started_at": stamp(sub.start),
                     "subscriptions.trial_start": stamp(sub.start) if sub.trial_days else "",
                     "subscriptions.trial_end": stamp(sub.paid_start) if sub.trial_days else "",
                     "subscriptions.activated_at": stamp(sub.paid_start) if sub.paid_start <= EXPORTED else "",
                     "subscriptions.cancelled_at": stamp(sub.end if ended else sub.scheduled),
                     "subscriptions.pause_date": stamp(sub.pause[0]) if sub.pause else "",
                     "subscriptions.resume_date": stamp(sub.pause[1]) if sub.pause else "",
                     "subscriptions.created_at": stamp(sub.start), "customers.email": f"{sub.customer}@ex.org"})
    return _csv(header, rows)


def chargebee_line_items(subs: list[Sub]) -> str:
    header = ["invoice_id", "subscription_id", "customer_id", "date_from", "date_to", "unit_amount", "quantity",
              "amount", "entity_type", "entity_id", "currency_code", "status"]
    rows = []
    for sub in subs:
        for start, end, price, _ in billed_periods(sub):
            rows.append({"invoice_id": f"inv_{len(rows)}", "subscription_id": sub.id, "customer_id": sub.customer,
                         "date_from": _stamp(start, "%Y-%m-%d %H:%M:%S"), "date_to": _stamp(end, "%Y-%m-%d %H:%M:%S"),
                         "unit_amount": str(price.unit), "quantity": str(price.quantity),
                         "amount": str(price.unit * price.quantity), "entity_type": "plan_item_price",
                         "entity_id": "team-USD-monthly", "currency_code": sub.currency, "status": "paid"})
        rows.append({"invoice_id": f"inv_{len(rows)}", "subscription_id": sub.id, "customer_id": sub.customer,
                     "date_from": _stamp(sub.start, "%Y-%m-%d %H:%M:%S"), "date_to": _stamp(sub.start,
                                                                                       "%Y-%m-%d %H:%M:%S"),
                     "unit_amount": "500", "quantity": "1", "amount": "500", "entity_type": "charge_item_price",
                     "entity_id": "setup-fee", "currency_code": sub.currency, "status": "paid"})
    return _csv(header, rows)


def scenario() -> list[Sub]:
    """Every edge the Stripe tests cover: trials, annual, seats, upgrade, downgrade, a cancellation at the period
    end and one at once (refunded, inside one month), a scheduled cancellation, pauses, a return, two currencies."""
    m = lambda unit, start, quantity=1: Price(at(start), unit, quantity)  # noqa: E731
    return [
        Sub("sub_a", "ctm_a", "USD", at("2024-01-05 09:00"), (m(2900, "2024-01-05 09:00"),)),
        Sub("sub_b", "ctm_b", "USD", at("2024-01-20 08:00"), (m(2900, "2024-02-03 08:00"), m(9900, "2024-04-10 12:00")),
            trial_days=14),
        Sub("sub_c", "ctm_c", "EUR", at("2024-02-11 10:00"), (m(4900, "2024-02-11 10:00", 3),
                                                            m(4900, "2024-05-20 10:00", 5),
                                                            m(4900, "2024-08-11 10:00", 2))),
        Sub("sub_d", "ctm_d", "USD", at("2024-03-02 07:00"), (m(49000, "2024-03-02 07:00"),), interval="year"),
        Sub("sub_e", "ctm_e", "USD", at("2024-02-15 11:00"), (m(1900, "2024-02-15 11:00"),),
            end=at("2024-06-15 11:00")),
        Sub("sub_f", "ctm_f", "EUR", at("2024-03-08 06:00"), (m(2900, "2024-03-08 06:00"),),
            pause=(at("2024-06-08 06:00"), at("2024-09-01 06:00"))),
        Sub("sub_g", "ctm_g", "USD", at("2024-04-03 09:00"), (m(4900, "2024-04-03 09:00"),),
            end=at("2024-04-20 09:00"), refunded=True),
        Sub("sub_h", "ctm_h", "USD", at("2024-05-09 09:00"), (m(3900, "2024-05-09 09:00"),),
            scheduled=at("2025-01-09 09:00")),
        Sub("sub_i", "ctm_i", "USD", at("2024-12-10 09:00"), (m(2900, "2024-12-24 09:00"),), trial_days=14),
        Sub("sub_j", "ctm_j", "USD", at("2024-01-12 09:00"), (m(5900, "2024-01-12 09:00"),),
            pause=(at("2024-07-12 09:00"), None)),
        Sub("sub_k1", "ctm_k", "USD", at("2024-02-01 09:00"), (m(2900, "2024-02-01 09:00"),),
            end=at("2024-04-01 09:00")),
        Sub("sub_k2", "ctm_k", "USD", at("2024-07-15 09:00"), (m(2900, "2024-07-15 09:00"),)),
        Sub("sub_l", "ctm_l", "USD", at("2024-05-01 09:00"), (m(2900, "2024-05-15 09:00"),), trial_days=14,
            end=at("2024-05-10 09:00")),
    ]

"""`opensite import events`: a plain subscription log any billing system or spreadsheet can produce.

Either `date, customer, mrr` (the customer's MRR from that date on; 0 = cancelled) or
`date, customer, amount, interval` (amount per month, quarter, year, week or day), in any row
order, several rows per customer, optionally with a `currency` column. Dates are calendar days
in the site's time zone (a time may follow). Each row's amount is converted at its month's rate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from types import MappingProxyType

from generator.importers.records import (
    INTERVALS,
    ImportContext,
    RowReader,
    Segment,
    SubscriptionLog,
    find_column,
    load_export,
    local_month,
    number_customers,
    require_header,
)
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.metrics.read.csvfile import CsvRow
from generator.metrics.read.money import merge_fx_uses

BASE: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "date": ("date", "effective_date", "day"),
    "customer": ("customer", "customer_id"),
})
EXPECTED = "date, customer, mrr — or date, customer, amount, interval (optionally currency)"


@dataclass(frozen=True, slots=True)
class _Change:
    """From `at` on, `customer` pays `mrr` a month (site currency)."""

    customer: int
    at: int
    line: int
    mrr: Decimal


@import_source("events", writes=Writes.SUBSCRIPTIONS)
def read_events(request: SourceRequest) -> SubscriptionLog:
    """Read the events log of an import request, its customers numbered in the request's namespace."""
    return load_events_log(request.files[0], request.ctx, request.customer)


def load_events_log(path: Path, ctx: ImportContext, customer: Callable[[str], int] | None = None) -> SubscriptionLog:
    """Read an events log into paid segments; raise MetricsError listing every bad row."""
    table = load_export(path, ctx, [*BASE["date"], *BASE["customer"], "mrr", "monthly_recurring_revenue", "amount",
                                    "interval", "billing_interval", "currency"])
    wanted = {**BASE, "mrr": ("mrr", "monthly_recurring_revenue")}
    if not find_column(table, wanted["mrr"]) and find_column(table, ("amount",)):
        wanted = {**BASE, "amount": ("amount",), "interval": ("interval", "billing_interval")}
    columns = require_header(table, wanted, EXPECTED)
    columns["currency"] = find_column(table, ("currency",)) or ""
    reader = RowReader(table, ctx, "events")
    local = number_customers(table.cell(row, columns["customer"]) for row in table.rows)
    customers = {key: customer(key) for key in local} if customer is not None else local
    changes = [change for change in (_read_row(reader, columns, customers, r) for r in table.rows) if change]
    reader.raise_problems()
    segments = _segments(reader, changes)
    reader.raise_problems()
    latest = max((change.at for change in changes), default=0)
    return SubscriptionLog(path, tuple(segments), latest, len(table.rows), len(customers),
                           fx=merge_fx_uses(reader.converter.uses))


def _read_row(reader: RowReader, columns: Mapping[str, str], customers: Mapping[str, int],
              row: CsvRow) -> _Change | None:
    before = len(reader.problems)
    customer = reader.table.cell(row, columns["customer"])
    if not customer:
        reader.report(row, columns["customer"], "the customer is blank", "name the customer by any id you like")
    at = reader.instant(row, columns["date"], reader.ctx.zone, required=True)
    currency = (reader.table.cell(row, columns["currency"]).upper() if columns["currency"] else "") \
        or reader.ctx.currency
    monthly = _monthly(reader, columns, row, currency)
    if len(reader.problems) > before or at is None or monthly is None or reader.ctx.ignores(at):
        return None  # a change after --until is not read: its month needs no rate
    key = columns.get("mrr") or columns["amount"]
    mrr = reader.to_site(monthly, currency, local_month(at, reader.ctx.zone), row, key)
    return _Change(customers[customer], at, row.line, mrr) if mrr is not None else None


def _monthly(reader: RowReader, columns: Mapping[str, str], row: CsvRow, currency: str) -> Decimal | None:
    if "mrr" in columns:
        return reader.amount(row, columns["mrr"], required=True, non_negative=True, currency=currency)
    amount = reader.amount(row, columns["amount"], required=True, non_negative=True, currency=currency)
    interval = reader.interval(row, columns["interval"], INTERVALS)
    return amount * INTERVALS[interval] if amount is not None and interval is not None else None


def _segments(reader: RowReader, changes: list[_Change]) -> list[Segment]:
    """Turn each customer's changes, in date order, into the stretches they paid; same date twice is an error."""
    segments: list[Segment] = []
    ordered = sorted(changes, key=lambda c: (c.customer, c.at, c.line))
    for _, group in groupby(ordered, key=lambda c: c.customer):
        history = _without_repeats(reader, list(group))
        for change, following in zip(history, [*history[1:], None]):
            if change.mrr > 0:
                segments.append(Segment(change.customer, change.at, following.at if following else None, change.mrr))
    return segments


def _without_repeats(reader: RowReader, history: list[_Change]) -> list[_Change]:
    """Drop a repeated row with the same value; two values for one customer at one date are an error."""
    kept: list[_Change] = []
    for change in history:
        if kept and kept[-1].at == change.at:
            if kept[-1].mrr != change.mrr:
                reader.problems.append(reader.table.problem(
                    change.line, None, f"this customer has two different MRR values on the same date: lines "
                    f"{kept[-1].line} and {change.line}", "keep one row per customer and date"))
            continue
        kept.append(change)
    return kept

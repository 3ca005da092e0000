"""The import summary: what was read, what was left out and why, how the last month was measured.

Counts only: no customer, subscription or plan is ever named (an export often sits next to a
public repository, and terminal output ends up in CI logs and screenshots).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from generator.importers.cohorts import CohortCell
from generator.importers.movements import MonthTable
from generator.importers.pnl import CostLedger
from generator.importers.records import SubscriptionLog, show_instant
from generator.metrics.read.money import FxUse


def describe_sources(logs: Sequence[tuple[str, SubscriptionLog]]) -> list[str]:
    """Return one line per source of a merged import: what each read."""
    return [f"{name}: read {_count(log.rows, log.noun)} of {_count(log.customers, 'customer')} from "
            f"{log.names or log.path.name}." for name, log in logs]


def describe_subscriptions(log: SubscriptionLog, months: MonthTable, zone: ZoneInfo, zone_name: str,
                           cohorts: Sequence[CohortCell] = (), single: bool = True) -> list[str]:
    """Return the summary lines of a subscription import (one source, or several merged)."""
    first, last = months.rows[0].month, months.rows[-1].month
    read = (f"Read {_count(log.rows, log.noun)} of {_count(log.customers, 'customer')} from "
            f"{log.names or log.path.name}." if single else
            f"Together: {_count(log.customers, 'customer')}, movements computed once over every source.")
    lines = [read, f"Months: {first:%Y-%m} to {last:%Y-%m} ({_count(len(months.rows), 'month')}), each measured at "
                   f"the end of its last day in {zone_name}."]
    if months.in_progress:
        lines.append(f"{last:%Y-%m} is in progress: measured at {show_instant(months.measured_at, zone)} "
                     f"({zone_name}), the export's latest event.")
    if log.skipped:
        lines.append("Never counted: " + _reasons(log.skipped) + ".")
    if months.short:
        lines.append(f"{_count(months.short, 'subscription')} started and ended inside one month: "
                     f"{'they are' if months.short != 1 else 'it is'} in no month-end snapshot, so in no month's MRR.")
    lines += describe_fx(log.fx)
    groups = sorted({cell.cohort for cell in cohorts})
    if groups:
        lines.append(f"Cohorts: {_count(len(groups), 'first paid month')} ({groups[0]:%Y-%m} to {groups[-1]:%Y-%m}) "
                     "in cohorts.csv, customers and MRR by age: aggregates only.")
    return lines


def describe_costs(ledger: CostLedger) -> list[str]:
    """Return the summary lines of a pnl import."""
    categories = len({row.category for row in ledger.rows})
    lines = [f"Read {_count(categories, 'cost category', 'cost categories')} over "
             f"{_count(len(ledger.months), 'month')} ({ledger.months[0]:%Y-%m} to {ledger.months[-1]:%Y-%m}) "
             f"in {ledger.currency} from {ledger.path.name}; its rows are tagged {ledger.tag!r} in costs.csv's "
             "source column, other rows are kept as they are."]
    if ledger.title_lines:
        lines.append(f"Skipped {_count(ledger.title_lines, 'title line')} above the header "
                     f"(line {ledger.title_lines + 1}).")
    if ledger.skipped:
        lines.append("Skipped rows: " + _reasons(ledger.skipped) + ".")
    return lines


def describe_fx(uses: tuple[FxUse, ...]) -> list[str]:
    """Return one line per converted currency: its rate or the range of monthly rates."""
    lines = []
    for currency in sorted({use.currency for use in uses}):
        mine = [use for use in uses if use.currency == currency]
        if mine[0].source == "site.yaml":
            lines.append(f"Converted {currency} at the fixed rate {mine[0].rate} (metrics.fx in site.yaml).")
        else:
            lines.append(f"Converted {currency} at monthly rates from metrics/fx.csv, {mine[0].month:%Y-%m} to "
                         f"{mine[-1].month:%Y-%m}: each amount at the rate of the month it started.")
    return lines


def _reasons(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{count} {reason}" for reason, count in counts.items())


def _count(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"

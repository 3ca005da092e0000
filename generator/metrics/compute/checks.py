"""Consistency checks across rows: the MRR bridge and the customer identity.

A sheet whose movements do not add up to its MRR is usually a copy-paste slip; publishing both
would show readers two stories. Each check returns diagnostics at the offending row and the
config decides whether they stop the build (`bridge: error`) or only warn.
"""

from __future__ import annotations

from decimal import Decimal

from generator.config.metrics import CheckLevel
from generator.errors import Diagnostic
from generator.metrics.read.inputs import ChurnFile, ChurnRow, MrrFile, MrrRow
from generator.metrics.series import add_months

BRIDGE_TOLERANCE = Decimal("0.01")
"""Spreadsheets round each movement to the cent, so a cent of drift is not a mistake."""


def check_mrr_bridge(mrr: MrrFile, level: CheckLevel) -> list[Diagnostic]:
    """Return a diagnostic for each month whose MRR differs from last month's MRR plus its movements."""
    if not mrr.has_movements:
        return []
    by_month = {row.month: row for row in mrr.rows}
    problems: list[Diagnostic] = []
    for row in mrr.rows:
        previous = by_month.get(add_months(row.month, -1))
        if previous is None:
            continue
        expected = previous.mrr + row.new + row.expansion + row.reactivation - row.contraction - row.churned
        if abs(row.mrr - expected) > BRIDGE_TOLERANCE:
            problems.append(_bridge_problem(mrr, previous, row, expected, level))
    return problems


def _bridge_problem(mrr: MrrFile, previous: MrrRow, row: MrrRow, expected: Decimal, level: CheckLevel) -> Diagnostic:
    steps = (f"{previous.mrr:,.2f} in {previous.month:%Y-%m} + new {row.new:,.2f} + expansion {row.expansion:,.2f}"
             f" + reactivation {row.reactivation:,.2f} - contraction {row.contraction:,.2f}"
             f" - churned {row.churned:,.2f}")
    message = (f"MRR bridge does not balance in {row.month:%Y-%m}: expected {expected:,.2f} ({steps}), "
               f"actual {row.mrr:,.2f}, difference {row.mrr - expected:+,.2f}")
    hint = "fix the movements or the mrr of this row"
    if level is CheckLevel.ERROR:
        hint += ", or write 'bridge: warn' under metrics: in site.yaml to publish it anyway"
    return Diagnostic(message, mrr.path, row.line, None, hint, _severity(level))


def check_customer_identity(churn: ChurnFile, level: CheckLevel) -> list[Diagnostic]:
    """Return a diagnostic for each month whose customers differ from last month's plus the month's moves."""
    by_month = {row.month: row for row in churn.rows}
    problems: list[Diagnostic] = []
    for row in churn.rows:
        previous = by_month.get(add_months(row.month, -1))
        if previous is None:
            continue
        expected = previous.customers + row.new_customers + row.reactivated_customers - row.churned_customers
        if expected != row.customers:
            problems.append(_identity_problem(churn, previous, row, expected, level))
    return problems


def _identity_problem(churn: ChurnFile, previous: ChurnRow, row: ChurnRow, expected: int,
                      level: CheckLevel) -> Diagnostic:
    message = (f"customers do not add up in {row.month:%Y-%m}: expected {expected} ({previous.customers} in "
               f"{previous.month:%Y-%m} + {row.new_customers} new + {row.reactivated_customers} reactivated - "
               f"{row.churned_customers} churned), actual {row.customers}, difference {row.customers - expected:+d}")
    return Diagnostic(message, churn.path, row.line, None,
                      "count customers at month end; new, reactivated and churned are moves within the month",
                      _severity(level))


def _severity(level: CheckLevel) -> str:
    return "error" if level is CheckLevel.ERROR else "warning"

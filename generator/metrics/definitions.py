"""The definitions table of issue #3: one registered entry per metric, in table order.

Each formula computes one month through a MonthView; reading an undefined value raises
`Undefined` with its reason, so the order in which a formula reads its inputs is the order of
precedence of its null reasons (and `nulls=` lists them in that order). docs/metrics.md, the
methodology page and the exports all read these entries rather than restating them.
"""

from __future__ import annotations

from decimal import Decimal

from generator.config.metrics import METRIC_IDS
from generator.metrics.registry import METRIC_DEFINITIONS, MonthView, Undefined, derived_metric, input_metric
from generator.metrics.series import NullReason, Unit

RUNWAY_WINDOW_MONTHS = 3
"""Runway divides by the mean net burn of the month and the two before it (m−2..m)."""

_NO_ROW = "mrr.csv has no row for the month"
_NO_MOVEMENTS = "mrr.csv has no row for the month, or no movement columns"
_NO_PREV = "the calendar month before has no mrr.csv row (first month, or after a gap)"
_PREV_ZERO = "MRR of the month before is 0"

NullText = dict[NullReason, str]


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    if denominator == 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return numerator / denominator


# Revenue inputs ----------------------------------------------------------------------------------

input_metric("mrr", unit=Unit.CURRENCY, label="MRR", source="mrr.csv, column mrr",
             description="Monthly recurring revenue at month end: what paying customers pay per month.")
input_metric("new_mrr", unit=Unit.CURRENCY, label="New MRR", source="mrr.csv, column new", missing=_NO_MOVEMENTS,
             description="MRR from customers who started paying this month.")
input_metric("expansion_mrr", unit=Unit.CURRENCY, label="Expansion MRR", source="mrr.csv, column expansion",
             missing=_NO_MOVEMENTS, description="MRR added by existing customers: upgrades, seats, price rises.")
input_metric("contraction_mrr", unit=Unit.CURRENCY, label="Contraction MRR", source="mrr.csv, column contraction",
             missing=_NO_MOVEMENTS, description="MRR lost from customers who stayed but pay less (an amount).")
input_metric("churned_mrr", unit=Unit.CURRENCY, label="Churned MRR", source="mrr.csv, column churned",
             missing=_NO_MOVEMENTS, description="MRR lost from customers who cancelled (an amount).")
input_metric("reactivation_mrr", unit=Unit.CURRENCY, label="Reactivation MRR",
             source="mrr.csv, column reactivation (0 when absent)", missing=_NO_MOVEMENTS,
             description="MRR from former customers who came back this month.")


# Revenue -----------------------------------------------------------------------------------------

@derived_metric("arr", unit=Unit.CURRENCY, needs=("mrr",), label="ARR", formula="12 × mrr",
                description="Annual run rate: this month's MRR as a yearly figure.",
                nulls={NullReason.MISSING_INPUT: _NO_ROW})
def arr(at: MonthView) -> Decimal:
    """Scale MRR to a year, the figure investors quote."""
    return 12 * at["mrr"]


@derived_metric("net_new_mrr", unit=Unit.CURRENCY,
                needs=("new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr", "mrr"),
                label="Net new MRR",
                formula="new + expansion + reactivation − contraction − churned; without movements: mrr − mrr[prev]",
                description="How much MRR grew this month, in money.",
                nulls={NullReason.MISSING_INPUT: _NO_ROW, NullReason.NO_PREVIOUS_MONTH: _NO_PREV +
                       " and mrr.csv has no movement columns"})
def net_new_mrr(at: MonthView) -> Decimal:
    """Prefer the movements, which need no previous month; fall back to the difference."""
    if at.has("new_mrr"):
        return (at["new_mrr"] + at["expansion_mrr"] + at["reactivation_mrr"]
                - at["contraction_mrr"] - at["churned_mrr"])
    return at["mrr"] - at.prev("mrr")


@derived_metric("mrr_growth", unit=Unit.RATIO, needs=("mrr",), label="MRR growth",
                formula="(mrr − mrr[prev]) / mrr[prev]", description="Month-over-month MRR growth.",
                nulls={NullReason.MISSING_INPUT: _NO_ROW, NullReason.NO_PREVIOUS_MONTH: _NO_PREV,
                       NullReason.ZERO_DENOMINATOR: _PREV_ZERO})
def mrr_growth(at: MonthView) -> Decimal:
    """Relate the change to where the month started."""
    current = at["mrr"]
    previous = at.prev("mrr")
    return _divide(current - previous, previous)


@derived_metric("cmgr_12m", unit=Unit.RATIO, needs=("mrr",), label="CMGR (12 months)",
                formula="(mrr / mrr[m−12])^(1/12) − 1",
                description="Compound monthly growth rate over the last 12 months: the steady monthly growth "
                            "that would turn MRR of a year ago into this month's.",
                nulls={NullReason.MISSING_INPUT: _NO_ROW,
                       NullReason.INSUFFICIENT_HISTORY: "mrr.csv has no row for the month 12 months earlier",
                       NullReason.ZERO_DENOMINATOR: "MRR is 0 in that month or this one (no compound rate)"})
def cmgr_12m(at: MonthView) -> Decimal:
    """Smooth a year of noisy month-over-month growth into one rate."""
    current = at["mrr"]
    base = at.back("mrr", 12)
    if base <= 0 or current <= 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return ((current / base).ln() / 12).exp() - 1


# Customers ---------------------------------------------------------------------------------------

_NO_CHURN_ROW = "churn.csv has no row for the month"

input_metric("customers", unit=Unit.COUNT, label="Customers", source="churn.csv, column customers",
             description="Paying customers at month end.")
input_metric("new_customers", unit=Unit.COUNT, label="New customers", source="churn.csv, column new_customers",
             description="Customers who started paying this month.")
input_metric("churned_customers", unit=Unit.COUNT, label="Churned customers",
             source="churn.csv, column churned_customers", description="Customers who stopped paying this month.")


@derived_metric("customer_churn_rate", unit=Unit.RATIO,
                needs=("churned_customers", "customers", "new_customers", "reactivated_customers"),
                label="Customer churn rate",
                formula="churned_customers / (customers − new_customers − reactivated_customers + churned_customers)",
                description="Share of the customers paying at the start of the month who cancelled during it.",
                nulls={NullReason.MISSING_INPUT: _NO_CHURN_ROW,
                       NullReason.ZERO_DENOMINATOR: "no customers at the start of the month"})
def customer_churn_rate(at: MonthView) -> Decimal:
    """Divide by the month's starting customers, rebuilt from the row itself so a gap cannot skew it."""
    churned = at["churned_customers"]
    start = at["customers"] - at["new_customers"] - at["reactivated_customers"] + churned
    return _divide(churned, start)


_MOVEMENT_NULLS: NullText = {NullReason.MISSING_INPUT: _NO_MOVEMENTS, NullReason.NO_PREVIOUS_MONTH: _NO_PREV,
                             NullReason.ZERO_DENOMINATOR: _PREV_ZERO}


@derived_metric("gross_mrr_churn_rate", unit=Unit.RATIO, needs=("churned_mrr", "contraction_mrr", "mrr"),
                label="Gross MRR churn rate", formula="(churned + contraction) / mrr[prev]",
                description="Share of last month's MRR lost to cancellations and downgrades.", nulls=_MOVEMENT_NULLS)
def gross_mrr_churn_rate(at: MonthView) -> Decimal:
    """Count every dollar lost, ignoring what expansion won back."""
    lost = at["churned_mrr"] + at["contraction_mrr"]
    return _divide(lost, at.prev("mrr"))


@derived_metric("net_mrr_churn_rate", unit=Unit.RATIO,
                needs=("churned_mrr", "contraction_mrr", "expansion_mrr", "reactivation_mrr", "mrr"),
                label="Net MRR churn rate", formula="(churned + contraction − expansion − reactivation) / mrr[prev]",
                description="Share of last month's MRR lost, net of expansion and reactivation; negative when "
                            "existing customers grew revenue (negative net churn).", nulls=_MOVEMENT_NULLS)
def net_mrr_churn_rate(at: MonthView) -> Decimal:
    """Let expansion and reactivation offset losses, which is what makes churn negative."""
    net = at["churned_mrr"] + at["contraction_mrr"] - at["expansion_mrr"] - at["reactivation_mrr"]
    return _divide(net, at.prev("mrr"))


@derived_metric("nrr", unit=Unit.RATIO, needs=("expansion_mrr", "contraction_mrr", "churned_mrr", "mrr"),
                label="Net revenue retention", formula="(mrr[prev] + expansion − contraction − churned) / mrr[prev]",
                description="Monthly net revenue retention: last month's customers' MRR now, as a share of it then.",
                nulls=_MOVEMENT_NULLS)
def nrr(at: MonthView) -> Decimal:
    """Leave new and reactivated customers out: retention is about the customers already there."""
    change = at["expansion_mrr"] - at["contraction_mrr"] - at["churned_mrr"]
    previous = at.prev("mrr")
    return _divide(previous + change, previous)


@derived_metric("grr", unit=Unit.RATIO, needs=("contraction_mrr", "churned_mrr", "mrr"),
                label="Gross revenue retention", formula="(mrr[prev] − contraction − churned) / mrr[prev]",
                description="Monthly gross revenue retention: the share of last month's MRR kept, "
                            "before any expansion.", nulls=_MOVEMENT_NULLS)
def grr(at: MonthView) -> Decimal:
    """Cap retention at 100% by ignoring expansion."""
    lost = at["contraction_mrr"] + at["churned_mrr"]
    previous = at.prev("mrr")
    return _divide(previous - lost, previous)


@derived_metric("arpu", unit=Unit.CURRENCY, needs=("mrr", "customers"), label="ARPU", formula="mrr / customers",
                description="Average revenue per paying customer per month.",
                nulls={NullReason.MISSING_INPUT: "mrr.csv or churn.csv has no row for the month",
                       NullReason.ZERO_DENOMINATOR: "0 customers at month end"})
def arpu(at: MonthView) -> Decimal:
    """Spread MRR over the customers paying it."""
    return _divide(at["mrr"], at["customers"])


@derived_metric("ltv", unit=Unit.CURRENCY, needs=("arpu", "customer_churn_rate"), label="LTV",
                formula="arpu / mean(customer_churn_rate over m−5..m where defined)",
                description="Customer lifetime value: ARPU over the average monthly customer churn of the last "
                            "ltv_churn_months months (default 6).",
                nulls={NullReason.MISSING_INPUT: "ARPU or the month's churn rate lacks an input row",
                       NullReason.ZERO_DENOMINATOR: "ARPU or the churn rate divides by zero customers",
                       NullReason.NO_CHURN: "no customer churned in the window, so the lifetime is unbounded"})
def ltv(at: MonthView) -> Decimal:
    """Average churn over a window: one lucky month must not make customers live forever."""
    revenue = at["arpu"]
    churn = at.mean("customer_churn_rate", at.ltv_churn_months)
    if churn == 0:
        raise Undefined(NullReason.NO_CHURN)
    return revenue / churn


@derived_metric("quick_ratio", unit=Unit.RATIO, as_percent=False,
                needs=("new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr"),
                label="Quick ratio", formula="(new + expansion + reactivation) / (contraction + churned)",
                description="MRR gained per unit of MRR lost; above 4 is efficient growth.",
                nulls={NullReason.MISSING_INPUT: _NO_MOVEMENTS,
                       NullReason.ZERO_DENOMINATOR: "no MRR was lost this month"})
def quick_ratio(at: MonthView) -> Decimal:
    """Compare what the month won to what it lost."""
    gained = at["new_mrr"] + at["expansion_mrr"] + at["reactivation_mrr"]
    return _divide(gained, at["contraction_mrr"] + at["churned_mrr"])


# Costs and cash ----------------------------------------------------------------------------------

input_metric("costs", unit=Unit.CURRENCY, label="Costs", source="costs.csv, every category",
             missing="costs.csv has no row for the month",
             description="What the month cost: the sum of every cost category, refunds subtracted.")


@derived_metric("net_burn", unit=Unit.CURRENCY, needs=("costs", "mrr"), label="Net burn", formula="costs − mrr",
                description="Cash the company loses in a month; negative when revenue exceeds costs (profit).",
                nulls={NullReason.MISSING_INPUT: "costs.csv or mrr.csv has no row for the month"})
def net_burn(at: MonthView) -> Decimal:
    """Treat MRR as the month's income, which is what a subscription business collects."""
    return at["costs"] - at["mrr"]


input_metric("cash", unit=Unit.CURRENCY, label="Cash", source="cash.csv, column balance",
             description="Cash in the bank at month end.")


@derived_metric("runway_months", unit=Unit.MONTHS, needs=("cash", "net_burn"), label="Runway",
                formula="cash / mean(net_burn over m−2..m where defined)",
                description="Months the cash lasts at the recent pace of net burn.",
                nulls={NullReason.MISSING_INPUT: "cash.csv has no row for the month, or no net burn in the window",
                       NullReason.PROFITABLE: "mean net burn is 0 or below: the company is not burning cash"})
def runway_months(at: MonthView) -> Decimal:
    """Average three months of burn so one large invoice does not swing the runway."""
    cash = at["cash"]
    burn = at.mean("net_burn", RUNWAY_WINDOW_MONTHS)
    if burn <= 0:
        raise Undefined(NullReason.PROFITABLE)
    return cash / burn


if tuple(METRIC_DEFINITIONS) != METRIC_IDS:  # config validates publish rules against METRIC_IDS
    raise RuntimeError("generator.config.metrics.METRIC_IDS and the registered definitions disagree")

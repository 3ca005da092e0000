"""Costs, net burn, cash, runway, and the revenue the accounts recognised.

Registered in table order (generator/registry/__init__.py imports the domains in order); a metric may
need only metrics registered before it.
"""

from __future__ import annotations

from decimal import Decimal

from generator.registry.definition import (
    ChartSlot,
    NullReason,
    Presence,
    SeriesRole,
    Unit,
    annual,
    bilingual,
    monthly,
)
from generator.registry.month import MonthView, Undefined
from generator.registry.table import derived_metric, input_metric

RUNWAY_WINDOW_MONTHS = 3
"""Runway divides by the mean net burn of the month and the two before it (m−2..m)."""

input_metric("costs", unit=Unit.CURRENCY, label=bilingual("Costs", "成本"),
             source=bilingual("`costs.csv`, every category", "`costs.csv` 的所有类别"), higher_is_better=False,
             description=bilingual("What the month cost: the sum of every cost category, refunds subtracted.",
                                   "本月的成本：所有成本类别之和，已扣除退款。"),
             presence=Presence(charts=(ChartSlot("costs", SeriesRole.CATEGORIES, 1),),
                               reports=(monthly("report_costs", 1, chart="costs"), annual("report_costs", 1, chart="costs"))))


@derived_metric("net_burn", unit=Unit.CURRENCY, needs=("costs", "mrr"), label=bilingual("Net burn", "净消耗"),
                formula="costs − mrr", higher_is_better=False,
                description=bilingual("Cash the company loses in a month; negative when revenue exceeds costs "
                                      "(profit).", "公司一个月净流出的现金；收入超过成本（盈利）时为负。"),
                nulls={NullReason.MISSING_INPUT: bilingual("costs.csv or mrr.csv has no row for the month",
                                                           "costs.csv 或 mrr.csv 没有该月的行")},
             presence=Presence(card=9,
                               charts=(ChartSlot("burn", order=1),),
                               reports=(monthly("report_costs", 2), annual("report_costs", 2)),
                               negative_reads_as="profit"))
def net_burn(at: MonthView) -> Decimal:
    """Treat MRR as the month's income, which is what a subscription business collects."""
    return at["costs"] - at["mrr"]


input_metric("cash", unit=Unit.CURRENCY, label=bilingual("Cash", "现金"), reads=("cash", "balance"),
             description=bilingual("Cash in the bank at month end.", "月末的银行存款。"),
             presence=Presence(reports=(annual("report_costs", 3),)))


@derived_metric("runway_months", unit=Unit.MONTHS, needs=("cash", "net_burn"), label=bilingual("Runway", "资金跑道"),
                formula="cash / mean(net_burn over m−2..m where defined)",
                description=bilingual("Months the cash lasts at the recent pace of net burn.",
                                      "按最近的净消耗速度，现金还能维持的月数。"),
                nulls={NullReason.MISSING_INPUT: bilingual("cash.csv has no row for the month, or no net burn in "
                                                           "the window", "cash.csv 没有该月的行，或窗口期内没有净消耗"),
                       NullReason.PROFITABLE: bilingual("mean net burn is 0 or below: the company is not burning "
                                                        "cash", "平均净消耗为 0 或以下：公司没有在消耗现金")},
             presence=Presence(card=10,
                               charts=(ChartSlot("burn", order=2),),
                               reports=(monthly("report_costs", 3), annual("report_costs", 4)),
                               axis_cap=36))
def runway_months(at: MonthView) -> Decimal:
    """Average three months of burn so one large invoice does not swing the runway."""
    cash = at["cash"]
    burn = at.mean("net_burn", RUNWAY_WINDOW_MONTHS)
    if burn <= 0:
        raise Undefined(NullReason.PROFITABLE)
    return cash / burn




input_metric("revenue", unit=Unit.CURRENCY, label=bilingual("Revenue", "收入"), requires=("revenue",),
             source=bilingual("`revenue.csv`, column `revenue`", "`revenue.csv` 的 `revenue` 列"),
             description=bilingual("Revenue recognised in the month, as the accounts say (one-off sales included).",
                                   "本月确认的收入，以账目为准（包括一次性收入）。"),
             presence=Presence(reports=(annual("report_revenue", 1),)))

"""MRR and its movements: what customers pay each month, how it moved, and how fast it grows.

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
from generator.registry.shared import (
    NO_MOVEMENTS,
    NO_MRR_ROW,
    NO_PREV_EN,
    NO_PREV_MONTH,
    NO_PREV_ZH,
    PREV_MRR_ZERO,
    divide,
)
from generator.registry.table import derived_metric, input_metric

input_metric("mrr", unit=Unit.CURRENCY, label=bilingual("MRR", "月经常性收入"), reads=("mrr", "mrr"),
             description=bilingual("Monthly recurring revenue at month end: what paying customers pay per month.",
                                   "月末的月经常性收入：付费客户每月支付的金额。"),
             presence=Presence(card=1,
                               charts=(ChartSlot("mrr"), ChartSlot("costs", SeriesRole.OVERLAY, 2)),
                               reports=(monthly("report_revenue", 1), annual("report_revenue", 2, chart="mrr"))))
input_metric("new_mrr", unit=Unit.CURRENCY, label=bilingual("New MRR", "新增 MRR"), reads=("mrr", "new"),
             missing=NO_MOVEMENTS, description=bilingual("MRR from customers who started paying this month.",
                                                          "本月开始付费的客户带来的 MRR。"),
             presence=Presence(charts=(ChartSlot("mrr_movements", order=1),),
                               reports=(monthly("report_revenue", 4, chart="mrr_movements"),)))
input_metric("expansion_mrr", unit=Unit.CURRENCY, label=bilingual("Expansion MRR", "扩展 MRR"),
             reads=("mrr", "expansion"), missing=NO_MOVEMENTS,
             description=bilingual("MRR added by existing customers: upgrades, seats, price rises.",
                                   "现有客户增加的 MRR：升级、增加席位、涨价。"),
             presence=Presence(charts=(ChartSlot("mrr_movements", order=2),),
                               reports=(monthly("report_revenue", 5),)))
input_metric("contraction_mrr", unit=Unit.CURRENCY, label=bilingual("Contraction MRR", "收缩 MRR"),
             reads=("mrr", "contraction"), missing=NO_MOVEMENTS, higher_is_better=False,
             description=bilingual("MRR lost from customers who stayed but pay less (an amount).",
                                   "留下但降低付费的客户减少的 MRR（金额）。"),
             presence=Presence(charts=(ChartSlot("mrr_movements", SeriesRole.BELOW, 4),)))
input_metric("churned_mrr", unit=Unit.CURRENCY, label=bilingual("Churned MRR", "流失 MRR"),
             reads=("mrr", "churned"), missing=NO_MOVEMENTS, higher_is_better=False,
             description=bilingual("MRR lost from customers who cancelled (an amount).",
                                   "取消订阅的客户带走的 MRR（金额）。"),
             presence=Presence(charts=(ChartSlot("mrr_movements", SeriesRole.BELOW, 5),),
                               reports=(monthly("report_revenue", 6),)))
input_metric("reactivation_mrr", unit=Unit.CURRENCY, label=bilingual("Reactivation MRR", "回流 MRR"),
             reads=("mrr", "reactivation"), missing=NO_MOVEMENTS,
             description=bilingual("MRR from former customers who came back this month.",
                                   "本月回归的老客户带来的 MRR。"),
             presence=Presence(charts=(ChartSlot("mrr_movements", order=3),)))


@derived_metric("arr", unit=Unit.CURRENCY, needs=("mrr",), label=bilingual("ARR", "年度经常性收入"), formula="12 × mrr",
                description=bilingual("Annual run rate: this month's MRR as a yearly figure.",
                                      "年化收入：把本月 MRR 换算为一年的数字。"),
                nulls={NullReason.MISSING_INPUT: NO_MRR_ROW},
             presence=Presence(card=2, reports=(annual("report_revenue", 3),)))
def arr(at: MonthView) -> Decimal:
    """Scale MRR to a year, the figure investors quote."""
    return 12 * at["mrr"]


@derived_metric("net_new_mrr", unit=Unit.CURRENCY,
                needs=("new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr", "mrr"),
                label=bilingual("Net new MRR", "净新增 MRR"),
                formula="new + expansion + reactivation − contraction − churned; without movements: mrr − mrr[prev]",
                description=bilingual("How much MRR grew this month, in money.", "本月 MRR 增加了多少（金额）。"),
                nulls={NullReason.MISSING_INPUT: NO_MRR_ROW, NullReason.NO_PREVIOUS_MONTH: bilingual(
                    NO_PREV_EN + " and mrr.csv has no movement columns", NO_PREV_ZH + "，且 mrr.csv 没有变动列")},
             presence=Presence(charts=(ChartSlot("mrr_movements", SeriesRole.OVERLAY, 6),),
                               reports=(monthly("report_revenue", 3),)))
def net_new_mrr(at: MonthView) -> Decimal:
    """Prefer the movements, which need no previous month; fall back to the difference."""
    if at.has("new_mrr"):
        return (at["new_mrr"] + at["expansion_mrr"] + at["reactivation_mrr"]
                - at["contraction_mrr"] - at["churned_mrr"])
    return at["mrr"] - at.prev("mrr")


@derived_metric("mrr_growth", unit=Unit.RATIO, needs=("mrr",), label=bilingual("MRR growth", "MRR 增长率"),
                formula="(mrr − mrr[prev]) / mrr[prev]",
                description=bilingual("Month-over-month MRR growth.", "MRR 的环比增长率。"),
                nulls={NullReason.MISSING_INPUT: NO_MRR_ROW, NullReason.NO_PREVIOUS_MONTH: NO_PREV_MONTH,
                       NullReason.ZERO_DENOMINATOR: PREV_MRR_ZERO},
             presence=Presence(card=4, reports=(monthly("report_revenue", 2),)))
def mrr_growth(at: MonthView) -> Decimal:
    """Relate the change to where the month started."""
    current = at["mrr"]
    previous = at.prev("mrr")
    return divide(current - previous, previous)


@derived_metric("cmgr_12m", unit=Unit.RATIO, needs=("mrr",), label=bilingual("CMGR (12 months)", "复合月增长率（12 个月）"),
                formula="(mrr / mrr[m−12])^(1/12) − 1",
                description=bilingual("Compound monthly growth rate over the last 12 months: the steady monthly "
                                      "growth that would turn MRR of a year ago into this month's.",
                                      "过去 12 个月的复合月增长率：让一年前的 MRR 变成本月 MRR 所需的稳定月增长率。"),
                nulls={NullReason.MISSING_INPUT: NO_MRR_ROW,
                       NullReason.INSUFFICIENT_HISTORY: bilingual("mrr.csv has no row for the month 12 months "
                                                                  "earlier", "mrr.csv 没有 12 个月前那个月的行"),
                       NullReason.ZERO_DENOMINATOR: bilingual("MRR is 0 in that month or this one (no compound "
                                                              "rate)", "那个月或本月的 MRR 为 0（无法计算复合增长率）")},
             presence=Presence(reports=(annual("report_revenue", 4),)))
def cmgr_12m(at: MonthView) -> Decimal:
    """Smooth a year of noisy month-over-month growth into one rate."""
    current = at["mrr"]
    base = at.back("mrr", 12)
    if base <= 0 or current <= 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return ((current / base).ln() / 12).exp() - 1

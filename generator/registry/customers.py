"""Customers and what they are worth: counts, churn and retention rates, ARPU, LTV, the quick ratio.

Registered in table order (generator/registry/__init__.py imports the domains in order); a metric may
need only metrics registered before it.
"""

from __future__ import annotations

from decimal import Decimal

from generator.registry.definition import (
    ChartSlot,
    NullReason,
    Presence,
    Unit,
    annual,
    bilingual,
    monthly,
)
from generator.registry.month import MonthView, Undefined
from generator.registry.shared import (
    NO_MOVEMENTS,
    NO_PREV_MONTH,
    PREV_MRR_ZERO,
    NullText,
    divide,
)
from generator.registry.table import derived_metric, input_metric

_NO_CHURN_ROW = bilingual("churn.csv has no row for the month", "churn.csv 没有该月的行")

input_metric("customers", unit=Unit.COUNT, label=bilingual("Customers", "客户数"),
             reads=("churn", "customers"),
             description=bilingual("Paying customers at month end.", "月末的付费客户数。"),
             presence=Presence(card=3,
                               charts=(ChartSlot("customers", order=1),),
                               reports=(monthly("report_customers", 1, chart="customers"), annual("report_customers", 1, chart="customers"))))
input_metric("new_customers", unit=Unit.COUNT, label=bilingual("New customers", "新增客户"),
             reads=("churn", "new_customers"),
             description=bilingual("Customers who started paying this month.", "本月开始付费的客户数。"),
             presence=Presence(reports=(monthly("report_customers", 2),)))
input_metric("churned_customers", unit=Unit.COUNT, label=bilingual("Churned customers", "流失客户"),
             reads=("churn", "churned_customers"), higher_is_better=False,
             description=bilingual("Customers who stopped paying this month.", "本月停止付费的客户数。"),
             presence=Presence(reports=(monthly("report_customers", 3),)))


@derived_metric("customer_churn_rate", unit=Unit.RATIO,
                needs=("churned_customers", "customers", "new_customers", "reactivated_customers"),
                label=bilingual("Customer churn rate", "客户流失率"), higher_is_better=False,
                formula="churned_customers / (customers − new_customers − reactivated_customers + churned_customers)",
                description=bilingual("Share of the customers paying at the start of the month who cancelled "
                                      "during it.", "月初的付费客户中，在本月取消的比例。"),
                nulls={NullReason.MISSING_INPUT: _NO_CHURN_ROW,
                       NullReason.ZERO_DENOMINATOR: bilingual("no customers at the start of the month", "月初没有客户")},
             presence=Presence(card=5,
                               charts=(ChartSlot("customers", order=2),),
                               reports=(monthly("report_customers", 4), annual("report_customers", 2))))
def customer_churn_rate(at: MonthView) -> Decimal:
    """Divide by the month's starting customers, rebuilt from the row itself so a gap cannot skew it."""
    churned = at["churned_customers"]
    start = at["customers"] - at["new_customers"] - at["reactivated_customers"] + churned
    return divide(churned, start)


_MOVEMENT_NULLS: NullText = {NullReason.MISSING_INPUT: NO_MOVEMENTS, NullReason.NO_PREVIOUS_MONTH: NO_PREV_MONTH,
                             NullReason.ZERO_DENOMINATOR: PREV_MRR_ZERO}


@derived_metric("gross_mrr_churn_rate", unit=Unit.RATIO, needs=("churned_mrr", "contraction_mrr", "mrr"),
                label=bilingual("Gross MRR churn rate", "MRR 总流失率"), formula="(churned + contraction) / mrr[prev]",
                description=bilingual("Share of last month's MRR lost to cancellations and downgrades.",
                                      "上月 MRR 中因取消和降级而流失的比例。"),
                nulls=_MOVEMENT_NULLS, higher_is_better=False)
def gross_mrr_churn_rate(at: MonthView) -> Decimal:
    """Count every dollar lost, ignoring what expansion won back."""
    lost = at["churned_mrr"] + at["contraction_mrr"]
    return divide(lost, at.prev("mrr"))


@derived_metric("net_mrr_churn_rate", unit=Unit.RATIO,
                needs=("churned_mrr", "contraction_mrr", "expansion_mrr", "reactivation_mrr", "mrr"),
                label=bilingual("Net MRR churn rate", "MRR 净流失率"),
                formula="(churned + contraction − expansion − reactivation) / mrr[prev]",
                description=bilingual("Share of last month's MRR lost, net of expansion and reactivation; negative "
                                      "when existing customers grew revenue (negative net churn).",
                                      "上月 MRR 扣除扩展和回流后的净流失比例；现有客户收入增长时为负（负净流失）。"),
                nulls=_MOVEMENT_NULLS, higher_is_better=False)
def net_mrr_churn_rate(at: MonthView) -> Decimal:
    """Let expansion and reactivation offset losses, which is what makes churn negative."""
    net = at["churned_mrr"] + at["contraction_mrr"] - at["expansion_mrr"] - at["reactivation_mrr"]
    return divide(net, at.prev("mrr"))


@derived_metric("nrr", unit=Unit.RATIO, needs=("expansion_mrr", "contraction_mrr", "churned_mrr", "mrr"),
                label=bilingual("Net revenue retention", "净收入留存率"),
                formula="(mrr[prev] + expansion − contraction − churned) / mrr[prev]",
                description=bilingual("Monthly net revenue retention: last month's customers' MRR now, as a share "
                                      "of it then.", "月度净收入留存：上月客户现在的 MRR 占他们上月 MRR 的比例。"),
                nulls=_MOVEMENT_NULLS,
             presence=Presence(card=6, reports=(monthly("report_revenue", 7), annual("report_revenue", 5))))
def nrr(at: MonthView) -> Decimal:
    """Leave new and reactivated customers out: retention is about the customers already there."""
    change = at["expansion_mrr"] - at["contraction_mrr"] - at["churned_mrr"]
    previous = at.prev("mrr")
    return divide(previous + change, previous)


@derived_metric("grr", unit=Unit.RATIO, needs=("contraction_mrr", "churned_mrr", "mrr"),
                label=bilingual("Gross revenue retention", "总收入留存率"),
                formula="(mrr[prev] − contraction − churned) / mrr[prev]",
                description=bilingual("Monthly gross revenue retention: the share of last month's MRR kept, "
                                      "before any expansion.", "月度总收入留存：上月 MRR 中保留下来的比例，不计扩展。"),
                nulls=_MOVEMENT_NULLS,
             presence=Presence(reports=(annual("report_revenue", 6),)))
def grr(at: MonthView) -> Decimal:
    """Cap retention at 100% by ignoring expansion."""
    lost = at["contraction_mrr"] + at["churned_mrr"]
    previous = at.prev("mrr")
    return divide(previous - lost, previous)


@derived_metric("arpu", unit=Unit.CURRENCY, needs=("mrr", "customers"), label=bilingual("ARPU", "每客户平均收入"),
                formula="mrr / customers",
                description=bilingual("Average revenue per paying customer per month.", "每个付费客户每月的平均收入。"),
                nulls={NullReason.MISSING_INPUT: bilingual("mrr.csv or churn.csv has no row for the month",
                                                           "mrr.csv 或 churn.csv 没有该月的行"),
                       NullReason.ZERO_DENOMINATOR: bilingual("0 customers at month end", "月末客户数为 0")},
             presence=Presence(card=7,
                               charts=(ChartSlot("arpu_ltv", order=1),),
                               reports=(monthly("report_customers", 5), annual("report_customers", 3))))
def arpu(at: MonthView) -> Decimal:
    """Spread MRR over the customers paying it."""
    return divide(at["mrr"], at["customers"])


@derived_metric("ltv", unit=Unit.CURRENCY, needs=("arpu", "customer_churn_rate"), label=bilingual("LTV", "客户生命周期价值"),
                formula="arpu / mean(customer_churn_rate over m−5..m where defined)",
                description=bilingual("Customer lifetime value: ARPU over the average monthly customer churn of the "
                                      "last ltv_churn_months months (default 6).",
                                      "客户生命周期价值：ARPU 除以最近几个月（默认 6 个月）的平均月客户流失率。"),
                nulls={NullReason.MISSING_INPUT: bilingual("ARPU or the month's churn rate lacks an input row",
                                                           "ARPU 或本月流失率缺少输入行"),
                       NullReason.ZERO_DENOMINATOR: bilingual("ARPU or the churn rate divides by zero customers",
                                                              "ARPU 或流失率的客户数为零"),
                       NullReason.NO_CHURN: bilingual("no customer churned in the window, so the lifetime is unbounded",
                                                      "窗口期内没有客户流失，生命周期没有上限")},
             presence=Presence(card=8,
                               charts=(ChartSlot("arpu_ltv", order=2),),
                               reports=(annual("report_customers", 4),)))
def ltv(at: MonthView) -> Decimal:
    """Average churn over a window: one lucky month must not make customers live forever."""
    revenue = at["arpu"]
    churn = at.mean("customer_churn_rate", at.ltv_churn_months)
    if churn == 0:
        raise Undefined(NullReason.NO_CHURN)
    return revenue / churn


@derived_metric("quick_ratio", unit=Unit.RATIO, as_percent=False,
                needs=("new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr"),
                label=bilingual("Quick ratio", "快速比率"),
                formula="(new + expansion + reactivation) / (contraction + churned)",
                description=bilingual("MRR gained per unit of MRR lost; above 4 is efficient growth.",
                                      "每损失一单位 MRR 所获得的 MRR；高于 4 表示增长高效。"),
                nulls={NullReason.MISSING_INPUT: NO_MOVEMENTS,
                       NullReason.ZERO_DENOMINATOR: bilingual("no MRR was lost this month", "本月没有损失任何 MRR")})
def quick_ratio(at: MonthView) -> Decimal:
    """Compare what the month won to what it lost."""
    gained = at["new_mrr"] + at["expansion_mrr"] + at["reactivation_mrr"]
    return divide(gained, at["contraction_mrr"] + at["churned_mrr"])

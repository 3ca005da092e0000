"""What customers cost to win and to serve: acquisition spend, gross margin, CAC and its payback (with cost groups).

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
)
from generator.registry.month import MonthView, Undefined
from generator.registry.shared import divide
from generator.registry.table import derived_metric, input_metric

_NO_COSTS = bilingual("costs.csv has no row for the month", "costs.csv 没有该月的行")
_NO_SPEND = bilingual("the categories tagged acquisition cost nothing this month", "标记为获客的类别本月没有支出")
_NO_NEW = bilingual("no new customers this month", "本月没有新客户")
_NO_MRR = bilingual("MRR is 0", "MRR 为 0")

input_metric("acquisition_spend", unit=Unit.CURRENCY, label=bilingual("Acquisition spend", "获客支出"),
             requires=("acquisition",), higher_is_better=False, missing=_NO_COSTS,
             source=bilingual("`costs.csv`, the categories in `metrics.cost_groups.acquisition`",
                              "`costs.csv` 中 `metrics.cost_groups.acquisition` 列出的类别"),
             description=bilingual("What the month spent winning customers: ads, marketing and other tagged categories.",
                                   "本月为赢得客户而花的钱：广告、市场营销等被标记的类别。"),
             presence=Presence(charts=(ChartSlot("acquisition", order=1),),
                               reports=(annual("report_costs", 5, chart="acquisition"),)))


@derived_metric("gross_margin", unit=Unit.RATIO, needs=("mrr", "cost_of_revenue"), requires=("cost_of_revenue",),
                label=bilingual("Gross margin", "毛利率"), formula="(mrr − cost of revenue) / mrr",
                description=bilingual("Share of revenue left after the costs of serving customers (hosting, payment "
                                      "fees: the categories in metrics.cost_groups.cost_of_revenue).",
                                      "扣除服务客户的成本（托管、支付手续费等，即站点配置中标为服务成本的"
                                      "类别）后剩下的收入比例。"),
                nulls={NullReason.MISSING_INPUT: bilingual("mrr.csv or costs.csv has no row for the month",
                                                           "mrr.csv 或 costs.csv 没有该月的行"),
                       NullReason.ZERO_DENOMINATOR: _NO_MRR},
             presence=Presence(reports=(annual("report_costs", 7),)))
def gross_margin(at: MonthView) -> Decimal:
    """Use MRR as the month's revenue, as net burn does."""
    mrr = at["mrr"]
    return divide(mrr - at["cost_of_revenue"], mrr)


_CAC_NULLS = {NullReason.MISSING_INPUT: bilingual("costs.csv or churn.csv has no row for the month",
                                                  "costs.csv 或 churn.csv 没有该月的行"),
              NullReason.NO_ACQUISITION_SPEND: _NO_SPEND, NullReason.NO_NEW_CUSTOMERS: _NO_NEW}


@derived_metric("cac", unit=Unit.CURRENCY, needs=("acquisition_spend", "new_customers"), requires=("acquisition",),
                label=bilingual("CAC", "获客成本"), formula="acquisition_spend / new_customers", higher_is_better=False,
                description=bilingual("Customer acquisition cost: what winning one new customer cost this month.",
                                      "获客成本：本月赢得一个新客户的花费。"), nulls=_CAC_NULLS,
             presence=Presence(charts=(ChartSlot("acquisition", order=2),)))
def cac(at: MonthView) -> Decimal:
    """Divide the month's tagged spend by the month's new customers (ChartMogul's and Baremetrics' CAC)."""
    return _cac(at["acquisition_spend"], at["new_customers"])


@derived_metric("cac_3m", unit=Unit.CURRENCY, needs=("acquisition_spend", "new_customers"), requires=("acquisition",),
                label=bilingual("CAC (3 months)", "获客成本（3 个月）"), higher_is_better=False,
                formula="sum(acquisition_spend over m−2..m) / sum(new_customers over m−2..m)",
                description=bilingual("CAC over the last three months, so a campaign paid in one month and won in "
                                      "the next is not split.", "最近三个月的获客成本，一次活动的支出和成交跨月也不会被拆开。"),
                nulls={NullReason.INSUFFICIENT_HISTORY: bilingual("the data has fewer than 3 months up to this one",
                                                                  "截至本月的数据不足 3 个月"), **_CAC_NULLS},
             presence=Presence(reports=(annual("report_costs", 6),)))
def cac_3m(at: MonthView) -> Decimal:
    """Sum both sides of the window rather than averaging three monthly CACs (a month with one sale would dominate)."""
    spend = sum(at.trailing("acquisition_spend", 3), Decimal(0))
    return _cac(spend, sum(at.trailing("new_customers", 3), Decimal(0)))


def _cac(spend: Decimal, new_customers: Decimal) -> Decimal:
    if spend <= 0:
        raise Undefined(NullReason.NO_ACQUISITION_SPEND)
    if new_customers == 0:
        raise Undefined(NullReason.NO_NEW_CUSTOMERS)
    return spend / new_customers


@derived_metric("cac_payback_months", unit=Unit.MONTHS, needs=("cac", "arpu", "gross_margin"),
                requires=("acquisition", "cost_of_revenue"), label=bilingual("CAC payback", "获客成本回收期"),
                formula="cac / (arpu × gross_margin)", higher_is_better=False,
                description=bilingual("Months of a new customer's gross profit it takes to earn back what winning them "
                                      "cost.", "一个新客户需要多少个月的毛利才能赚回赢得他的花费。"),
                nulls={NullReason.MISSING_INPUT: bilingual("an input of CAC, ARPU or gross margin has no row",
                                                           "获客成本、ARPU 或毛利率的某个输入缺行"),
                       NullReason.NO_ACQUISITION_SPEND: _NO_SPEND, NullReason.NO_NEW_CUSTOMERS: _NO_NEW,
                       NullReason.ZERO_DENOMINATOR: bilingual("0 customers or 0 MRR", "客户数或 MRR 为 0"),
                       NullReason.NEGATIVE_MARGIN: bilingual("gross margin is 0 or below: a customer never pays back",
                                                             "毛利率为 0 或以下：客户永远无法回本")},
             presence=Presence(reports=(annual("report_costs", 8),)))
def cac_payback_months(at: MonthView) -> Decimal:
    """Pay back from gross profit, not revenue: hosting and fees come out of every payment."""
    cost, margin = at["cac"], at["gross_margin"]
    if margin <= 0:
        raise Undefined(NullReason.NEGATIVE_MARGIN)
    return divide(cost, at["arpu"] * margin)


@derived_metric("ltv_to_cac", unit=Unit.RATIO, as_percent=False, needs=("ltv", "cac"), requires=("acquisition",),
                label=bilingual("LTV to CAC", "LTV 与获客成本之比"), formula="ltv / cac",
                description=bilingual("Lifetime value per unit of acquisition cost; 3 or more is the usual target.",
                                      "每单位获客成本换来的客户生命周期价值；通常以 3 倍以上为目标。"),
                nulls={NullReason.MISSING_INPUT: bilingual("an input of LTV or CAC has no row",
                                                           "LTV 或获客成本的某个输入缺行"),
                       NullReason.NO_ACQUISITION_SPEND: _NO_SPEND, NullReason.NO_NEW_CUSTOMERS: _NO_NEW,
                       NullReason.ZERO_DENOMINATOR: bilingual("LTV divides by zero customers", "LTV 的客户数为零"),
                       NullReason.NO_CHURN: bilingual("LTV is unbounded: no churn in its window",
                                                      "LTV 没有上限：窗口期内没有流失")},
             presence=Presence(reports=(annual("report_costs", 9),)))
def ltv_to_cac(at: MonthView) -> Decimal:
    """Read CAC first: with no spend or no new customers the ratio says nothing whatever LTV is."""
    cost = at["cac"]
    return at["ltv"] / cost

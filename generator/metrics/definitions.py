"""The definitions table of issue #3: one registered entry per metric, in table order.

Each formula computes one month through a MonthView; reading an undefined value raises
`Undefined` with its reason, so the order in which a formula reads its inputs is the order of
precedence of its null reasons (and `nulls=` lists them in that order). docs/metrics.md, the
methodology page and the exports all read these entries rather than restating them.
"""

from __future__ import annotations

from decimal import Decimal

from generator.config.localized import LocalizedText
from generator.config.metrics import METRIC_IDS
from generator.metrics.registry import METRIC_DEFINITIONS, MonthView, Undefined, bilingual, derived_metric, input_metric
from generator.metrics.series import NullReason, Unit

RUNWAY_WINDOW_MONTHS = 3
"""Runway divides by the mean net burn of the month and the two before it (m−2..m)."""

_NO_ROW = bilingual("mrr.csv has no row for the month", "mrr.csv 没有该月的行")
_NO_MOVEMENTS = bilingual("mrr.csv has no row for the month, or no movement columns",
                          "mrr.csv 没有该月的行，或没有变动列")
_NO_PREV_EN = "the calendar month before has no mrr.csv row (first month, or after a gap)"
_NO_PREV_ZH = "上一个自然月在 mrr.csv 中没有行（第一个月，或数据中断之后）"
_NO_PREV = bilingual(_NO_PREV_EN, _NO_PREV_ZH)
_PREV_ZERO = bilingual("MRR of the month before is 0", "上月 MRR 为 0")

NullText = dict[NullReason, LocalizedText]


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    if denominator == 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return numerator / denominator


# Revenue inputs ----------------------------------------------------------------------------------

def _column(file: str, column: str, absent: str = "") -> LocalizedText:
    """Return where an input is read from, e.g. 'mrr.csv, column new' / 'mrr.csv 的 new 列'."""
    return bilingual(f"`{file}`, column `{column}`" + (" (0 when absent)" if absent else ""),
                     f"`{file}` 的 `{column}` 列" + ("（缺少时为 0）" if absent else ""))


input_metric("mrr", unit=Unit.CURRENCY, label=bilingual("MRR", "月经常性收入"), source=_column("mrr.csv", "mrr"),
             description=bilingual("Monthly recurring revenue at month end: what paying customers pay per month.",
                                   "月末的月经常性收入：付费客户每月支付的金额。"))
input_metric("new_mrr", unit=Unit.CURRENCY, label=bilingual("New MRR", "新增 MRR"), source=_column("mrr.csv", "new"),
             missing=_NO_MOVEMENTS, description=bilingual("MRR from customers who started paying this month.",
                                                          "本月开始付费的客户带来的 MRR。"))
input_metric("expansion_mrr", unit=Unit.CURRENCY, label=bilingual("Expansion MRR", "扩展 MRR"),
             source=_column("mrr.csv", "expansion"), missing=_NO_MOVEMENTS,
             description=bilingual("MRR added by existing customers: upgrades, seats, price rises.",
                                   "现有客户增加的 MRR：升级、增加席位、涨价。"))
input_metric("contraction_mrr", unit=Unit.CURRENCY, label=bilingual("Contraction MRR", "收缩 MRR"),
             source=_column("mrr.csv", "contraction"), missing=_NO_MOVEMENTS, higher_is_better=False,
             description=bilingual("MRR lost from customers who stayed but pay less (an amount).",
                                   "留下但降低付费的客户减少的 MRR（金额）。"))
input_metric("churned_mrr", unit=Unit.CURRENCY, label=bilingual("Churned MRR", "流失 MRR"),
             source=_column("mrr.csv", "churned"), missing=_NO_MOVEMENTS, higher_is_better=False,
             description=bilingual("MRR lost from customers who cancelled (an amount).",
                                   "取消订阅的客户带走的 MRR（金额）。"))
input_metric("reactivation_mrr", unit=Unit.CURRENCY, label=bilingual("Reactivation MRR", "回流 MRR"),
             source=_column("mrr.csv", "reactivation", absent="0"), missing=_NO_MOVEMENTS,
             description=bilingual("MRR from former customers who came back this month.",
                                   "本月回归的老客户带来的 MRR。"))


# Revenue -----------------------------------------------------------------------------------------

@derived_metric("arr", unit=Unit.CURRENCY, needs=("mrr",), label=bilingual("ARR", "年度经常性收入"), formula="12 × mrr",
                description=bilingual("Annual run rate: this month's MRR as a yearly figure.",
                                      "年化收入：把本月 MRR 换算为一年的数字。"),
                nulls={NullReason.MISSING_INPUT: _NO_ROW})
def arr(at: MonthView) -> Decimal:
    """Scale MRR to a year, the figure investors quote."""
    return 12 * at["mrr"]


@derived_metric("net_new_mrr", unit=Unit.CURRENCY,
                needs=("new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr", "mrr"),
                label=bilingual("Net new MRR", "净新增 MRR"),
                formula="new + expansion + reactivation − contraction − churned; without movements: mrr − mrr[prev]",
                description=bilingual("How much MRR grew this month, in money.", "本月 MRR 增加了多少（金额）。"),
                nulls={NullReason.MISSING_INPUT: _NO_ROW, NullReason.NO_PREVIOUS_MONTH: bilingual(
                    _NO_PREV_EN + " and mrr.csv has no movement columns", _NO_PREV_ZH + "，且 mrr.csv 没有变动列")})
def net_new_mrr(at: MonthView) -> Decimal:
    """Prefer the movements, which need no previous month; fall back to the difference."""
    if at.has("new_mrr"):
        return (at["new_mrr"] + at["expansion_mrr"] + at["reactivation_mrr"]
                - at["contraction_mrr"] - at["churned_mrr"])
    return at["mrr"] - at.prev("mrr")


@derived_metric("mrr_growth", unit=Unit.RATIO, needs=("mrr",), label=bilingual("MRR growth", "MRR 增长率"),
                formula="(mrr − mrr[prev]) / mrr[prev]",
                description=bilingual("Month-over-month MRR growth.", "MRR 的环比增长率。"),
                nulls={NullReason.MISSING_INPUT: _NO_ROW, NullReason.NO_PREVIOUS_MONTH: _NO_PREV,
                       NullReason.ZERO_DENOMINATOR: _PREV_ZERO})
def mrr_growth(at: MonthView) -> Decimal:
    """Relate the change to where the month started."""
    current = at["mrr"]
    previous = at.prev("mrr")
    return _divide(current - previous, previous)


@derived_metric("cmgr_12m", unit=Unit.RATIO, needs=("mrr",), label=bilingual("CMGR (12 months)", "复合月增长率（12 个月）"),
                formula="(mrr / mrr[m−12])^(1/12) − 1",
                description=bilingual("Compound monthly growth rate over the last 12 months: the steady monthly "
                                      "growth that would turn MRR of a year ago into this month's.",
                                      "过去 12 个月的复合月增长率：让一年前的 MRR 变成本月 MRR 所需的稳定月增长率。"),
                nulls={NullReason.MISSING_INPUT: _NO_ROW,
                       NullReason.INSUFFICIENT_HISTORY: bilingual("mrr.csv has no row for the month 12 months "
                                                                  "earlier", "mrr.csv 没有 12 个月前那个月的行"),
                       NullReason.ZERO_DENOMINATOR: bilingual("MRR is 0 in that month or this one (no compound "
                                                              "rate)", "那个月或本月的 MRR 为 0（无法计算复合增长率）")})
def cmgr_12m(at: MonthView) -> Decimal:
    """Smooth a year of noisy month-over-month growth into one rate."""
    current = at["mrr"]
    base = at.back("mrr", 12)
    if base <= 0 or current <= 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return ((current / base).ln() / 12).exp() - 1


# Customers ---------------------------------------------------------------------------------------

_NO_CHURN_ROW = bilingual("churn.csv has no row for the month", "churn.csv 没有该月的行")

input_metric("customers", unit=Unit.COUNT, label=bilingual("Customers", "客户数"),
             source=_column("churn.csv", "customers"),
             description=bilingual("Paying customers at month end.", "月末的付费客户数。"))
input_metric("new_customers", unit=Unit.COUNT, label=bilingual("New customers", "新增客户"),
             source=_column("churn.csv", "new_customers"),
             description=bilingual("Customers who started paying this month.", "本月开始付费的客户数。"))
input_metric("churned_customers", unit=Unit.COUNT, label=bilingual("Churned customers", "流失客户"),
             source=_column("churn.csv", "churned_customers"), higher_is_better=False,
             description=bilingual("Customers who stopped paying this month.", "本月停止付费的客户数。"))


@derived_metric("customer_churn_rate", unit=Unit.RATIO,
                needs=("churned_customers", "customers", "new_customers", "reactivated_customers"),
                label=bilingual("Customer churn rate", "客户流失率"), higher_is_better=False,
                formula="churned_customers / (customers − new_customers − reactivated_customers + churned_customers)",
                description=bilingual("Share of the customers paying at the start of the month who cancelled "
                                      "during it.", "月初的付费客户中，在本月取消的比例。"),
                nulls={NullReason.MISSING_INPUT: _NO_CHURN_ROW,
                       NullReason.ZERO_DENOMINATOR: bilingual("no customers at the start of the month", "月初没有客户")})
def customer_churn_rate(at: MonthView) -> Decimal:
    """Divide by the month's starting customers, rebuilt from the row itself so a gap cannot skew it."""
    churned = at["churned_customers"]
    start = at["customers"] - at["new_customers"] - at["reactivated_customers"] + churned
    return _divide(churned, start)


_MOVEMENT_NULLS: NullText = {NullReason.MISSING_INPUT: _NO_MOVEMENTS, NullReason.NO_PREVIOUS_MONTH: _NO_PREV,
                             NullReason.ZERO_DENOMINATOR: _PREV_ZERO}


@derived_metric("gross_mrr_churn_rate", unit=Unit.RATIO, needs=("churned_mrr", "contraction_mrr", "mrr"),
                label=bilingual("Gross MRR churn rate", "MRR 总流失率"), formula="(churned + contraction) / mrr[prev]",
                description=bilingual("Share of last month's MRR lost to cancellations and downgrades.",
                                      "上月 MRR 中因取消和降级而流失的比例。"),
                nulls=_MOVEMENT_NULLS, higher_is_better=False)
def gross_mrr_churn_rate(at: MonthView) -> Decimal:
    """Count every dollar lost, ignoring what expansion won back."""
    lost = at["churned_mrr"] + at["contraction_mrr"]
    return _divide(lost, at.prev("mrr"))


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
    return _divide(net, at.prev("mrr"))


@derived_metric("nrr", unit=Unit.RATIO, needs=("expansion_mrr", "contraction_mrr", "churned_mrr", "mrr"),
                label=bilingual("Net revenue retention", "净收入留存率"),
                formula="(mrr[prev] + expansion − contraction − churned) / mrr[prev]",
                description=bilingual("Monthly net revenue retention: last month's customers' MRR now, as a share "
                                      "of it then.", "月度净收入留存：上月客户现在的 MRR 占他们上月 MRR 的比例。"),
                nulls=_MOVEMENT_NULLS)
def nrr(at: MonthView) -> Decimal:
    """Leave new and reactivated customers out: retention is about the customers already there."""
    change = at["expansion_mrr"] - at["contraction_mrr"] - at["churned_mrr"]
    previous = at.prev("mrr")
    return _divide(previous + change, previous)


@derived_metric("grr", unit=Unit.RATIO, needs=("contraction_mrr", "churned_mrr", "mrr"),
                label=bilingual("Gross revenue retention", "总收入留存率"),
                formula="(mrr[prev] − contraction − churned) / mrr[prev]",
                description=bilingual("Monthly gross revenue retention: the share of last month's MRR kept, "
                                      "before any expansion.", "月度总收入留存：上月 MRR 中保留下来的比例，不计扩展。"),
                nulls=_MOVEMENT_NULLS)
def grr(at: MonthView) -> Decimal:
    """Cap retention at 100% by ignoring expansion."""
    lost = at["contraction_mrr"] + at["churned_mrr"]
    previous = at.prev("mrr")
    return _divide(previous - lost, previous)


@derived_metric("arpu", unit=Unit.CURRENCY, needs=("mrr", "customers"), label=bilingual("ARPU", "每客户平均收入"),
                formula="mrr / customers",
                description=bilingual("Average revenue per paying customer per month.", "每个付费客户每月的平均收入。"),
                nulls={NullReason.MISSING_INPUT: bilingual("mrr.csv or churn.csv has no row for the month",
                                                           "mrr.csv 或 churn.csv 没有该月的行"),
                       NullReason.ZERO_DENOMINATOR: bilingual("0 customers at month end", "月末客户数为 0")})
def arpu(at: MonthView) -> Decimal:
    """Spread MRR over the customers paying it."""
    return _divide(at["mrr"], at["customers"])


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
                                                      "窗口期内没有客户流失，生命周期没有上限")})
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
                nulls={NullReason.MISSING_INPUT: _NO_MOVEMENTS,
                       NullReason.ZERO_DENOMINATOR: bilingual("no MRR was lost this month", "本月没有损失任何 MRR")})
def quick_ratio(at: MonthView) -> Decimal:
    """Compare what the month won to what it lost."""
    gained = at["new_mrr"] + at["expansion_mrr"] + at["reactivation_mrr"]
    return _divide(gained, at["contraction_mrr"] + at["churned_mrr"])


# Costs and cash ----------------------------------------------------------------------------------

input_metric("costs", unit=Unit.CURRENCY, label=bilingual("Costs", "成本"),
             source=bilingual("`costs.csv`, every category", "`costs.csv` 的所有类别"), higher_is_better=False,
             description=bilingual("What the month cost: the sum of every cost category, refunds subtracted.",
                                   "本月的成本：所有成本类别之和，已扣除退款。"))


@derived_metric("net_burn", unit=Unit.CURRENCY, needs=("costs", "mrr"), label=bilingual("Net burn", "净消耗"),
                formula="costs − mrr", higher_is_better=False,
                description=bilingual("Cash the company loses in a month; negative when revenue exceeds costs "
                                      "(profit).", "公司一个月净流出的现金；收入超过成本（盈利）时为负。"),
                nulls={NullReason.MISSING_INPUT: bilingual("costs.csv or mrr.csv has no row for the month",
                                                           "costs.csv 或 mrr.csv 没有该月的行")})
def net_burn(at: MonthView) -> Decimal:
    """Treat MRR as the month's income, which is what a subscription business collects."""
    return at["costs"] - at["mrr"]


input_metric("cash", unit=Unit.CURRENCY, label=bilingual("Cash", "现金"), source=_column("cash.csv", "balance"),
             description=bilingual("Cash in the bank at month end.", "月末的银行存款。"))


@derived_metric("runway_months", unit=Unit.MONTHS, needs=("cash", "net_burn"), label=bilingual("Runway", "资金跑道"),
                formula="cash / mean(net_burn over m−2..m where defined)",
                description=bilingual("Months the cash lasts at the recent pace of net burn.",
                                      "按最近的净消耗速度，现金还能维持的月数。"),
                nulls={NullReason.MISSING_INPUT: bilingual("cash.csv has no row for the month, or no net burn in "
                                                           "the window", "cash.csv 没有该月的行，或窗口期内没有净消耗"),
                       NullReason.PROFITABLE: bilingual("mean net burn is 0 or below: the company is not burning "
                                                        "cash", "平均净消耗为 0 或以下：公司没有在消耗现金")})
def runway_months(at: MonthView) -> Decimal:
    """Average three months of burn so one large invoice does not swing the runway."""
    cash = at["cash"]
    burn = at.mean("net_burn", RUNWAY_WINDOW_MONTHS)
    if burn <= 0:
        raise Undefined(NullReason.PROFITABLE)
    return cash / burn


from generator.metrics import company as _company  # noqa: E402,F401  (issue #13's entries follow the table)

if tuple(METRIC_DEFINITIONS) != METRIC_IDS:  # config validates publish rules against METRIC_IDS
    raise RuntimeError("generator.config.metrics.METRIC_IDS and the registered definitions disagree")

"""The team from team.csv: headcount, hires, departures, attrition and payroll (only when the site has team.csv).

Registered in table order (generator/registry/__init__.py imports the domains in order); a metric may
need only metrics registered before it.
"""

from __future__ import annotations

from decimal import Decimal

from generator.registry.definition import NullReason, Presence, Unit, annual, bilingual
from generator.registry.month import MonthView
from generator.registry.shared import divide
from generator.registry.table import derived_metric, input_metric

_NO_TEAM_MONTH = bilingual("the month lies outside the metrics data", "该月不在指标数据的范围内")

input_metric("headcount", unit=Unit.COUNT, label=bilingual("Headcount", "团队人数"), requires=("team",),
             source=bilingual("`team.csv`: people whose `start` ≤ month end < `end`", "`team.csv`：`start` ≤ 月末 < `end` 的人"),
             missing=_NO_TEAM_MONTH,
             description=bilingual("People on the team at month end (a person with two roles counts once).",
                                   "月末在团队中的人数（一人兼两个角色只算一次）。"),
             presence=Presence(reports=(annual("report.team", 1, chart="headcount"),)))
input_metric("hires", unit=Unit.COUNT, label=bilingual("Hires", "入职"), requires=("team",),
             source=bilingual("`team.csv`: stints starting in the month", "`team.csv`：本月开始的任职"),
             missing=_NO_TEAM_MONTH,
             description=bilingual("People who joined in the month, a rehire included; a role change is not a hire.",
                                   "本月加入的人数，包括重新入职；角色变动不算入职。"))
input_metric("departures", unit=Unit.COUNT, label=bilingual("Departures", "离职"), requires=("team",),
             source=bilingual("`team.csv`: stints ending in the month", "`team.csv`：本月结束的任职"),
             missing=_NO_TEAM_MONTH, higher_is_better=False,
             description=bilingual("People whose last day fell in the month; a role change is not a departure.",
                                   "最后工作日在本月的人数；角色变动不算离职。"))

_NO_HEADCOUNT = bilingual("nobody was on the team at the start or end of the month", "月初和月末团队都没有人")


@derived_metric("attrition_rate", unit=Unit.RATIO, needs=("departures", "headcount", "headcount_start"),
                label=bilingual("Attrition rate", "人员流失率"), higher_is_better=False, requires=("team",),
                formula="departures / ((headcount[start of month] + headcount) / 2)",
                description=bilingual("Departures in the month over the month's average headcount.",
                                      "本月离职人数除以本月平均人数。"),
                nulls={NullReason.MISSING_INPUT: _NO_TEAM_MONTH, NullReason.ZERO_DENOMINATOR: _NO_HEADCOUNT})
def attrition_rate(at: MonthView) -> Decimal:
    """Average the month's first and last headcount, the usual (SHRM) denominator."""
    average = (at["headcount_start"] + at["headcount"]) / 2
    return divide(at["departures"], average)


@derived_metric("attrition_rate_12m", unit=Unit.RATIO, needs=("departures", "headcount", "headcount_start"),
                label=bilingual("Attrition rate (12 months)", "人员流失率（12 个月）"), higher_is_better=False,
                requires=("team",),
                formula="sum(departures over m−11..m) / mean((headcount[start] + headcount) / 2 over m−11..m)",
                description=bilingual("Departures in the last 12 months over the average headcount of those months: "
                                      "the yearly attrition people quote.",
                                      "过去 12 个月的离职人数除以这些月份的平均人数：通常所说的年度流失率。"),
                nulls={NullReason.INSUFFICIENT_HISTORY: bilingual("the data has fewer than 12 months up to this one",
                                                                  "截至本月的数据不足 12 个月"),
                       NullReason.MISSING_INPUT: _NO_TEAM_MONTH, NullReason.ZERO_DENOMINATOR: _NO_HEADCOUNT},
             presence=Presence(reports=(annual("report.team", 2),)))
def attrition_rate_12m(at: MonthView) -> Decimal:
    """Sum a year of departures so one quiet month does not read as zero attrition."""
    departures = sum(at.trailing("departures", 12), Decimal(0))
    starts, ends = at.trailing("headcount_start", 12), at.trailing("headcount", 12)
    average = sum(((s + e) / 2 for s, e in zip(starts, ends, strict=True)), Decimal(0)) / 12
    return divide(departures, average)


input_metric("payroll_monthly", unit=Unit.CURRENCY, label=bilingual("Monthly payroll", "月度薪资总额"),
             requires=("team", "salaries"), higher_is_better=False,
             source=bilingual("`team.csv`, column `salary` (yearly) ÷ 12, people here at month end",
                              "`team.csv` 的 `salary` 列（年薪）÷ 12，月末在职的人"),
             missing=bilingual("someone here at month end has no salary in team.csv, or the month lies outside the "
                               "metrics data", "月末在职的某人在 team.csv 中没有薪资，或该月不在指标数据范围内"),
             description=bilingual("A twelfth of the yearly salaries of the people on the team at month end (before "
                                   "employer taxes and benefits).", "月末在职人员年薪之和的十二分之一（不含雇主税费和福利）。"),
             presence=Presence(reports=(annual("report.team", 3),)))

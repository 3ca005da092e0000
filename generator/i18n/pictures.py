"""The strings of issue 19 (charts that never hide data, share cards, pages that add up), in English and
Simplified Chinese.

Kept apart from generator.i18n, which merges them into its table, so that module stays under the size limit.
"""

from __future__ import annotations

PICTURE_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "value.profit": "{value} profit",
        "card.as_of": "as of {month}",
        "team.band_n": "Band {n}",
        "team.level_n": "Level {level}",
        "team.formula_text_no_years": "salary = base for the role and level × location multiplier",
        "data_updated": "Data last updated: {month}. Later months have no numbers yet.",
        "years.reactivated": "Reactivated customers",
        "years.partial": "{first} to {last}: the numbers start in {first}.",
        "years.same_column": "This year, same months",
        "years.adds_up": "New − churned + reactivated customers = net new customers.",
        "years.reports": "Reports and posts on {year}",
        "years.all_posts.one": "The {n} post of {year}",
        "years.all_posts.other": "All {n} posts of {year}",
        "years.charts": "{year} in charts",
        "month.reports": "Reports on {month}",
        "month.chart": "The twelve months to {month}",
        "framing.profit": "Net burn is costs minus MRR. Below zero it is a profit, shown as “profit” and a positive "
                          "amount; the chart keeps one axis, where a profit is below zero.",
        "chart.other": "Other",
        "chart.undisclosed": "Not disclosed",
        "chart.undisclosed_note": "“Not disclosed” is what the published total spends beyond the categories shown.",
        "chart.undisclosed_rounded": "The total is published rounded, so “not disclosed” is approximate (never below "
                                     "zero).",
        "chart.other_note": "“Other” adds up the {n} smallest categories; each has its own page.",
        "chart.costs_withheld": "Costs by category are not shown: some categories are not disclosed, and the total "
                                "is not published exactly, so the bars could not add up to it.",
    },
    "zh": {
        "value.profit": "盈利 {value}",
        "card.as_of": "截至{month}",
        "team.band_n": "第 {n} 档",
        "team.level_n": "{level} 级",
        "team.formula_text_no_years": "薪资 = 角色与级别的基础薪资 × 地区系数",
        "data_updated": "数据最后更新于{month}。之后的月份还没有数字。",
        "years.reactivated": "回流客户",
        "years.partial": "{first}至{last}：数据从{first}开始。",
        "years.same_column": "本年同期",
        "years.adds_up": "新增客户 − 流失客户 + 回流客户 = 净新增客户。",
        "years.reports": "{year} 年的报告与文章",
        "years.all_posts.other": "{year} 年的全部 {n} 篇文章",
        "years.charts": "{year} 年图表",
        "month.reports": "关于{month}的报告",
        "month.chart": "截至{month}的十二个月",
        "framing.profit": "净消耗等于成本减去 MRR。低于零即为盈利，显示为“盈利”和正数金额；图表保留同一条坐标轴，盈利在零以下。",
        "chart.other": "其他",
        "chart.undisclosed": "未披露",
        "chart.undisclosed_note": "“未披露”是公开的总成本中未归入所示类别的部分。",
        "chart.undisclosed_rounded": "总成本以取整后的数值公开，因此“未披露”部分是近似值（不低于零）。",
        "chart.other_note": "“其他”合计了最小的 {n} 个类别；每个类别都有自己的页面。",
        "chart.costs_withheld": "未展示各类成本：部分类别未披露，总成本也没有精确公开，柱形无法与总数对上。",
    },
}

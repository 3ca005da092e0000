"""The strings of the retention cohorts page, its card and its methodology section (issue 21), in English and
Simplified Chinese. Kept apart from generator.i18n, which merges them into its table.
"""

from __future__ import annotations

COHORT_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "cohorts.title": "Retention cohorts",
        "cohorts.nav": "Cohorts",
        "cohorts.lede": "Customers grouped by the month they first paid, and how many of them — and how much of their "
                        "revenue — stayed, month after month. As of the end of {month}.",
        "cohorts.logo_title": "Customers still paying",
        "cohorts.logo_caption": "Share of each cohort's customers paying at the end of each month since their first "
                                "paid month (column 0).",
        "cohorts.revenue_title": "Revenue kept",
        "cohorts.revenue_caption": "Each cohort's MRR as a share of its MRR in its first month; upgrades can take it "
                                   "above 100%.",
        "cohorts.cohort": "First paid month",
        "cohorts.size": "Customers",
        "cohorts.ages": "Months since the first paid month",
        "cohorts.range": "{first} – {last}",
        "cohorts.withheld_cell": "A dash: fewer than {n} customers were still paying, so their revenue is not shown.",
        "cohorts.merged": "Cohorts of fewer than {n} customers are shown together with the months after them, so "
                          "that no single customer can be followed.",
        "cohorts.withheld.one": "{count} customer of the newest cohorts is not shown yet: fewer than {n} customers "
                                "are never shown apart.",
        "cohorts.withheld.other": "{count} customers of the newest cohorts are not shown yet: fewer than {n} "
                                  "customers are never shown apart.",
        "cohorts.average_title": "Average retention by age",
        "cohorts.average_caption": "Every cohort that reached each age, weighted by its size.",
        "cohorts.age": "Age",
        "cohorts.age_value.one": "{n} month",
        "cohorts.age_value.other": "{n} months",
        "cohorts.average_alt": "After {age}, {logo} of customers were still paying on average ({cohorts} cohorts).",
        "cohorts.average_alt_revenue": "After {age}, {logo} of customers were still paying on average, with "
                                       "{revenue} of their revenue kept ({cohorts} cohorts).",
        "cohorts.card": "Retention after {n} months",
        "cohorts.card_note": "cohort of {cohort}",
        "cohorts.definitions": "How cohorts are counted",
        "cohorts.open_data": "The triangle, as published, for download:",
        "methodology.cohorts_title": "Retention cohorts",
        "methodology.cohorts": "A customer's cohort is the first month at whose end they paid; a cohort's age is the "
                               "number of months since. Logo retention at an age is the share of the cohort's "
                               "customers paying at that month's end; revenue retention is the cohort's MRR then as "
                               "a share of its MRR in its first month, so upgrades count and it may pass 100%. The "
                               "average curve weighs each cohort that reached an age by its size. The month in "
                               "progress is not shown.",
        "methodology.cohorts_privacy": "A cohort of fewer than {n} customers is shown together with the months after "
                                       "it, and the revenue of fewer than {n} customers is never shown, so no single "
                                       "customer can be followed. Only ratios are published, never an amount.",
    },
    "zh": {
        "cohorts.title": "留存队列",
        "cohorts.nav": "留存队列",
        "cohorts.lede": "按首次付费月份把客户分组，看他们之中每个月还有多少人在付费、保留了多少收入。数据截至{month}末。",
        "cohorts.logo_title": "仍在付费的客户",
        "cohorts.logo_caption": "自首次付费的月份（第 0 列）起，每个队列在各月末仍在付费的客户所占比例。",
        "cohorts.revenue_title": "保留的收入",
        "cohorts.revenue_caption": "每个队列的月经常性收入相对其首月的比例；升级可能使它超过 100%。",
        "cohorts.cohort": "首次付费月份",
        "cohorts.size": "客户数",
        "cohorts.ages": "自首次付费起的月数",
        "cohorts.range": "{first}至{last}",
        "cohorts.withheld_cell": "短横线表示仍在付费的客户少于 {n} 位，因此不显示他们的收入。",
        "cohorts.merged": "客户少于 {n} 位的队列与其后的月份合并显示，以免能追踪到单个客户。",
        "cohorts.withheld.other": "最新队列中的 {count} 位客户暂不显示：少于 {n} 位客户从不单独显示。",
        "cohorts.average_title": "各月龄的平均留存",
        "cohorts.average_caption": "按规模加权，包括达到该月龄的每个队列。",
        "cohorts.age": "月龄",
        "cohorts.age_value.other": "{n} 个月",
        "cohorts.average_alt": "{age}后，平均 {logo} 的客户仍在付费（{cohorts} 个队列）。",
        "cohorts.average_alt_revenue": "{age}后，平均 {logo} 的客户仍在付费，保留了 {revenue} 的收入（{cohorts} 个队列）。",
        "cohorts.card": "{n} 个月后的留存",
        "cohorts.card_note": "{cohort}的队列",
        "cohorts.definitions": "队列如何计算",
        "cohorts.open_data": "按公布口径下载这张三角表：",
        "methodology.cohorts_title": "留存队列",
        "methodology.cohorts": "客户的队列是其首次在月末付费的月份；队列的月龄是此后经过的月数。某月龄的客户留存率，"
                               "是该月末仍在付费的客户占队列客户的比例；收入留存率是队列当时的月经常性收入相对其首月的比例，"
                               "计入升级，因此可能超过 100%。平均曲线按规模对达到各月龄的队列加权。进行中的月份不显示。",
        "methodology.cohorts_privacy": "客户少于 {n} 位的队列与其后的月份合并显示，少于 {n} 位客户的收入从不显示，"
                                       "以免能追踪到单个客户。只公布比例，从不公布金额。",
    },
}

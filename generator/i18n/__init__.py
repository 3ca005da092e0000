"""Site strings (Read more, min read, the dashboard's labels, …) in English and Simplified Chinese.

Picked by site.yaml's `language`; a language without its own table uses English strings
(dates and numbers still follow that language through Babel). Plurals follow Babel's rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale

from generator.i18n.authoring import AUTHORING_STRINGS
from generator.i18n.cohorts import COHORT_STRINGS
from generator.i18n.pictures import PICTURE_STRINGS
from generator.i18n.punctuation import PUNCTUATION_STRINGS
from generator.i18n.team_years import COMPANY_STRINGS
from generator.i18n.terminal import TERMINAL_STRINGS

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "skip_to_content": "Skip to content",
        "main_navigation": "Main navigation",
        "home": "Home",
        "read_more": "Read more",
        "read_more_about": "Read more about “{title}”",
        "min_read": "{n} min read",
        "by": "By",
        "published": "Published",
        "updated": "Updated",
        "in_category": "in",
        "tags": "Tags",
        "categories": "Categories",
        "archive": "Archive",
        "contents": "Contents",
        "previous": "Previous",
        "next": "Next",
        "older_post": "Older post",
        "newer_post": "Newer post",
        "older_posts": "Older posts",
        "newer_posts": "Newer posts",
        "pagination": "Pagination",
        "post_navigation": "More posts",
        "page_n_of": "Page {n} of {total}",
        "posts_count.one": "{n} post",
        "posts_count.other": "{n} posts",
        "posts_in": "Posts in {name}",
        "tagged": "Posts tagged “{name}”",
        "archive_of": "Posts from {period}",
        "no_posts": "No posts yet.",
        "page_not_found": "Page not found",
        "not_found_text": "There is nothing at this address. It may have moved, or the link may be mistyped.",
        "back_home": "Go to the home page",
        "language_switch": "Language",
        # issue 14: what readers see (charts, signs, badges, restatements)
        "axis.months": "{n} mo",
        "chart.capped": "{label} above {cap} is drawn at the top of its axis, marked △.",
        "label.profit": "Profit",
        "tone.good": "better",
        "tone.bad": "worse",
        "badge": "Badge",
        "restated": "restated: now {value}",
        "badge_text": "Show this number in a README or a post, kept up to date by every build: copy this Markdown.",
        "feed": "Atom feed",
        "subscribe": "Subscribe via Atom",
        "latest_posts": "Latest posts",
        "footer_built": "Built with opensite.",
        "report_title": "{month} in numbers",
        "report_intro": "One or two sentences: how the month went, and the one number that mattered most.",
        "report_revenue": "Revenue",
        "report_customers": "Customers",
        "report_costs": "Costs",
        "report_learned": "What we learned",
        "report_write_here": "What these numbers mean, in your words.",
        # the metrics dashboard, its charts and the numbers inside posts

        "dashboard": "Metrics",
        "as_of": "Latest closed month: {month}.",
        "estimate": "estimate",
        "estimate_note": "{month} is not over yet: its values are an estimate.",
        "vs_previous": "vs {month}",
        "vs_year": "vs {month}",
        "no_prior_data": "no prior data",
        "no_change": "no change",
        "read_from": "read from {source}",
        "month_in_numbers": "{month} in numbers",
        "recent": "Last {n} months",
        "all_time": "All time",
        "methodology": "Methodology",
        "data_table": "Data table",
        "month": "Month",
        "index": "index",
        "index_base": "index, {month} = 100",
        "months_value": "{n} months",
        "pp": "{n} pp",
        "rounded": "rounded",
        "chart.mrr": "MRR",
        "chart.mrr_movements": "MRR movements",
        "chart.customers": "Customers and customer churn",
        "chart.costs": "Costs by category against revenue",
        "chart.burn": "Net burn and runway",
        "chart.arpu_ltv": "ARPU and LTV",
        "trend.rose": "{label} rose from {first} to {last} over {n} months ({first_month} to {last_month}).",
        "trend.fell": "{label} fell from {first} to {last} over {n} months ({first_month} to {last_month}).",
        "trend.flat": "{label} stayed at {last} over {n} months ({first_month} to {last_month}).",
        "trend.one": "{label} was {last} in {last_month}.",
        "trend.none": "{label} has no values from {first_month} to {last_month}.",
        "alt.estimate": "{month} is drawn lighter: it is an estimate, as the month is not over.",
        "alt.notes": "Numbered markers: {notes}.",
        "alt.bars": "Bars: {above}.",
        "alt.bars_below": "Bars: {above} above zero; {below} below zero.",
        "caption": "Monthly, {first_month} to {last_month}.",
        "key_numbers": "Key numbers for {month}",
        "charts": "Charts",
        "views": "Time range",
        "every_metric": "Every metric",
        "currencies": "Currencies",
        "fx_intro": "Some amounts were written in another currency and converted to {currency}, each at the rate of its month (imported subscriptions: of the month they started paying): 1 unit of the currency = the rate in {currency}. The open data lists the same rates.",
        "fx_currency": "Currency",
        "fx_rate": "Rate",
        "fx_source": "Source",
        "fx_files": "Converted files",
        "fx_every_month": "every month",
        "fx_import_only": "imports (opensite import)",
        "fx_source.fx.csv": "monthly rate (metrics/fx.csv)",
        "fx_source.site.yaml": "fixed rate (site.yaml)",
        "month_by_month": "Month by month",
        "open_data": "Open data",
        "open_data_text": "Every published number, month by month, as",
        "definition": "Definition",
        "compare_categories": "Every category side by side:",
        "formula": "Formula",
        "source": "Source",
        "published_as": "How we publish it",
        "null_when": "When it has no value",
        "every_month": "Every month",
        "download": "Download",
        "value": "Value",
        "change": "Change from the month before",
        "note": "Note",
        "metric": "Metric",
        "posts_from": "Posts from {month}",
        "no_posts_month": "No posts this month.",
        "previous_month": "Previous month",
        "next_month": "Next month",
        "months_nav": "Months",
        "dashboard_nav": "Dashboard",
        "up": "up",
        "down": "down",
        "disclosure.exact": "Published exactly as computed.",
        "disclosure.rounded": "Published rounded to the nearest {step} (shown with ≈).",
        "disclosure.indexed": "Published as an index in whole points: {month} = 100. Changes in percent are "
                              "computed from the index; amounts are not published.",
        "disclosure.computed": "Computed from the published values of {inputs}, so it shows nothing they do not; "
                               "shown with ≈ to the precision they allow.",
        "disclosure.relative": "Published as computed: a ratio shows no amounts.",
        "reason.no_previous_month": "no previous month",
        "reason.zero_denominator": "not defined (divides by zero)",
        "reason.no_churn": "no churn in the window",
        "reason.profitable": "profitable",
        "reason.missing_input": "no data",
        "reason.insufficient_history": "not enough history",
        "reason.withheld": "withheld: it would show a few people's pay",
        "methodology.lede": "Every number on this site is computed by opensite from our monthly spreadsheet exports, "
                            "with one documented definition each. This page is generated from the definitions and "
                            "publishing rules the build used.",
        "methodology.months_title": "Months",
        "methodology.months": "Values are monthly, at the end of each month, in {currency}.",
        "methodology.latest": " The latest month that has ended is {month}: the key numbers show it, compared with "
                              "the month before and with the same month a year earlier.",
        "methodology.in_progress": " {month} is not over yet: charts draw it lighter and label it as an estimate, "
                                   "and it has no month page.",
        "methodology.as_of": "A number inside a post is the value of the latest month that had ended when the post "
                             "was published, unless the post names a month: a post keeps the numbers it was "
                             "written with when later months arrive.",
        "methodology.churn_title": "Churn, lifetime value and runway",
        "methodology.churn": "Customer churn is `{formula}`. {description} Customers who start and cancel within "
                             "one month count as churned, so short-lived customers are not hidden.",
        "methodology.ltv": "LTV divides ARPU by the mean customer churn of the last {n} months, so one unusual "
                           "month does not swing it.",
        "methodology.runway": "Runway divides cash by the mean net burn of the last {n} months; when that mean is "
                              "zero or below, the company is profitable and runway has no value.",
        "methodology.retention": "Net revenue retention and gross revenue retention are monthly figures, and leave "
                                 "new customers out.",
        "methodology.custom_title": "Our own metrics",
        "methodology.custom": "These metrics are our own, declared in the site's configuration: each reads a column "
                              "of one of our monthly files, or is computed by a formula from other metrics. When an "
                              "input of a formula has no value in a month, or the formula divides by zero, the "
                              "metric has no value that month, with the reason shown.",
        "methodology.publishing_title": "What we publish",
        "methodology.all_exact": "Every metric below is published exactly as computed.",
        "methodology.approx": "Values marked ≈ are rounded, or computed from rounded values. Metrics we choose not "
                              "to publish are left out of every page, chart and download, and so is everything "
                              "computed from them.",
        "unit": "Unit",
    },
    "zh": {
        "skip_to_content": "跳到正文",
        "main_navigation": "主导航",
        "home": "首页",
        "read_more": "阅读全文",
        "read_more_about": "阅读全文：“{title}”",
        "min_read": "阅读约 {n} 分钟",
        "by": "作者",
        "published": "发布于",
        "updated": "更新于",
        "in_category": "分类",
        "tags": "标签",
        "categories": "分类",
        "archive": "归档",
        "contents": "目录",
        "previous": "上一页",
        "next": "下一页",
        "older_post": "上一篇",
        "newer_post": "下一篇",
        "older_posts": "更早的文章",
        "newer_posts": "更新的文章",
        "pagination": "分页",
        "post_navigation": "更多文章",
        "page_n_of": "第 {n} 页，共 {total} 页",
        "posts_count.other": "{n} 篇文章",
        "posts_in": "{name}",
        "tagged": "标签：{name}",
        "archive_of": "{period} 的文章",
        "no_posts": "还没有文章。",
        "page_not_found": "页面不存在",
        "not_found_text": "这个地址没有内容。页面可能已经移动，或者链接有误。",
        "back_home": "返回首页",
        "language_switch": "语言",
        # issue 14: what readers see (charts, signs, badges, restatements)
        "axis.months": "{n}个月",
        "chart.capped": "{label}超过{cap}的月份画在坐标轴顶端，标为△。",
        "label.profit": "利润",
        "tone.good": "向好",
        "tone.bad": "变差",
        "badge": "徽章",
        "restated": "已重述：现为 {value}",
        "badge_text": "把这个数字放进 README 或文章，每次构建自动更新：复制下面的 Markdown。",
        "feed": "Atom 订阅",
        "subscribe": "通过 Atom 订阅",
        "latest_posts": "最新文章",
        "footer_built": "由 opensite 生成。",
        "report_title": "{month}数据回顾",
        "report_intro": "用一两句话说说这个月过得怎么样，以及最重要的那个数字。",
        "report_revenue": "收入",
        "report_customers": "客户",
        "report_costs": "成本",
        "report_learned": "我们学到了什么",
        "report_write_here": "用你自己的话说说这些数字意味着什么。",
        # the metrics dashboard, its charts and the numbers inside posts

        "dashboard": "数据",
        "as_of": "最近结束的月份：{month}。",
        "estimate": "估算",
        "estimate_note": "{month}尚未结束，数值为估算。",
        "vs_previous": "对比{month}",
        "vs_year": "对比{month}",
        "no_prior_data": "无可比数据",
        "no_change": "无变化",
        "read_from": "取自 {source}",
        "month_in_numbers": "{month}数据",
        "recent": "最近 {n} 个月",
        "all_time": "全部月份",
        "methodology": "统计方法",
        "data_table": "数据表",
        "month": "月份",
        "index": "指数",
        "index_base": "指数，{month} = 100",
        "months_value": "{n} 个月",
        "pp": "{n} 个百分点",
        "rounded": "已取整",
        "chart.mrr": "月经常性收入（MRR）",
        "chart.mrr_movements": "MRR 变动",
        "chart.customers": "客户数与客户流失率",
        "chart.costs": "各类成本与收入",
        "chart.burn": "净消耗与资金跑道",
        "chart.arpu_ltv": "ARPU 与 LTV",
        "trend.rose": "{label}在 {n} 个月内从 {first} 增长到 {last}（{first_month}至{last_month}）。",
        "trend.fell": "{label}在 {n} 个月内从 {first} 下降到 {last}（{first_month}至{last_month}）。",
        "trend.flat": "{label}在 {n} 个月内保持在 {last}（{first_month}至{last_month}）。",
        "trend.one": "{label}在{last_month}为 {last}。",
        "trend.none": "{label}在{first_month}至{last_month}没有数值。",
        "alt.estimate": "{month}颜色较浅：该月尚未结束，数值为估算。",
        "alt.notes": "编号标记：{notes}。",
        "alt.bars": "柱形：{above}。",
        "alt.bars_below": "柱形：零线以上为{above}；零线以下为{below}。",
        "caption": "按月，{first_month}至{last_month}。",
        "key_numbers": "{month}关键数据",
        "charts": "图表",
        "views": "时间范围",
        "every_metric": "全部指标",
        "currencies": "币种",
        "fx_intro": "部分金额以其他币种记录，已按当月汇率换算为 {currency}（导入的订阅按其开始付费的月份）：1 单位该币种 = 汇率 × {currency}。开放数据列出了同样的汇率。",
        "fx_currency": "币种",
        "fx_rate": "汇率",
        "fx_source": "来源",
        "fx_files": "换算的文件",
        "fx_every_month": "每月",
        "fx_import_only": "导入（opensite import）",
        "fx_source.fx.csv": "月度汇率（metrics/fx.csv）",
        "fx_source.site.yaml": "固定汇率（site.yaml）",
        "month_by_month": "按月查看",
        "open_data": "开放数据",
        "open_data_text": "所有公开的数据（按月）：",
        "definition": "定义",
        "compare_categories": "各类别并列对比：",
        "formula": "公式",
        "source": "来源",
        "published_as": "公开方式",
        "null_when": "何时没有数值",
        "every_month": "每月数据",
        "download": "下载",
        "value": "数值",
        "change": "较上月变化",
        "note": "说明",
        "metric": "指标",
        "posts_from": "{month}的文章",
        "no_posts_month": "本月没有文章。",
        "previous_month": "上个月",
        "next_month": "下个月",
        "months_nav": "月份",
        "dashboard_nav": "数据面板",
        "up": "上升",
        "down": "下降",
        "disclosure.exact": "按计算结果精确公布。",
        "disclosure.rounded": "取整到最接近的 {step} 后公布（以 ≈ 标出）。",
        "disclosure.indexed": "以指数（整数点）公布：{month} = 100。百分比变化由指数算出，金额不公布。",
        "disclosure.computed": "由 {inputs} 的公开数值计算得出，不透露它们之外的信息；以 ≈ 标出，精度以它们允许的为限。",
        "disclosure.relative": "按计算结果公布：比率不含金额。",
        "reason.no_previous_month": "无上月数据",
        "reason.zero_denominator": "无法计算（分母为零）",
        "reason.no_churn": "期间无流失",
        "reason.profitable": "已盈利",
        "reason.missing_input": "无数据",
        "reason.insufficient_history": "历史数据不足",
        "reason.withheld": "不公开：会暴露个别人的薪资",
        "methodology.lede": "本站的每个数字都由 opensite 根据我们每月导出的表格计算，每个指标都有一条成文的定义。"
                            "本页根据这次生成所用的定义和公开规则自动生成。",
        "methodology.months_title": "月份",
        "methodology.months": "数值按月统计，取每月月末，货币为{currency_name}。",
        "methodology.latest": "最近结束的月份是{month}：关键数据展示该月，并与上月和去年同月对比。",
        "methodology.in_progress": "{month}尚未结束：图表以浅色绘制并标为估算，该月没有月度页面。",
        "methodology.as_of": "文章中的数字是文章发布时最近结束的月份的数值，除非文章指定了月份：之后有新的月份数据，"
                             "文章里的数字也保持写作时的样子。",
        "methodology.churn_title": "流失、生命周期价值与资金跑道",
        "methodology.churn": "客户流失率为 `{formula}`。{description}在同一个月内开始付费又取消的客户计为流失，"
                             "因此短期客户不会被隐藏。",
        "methodology.ltv": "LTV 用 ARPU 除以最近 {n} 个月的平均客户流失率，这样单个异常月份不会让它大幅波动。",
        "methodology.runway": "资金跑道用现金除以最近 {n} 个月的平均净消耗；当平均值为零或以下时，公司已经盈利，"
                              "资金跑道没有数值。",
        "methodology.retention": "净收入留存率和总收入留存率都是月度数据，不计新客户。",
        "methodology.custom_title": "我们自己的指标",
        "methodology.custom": "这些指标是我们在站点配置中自行定义的：每个指标读取某个月度文件中的一列，"
                              "或由公式根据其他指标计算。公式的某个输入在某月没有数值，或公式的分母为零时，"
                              "该指标在那个月没有数值，并注明原因。",
        "methodology.publishing_title": "我们公开什么",
        "methodology.all_exact": "下列每个指标都按计算结果精确公布。",
        "methodology.approx": "标有 ≈ 的数值已取整，或由取整后的数值算出。我们选择不公开的指标，以及由它们算出的一切，都不会出现在任何页面、图表和下载文件中。",
        "unit": "单位",
    },
}


for _language, _table in (*COMPANY_STRINGS.items(), *COHORT_STRINGS.items(), *TERMINAL_STRINGS.items(),
                          *PUNCTUATION_STRINGS.items(), *PICTURE_STRINGS.items(),
                          *AUTHORING_STRINGS.items()):
    STRINGS[_language].update(_table)


def strings_for(language: str) -> dict[str, str]:
    """Return the string table for a language tag ('zh-CN' uses 'zh'), English where missing."""
    table = STRINGS.get(language) or STRINGS.get(language.split("-")[0]) or {}
    return {**STRINGS["en"], **table}


class Translator:
    """Looks up chrome strings for one language: `t('min_read', n=4)`; site.yaml's `strings:` win."""

    def __init__(self, language: str, overrides: Mapping[str, str] | None = None) -> None:
        self.language = language
        self.strings = {**strings_for(language), **(overrides or {})}
        self._locale = Locale.parse(language, sep="-")

    def __call__(self, key: str, **values: object) -> str:
        """Return the string for `key` with `{placeholders}` filled; plural keys use Babel's rules."""
        if "n" in values and f"{key}.other" in self.strings:
            form = self._locale.plural_form(values["n"])  # type: ignore[arg-type]
            text = self.strings.get(f"{key}.{form}", self.strings[f"{key}.other"])
        else:
            text = self.strings[key]
        return text.format(**values) if values else text

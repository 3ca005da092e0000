"""Numbers and sentences for people: values, changes and chart descriptions in the site's locale.

Everything a reader sees of a metric goes through `Formatter`, so a KPI card, a month page, a
chart's text alternative and a number inside a post all write $48,500, 4.5% or ≈$620,000 alike.
Values are rounded here (half away from zero) before Babel formats them, so what a test computes
by hand is what the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from generator.metrics import MetricPoint, MetricSeries, Unit, get_definition

MINUS = "\u2212"
APPROX = "≈"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
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
        "month_by_month": "Month by month",
        "open_data": "Open data",
        "open_data_text": "Every published number, month by month, as",
        "definition": "Definition",
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
        "disclosure.indexed": "Published as an index: {month} = 100. Changes in percent are exact; amounts are "
                              "not published.",
        "disclosure.relative": "Published as computed: a ratio shows no amounts.",
        "reason.no_previous_month": "no previous month",
        "reason.zero_denominator": "not defined (divides by zero)",
        "reason.no_churn": "no churn in the window",
        "reason.profitable": "profitable",
        "reason.missing_input": "no data",
        "reason.insufficient_history": "not enough history",
    },
    "zh": {
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
        "month_by_month": "按月查看",
        "open_data": "开放数据",
        "open_data_text": "所有公开的数据（按月）：",
        "definition": "定义",
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
        "disclosure.indexed": "以指数公布：{month} = 100。百分比变化是精确的，金额不公布。",
        "disclosure.relative": "按计算结果公布：比率不含金额。",
        "reason.no_previous_month": "无上月数据",
        "reason.zero_denominator": "无法计算（分母为零）",
        "reason.no_churn": "期间无流失",
        "reason.profitable": "已盈利",
        "reason.missing_input": "无数据",
        "reason.insufficient_history": "历史数据不足",
    },
}
"""Dashboard strings by language; a language without its own table uses English (Babel still formats)."""

Direction = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class Change:
    """A metric's change from an earlier month, as a number and as text ('+$300 (+20.0%)')."""

    base_month: date
    difference: Decimal
    """current − base, in the metric's unit (index points for an indexed series)."""
    relative: Decimal | None
    """difference / |base| for amounts and indexes; None for ratios, months, or a zero base."""
    text: str
    direction: Direction


class Formatter:
    """Formats one site's metric values, months and dashboard strings in its language."""

    def __init__(self, language: str, currency: str) -> None:
        self.language = language
        self.currency = currency
        self.locale = Locale.parse(language, sep="-")
        table = STRINGS.get(language) or STRINGS.get(language.split("-")[0]) or {}
        self.strings = {**STRINGS["en"], **table}
        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        self._money_cents = pattern
        self._money_whole = re.sub(r"\.0+", "", pattern)

    def __call__(self, key: str, **values: object) -> str:
        """Return the dashboard string `key` with its placeholders filled."""
        text = self.strings[key]
        return text.format(**values) if values else text

    def month(self, month: date) -> str:
        """Return 'October 2026' (or '2026年10月')."""
        return format_skeleton("yMMMM", month, locale=self.locale)

    def month_short(self, month: date) -> str:
        """Return 'Oct 2026'."""
        return format_skeleton("yMMM", month, locale=self.locale)

    def point(self, series: MetricSeries, point: MetricPoint | None) -> str:
        """Return a point as shown on pages: '≈$620,000', '4.5%', or '—' when it has no value."""
        if point is None or point.value is None:
            return "—"
        return (APPROX if point.approximate else "") + self.value(series, point.value)

    def reason(self, point: MetricPoint | None) -> str:
        """Return why a point has no value, for people ('profitable', 'no data')."""
        if point is None:
            return self("reason.missing_input")
        key = f"reason.{point.reason}"
        return self(key) if point.reason and key in self.strings else ""

    def reason_text(self, reason: str) -> str:
        """Return a null reason code ('profitable') as shown to readers."""
        return self.strings.get(f"reason.{reason}", str(reason))

    def value(self, series: MetricSeries, value: Decimal) -> str:
        """Return a value in the series' unit, without ≈: $48,500, $32.15, 4.5%, 2.50×, 1,204, 14 months."""
        if series.indexed:
            return self._signed(value, lambda v: format_decimal(_round(v, "0.1"), "#,##0.0", locale=self.locale))
        if series.unit is Unit.CURRENCY:
            return self._signed(value, self._money)
        if series.unit is Unit.RATIO:
            if _as_percent(series):
                return self._signed(value, self._percent)
            return self._signed(value, lambda v: format_decimal(_round(v, "0.01"), "#,##0.00", locale=self.locale)) + "×"
        if series.unit is Unit.MONTHS:
            number = self._signed(value, lambda v: format_decimal(_round(v, "0.1"), "#,##0.#", locale=self.locale))
            return self("months_value", n=number)
        return self._signed(value, lambda v: format_decimal(_round(v, "1"), "#,##0", locale=self.locale))

    def change(self, series: MetricSeries, current: MetricPoint | None, base: MetricPoint | None) -> Change | None:
        """Return the change from `base` to `current`, or None when either has no value."""
        if current is None or base is None or current.value is None or base.value is None:
            return None
        difference = current.value - base.value
        relative = difference / abs(base.value) if base.value and _has_relative(series) else None
        text = self._change_text(series, difference, relative, whole=abs(current.value) >= 1000)
        if not any(digit in text for digit in "123456789"):  # a change that rounds to 0 reads as none
            return Change(base.month, difference, relative, self("no_change"), "flat")
        approx = APPROX if current.approximate or base.approximate else ""
        return Change(base.month, difference, relative, approx + text, "up" if difference > 0 else "down")

    def _change_text(self, series: MetricSeries, difference: Decimal, relative: Decimal | None,
                     whole: bool = False) -> str:
        if series.indexed:
            return self._plus(relative, self._percent) if relative is not None else \
                self._plus(difference, lambda v: format_decimal(_round(v, "0.1"), "#,##0.0", locale=self.locale))
        if series.unit is Unit.RATIO and _as_percent(series):
            points = self._plus(difference * 100, lambda v: format_decimal(_round(v, "0.1"), "#,##0.0",
                                                                          locale=self.locale))
            return self("pp", n=points)
        if series.unit in (Unit.RATIO, Unit.MONTHS):
            return ("+" if difference > 0 else "") + self.value(series, difference)
        if series.unit is Unit.CURRENCY and whole:  # the change of a $1,377 LTV reads +$5, not +$5.10
            text = self._plus(difference, lambda v: self._money(v, whole=True))
        else:
            text = ("+" if difference > 0 else "") + self.value(series, difference)
        return f"{text} ({self._plus(relative, self._percent)})" if relative is not None else text

    def _money(self, amount: Decimal, whole: bool = False) -> str:
        """Return a non-negative amount: whole units from 1,000 up (and for whole numbers), else cents."""
        whole = whole or amount >= 1000 or amount == amount.to_integral_value()
        if whole:
            return format_currency(_round(amount, "1"), self.currency, format=self._money_whole, locale=self.locale,
                                   currency_digits=False)
        return format_currency(_round(amount, "0.01"), self.currency, format=self._money_cents, locale=self.locale,
                               currency_digits=False)

    def _percent(self, ratio: Decimal) -> str:
        return format_percent(_round(ratio * 100, "0.1") / 100, "#,##0.0%", locale=self.locale)

    def _signed(self, value: Decimal, form) -> str:
        text = form(abs(value))
        return MINUS + text if value < 0 and any(digit in text for digit in "123456789") else text

    def _plus(self, value: Decimal, form) -> str:
        text = self._signed(value, form)
        return "+" + text if value > 0 else text


def _round(value: Decimal, step: str) -> Decimal:
    return value.quantize(Decimal(step), ROUND_HALF_UP)


def _as_percent(series: MetricSeries) -> bool:
    return get_definition(series.id, series.label).as_percent


def _has_relative(series: MetricSeries) -> bool:
    return series.indexed or series.unit in (Unit.CURRENCY, Unit.COUNT)

"""The words of `opensite metrics`' table, in English and Simplified Chinese.

The founder reads the command in the site's language too, and site.yaml's `strings:` can reword it
like any page. Kept apart from generator.i18n, which merges them into its table, so that module
stays under the size limit. Null reasons, 'index' and '{n} months' come from the pages' strings.
"""

from __future__ import annotations

TERMINAL_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "numbers.title": "{month} ({currency})",
        "numbers.title_estimate": "{month} ({currency}), an estimate: the month is not over yet",
        "numbers.metric": "metric",
        "numbers.label": "label",
        "numbers.value": "value",
        "numbers.note": "note",
        "numbers.rounded": "rounded",
        "numbers.index_base": "{month} = 100",
        "numbers.empty": "No metrics: add metrics/mrr.csv to the site.",
    },
    "zh": {
        "numbers.title": "{month}（{currency}）",
        "numbers.title_estimate": "{month}（{currency}），估算：该月尚未结束",
        "numbers.metric": "指标",
        "numbers.label": "名称",
        "numbers.value": "数值",
        "numbers.note": "说明",
        "numbers.rounded": "已取整",
        "numbers.index_base": "{month}为 100",
        "numbers.empty": "没有指标：请在站点中添加 metrics/mrr.csv。",
    },
}
"""Merged into generator.i18n.STRINGS."""

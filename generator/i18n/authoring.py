"""Strings of what a founder writes with and previews in: a new post's body, a report's tags, and the preview
server's pages (its error overlay, its fallback 404). In the site's language like every page (issue 23).
Merged into generator.i18n.STRINGS.
"""

from __future__ import annotations

AUTHORING_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "new_post.intro": "The first paragraph: what happened, in one or two sentences. Listings and feeds show it.",
        "report.tag": "monthly-report",
        "report.annual_tag": "annual-report",
        "report.own_metrics": "Our own metrics",
        "serve.failed_title": "Build failed · opensite",
        "serve.failed": "Build failed",
        "serve.fix.one": "Fix this problem and save: this page reloads by itself. Until then, opensite keeps the "
                         "last good build.",
        "serve.fix.other": "Fix these problems and save: this page reloads by itself. Until then, opensite keeps "
                           "the last good build.",
        "serve.not_found": "Not found",
        "serve.served_under": "This site is served under {base}.",
        "serve.nothing_at": "Nothing is built at {path}.",
    },
    "zh": {
        "new_post.intro": "第一段：发生了什么，用一两句话说清楚。列表页和订阅源会显示这一段。",
        "report.tag": "月报",
        "report.annual_tag": "年报",
        "report.own_metrics": "我们自己的指标",
        "serve.failed_title": "构建失败 · opensite",
        "serve.failed": "构建失败",
        "serve.fix.other": "修正下面的问题并保存，本页会自动刷新。在此之前，opensite 保留上一次成功的构建。",
        "serve.not_found": "未找到",
        "serve.served_under": "本站在 {base} 之下。",
        "serve.nothing_at": "{path} 没有构建出任何内容。",
    },
}

"""Site chrome strings (Read more, Previous, min read, …) in English and Simplified Chinese.

Picked by site.yaml's `language`; a language without its own table uses English strings
(dates and numbers still follow that language through Babel). Plurals follow Babel's rules.
"""

from __future__ import annotations

from babel import Locale

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
    },
}


def strings_for(language: str) -> dict[str, str]:
    """Return the string table for a language tag ('zh-CN' uses 'zh'), English where missing."""
    table = STRINGS.get(language) or STRINGS.get(language.split("-")[0]) or {}
    return {**STRINGS["en"], **table}


class Translator:
    """Looks up chrome strings for one language: `t('min_read', n=4)`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.strings = strings_for(language)
        self._locale = Locale.parse(language, sep="-")

    def __call__(self, key: str, **values: object) -> str:
        """Return the string for `key` with `{placeholders}` filled; plural keys use Babel's rules."""
        if "n" in values and f"{key}.other" in self.strings:
            form = self._locale.plural_form(values["n"])  # type: ignore[arg-type]
            text = self.strings.get(f"{key}.{form}", self.strings[f"{key}.other"])
        else:
            text = self.strings[key]
        return text.format(**values) if values else text

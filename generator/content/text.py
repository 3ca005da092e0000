"""Plain-text views of a post's HTML: summary, reading time, dominant script.

All of them read the HTML that Markdown produced once; nothing here converts Markdown again.
"""

from __future__ import annotations

import html
import math
import re

from generator.content.converted import MORE_MARKER, TITLE_MARKER

WORDS_PER_MINUTE = 230
"""Latin-script reading speed (words a minute), the figure Medium uses."""
CJK_CHARS_PER_MINUTE = 400
"""Chinese/Japanese/Korean reading speed (characters a minute)."""
SUMMARY_MAX_CHARS = 300

_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre|br|hr|"
                        r"figure|figcaption|section)\b[^>]*>", re.IGNORECASE)
_BLOCKS_WITHOUT_PROSE = re.compile(r"<(script|style|pre)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SPACES = re.compile(r"\s+")


def plain_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment with whitespace collapsed."""
    spaced = _BLOCK_TAG.sub(" ", fragment)
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", spaced))).strip()


def count_words(text: str) -> tuple[int, int]:
    """Return (latin_words, cjk_characters); CJK characters are not counted as words."""
    cjk = len(_CJK.findall(text))
    latin = len(_WORD.findall(_CJK.sub(" ", text)))
    return latin, cjk


def reading_minutes(body_html: str) -> int:
    """Return whole minutes to read a post, counting words and CJK characters (at least 1)."""
    latin, cjk = count_words(plain_text(body_html))
    return max(1, math.ceil(latin / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))


def is_mostly_cjk(body_html: str) -> bool:
    """Return True when CJK characters outweigh Latin words (for the `lang` attribute)."""
    latin, cjk = count_words(plain_text(_BLOCKS_WITHOUT_PROSE.sub(" ", body_html)))
    return cjk > latin


_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def cjk_language(body_html: str) -> str | None:
    """Return 'ja', 'ko' or 'zh' for a mostly-CJK text (kana mark Japanese, hangul Korean), else None."""
    if not is_mostly_cjk(body_html):
        return None
    text = plain_text(_BLOCKS_WITHOUT_PROSE.sub(" ", body_html))
    kana, hangul = len(_KANA.findall(text)), len(_HANGUL.findall(text))
    if hangul > kana and hangul * 2 > len(_CJK.findall(text)):
        return "ko"
    return "ja" if kana else "zh"


def derive_summary(body_html: str) -> str:
    """Return the text before `<!-- more -->`, else the first paragraph with prose, as plain text.

    What comes before the heading a post took its title from is skipped (a scraped navigation line),
    and so are paragraphs that only credit a source or hold a URL ("原文：https://…", "Source: …"):
    a summary says what the post is about (issue 22).
    """
    if TITLE_MARKER in body_html:
        body_html = body_html.split(TITLE_MARKER, 1)[1]
    if MORE_MARKER in body_html:
        return shorten(plain_text(body_html.split(MORE_MARKER, 1)[0]))
    # The first paragraph with words: a post often opens with a cover image alone in a <p>.
    texts = (plain_text(m.group(1)) for m in _FIRST_PARAGRAPH.finditer(body_html))
    return shorten(next((t for t in texts if t and not is_attribution(t)), ""))


ATTRIBUTION_LABELS = ("原文", "原文链接", "原文地址", "原文出处", "来源", "出处", "作者", "转载", "转载自", "本文转载自",
                      "本文来自", "本文来源", "文章来源", "编辑", "责任编辑", "译者", "翻译", "摄影", "图片来源",
                      "source", "sources", "via", "from", "originally published", "originally posted", "reposted from",
                      "credit", "credits", "photo", "image", "author", "by")
"""Labels of a line that credits where a post comes from; such a line is never its summary."""
_URL_ONLY = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"(?:" + "|".join(re.escape(label) for label in ATTRIBUTION_LABELS) + r")\s*[:：]",
                          re.IGNORECASE)
_LABELLED = re.compile(r"(?:" + "|".join(re.escape(label) for label in ATTRIBUTION_LABELS) + r")\b", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def is_attribution(text: str) -> bool:
    """Return True for a short paragraph that is only a URL, or credits a source: a label and a colon ("原文：…",
    "Source: …"), or a label and an address ("Originally published at https://…")."""
    text = text.strip()
    if _URL_ONLY.fullmatch(text):
        return True
    if len(text) > ATTRIBUTION_MAX_CHARS:
        return False
    return _ATTRIBUTION.match(text) is not None or (_LABELLED.match(text) is not None and _URL.search(text) is not None)


ATTRIBUTION_MAX_CHARS = 200
"""A credit line is short; a longer paragraph that starts "Source:" is prose."""


def shorten(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """Cut text at a word boundary (or anywhere, for CJK) and add an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:，。；：") + "…"

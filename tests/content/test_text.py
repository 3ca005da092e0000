"""Tests for generator.content.text: summary, reading time and dominant script, all from one HTML string."""

from __future__ import annotations

import math

import pytest

from generator.content.text import (
    CJK_CHARS_PER_MINUTE,
    SUMMARY_MAX_CHARS,
    WORDS_PER_MINUTE,
    count_words,
    derive_summary,
    cjk_language,
    is_mostly_cjk,
    plain_text,
    reading_minutes,
    shorten,
)


def test_reading_speeds_are_the_documented_ones() -> None:
    assert (WORDS_PER_MINUTE, CJK_CHARS_PER_MINUTE, SUMMARY_MAX_CHARS) == (230, 400, 300)


@pytest.mark.parametrize(("fragment", "expected"), [
    ("<p>Hello <em>open</em> world.</p>", "Hello open world."),
    ("<h2>Costs</h2><p>Up</p>", "Costs Up"),
    ("<li>one</li><li>two</li>", "one two"),
    ("<p>Fish &amp; chips &lt;3</p>", "Fish & chips <3"),
    ("<p>  many\n\n   spaces </p>", "many spaces"),
    ("<p>收入<br>增长</p>", "收入 增长"),
])
def test_plain_text_strips_tags_and_collapses_space(fragment: str, expected: str) -> None:
    assert plain_text(fragment) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # 5 words: "don't" and "well-known" are one word each; no CJK.
    ("We don't hide well-known numbers", (5, 0)),
    # 7 ideographs; the full-width comma and full stop are not characters of text.
    ("远程团队，一年了。", (0, 7)),
    # 3 words ("Our", "MRR", "now") + 3 ideographs.
    ("Our MRR 是多少 now", (3, 3)),
    # Hiragana, katakana and Hangul count as CJK characters.
    ("ひらがなカタカナ한국어", (0, 11)),
    # Digits are words; punctuation alone is not.
    ("2024 revenue: 12 500 — ok?", (5, 0)),
    ("", (0, 0)),
])
def test_count_words_counts_latin_words_and_cjk_chars(text: str, expected: tuple[int, int]) -> None:
    assert count_words(text) == expected


def _words(n: int) -> str:
    return " ".join(["word"] * n)


@pytest.mark.parametrize(("body_html", "expected"), [
    pytest.param("", 1, id="empty-is-at-least-one"),
    pytest.param(f"<p>{_words(230)}</p>", 1, id="230-words"),
    pytest.param(f"<p>{_words(231)}</p>", 2, id="231-words-rounds-up"),
    pytest.param(f"<p>{_words(690)}</p>", 3, id="690-words"),
    pytest.param(f"<p>{'字' * 400}</p>", 1, id="400-cjk"),
    pytest.param(f"<p>{'字' * 401}</p>", 2, id="401-cjk-rounds-up"),
    pytest.param(f"<p>{'字' * 1200}</p>", 3, id="1200-cjk"),
    # 230 words (1 min) + 400 characters (1 min) = exactly 2 minutes.
    pytest.param(f"<p>{_words(230)}</p><p>{'字' * 400}</p>", 2, id="mixed-exact"),
])
def test_reading_minutes_counts_words_and_cjk_chars(body_html: str, expected: int) -> None:
    assert reading_minutes(body_html) == expected


def test_reading_minutes_of_mixed_english_and_chinese() -> None:
    english = "Our revenue grew steadily this quarter. "  # 6 words
    chinese = "我们的收入本季度稳步增长。"  # 12 ideographs; the full stop is not counted
    body_html = "<p>" + english * 40 + "</p>\n<p>" + chinese * 40 + "</p>"
    words, chars = 6 * 40, 12 * 40

    assert count_words(plain_text(body_html)) == (words, chars)
    # 240/230 + 480/400 = 1.04 + 1.2 = 2.24 -> 3. Counting only one script would give 2.
    assert reading_minutes(body_html) == math.ceil(words / 230 + chars / 400) == 3


def test_reading_minutes_ignores_markup() -> None:
    attributes = '<a href="https://example.com/a/very/long/url/with/many/parts" title="many words in a title">'
    assert reading_minutes(f"<p>{attributes}{_words(230)}</a></p>") == 1


@pytest.mark.parametrize(("body_html", "expected"), [
    ("<p>远程团队的一年</p>", True),
    ("<p>We went remote.</p>", False),
    # 2 words vs 2 characters: not more CJK than Latin.
    ("<p>open blog 开放</p>", False),
    # Code is not prose: an English post with Chinese strings in code stays English.
    ("<p>Print a greeting.</p><pre><code>print('你好世界你好世界')</code></pre>", False),
])
def test_is_mostly_cjk_compares_characters_with_words(body_html: str, expected: bool) -> None:
    assert is_mostly_cjk(body_html) is expected


@pytest.mark.parametrize(("body_html", "expected"), [
    pytest.param("<p>First <em>para</em>.</p>\n<p>Second.</p>", "First para.", id="first-paragraph"),
    pytest.param("<h2>Heading</h2>\n<p>Body text.</p>", "Body text.", id="skips-heading"),
    pytest.param('<p><img alt="Cover" src="/a.png"></p>\n<p>Real text.</p>', "Real text.",
                 id="skips-image-only-paragraph"),
    pytest.param("<p>Intro one.</p>\n<p>Intro two.</p>\n<!-- more -->\n<p>Rest.</p>", "Intro one. Intro two.",
                 id="text-before-more-marker"),
    pytest.param("<h2>Why</h2><p>Because.</p><!-- more --><p>Rest.</p>", "Why Because.", id="more-marker-with-heading"),
    pytest.param("<ul><li>only a list</li></ul>", "", id="no-paragraph"),
    pytest.param("<p>收入增长了。</p><p>第二段。</p>", "收入增长了。", id="chinese"),
])
def test_derive_summary_picks_intro_text(body_html: str, expected: str) -> None:
    assert derive_summary(body_html) == expected


def test_derive_summary_ignores_more_marker_inside_code() -> None:
    body_html = "<p>Use it like this.</p><pre><code>&lt;!-- more --&gt;</code></pre><p>Then.</p>"
    assert derive_summary(body_html) == "Use it like this."


def test_derive_summary_shortens_long_first_paragraph() -> None:
    summary = derive_summary(f"<p>{_words(100)}</p>")

    assert summary.endswith("…")
    assert len(summary) <= SUMMARY_MAX_CHARS + 1


def test_shorten_keeps_short_text() -> None:
    assert shorten("Short.") == "Short."
    assert shorten("x" * 300) == "x" * 300


def test_shorten_cuts_latin_text_at_a_word_boundary() -> None:
    text = "abcd " * 70  # 350 characters
    # text[:300] is 60 x "abcd "; cutting at its last space (index 299) keeps 60 words.
    assert shorten(text) == " ".join(["abcd"] * 60) + "…"


def test_shorten_cuts_cjk_text_anywhere() -> None:
    text = "收入增长。" * 80  # 400 characters, no spaces
    expected = text[:300].rstrip("。") + "…"

    assert shorten(text) == expected
    assert len(shorten(text)) == 300  # 300 characters minus a trailing '。' plus the ellipsis


def test_shorten_respects_custom_limit() -> None:
    assert shorten("one two three four", limit=10) == "one two…"


@pytest.mark.parametrize(("body_html", "expected"), [
    ("<p>我们在过去一年里学到了很多东西。</p>", "zh"),
    ("<p>私たちはこの一年でたくさんのことを学びました。</p>", "ja"),
    ("<p>우리는 지난 일 년 동안 많은 것을 배웠습니다.</p>", "ko"),
    ("<p>We learned a lot this year, and a few words of 中文.</p>", None),
])
def test_cjk_language_tells_chinese_japanese_and_korean_apart(body_html: str, expected: str | None) -> None:
    assert cjk_language(body_html) == expected

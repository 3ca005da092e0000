"""Chrome strings: English and Simplified Chinese, with Babel's plural rules."""

from __future__ import annotations

import pytest

from generator.i18n import STRINGS, Translator


def test_every_chinese_string_exists_in_english_and_back() -> None:
    english = {k.split(".")[0] for k in STRINGS["en"]}
    chinese = {k.split(".")[0] for k in STRINGS["zh"]}
    assert english == chinese


@pytest.mark.parametrize(("language", "n", "expected"), [
    ("en", 1, "1 post"), ("en", 2, "2 posts"), ("en", 0, "0 posts"), ("zh-CN", 1, "1 篇文章"), ("zh-CN", 5, "5 篇文章"),
])
def test_plural_forms_follow_the_language(language: str, n: int, expected: str) -> None:
    assert Translator(language)("posts_count", n=n) == expected


def test_unknown_language_falls_back_to_english_strings() -> None:
    assert Translator("de")("read_more") == "Read more"
    assert Translator("zh-Hans-CN")("read_more") == "阅读全文"

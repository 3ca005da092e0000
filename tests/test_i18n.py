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


def _base(key: str) -> str:
    """Return a plural key's base ('posts_count.one' -> 'posts_count'); other keys as they are."""
    base = key.rsplit(".", 1)[0]
    return base if f"{base}.other" in STRINGS["en"] else key


@pytest.mark.parametrize("key", sorted({_base(k) for k in STRINGS["en"]}))
def test_every_string_exists_in_english_and_chinese(key: str) -> None:
    for language in ("en", "zh"):
        table = STRINGS[language]
        assert key in table or f"{key}.other" in table, f"{key!r} is missing in {language}"
        assert (table.get(key) or table[f"{key}.other"]).strip(), f"{key!r} is empty in {language}"


def test_chinese_strings_are_translated() -> None:
    same = [k for k, v in STRINGS["zh"].items() if v == STRINGS["en"].get(k) and any(c.isalpha() for c in v)]
    assert same == []


def test_site_strings_override_the_theme(make_site, tmp_path) -> None:
    from conftest import BUILD_TIME

    from generator import build_site
    config = ("title: Acme\nbase_url: https://acme.example/\nlanguage: zh-CN\nstrings:\n  read_more: 继续阅读\n"
              "  page_not_found: {en: Lost?, zh-CN: 迷路了？}\n")
    post = "---\ntitle: 你好\ndate: 2024-03-02\n---\n第一段。\n\n<!-- more -->\n\n第二段。\n"
    root = make_site({"content/posts/2024-03-02-hello.md": post}, config=config)
    build_site(root, tmp_path / "out", now=BUILD_TIME)
    assert "继续阅读" in (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "<h1>迷路了？</h1>" in (tmp_path / "out/404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("strings", "expected"), [
    ("  red_more: Keep reading\n", "site.yaml:4:3: unknown string 'strings.red_more' (did you mean 'read_more'?"),
    ("  min_read: '{m} minutes'\n", "site.yaml:4:3: 'strings.min_read' must keep the placeholders of the original "
     "({n}), found '{m} minutes'"),
])
def test_site_strings_are_checked(make_site, strings: str, expected: str) -> None:
    from generator.build import load_site_config
    from generator.errors import ConfigError
    root = make_site(config="title: Acme\nbase_url: https://acme.example/\nstrings:\n" + strings)
    with pytest.raises(ConfigError) as error:
        load_site_config(root)
    assert expected in error.value.diagnostics[0].format(root)


def test_a_bilingual_site_keeps_each_post_in_its_language(make_site, tmp_path) -> None:
    from conftest import BUILD_TIME

    from generator import build_site
    english = "---\ntitle: Hello\ndate: 2024-03-02\n---\nOur first post.\n"
    chinese = "---\ntitle: 你好\ndate: 2024-03-03\nlang: zh-CN\n---\n我们的第一篇文章。\n"
    root = make_site({"content/posts/2024-03-02-hello.md": english, "content/posts/2024-03-03-nihao.md": chinese})
    build_site(root, tmp_path / "out", now=BUILD_TIME)
    page = (tmp_path / "out/2024/03/nihao/index.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page and "我们的第一篇文章。" in page and "Skip to content" in page

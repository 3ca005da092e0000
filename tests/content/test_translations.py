"""A post's language and its translations on a site in several languages (generator.content.translations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BUILD_TIME

from generator.config import load_config
from generator.content import Content, load_content
from generator.errors import ContentError

TWO = "title: T\nbase_url: https://t.example/\nlanguages: [en, zh-CN]\n"


def load(make_site, files: dict, config: str = TWO) -> Content:
    return load_content(load_config(make_site(files, config=config)), now=BUILD_TIME)


def post(title: str, extra: str = "", body: str = "Text.") -> str:
    return f"---\ntitle: {title}\n{extra}---\n{body}\n"


ZH = "这是一篇用中文写成的文章。"


def by_relpath(content: Content) -> dict[str, tuple]:
    return {p.relpath.as_posix(): (p.language, p.translation_key, p.path, p.lang) for p in content.posts + content.pages}


def test_a_post_is_in_the_first_language_unless_its_front_matter_or_file_name_says_otherwise(make_site) -> None:
    content = load(make_site, {
        "content/posts/2024-03-04-launch.md": post("Launch"),
        "content/posts/2024-03-04-launch.zh.md": post("发布", body=ZH),
        "content/posts/2024-05-01-prices.md": post("涨价", "lang: zh\ntranslation_key: prices\n", ZH),
        "content/posts/2024-05-02-raising-prices.md": post("Prices", "translation_key: prices\n"),
        "content/pages/about.zh-CN.md": post("关于", body=ZH),
        "content/pages/team/index.zh.md": post("团队", body=ZH),
    })
    assert by_relpath(content) == {
        "posts/2024-03-04-launch.md": ("en", "posts/2024-03-04-launch", "2024/03/launch/", None),
        "posts/2024-03-04-launch.zh.md": ("zh-CN", "posts/2024-03-04-launch", "zh/2024/03/launch/", None),
        "posts/2024-05-01-prices.md": ("zh-CN", "prices", "zh/2024/05/prices/", None),
        "posts/2024-05-02-raising-prices.md": ("en", "prices", "2024/05/raising-prices/", None),
        "pages/about.zh-CN.md": ("zh-CN", "pages/about", "zh/about/", None),
        "pages/team/index.zh.md": ("zh-CN", "pages/team/index", "zh/team/", None),
    }
    assert content.warnings == ()


def test_a_one_language_site_reads_file_names_and_lang_as_before(make_site) -> None:
    content = load(make_site, {"content/posts/2024-03-04-launch.zh.md": post("发布", "lang: zh\n", ZH)},
                   config="title: T\nbase_url: https://t.example/\n")
    assert by_relpath(content) == {"posts/2024-03-04-launch.zh.md": (None, None, "2024/03/launchzh/", "zh")}


def test_a_chinese_text_in_the_english_folder_is_marked_as_chinese(make_site) -> None:
    content = load(make_site, {"content/posts/2024-03-04-a.md": "---\ntitle: 标题\n---\n这是一篇完全用中文写成的文章，没有声明语言。\n"})
    assert by_relpath(content)["posts/2024-03-04-a.md"][3] == "zh"


def test_a_language_the_site_does_not_declare_is_a_located_warning(make_site) -> None:
    content = load(make_site, {"content/posts/2024-03-04-a.md": post("A", "lang: fr\n"),
                               "content/posts/2024-03-04-b.de.md": post("B")})
    assert by_relpath(content)["posts/2024-03-04-a.md"] == ("en", "posts/2024-03-04-a", "2024/03/a/", "fr")
    assert by_relpath(content)["posts/2024-03-04-b.de.md"][:3] == ("en", "posts/2024-03-04-b.de", "2024/03/bde/")
    messages = {(Path(w.path).name, w.line, w.severity): w.message for w in content.warnings}
    assert messages[("2024-03-04-a.md", 3, "warning")].startswith("'lang: fr' is not a language of the site (en, zh-CN)")
    assert "ends in '.de', a language the site does not declare" in messages[("2024-03-04-b.de.md", None, "warning")]


def test_front_matter_and_file_name_disagreeing_is_a_warning_and_front_matter_wins(make_site) -> None:
    content = load(make_site, {"content/posts/2024-03-04-a.zh.md": post("A", "lang: en\n")})
    assert by_relpath(content)["posts/2024-03-04-a.zh.md"][0] == "en"
    (warning,) = content.warnings
    assert warning.line == 3 and "'lang: en' and the file name's '.zh-CN' name different languages" in warning.message


def test_two_posts_in_one_language_with_one_key_are_an_error_at_the_key(make_site) -> None:
    root = make_site({"content/posts/2024-03-04-a.md": post("A", "translation_key: k\n"),
                      "content/posts/2024-03-05-b.md": post("B", "translation_key: k\n")}, config=TWO)
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    (error,) = caught.value.diagnostics
    assert error.path.name == "2024-03-05-b.md" and error.line == 3
    assert "content/posts/2024-03-05-b.md and content/posts/2024-03-04-a.md are both in en with the translation " \
           "key 'k'" in error.message


def test_a_translation_key_no_other_post_shares_is_a_warning_at_its_line(make_site) -> None:
    content = load(make_site, {"content/posts/2024-03-04-a.md": post("A", "translationKey: alone\n"),
                               "content/posts/2024-03-04-b.md": post("B")})
    (warning,) = content.warnings
    assert (warning.path.name, warning.line, warning.severity) == ("2024-03-04-a.md", 3, "warning")
    assert warning.message == "translation_key 'alone' names no other post: the post has no translation to link"


def test_check_reports_translation_problems_and_fails_on_a_duplicate(make_site, runner) -> None:
    from generator.cli import main

    site = make_site({"content/posts/2024-03-04-a.md": post("A", "lang: fr\ncategory: finances\nsummary: S.\n")},
                     config=TWO)
    result = runner.invoke(main, ["check", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert "2024-03-04-a.md:3: warning: 'lang: fr' is not a language of the site" in result.output
    (site / "content/posts/2024-03-04-b.md").write_text(post("B", "translation_key: posts/2024-03-04-a\n"))
    result = runner.invoke(main, ["check", "--site", str(site)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "are both in en with the translation key 'posts/2024-03-04-a'" in result.output

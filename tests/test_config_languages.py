"""`languages:` in site.yaml (issue 23): the languages a site speaks, each in its folder, each named in itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError


def _config(tmp_path: Path, text: str):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, text)
    return [d.format() for d in info.value.diagnostics]


def test_a_site_without_languages_speaks_its_one_language(tmp_path: Path) -> None:
    config = _config(tmp_path, "title: Acme\nlanguage: zh-CN\n")
    assert config.languages == () and config.language == "zh-CN" and config.language_folder == ""
    assert _config(tmp_path, "title: Acme\nlanguages: [de]\n").languages == ()  # one listed: one language
    assert _config(tmp_path, "title: Acme\nlanguages: [de]\n").language == "de"


def test_the_first_language_is_the_default_and_the_others_live_in_their_folder(tmp_path: Path) -> None:
    config = _config(tmp_path, "title: {en: Tallybird, zh-CN: 记账鸟}\ndescription: {en: Open., zh-CN: 公开。}\n"
                               "languages: [en, zh-CN, pt-BR]\n")
    assert config.language == "en" and config.title == "Tallybird" and config.description == "Open."
    assert [(lang.tag, lang.folder, lang.name, lang.title) for lang in config.languages] == [
        ("en", "", "English", "Tallybird"), ("zh-CN", "zh/", "中文", "记账鸟"), ("pt-BR", "pt/", "Português", "Tallybird")]
    view = config.in_language(config.languages[1])
    assert (view.language, view.title, view.description, view.language_folder) == ("zh-CN", "记账鸟", "公开。", "zh/")
    assert view.languages == config.languages and view.root == config.root
    assert config.untranslated == "own_language"


def test_languages_may_name_their_prefix_and_name_and_share_a_language(tmp_path: Path) -> None:
    config = _config(tmp_path, "title: T\nlanguages:\n  zh-CN:\n  zh-TW: {prefix: /hant/}\n  en: {name: Intl}\n"
                               "untranslated: every_language\n")
    assert [(lang.tag, lang.folder, lang.name) for lang in config.languages] == [
        ("zh-CN", "", "中文 (简体, 中国)"), ("zh-TW", "hant/", "中文 (繁體, 台灣)"), ("en", "en/", "Intl")]
    assert config.untranslated == "every_language"
    assert [lang.folder for lang in _config(tmp_path, "title: T\nlanguages: [en, zh-CN, zh-TW]\n").languages] == \
        ["", "zh-cn/", "zh-tw/"]


@pytest.mark.parametrize(("text", "expected"), [
    ("languages: [en, xx-nope]", "site.yaml:2:17: 'languages' names 'xx-nope', which is not a known language tag"),
    ("languages: [en, EN]", "site.yaml:2:17: 'languages' names EN twice"),
    ("language: de\nlanguages: [en, zh-CN]", "site.yaml:2:1: 'language' is de but 'languages' starts with en"),
    ("languages: {en: {prefix: en}, zh-CN: }", "the first language, en, is the site's default: its pages are at"),
    ("languages: {en: , zh-CN: {prefix: 'a b'}}", "'prefix' of zh-CN must be a folder name such as zh, found 'a b'"),
    ("languages: {en: , zh-CN: {prefix: cn}, zh-TW: {prefix: cn}}", "zh-TW and zh-CN share the folder /cn/"),
    ("languages: {en: , zh-CN: {folder: cn}}", "unknown key 'languages.zh-CN.folder'"),
    ("languages: {en: , zh-CN: cn}", "'languages.zh-CN' must be a mapping with prefix and name"),
    ("languages: 5", "'languages' must be a list or a mapping"),
    ("languages: [en, zh-CN]\nuntranslated: everywhere", "'untranslated' must be one of own_language, every_language"),
])
def test_bad_languages_are_located_errors(tmp_path: Path, text: str, expected: str) -> None:
    errors = _errors(tmp_path, f"title: T\n{text}\n")
    assert any(expected in error for error in errors), errors


def test_the_cli_reports_a_bad_language_without_a_traceback(tmp_path: Path, runner) -> None:
    from generator.cli import main

    (tmp_path / "site.yaml").write_text("title: T\nlanguages: [en, klingon-XX]\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--site", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "site.yaml:2:17: error: 'languages' names 'klingon-XX'" in result.output


def test_the_readmes_example_is_a_valid_site_in_two_languages(tmp_path: Path) -> None:
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Two languages", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert len(example.strip().splitlines()) <= 10
    config = _config(tmp_path, example)
    assert [(lang.tag, lang.folder, lang.title) for lang in config.languages] == [
        ("zh-CN", "", "对账猫公开经营"), ("en", "en/", "Reconcat in the open")]
    assert config.untranslated == "every_language" and config.metrics.cost_names["服务器"].get("en") == "Servers"

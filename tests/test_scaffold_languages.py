"""Scaffolds in the site's language (issue 23): `init --language` and `--languages`, `new post --lang`, the
report's tags and the site's own metrics, and the preview server's pages, all from the string table."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import pytest
import yaml
from click.testing import CliRunner
from conftest import BUILD_TIME
from test_examples_zh import english_words, visible_texts

from generator.build import build_site, check_site
from generator.cli import main
from generator.errors import Diagnostic
from generator.scaffold import render_site_files
from generator.scaffold.wording import LINES
from generator.serve.memory import Snapshot, render_error_page, route_request

TODAY = date(2026, 1, 10)
_PINNED = re.compile(r"@[0-9a-f]{40}\s+# v[\d.]+$")


def _init(runner: CliRunner, target: Path, *options: str) -> Path:
    result = runner.invoke(main, ["init", str(target), "--title", "小账本", *options])
    assert result.exit_code == 0, result.output
    return target


def test_init_in_chinese_then_build_shows_no_english_word_a_reader_sees(runner: CliRunner, tmp_path: Path) -> None:
    site = _init(runner, tmp_path / "site", "--language", "zh-CN")
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert config["language"] == "zh-CN" and config["metrics"]["currency"] == "CNY"
    assert config["categories"]["finances"]["name"] == "财务"
    build_site(site, tmp_path / "out", now=BUILD_TIME.replace(year=2027))
    pages = [p for p in sorted((tmp_path / "out").rglob("*")) if p.suffix in (".html", ".svg") or p.name == "feed.xml"]
    assert len(pages) > 40
    leftovers = {page.relative_to(tmp_path / "out").as_posix(): sorted(words) for page in pages
                 if (words := set().union(*(english_words(text) for text in visible_texts(page))))}
    assert leftovers == {}
    assert "<h1>我们为什么公开经营数据</h1>" in next((tmp_path / "out").glob("*/*/why-we-publish-our-numbers/index.html")
                                                   ).read_text(encoding="utf-8")


def _worded(line: str) -> bool:
    """Return True for a line a person reads: a comment in words, or a text value (not a commented-out key)."""
    if _PINNED.search(line) or re.match(r"\s*#\s*[a-z_]+:", line):
        return False
    comment = line.split("#", 1)[1] if "#" in line else ""
    return bool(re.search(r"[A-Za-z]{3,}[ ,.][^#]*[A-Za-z]{3,}", comment)) or \
        bool(re.match(r"(description|\s+(description|name|bio)): .*[A-Za-z]{3,} ", line))


def _packaged_lines(private: bool) -> dict[str, list[str]]:
    files = render_site_files("T", today=TODAY, languages=("en",), private_numbers=private)
    return {str(path): [line for line in text.splitlines() if _worded(line)] for path, text in files.items()
            if path.parts[0] != "content" and path.suffix != ".csv" and "templates" not in path.parts}


@pytest.mark.parametrize("tag", sorted(LINES))
def test_every_worded_line_of_the_packaged_files_has_a_translation(tag: str) -> None:
    lines = {path: lines for private in (False, True) for path, lines in _packaged_lines(private).items()}
    assert len([line for found in lines.values() for line in found]) > 30
    missing = {path: [line for line in found if line not in LINES[tag] and not line.startswith("language: ")]
               for path, found in lines.items()}
    assert {path: found for path, found in missing.items() if found} == {}


def test_a_new_chinese_site_has_no_english_comment(runner: CliRunner, tmp_path: Path) -> None:
    files = render_site_files("小账本", today=TODAY, languages=("zh-CN",), private_numbers=True)
    english = {str(path): [line for line in text.splitlines() if _worded(line)
                           and not re.search(r"[\u4e00-\u9fff]", line)]
               for path, text in files.items() if path.parts[0] != "content" and "templates" not in path.parts}
    assert {path: lines for path, lines in english.items() if lines} == {}
    assert files[PurePosixPath("private-numbers/README.md")].startswith("# 你的数字")


def test_init_in_two_languages_pairs_every_sample_and_checks_clean(runner: CliRunner, tmp_path: Path) -> None:
    site = _init(runner, tmp_path / "site", "--languages", "zh-CN,en")
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert config["languages"] == ["zh-CN", "en"]
    assert config["categories"]["finances"]["name"] == {"zh-CN": "财务", "en": "Finances"}
    assert config["metrics"]["cost_names"] == {"工资": {"en": "Payroll"}, "服务器": {"en": "Hosting"},
                                               "软件": {"en": "Software"}}
    names = sorted(p.name for p in (site / "content/posts").iterdir())
    assert len(names) == 6 and sum(name.endswith(".en.md") for name in names) == 3
    checked = check_site(site, now=BUILD_TIME.replace(year=2027))
    assert [d.format() for d in checked.diagnostics if d.severity != "note"] == []
    english = checked.build.site.translations[0]
    assert {page.path for page in english.renders if page.kind.value == "post"} == \
        {"en/" + page.path for page in checked.build.site.renders if page.kind.value == "post"}
    about = next(f for f in checked.build.files if f.path == "en/about/index.html").data.decode()
    assert 'href="/en/archive/"' in about and 'href="/en/feed.xml"' in about


@pytest.mark.parametrize(("options", "message"), [
    (("--language", "xx-nope"), "'xx-nope' is not a known language tag"),
    (("--languages", "en,nope-nope"), "'nope-nope' is not a known language tag"),
    (("--language", "en", "--languages", "en,zh-CN"), "give --language or --languages, not both"),
])
def test_init_refuses_an_unknown_language_and_writes_nothing(runner: CliRunner, tmp_path: Path, options,
                                                             message: str) -> None:
    result = runner.invoke(main, ["init", str(tmp_path / "site"), *options])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_new_post_writes_its_body_in_the_sites_language_or_lang(make_site, runner: CliRunner) -> None:
    site = make_site(config="title: T\nbase_url: https://t.example/\nlanguage: zh-CN\n")
    result = runner.invoke(main, ["new", "post", "第一年", "--site", str(site)])
    assert result.exit_code == 0, result.output
    text = next((site / "content/posts").glob("*.md")).read_text(encoding="utf-8")
    assert "第一段：发生了什么" in text and "## 我们学到了什么" in text and "lang:" not in text
    result = runner.invoke(main, ["new", "post", "Our year", "--lang", "en", "--site", str(site)])
    assert result.exit_code == 0, result.output
    english = next((site / "content/posts").glob("*our-year.md")).read_text(encoding="utf-8")
    assert "lang: en\n" in english and "The first paragraph: what happened" in english


def test_new_post_lang_on_a_site_in_several_languages_is_one_of_them(make_site, runner: CliRunner) -> None:
    site = make_site(config="title: T\nbase_url: https://t.example/\nlanguages: [zh-CN, en]\n")
    result = runner.invoke(main, ["new", "post", "Hello", "--lang", "EN", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert "lang: en\n" in next((site / "content/posts").glob("*hello.md")).read_text(encoding="utf-8")
    result = runner.invoke(main, ["new", "post", "Bonjour", "--lang", "fr", "--site", str(site)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "--lang fr: the site's languages are zh-CN, en" in result.output


def test_new_report_takes_its_tag_from_the_string_table_and_lists_the_sites_own_metrics(runner: CliRunner,
                                                                                       tmp_path: Path) -> None:
    import shutil

    from conftest import REPO
    site = tmp_path / "zh"
    shutil.copytree(REPO / "examples/zh", site)
    result = runner.invoke(main, ["new", "report", "2025-07", "--site", str(site)])
    assert result.exit_code == 0, result.output
    text = next((site / "content/posts").glob("2025-08-01-*.md")).read_text(encoding="utf-8")
    assert "tags: [月报]" in text
    assert "## 我们自己的指标" in text and "{{ metric referral_rate 2025-07 }}" in text
    assert "- 推荐率：{{ metric referral_rate 2025-07 }}" in text


def test_the_preview_servers_pages_speak_the_sites_language() -> None:
    failed = Snapshot("v1", "/", MappingProxyType({}), errors=(Diagnostic("x", Path("a.md"), 1),), language="zh-CN")
    page = render_error_page(failed).decode()
    assert '<html lang="zh-CN">' in page and "<h1>构建失败</h1>" in page and "修正下面的问题并保存" in page
    missing = route_request(Snapshot("v1", "/open/", language="zh-CN"), "/elsewhere/")
    assert missing.status == 404 and "本站在 /open/ 之下。" in missing.body.decode()
    english = render_error_page(Snapshot("v1", "/", errors=(Diagnostic("x"), Diagnostic("y")))).decode()
    assert "<h1>Build failed</h1>" in english and "Fix these problems and save" in english


def test_the_preview_server_answers_a_missing_page_with_its_languages_404() -> None:
    files = MappingProxyType({"404.html": b"root", "en/404.html": b"english", "en/index.html": b"home"})
    assert route_request(Snapshot("v1", "/", files), "/en/nope/").body == b"english"
    assert route_request(Snapshot("v1", "/", files), "/nope/deeper/").body == b"root"

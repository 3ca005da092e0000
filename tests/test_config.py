"""site.yaml to SiteConfig: defaults, types, unknown keys, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError


def _config(tmp_path: Path, text: str, **kwargs):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path, **kwargs)


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, text)
    return [d.format() for d in info.value.diagnostics]


def test_load_config_fills_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path, "title: Acme\n")
    assert config.title == "Acme"
    assert config.base_url == "http://localhost:8000/"
    assert config.language == "en" and config.timezone == "UTC"
    assert config.posts_per_page == 10 and config.permalink == "/{year}/{month}/{slug}/"
    assert [c.slug for c in config.categories] == ["finances", "culture", "startup-life"]
    assert config.categories[2].name.get("zh-CN") == "创业日常"
    assert config.categories[2].name.get("en") == "Startup life"
    assert config.navigation is None and config.metrics is None


def test_load_config_reads_every_key(tmp_path: Path) -> None:
    config = _config(tmp_path, """
title: Acme
description: We build in public.
base_url: https://acme.github.io/open
language: zh-CN
timezone: Asia/Shanghai
authors:
  mei: {name: Mei Chen, url: https://mei.example}
  sam: Sam Okafor
categories:
  money: {name: {en: Money, zh-CN: 钱}, description: Cash.}
  people: People
navigation:
  - {title: {en: About, zh-CN: 关于}, url: /about/}
posts_per_page: 3
permalink: /posts/{slug}.html
feed_limit: 5
highlight: {light: friendly, dark: monokai}
extra: {repository: https://example.com/repo, nested: {a: [1, 2]}}
""")
    assert config.base_url == "https://acme.github.io/open/" and config.base_path == "/open/"
    assert config.language == "zh-CN" and config.zone.key == "Asia/Shanghai"
    assert config.authors["mei"].url == "https://mei.example" and config.authors["sam"].name == "Sam Okafor"
    assert config.default_author == "mei"
    assert [c.slug for c in config.categories] == ["money", "people"]
    assert config.categories[0].name.get("zh-CN") == "钱" and config.categories[0].description.get("en") == "Cash."
    assert config.navigation[0].title.get("zh-CN") == "关于" and config.navigation[0].url == "/about/"
    assert (config.posts_per_page, config.permalink, config.feed_limit) == (3, "/posts/{slug}.html", 5)
    assert (config.highlight_light, config.highlight_dark) == ("friendly", "monokai")
    assert config.extra["nested"]["a"] == (1, 2)
    with pytest.raises(TypeError):
        config.extra["new"] = 1  # type: ignore[index]


def test_single_author_string_becomes_default(tmp_path: Path) -> None:
    config = _config(tmp_path, "title: Acme\nauthor: Mei Chen\n")
    assert config.default_author == "mei-chen" and config.authors["mei-chen"].name == "Mei Chen"


def test_unknown_key_suggests_the_closest_one_with_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "title: Acme\ndescription: x\ntimezon: UTC\n")
    assert errors == [f"{tmp_path / 'site.yaml'}:3:1: unknown key 'timezon' (did you mean 'timezone'?)"]


def test_other_generators_spellings_get_a_rename_hint(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "title: Acme\nbaseURL: https://a.example/\n")
    assert errors[0].endswith("unknown key 'baseURL' (write 'base_url' instead)")


def test_unknown_nested_key_is_reported_with_its_path(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "title: Acme\ncategories:\n  money:\n    name: Money\n    colour: red\n")
    assert errors[0].endswith(":5:5: unknown key 'categories.money.colour' (known keys: description, name)")


@pytest.mark.parametrize(("text", "expected"), [
    ("posts_per_page: ten", "'posts_per_page' must be a whole number, found a string ('ten')"),
    ("posts_per_page: 0", "'posts_per_page' must be at least 1, found 0"),
    ("title: [a, b]", "'title' must be a string or a mapping (key: value lines), found a list"),
    ("extra: [a]", "'extra' must be a mapping (key: value lines), found a list"),
    ("base_url: acme.com", "'base_url' must be a full http(s) address, found 'acme.com'"),
    ("timezone: Asia/Shangai", "'timezone' is not an IANA time zone: 'Asia/Shangai'; did you mean 'Asia/Shanghai'?"),
    ("language: klingon-xx", "'language' is not a known language tag: 'klingon-xx'"),
    ("permalink: /{yaer}/{slug}/", "'permalink' uses unknown placeholder {yaer}; did you mean 'year'?"),
    ("permalink: /{year}/", "'permalink' must contain {slug}"),
    ("permalink: '{slug}/'", "'permalink' must start with '/'"),
    ("highlight: {dark: monokia}", "'highlight.dark' is not a Pygments style: 'monokia'; did you mean 'monokai'?"),
    ("navigation: [About]", "navigation[0] must be a mapping with title and url"),
])
def test_wrong_values_name_the_key_and_what_is_expected(tmp_path: Path, text: str, expected: str) -> None:
    prefix = "description: x\n" if text.startswith("title:") else "title: Acme\n"  # no duplicate key
    errors = _errors(tmp_path, f"{prefix}{text}\n")
    assert any(expected in e for e in errors), errors
    assert all(":2:" in e or ":3:" in e for e in errors), "the error points at the offending line"


def test_all_problems_are_reported_together_in_line_order(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "title: Acme\nposts_per_page: x\nlanguag: en\nfeed_limit: -1\n")
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4"]


def test_missing_title_is_an_error_with_a_hint(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "description: no title here\n")
    assert "missing required key 'title'" in errors[0] and "title: Your startup" in errors[0]


def test_broken_yaml_reports_only_the_syntax_error(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "title: Acme\ndescription: one: two\n")
    assert len(errors) == 1 and ":2:" in errors[0] and "invalid YAML" in errors[0]


def test_config_that_is_not_a_mapping(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "- just\n- a list\n")
    assert any("must be a mapping of keys" in e for e in errors)


def test_missing_site_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no site.yaml in"):
        load_config(tmp_path)


def test_base_url_override_is_validated_and_applied(tmp_path: Path) -> None:
    config = _config(tmp_path, "title: Acme\nbase_url: https://a.example/\n", base_url="https://b.example/sub")
    assert config.base_url == "https://b.example/sub/" and config.base_path == "/sub/"
    with pytest.raises(ConfigError, match="--base-url must be a full http"):
        _config(tmp_path, "title: Acme\n", base_url="b.example")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_bytes("\ufefftitle: 开放公司\n".encode("utf-8"))
    assert load_config(tmp_path).title == "开放公司"

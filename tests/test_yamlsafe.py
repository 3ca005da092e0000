"""Bounded YAML: alias bombs, self-reference, deep nesting, duplicate keys and tabs, in site.yaml and front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.config.yamlsafe import parse_yaml
from generator.content import load_content
from generator.errors import ConfigError, ContentError, GeneratorError
from generator.limits import YAML_MAX_DEPTH, YAML_MAX_NODES
from conftest import BUILD_TIME


def _bomb(levels: int = 9) -> str:
    """Return 'billion laughs': each anchor holds nine aliases of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _only(error: GeneratorError) -> tuple[int | None, str]:
    assert len(error.diagnostics) == 1, error.diagnostics
    return error.diagnostics[0].line, error.diagnostics[0].message


def test_parse_yaml_refuses_an_alias_bomb_at_the_line_that_crosses_the_limit() -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_yaml(_bomb(), Path("site.yaml"))
    line, message = _only(caught.value)
    assert f"more than {YAML_MAX_NODES:,} values" in message
    assert line == 6  # a5 expands to 9**6 = 531,441 values; a4 (59,049) is still fine


def test_parse_yaml_accepts_ordinary_anchors_and_merge_keys() -> None:
    data, _ = parse_yaml("base: &base {a: 1, b: 2}\none: {<<: *base, b: 3}\ntwo: *base\n", Path("x.yaml"))
    assert data["one"] == {"a": 1, "b": 3} and data["two"] == {"a": 1, "b": 2}


def test_parse_yaml_refuses_an_alias_inside_its_own_anchor() -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_yaml("title: x\nloop: &a [1, *a]\n", Path("site.yaml"))
    assert _only(caught.value) == (2, "an alias refers to the value that contains it")


def test_parse_yaml_refuses_nesting_deeper_than_the_limit() -> None:
    depth = YAML_MAX_DEPTH  # each level is a mapping plus its value: twice the limit in nodes
    text = "".join("  " * i + "k:\n" for i in range(depth)) + "  " * depth + "v: 1\n"
    with pytest.raises(GeneratorError) as caught:
        parse_yaml(text, Path("site.yaml"))
    line, message = _only(caught.value)
    assert f"nested more than {YAML_MAX_DEPTH} levels" in message and line is not None and line <= depth + 1


def test_parse_yaml_reports_a_duplicate_key_at_its_second_line_naming_the_first() -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_yaml("title: A\nlanguage: en\ntitle: B\n", Path("site.yaml"))
    line, message = _only(caught.value)
    assert line == 3 and "duplicate key 'title' (first on line 1)" in message


def test_parse_yaml_names_a_tab_as_a_tab_at_its_line_and_column() -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_yaml("title: A\nauthor:\n\tname: B\n", Path("site.yaml"))
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.line, diagnostic.column) == (3, 1)
    assert "tab" in diagnostic.message and "spaces" in diagnostic.message


def test_load_config_reports_a_bomb_in_site_yaml_without_expanding_it(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nextra:\n" + "".join("  " + line + "\n"
                                        for line in _bomb().splitlines()), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert "more than" in caught.value.diagnostics[0].message


def test_load_config_reports_a_duplicate_key(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://a.example/\nbase_url: https://b.example/\n",
                                        encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.diagnostics[0].line == 3 and "duplicate key 'base_url'" in caught.value.diagnostics[0].message


def test_front_matter_bomb_is_a_content_error_at_its_file_line(make_site) -> None:
    body = "---\ntitle: Bomb\ndate: 2024-01-01\n" + _bomb() + "---\nText.\n"
    root = make_site({"content/posts/bomb.md": body})
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.path == root / "content/posts/bomb.md" and diagnostic.line == 9  # a5's line in the file
    assert "more than" in diagnostic.message


def test_front_matter_duplicate_key_is_reported_at_its_line(make_site) -> None:
    root = make_site({"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\nText.\n"})
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    assert caught.value.diagnostics[0].line == 4 and "duplicate key 'title'" in caught.value.diagnostics[0].message


def test_front_matter_tab_is_named_at_its_file_line(make_site) -> None:
    root = make_site({"content/posts/a.md": b"---\ntitle: A\ntags:\n\t- x\n---\nText.\n"})
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.line == 4 and "a tab character" in diagnostic.message


def test_front_matter_unclosed_quote_points_at_the_quote(make_site) -> None:
    root = make_site({"content/posts/a.md": '---\ntitle: "Our year\ndate: 2024-01-01\n---\nText.\n'})
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    assert caught.value.diagnostics[0].line == 2


def test_toml_front_matter_error_is_at_its_file_line(make_site) -> None:
    root = make_site({"content/posts/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\ntags = ["a"\n+++\nText.\n'})
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    assert caught.value.diagnostics[0].line in (4, 5)
    assert "TOML" in caught.value.diagnostics[0].message

"""Plain-text fields stay plain: control characters in site.yaml, base_url markup (script URLs: test_urls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError
from generator.plaintext import find_control_characters, strip_control_characters


def test_find_control_characters_gives_line_column_and_name() -> None:
    found = list(find_control_characters("ok\tfine\r\nbad \x1b[31m and \x00"))
    assert [(c.line, c.column) for c in found] == [(2, 5), (2, 15)]
    assert found[0].name == "U+001B (escape)" and found[1].name == "U+0000 (null)"
    assert strip_control_characters("a\x0bb\x7fc\td") == "abc\td"


def _errors(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "site.yaml").write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    return [d.format() for d in caught.value.diagnostics]


@pytest.mark.parametrize("base_url", ['https://acme.example/"><script>x</script>/', "https://acme.example/o'pen/",
                                      "https://acme.example/a b/", "https://acme.example/<b>/"])
def test_base_url_with_quotes_or_markup_is_refused_at_its_line(tmp_path: Path, base_url: str) -> None:
    quoted = base_url.replace("'", "''")
    errors = _errors(tmp_path, f"title: T\nbase_url: '{quoted}'\n")
    assert len(errors) == 1 and ":2:" in errors[0] and "must not hold spaces, quotes or markup" in errors[0]


@pytest.mark.parametrize(("yaml_text", "line"), [
    ("navigation:\n  - {title: Home, url: 'javascript:alert(1)'}\n", 3),
    ("author: {name: Ann, url: 'data:text/html,<script>x</script>'}\n", 2),
    ("authors:\n  ann: {name: Ann, url: ' vbscript:x'}\n", 3),
    ("extra:\n  links:\n    - 'javascript:alert(document.cookie)'\n", 4),
])
def test_script_urls_in_site_yaml_are_refused_at_their_line(tmp_path: Path, yaml_text: str, line: int) -> None:
    errors = _errors(tmp_path, "title: T\n" + yaml_text)
    assert len(errors) == 1, errors
    assert f":{line}:" in errors[0] and "URL, which runs code" in errors[0]


def test_control_character_escaped_in_site_yaml_is_refused_at_its_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, 'title: T\ndescription: "Numbers \\e[31min red"\n')
    assert len(errors) == 1 and ":2:" in errors[0] and "U+001B (escape)" in errors[0]


def test_site_yaml_that_is_not_utf8_names_its_line_and_column(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "title: T\ndescription: caf\xe9\n".encode("latin-1"))
    assert len(errors) == 1 and "site.yaml:2:17:" in errors[0] and "0xe9" in errors[0] and "UTF-8" in errors[0]

"""Tests for generator.content.frontmatter: YAML and TOML blocks, bodies, and errors at file lines."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.content.frontmatter import FrontMatter, parse_front_matter
from generator.errors import ContentError, Diagnostic

PATH = Path("content/posts/launch.md")


def error_of(text: str) -> Diagnostic:
    with pytest.raises(ContentError) as caught:
        parse_front_matter(text, PATH)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == PATH
    return diagnostic


def test_parse_front_matter_reads_yaml() -> None:
    text = "---\ntitle: Launch\ndate: 2024-03-01\ntags: [a, b]\n---\nBody line.\n"

    front = parse_front_matter(text, PATH)

    assert front.data == {"title": "Launch", "date": date(2024, 3, 1), "tags": ["a", "b"]}
    assert front.body == "Body line.\n"
    assert front.body_line == 6
    assert front.key_lines == {"title": 2, "date": 3, "tags": 4}
    assert front.line_of("tags") == 4
    assert front.line_of("missing") is None


def test_parse_front_matter_reads_toml() -> None:
    text = '+++\ntitle = "Launch"\ndate = 2024-03-01T10:00:00+08:00\ndraft = true\n+++\nBody.'

    front = parse_front_matter(text, PATH)

    assert front.data == {
        "title": "Launch",
        "date": datetime(2024, 3, 1, 10, tzinfo=timezone(timedelta(hours=8))),
        "draft": True,
    }
    assert front.body == "Body."
    assert front.body_line == 6
    assert front.key_lines == {"title": 2, "date": 3, "draft": 4}


def test_parse_front_matter_without_block_returns_whole_text() -> None:
    text = "# Launch\n\nNo front matter here.\n"

    assert parse_front_matter(text, PATH) == FrontMatter({}, text, 1, {})


@pytest.mark.parametrize(("text", "data", "body", "body_line"), [
    pytest.param("---\ntitle: A\n...\nBody", {"title": "A"}, "Body", 4, id="yaml-dots-close"),
    pytest.param("\ufeff---\ntitle: A\n---\nBody", {"title": "A"}, "Body", 4, id="byte-order-mark"),
    pytest.param("---   \ntitle: A\n---  \nBody", {"title": "A"}, "Body", 4, id="trailing-spaces-on-fences"),
    pytest.param("---\n---\nBody", {}, "Body", 3, id="empty-yaml-block"),
    pytest.param("---\n# just a comment\n---\nBody", {}, "Body", 4, id="comment-only-block"),
    pytest.param("+++\n+++\nBody", {}, "Body", 3, id="empty-toml-block"),
    pytest.param("---\ntitle: A\n---\n\n---\n\nAfter a rule.", {"title": "A"}, "\n---\n\nAfter a rule.", 4,
                 id="later-rule-stays-in-body"),
])
def test_parse_front_matter_splits_block_and_body(text: str, data: dict, body: str, body_line: int) -> None:
    front = parse_front_matter(text, PATH)

    assert (front.data, front.body, front.body_line) == (data, body, body_line)


def test_parse_front_matter_keeps_impossible_yaml_date_as_text() -> None:
    front = parse_front_matter("---\ndate: 2024-02-30\nupdated: 2024-02-29\n---\n", PATH)

    assert front.data == {"date": "2024-02-30", "updated": date(2024, 2, 29)}


def test_parse_front_matter_keeps_non_string_keys_as_text() -> None:
    front = parse_front_matter("---\n2024: year\ntrue: yes\n---\n", PATH)

    assert front.data == {"2024": "year", "True": True}


def test_parse_front_matter_key_lines_skip_nested_yaml_keys() -> None:
    text = "---\nextra:\n  date: nested\n  title: nested\ndate: 2024-03-01\n---\n"

    assert parse_front_matter(text, PATH).key_lines == {"extra": 2, "date": 5}


def test_parse_front_matter_key_lines_skip_toml_tables() -> None:
    text = '+++\ntitle = "A"\ndate = "nope"\n[params]\ndate = "other"\n+++\n'

    front = parse_front_matter(text, PATH)

    assert front.data["params"] == {"date": "other"}
    assert front.line_of("date") == 3


@pytest.mark.parametrize(("text", "line", "column", "fragment"), [
    # Line 4 of the file is line 3 of the block; the second ':' sits at column 17.
    pytest.param("---\ntitle: Our year\ndate: 2024-03-01\nsummary: Revenue: up\n---\nBody",
                 4, 17, "mapping values are not allowed", id="colon-in-value"),
    pytest.param("---\ntitle: A\n  date: 2024-03-01\n---\n", 3, 7, "mapping values are not allowed",
                 id="bad-indentation"),
])
def test_parse_front_matter_reports_yaml_error_at_file_line(text: str, line: int, column: int,
                                                             fragment: str) -> None:
    diagnostic = error_of(text)

    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert diagnostic.message.startswith("invalid YAML: ")
    assert fragment in diagnostic.message
    assert "quote values" in diagnostic.hint
    assert diagnostic.format().startswith(f"{PATH.as_posix()}:{line}:{column}: invalid YAML")


def test_parse_front_matter_reports_unclosed_yaml_bracket_where_it_opens() -> None:
    diagnostic = error_of("---\ntitle: A\ntags: [a, b\n---\nBody")

    assert diagnostic.line == 3
    assert diagnostic.message.startswith("invalid YAML: ")


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_parse_front_matter_reports_unterminated_block(fence: str) -> None:
    diagnostic = error_of(f"{fence}\ntitle: A\ndate: 2024-03-01\n\nThe body never started.\n")

    assert diagnostic.line == 1
    assert f"opened with '{fence}' on line 1 is never closed" in diagnostic.message
    assert f"add a line with '{fence}'" in diagnostic.hint


@pytest.mark.parametrize("block", ["- one\n- two", "just a sentence", "42"])
def test_parse_front_matter_rejects_block_that_is_not_a_mapping(block: str) -> None:
    diagnostic = error_of(f"---\n{block}\n---\nBody")

    assert diagnostic.line == 2
    assert diagnostic.message == "front matter must be 'key: value' lines"
    assert "title: My post" in diagnostic.hint


def test_parse_front_matter_reports_toml_error_at_file_line() -> None:
    # `date = 2024-02-30` is line 3 of the file; its value starts at column 8.
    diagnostic = error_of('+++\ntitle = "A"\ndate = 2024-02-30\n+++\n')

    assert (diagnostic.line, diagnostic.column) == (3, 8)
    assert diagnostic.message.startswith("invalid TOML front matter: ")
    assert "(at line" not in diagnostic.message
    assert "'+++'" in diagnostic.hint


def test_parse_front_matter_reports_toml_error_at_end_of_block_on_its_last_line() -> None:
    diagnostic = error_of('+++\ntitle = "never closed\n+++\n')

    assert diagnostic.message == "invalid TOML front matter: Unterminated string"
    assert diagnostic.line == 2  # tomllib says "at end of document": the unclosed quote is on the last line

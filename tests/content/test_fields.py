"""Tests for generator.content.fields: front matter values to dates, categories, tags and flags."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import BUILD_TIME

from generator.config import SiteConfig, load_config
from generator.content.fields import FieldReader, extra_fields, match_category, parse_datetime
from generator.content.frontmatter import parse_front_matter

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
PATH = Path("content/posts/launch.md")


@pytest.fixture
def config(make_site) -> SiteConfig:
    """A site in Asia/Shanghai with the default beats (finances, culture, startup-life)."""
    root = make_site(config="title: Test Co\nbase_url: https://test.example/\ntimezone: Asia/Shanghai\n")
    return load_config(root)


def reader_for(front_matter: str, config: SiteConfig) -> FieldReader:
    return FieldReader(parse_front_matter(f"---\n{front_matter}---\nBody\n", PATH), PATH, config)


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param(date(2024, 3, 1), datetime(2024, 3, 1, tzinfo=SHANGHAI), id="date-is-midnight-site-time"),
    pytest.param(datetime(2024, 3, 1, 10, 30), datetime(2024, 3, 1, 2, 30, tzinfo=UTC), id="naive-is-site-time"),
    pytest.param(datetime(2024, 3, 1, 10, 30, tzinfo=timezone(timedelta(hours=-5))),
                 datetime(2024, 3, 1, 15, 30, tzinfo=UTC), id="aware-kept"),
    pytest.param("2024-03-01", datetime(2024, 3, 1, tzinfo=SHANGHAI), id="iso-date-string"),
    pytest.param("2024-03-01 10:30", datetime(2024, 3, 1, 2, 30, tzinfo=UTC), id="string-without-seconds"),
    pytest.param("2024-03-01T10:30:00+02:00", datetime(2024, 3, 1, 8, 30, tzinfo=UTC), id="iso-offset"),
    pytest.param("2024-03-01T10:30:00Z", datetime(2024, 3, 1, 10, 30, tzinfo=UTC), id="iso-z"),
    pytest.param("2013-08-02 23:57:21.000000000 +08:00", datetime(2013, 8, 2, 15, 57, 21, tzinfo=UTC),
                 id="jekyll-nanoseconds-space-offset"),
    pytest.param("2013-08-02 23:57:21 +0800", datetime(2013, 8, 2, 15, 57, 21, tzinfo=UTC), id="offset-no-colon"),
    pytest.param("2024/03/04", datetime(2024, 3, 4, tzinfo=SHANGHAI), id="slashes"),
    pytest.param("March 4, 2024", datetime(2024, 3, 4, tzinfo=SHANGHAI), id="month-name"),
    pytest.param("4 Mar 2024", datetime(2024, 3, 4, tzinfo=SHANGHAI), id="day-month-year"),
])
def test_parse_datetime_returns_aware_instant(value: Any, expected: datetime) -> None:
    parsed = parse_datetime(value, SHANGHAI)

    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(("value", "offset_hours"), [
    (date(2024, 3, 1), 8),
    (datetime(2024, 3, 1, 10, 30), 8),
    ("2024-03-01 10:30", 8),
    ("2024-03-01T10:30:00-05:00", -5),
    ("2013-08-02 23:57:21.000000000 +08:00", 8),
])
def test_parse_datetime_keeps_written_offset_or_applies_site_zone(value: Any, offset_hours: int) -> None:
    assert parse_datetime(value, SHANGHAI).utcoffset() == timedelta(hours=offset_hours)


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "yesterday", "03/04/2024", "", 20240301, True, None,
                                   ["2024-03-01"]])
def test_parse_datetime_rejects_non_dates(value: Any) -> None:
    assert parse_datetime(value, SHANGHAI) is None


@pytest.mark.parametrize(("name", "expected"), [
    ("finances", "finances"),
    ("Finances", "finances"),
    ("startup-life", "startup-life"),
    ("Startup life", "startup-life"),
    ("startup_life", "startup-life"),
    ("财务", "finances"),
    ("创业日常", "startup-life"),
    ("engineering", None),
    ("finance", None),
])
def test_match_category_by_slug_or_display_name(name: str, expected: str | None, config: SiteConfig) -> None:
    assert match_category(name, config) == expected


def test_match_category_reads_custom_categories(make_site) -> None:
    root = make_site(config="""\
        title: Test Co
        categories:
          growth: {name: {en: Growth, zh-CN: 增长}}
        """)
    config = load_config(root)

    assert match_category("增长", config) == "growth"
    assert match_category("finances", config) is None


def test_category_reports_unknown_name_with_suggestion(config: SiteConfig) -> None:
    reader = reader_for("title: A\ncategory: Finanses\n", config)

    assert reader.category() == (None, ())
    (problem,) = reader.problems
    assert problem.message == "unknown category 'Finanses'"
    assert problem.line == 3
    assert problem.hint == "did you mean 'finances'? valid: culture, finances, startup-life"


@pytest.mark.parametrize(("front_matter", "expected"), [
    pytest.param("category: Culture\n", ("culture", ()), id="explicit-display-name"),
    pytest.param("categories: [Engineering, Finances, Remote]\n", ("finances", ("Engineering", "Remote")),
                 id="jekyll-list-first-beat-wins"),
    pytest.param("categories: engineering culture remote\n", ("culture", ("engineering", "remote")),
                 id="jekyll-space-separated"),
    pytest.param("categories: culture finances\n", ("culture", ("finances",)), id="later-beat-becomes-tag"),
    pytest.param("categories: [Engineering, Remote]\n", (None, ("Engineering", "Remote")), id="no-beat-all-tags"),
    pytest.param("categories: Startup life, culture\n", ("startup-life", ("culture",)), id="comma-string"),
    pytest.param("category: culture\ncategories: [finances, remote]\n", ("culture", ()), id="category-wins"),
    pytest.param("title: A\n", (None, ()), id="none"),
])
def test_category_reads_category_and_jekyll_categories(front_matter: str, expected: tuple, config: SiteConfig) -> None:
    reader = reader_for(front_matter, config)

    assert reader.category() == expected
    assert reader.problems == []


@pytest.mark.parametrize(("value", "split_spaces", "expected"), [
    ("[remote, hiring]", True, ("remote", "hiring")),
    ("remote, hiring ,  ", True, ("remote", "hiring")),
    ("remote hiring", True, ("remote", "hiring")),
    ("Jane Doe", False, ("Jane Doe",)),
    ("Jane Doe, Li Wei", False, ("Jane Doe", "Li Wei")),
    ("[2024, open]", True, ("2024", "open")),
    ("远程, 招聘", True, ("远程", "招聘")),
    ("[]", True, ()),
])
def test_text_list_reads_list_or_string(value: str, split_spaces: bool, expected: tuple, config: SiteConfig) -> None:
    reader = reader_for(f"tags: {value}\n", config)

    assert reader.text_list("tags", split_spaces=split_spaces) == expected
    assert reader.problems == []


def test_text_list_reports_mapping(config: SiteConfig) -> None:
    reader = reader_for("title: A\ntags:\n  a: 1\n", config)

    assert reader.text_list("tags", split_spaces=True) == ()
    (problem,) = reader.problems
    assert (problem.message, problem.line) == ("'tags' must be a list of names", 3)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False), ("yes", True)])
def test_flag_reads_booleans(value: str, expected: bool, config: SiteConfig) -> None:
    reader = reader_for(f"draft: {value}\n", config)

    assert reader.flag("draft") is expected
    assert reader.flag("missing") is None


def test_flag_reports_non_boolean_at_its_line(config: SiteConfig) -> None:
    reader = reader_for("title: A\ndate: 2024-03-01\ndraft: maybe\n", config)

    assert reader.flag("draft") is None
    (problem,) = reader.problems
    assert problem.message == "'draft' must be true or false, found 'maybe'"
    assert problem.line == 4
    assert problem.hint == "write draft: true"


def test_text_reads_first_present_key_and_stringifies_numbers(config: SiteConfig) -> None:
    reader = reader_for("summary: ''\ndescription: 2024 in numbers\nyear: 2024\n", config)

    assert reader.text("summary", "description") == "2024 in numbers"
    assert reader.text("year") == "2024"
    assert reader.text("nothing") is None


def test_text_reports_list_value(config: SiteConfig) -> None:
    reader = reader_for("title: [a, b]\n", config)

    assert reader.text("title") is None
    (problem,) = reader.problems
    assert (problem.message, problem.line) == ("'title' must be text, found list", 2)


def test_datetime_reports_bad_value_at_its_line(config: SiteConfig) -> None:
    reader = reader_for("title: A\nupdated: 2024-02-30\n", config)

    assert reader.datetime("updated") is None
    (problem,) = reader.problems
    assert problem.message == "'updated' is not a date: '2024-02-30'"
    assert problem.line == 3
    assert "YYYY-MM-DD" in problem.hint


def test_datetime_reads_alias_keys(config: SiteConfig) -> None:
    reader = reader_for("lastmod: 2024-03-02\n", config)

    assert reader.datetime("updated", "lastmod") == datetime(2024, 3, 2, tzinfo=SHANGHAI)


def test_extra_fields_keeps_only_unknown_keys() -> None:
    data = {"title": "A", "date": "x", "layout": "post", "comments": True, "hero": {"color": "red"},
            "lastmod": "y", "categories": "a b"}

    assert extra_fields(data) == {"layout": "post", "comments": True, "hero": {"color": "red"}}


@pytest.mark.parametrize(("relpath", "expected"), [
    ("content/posts/culture/2024-01-01-a.md", "culture"),
    ("content/posts/startup-life/2024/2024-01-01-a.md", "startup-life"),
    ("content/posts/Finances/2024-01-01-a.md", "finances"),
    ("content/posts/misc/2024-01-01-a.md", None),
])
def test_category_from_a_beat_folder_when_front_matter_names_none(make_site, relpath: str,
                                                                  expected: str | None) -> None:
    from generator.config import load_config
    from generator.content import load_content

    root = make_site({relpath: "# A post\n\nBody.\n"})
    (post,) = load_content(load_config(root), now=BUILD_TIME).posts
    assert post.category == expected


def test_front_matter_category_beats_the_folder(make_site) -> None:
    from generator.config import load_config
    from generator.content import load_content

    root = make_site({"content/posts/culture/2024-01-01-a.md": "---\ntitle: A\ncategory: finances\n---\nx\n"})
    (post,) = load_content(load_config(root), now=BUILD_TIME).posts
    assert post.category == "finances"

"""Tests for generator.content.load_content: real sites on disk, from content/ to Posts."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import markdown
import pytest
from conftest import BUILD_TIME

from generator.config import load_config
from generator.content import Content, Post, Withheld, load_content
from generator.errors import ContentError, Diagnostic

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")
SHANGHAI_SITE = "title: Test Co\nbase_url: https://test.example/\ntimezone: Asia/Shanghai\n"
SUBPATH_SITE = "title: Test Co\nbase_url: https://acme.github.io/open/\ntimezone: UTC\n"


def load(make_site, files: dict, config: str | None = None, *, drafts: bool = False,
         now: datetime = BUILD_TIME) -> Content:
    root = make_site(files, config=config)
    return load_content(load_config(root), now=now, drafts=drafts)


def only_post(content: Content) -> Post:
    (post,) = content.posts
    return post


def errors_of(make_site, files: dict, config: str | None = None) -> tuple[Path, tuple[Diagnostic, ...]]:
    root = make_site(files, config=config)
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    return root, caught.value.diagnostics


def only_error(make_site, files: dict, config: str | None = None) -> tuple[Path, Diagnostic]:
    root, diagnostics = errors_of(make_site, files, config)
    (diagnostic,) = diagnostics
    return root, diagnostic


# --- front matter formats -------------------------------------------------------------------------


def test_load_content_reads_yaml_post(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/launch.md": """
        ---
        title: We launched
        date: 2024-03-01
        updated: 2024-03-05
        category: finances
        tags: [launch, pricing]
        author: Jane Doe
        summary: How launch week went.
        template: launch.html
        image: https://img.example/cover.png
        ---
        Launch week was busy.
        """}))

    assert post.kind == "post"
    assert post.relpath == PurePosixPath("posts/launch.md")
    assert post.title == "We launched"
    assert post.slug == "launch"
    assert post.path == "2024/03/launch/"
    assert post.date == datetime(2024, 3, 1, tzinfo=UTC)
    assert post.updated == datetime(2024, 3, 5, tzinfo=UTC)
    assert post.last_modified == post.updated
    assert post.category == "finances"
    assert post.tags == ("launch", "pricing")
    assert post.authors == ("Jane Doe",)
    assert post.summary == "How launch week went."
    assert post.template == "launch.html"
    assert post.image == "https://img.example/cover.png"
    assert post.body_html == "<p>Launch week was busy.</p>"
    assert post.draft is False
    assert dict(post.extra) == {}


def test_load_content_reads_toml_post(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/launch.md": """
        +++
        title = "We launched"
        date = 2024-03-01T10:00:00+08:00
        tags = ["launch"]
        categories = ["culture"]
        [params]
        hero = "red"
        +++
        Body.
        """}))

    assert post.title == "We launched"
    assert post.date == datetime(2024, 3, 1, 2, tzinfo=UTC)
    assert post.category == "culture"
    assert post.tags == ("launch",)
    assert dict(post.extra) == {"params": {"hero": "red"}}


def test_load_content_without_front_matter_takes_title_from_heading_and_date_from_file_name(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-04-why-we-publish.md": """
        # Why we publish our numbers

        Because it keeps us honest.

        ## What we share
        """}, SHANGHAI_SITE))

    assert post.title == "Why we publish our numbers"
    assert post.date == datetime(2024, 3, 4, tzinfo=SHANGHAI)
    assert post.date.utcoffset() == timedelta(hours=8)
    assert post.slug == "why-we-publish"
    assert post.path == "2024/03/why-we-publish/"
    assert "<h1" not in post.body_html
    assert "Why we publish our numbers" not in post.body_html
    assert post.body_html == '<p>Because it keeps us honest.</p>\n<h2 id="what-we-share">What we share</h2>'


def test_load_content_removes_heading_that_repeats_front_matter_title(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-04-a.md": """
        ---
        title: "Why we publish, again"
        ---
        # Why we publish again

        Body.
        """}))

    assert post.title == "Why we publish, again"
    assert post.body_html == "<p>Body.</p>"


def test_load_content_keeps_heading_that_differs_from_title(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-04-a.md": """
        ---
        title: Our year
        ---
        # A different heading

        Body.
        """}))

    assert post.title == "Our year"
    # the page's title is its only <h1>: a `#` in the body is demoted one level (issue 22)
    assert post.body_html.startswith('<h2 id="a-different-heading">A different heading</h2>')


def test_load_content_front_matter_date_beats_file_name(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-04-a.md": "---\ntitle: A\ndate: 2024-05-06\n---\nx\n"}))

    assert post.date == datetime(2024, 5, 6, tzinfo=UTC)
    assert post.path == "2024/05/a/"


# --- errors -----------------------------------------------------------------------------------------


def test_load_content_reports_missing_title_of_an_empty_post(make_site) -> None:
    root, error = only_error(make_site, {"content/posts/2024-03-04-a.md": "---\ndate: 2024-03-04\n---\n\n"})

    assert error.path == root / "content/posts/2024-03-04-a.md"
    assert error.message == "no title"
    assert "title: ..." in error.hint and "# Title" in error.hint


def test_load_content_titles_a_plain_text_post_by_its_first_line_with_a_warning(make_site) -> None:
    root = make_site({"content/posts/2024-03-04-a.md": b"\nWe raised prices\nFrom today, plans cost more.\n"})
    content = load_content(load_config(root), now=BUILD_TIME)

    post = content.posts[0]
    assert post.title == "We raised prices"
    assert "We raised prices" not in post.body_html and "plans cost more" in post.body_html
    warning = next(w for w in content.warnings if "no title" in w.message)
    assert (warning.path, warning.line, warning.severity) == (root / "content/posts/2024-03-04-a.md", 2, "warning")


def test_load_content_shortens_a_long_first_line_and_keeps_it_in_the_body(make_site) -> None:
    line = "Our first year in numbers " + "and what we learned from every month of it " * 4
    root = make_site({"content/posts/2024-03-04-a.md": line + "\n"})
    post = load_content(load_config(root), now=BUILD_TIME).posts[0]

    assert post.title.endswith("…") and len(post.title) <= 101 and line.startswith(post.title[:-1])
    assert "every month of it" in post.body_html


def test_load_content_reports_missing_date_with_file_and_what_to_add(make_site) -> None:
    root, error = only_error(make_site, {"content/posts/launch.md": "# Launch\n\nText.\n"})

    assert error.path == root / "content/posts/launch.md"
    assert error.message == "post has no date"
    assert error.hint == "add 'date: YYYY-MM-DD' to the front matter or start the file name with YYYY-MM-DD-"
    assert error.format(root).startswith("content/posts/launch.md: post has no date")


def test_load_content_reports_missing_title_and_date_together(make_site) -> None:
    _, diagnostics = errors_of(make_site, {"content/posts/notes.md": "Some notes.\n"})

    assert [d.message for d in diagnostics] == ["post has no date"]  # the title comes from the first line


def test_load_content_reports_broken_yaml_at_file_line_and_column(make_site) -> None:
    root, error = only_error(make_site, {"content/posts/a.md": """
        ---
        title: Our year
        date: 2024-03-01
        summary: Revenue: up
        ---
        Body.
        """})

    # "summary: Revenue: up" is line 4 of the file; its second ':' is column 17.
    assert (error.path, error.line, error.column) == (root / "content/posts/a.md", 4, 17)
    assert error.format(root).startswith("content/posts/a.md:4:17: invalid YAML: ")


def test_load_content_reports_unterminated_front_matter(make_site) -> None:
    root, error = only_error(make_site, {"content/posts/a.md": "---\ntitle: A\ndate: 2024-03-01\n\nBody.\n"})

    assert (error.path, error.line) == (root / "content/posts/a.md", 1)
    assert "never closed" in error.message


def test_load_content_reports_front_matter_list(make_site) -> None:
    _, error = only_error(make_site, {"content/posts/a.md": "---\n- title: A\n- date: 2024-03-01\n---\nBody.\n"})

    assert (error.message, error.line) == ("front matter must be 'key: value' lines", 2)


@pytest.mark.parametrize("value", ["2024-02-30", "2023-02-29", "2024-13-01", "yesterday", "'03/04/2024'", "20240301"])
def test_load_content_reports_bad_date_at_its_line(make_site, value: str) -> None:
    root, error = only_error(make_site, {"content/posts/a.md": f"---\ntitle: A\ntags: [x]\ndate: {value}\n---\nx\n"})

    assert (error.path, error.line) == (root / "content/posts/a.md", 4)
    assert error.message.startswith("'date' is not a date: ")
    assert "YYYY-MM-DD" in error.hint


def test_load_content_reports_bad_date_once(make_site) -> None:
    _, diagnostics = errors_of(make_site, {"content/posts/2024-03-01-a.md": "---\ntitle: A\ndate: 2024-02-30\n---\n"})

    assert [d.message for d in diagnostics] == ["'date' is not a date: '2024-02-30'"]


def test_load_content_reports_impossible_date_in_file_name(make_site) -> None:
    root, error = only_error(make_site, {"content/posts/2024-02-30-a.md": "# A\n\nx\n"})

    assert error.path == root / "content/posts/2024-02-30-a.md"
    assert error.message == "file name starts with an impossible date 2024-02-30"
    assert "date: YYYY-MM-DD" in error.hint


@pytest.mark.parametrize(("front_matter", "message", "line"), [
    ("title: A\ndate: 2024-03-01\ndraft: maybe\n", "'draft' must be true or false, found 'maybe'", 4),
    ("title: A\ndate: 2024-03-01\npublished: no way\n", "'published' must be true or false, found 'no way'", 4),
    ("title: A\ndate: 2024-03-01\nupdated: soon\n", "'updated' is not a date: 'soon'", 4),
    ("title: A\ndate: 2024-03-01\ntags: {a: 1}\n", "'tags' must be a list of names", 4),
    ("title: [A]\ndate: 2024-03-01\n", "'title' must be text, found list", 2),
    ("title: A\nslug: '!!!'\ndate: 2024-03-01\n", "slug '!!!' has no letters or digits", 3),
])
def test_load_content_reports_bad_field_at_its_line(make_site, front_matter: str, message: str, line: int) -> None:
    root, diagnostics = errors_of(make_site, {"content/posts/a.md": f"---\n{front_matter}---\nx\n"})

    assert (root / "content/posts/a.md", line, message) in [(d.path, d.line, d.message) for d in diagnostics]


def test_load_content_collects_errors_of_every_file(make_site) -> None:
    root, diagnostics = errors_of(make_site, {
        "content/posts/a.md": "---\ntitle: A\n",
        "content/posts/b.md": "---\ntitle: B\ndate: 2024-02-30\n---\n",
        "content/posts/2024-03-01-fine.md": "# Fine\n",
        "content/pages/c.md": "---\nslug: c\n---\n",
    })

    assert sorted((d.path.relative_to(root).as_posix(), d.line) for d in diagnostics) == [
        ("content/pages/c.md", None),
        ("content/posts/a.md", 1),
        ("content/posts/b.md", 3),
    ]


def test_load_content_reports_non_utf8_file(make_site) -> None:
    root, error = only_error(make_site, {"content/posts/a.md": b"---\ntitle: caf\xe9\n---\n"})

    # The Latin-1 'é' (0xe9) sits on line 2.
    assert (error.path, error.line) == (root / "content/posts/a.md", 2)
    assert error.message == "not UTF-8 text (byte 0xe9)"
    assert error.hint == "save the file as UTF-8"


# --- dates and time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected", "offset_hours"), [
    pytest.param("2024-03-01", datetime(2024, 2, 29, 16, tzinfo=UTC), 8, id="date-midnight-shanghai"),
    pytest.param("2024-03-01 10:30:00", datetime(2024, 3, 1, 2, 30, tzinfo=UTC), 8, id="naive-datetime-shanghai"),
    pytest.param("2024-03-01 10:30", datetime(2024, 3, 1, 2, 30, tzinfo=UTC), 8, id="naive-no-seconds"),
    pytest.param("2024-03-01 10:30:00 +02:00", datetime(2024, 3, 1, 8, 30, tzinfo=UTC), 2, id="aware-datetime"),
    pytest.param("2024-03-01T10:30:00Z", datetime(2024, 3, 1, 10, 30, tzinfo=UTC), 0, id="aware-z"),
    pytest.param("2013-08-02 23:57:21.000000000 +08:00", datetime(2013, 8, 2, 15, 57, 21, tzinfo=UTC), 8,
                 id="jekyll"),
    pytest.param("'2013-08-02 23:57:21.000000000 -07:00'", datetime(2013, 8, 3, 6, 57, 21, tzinfo=UTC), -7,
                 id="jekyll-quoted"),
    pytest.param("'2024-03-01T10:30:00-05:00'", datetime(2024, 3, 1, 15, 30, tzinfo=UTC), -5, id="iso-string-offset"),
    pytest.param("'2024-03-01T10:30:00+05:30'", datetime(2024, 3, 1, 5, 0, tzinfo=UTC), 5.5, id="iso-half-hour"),
])
def test_load_content_reads_dates_in_site_timezone(make_site, value: str, expected: datetime,
                                                   offset_hours: float) -> None:
    post = only_post(load(make_site, {"content/posts/a.md": f"---\ntitle: A\ndate: {value}\n---\nx\n"},
                          SHANGHAI_SITE))

    assert post.date == expected
    assert post.date.utcoffset() == timedelta(hours=offset_hours)


def test_load_content_places_post_by_its_local_date(make_site) -> None:
    # 20:00 in New York on 31 March is 09:00 on 1 April in Shanghai, the site's zone.
    config = SHANGHAI_SITE + "permalink: /{year}/{month}/{day}/{slug}/\n"
    post = only_post(load(make_site, {"content/posts/a.md": "---\ntitle: A\ndate: 2024-03-31T20:00:00-04:00\n---\n"},
                          config))

    assert post.path == "2024/04/01/a/"


# --- categories, tags, extra, authors ------------------------------------------------------------------------


@pytest.mark.parametrize(("front_matter", "category", "tags"), [
    pytest.param("categories: [Engineering, Culture, Remote]\ntags: [hiring]\n", "culture",
                 ("hiring", "Engineering", "Remote"), id="jekyll-list"),
    pytest.param("categories: engineering startup-life remote\n", "startup-life", ("engineering", "remote"),
                 id="jekyll-space-separated"),
    pytest.param("categories: [Remote]\n", None, ("Remote",), id="jekyll-no-beat"),
    pytest.param("category: Startup life\n", "startup-life", (), id="display-name"),
    pytest.param("category: 财务\n", "finances", (), id="chinese-display-name"),
    pytest.param("tags: remote, hiring, remote\n", None, ("remote", "hiring"), id="comma-string-deduplicated"),
    pytest.param("tags: [远程, 招聘]\n", None, ("远程", "招聘"), id="chinese-tags"),
    pytest.param("tags: remote\ncategories: culture remote\n", "culture", ("remote",), id="tag-and-category-merge"),
])
def test_load_content_reads_category_and_tags(make_site, front_matter: str, category: str | None,
                                              tags: tuple[str, ...]) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": f"---\ntitle: A\n{front_matter}---\nx\n"}))

    assert (post.category, post.tags) == (category, tags)


def test_load_content_reports_unknown_category_with_suggestion(make_site) -> None:
    root, error = only_error(make_site, {
        "content/posts/2024-03-01-a.md": "---\ntitle: A\ncategory: culure\n---\nx\n"})

    assert (error.path, error.line) == (root / "content/posts/2024-03-01-a.md", 3)
    assert error.message == "unknown category 'culure'"
    assert error.hint == "did you mean 'culture'? valid: culture, finances, startup-life"


def test_load_content_keeps_unknown_keys_in_extra(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": """
        ---
        layout: post
        title: A
        comments: true
        hero:
          color: teal
        permalink: /a/
        ---
        x
        """}))

    assert dict(post.extra) == {"layout": "post", "comments": True, "hero": {"color": "teal"}}
    with pytest.raises(TypeError):
        post.extra["layout"] = "page"  # type: ignore[index]


def test_load_content_uses_site_author_by_default(make_site) -> None:
    config = "title: Test Co\nauthor: Joel\n"
    files = {
        "content/posts/2024-03-01-a.md": "# A\n",
        "content/posts/2024-03-02-b.md": "---\nauthors: [Li, Ana]\n---\n# B\n",
    }

    posts = {p.slug: p for p in load(make_site, files, config).posts}

    assert posts["a"].authors == ("joel",)
    assert posts["b"].authors == ("Li", "Ana")


# --- drafts and scheduled posts ---------------------------------------------------------------------------


DRAFT_FILES = {
    "content/posts/2024-03-01-public.md": "# Public\n",
    "content/posts/2024-03-02-draft.md": "---\ndraft: true\n---\n# Draft\n",
    "content/posts/2024-03-03-unpublished.md": "---\npublished: false\n---\n# Unpublished\n",
    "content/posts/2024-03-04-explicit.md": "---\npublished: true\ndraft: false\n---\n# Explicit\n",
    "content/posts/later.md": "---\ntitle: Later\ndate: 2026-01-01 09:00:00\n---\nx\n",
    "content/posts/just-before.md": "---\ntitle: Just before\ndate: 2026-01-01 07:59:59\n---\nx\n",
    "content/pages/secret.md": "---\ndraft: true\n---\n# Secret\n",
}


def test_load_content_withholds_drafts_and_scheduled_posts(make_site) -> None:
    # BUILD_TIME is 2026-01-01 00:00 UTC, which is 08:00 in Shanghai.
    content = load(make_site, DRAFT_FILES, SHANGHAI_SITE)

    assert [p.slug for p in content.posts] == ["just-before", "explicit", "public"]
    assert content.pages == ()
    assert sorted(content.withheld, key=lambda w: w.relpath) == [
        Withheld(PurePosixPath("pages/secret.md"), "Secret", "draft", None),
        Withheld(PurePosixPath("posts/2024-03-02-draft.md"), "Draft", "draft", datetime(2024, 3, 2, tzinfo=SHANGHAI)),
        Withheld(PurePosixPath("posts/2024-03-03-unpublished.md"), "Unpublished", "draft",
                 datetime(2024, 3, 3, tzinfo=SHANGHAI)),
        Withheld(PurePosixPath("posts/later.md"), "Later", "scheduled", datetime(2026, 1, 1, 1, tzinfo=UTC)),
    ]


def test_load_content_publishes_drafts_and_scheduled_posts_when_asked(make_site) -> None:
    content = load(make_site, DRAFT_FILES, SHANGHAI_SITE, drafts=True)

    assert [p.slug for p in content.posts] == ["later", "just-before", "explicit", "unpublished", "draft", "public"]
    assert [p.slug for p in content.pages] == ["secret"]
    assert {p.slug: p.draft for p in content.posts}["unpublished"] is True
    assert content.withheld == ()


def test_load_content_schedules_relative_to_now(make_site) -> None:
    files = {"content/posts/2025-06-01-summer.md": "# Summer\n"}

    assert load(make_site, files, now=datetime(2025, 5, 31, tzinfo=UTC)).posts == ()
    assert [p.slug for p in load(make_site, files, now=datetime(2025, 6, 1, tzinfo=UTC)).posts] == ["summer"]


def test_load_content_sorts_posts_newest_first(make_site) -> None:
    content = load(make_site, {
        "content/posts/2024-01-05-b.md": "# B\n",
        "content/posts/2024-03-01-c.md": "# C\n",
        "content/posts/2023-12-31-a.md": "# A\n",
        "content/posts/x.md": "---\ntitle: X\ndate: 2024-01-05 12:00\n---\n",
    })

    assert [p.slug for p in content.posts] == ["c", "x", "b", "a"]


# --- slugs and paths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("relpath", "text", "slug", "path"), [
    pytest.param("posts/2024-03-01-launch.md", "---\nslug: We Launched!\n---\n# Launch\n", "we-launched",
                 "2024/03/we-launched/", id="front-matter-slug-slugified"),
    pytest.param("posts/2024-03-01-Launch_Week.md", "# Launch\n", "launch-week", "2024/03/launch-week/",
                 id="file-name-without-date"),
    pytest.param("posts/2024-03-01-远程团队的一年.md", "# A year remote\n", "远程团队的一年",
                 "2024/03/远程团队的一年/", id="chinese-file-name"),
    pytest.param("posts/2024-03-01.md", "# 远程团队：第一年\n", "远程团队第一年", "2024/03/远程团队第一年/",
                 id="chinese-title-when-file-name-is-only-a-date"),
    pytest.param("posts/2024-03-01-launch/index.md", "# Launch\n", "launch", "2024/03/launch/",
                 id="bundle-index-takes-folder-name"),
    pytest.param("posts/2024/q1/2024-03-01-review.md", "# Review\n", "review", "2024/03/review/",
                 id="nested-folders"),
    pytest.param("posts/2024-03-01-launch.markdown", "# Launch\n", "launch", "2024/03/launch/",
                 id="markdown-extension"),
])
def test_load_content_derives_slug(make_site, relpath: str, text: str, slug: str, path: str) -> None:
    post = only_post(load(make_site, {f"content/{relpath}": text}))

    assert (post.slug, post.path) == (slug, path)


def test_load_content_bundle_index_takes_date_from_folder_name(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-launch/index.md": "# Launch\n"}))

    assert post.date == datetime(2024, 3, 1, tzinfo=UTC)


def test_load_content_never_gives_empty_slug(make_site) -> None:
    content = load(make_site, {
        "content/posts/2024-03-01-🎉.md": "# 🎉🎉🎉\n",
        "content/posts/2024-03-02.md": "# ！！！\n",
    })

    slugs = [p.slug for p in content.posts]
    assert all(slug.startswith("post-") and len(slug) == len("post-") + 8 for slug in slugs)
    assert len(set(slugs)) == 2
    assert all(p.path == f"2024/03/{p.slug}/" for p in content.posts)


@pytest.mark.parametrize(("permalink", "front_matter", "path"), [
    ("/{year}/{month}/{slug}/", "category: finances\n", "2024/03/launch/"),
    ("/{year}/{month}/{day}/{slug}/", "category: finances\n", "2024/03/04/launch/"),
    ("/{category}/{slug}/", "category: Startup life\n", "startup-life/launch/"),
    ("/{category}/{slug}/", "", "uncategorized/launch/"),
    ("/blog/{year}/{slug}.html", "", "blog/2024/launch.html"),
    ("/{slug}/", "", "launch/"),
])
def test_load_content_applies_permalink_pattern(make_site, permalink: str, front_matter: str, path: str) -> None:
    config = f"title: Test Co\npermalink: {permalink}\n"
    post = only_post(load(make_site, {"content/posts/2024-03-04-launch.md": f"---\n{front_matter}---\n# Launch\n"},
                          config))

    assert post.path == path


@pytest.mark.parametrize(("key", "value", "path"), [
    ("permalink", "/2013/08/02/old-post.html", "2013/08/02/old-post.html"),
    ("permalink", "/old/post/", "old/post/"),
    ("permalink", "old/post", "old/post/"),
    ("url", "/hugo/style/", "hugo/style/"),
])
def test_load_content_front_matter_permalink_wins(make_site, key: str, value: str, path: str) -> None:
    config = "title: Test Co\npermalink: /{category}/{slug}/\n"
    post = only_post(load(make_site, {"content/posts/2024-03-04-a.md": f"---\n{key}: {value}\n---\n# A\n"}, config))

    assert post.path == path


# --- pages --------------------------------------------------------------------------------------------------


def test_load_content_reads_pages_from_nested_folders(make_site) -> None:
    content = load(make_site, {
        "content/pages/about.md": "# About us\n\nWe build in the open.\n",
        "content/pages/company/team.md": "---\ntitle: Team\ncategory: nonsense\n---\nPeople.\n",
        "content/pages/company/jobs/index.md": "# Jobs\n",
        "content/pages/press/_index.md": "# Press\n",
        "content/pages/关于.md": "# 关于我们\n",
        "content/pages/legal/privacy.md": "---\ntitle: Privacy\nslug: privacy-policy\n---\n",
        "content/pages/old.md": "---\ntitle: Old\npermalink: /old-page.html\n---\n",
    })

    assert content.posts == ()
    assert [(p.relpath.as_posix(), p.path) for p in content.pages] == [
        ("pages/about.md", "about/"),
        ("pages/company/jobs/index.md", "company/jobs/"),
        ("pages/company/team.md", "company/team/"),
        ("pages/legal/privacy.md", "legal/privacy-policy/"),
        ("pages/old.md", "old-page.html"),
        ("pages/press/_index.md", "press/"),
        ("pages/关于.md", "关于/"),
    ]
    assert {p.kind for p in content.pages} == {"page"}
    assert all(p.date is None and p.category is None for p in content.pages)
    assert content.pages[0].title == "About us"


def test_load_content_page_may_have_a_date(make_site) -> None:
    (page,) = load(make_site, {"content/pages/2024-01-01-about.md": "# About\n"}).pages

    assert (page.date, page.slug, page.path) == (datetime(2024, 1, 1, tzinfo=UTC), "about", "about/")


# --- Markdown, ToC, summary, reading time -------------------------------------------------------------------


def test_load_content_renders_markdown_features(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": """
        # A

        | Month | MRR |
        |---|---|
        | Jan | 100 |

        Numbers are unaudited[^1].
        {: .note}

        <figure class="chart"><img src="https://x.example/c.svg" alt="MRR"></figure>

        [^1]: By anyone.
        """}))

    assert "<table>" in post.body_html and "<td>100</td>" in post.body_html
    assert '<p class="note">Numbers are unaudited<sup id="fnref:1">' in post.body_html
    assert '<figure class="chart"><img src="https://x.example/c.svg" alt="MRR"></figure>' in post.body_html
    assert '<li id="fn:1">' in post.body_html


@pytest.mark.parametrize(("headings", "show_toc"), [
    ("## One\n\n## Two\n", False),
    ("## One\n\n## Two\n\n## Three\n", True),
    ("## One\n\n### One a\n\n### One b\n", True),
    ("# Now counted\n\n## One\n\n## Two\n", True),  # body `#` is demoted to h2 beside the title (issue 22)
    ("##### Too deep\n\n## One\n\n## Two\n", False),
])
def test_load_content_shows_toc_from_three_headings(make_site, headings: str, show_toc: bool) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": f"---\ntitle: A\n---\n{headings}"}))

    assert post.show_toc is show_toc


def test_load_content_gives_chinese_headings_unique_readable_ids(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": """
        # 一年

        ## 收入

        ## 收入

        ## 🎉
        """}))

    assert [h.id for h in post.headings] == ["收入", "收入_1", "section"]
    assert '<h2 id="收入_1">收入</h2>' in post.body_html


@pytest.mark.parametrize(("front_matter", "body", "summary"), [
    pytest.param("summary: From front matter.\n", "First paragraph.\n", "From front matter.", id="front-matter"),
    pytest.param("description: Hugo description.\n", "First paragraph.\n", "Hugo description.", id="description"),
    pytest.param("excerpt: Jekyll excerpt.\n", "First paragraph.\n", "Jekyll excerpt.", id="excerpt"),
    pytest.param("", "Intro *one*.\n\nIntro two.\n\n<!-- more -->\n\nRest.\n", "Intro one. Intro two.",
                 id="more-marker"),
    pytest.param("", "![Cover](https://x.example/c.png)\n\nFirst **real** paragraph.\n\nSecond.\n",
                 "First real paragraph.", id="first-paragraph"),
    pytest.param("", "## 背景\n\n我们开始公开收入。\n\n第二段。\n", "我们开始公开收入。", id="chinese-first-paragraph"),
])
def test_load_content_derives_summary(make_site, front_matter: str, body: str, summary: str) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": f"---\ntitle: A\n{front_matter}---\n{body}"}))

    assert post.summary == summary


def test_load_content_counts_reading_time_of_mixed_post(make_site) -> None:
    english = "Our revenue grew steadily this quarter. "  # 6 words
    chinese = "我们的收入本季度稳步增长。"  # 12 ideographs
    body = english * 40 + "\n\n" + chinese * 40 + "\n"
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": f"---\ntitle: A\n---\n{body}"}))

    # 240 words / 230 + 480 characters / 400 = 2.24 minutes, rounded up.
    assert post.reading_minutes == math.ceil(240 / 230 + 480 / 400) == 3


@pytest.mark.parametrize(("config", "body", "lang"), [
    pytest.param(None, "远程团队的一年，我们学到了很多。", "zh", id="chinese-on-english-site"),
    pytest.param(None, "We went remote.", None, id="english-on-english-site"),
    pytest.param("title: T\nlanguage: zh-CN\n", "We went remote.", "en", id="english-on-chinese-site"),
    pytest.param("title: T\nlanguage: zh-CN\n", "远程团队的一年。", None, id="chinese-on-chinese-site"),
])
def test_load_content_marks_language_of_other_script(make_site, config: str | None, body: str,
                                                     lang: str | None) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": f"---\ntitle: A\n---\n{body}\n"}, config))

    assert post.lang == lang


def test_load_content_front_matter_lang_wins(make_site) -> None:
    post = only_post(load(make_site, {"content/posts/2024-03-01-a.md": "---\ntitle: A\nlang: ja\n---\n远程\n"}))

    assert post.lang == "ja"


def test_load_content_converts_each_post_once_with_one_markdown_instance(make_site, monkeypatch) -> None:
    created: list[markdown.Markdown] = []
    converted: list[str] = []

    class CountingMarkdown(markdown.Markdown):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            created.append(self)

        def convert(self, source: str) -> str:
            converted.append(source)
            return super().convert(source)

    monkeypatch.setattr(markdown, "Markdown", CountingMarkdown)
    load(make_site, {f"content/posts/2024-03-0{n}-p{n}.md": f"# P{n}\n\nBody {n}.\n" for n in range(1, 4)})

    assert len(created) == 1
    assert len(converted) == 3


def test_load_content_does_not_leak_footnotes_between_posts(make_site) -> None:
    content = load(make_site, {
        "content/posts/2024-03-01-first.md": "# First\n\nClaim[^1].\n\n[^1]: First post's source.\n",
        "content/posts/2024-03-02-second.md": "# Second\n\nNo notes here.\n",
    })
    posts = {p.slug: p for p in content.posts}

    assert "First post's source." in posts["first"].body_html
    assert posts["second"].body_html == "<p>No notes here.</p>"


# --- images and links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line"), [
    pytest.param("---\ntitle: A\ndate: 2024-03-01\n---\nIntro.\n\n![Team](/images/team.png)\n", 7,
                 id="after-front-matter"),
    pytest.param("# A\n\nIntro.\n\n![Team](/images/team.png)\n", 5, id="after-removed-title-heading"),
    pytest.param("---\ntitle: A\n---\n# A\n\n![Team](/images/team.png)\n", 6, id="after-repeated-title-heading"),
    pytest.param("+++\ntitle = 'A'\n+++\n\nSee ![Team](/images/team.png) here.\n", 5, id="inline-after-toml"),
])
def test_load_content_warns_about_missing_image_at_its_line(make_site, text: str, line: int) -> None:
    root = make_site({"content/posts/2024-03-01-a.md": text})

    content = load_content(load_config(root), now=BUILD_TIME)

    (warning,) = content.warnings
    assert warning.severity == "warning"
    assert (warning.path, warning.line) == (root / "content/posts/2024-03-01-a.md", line)
    assert warning.message == "image not found: /images/team.png"
    assert warning.hint == "add content/images/team.png or fix the path"
    assert len(content.posts) == 1  # a warning does not stop the post


def test_load_content_finds_existing_images(make_site) -> None:
    content = load(make_site, {
        "content/posts/2024-03-01-a.md": "# A\n\n![One](/images/one.png) ![Two](two.png)\n",
        "content/images/one.png": b"\x89PNG",
        "content/posts/two.png": b"\x89PNG",
    })

    assert content.warnings == ()


def test_load_content_checks_cover_image(make_site) -> None:
    root = make_site({
        "content/posts/2024-03-01-a.md": "---\ntitle: A\nimage: /images/missing.png\n---\n",
        "content/posts/2024-03-02-b.md": "---\ntitle: B\nimage: cover.png\n---\n",
        "content/posts/cover.png": b"\x89PNG",
    }, config=SUBPATH_SITE)

    content = load_content(load_config(root), now=BUILD_TIME)

    images = {p.slug: p.image for p in content.posts}
    assert images == {"a": "/open/images/missing.png", "b": "/open/posts/cover.png"}
    (warning,) = content.warnings
    assert (warning.path, warning.line, warning.message) == (
        root / "content/posts/2024-03-01-a.md", 3, "image not found: /images/missing.png")


def test_load_content_resolves_links_and_images_under_base_url_subpath(make_site) -> None:
    post = only_post(load(make_site, {
        "content/posts/2024-03-01-a.md": "# A\n\n[Home](/) [About](/about/) ![Chart](chart.svg) "
                                         "![Logo](/images/logo.svg) [Elsewhere](https://buffer.com/)\n",
        "content/posts/chart.svg": "<svg/>",
        "content/images/logo.svg": "<svg/>",
    }, SUBPATH_SITE))

    assert post.body_html == (
        '<p><a href="/open/">Home</a> <a href="/open/about/">About</a> '
        '<img alt="Chart" src="/open/posts/chart.svg"> <img alt="Logo" src="/open/images/logo.svg"> '
        '<a href="https://buffer.com/">Elsewhere</a></p>'
    )


# --- static files and stray Markdown -------------------------------------------------------------------------


def test_load_content_lists_static_files_and_skips_dotfiles(make_site) -> None:
    content = load(make_site, {
        "content/posts/2024-03-01-a.md": "# A\n",
        "content/posts/2024-03-01-a/chart.svg": "<svg/>",
        "content/images/team.png": b"\x89PNG",
        "content/files/report 2024.pdf": b"%PDF",
        "content/CNAME": "acme.example",
        "content/.DS_Store": b"\x00",
        "content/images/.hidden.png": b"\x89PNG",
        "content/.git/config": "[core]",
        "content/.well-known/security.txt": "x",
        "content/images/.cache/thumb.png": b"\x89PNG",
        "content/posts/.draft.md": "# Hidden draft\n",
    })

    assert [s.relpath.as_posix() for s in content.static_files] == [
        "CNAME", "files/report 2024.pdf", "images/team.png", "posts/2024-03-01-a/chart.svg",
    ]
    assert all(s.source.is_file() and s.source.as_posix().endswith(s.relpath.as_posix())
               for s in content.static_files)
    assert [p.slug for p in content.posts] == ["a"]
    assert content.warnings == ()


@pytest.mark.parametrize("relpath", ["README.md", "drafts/idea.md", "posts.md", "notes/x.markdown"])
def test_load_content_warns_about_markdown_outside_posts_and_pages(make_site, relpath: str) -> None:
    root = make_site({f"content/{relpath}": "# Stray\n", "content/posts/2024-03-01-a.md": "# A\n"})

    content = load_content(load_config(root), now=BUILD_TIME)

    (warning,) = content.warnings
    assert warning.severity == "warning"
    assert warning.path == root / "content" / relpath
    assert "outside content/posts/ and content/pages/" in warning.message
    assert warning.hint == "move it into posts/ or pages/"
    assert [p.slug for p in content.posts] == ["a"]
    assert content.static_files == ()


def test_load_content_without_content_folder_is_empty(make_site) -> None:
    assert load(make_site, {}) == Content((), (), (), (), ())


def test_title_from_heading_drops_inline_markdown(make_site) -> None:
    from generator.config import load_config
    from generator.content import load_content

    root = make_site({"content/posts/2024-01-01-a.md": "# Why *we* publish **our** [numbers](/metrics/)\n\nBody.\n"})
    config = load_config(root)
    (post,) = load_content(config, now=BUILD_TIME).posts
    assert post.title == "Why we publish our numbers"


@pytest.mark.parametrize(("text", "written"), [
    ("---\ntitle: A\nsummary: Chosen words.\n---\nFirst paragraph.\n", True),
    ("---\ntitle: A\ndescription: Hugo's name for it.\n---\nFirst paragraph.\n", True),
    ("---\ntitle: A\n---\nIntro.\n\n<!-- more -->\n\nRest.\n", True),
    ("---\ntitle: A\n---\nFirst paragraph.\n\nSecond.\n", False),
])
def test_summary_written_tells_chosen_summaries_from_derived_ones(make_site, text: str, written: bool) -> None:
    from generator.config import load_config
    from generator.content import load_content

    root = make_site({"content/posts/2024-01-01-a.md": text})
    (post,) = load_content(load_config(root), now=BUILD_TIME).posts
    assert post.summary_written is written


def test_markdown_that_breaks_an_extension_is_an_error_at_its_file_and_body_line(make_site) -> None:
    """Python-Markdown's footnotes extension raises ValueError on a numbered list inside a footnote-classed div:
    the writer gets the file and the line the body starts on, not an internal error."""
    body = 'Hello.\n\n<div class="footnote" markdown="1">\n1. a\n2. b\n</div>\n'
    root, diagnostics = errors_of(make_site, {"content/posts/2024-01-01-odd.md":
                                              f"---\ntitle: Odd\ndate: 2024-01-01\n---\n{body}",
                                              "content/posts/2024-01-02-fine.md": "---\ntitle: Fine\n---\nFine.\n"})
    (problem,) = diagnostics
    assert problem.path == root / "content/posts/2024-01-01-odd.md" and problem.line == 5
    assert "Python-Markdown could not convert" in problem.message and "ValueError" in problem.message
    assert problem.hint

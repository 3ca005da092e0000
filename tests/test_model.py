"""assemble_site: which pages exist, where they live, and URL collisions."""

from __future__ import annotations

import pytest
from conftest import BUILD_TIME

from generator.config import load_config
from generator.content import load_content
from generator.errors import ContentError
from generator.model import assemble_site


def _site(make_site, files, config=None):
    root = make_site(files, config=config)
    config = load_config(root)
    return assemble_site(config, load_content(config, now=BUILD_TIME), build_time=BUILD_TIME)


def _post(date: str, category: str = "finances", tags: str = "[]") -> str:
    return f"---\ntitle: P {date}\ndate: {date}\ncategory: {category}\ntags: {tags}\n---\nText.\n"


def test_home_paginates_posts_newest_first(make_site) -> None:
    files = {f"content/posts/2024-01-0{d}-p{d}.md": _post(f"2024-01-0{d}") for d in range(1, 6)}
    site = _site(make_site, files, "title: T\nposts_per_page: 2\n")
    homes = [s for s in site.renders if s.kind == "home"]
    assert [s.path for s in homes] == ["", "page/2/", "page/3/"]
    assert [p.slug for p in homes[0].listing.posts] == ["p5", "p4"]
    assert [p.slug for p in homes[2].listing.posts] == ["p1"]
    assert (homes[1].listing.prev_path, homes[1].listing.next_path) == ("", "page/3/")
    assert homes[0].listing.total == 3


def test_empty_site_still_has_a_home_page(make_site) -> None:
    site = _site(make_site, {})
    home = next(s for s in site.renders if s.kind == "home")
    assert home.listing.posts == () and home.listing.total == 1


def test_archive_groups_by_month_in_site_timezone(make_site) -> None:
    # 2024-01-31 20:00 UTC is already 1 February in Shanghai (UTC+8).
    files = {"content/posts/late.md": "---\ntitle: Late\ndate: 2024-01-31T20:00:00+00:00\n---\nx\n",
             "content/posts/early.md": "---\ntitle: Early\ndate: 2024-01-05\n---\nx\n"}
    site = _site(make_site, files, "title: T\ntimezone: Asia/Shanghai\n")
    (year,) = site.archive
    assert [(m.month, [p.title for p in m.posts]) for m in year.months] == [(2, ["Late"]), (1, ["Early"])]
    assert year.path == "archive/2024/" and year.months[0].path == "archive/2024/02/"


def test_older_and_newer_link_neighbours(make_site) -> None:
    files = {f"content/posts/2024-01-0{d}-p{d}.md": _post(f"2024-01-0{d}") for d in (1, 2, 3)}
    site = _site(make_site, files)
    posts = {s.post.slug: s for s in site.renders if s.kind == "post"}
    assert posts["p2"].older.slug == "p1" and posts["p2"].newer.slug == "p3"
    assert posts["p1"].older is None and posts["p3"].newer is None


def test_categories_keep_config_order_and_count_posts(make_site) -> None:
    files = {"content/posts/2024-01-01-a.md": _post("2024-01-01", "culture"),
             "content/posts/2024-01-02-b.md": _post("2024-01-02", "culture")}
    config = "title: T\ncategories:\n  finances: Finances\n  culture: Culture\n  startup-life: Startup life\n"
    site = _site(make_site, files, config)
    assert [(c.slug, len(c.posts)) for c in site.categories] == [("finances", 0), ("culture", 2),
                                                                 ("startup-life", 0)]
    assert site.categories[1].feed_path == "categories/culture/feed.xml"


def test_default_categories_without_posts_get_no_page_feed_or_link(make_site) -> None:
    """Not configured: the default beats appear only once they have posts (issue 22: three empty ones showed)."""
    files = {"content/posts/2024-01-01-a.md": _post("2024-01-01", "culture"),
             "content/pages/about.md": "---\ntitle: About\n---\nx\n"}
    site = _site(make_site, files)
    assert [c.slug for c in site.categories] == ["culture"]
    assert [(n.title, n.path) for n in site.navigation] == [
        ("Culture", "categories/culture/"), ("Archive", "archive/"), ("About", "about/")]
    assert not any(p.path.startswith(("categories/finances", "categories/startup-life")) for p in site.renders)


def test_default_navigation_lists_configured_categories_archive_and_pages(make_site) -> None:
    config = "title: T\ncategories:\n  finances: Finances\n  culture: Culture\n  startup-life: Startup life\n"
    site = _site(make_site, {"content/pages/about.md": "---\ntitle: About\n---\nx\n"}, config)
    assert [(n.title, n.path) for n in site.navigation] == [
        ("Finances", "categories/finances/"), ("Culture", "categories/culture/"),
        ("Startup life", "categories/startup-life/"), ("Archive", "archive/"), ("About", "about/")]


def test_configured_navigation_is_translated_and_keeps_external_links(make_site) -> None:
    config = ("title: T\nlanguage: zh-CN\nnavigation:\n  - {title: {en: About, zh-CN: 关于}, url: /about/}\n"
              "  - {title: GitHub, url: 'https://github.com/acme'}\n")
    site = _site(make_site, {}, config)
    assert [(n.title, n.path, n.external) for n in site.navigation] == [
        ("关于", "about/", False), ("GitHub", "https://github.com/acme", True)]


def test_page_claiming_a_generated_url_is_an_error(make_site) -> None:
    with pytest.raises(ContentError) as info:
        _site(make_site, {"content/pages/archive.md": "---\ntitle: Archive\n---\nx\n"})
    message = info.value.diagnostics[0].message
    assert "content/pages/archive.md" in message and "the generated archive page" in message


CLASH_POST = "---\ntitle: Clash\ndate: 2024-01-03\npermalink: {permalink}\n---\nText.\n"
MRR = "month,mrr\n2023-11,1000\n2023-12,1200\n"


@pytest.mark.parametrize(("permalink", "generated", "folder"), [
    ("/data/metrics.csv", "the generated file /data/metrics.csv", True),
    ("/data/metrics.json", "the generated file /data/metrics.json", True),
    ("/feed.xml", "the generated file /feed.xml", True),
    ("/sitemap.xml", "the generated file /sitemap.xml", True),
    ("/metrics/charts/mrr.svg", "the chart mrr (/metrics/charts/mrr.svg)", True),
    ("/metrics/mrr/mrr.csv", "the generated file /metrics/mrr/mrr.csv", True),
    ("/404.html", "the generated 404 page", False),
    ("/metrics/mrr/", "the generated metric page", False),
])
def test_post_colliding_with_a_generated_file_names_both_at_the_permalink_line(
        make_site, runner, tmp_path, permalink: str, generated: str, folder: bool) -> None:
    from generator.cli import main

    root = make_site({"metrics/mrr.csv": MRR})
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", "-s", str(root), "-o", str(out)]).exit_code == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/2024-01-03-clash.md").write_text(CLASH_POST.format(permalink=permalink), encoding="utf-8")
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(out)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"{root}/content/posts/2024-01-03-clash.md:4: error: ") \
        or errors[0].startswith("content/posts/2024-01-03-clash.md:4: error: "), errors[0]
    assert "content/posts/2024-01-03-clash.md" in errors[0].split(": error: ")[1] and generated in errors[0]
    assert ("needs " + permalink.rstrip("/") + " to be a folder" in errors[0]) is folder
    assert "opensite-new" not in result.stderr and "Traceback" not in result.output
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before, "the previous output is untouched"


def test_slug_collision_points_at_the_slug_line(make_site) -> None:
    with pytest.raises(ContentError) as info:
        _site(make_site, {"content/posts/2024-01-05-launch.md": _post("2024-01-05"),
                          "content/posts/2024-01-20-other.md": "---\ntitle: Other\ndate: 2024-01-20\n"
                                                               "category: finances\nslug: launch\n---\nText.\n"})
    problem = info.value.diagnostics[0]
    assert problem.path.name == "2024-01-20-other.md" and problem.line == 5
    assert "content/posts/2024-01-05-launch.md" in problem.message and "/2024/01/launch/" in problem.message


def test_static_file_needing_a_generated_file_as_folder_names_both(make_site) -> None:
    with pytest.raises(ContentError) as info:
        _site(make_site, {"content/feed.xml/notes.txt": "x"})
    problem = info.value.diagnostics[0]
    assert problem.path.name == "notes.txt" and problem.line is None
    assert "content/feed.xml/notes.txt" in problem.message and "the generated file /feed.xml" in problem.message

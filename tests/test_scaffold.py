"""`opensite init` and `opensite new post`: new files that build at once, and never an overwritten one."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath

import pytest
import yaml
from click.testing import CliRunner
from support import read_tree

from generator.build import render_site_in_memory
from generator.cli import main
from generator.config import load_config
from generator.metrics import load_metrics
from generator.scaffold import post_relpath, render_post, render_sample_metrics, render_site_files


def _init(runner: CliRunner, target: Path, *args: str):
    return runner.invoke(main, ["init", str(target), *args])


def test_init_creates_a_site_that_builds_and_checks_strictly_clean(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "acme-open"
    result = _init(runner, target)
    assert result.exit_code == 0, result.output
    assert "Created 15 files" in result.stdout
    for relpath in ("site.yaml", ".gitignore", ".github/workflows/publish.yml", "templates/README.md",
                    "metrics/mrr.csv", "metrics/churn.csv", "metrics/costs.csv", "metrics/cash.csv"):
        assert (target / relpath).is_file(), relpath
    assert len(list((target / "content/posts").glob("*.md"))) == 3
    build = runner.invoke(main, ["build", "-s", str(target)])
    assert build.exit_code == 0, build.output
    check = runner.invoke(main, ["check", "--strict", "-s", str(target)])
    assert check.exit_code == 0, check.output
    assert "0 errors, 0 warnings, 0 notes." in check.stdout


def test_init_writes_one_sample_post_per_beat_and_a_commented_config(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "acme-open"
    _init(runner, target, "--title", "Acme: the open books", "--base-url", "https://acme.github.io/open/")
    config = load_config(target)
    assert config.title == "Acme: the open books"
    assert config.base_url == "https://acme.github.io/open/"
    result = render_site_in_memory(target)
    assert sorted(p.category for p in result.site.posts) == sorted(c.slug for c in config.categories)
    assert "# " in (target / "site.yaml").read_text(encoding="utf-8")
    assert "/output/" in (target / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_init_derives_the_title_from_the_folder(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path / "tally-bird_open")
    assert load_config(tmp_path / "tally-bird_open").title == "Tally bird open"


def test_init_sample_metrics_balance(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "site"
    _init(runner, target)
    data = load_metrics(load_config(target))
    assert data.warnings == ()


def test_render_sample_metrics_covers_the_six_months_before_today() -> None:
    files = render_sample_metrics(date(2026, 1, 15))
    rows = files[PurePosixPath("metrics/mrr.csv")].splitlines()
    assert rows[0].startswith("month,mrr,")
    assert [row.split(",")[0] for row in rows[1:]] == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11",
                                                       "2025-12"]


def test_render_site_files_dates_posts_in_the_past_and_fills_every_placeholder() -> None:
    files = render_site_files("T", today=date(2026, 3, 1))
    posts = sorted(p.name for p in files if p.parts[:2] == ("content", "posts"))
    assert posts == ["2026-02-15-why-we-publish-our-numbers.md", "2026-02-22-how-we-work.md",
                     "2026-03-01-hello-world.md"]
    leftover = re.compile(r"__[A-Z0-9_]+__")
    assert not [path for path, text in files.items() if leftover.search(str(path)) or leftover.search(text)]


def test_init_refuses_a_non_empty_folder_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = _init(runner, target)
    assert result.exit_code == 1
    assert "is not empty" in result.stderr and "--force" in result.stderr
    assert read_tree(target) == {"notes.txt": b"mine"}


def test_init_refuses_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = _init(runner, target)
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.stderr


def test_init_force_adds_missing_files_and_never_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    (target / "content/posts").mkdir(parents=True)
    (target / "site.yaml").write_text("title: Mine\n")
    (target / ".gitignore").write_text("secret/\n")
    result = _init(runner, target, "--force")
    assert result.exit_code == 0, result.output
    assert "Kept 2 existing files: .gitignore, site.yaml." in result.stdout
    assert (target / "site.yaml").read_text() == "title: Mine\n"
    assert (target / ".gitignore").read_text() == "secret/\n"
    assert (target / ".github/workflows/publish.yml").is_file()
    again = _init(runner, target, "--force")
    assert again.exit_code == 0
    assert "Created 0 files" in again.stdout


def _new_post(runner: CliRunner, root: Path, *args: str):
    return runner.invoke(main, ["new", "post", *args, "-s", str(root)])


def test_new_post_writes_a_dated_post_that_builds(make_site, runner: CliRunner) -> None:
    root = make_site()
    result = _new_post(runner, root, "Why we raised prices", "--category", "finances", "--tags", "pricing, revenue,")
    assert result.exit_code == 0, result.output
    today = datetime.now(timezone.utc).date().isoformat()
    path = root / f"content/posts/{today}-why-we-raised-prices.md"
    assert result.stdout.strip().endswith(f"{today}-why-we-raised-prices.md")
    assert path.is_file()
    built = render_site_in_memory(root)
    [post] = built.site.posts
    assert (post.title, post.category, post.tags) == ("Why we raised prices", "finances", ("pricing", "revenue"))


def test_new_post_keeps_chinese_titles_readable(make_site, runner: CliRunner) -> None:
    root = make_site()
    result = _new_post(runner, root, "第一年的账本：回顾")
    assert result.exit_code == 0, result.output
    [path] = (root / "content/posts").glob("*.md")
    assert path.name.endswith("-第一年的账本回顾.md")
    assert render_site_in_memory(root).site.posts[0].title == "第一年的账本：回顾"


def test_new_post_accepts_a_category_by_display_name(make_site, runner: CliRunner) -> None:
    root = make_site()
    assert _new_post(runner, root, "Offsite", "--category", "Startup life").exit_code == 0
    assert render_site_in_memory(root).site.posts[0].category == "startup-life"


def test_new_post_rejects_an_unknown_category_with_the_valid_ones(make_site, runner: CliRunner) -> None:
    root = make_site()
    result = _new_post(runner, root, "Offsite", "--category", "finance")
    assert result.exit_code == 1
    assert "unknown category 'finance'" in result.stderr
    assert "did you mean 'finances'?" in result.stderr and "startup-life" in result.stderr
    assert not (root / "content").exists()


def test_new_post_draft_is_left_out_of_the_build(make_site, runner: CliRunner) -> None:
    root = make_site()
    assert _new_post(runner, root, "Work in progress", "--draft").exit_code == 0
    result = render_site_in_memory(root)
    assert result.site.posts == ()
    assert [w.reason for w in result.content.withheld] == ["draft"]


def test_new_post_refuses_to_overwrite(make_site, runner: CliRunner) -> None:
    root = make_site()
    assert _new_post(runner, root, "Same title").exit_code == 0
    [path] = (root / "content/posts").glob("*.md")
    path.write_text("---\ntitle: Same title\n---\nMy words.\n", encoding="utf-8")
    result = _new_post(runner, root, "Same title")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("My words.\n")


def test_new_post_outside_a_site_points_to_init(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", "post", "Hello", "-s", str(tmp_path)])
    assert result.exit_code == 1
    assert "opensite init" in result.stderr


@pytest.mark.parametrize("title", ['He said: "no"', "# not a comment", "[brackets], {braces} & more: yes", "- dash"])
def test_render_post_quotes_any_title_as_valid_yaml(title: str) -> None:
    text = render_post(title, when=datetime(2026, 1, 2, 9, 30), category="culture", tags=("a: b", "c"), draft=True)
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == title
    assert front["tags"] == ["a: b", "c"]
    assert (front["draft"], front["category"], str(front["date"])) == (True, "culture", "2026-01-02 09:30")


def test_post_relpath_falls_back_to_a_stable_slug_for_titles_without_letters() -> None:
    path = post_relpath("🎉🎉", date(2026, 1, 2))
    assert path.name.startswith("2026-01-02-post-") and path.suffix == ".md"
    assert post_relpath("🎉🎉", date(2026, 1, 2)) == path

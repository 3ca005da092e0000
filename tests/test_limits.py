"""Bounded everything (issue 22): every documented bound of generator/limits.py fails at its line, quickly.

Times are measured by bench/bench_bounds.py, not asserted here: each refusal below happens before any
work that grows with the input (a title is refused while site.yaml or the front matter is read).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUILD_TIME

from generator.build import build_site
from generator.cli import main
from generator.config import load_config
from generator.content import load_content
from generator.dashboard.previews import Preview
from generator.errors import GeneratorError
from generator.limits import LINE_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS

CONFIG = "title: T\nbase_url: https://t.example/\ntimezone: UTC\n"
MRR = "month,mrr,new,expansion,contraction,churned\n2024-01,1000,1000,0,0,0\n2024-02,1100,100,0,0,0\n"


def _errors(call) -> list:
    with pytest.raises(GeneratorError) as caught:
        call()
    return list(caught.value.diagnostics)


def test_a_100_kb_site_title_is_refused_at_its_line_without_echoing_it(make_site) -> None:
    root = make_site({"metrics/mrr.csv": MRR}, config=f"title: {'word ' * 20_000}\n{CONFIG[9:]}metrics: {{}}\n")
    [error] = _errors(lambda: load_config(root))
    assert (error.line, error.message) == (1, f"'title' has 99,999 characters (the limit is {TITLE_MAX_CHARS})")


@pytest.mark.parametrize(("yaml", "line", "what", "limit"), [
    ("description: {x}\n", 4, "'description'", SUMMARY_MAX_CHARS),
    ("navigation:\n  - {{title: {x}, url: /a/}}\n", 5, "'navigation.0.title'", TITLE_MAX_CHARS),
    ("categories:\n  news: {{name: {x}}}\n", 5, "'categories.news.name'", TITLE_MAX_CHARS),
    ("author: {{name: Ada, bio: {x}}}\n", 4, "'author.bio'", SUMMARY_MAX_CHARS),
    ("dashboard: {{path: {x}}}\n", 4, "'dashboard.path'", LINE_MAX_CHARS),
])
def test_every_text_value_of_site_yaml_has_a_bound(make_site, yaml: str, line: int, what: str, limit: int) -> None:
    root = make_site(config=CONFIG + yaml.format(x="a" * (limit + 1)))
    errors = [e for e in _errors(lambda: load_config(root)) if "characters" in e.message]
    assert [(e.line, e.message) for e in errors] == [(line, f"{what} has {limit + 1:,} characters (the limit is "
                                                            f"{limit:,})")]


def test_extra_is_free_form_and_not_bounded(make_site) -> None:
    root = make_site(config=CONFIG + f"extra:\n  footer: {'a' * 50_000}\n")
    assert len(load_config(root).extra["footer"]) == 50_000


def test_a_1_mb_post_title_is_a_located_error(make_site) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": f"---\ntitle: {'A' * 1_000_000}\n---\nBody.\n"})
    config = load_config(root)
    [error] = _errors(lambda: load_content(config, now=BUILD_TIME, use_cache=False))
    assert (error.path.name, error.line) == ("2024-01-01-a.md", 2)
    assert error.message == f"'title' has 1,000,000 characters (the limit is {TITLE_MAX_CHARS})"


@pytest.mark.parametrize(("front", "line", "message"), [
    (f"summary: {'s' * (SUMMARY_MAX_CHARS + 1)}", 3, "'summary' has 2,001 characters"),
    (f"tags: [ok, {'t' * (TITLE_MAX_CHARS + 1)}]", 3, "'tags' has 301 characters"),
    (f"author: {'a' * (TITLE_MAX_CHARS + 1)}", 3, "'author' has 301 characters"),
    (f"image: {'i' * (LINE_MAX_CHARS + 1)}.png", 3, "'image' has 2,005 characters"),
])
def test_front_matter_values_have_bounds(make_site, front: str, line: int, message: str) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": f"---\ntitle: A\n{front}\n---\nBody.\n"})
    config = load_config(root)
    errors = _errors(lambda: load_content(config, now=BUILD_TIME, use_cache=False))
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [(line, message)]


def test_a_heading_too_long_to_be_a_title_is_an_error_at_its_line(make_site) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": f"nav line\n\n# {'H' * (TITLE_MAX_CHARS + 1)}\n\nBody.\n"})
    config = load_config(root)
    errors = _errors(lambda: load_content(config, now=BUILD_TIME, use_cache=False))
    assert [(e.line, e.message) for e in errors if "heading" in e.message] == [
        (3, f"the heading used as the title has 301 characters (the limit is {TITLE_MAX_CHARS})")]


@pytest.mark.parametrize(("files", "config", "where"), [
    ({"metrics/mrr.csv": MRR.replace("2024-02,1100", "2024-02,1" + "0" * 40)}, CONFIG, "mrr.csv:3:"),
    ({"metrics/mrr.csv": MRR}, CONFIG + "metrics:\n  custom:\n    big: {formula: 'mrr * " + "9" * 400
     + "', unit: count}\n", "site.yaml:6:"),
])
def test_a_number_with_too_many_digits_is_a_located_error(make_site, runner: CliRunner, files, config,
                                                          where: str) -> None:
    root = make_site(files, config=config)
    result = runner.invoke(main, ["build", "-s", str(root)])
    assert result.exit_code == 1, result.output
    assert where in result.stderr and "digits (the limit is 30)" in result.stderr
    assert "internal error" not in result.stderr


def test_share_images_draw_only_what_fits(make_site) -> None:
    """A 100 KB heading draws the same card as its first characters, in well under a second: the rest is never
    measured (measuring and shortening it one character at a time took minutes, issue 22)."""
    import time

    from generator.charts.cards import VISIBLE_MAX_CHARS, card_text, draw_card
    from generator.charts.fonts import CardFonts, FontFinder

    long = Preview("og/x.png", "x/", "T" * 100_000, "H " * 50_000, "$1", "MRR", (1.0, 2.0))
    cut = replace(long, site_title=long.site_title[:VISIBLE_MAX_CHARS], heading=long.heading[:VISIBLE_MAX_CHARS * 3])
    fonts = FontFinder(language="en").fonts_for(card_text(cut))
    assert isinstance(fonts, CardFonts)
    start = time.perf_counter()
    assert draw_card(long, fonts) == draw_card(cut, fonts)
    assert time.perf_counter() - start < 10  # generous on a loaded machine; it was minutes


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes any folder")
def test_an_unreadable_metrics_dir_is_an_error_not_a_traceback(make_site, runner: CliRunner, tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR)
    root = make_site(config=CONFIG + f"metrics_dir: {private}\nmetrics: {{}}\n")
    private.chmod(0)
    try:
        result = runner.invoke(main, ["build", "-s", str(root)])
    finally:
        private.chmod(0o755)
    assert result.exit_code == 1 and "cannot read the metrics folder" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes any folder")
def test_clean_in_a_site_it_may_not_write_is_an_error_not_a_traceback(make_site, runner: CliRunner) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})
    assert runner.invoke(main, ["build", "-s", str(root)]).exit_code == 0
    root.chmod(0o555)
    try:
        result = runner.invoke(main, ["clean", "-s", str(root)])
    finally:
        root.chmod(0o755)
    assert result.exit_code == 1 and "Traceback" not in result.output and "internal error" not in result.output


def test_build_of_a_post_with_every_bound_respected_succeeds(make_site, tmp_path: Path) -> None:
    """The bounds are far above real content: a long but real title and summary build."""
    root = make_site({"content/posts/2024-01-01-a.md": f"---\ntitle: {'Long title ' * 27}\nsummary: "
                                                       f"{'A summary. ' * 180}\ntags: [a, b]\n---\nBody.\n"})
    build_site(root, tmp_path / "out", now=BUILD_TIME)
    assert (tmp_path / "out/index.html").is_file()

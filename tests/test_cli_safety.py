"""Command-line behaviour added by issue 11: usage errors, --metrics-dir, future metric rows, new post defaults."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config.site import METRICS_DIR_VARIABLE

MRR = "month,mrr\n2024-01,100\n2024-02,110\n"


@pytest.fixture(autouse=True)
def _no_metrics_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(METRICS_DIR_VARIABLE, raising=False)


@pytest.mark.parametrize("title", ["", "   "])
def test_new_post_with_an_empty_title_is_a_usage_error(make_site, runner: CliRunner, title: str) -> None:
    root = make_site()
    result = runner.invoke(main, ["new", "post", title, "-s", str(root)])
    assert result.exit_code == 2 and "the title is empty" in result.output and "internal error" not in result.output
    assert not (root / "content").exists()


def test_new_post_passes_check_strict(make_site, runner: CliRunner) -> None:
    root = make_site()
    assert runner.invoke(main, ["new", "post", "Why we raised prices", "-s", str(root)]).exit_code == 0
    [post] = (root / "content/posts").iterdir()
    assert "summary:" not in post.read_text(encoding="utf-8")
    result = runner.invoke(main, ["check", "--strict", "-s", str(root)])
    assert result.exit_code == 0, result.output


def test_metrics_dir_option_reads_numbers_from_another_folder(make_site, runner: CliRunner, tmp_path: Path) -> None:
    root = make_site()
    private = tmp_path / "private"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    output = tmp_path / "out"
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(output), "--metrics-dir", str(private)])
    assert result.exit_code == 0, result.output
    assert b'"mrr"' in (output / "data/metrics.json").read_bytes()
    os.environ.pop(METRICS_DIR_VARIABLE, None)


def test_build_warns_about_a_metrics_row_after_the_build_month_and_never_publishes_it(
        make_site, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site({"metrics/mrr.csv": MRR + "2024-05,987654\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1711929600")  # 2024-04-01
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "metrics/mrr.csv:4: warning: 1 row is dated after the build month 2024-04 (2024-05)" in result.stderr
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert b"987654" not in path.read_bytes() and b"987,654" not in path.read_bytes(), path
"""The opensite command as a user runs it: exit codes, messages, and output safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SITES
from support import read_tree

from generator import __version__
from generator.cli import main
from generator.write import MARKER

INVALID = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())


def _build_previous(runner: CliRunner, site, output: Path) -> dict[str, bytes]:
    """Build the minimal site into `output` and return its files, to compare after a failure."""
    result = runner.invoke(main, ["build", "-s", str(site("minimal")), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return read_tree(output)


@pytest.mark.parametrize("case", INVALID)
def test_build_invalid_site_reports_error_and_keeps_previous_output(case: str, site, runner: CliRunner,
                                                                     tmp_path: Path) -> None:
    output = tmp_path / "out"
    before = _build_previous(runner, site, output)
    root = site(f"invalid/{case}")
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(output)])
    assert result.exit_code == 1, result.output
    for expected in (root / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert expected in result.stderr, f"{expected!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.output
    assert read_tree(output) == before


@pytest.mark.parametrize("case", INVALID)
def test_check_invalid_site_exits_1_and_writes_nothing(case: str, site, runner: CliRunner) -> None:
    root = site(f"invalid/{case}")
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 1
    first = (root / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first in result.stderr
    assert not (root / "output").exists()


def test_build_prints_summary_line(site, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "-s", str(site("minimal")), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert result.stdout.startswith("Built ")
    assert " pages in " in result.stdout and "out/" in result.stdout


def test_build_quiet_prints_nothing_on_success(site, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "-q", "-s", str(site("minimal")), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert result.output == ""


def test_build_refuses_output_that_is_the_site_root(site, runner: CliRunner) -> None:
    root = site("minimal")
    before = read_tree(root)
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(root)])
    assert result.exit_code == 1
    assert "holds the site itself" in result.stderr
    assert "--output" in result.stderr
    assert read_tree(root) == before


@pytest.mark.parametrize("inside", ["content", "content/images", "templates", "metrics"])
def test_build_refuses_output_inside_a_source_folder(inside: str, site, runner: CliRunner) -> None:
    root = site("minimal")
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(root / inside)])
    assert result.exit_code == 1
    assert f"inside the site's {inside.split('/')[0]}/ folder" in result.stderr


def test_build_refuses_folder_holding_a_site(site, runner: CliRunner, tmp_path: Path) -> None:
    other = site("minimal")
    result = runner.invoke(main, ["build", "-s", str(site("invalid/bad_date")), "-o", str(other)])
    assert result.exit_code == 1
    assert "holds a site" in result.stderr or "holds the site itself" in result.stderr
    assert (other / "site.yaml").is_file()


def test_build_refuses_non_empty_folder_it_did_not_make(site, runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "precious"
    output.mkdir()
    (output / "thesis.tex").write_text("years of work")
    result = runner.invoke(main, ["build", "-s", str(site("minimal")), "-o", str(output)])
    assert result.exit_code == 1
    assert "not empty and was not made by opensite" in result.stderr
    assert (output / "thesis.tex").read_text() == "years of work"


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_build_drops_its_own_stale_files_and_keeps_files_it_did_not_write(site, runner: CliRunner, tmp_path: Path,
                                                                          cache: list[str]) -> None:
    output = tmp_path / "out"
    root = site("minimal")
    extra = root / "content/posts/2024-03-02-extra.md"
    extra.write_text("---\ntitle: Extra\ndate: 2024-03-02\n---\nx\n", encoding="utf-8")
    _build_previous(runner, site, output)
    assert (output / "2024/03/extra/index.html").is_file()
    (output / "uploads").mkdir()
    (output / "uploads/logo.png").write_bytes(b"mine")  # a web root's own file, put there by hand
    (output / "CNAME").write_text("blog.example\n")
    extra.unlink()

    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(output), *cache])

    assert result.exit_code == 0, result.output
    assert not (output / "2024/03/extra").exists()  # a page opensite wrote and no longer builds: gone
    assert (output / "uploads/logo.png").read_bytes() == b"mine" and (output / "CNAME").is_file()
    assert (output / MARKER).is_file()
    assert not list(tmp_path.glob(".out.opensite-*")), "staging folders must be cleaned up"


def test_build_into_existing_empty_folder(site, runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "empty"
    output.mkdir()
    result = runner.invoke(main, ["build", "-s", str(site("minimal")), "-o", str(output)])
    assert result.exit_code == 0
    assert (output / "index.html").is_file()


def test_missing_site_yaml_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "-s", str(tmp_path)])
    assert result.exit_code == 1
    assert "no site.yaml in" in result.stderr
    assert "opensite init" in result.stderr


def test_usage_error_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_version_and_help(runner: CliRunner) -> None:
    assert __version__ in runner.invoke(main, ["--version"]).output
    help_text = runner.invoke(main, ["build", "--help"]).output
    assert "Examples:" in help_text and "--base-url" in help_text and "--drafts" in help_text


def test_check_reports_success_and_writes_nothing(site, runner: CliRunner) -> None:
    root = site("minimal")
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 0, result.output
    assert "Checked 1 posts" in result.stdout or "Checked 1 post" in result.stdout
    assert not (root / "output").exists()


def test_internal_error_is_one_line_without_debug(site, runner: CliRunner, monkeypatch) -> None:
    import generator.build as pipeline  # the command imports the pipeline when it runs (issue 24)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "check_site", explode)
    result = runner.invoke(main, ["check", "-s", str(site("minimal"))])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    debug = runner.invoke(main, ["--debug", "check", "-s", str(site("minimal"))])
    assert "Traceback" in debug.stderr


def test_python_dash_m_generator_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0
    assert __version__ in completed.stdout

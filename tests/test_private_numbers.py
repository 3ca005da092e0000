"""Private numbers that deploy (issue 20): metrics_dir honoured by every command, the site's repository alone
warned about and versioned, `init --private-numbers`, and its workflow run step by step with two git repositories.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from test_workflow import PINNED, _actionlint

from generator.build import load_source_revision
from generator.cli import main
from generator.config.site import METRICS_DIR_VARIABLE, load_config
from generator.metrics.publish.tracked import find_tracked_private_files
from generator.scaffold import render_site_files

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
MRR = "month,mrr\n2024-01,1234\n2024-02,1456\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture(autouse=True)
def _no_metrics_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(METRICS_DIR_VARIABLE, raising=False)


def _git(folder: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True,
                               env={**os.environ, **GIT_ENV})
    return completed.stdout


def _commit_all(folder: Path, message: str = "c") -> None:
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", message)


def _site(tmp_path: Path, yaml_text: str = "title: T\nmetrics:\n  publish:\n    mrr: rounded\n") -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(yaml_text, encoding="utf-8")
    return site


# --- metrics_dir: the flag and the environment override site.yaml, without checking what they override ---

def test_the_environment_overrides_a_metrics_dir_that_exists_only_on_the_founders_machine(tmp_path: Path) -> None:
    site = _site(tmp_path, "title: T\nmetrics_dir: ../../Dropbox/numbers\n")
    private = tmp_path / "checkout"
    private.mkdir()
    config = load_config(site, environ={METRICS_DIR_VARIABLE: str(private)})
    assert config.metrics_folder == private.resolve()
    assert load_config(site, metrics_dir=private, environ={}).metrics_folder == private.resolve()


def test_import_with_the_environment_writes_only_into_that_folder(runner: CliRunner, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, "title: T\n")
    (site / "metrics").mkdir()
    private = tmp_path / "private"
    private.mkdir()
    log = tmp_path / "log.csv"
    log.write_text("date,customer,mrr\n2024-01-05,a,100\n2024-02-03,b,50\n", encoding="utf-8")
    monkeypatch.setenv(METRICS_DIR_VARIABLE, str(private))
    result = runner.invoke(main, ["import", "events", str(log), "-s", str(site)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in private.iterdir()) == ["churn.csv", "cohorts.csv", "mrr.csv"]
    assert list((site / "metrics").iterdir()) == []  # the public folder is untouched
    assert f"Wrote {private / 'mrr.csv'}" in result.output or "mrr.csv" in result.output
    assert "2024-02,150.00" in (private / "mrr.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["metrics", "--format", "csv"], ["new", "report", "2024-02"],
                                     ["import", "events", "LOG", "--dry-run"]])
def test_every_command_that_reads_metrics_takes_metrics_dir(runner: CliRunner, tmp_path: Path,
                                                            command: list[str]) -> None:
    site = _site(tmp_path, "title: T\n")
    private = tmp_path / "private"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("date,customer,mrr\n2024-01-05,a,1234\n", encoding="utf-8")
    args = [str(log) if part == "LOG" else part for part in command]
    result = runner.invoke(main, [*args, "-s", str(site), "--metrics-dir", str(private)])
    os.environ.pop(METRICS_DIR_VARIABLE, None)
    assert result.exit_code == 0, result.output
    assert not (site / "metrics").exists()
    if command[0] == "metrics":
        assert "2024-02,1456.00" in result.output
    if command[0] == "new":
        assert "{{ metric mrr 2024-02 }}" in next((site / "content/posts").iterdir()).read_text(encoding="utf-8")


# --- the site's repository, not the private one ---

@needs_git
def test_a_metrics_checkout_inside_the_site_that_is_its_own_repository_is_not_warned_about(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _git(site, "init", "-q", "-b", "main")
    private = site / "private-numbers"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    _git(private, "init", "-q", "-b", "main")
    _commit_all(private)
    config = load_config(site, metrics_dir=private, environ={})
    assert find_tracked_private_files(config.metrics, private, site) == []
    # the same file tracked by the site's repository is the leak the warning is about
    public = site / "metrics"
    public.mkdir()
    (public / "mrr.csv").write_text(MRR, encoding="utf-8")
    _git(site, "add", "metrics/mrr.csv")
    [warning] = find_tracked_private_files(config.metrics, public, site)
    assert "git tracks mrr.csv" in warning.message


@needs_git
def test_a_folder_outside_the_sites_repository_is_not_warned_about(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _git(site, "init", "-q", "-b", "main")
    private = tmp_path / "numbers"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    _git(private, "init", "-q", "-b", "main")
    _commit_all(private)
    config = load_config(site, metrics_dir=private, environ={})
    assert find_tracked_private_files(config.metrics, private, site) == []


@needs_git
@pytest.mark.parametrize("ignored", [False, True])
def test_the_version_ignores_a_private_checkout_inside_the_site(tmp_path: Path, ignored: bool) -> None:
    site = _site(tmp_path)
    (site / ".gitignore").write_text("/private-numbers/\n" if ignored else "/output/\n", encoding="utf-8")
    _git(site, "init", "-q", "-b", "main")
    _commit_all(site)
    private = site / "private-numbers"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    _git(private, "init", "-q", "-b", "main")
    _commit_all(private)
    (private / "mrr.csv").write_text(MRR + "2024-03,1500\n", encoding="utf-8")  # uncommitted there, too
    head = _git(site, "rev-parse", "HEAD").strip()
    revision = load_source_revision(site, private)
    assert revision is not None and (revision.commit, revision.dirty) == (head, False)
    # a change of the site itself still counts
    (site / "site.yaml").write_text("title: U\n", encoding="utf-8")
    assert load_source_revision(site, private).dirty


@needs_git
def test_metrics_the_sites_repository_tracks_still_make_the_version_dirty(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "metrics").mkdir()
    (site / "metrics/mrr.csv").write_text(MRR, encoding="utf-8")
    _git(site, "init", "-q", "-b", "main")
    _commit_all(site)
    (site / "metrics/mrr.csv").write_text(MRR + "2024-03,1500\n", encoding="utf-8")
    assert load_source_revision(site, site / "metrics").dirty


# --- init --private-numbers ---

def _private_files() -> dict[PurePosixPath, str]:
    return render_site_files("T", today=date(2026, 1, 1), private_numbers=True)


def test_init_private_numbers_keeps_the_csvs_out_of_the_public_repository(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "acme"
    result = runner.invoke(main, ["init", str(target), "--private-numbers"])
    assert result.exit_code == 0, result.output
    assert not (target / "metrics").exists()
    assert sorted(p.name for p in (target / "private-numbers").iterdir()) == [
        "README.md", "cash.csv", "churn.csv", "costs.csv", "mrr.csv"]
    assert "/private-numbers/" in (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert load_config(target, environ={}).metrics_folder == (target / "private-numbers").resolve()
    check = runner.invoke(main, ["check", "--strict", "-s", str(target)])
    assert check.exit_code == 0, check.output


def test_the_private_workflow_is_the_public_one_plus_the_private_checkout() -> None:
    public = render_site_files("T", today=date(2026, 1, 1))[PurePosixPath(".github/workflows/publish.yml")]
    private = _private_files()[PurePosixPath(".github/workflows/publish.yml")]
    added = [line for line in private.splitlines() if line not in public.splitlines()]
    assert [line for line in public.splitlines() if line not in private.splitlines()] == []
    assert any("OPENSITE_METRICS_DIR: ${{ github.workspace }}/private-numbers" in line for line in added)
    workflow = yaml.safe_load(private)
    checkout = [s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkout) == 2 and all(PINNED.match(s["uses"]) for s in checkout)
    assert checkout[1]["with"] == {"repository": "${{ github.repository }}-numbers",
                                   "ssh-key": "${{ secrets.NUMBERS_DEPLOY_KEY }}", "path": "private-numbers",
                                   "persist-credentials": False}


def test_the_private_workflow_passes_actionlint(tmp_path: Path) -> None:
    path = tmp_path / ".github/workflows/publish.yml"
    path.parent.mkdir(parents=True)
    path.write_text(_private_files()[PurePosixPath(".github/workflows/publish.yml")], encoding="utf-8")
    completed = subprocess.run([_actionlint(), "-no-color", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr


# --- the workflow, run locally: two repositories, its steps in order ---

PAGES_URL = "https://acme.github.io/open/"
PROTECTED_YAML = """
metrics:
  currency: USD
  publish:
    cash: hidden
    mrr: {disclosure: rounded, round_to: 1000}
"""


def _expression(text: str, context: dict[str, str]) -> str:
    """Replace each ${{ name }} the workflow uses with its value here; fail on one this test does not know."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name not in context:
            pytest.fail(f"the workflow uses ${{{{ {name} }}}}, which this test does not emulate")
        return context[name]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _run_step(step: dict[str, Any], workspace: Path, env: dict[str, str], remotes: dict[str, Path],
              context: dict[str, str]) -> None:
    """Do what one step does on a runner: clone for actions/checkout, run a shell step with bash."""
    uses = step.get("uses", "").split("@")[0]
    if uses == "actions/checkout":
        options = {k: _expression(str(v), context) for k, v in step.get("with", {}).items()}
        source = remotes[options.get("repository", context["github.repository"])]
        target = workspace / options.get("path", ".")
        assert "secrets.NUMBERS_DEPLOY_KEY" in str(step.get("with", {}).get("ssh-key", "secrets.NUMBERS_DEPLOY_KEY"))
        subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True, capture_output=True,
                       env={**os.environ, **GIT_ENV})
        return
    if uses in ("actions/setup-python", "actions/configure-pages"):
        return  # this Python, with opensite installed; the Pages address is in `context`
    if uses == "actions/upload-pages-artifact":
        assert (workspace / step["with"]["path"] / "index.html").is_file()
        return
    command = step["run"]
    if command.startswith("python -m pip install"):
        return  # opensite is installed in this environment already (the step installs the site's pin)
    step_env = {**env, **{k: _expression(str(v), context) for k, v in step.get("env", {}).items()}}
    completed = subprocess.run(["bash", "-e", "-c", command], cwd=workspace, env=step_env, capture_output=True,
                               text=True)
    assert completed.returncode == 0, f"{step.get('name', command)} failed:\n{completed.stdout}{completed.stderr}"


@needs_git
def test_the_private_numbers_workflow_checks_and_builds_from_two_repositories(tmp_path: Path) -> None:
    # The founder's machine: `opensite init --private-numbers`, rules that protect cash and MRR, two pushes.
    files = _private_files()
    files[PurePosixPath("site.yaml")] = files[PurePosixPath("site.yaml")].replace(
        "\nmetrics:\n  currency: USD\n", PROTECTED_YAML, 1)
    local = tmp_path / "local"
    for relpath, text in files.items():
        (local / relpath).parent.mkdir(parents=True, exist_ok=True)
        (local / relpath).write_text(text, encoding="utf-8")
    numbers = local / "private-numbers"
    _git(local, "init", "-q", "-b", "main")
    _commit_all(local, "site")
    assert "private-numbers" not in _git(local, "ls-files")  # git-ignored: never in the public repository
    _git(numbers, "init", "-q", "-b", "main")
    _commit_all(numbers, "numbers")
    remotes = {"acme/open": tmp_path / "open.git", "acme/open-numbers": tmp_path / "open-numbers.git"}
    for remote, folder in zip(remotes.values(), (local, numbers)):
        subprocess.run(["git", "clone", "-q", "--bare", str(folder), str(remote)], check=True, capture_output=True)
    # The runner: an empty workspace, the job's environment, then every step of the build job in order.
    workspace = tmp_path / "runner" / "work"
    workspace.mkdir(parents=True)
    context = {"github.workspace": str(workspace), "github.repository": "acme/open",
               "secrets.NUMBERS_DEPLOY_KEY": "(deploy key)", "steps.pages.outputs.base_url": PAGES_URL.rstrip("/")}
    workflow = yaml.safe_load(files[PurePosixPath(".github/workflows/publish.yml")])
    job = workflow["jobs"]["build"]
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path),
           **GIT_ENV, **{k: _expression(str(v), context) for k, v in job.get("env", {}).items()}}
    assert env[METRICS_DIR_VARIABLE] == str(workspace / "private-numbers")
    ran = []
    for step in job["steps"]:
        _run_step(step, workspace, env, remotes, context)
        ran.append(step.get("name") or step["uses"].split("@")[0])
    assert ran.index("Check out the private numbers") < ran.index("Check the site") < ran.index("Build the site")
    # What was published: no exact protected value anywhere, and the revision of the public repository.
    output = workspace / "output"
    cash = [line.split(",")[1] for line in (numbers / "cash.csv").read_text().splitlines()[1:]]
    mrr = [line.split(",")[1] for line in (numbers / "mrr.csv").read_text().splitlines()[1:]]
    secrets = {v for v in cash + mrr if int(v) % 1000}  # a multiple of 1000 is what rounding shows
    assert secrets
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".svg", ".xml", ".txt", ""):
            text = path.read_text(encoding="utf-8", errors="replace").replace(",", "")
            text = text.replace('og:image:width" content="1200"', "")  # the share image's size, not a number
            found = sorted(s for s in secrets if re.search(rf"(?<![\d.]){s}(?:\.00)?(?![\d])", text))
            assert found == [], f"{path.relative_to(output)} shows {found}"
    version = (output / "data/VERSION").read_text(encoding="utf-8").strip()
    assert version == _git(workspace, "rev-parse", "HEAD").strip()  # not "-dirty": the checkout is not the site's

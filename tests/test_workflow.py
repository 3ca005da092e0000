"""The GitHub Pages workflow: the demo's and the one `opensite init` writes, kept in step and linted."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import REPO

from generator import __version__
from generator.scaffold import render_site_files

DEMO_WORKFLOW = REPO / ".github/workflows/publish.yml"
WORKFLOW_PATH = PurePosixPath(".github/workflows/publish.yml")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
OFFICIAL = {"actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact",
            "actions/deploy-pages"}


def _init_workflow() -> str:
    return render_site_files("T", today=date(2026, 1, 1))[WORKFLOW_PATH]


def _demo_workflow() -> str:
    return DEMO_WORKFLOW.read_text(encoding="utf-8")


WORKFLOWS = {"demo": _demo_workflow, "init": _init_workflow}


def _load(text: str) -> dict[Any, Any]:
    return yaml.safe_load(text)


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_runs_on_push_to_main_daily_and_by_hand(name: str) -> None:
    workflow = _load(WORKFLOWS[name]())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert len(triggers["schedule"]) == 1 and len(triggers["schedule"][0]["cron"].split()) == 5
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_pins_github_actions_to_full_commit_shas(name: str) -> None:
    text = WORKFLOWS[name]()
    uses = [step["uses"] for step in _steps(_load(text)) if "uses" in step]
    assert {u.split("@")[0] for u in uses} == OFFICIAL
    assert all(PINNED.match(u) for u in uses), uses
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"#\s*v\d+\.\d+\.\d+$", line), f"name the version of the pinned SHA: {line}"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_checks_strictly_then_builds_with_the_pages_base_url(name: str) -> None:
    workflow = _load(WORKFLOWS[name]())
    steps = _steps(workflow)
    runs = [step.get("run", "") for step in steps]
    check = next(i for i, run in enumerate(runs) if run.startswith("opensite check"))
    build = next(i for i, run in enumerate(runs) if run.startswith("opensite build"))
    pages = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/configure-pages@"))
    assert pages < check < build
    assert "--strict" in runs[check]
    for index in (check, build):
        assert '--base-url "$BASE_URL"' in runs[index]
        assert steps[index]["env"]["BASE_URL"] == f"${{{{ steps.{steps[pages]['id']}.outputs.base_url }}}}"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "output"
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert "SOURCE_DATE_EPOCH" not in str(workflow), "scheduled posts need the real build time"


def test_init_workflow_is_the_demo_workflow_with_opensite_from_pypi() -> None:
    demo = [line for line in _demo_workflow().splitlines() if not line.startswith("# ")]
    init = [line for line in _init_workflow().splitlines() if not line.startswith("# ")]
    assert len(demo) == len(init)
    different = [(a, b) for a, b in zip(demo, init) if a != b]
    assert different == [("        run: python -m pip install .",
                          "        run: python -m pip install -r requirements.txt")]


def _actionlint() -> str:
    """Return the actionlint binary from the test extra (beside this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is missing: install the test extra (pip install -e '.[test]')")
    return found


def test_actionlint_reports_a_planted_mistake(tmp_path: Path) -> None:
    """Guard against a silent linter: an unknown event and a bad expression must be reported."""
    path = tmp_path / ".github/workflows/bad.yml"
    path.parent.mkdir(parents=True)
    path.write_text("on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - run: echo ${{ github.nope }}\n", encoding="utf-8")
    completed = subprocess.run([_actionlint(), "-no-color", str(path)], capture_output=True, text=True,
                               cwd=tmp_path)
    assert completed.returncode == 1
    assert "pushh" in completed.stdout


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_passes_actionlint(name: str, tmp_path: Path) -> None:
    binary = _actionlint()
    path = tmp_path / ".github/workflows/publish.yml"
    path.parent.mkdir(parents=True)
    path.write_text(WORKFLOWS[name](), encoding="utf-8")
    completed = subprocess.run([binary, "-no-color", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_installs_a_chinese_font_when_the_site_has_chinese_text(name: str, tmp_path: Path) -> None:
    """Share images are drawn in a font of the building machine (issue 19): the step installs fonts-noto-cjk
    exactly when site.yaml's language or a post is Chinese, before opensite checks or builds."""
    steps = _steps(_load(WORKFLOWS[name]()))
    step = next(s for s in steps if "fonts-noto-cjk" in s.get("run", ""))
    assert steps.index(step) < next(i for i, s in enumerate(steps) if s.get("run", "").startswith("opensite check"))
    condition = step["run"].splitlines()[0].removeprefix("if ").removesuffix("; then")
    cases = {"english": ("language: en\n", "Hello."), "chinese site": ("language: zh-CN\n", "Hello."),
             "chinese post": ("language: en\n", "我们的第一年")}
    for case, (config, post) in cases.items():
        site = tmp_path / case
        (site / "content" / "posts").mkdir(parents=True)
        (site / "site.yaml").write_text(config, encoding="utf-8")
        (site / "content" / "posts" / "a.md").write_text(post, encoding="utf-8")
        found = subprocess.run(["bash", "-c", condition], cwd=site, capture_output=True).returncode == 0
        assert found == (case != "english"), case

"""opensite's own release and CI workflows, and a fresh site's install line against a local wheel index."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import REPO
from test_workflow import _actionlint

from generator import __version__
from generator.scaffold import render_site_files, write_new_files

RELEASE = REPO / ".github/workflows/release.yml"
CI = REPO / ".github/workflows/ci.yml"


def _load(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


@pytest.mark.parametrize("path", [RELEASE, CI], ids=["release", "ci"])
def test_repository_workflows_pass_actionlint(path: Path) -> None:
    completed = subprocess.run([_actionlint(), "-no-color", str(path)], capture_output=True, text=True, cwd=REPO)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_release_builds_checks_smoke_tests_and_publishes_on_v_tags_with_trusted_publishing() -> None:
    workflow = _load(RELEASE)
    assert workflow[True]["push"] == {"tags": ["v*"]}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    runs = _runs(build)
    assert "python -m build" in runs and "twine check --strict dist/*" in runs
    smoke = runs[runs.index("python -m venv"):]
    assert "pip install dist/*.whl" in smoke
    assert all(f"opensite {command}" in smoke for command in ("init", "build", "check --strict"))
    assert publish["needs"] == "build" and publish["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert publish["permissions"] == {"id-token": "write"} and workflow["permissions"] == {"contents": "read"}
    [upload] = [s for s in publish["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert "with" not in upload or "password" not in upload["with"]  # no token: trusted publishing


def test_ci_tests_every_supported_python() -> None:
    job = _load(CI)["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    assert 'pip install -e ".[test]"' in _runs(job) and "python -m pytest" in _runs(job)


def test_init_site_pins_opensite_and_keeps_the_pin_current() -> None:
    files = render_site_files("T", today=date(2026, 1, 1))
    requirements = [line for line in files[PurePosixPath("requirements.txt")].splitlines()
                    if line and not line.startswith("#")]
    assert requirements == [f"opensite=={__version__}"]
    dependabot = yaml.safe_load(files[PurePosixPath(".github/dependabot.yml")])
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"pip", "github-actions"}
    assert all(u["directory"] == "/" for u in dependabot["updates"])


@pytest.fixture(scope="module")
def wheel_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of wheels standing in for PyPI: opensite built from this checkout, and its dependencies."""
    folder = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", str(REPO), "-w", str(folder)], check=True,
                   capture_output=True)
    return folder


def test_fresh_init_site_installs_opensite_from_its_pin_with_the_workflow_line(wheel_index: Path,
                                                                                tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_new_files(site, render_site_files("T", today=date.today()))
    workflow = yaml.safe_load((site / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    [install] = [s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Install opensite"]
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / "bin"
    environ = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "PIP_NO_INDEX": "1",
               "PIP_FIND_LINKS": str(wheel_index), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    environ.pop("PYTHONPATH", None)
    subprocess.run(["bash", "-c", install.replace("python ", f"{bindir / 'python'} ", 1)], cwd=site, env=environ,
                   check=True, capture_output=True)
    version = subprocess.run([str(bindir / "opensite"), "--version"], env=environ, capture_output=True, text=True)
    assert version.stdout.strip().endswith(__version__)
    check = subprocess.run([str(bindir / "opensite"), "check", "--strict"], cwd=site, env=environ,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr

"""The check warning for hidden or rounded metrics whose CSV a git repository tracks."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config.site import SiteConfig
from generator.metrics.publish.tracked import find_tracked_private_files, input_files

MRR = "month,mrr\n2024-01,100\n"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def test_input_files_follow_the_dependency_graph() -> None:
    assert input_files("arpu") == {"mrr.csv", "churn.csv"}
    assert input_files("runway_months") == {"cash.csv", "costs.csv", "mrr.csv"}
    assert input_files("costs.payroll") == {"costs.csv"}


def test_warns_when_a_hidden_metric_comes_from_a_tracked_file(make_site: Callable[..., SiteConfig],
                                                             tmp_path: Path) -> None:
    config = make_site({"mrr.csv": MRR, "cash.csv": "month,balance\n2024-01,5\n"},
                       metrics="metrics:\n  publish:\n    cash: hidden\n    mrr: rounded\n")
    _git(tmp_path, "init", "-q")
    assert find_tracked_private_files(config.metrics, tmp_path / "metrics", tmp_path) == []  # nothing tracked yet
    _git(tmp_path, "add", "metrics/cash.csv")
    [warning] = find_tracked_private_files(config.metrics, tmp_path / "metrics", tmp_path)
    assert warning.line == 4 and warning.severity == "warning"
    assert warning.message.startswith("cash is hidden on the site, but git tracks cash.csv")
    assert "metrics_dir" in warning.hint


def test_quiet_outside_a_repository(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    config = make_site({"mrr.csv": MRR}, metrics="metrics:\n  publish:\n    mrr: hidden\n")
    assert find_tracked_private_files(config.metrics, tmp_path / "metrics", tmp_path) == []

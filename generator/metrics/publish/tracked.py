"""A hidden number in a public repository is not hidden: warn when git tracks the file it comes from.

`hidden` and `rounded` act on the site; anyone who can read the repository reads every CSV in it.
`check` names each metric whose rule is stricter than `exact` and whose input file git tracks, and
points to `metrics_dir` (a folder outside the repository, e.g. a private checkout).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from generator.config.metrics import Disclosure, MetricsConfig
from generator.errors import Diagnostic
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS, RAW_COLUMNS

GIT_TIMEOUT_SECONDS = 10


def find_tracked_private_files(settings: MetricsConfig, folder: Path) -> list[Diagnostic]:
    """Return a warning per non-exact rule whose input CSV in `folder` is tracked by git."""
    rules = {m: r for m, r in settings.publish.items() if r.disclosure is not Disclosure.EXACT}
    if not rules or not folder.is_dir():
        return []
    tracked = list_tracked(folder)
    warnings = []
    for metric_id, rule in rules.items():
        files = sorted(path for name in input_files(metric_id) for path in tracked if path.name.lower() == name)
        if files:
            shown = ", ".join(p.name for p in files)
            warnings.append(Diagnostic(
                f"{metric_id} is {rule.disclosure.value} on the site, but git tracks {shown}: anyone who can read "
                "the repository reads the exact numbers", settings.source, rule.line, None,
                "keep the CSVs in a private repository and point metrics_dir: (or OPENSITE_METRICS_DIR) at its "
                "checkout; see README, 'What is public'", "warning"))
    return warnings


def input_files(metric_id: str) -> set[str]:
    """Return the names of the CSV files a metric is computed from, e.g. {'mrr.csv', 'churn.csv'} for ARPU."""
    if metric_id.startswith(COST_PREFIX):
        return {"costs.csv"}
    pending, files, seen = [metric_id], set(), set()
    while pending:
        current = pending.pop()
        definition = METRIC_DEFINITIONS.get(current)
        if current in seen or definition is None:
            files |= {"churn.csv"} if current in RAW_COLUMNS else set()
            continue
        seen.add(current)
        if definition.is_input and definition.source:
            files.add(definition.source.default.split(",")[0].strip().strip("`"))  # '`mrr.csv`, column `new`'

        pending.extend(definition.needs)
    return files


def list_tracked(folder: Path) -> list[Path]:
    """Return the files under `folder` that git tracks ([] outside a repository or without git)."""
    try:
        completed = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=folder, capture_output=True,
                                   timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if completed.returncode != 0:
        return []
    return [folder / name for name in _names(completed.stdout)]


def _names(output: bytes) -> Iterable[str]:
    return (name for name in output.decode("utf-8", "replace").split("\0") if name)

"""What the site's git repository holds: the CSVs it must not track, and the revision the open data names.

A hidden number in a public repository is not hidden: warn when the site's git repository tracks its file.

`hidden` and `rounded` act on the site; anyone who can read the repository reads every CSV in it.
`check` names each metric whose rule is stricter than `exact` and whose input file the *site's* repository
tracks, and points to `metrics_dir`. A metrics folder that is its own repository (a private checkout, even one
inside the site's folder) is what the warning recommends, so it is not warned about (issue 20).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from generator.config.metrics import Disclosure, MetricsConfig
from generator.cache import CACHE_DIR
from generator.errors import Diagnostic
from generator.metrics.publish.export import SourceRevision
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS, RAW_COLUMNS

GIT_TIMEOUT_SECONDS = 10


def find_tracked_private_files(settings: MetricsConfig, folder: Path, site_root: Path) -> list[Diagnostic]:
    """Return a warning per non-exact rule whose input CSV in `folder` the repository of `site_root` tracks."""
    rules = {m: r for m, r in settings.publish.items() if r.disclosure is not Disclosure.EXACT}
    if not rules or not folder.is_dir():
        return []
    tracked = list_tracked(folder, site_root)
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


def list_tracked(folder: Path, site_root: Path) -> list[Path]:
    """Return the files under `folder` that the git repository holding `site_root` tracks.

    [] outside a repository, without git, or when `folder` lies outside the site's repository. Files of a
    repository nested inside the site's (a private checkout) are not the site's: git lists none of them.
    """
    top = site_repository(site_root)
    if top is None:
        return []
    try:
        inside = folder.resolve().relative_to(top)
    except ValueError:
        return []  # another repository, or none: not what the site publishes
    listed = _git(top, "ls-files", "-z", "--", inside.as_posix() or ".")
    return [top / name for name in _names(listed)] if listed is not None else []


def site_repository(site_root: Path) -> Path | None:
    """Return the top folder of the git repository holding `site_root`, or None."""
    listed = _git(site_root, "rev-parse", "--show-toplevel")
    return Path(listed.decode("utf-8", "replace").strip()).resolve() if listed else None


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        completed = subprocess.run(["git", *args], cwd=folder, capture_output=True, timeout=GIT_TIMEOUT_SECONDS,
                                   check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout if completed.returncode == 0 else None


def _names(output: bytes) -> Iterable[str]:
    return (name for name in output.decode("utf-8", "replace").split("\0") if name)


def load_source_revision(root: Path, metrics_dir: Path | None = None) -> SourceRevision | None:
    """Return the git commit of the site's checkout and whether its tree has uncommitted changes, or None.

    Files git ignores (the output) and opensite's own cache do not count; anything else changed, staged
    or untracked under the site's folder does, since it may change what the site publishes. A `metrics_dir`
    inside the site that the site's repository does not track (a private checkout, issue 20) is another
    repository's business: it does not make the site's revision dirty.
    """
    git = shutil.which("git")
    if git is None:
        return None
    try:
        head = subprocess.run([git, "rev-parse", "--verify", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=30, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        if head.returncode != 0:
            return None  # not a checkout, or one without a commit yet
        status = subprocess.run([git, "status", "--porcelain", "--", ".", f":!{CACHE_DIR}",
                                 *_private_checkout(root, metrics_dir)], cwd=root, capture_output=True,
                                text=True, timeout=30, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return SourceRevision(head.stdout.strip(), bool(status.stdout.strip()))


def _private_checkout(root: Path, metrics_dir: Path | None) -> list[str]:
    """Return a pathspec leaving out `metrics_dir` when it lies inside the site and the site's repository tracks
    nothing in it; [] otherwise (metrics the site's repository does track are its own changes)."""
    if metrics_dir is None:
        return []
    try:
        inside = metrics_dir.resolve().relative_to(root.resolve())
    except ValueError:
        return []  # outside the site: git status of the site never sees it
    if not inside.parts or list_tracked(metrics_dir, root):
        return []
    return [f":!{inside.as_posix()}"]

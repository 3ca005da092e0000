"""Write an import's files into metrics/ all at once: every file, or none; never through a symbolic link.

Each file is written by `atomic.write_atomic` (a temporary file beside it, fsync, rename). Before the
first is replaced, every existing file is hard-linked to a backup; if a later write fails, the files
already replaced are put back from their backups, so an error leaves every previous file exactly as it
was. A target that is a symbolic link (or sits in a linked folder) is refused before anything is read
or written: `metrics/mrr.csv -> ~/other-site/metrics/mrr.csv` must not be overwritten (issue 22).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.atomic import WriteRefused, check_writable, write_atomic
from generator.errors import Diagnostic, OutputError

_OLD = ".opensite-import-old"


def site_folder_of(path: Path) -> Path:
    """Return the folder an import may write in: the one holding metrics/ (`path` is metrics/<name>)."""
    return path.parent.parent


def check_targets(paths: Iterable[Path]) -> None:
    """Raise OutputError, located at each file, when an import would write through a symbolic link."""
    problems = []
    for path in paths:
        try:
            check_writable(path, site_folder_of(path))
        except WriteRefused as refused:
            problems.append(Diagnostic(f"an import never writes through a symbolic link: {refused.strerror}",
                                       Path(refused.filename or path), None, None,
                                       "replace the link with a copy of the file, or import in the site the "
                                       "link points to"))
    error = OutputError.collect(problems)
    if error:
        raise error


def write_metric_files(files: Mapping[Path, bytes]) -> None:
    """Replace each path with its bytes, all or nothing.

    Raises:
        OutputError: a target is a symbolic link, or a file could not be written; nothing was changed.
    """
    check_targets(files)
    backups: dict[Path, Path] = {}
    moved: list[Path] = []
    try:
        for path in files:
            if path.exists():
                backups[path] = _back_up(path)
        for path, data in files.items():
            write_atomic(path, data, within=site_folder_of(path))
            moved.append(path)
    except OSError as exc:
        _roll_back(moved, backups)
        raise OutputError(f"cannot write {Path(exc.filename or '').name or 'the metrics files'}: "
                          f"{exc.strerror or exc}", Path(exc.filename) if exc.filename else None,
                          hint="check free disk space and permissions; no file was changed") from None
    finally:
        for leftover in backups.values():
            leftover.unlink(missing_ok=True)


def _back_up(path: Path) -> Path:
    backup = path.with_name(f".{path.name}{_OLD}")
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup, follow_symlinks=False)
    return backup


def _roll_back(moved: list[Path], backups: Mapping[Path, Path]) -> None:
    """Put back the files already replaced: their old bytes, or no file where there was none."""
    for path in moved:
        if path in backups:
            os.replace(backups[path], path)
        else:
            path.unlink(missing_ok=True)

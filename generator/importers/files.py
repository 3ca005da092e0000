"""Write an import's files into metrics/ all at once: every file, or none.

Each new file is written beside its target first; only when all are on disk are they moved into
place, each by an atomic rename. If a rename fails, the files already moved are put back from
their backups, so an error leaves every previous file exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from generator.errors import OutputError

_NEW = ".opensite-import-new"
_OLD = ".opensite-import-old"


def write_metric_files(files: Mapping[Path, bytes]) -> None:
    """Replace each path with its bytes, all or nothing.

    Raises:
        OutputError: a file could not be written; nothing was changed.
    """
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    moved: list[Path] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            staged[path] = _write_beside(path, data)
        for path in files:
            if path.exists():
                backups[path] = _back_up(path)
        for path, temp in staged.items():
            os.replace(temp, path)
            moved.append(path)
    except OSError as exc:
        _roll_back(moved, backups)
        raise OutputError(f"cannot write {Path(exc.filename or '').name or 'the metrics files'}: "
                          f"{exc.strerror or exc}", Path(exc.filename) if exc.filename else None,
                          hint="check free disk space and permissions; no file was changed") from None
    finally:
        for leftover in [*staged.values(), *backups.values()]:
            leftover.unlink(missing_ok=True)


def _back_up(path: Path) -> Path:
    backup = path.with_name(f".{path.name}{_OLD}")
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def _write_beside(path: Path, data: bytes) -> Path:
    temp = path.with_name(f".{path.name}{_NEW}")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def _roll_back(moved: list[Path], backups: Mapping[Path, Path]) -> None:
    """Put back the files already replaced: their old bytes, or no file where there was none."""
    for path in moved:
        if path in backups:
            os.replace(backups[path], path)
        else:
            path.unlink(missing_ok=True)

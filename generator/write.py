"""Rendered files to output/: the only module that writes to disk.

A build is written into a fresh sibling folder and swapped in only when every file is there,
so a failed or interrupted build leaves the previous output/ exactly as it was. opensite only
ever replaces a folder it made itself (it carries a marker file) or an empty one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from generator.config import CONFIG_NAME
from generator.content import StaticFile
from generator.dashboard.restatements import RECORD_FILE, PublishedRecord, render_published_record
from generator.errors import OutputError
from generator.model import OutputFile

MARKER = ".opensite-output"
MARKER_TEXT = b"Built by opensite. This folder is replaced on every build: do not edit files here.\n"
SOURCE_FOLDERS = ("content", "metrics", "templates")


def check_output_dir(output: Path, site_root: Path) -> None:
    """Raise OutputError unless `output` is safe to replace: never a folder opensite did not make."""
    out = output.resolve()
    root = site_root.resolve()
    hint = "pass another folder with --output, e.g. --output output"
    if out == root or out in root.parents:
        raise OutputError(f"the output folder {output} holds the site itself", output, hint=hint)
    for folder in SOURCE_FOLDERS:
        source = root / folder
        if out == source or source in out.parents:
            raise OutputError(f"the output folder {output} is inside the site's {folder}/ folder", output, hint=hint)
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {output} is a file, not a folder", output, hint=hint)
    if out.is_dir():
        if (out / CONFIG_NAME).exists() or (out / "content").is_dir():
            raise OutputError(f"the output folder {output} holds a site (site.yaml or content/)", output, hint=hint)
        if not (out / MARKER).is_file() and any(out.iterdir()):
            raise OutputError(
                f"the output folder {output} is not empty and was not made by opensite", output,
                hint="empty or delete it yourself, or pass another folder with --output")


def write_output(output: Path, files: Sequence[OutputFile], static_files: Sequence[StaticFile]) -> None:
    """Write a complete build next to `output`, then swap it in; the old output survives any failure."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.opensite-new-{os.getpid()}"
    retired = output.parent / f".{output.name}.opensite-old-{os.getpid()}"
    _remove(staging)
    try:
        _write_tree(staging, files, static_files)
    except OSError as exc:
        _remove(staging)
        raise OutputError(f"cannot write the build: {exc.strerror or exc}", Path(exc.filename or output),
                          hint="check free disk space and permissions") from None
    _swap(staging, output, retired)


def _write_tree(staging: Path, files: Sequence[OutputFile], static_files: Sequence[StaticFile]) -> None:
    staging.mkdir()
    made: set[Path] = {staging}
    for static in static_files:
        target = staging / static.relpath
        _ensure_parent(target, made)
        shutil.copyfile(static.source, target)
    for file in files:
        target = staging / file.path
        _ensure_parent(target, made)
        target.write_bytes(file.data)
    (staging / MARKER).write_bytes(MARKER_TEXT)


def _ensure_parent(target: Path, made: set[Path]) -> None:
    parent = target.parent
    if parent not in made:
        parent.mkdir(parents=True, exist_ok=True)
        made.add(parent)


def _swap(staging: Path, output: Path, retired: Path) -> None:
    """Move the new build into place with two renames, restoring the old one if the second fails."""
    _remove(retired)
    had_output = output.exists()
    if had_output:
        output.rename(retired)
    try:
        staging.rename(output)
    except OSError as exc:
        if had_output:
            retired.rename(output)
        _remove(staging)
        raise OutputError(f"cannot replace {output}: {exc.strerror or exc}", output,
                          hint="close programs that hold files in the output folder") from None
    _remove(retired)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)


def write_published_record(root: Path, record: PublishedRecord) -> bool:
    """Keep metrics/.published.json in step with what the build published; return True when it changed.

    Written atomically and only when its bytes change, so an unchanged site leaves the checkout clean;
    never created for a site whose posts publish no values.
    """
    path = root / RECORD_FILE
    data = render_published_record(record)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        if not record.values:
            return False
    except OSError as error:
        raise OutputError(f"cannot read {RECORD_FILE}: {error}", path) from None
    staging = path.with_name(f".published.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging.write_bytes(data)
        os.replace(staging, path)
    except OSError as error:
        staging.unlink(missing_ok=True)
        raise OutputError(f"cannot write {RECORD_FILE}: {error}", path,
                          hint="the site folder must be writable; the build itself was written") from None
    return True

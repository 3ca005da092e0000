"""`opensite clean --output`: delete the files an output folder's marker lists, and nothing else.

The marker (`.opensite-output`) lists every file the build wrote, so `clean` deletes exactly those,
then the folders they leave empty, the marker and the staging folders of interrupted builds. It never
follows a symbolic link, never deletes a file the marker does not list (a web root's own `uploads/`),
and refuses any folder that cannot be an output folder: the home folder, `/`, the site folder or one
holding it, `content/`, `metrics/`, `templates/`, a folder holding a site, or one without the marker.
A stray marker in a home folder once made `clean` delete `.bashrc` and `Documents/` (issue 22).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import WriteRefused, check_writable
from generator.config import CONFIG_NAME
from generator.errors import OutputError
from generator.write.ownership import MARKER, SOURCE_FOLDERS, read_ownership
from generator.write.writer import remove_leftovers


@dataclass(frozen=True)
class CleanedOutput:
    """What cleaning an output folder did: files deleted, files kept (not opensite's), the folder gone or not."""

    folder: Path
    deleted: int
    kept: int
    removed_folder: bool


def check_clean_target(target: Path, site_root: Path) -> None:
    """Raise OutputError unless `target` may be an output folder of this site (checked before deleting anything)."""
    hint = "pass the output folder opensite built, e.g. -o output"
    resolved = target.resolve()
    root = site_root.resolve()
    refused = {Path(os.path.abspath(os.sep)): "the file system's root", Path.home().resolve(): "your home folder",
               root: "the site folder"}
    if resolved in refused:
        raise OutputError(f"refusing to clean {target}: it is {refused[resolved]}, not an output folder", target,
                          hint=hint)
    if resolved in root.parents or resolved in Path.home().resolve().parents:
        raise OutputError(f"refusing to clean {target}: it holds the site or your home folder", target, hint=hint)
    for folder in SOURCE_FOLDERS:
        if resolved == root / folder or root / folder in resolved.parents:
            raise OutputError(f"refusing to clean {target}: it is the site's {folder}/ folder or inside it", target,
                              hint=hint)
    if target.is_symlink():
        raise OutputError(f"refusing to clean {target}: it is a symbolic link (to {os.readlink(target)}), and "
                          "opensite never follows one", target, hint="delete the link yourself if it is stale")
    if (resolved / CONFIG_NAME).exists() or (resolved / "content").is_dir():
        raise OutputError(f"refusing to clean {target}: it holds a site (site.yaml or content/)", target, hint=hint)
    if resolved.is_dir() and not read_ownership(resolved).marked:
        raise OutputError(f"refusing to clean {target}: opensite did not make it (it has no {MARKER} marker)",
                          target, hint="delete it yourself if you are sure")


def clean_output(target: Path) -> CleanedOutput:
    """Delete the files `target`'s marker lists, the folders they leave empty, the marker and leftovers.

    Call `check_clean_target` first. Raises OutputError when a file cannot be deleted (permissions).
    """
    folder = Path(os.path.abspath(target))
    ownership = read_ownership(folder)
    deleted = 0
    try:
        for relpath in sorted(ownership.owned):
            path = folder / relpath
            try:
                if "/" in relpath:  # no link on the way: never deletes outside the folder (a listed link goes)
                    check_writable(path.parent, folder)
            except WriteRefused:
                continue
            if path.is_symlink() or path.is_file():
                path.unlink()
                deleted += 1
                _remove_empty_parents(path.parent, folder)
        remaining = [p for p in folder.iterdir() if p.name != MARKER]
        if ownership.owned or not remaining:  # a marker that lists nothing stays: the folder is not ours to judge
            (folder / MARKER).unlink(missing_ok=True)
        removed_folder = not remaining and not any(folder.iterdir())
        if removed_folder:
            folder.rmdir()
        remove_leftovers(folder)
    except OSError as exc:
        raise OutputError(f"cannot delete {exc.filename or folder}: {exc.strerror or exc}", folder,
                          hint="check the permissions of the output folder") from None
    kept = sum(1 for p in folder.rglob("*") if (not p.is_dir() or p.is_symlink()) and p != folder / MARKER) \
        if folder.is_dir() else 0
    return CleanedOutput(folder, deleted, kept, removed_folder)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent

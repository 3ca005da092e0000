"""Nothing from outside the site is read: symbolic links under content/, metrics/ and templates/.

A link such as `content/notes.txt -> /etc/passwd` or `content/shared -> ~/` would otherwise be
copied into output/ and published (or served by `opensite serve`). Links that stay inside the
site are fine (a shared image folder); a link that leaves it is an error naming the link and
where it points (issue #11, §1).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import Diagnostic


def is_inside(path: Path, root: Path) -> bool:
    """Return True when `path`, with every symbolic link resolved, lies in `root` (or is it)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a link loop resolves nowhere
        return False
    real_root = root.resolve()
    return resolved == real_root or real_root in resolved.parents


def outside_problem(path: Path, root: Path) -> Diagnostic:
    """Return the error for a link that leaves the site."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return Diagnostic(f"{path.name} is a symbolic link to {target}, outside the site: it is not read", path, None,
                      None, "copy the file into the site, or remove the link")


def walk_inside(folder: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Return every file under `folder` (following links that stay in `root`) and an error per link leaving it.

    Dot-folders are not entered (`.git` can be huge and is never published); a folder reached
    twice through links is walked once, so a link loop ends.
    """
    files: list[Path] = []
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return files, problems
    if not is_inside(folder, root):
        return files, [outside_problem(folder, root)]
    seen: set[Path] = set()
    for current, dirnames, filenames in os.walk(folder, followlinks=True):
        here = Path(current)
        real = here.resolve()
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if (here / name).is_symlink() and not is_inside(here / name, root):
                problems.append(outside_problem(here / name, root))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            path = here / name
            if path.is_symlink() and not is_inside(path, root):
                problems.append(outside_problem(path, root))
            elif path.is_file():
                files.append(path)
    return sorted(files), problems

"""What a long-running process (`opensite serve`) keeps from one build to the next, in memory.

A rebuild after one saved post used to redo everything a cold build's stages do, minus what the disk
caches held: read and hash every post, unpickle the content cache, assemble the whole dashboard, run the
disclosure attacker, hash every page's data (issue 24: 1.3 s at 1,000 posts). `Recall` keeps the last
result of each named computation with the inputs it was made from, compared by equality: a result is
reused only when its inputs equal the last ones, so a rebuild shows what a fresh build would.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class Recall:
    """The last result of each named computation, with its inputs."""

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[Any, Any]] = {}

    def get(self, name: Hashable, inputs: Any, compute: Callable[[], T]) -> T:
        """Return the last result of `name` when `inputs` equal its inputs; else compute it and keep it."""
        last = self._last.get(name)
        if last is None or last[0] != inputs:
            last = self._last[name] = (inputs, compute())
        return last[1]


def recall(memory: Recall | None, name: Hashable, inputs: Any, compute: Callable[[], T]) -> T:
    """Return `compute()`, or the result `memory` holds for the same inputs (no memory: compute)."""
    return compute() if memory is None else memory.get(name, inputs, compute)


def folder_stamp(folder: Path) -> tuple[object, ...]:
    """Return what a reader of the files at the top of `folder` depends on: each one's real path, size, mtime and
    inodes (of the file and of a link to it), sorted; an unreadable folder's stamp equals no other.

    The inputs of a result recalled while a folder's files are unchanged (`serve`'s metrics): a file saved,
    added, removed or re-linked changes the stamp, at the cost of two stats per file, not reading and parsing it.
    """
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
        stamps: list[object] = [os.path.realpath(folder)]
        for name in names:
            path = os.path.join(folder, name)
            link = os.lstat(path)
            try:
                stat = os.stat(path)
            except OSError:  # a broken link: the loader reports it
                stamps.append((name, link.st_ino))
                continue
            stamps.append((name, os.path.realpath(path), stat.st_size, stat.st_mtime_ns, stat.st_ino, link.st_ino))
    except OSError:  # missing, unreadable, or changing while listed: read it again (the loader reports problems)
        return (object(),)
    return tuple(stamps)

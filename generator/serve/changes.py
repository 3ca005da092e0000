"""What changed since `serve`'s last good build, as its file watchers saw it (issue 24).

A build told which files changed looks at those alone (`PagesInMemory.note_changes`): the other posts are
not stat'ed, and content/ is not listed again unless a file was added, removed or renamed. That is right
only while every change since the last good build was seen, so the log says "not known" (the next build
looks at every file) until a good build has run with the watchers in place, after the watchers (re)start,
and when a path is spelled unlike the folders watched; a failed build's changes are kept for the next one.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

_EDITOR_TEMP = re.compile(r"sed[A-Za-z0-9]{6}|4913|\.#.*|.*~|.*\.sw[a-p]|#.*#")


def is_editor_temp(name: str) -> bool:
    """Return True for files editors write and delete while saving (sed -i, vim's 4913 and .swp, emacs' .#x and x~)."""
    return _EDITOR_TEMP.fullmatch(name) is not None


class ChangeLog:
    """The files changed since the last good build (absolute paths, spelled as the watchers spell them)."""

    def __init__(self) -> None:
        self._pending: set[str] | None = None
        """None: not known. Only the thread that builds reads or changes it."""
        self._unseen = threading.Event()
        """Set by a watcher thread when changes may have gone unseen."""

    @property
    def pending(self) -> frozenset[str] | None:
        return None if self._pending is None else frozenset(self._pending)

    def watchers_started(self) -> None:
        """Say that files saved while the watchers started were seen by none: the next build looks at every file."""
        self._unseen.set()

    def add(self, paths: Iterable[Path], folders: Sequence[Path]) -> None:
        """Add the files the watchers saw change under `folders` (the folders they watch)."""
        if self._unseen.is_set():
            self._unseen.clear()
            self._pending = None
        elif self._pending is not None:
            self._pending.update(os.path.abspath(path) for path in paths)
            roots = [os.path.abspath(folder) for folder in folders]
            if not all(any(os.path.commonpath((path, root)) == root for root in roots) for path in self._pending):
                self._pending = None  # spelled unlike the folders watched: their events cannot be matched

    def built(self, watching: bool) -> None:
        """Say a build succeeded: from now on the watchers' events say what changed (without watchers: unknown)."""
        self._pending = set() if watching else None

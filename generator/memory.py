"""What a long-running process (`opensite serve`) keeps from one build to the next, in memory.

A rebuild after one saved post used to redo everything a cold build's stages do, minus what the disk
caches held: read and hash every post, unpickle the content cache, assemble the whole dashboard, run the
disclosure attacker, hash every page's data (issue 24: 1.3 s at 1,000 posts). `Recall` keeps the last
result of each named computation with the inputs it was made from, compared by equality: a result is
reused only when its inputs equal the last ones, so a rebuild shows what a fresh build would.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
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

"""What a long-running process (`opensite serve`) keeps from one build to the next, in memory; and what a build
keeps for the next build on disk (`StoredRecall`).

A rebuild after one saved post used to redo everything a cold build's stages do, minus what the disk
caches held: read and hash every post, unpickle the content cache, assemble the whole dashboard, run the
disclosure attacker, hash every page's data (issue 24: 1.3 s at 1,000 posts). `Recall` keeps the last
result of each named computation with the inputs it was made from, compared by equality: a result is
reused only when its inputs equal the last ones, so a rebuild shows what a fresh build would.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from types import FunctionType
from typing import Any, TypeVar

from generator.cache import CacheUpdate, SafeUnpickler, cache_folder, code_fingerprint, load_cache

T = TypeVar("T")
Digests = dict[tuple[int, bool], tuple[Any, bytes]]
"""The page keys' digests of objects, by (id, in full), each with its object (generator.pagekeys.KeyMemory)."""


class Recall:
    """The last result of each named computation, with its inputs."""

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[Any, Any]] = {}

    def get(self, name: Hashable, inputs: Any, compute: Callable[[], T], shared: Sequence[Any] = ()) -> T:
        """Return the last result of `name` when `inputs` equal its inputs; else compute it and keep it."""
        last = self._last.get(name)
        if last is None or last[0] != inputs:
            last = self._last[name] = (inputs, compute())
        return last[1]


def recall(memory: Recall | None, name: Hashable, inputs: Any, compute: Callable[[], T],
           shared: Sequence[Any] = ()) -> T:
    """Return `compute()`, or the result `memory` holds for the same inputs (no memory: compute).

    `shared`: objects of this build the result may hold (the posts a dashboard lists), which a result kept on
    disk (`StoredRecall`) refers to by position instead of holding copies.
    """
    return compute() if memory is None else memory.get(name, inputs, compute, shared)


STORED_FILE = "recall.pickle"
STORED = frozenset({"dashboard", "recovered", "leaks"})
"""The computations a build keeps for the next one (`StoredRecall`): the costly ones whose results pickle."""


class StoredRecall(Recall):
    """The results of the last build's costly computations whose inputs have not changed, kept in the build cache.

    A build after one edited post used to assemble the whole dashboard again (60 months: about 1 s at
    1,000 posts), hash every page of it for the page keys (0.8 s) and run the disclosure attacker
    (0.3 s), though nothing they show had changed (issue 24). The computations named in `STORED` are
    kept on disk with a digest of their inputs: their pickle, functions by name (the code fingerprint
    covers code). A build whose inputs have the same digest unpickles the result instead, with the page
    keys' digests of what it holds (`seeded_digests`), so those pages' keys come without hashing them.
    The inputs are those `serve`'s in-memory recall compares, so what is reused is what `serve` reuses.
    Other names are computed by every build, as with no memory.
    """

    def __init__(self, site_root: Path) -> None:
        super().__init__()
        self._path = cache_folder(site_root) / STORED_FILE
        loaded = load_cache(self._path, "recall", code_fingerprint())
        self.note = loaded.note
        """Set when the file was unreadable (then rebuilt)."""
        self._stored: dict[Hashable, tuple[bytes, bytes, bool]] = loaded.entries
        """By name: the inputs' digest, the pickled result with its digests, and whether digests came with it."""
        self._made: dict[Hashable, tuple[bytes, Any, tuple[Any, ...]]] = {}
        self._fresh: set[Hashable] = set()
        self._seeds: Digests = {}
        self._inputs: dict[int, tuple[Any, bytes | None]] = {}
        self._prepared: dict[Hashable, tuple[bytes, bytes, bool]] = {}

    def get(self, name: Hashable, inputs: Any, compute: Callable[[], T], shared: Sequence[Any] = ()) -> T:
        if (name[0] if isinstance(name, tuple) else name) not in STORED:
            return compute()
        digest = self._digest(inputs)
        entry = self._stored.get(name)
        if digest is not None and entry is not None and entry[0] == digest:
            found = _load_result(entry[1], shared)
            if found is not None:
                value, seeds = found
                self._seeds.update(seeds)
                self._made[name] = (digest, value, tuple(shared))
                return value  # type: ignore[no-any-return]
        value = compute()
        if digest is not None:
            self._made[name] = (digest, value, tuple(shared))
            self._fresh.add(name)
        return value

    def _digest(self, inputs: Any) -> bytes | None:
        """Return the digest of a tuple of inputs from each one's, each made once a build (the settings and the
        metrics are inputs of several computations)."""
        if type(inputs) is not tuple:
            return _input_digest(inputs)
        parts = []
        for one in inputs:
            known = self._inputs.get(id(one))
            if known is None or known[0] is not one:
                known = self._inputs[id(one)] = (one, _input_digest(one))
            if known[1] is None:
                return None
            parts.append(known[1])
        return hashlib.sha256(b"".join(parts)).digest()

    def seeded_digests(self) -> Digests:
        """Return the page keys' digests of the objects the reused results hold (generator.pagekeys.KeyMemory)."""
        return dict(self._seeds)

    def keep_digests(self, digests: Digests) -> None:
        """Pickle each result that needs its digests with those of the objects it holds among `digests` (one
        language's page keys): the digests are not held until the build ends, the result's pickle is."""
        for name, (digest, value, shared) in self._made.items():
            stored = self._stored.get(name)
            if name in self._prepared or (name not in self._fresh and stored is not None and stored[2]):
                continue
            dumped = _dump_result(value, shared, digests)
            if dumped is not None and dumped[1]:  # it holds objects these pages showed (its language's)
                self._prepared[name] = (digest, dumped[0], True)

    def update(self) -> CacheUpdate | None:
        """Return the file to save once the build has succeeded (None: the file holds what this build made)."""
        entries: dict[Hashable, tuple[bytes, bytes, bool]] = {}
        for name, (digest, value, shared) in self._made.items():
            stored = self._stored.get(name)
            if name in self._prepared:
                entries[name] = self._prepared[name]
            elif name not in self._fresh and stored is not None:
                entries[name] = stored
            elif (dumped := _dump_result(value, shared, {})) is not None:  # no page keys this build (`check`)
                entries[name] = (digest, dumped[0], False)
        if entries == {name: self._stored.get(name) for name in entries} and entries.keys() == self._stored.keys():
            return None
        return CacheUpdate(self._path, "recall", code_fingerprint(), entries)  # type: ignore[arg-type]


class _ResultUnpickler(SafeUnpickler):
    """Reads a kept result: opensite's dataclasses, the dashboard's formatter (made from its language, currency and
    string overrides), and this build's shared objects by position."""

    ALSO = frozenset({("generator.dashboard.text", "Formatter")})

    def __init__(self, data: bytes, shared: Sequence[Any]) -> None:
        super().__init__(io.BytesIO(data))
        self._shared = shared

    def persistent_load(self, pid: Any) -> Any:
        if type(pid) is not int or not 0 <= pid < len(self._shared):
            raise pickle.UnpicklingError(f"no shared object {pid!r}")
        return self._shared[pid]


def _load_result(payload: bytes, shared: Sequence[Any]) -> tuple[Any, Digests] | None:
    """Return a kept result and its digests by the identity of the objects just unpickled (None: unreadable)."""
    try:
        unpickler = _ResultUnpickler(payload, shared)
        value = unpickler.load()
        seeds = unpickler.load()  # the same unpickler: its objects are the very objects of `value`
        return value, {(id(obj), full): (obj, digest) for obj, full, digest in seeds}
    except Exception:  # noqa: BLE001 — any failure to read a kept result means computing it again
        return None


def _dump_result(value: Any, shared: tuple[Any, ...], digests: Digests
                 ) -> tuple[bytes, int] | None:
    """Pickle a result, then the digests of the objects it holds (one pickler: the second refers to the first's
    objects); the shared objects by position. Return the pickle and how many digests it holds; None when the
    result does not pickle."""
    positions = {id(obj): index for index, obj in enumerate(shared)}
    reached: set[int] = set()  # only the ids that have a digest: a dashboard is ~10^5 objects (12 MB of ids)

    def persistent_id(obj: Any) -> int | None:
        at = id(obj)
        position = positions.get(at)
        if position is not None:
            return position
        if (at, False) in digests or (at, True) in digests:  # no set of every id digested (~2 MiB at 5,000 posts)
            reached.add(at)
        return None

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = persistent_id  # type: ignore[method-assign]
    try:
        pickler.dump(value)
        held = [(obj, full, digest) for (at, full), (obj, digest) in digests.items()
                if at in reached and at not in positions]
        pickler.dump(held)
    except Exception:  # noqa: BLE001 — a result that does not pickle is computed by every build
        return None
    return buffer.getvalue(), len(held)


def _input_digest(inputs: Any) -> bytes | None:
    """Return a digest of a computation's inputs (None when they do not pickle: then nothing is kept).

    Pickled without the memo (`fast`): a pickle refers back to an object met twice, so equal values made
    differently (a post parsed now, the others read from the content cache) would pickle differently.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # type: ignore[attr-defined]
    pickler.persistent_id = _function_name  # type: ignore[method-assign]
    try:
        pickler.dump(inputs)
    except Exception:  # noqa: BLE001
        return None
    return hashlib.sha256(buffer.getvalue()).digest()


def _function_name(obj: Any) -> str | None:
    """A metric's compute function by its name (a lambda does not pickle): the code fingerprint covers its code."""
    return f"{obj.__module__}.{obj.__qualname__}" if isinstance(obj, FunctionType) else None


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

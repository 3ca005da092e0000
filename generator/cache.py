"""The persistent build cache under <site>/.opensite-cache/: versioned files of frozen stage results.

Each cache file holds one stage's entries and a fingerprint of everything its entries depend on
besides their own key (opensite's version and code, the settings the stage reads). A file whose
header, version or fingerprint does not match is dropped whole; a corrupt, truncated or foreign file
is ignored with a one-line note and rebuilt — never a traceback, never a wrong page. Each file carries
the SHA-256 of its entries, checked before they are read (a flipped byte is a note and a rebuild). Files
are written atomically (`atomic.write_atomic`), so an interrupted build leaves the previous cache intact.

Entries are pickled (the stages hand on frozen dataclasses), but read back through an unpickler
that builds only opensite's own dataclasses and a short list of value types: a planted cache file
cannot run code.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from generator import __version__
from generator.atomic import write_atomic

CACHE_DIR = ".opensite-cache"
CACHE_FORMAT = "opensite-cache"
CACHE_VERSION = 3
"""Bump when the layout of any cached type changes in a way the code hash would not catch (3: the entries follow
the header's pickle as they are, rather than inside it as bytes, which held them twice while saved and loaded)."""



def frozen_mapping(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """Rebuild a read-only mapping (mappingproxy has no pickle support of its own)."""
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda proxy: (frozen_mapping, (dict(proxy),)))  # frozen mappings in Posts
copyreg.pickle(ZoneInfo, lambda zone: (ZoneInfo, (zone.key,)))  # by name: its own reduce needs getattr

_ALLOWED_GLOBALS = frozenset({
    ("builtins", "frozenset"), ("builtins", "set"), ("builtins", "object"),
    ("copyreg", "_reconstructor"), ("copyreg", "__newobj__"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("zoneinfo", "ZoneInfo"),
    ("decimal", "Decimal"), ("pathlib", "PosixPath"), ("pathlib", "PurePosixPath"), ("pathlib", "Path"),
    ("pathlib", "WindowsPath"), ("pathlib", "PureWindowsPath"), ("generator.cache", "frozen_mapping"),
    ("collections", "OrderedDict"),
})


class CacheUnreadable(Exception):
    """A cache file that cannot be trusted: corrupt, truncated, foreign or from another version."""


class SafeUnpickler(pickle.Unpickler):
    """Builds only opensite's dataclasses and enums and plain value types (Python's "restricting globals")."""

    ALSO: frozenset[tuple[str, str]] = frozenset()
    """Further classes a subclass builds (each one's construction from plain values runs no code of concern)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS or (module, name) in self.ALSO:
            return super().find_class(module, name)
        if module.startswith("generator.") and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, Enum)):
                return found  # a frozen dataclass or an enum: building one runs no code of ours
        raise CacheUnreadable(f"refuses to load {module}.{name}")


@dataclass(frozen=True)
class CacheLoad:
    """What reading a cache file gave: its entries (empty when unusable) and a note when it was unreadable."""

    entries: dict[str, Any]
    note: str | None = None


def cache_folder(site_root: Path) -> Path:
    return site_root / CACHE_DIR


def fingerprint(*parts: object) -> str:
    """Return a stable hash of values whose repr is stable (strings, numbers, tuples, frozen dataclasses)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


OUTPUT_LIBRARIES = ("markdown", "pygments", "jinja2", "babel", "matplotlib", "pillow", "pyyaml")
"""Third-party distributions whose version can change what a build writes (HTML, highlighting, numbers, SVG, PNG)."""


@functools.cache
def code_fingerprint() -> str:
    """Return one hash of the code every cache entry was made by: all of the installed package, and versions.

    Every file of the `generator` package counts (modules, theme templates and static files, scaffold
    files), with opensite's version and the versions of the libraries that shape output. Hand-kept lists
    of "the files that matter" went stale (issue 18: a string edited in `i18n/punctuation.py` left three
    category pages stale), so there is no list: any change to the package invalidates every cache.
    Computed once per process (about 150 files, 1.3 MB).
    """
    return fingerprint_package(Path(__file__).parent)


def fingerprint_package(package: Path) -> str:
    """Return a hash of every file under `package` (compiled caches aside) and of the output libraries' versions."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        name = path.relative_to(package).as_posix().encode("utf-8")
        data = path.read_bytes()
        digest.update(len(name).to_bytes(8, "little") + name + len(data).to_bytes(8, "little") + data)
    for distribution in ("opensite", *OUTPUT_LIBRARIES):
        digest.update(f"\0{distribution}={_version(distribution)}".encode())
    digest.update(f"\0generator={__version__}".encode())
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # not installed (or vendored): the package's own files still key it
        return "?"


def load_cache(path: Path, kind: str, key: str, name: str | None = None) -> CacheLoad:
    """Return the entries of a cache file when its kind, version, fingerprint `key` and content hash match; a note
    names it `name` (default: the file's name)."""
    name = name or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return CacheLoad({})
    except OSError as exc:
        return CacheLoad({}, f"cannot read the build cache {name} ({exc.strerror}); rebuilding")
    try:
        stream = io.BytesIO(data)  # shares `data`: the entries are read from it in place, not from a copy
        head = SafeUnpickler(stream).load()
        header = head[0] if isinstance(head, tuple) and head else None
        if not isinstance(header, Mapping) or header.get("format") != CACHE_FORMAT or header.get("kind") != kind:
            raise CacheUnreadable("not an opensite cache file")
        if header.get("version") != CACHE_VERSION or header.get("key") != key:
            return CacheLoad({})  # another opensite or other settings: stale, not broken
        digest = head[1] if len(head) == 2 else None
        if hashlib.sha256(memoryview(data)[stream.tell():]).hexdigest() != digest:
            raise CacheUnreadable("its content does not match its hash")
        entries = SafeUnpickler(stream).load()
        if not isinstance(entries, dict):
            raise CacheUnreadable("no entries")
    except Exception as exc:  # noqa: BLE001 — any failure to read a cache means "rebuild", never a crash
        return CacheLoad({}, f"ignored the unreadable build cache {name} ({_reason(exc)}); rebuilding it")
    return CacheLoad(entries)


@dataclass(frozen=True)
class CacheUpdate:
    """A cache file to write once the build has succeeded (a failed build leaves every file as it was)."""

    path: Path
    kind: str
    key: str
    entries: Mapping[str, Any]

    def save(self) -> None:
        save_cache(self.path, self.kind, self.key, self.entries)


def save_cache(path: Path, kind: str, key: str, entries: Mapping[str, Any], *, sync: bool = True) -> None:
    """Write a cache file atomically, with the hash of its entries; a read-only site still builds, uncached.

    Never through a symbolic link: the file is written only below the site folder that holds the cache.
    """
    header = {"format": CACHE_FORMAT, "kind": kind, "version": CACHE_VERSION, "key": key}
    payload = pickle.dumps(entries if type(entries) is dict else dict(entries), protocol=pickle.HIGHEST_PROTOCOL)
    head = pickle.dumps((header, hashlib.sha256(payload).hexdigest()), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(path, (head, payload), within=cache_root_of(path), sync=sync)
    except OSError:
        pass


SHARDS = 64
"""Files a sharded cache spreads its entries over (5,000 posts: about 80 entries, 400 KB, in each)."""


def shard_of(name: str) -> str:
    """Return the shard an entry lives in: by its name alone, so an edited file's entry stays in its shard."""
    return f"{int(hashlib.sha256(name.encode('utf-8')).hexdigest()[:4], 16) % SHARDS:02d}"


class ShardedCache:
    """Entries kept in `SHARDS` cache files in one folder, each file read when an entry of it is first asked for.

    One cache file of every post was unpickled whole when a build started and pickled whole when it ended (at
    5,000 posts, 27 MB: twice its size in memory on top of the posts, the peak of an edit build, issue 24); here
    an edit reads and rewrites one small file, and no build holds more than one shard's bytes at a time.
    """

    def __init__(self, folder: Path, kind: str, key: str, *, read: bool = True) -> None:
        self.folder = folder
        self.kind = kind
        self.key = key
        self.notes: list[str] = []
        """One line per shard that could not be trusted (its entries are made again)."""
        self._read = read
        self._shards: dict[str, dict[str, Any]] = {}

    def get(self, name: str) -> Any:
        """Return the entry stored under `name`, or None."""
        shard = shard_of(name)
        if shard not in self._shards:
            path = self.folder / f"{shard}.pickle"
            loaded = load_cache(path, self.kind, self.key, str(path.relative_to(self.folder.parent))) if self._read \
                else CacheLoad({})
            if loaded.note:
                self.notes.append(loaded.note)
            self._shards[shard] = loaded.entries
        return self._shards[shard].get(name)

    def update(self, entries: Mapping[str, Any], changed: Iterable[str], obsolete: tuple[Path, ...] = ()
               ) -> ShardedUpdate:
        """Return what to save once the build has succeeded: `entries` (all of them), of which `changed` are new;
        `obsolete` files (an older layout of the same cache) are deleted then."""
        return ShardedUpdate(self, entries, frozenset(shard_of(name) for name in changed), obsolete)


@dataclass(frozen=True)
class ShardedUpdate:
    """The shards to write once the build has succeeded: those with a new entry, or whose names changed (a file
    deleted or added); shard files left with no entry are deleted."""

    cache: ShardedCache
    entries: Mapping[str, Any]
    changed: frozenset[str]
    obsolete: tuple[Path, ...] = ()

    def save(self) -> None:
        grouped: dict[str, dict[str, Any]] = {}
        for name, entry in self.entries.items():
            grouped.setdefault(shard_of(name), {})[name] = entry
        for shard, entries in grouped.items():
            before = self.cache._shards.get(shard)  # the update belongs to its cache: it may read its shards
            if shard in self.changed or (before is not None and before.keys() != entries.keys()):
                # no fsync: a torn shard fails its hash and its entries are made again (as the chart cache)
                save_cache(self.cache.folder / f"{shard}.pickle", self.cache.kind, self.cache.key, entries, sync=False)
        if self.cache.folder.is_dir() and not self.cache.folder.is_symlink():
            for path in self.cache.folder.glob("*.pickle"):
                if path.stem not in grouped:
                    path.unlink(missing_ok=True)
        for path in self.obsolete:
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


def cache_root_of(path: Path) -> Path:
    """Return the site folder of a file in the build cache (the folder holding .opensite-cache/)."""
    for folder in path.parents:
        if folder.name == CACHE_DIR:
            return folder.parent
    return path.parent


def cache_problem(site_root: Path) -> str | None:
    """Return why the site's cache folder cannot be used (a file, a symbolic link, unreadable), or None.

    A build then runs cold and saves no cache, with this as a note; `clean` refuses to touch it. Never a
    traceback (issue 22).
    """
    folder = cache_folder(site_root)
    if folder.is_symlink():
        return f"{CACHE_DIR} is a symbolic link (to {os.readlink(folder)}), which opensite never follows"
    if not folder.exists():
        return None
    if not folder.is_dir():
        return f"{CACHE_DIR} is a file, not the folder opensite keeps its build cache in"
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return f"{CACHE_DIR} cannot be read or written (permissions)"
    return None


def remove_cache(site_root: Path) -> Path | None:
    """Delete the site's cache folder and return it (None when there is none); links in it are not followed.

    Call `cache_problem` first: a link or a file in its place is not deleted here.
    """
    folder = cache_folder(site_root)
    if folder.is_symlink() or not folder.is_dir():
        return None
    shutil.rmtree(folder)
    return folder


def _reason(exc: BaseException) -> str:
    if isinstance(exc, CacheUnreadable):
        return str(exc)
    if isinstance(exc, (EOFError, pickle.UnpicklingError)):
        return "truncated or corrupt"
    return f"{type(exc).__name__}"

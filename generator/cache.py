"""The persistent build cache under <site>/.opensite-cache/: versioned files of frozen stage results.

Each cache file holds one stage's entries and a fingerprint of everything its entries depend on
besides their own key (opensite's version and code, the settings the stage reads). A file whose
header, version or fingerprint does not match is dropped whole; a corrupt, truncated or foreign file
is ignored with a one-line note and rebuilt — never a traceback, never a wrong page. Files are
written atomically, so an interrupted build leaves the previous cache intact.

Entries are pickled (the stages hand on frozen dataclasses), but read back through an unpickler
that builds only opensite's own dataclasses and a short list of value types: a planted cache file
cannot run code.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

CACHE_DIR = ".opensite-cache"
CACHE_FORMAT = "opensite-cache"
CACHE_VERSION = 1
"""Bump when the layout of any cached type changes in a way the code hash would not catch."""



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


class _SafeUnpickler(pickle.Unpickler):
    """Builds only opensite's dataclasses and enums and plain value types (Python's "restricting globals")."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_GLOBALS:
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


def source_hash(paths: Iterable[Path]) -> str:
    """Return a hash of source files (the code that produced an entry), so editing the code invalidates it."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_cache(path: Path, kind: str, key: str) -> CacheLoad:
    """Return the entries of a cache file when its kind, version and fingerprint `key` match."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return CacheLoad({})
    except OSError as exc:
        return CacheLoad({}, f"cannot read the build cache {path.name} ({exc.strerror}); rebuilding")
    try:
        header, entries = _SafeUnpickler(io.BytesIO(data)).load()
        if not isinstance(header, Mapping) or header.get("format") != CACHE_FORMAT or header.get("kind") != kind:
            raise CacheUnreadable("not an opensite cache file")
        if not isinstance(entries, dict):
            raise CacheUnreadable("no entries")
    except Exception as exc:  # noqa: BLE001 — any failure to read a cache means "rebuild", never a crash
        return CacheLoad({}, f"ignored the unreadable build cache {path.name} ({_reason(exc)}); rebuilding it")
    if header.get("version") != CACHE_VERSION or header.get("key") != key:
        return CacheLoad({})  # another opensite or other settings: stale, not broken
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


def save_cache(path: Path, kind: str, key: str, entries: Mapping[str, Any]) -> None:
    """Write a cache file atomically; a read-only site still builds, it just does not cache."""
    header = {"format": CACHE_FORMAT, "kind": kind, "version": CACHE_VERSION, "key": key}
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging.write_bytes(pickle.dumps((header, dict(entries)), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(staging, path)
    except OSError:
        staging.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, CacheUnreadable):
        return str(exc)
    if isinstance(exc, (EOFError, pickle.UnpicklingError)):
        return "truncated or corrupt"
    return f"{type(exc).__name__}"

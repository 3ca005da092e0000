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
import functools
import hashlib
import io
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from generator import __version__

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

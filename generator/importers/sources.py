"""The registry of import sources: one reader per name of generator.config.imports.SOURCE_NAMES.

A reader is registered with `@import_source(name, writes=...)` beside its code; the command line,
site.yaml's `imports:` and the plan all look sources up here, so adding a source is one registration
plus its reader (docs/architecture.md). Registering a name twice, or a name config does not know,
raises at import time (Lektor's `add_type` habit); looking up an unknown name is a ConfigError
with the closest name. Every module of this package is imported once, on first lookup, so each
reader registers itself without a hand-kept list.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.config.imports import SOURCE_NAMES, ImportEntry
from generator.errors import ConfigError, choice_hint
from generator.importers.records import CustomerBook, ImportContext


class Writes(StrEnum):
    """What a source's reader returns, and so which files it writes."""

    SUBSCRIPTIONS = "subscriptions"
    """A SubscriptionLog: mrr.csv, churn.csv and cohorts.csv."""
    COSTS = "costs"
    """A CostLedger: costs.csv."""


@dataclass(frozen=True)
class SourceRequest:
    """What a reader is given: the export's files, the site's context, the site.yaml entry, the customer book."""

    name: str
    files: tuple[Path, ...]
    ctx: ImportContext
    entry: ImportEntry
    customers: CustomerBook = field(default_factory=CustomerBook)
    """Numbers customers across the sources of one run; ids never leave the reader."""
    namespace: str = ""
    """This source's customer namespace (site.yaml `customers:`, else its own)."""

    def customer(self, key: str) -> int:
        """Return the number of the customer with id `key` in this source's namespace."""
        return self.customers.number(self.namespace, key)

    @property
    def columns(self) -> MappingProxyType[str, str]:
        """Our field to the header text holding it, from site.yaml's `map:` (renames of the export's columns)."""
        return MappingProxyType(dict(self.entry.columns))


Reader = Callable[[SourceRequest], Any]


@dataclass(frozen=True)
class ImportSource:
    """One registered source: its name, what it writes, and its reader."""

    name: str
    writes: Writes
    read: Reader
    many_files: bool = False
    """True when the source reads several exports at once (subscriptions plus transactions)."""
    site_yaml_only: bool = False
    """True when the source's settings live in site.yaml's `imports:` only (a column map), not on the command line."""


_SOURCES: dict[str, ImportSource] = {}
_LOADED = False


def import_source(name: str, *, writes: Writes, many_files: bool = False,
                  site_yaml_only: bool = False) -> Callable[[Reader], Reader]:
    """Register the decorated function as the reader of source `name`.

    Args:
        name: one of generator.config.imports.SOURCE_NAMES.
        writes: what the reader returns.
        many_files: the source accepts several files (a vendor's subscriptions and transactions exports).
        site_yaml_only: the source reads its settings from site.yaml's `imports:` only (a column map).

    Raises:
        ValueError: the name is not a configured source, or is registered already.
    """
    def register(read: Reader) -> Reader:
        if name not in SOURCE_NAMES:
            raise ValueError(f"import source {name!r} is not in generator.config.imports.SOURCE_NAMES; "
                             "add the name there first")
        if name in _SOURCES:
            raise ValueError(f"import source {name!r} is already registered (by {_SOURCES[name].read.__module__})")
        _SOURCES[name] = ImportSource(name, writes, read, many_files, site_yaml_only)
        return read
    return register


def get_source(name: str) -> ImportSource:
    """Return the registered source; raise ConfigError naming the closest valid one."""
    _load_readers()
    if name not in _SOURCES:
        raise ConfigError(f"unknown import source {name!r}", hint=choice_hint(name, _SOURCES))
    return _SOURCES[name]


def registered_sources() -> MappingProxyType[str, ImportSource]:
    """Return every registered source by name (for the tests and the docs)."""
    _load_readers()
    return MappingProxyType(dict(_SOURCES))


def _load_readers() -> None:
    """Import every module of generator.importers once, so each reader has registered itself."""
    global _LOADED
    if _LOADED:
        return
    package = importlib.import_module("generator.importers")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"generator.importers.{module.name}")
    _LOADED = True

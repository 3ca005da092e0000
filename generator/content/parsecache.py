"""Parsed sources by file hash: from the build cache, from worker processes, or converted here.

A file whose bytes and settings are unchanged since the last build comes from the cache and costs
a hash; Python-Markdown is loaded only when some file must be converted. Many misses (a cold build)
are converted by worker processes; results come back in file order, so output and error order are
the same whatever the worker count.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator import cache as build_cache
from generator.config import SiteConfig
from generator.content.files import ContentFiles
from generator.content.parse import CONTENT_DIR, Converter, ParsedSource, parse_source
from generator.errors import ContentError, Diagnostic, GeneratorError
from generator.workers import can_fork, in_order, worker_pool

CACHE_FOLDER = "content"
"""Under .opensite-cache/: the parsed files, in shards (cache.ShardedCache)."""
OLD_CACHE_FILE = "content.pickle"
"""Where opensite before issue 24 kept every parsed file in one pickle: deleted when the shards are saved."""
PARALLEL_MIN_FILES = 150
"""Below this many files to convert, worker processes cost more to start than they save."""
_CHUNK = 40


@dataclass(frozen=True)
class SourceResult:
    """One file's outcome: what it says, or the error that stopped it (a file that is not UTF-8)."""

    parsed: ParsedSource | None
    errors: tuple[Diagnostic, ...] = ()


@dataclass
class SourceStats:
    """How a content load went, for the build's summary and the benchmarks."""

    cached: int = 0
    converted: int = 0
    workers: int = 0
    cache_update: build_cache.ShardedUpdate | None = None
    """The refreshed cache, for the build to save once it has succeeded."""


class SourceMemory:
    """A long-running process's parsed files (`serve`): a file whose stat (size, mtime, inode) is what it was at
    the last build is neither read nor hashed again, nor is the cache file unpickled (issue 24).

    When the file watcher says which files changed since the last build (`changed`), only those are looked at:
    the others are not even stat'ed, and content/ is not listed again unless a change adds, removes or renames
    a file (or touches one the listing lacks).
    """

    def __init__(self) -> None:
        self.key: str | None = None
        self.entries: dict[str, tuple[tuple[int, int, int], str, SourceResult]] = {}
        self.converter: tuple[str, Converter] | None = None
        """The Markdown converter (made for one base path), reused: making one costs more than a post."""
        self.changed: frozenset[str] | None = None
        """The absolute paths of the files changed since the last build, as the watcher saw them (through links,
        not resolved); None: not known."""
        self.listing: tuple[Path, ContentFiles] | None = None
        """content/ and what the last build found under it."""

    def prepare_converter(self, config: SiteConfig) -> None:
        """Make the Markdown converter before a file needs it (a cached build never imports Python-Markdown)."""
        if self.converter is None or self.converter[0] != config.base_path:
            self.converter = (config.base_path, _new_converter(config))

    def changed_under(self, folder: Path) -> frozenset[str] | None:
        """Return the changed files under `folder`, as POSIX paths relative to it (None: not known)."""
        if self.changed is None:
            return None
        base = os.path.abspath(folder)
        return frozenset(Path(os.path.relpath(path, base)).as_posix()
                         for path in self.changed if os.path.commonpath((path, base)) == base)


def content_key(config: SiteConfig) -> str:
    """Return the fingerprint of everything besides a file's bytes that shapes its parsed form."""
    return build_cache.fingerprint(build_cache.code_fingerprint(), str(config.root), config.base_url.split(":")[0],
                                   config.allow_remote, config.base_path, config.language,
                                   config.timezone, config.permalink, config.default_author, config.categories,
                                   config.languages)


def load_sources(config: SiteConfig, relpaths: Sequence[PurePosixPath], *, use_cache: bool = True,
                 jobs: int = 1, stats: SourceStats | None = None, notes: list[Diagnostic] | None = None,
                 memory: SourceMemory | None = None) -> list[SourceResult]:
    """Return each file's parsed form, in order, reading the cache and refreshing it."""
    stats = stats if stats is not None else SourceStats()
    root = config.root / CONTENT_DIR
    cache_path = build_cache.cache_folder(config.root) / CACHE_FOLDER
    key = content_key(config) if use_cache else ""
    known = memory.entries if memory is not None and use_cache and memory.key == key else {}
    loaded: build_cache.ShardedCache | None = None
    results: list[SourceResult | None] = []
    misses: list[tuple[int, PurePosixPath, bytes]] = []
    fresh: dict[str, tuple[str, SourceResult]] = {}
    stamps: dict[str, tuple[int, int, int]] = {}
    changed = memory.changed_under(root) if memory is not None else None
    for index, relpath in enumerate(relpaths):
        name = relpath.as_posix()
        remembered = known.get(name)
        if remembered is not None and changed is not None and name not in changed:  # the watcher saw no change
            results.append(remembered[2])
            fresh[name], stamps[name] = remembered[1:], remembered[0]
            continue
        path = root / relpath
        stamps[name] = _stamp(path)  # before reading: a file saved meanwhile differs next time
        if remembered is not None and remembered[0] == stamps[name]:
            results.append(remembered[2])
            fresh[name] = remembered[1:]
            continue
        if loaded is None:  # the first file memory lacks: the cache is read (a shard at a time), unless memory holds
            # the rest: a file saved in `serve` is converted again rather than looked up in the shards
            loaded = build_cache.ShardedCache(cache_path, "content", key, read=use_cache and not known)
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        entry = loaded.get(name)
        if entry is not None and entry[0] == digest:
            results.append(entry[1])
            fresh[name] = entry
        else:
            results.append(None)
            misses.append((index, relpath, data))
    for (index, relpath, data), result in zip(misses, _convert(config, misses, jobs, stats, memory), strict=True):
        results[index] = result
        fresh[relpath.as_posix()] = (hashlib.sha256(data).hexdigest(), result)
    stats.cached, stats.converted = len(relpaths) - len(misses), len(misses)
    if notes is not None and loaded is not None:
        notes.extend(Diagnostic(note, cache_path, severity="note") for note in loaded.notes)
    if use_cache and (loaded is not None or len(fresh) != len(known)):  # the update finds which shards changed
        loaded = loaded or build_cache.ShardedCache(cache_path, "content", key, read=False)
        stats.cache_update = loaded.update(fresh, (relpath.as_posix() for _, relpath, _ in misses),
                                           (cache_path.parent / OLD_CACHE_FILE,))
    if memory is not None and use_cache:
        memory.key, memory.entries = key, {name: (stamps[name], *fresh[name]) for name in fresh}
    return results  # type: ignore[return-value]


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        stat = path.stat()
    except OSError:  # read_bytes reports it
        return (-1, -1, -1)
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _convert(config: SiteConfig, misses: Sequence[tuple[int, PurePosixPath, bytes]], jobs: int,
             stats: SourceStats, memory: SourceMemory | None = None) -> list[SourceResult]:
    work = [(relpath, data) for _, relpath, data in misses]
    if jobs > 1 and len(work) >= PARALLEL_MIN_FILES and can_fork():
        chunks = [work[i:i + _CHUNK] for i in range(0, len(work), _CHUNK)]
        workers = min(jobs, len(chunks))
        stats.workers = workers
        with worker_pool(workers, _start_worker, (config,)) as pool:
            return [result for chunk in in_order(pool, _convert_in_worker, chunks, ahead=4 * workers)
                    for result in chunk]
    converter = None
    if work and memory is not None:
        if memory.converter is None or memory.converter[0] != config.base_path:
            memory.converter = (config.base_path, _new_converter(config))
        converter = memory.converter[1]
    elif work:
        converter = _new_converter(config)
    return [_parse(config, relpath, data, converter) for relpath, data in work]  # type: ignore[arg-type]


def _parse(config: SiteConfig, relpath: PurePosixPath, data: bytes, converter: Converter) -> SourceResult:
    try:
        return SourceResult(parse_source(data, relpath, config, converter))
    except GeneratorError as error:
        return SourceResult(None, error.diagnostics)


def _new_converter(config: SiteConfig) -> Converter:
    """Return a Markdown converter; Python-Markdown is imported here, only when a file must be converted."""
    from generator.content.markdown import (
        MarkdownConverter,  # lazy: a cached build never loads Markdown
    )

    return MarkdownConverter(config.base_path)


_WORKER: tuple[SiteConfig, Converter] | None = None


def _start_worker(config: SiteConfig) -> None:
    global _WORKER  # one converter per worker process, made once
    _WORKER = (config, _new_converter(config))


def _convert_in_worker(chunk: Sequence[tuple[PurePosixPath, bytes]]) -> list[SourceResult]:
    assert _WORKER is not None
    config, converter = _WORKER
    return [_parse(config, relpath, data, converter) for relpath, data in chunk]


def cpu_count() -> int:
    """Return the CPUs this process may use (the default worker count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def raise_source_errors(results: Sequence[SourceResult]) -> None:
    """Raise one ContentError with every file's errors, in file order (none: return)."""
    error = ContentError.collect([d for r in results
                                  for d in (r.errors + (r.parsed.problems if r.parsed else ())) if d.severity == "error"])
    if error:
        raise error

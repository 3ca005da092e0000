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
from pathlib import PurePosixPath

from generator import cache as build_cache
from generator.config import SiteConfig
from generator.content.parse import CONTENT_DIR, Converter, ParsedSource, parse_source
from generator.errors import ContentError, Diagnostic, GeneratorError
from generator.workers import can_fork, worker_pool

CACHE_FILE = "content.pickle"
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
    cache_update: build_cache.CacheUpdate | None = None
    """The refreshed cache, for the build to save once it has succeeded."""


def content_key(config: SiteConfig) -> str:
    """Return the fingerprint of everything besides a file's bytes that shapes its parsed form."""
    return build_cache.fingerprint(build_cache.code_fingerprint(), str(config.root), config.base_url.split(":")[0],
                                   config.allow_remote, config.base_path, config.language,
                                   config.timezone, config.permalink, config.default_author, config.categories,
                                   config.languages)


def load_sources(config: SiteConfig, relpaths: Sequence[PurePosixPath], *, use_cache: bool = True,
                 jobs: int = 1, stats: SourceStats | None = None,
                 notes: list[Diagnostic] | None = None) -> list[SourceResult]:
    """Return each file's parsed form, in order, reading the cache and refreshing it."""
    stats = stats if stats is not None else SourceStats()
    root = config.root / CONTENT_DIR
    cache_path = build_cache.cache_folder(config.root) / CACHE_FILE
    key = content_key(config) if use_cache else ""
    loaded = build_cache.load_cache(cache_path, "content", key) if use_cache else build_cache.CacheLoad({})
    if loaded.note and notes is not None:
        notes.append(Diagnostic(loaded.note, cache_path, severity="note"))
    results: list[SourceResult | None] = []
    misses: list[tuple[int, PurePosixPath, bytes]] = []
    fresh: dict[str, tuple[str, SourceResult]] = {}
    for index, relpath in enumerate(relpaths):
        data = (root / relpath).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        entry = loaded.entries.get(relpath.as_posix())
        if entry is not None and entry[0] == digest:
            results.append(entry[1])
            fresh[relpath.as_posix()] = entry
        else:
            results.append(None)
            misses.append((index, relpath, data))
    for (index, relpath, data), result in zip(misses, _convert(config, misses, jobs, stats), strict=True):
        results[index] = result
        fresh[relpath.as_posix()] = (hashlib.sha256(data).hexdigest(), result)
    stats.cached, stats.converted = len(relpaths) - len(misses), len(misses)
    if use_cache and (misses or len(fresh) != len(loaded.entries) or loaded.note):
        stats.cache_update = build_cache.CacheUpdate(cache_path, "content", key, fresh)  # deleted files pruned
    return results  # type: ignore[return-value]


def _convert(config: SiteConfig, misses: Sequence[tuple[int, PurePosixPath, bytes]], jobs: int,
             stats: SourceStats) -> list[SourceResult]:
    work = [(relpath, data) for _, relpath, data in misses]
    if jobs > 1 and len(work) >= PARALLEL_MIN_FILES and can_fork():
        chunks = [work[i:i + _CHUNK] for i in range(0, len(work), _CHUNK)]
        workers = min(jobs, len(chunks))
        stats.workers = workers
        with worker_pool(workers, _start_worker, (config,)) as pool:
            return [result for chunk in pool.imap(_convert_in_worker, chunks) for result in chunk]
    converter = _new_converter(config) if work else None
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

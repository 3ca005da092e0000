"""Every file of the built site, in a fixed order: theme assets, pages, open data — rendered or reused.

A page whose key (generator.pagekeys) matches what the last build made is not rendered again: a
disk build keeps the file output/ holds, `serve` keeps the bytes in memory. The pages left to render
go to worker processes when there are enough of them to pay for the workers; files come back in
page order and errors are reported in page order, so the output is the same whatever the worker count.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from jinja2 import Environment

from generator.config import SiteConfig
from generator.content.parsecache import SourceMemory
from generator.errors import Diagnostic, TemplateError
from generator.memory import Recall, recall
from generator.metrics import OpenDataInfo, month_of, render_metrics_csv, render_metrics_json
from generator.metrics.series import PublishedMetrics
from generator.model import KeptFile, OutputFile, Site
from generator.pagekeys import KeyMemory, PageKeys
from generator.pages import BytesFile, DataFile, OgImagePage, Page
from generator.render import TEMPLATES_DIR, asset_links, create_environment, render_page, theme_assets
from generator.workers import can_fork, in_order, release_freed_memory, worker_pool

DATA_RENDERERS = {"json": render_metrics_json, "csv": render_metrics_csv}
"""Open-data files are bytes from the metrics stage's exporters, not templates (per metric: beside its page)."""
PARALLEL_MIN_PAGES = 300
"""Below this many pages to render, worker processes cost more to start than they save."""
_CHUNK = 50
_TRIM_EVERY = 1000
"""Pages between two returns of freed memory to the system while pages are written (~5 MiB at 5,000 posts)."""


class RenderedBefore(Protocol):
    """What an earlier build made of a page: the file on disk (KeptFile) or its bytes, when the key matches."""

    def reuse(self, path: str, key: str) -> OutputFile | KeptFile | None: ...


@dataclass
class RenderStats:
    """How rendering went, for the summary line and the benchmarks."""

    rendered: int = 0
    reused: int = 0
    workers: int = 0


def render_files(site: Site, *, before: RenderedBefore | None = None, jobs: int = 1,
                 stats: RenderStats | None = None, keys: KeyMemory | None = None) -> Iterator[OutputFile | KeptFile]:
    """Yield every file of the site in order; raise TemplateError with every problem after the last one.

    Args:
        site: the assembled site.
        before: what an earlier build made, to reuse pages whose key has not changed (None: render all).
        jobs: worker processes for the pages left to render (1: none).
        stats: filled in with how many pages were rendered and reused.
        keys: digests the page keys start from, and keep for what comes next (`serve`'s are its own).
    """
    stats = stats if stats is not None else RenderStats()
    memory = before if isinstance(before, PagesInMemory) else None
    keys = memory.keys if memory is not None else keys
    release_freed_memory()  # what the stages before freed (a build's charts, written first): not in the pages' peak
    assets = theme_assets(site.config)
    yield from assets.values()
    problems: dict[tuple, Diagnostic] = {}
    for tree in site.trees:  # each language in its own environment: its words, dates and numbers (issue 23)
        yield from _render_tree(tree, asset_links(assets), before, memory, keys, jobs, stats, problems)
    if keys is not None:
        keys.next_build()
    if problems:
        raise TemplateError(diagnostics=list(problems.values()))


def _render_tree(site: Site, assets: dict[str, str], before: RenderedBefore | None, memory: PagesInMemory | None,
                 key_memory: KeyMemory | None, jobs: int, stats: RenderStats, problems: dict[tuple, Diagnostic]
                 ) -> Iterator[OutputFile | KeptFile]:
    """Yield the files of one language's pages in order, adding their problems to `problems`."""
    env = memory.environment(site.config) if memory is not None else create_environment(site.config)
    env.globals["assets"] = assets
    keys = PageKeys(site, env, env.globals["assets"], key_memory) if before is not None else None
    # computed once (a hundred files are cut from it), and in serve kept while the metrics are the same object and
    # the build month (Site.open_data reads no more of the build time) is the same
    open_data = recall(memory.recall if memory else None, ("open data", site.config.language_folder),
                       (site.metrics, month_of(site.build_time, site.config.zone), site.revision, site.config.zone),
                       lambda: site.open_data)
    plan: list[tuple[Page, str | None, OutputFile | KeptFile | None]] = []
    for page in site.renders:
        if isinstance(page, OgImagePage):  # drawn by the charts stage
            continue
        if isinstance(page, DataFile):
            inputs = (page, open_data)  # serve: the same data (the metrics recalled) makes the same file
            plan.append((page, None, recall(memory.recall if memory else None, ("data", page.output_path), inputs,
                                            lambda page=page: _data_file(open_data, page))))
            continue
        if isinstance(page, BytesFile):
            plan.append((page, None, OutputFile(page.output_path, page.data)))
            continue
        key = keys.key(page) if keys is not None else None
        reused = before.reuse(page.output_path, key) if before is not None and key is not None else None
        plan.append((page, key, reused))
    if keys is not None:
        release_freed_memory()  # what hashing freed (pickles of posts and of the dashboard): room for what remember
        keys.remember()         # pickles
        keys = None  # its digests: not held while this language's pages are rendered and written
        release_freed_memory()
    to_render = [page for page, _, done in plan if done is None]
    stats.rendered += len(to_render)
    stats.reused += sum(1 for p, _, done in plan if done is not None and not isinstance(p, (DataFile, BytesFile)))
    rendered = _render_all(env, site, to_render, jobs, stats)
    for index, (page, key, done) in enumerate(plan):
        if done is not None:
            yield done
            continue
        if index % _TRIM_EVERY == _TRIM_EVERY - 1:
            release_freed_memory()  # the pages written: their bytes, freed among the writer's records
        data, page_problems = next(rendered)
        for diagnostic in page_problems:
            problems.setdefault((diagnostic.path, diagnostic.line, diagnostic.message), diagnostic)
        if data is not None:
            yield OutputFile(page.output_path, data, key)


def render_site(site: Site) -> list[OutputFile]:
    """Return every file of the site, all rendered (for checks and tests; builds stream `render_files`)."""
    return [f for f in render_files(site) if isinstance(f, OutputFile)]


def _data_file(open_data: tuple[PublishedMetrics, OpenDataInfo], page: DataFile) -> OutputFile:
    """Return an open-data file: the months the dashboard shows, the estimate flagged, the source revision."""
    data, info = open_data
    if page.format == "version":
        return OutputFile(page.output_path, f"{info.revision.text if info.revision else ''}\n".encode())
    data = data if page.metric_id is None else _one_metric(data, page.metric_id)
    return OutputFile(page.output_path, DATA_RENDERERS[page.format](data, info))


def _one_metric(metrics: PublishedMetrics, metric_id: str) -> PublishedMetrics:
    return replace(metrics, series=MappingProxyType({metric_id: metrics.series[metric_id]}))


Rendered = tuple[bytes | None, tuple[Diagnostic, ...]]


def _render_all(env: Environment, site: Site, pages: Sequence[Page], jobs: int,
                stats: RenderStats) -> Iterator[Rendered]:
    """Yield each page's bytes (or its problems), in order: here, or in worker processes."""
    if jobs > 1 and len(pages) >= PARALLEL_MIN_PAGES and can_fork():
        chunks = [range(i, min(i + _CHUNK, len(pages))) for i in range(0, len(pages), _CHUNK)]
        stats.workers = min(jobs, len(chunks))
        # Forked workers inherit the site and the pages: only index ranges go out, only bytes come back.
        with worker_pool(stats.workers, _start_worker, (site, tuple(pages))) as pool:
            for chunk in in_order(pool, _render_in_worker, chunks, ahead=2 * stats.workers):
                yield from chunk
        return
    for page in pages:
        yield _render_one(env, site, page)


def _render_one(env: Environment, site: Site, page: Page) -> Rendered:
    try:
        return render_page(env, site, page).encode("utf-8"), ()
    except TemplateError as error:
        return None, error.diagnostics


_WORKER: tuple[Environment, Site, tuple[Page, ...]] | None = None


def _start_worker(site: Site, pages: tuple[Page, ...]) -> None:
    global _WORKER  # one environment per worker process, made once
    env = create_environment(site.config)
    env.globals["assets"] = asset_links(theme_assets(site.config))
    _WORKER = (env, site, pages)


def _render_in_worker(indices: range) -> list[Rendered]:
    assert _WORKER is not None
    env, site, pages = _WORKER
    return [_render_one(env, site, pages[i]) for i in indices]


class PagesInMemory:
    """The pages of the last build a long-running process (`serve`) made, reused while their key holds."""

    def __init__(self) -> None:
        self._files: dict[str, OutputFile] = {}
        self.recall = Recall()
        """The last build's results (the dashboard, the disclosure checks…), reused while their inputs hold."""
        self.sources = SourceMemory()
        """The last build's parsed posts, by file stat (generator/content/parsecache.py)."""
        self.keys = KeyMemory()
        """The last build's digests of what pages show, by identity (generator/pagekeys.py)."""
        self._unsaved: Callable[[], None] | None = None

    def note_changes(self, changed: Collection[str | os.PathLike[str]] | None) -> None:
        """Say which files changed since the last good build (the file watcher's event), for the next build; None:
        not known.

        With a list, only those files are looked at: the others are neither stat'ed nor listed again
        (`SourceMemory`). The caller must know every change: a list that misses one serves a stale page.
        """
        self.sources.changed = None if changed is None else frozenset(os.path.abspath(p) for p in changed)

    def environment(self, config: SiteConfig) -> Environment:
        """Return the last build's template environment (its compiled templates) while the settings and the site's
        templates folder are as they were: Jinja notices an edited template, not a new one that overrides a theme's."""
        folder = config.root / TEMPLATES_DIR
        listing = sorted((entry, os.stat(entry).st_mtime_ns) for entry in _files_under(folder))
        return self.recall.get(("environment", config.language_folder), (config, listing),
                               lambda: create_environment(config))  # one per language: its words and formats

    def reuse(self, path: str, key: str) -> OutputFile | None:
        file = self._files.get(path)
        return file if file is not None and file.key == key else None

    def remember(self, files: Sequence[OutputFile | KeptFile], save: Callable[[], None] | None = None) -> None:
        """Keep the rendered pages of a successful build (and forget those it no longer has), and how to save its
        caches: saving them (the content cache pickles every post, ~40 ms at 1,000) waits until the build is served."""
        self._files = {f.path: f for f in files if isinstance(f, OutputFile) and f.key is not None}
        self._unsaved = save
        self.sources.changed = None  # said for one build: the next looks at every file unless told again

    def prepare(self, config: SiteConfig | None) -> None:
        """Save the first build's caches and load Python-Markdown now (~0.1 s), so the first save waits for neither."""
        self.save_caches()
        if config is not None:
            self.sources.prepare_converter(config)

    def save_caches(self) -> None:
        """Save the caches of the last successful build for `opensite build`, if not done yet."""
        save, self._unsaved = self._unsaved, None
        if save is not None:
            save()


def _files_under(folder: Path) -> list[str]:
    return [os.path.join(root, name) for root, _, names in os.walk(folder) for name in names]

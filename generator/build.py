"""The pipeline: load → compute → publish → model → charts → render → check → write, in one place.

The only module that knows the order. Each stage returns frozen data to the next; errors
from independent stages (content and metrics) are gathered and reported together. The command
line and the preview server call these functions and print what they return; they never run a
stage themselves.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import chain
from multiprocessing.pool import Pool
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.cache import cache_folder, cache_problem, remove_cache
from generator.chartcheck import check_charts
from generator.charts import CACHE_FOLDER as CHARTS_CACHE_FOLDER
from generator.charts import RenderedCharts, early_drawers, render_charts, warm_up
from generator.charts.fonts import font_dirs
from generator.config import SiteConfig, load_config
from generator.content import Content, load_content
from generator.content.parsecache import cpu_count
from generator.content.remote import template_remote_problems
from generator.dashboard import AnnotationEntry, load_annotations
from generator.dashboard.restatements import PublishedRecord
from generator.errors import Diagnostic, GeneratorError, InterruptedAfterOutput, OutputError, TemplateError
from generator.feedcheck import check_feeds
from generator.inside import walk_inside
from generator.languages import assemble_languages
from generator.linkcheck import check_rendered_site
from generator.memory import StoredRecall, recall
from generator.metrics import (
    LoadedMetrics,
    find_disclosure_leaks,
    load_metrics,
    publish_metrics,
)
from generator.metrics.publish.leaks import find_disclosure_recoveries
from generator.metrics.publish.tracked import find_tracked_private_files, load_source_revision
from generator.model import OutputFile, Site, assemble_site
from generator.output import PagesInMemory, RenderStats, render_files
from generator.pagekeys import KeyMemory, load_template_facts, template_facts_update
from generator.record import load_published_record, write_published_record
from generator.render import TEMPLATES_DIR
from generator.unchanged import record_build
from generator.write import (
    DEFAULT_OUTPUT,
    CleanedOutput,
    OutputState,
    Ownership,
    WriteReport,
    check_clean_target,
    clean_output,
    prepare_output,
    save_output_state,
    write_output,
)

Progress = Callable[[str], None]
"""Called with a stage's name ('config', 'content', 'metrics', 'model', 'charts', 'render', 'write') as it starts."""


@dataclass(frozen=True)
class BuildResult:
    """What a build (or a check) produced, for the command line and for tests."""

    site: Site
    files: tuple[OutputFile, ...]
    """Every file with its bytes, for in-memory builds (check, serve); empty for a build written to disk."""
    output_dir: Path | None
    warnings: tuple[Diagnostic, ...]
    content: Content
    timings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    charts_drawn: int = 0
    """Charts drawn by this build; the others came from the chart cache (0 when metrics did not change)."""
    paths: tuple[str, ...] = ()
    """Every output path, in the order they were produced."""
    rendered: int = 0
    """Pages rendered by this build (HTML, feeds, sitemap)."""
    reused: int = 0
    """Pages not rendered, because nothing they show had changed since the build that made them."""
    written: int = 0
    """Files written to disk; the others were already there, unchanged."""
    notes: tuple[Diagnostic, ...] = ()
    """Facts that need no action (an unreadable build cache that was rebuilt)."""
    recovered: tuple[Diagnostic, ...] = ()
    """Protected values readers can work out (among `warnings`; `check` reports them as errors, issue 20)."""

    @property
    def page_count(self) -> int:
        return sum(1 for path in self.paths if path.endswith(".html"))

    @property
    def chart_count(self) -> int:
        """Return how many charts the site has (each drawn as a wide and a narrow SVG; badges are not charts), in
        every language."""
        return sum(len(tree.charts) for tree in self.site.trees)


def build_time_from_env(environ: Mapping[str, str] = os.environ) -> datetime:
    """Return SOURCE_DATE_EPOCH as an aware datetime when set (reproducible builds), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise GeneratorError(f"SOURCE_DATE_EPOCH is not a Unix timestamp: {epoch!r}",
                                 hint="set it to whole seconds since 1970, e.g. $(git log -1 --format=%ct)") from None
    return datetime.now(timezone.utc)


def build_site(site_dir: Path | str = ".", output_dir: Path | str | None = None, *, drafts: bool = False,
               base_url: str | None = None, now: datetime | None = None, progress: Progress | None = None,
               use_cache: bool = True, jobs: int | None = None) -> BuildResult:
    """Build the site in `site_dir` into `output_dir` (default: site_dir/output).

    Args:
        site_dir: folder holding site.yaml.
        output_dir: where to write; replaced whole, and only if opensite made it.
        drafts: include drafts and scheduled posts (for previews).
        base_url: override site.yaml's base_url.
        now: the build time; defaults to SOURCE_DATE_EPOCH or the current time.
        progress: called with each stage's name as it starts (the command line's progress display).
        use_cache: reuse what earlier builds parsed, drew and wrote (<site>/.opensite-cache/); False redoes all.
        jobs: worker processes for a cold build (default: the CPU count; 1: none).

    Raises:
        GeneratorError: with every problem found; output_dir is left untouched.
    """
    site_dir = Path(site_dir)
    given = Path(output_dir) if output_dir is not None else site_dir / DEFAULT_OUTPUT
    options = _Options(drafts, base_url, now, use_cache, jobs or cpu_count())
    timings: dict[str, float] = {}
    with _early_drawers(site_dir, options) as drawers:
        staged = _stage(site_dir, options, timings, progress, given, drawers)  # checks `given` itself is no link
    output = given.resolve()
    ownership, state, note = staged.output  # type: ignore[misc]
    files = render_files(staged.site, before=state, jobs=options.jobs, stats=(render_stats := RenderStats()),
                         keys=staged.keys)
    # Charts first, each let go of once written: 100 MiB at 5,000 posts not held while pages render (issue 24)
    charts, staged = list(reversed(staged.charts.files)), replace(staged, charts=replace(staged.charts, files=()))
    with _timed(timings, "render", progress):  # rendering streams into writing: the two are timed together
        report = write_output(output, chain((charts.pop() for _ in range(len(charts))), files), staged.site.static_files,
                              state, ownership)
    try:
        if not drafts:  # a preview of drafts publishes nothing: it records nothing
            write_published_record(staged.site.config.root, staged.site.record)
        if staged.use_cache:
            save_output_state(staged.site.config.root, output, report.records)
            staged.save_caches()
            _record_unchanged(staged, output, report, options)
    except KeyboardInterrupt:  # the new output is already in place and complete
        raise InterruptedAfterOutput from None
    return BuildResult(staged.site, (), output, staged.warnings, staged.content, timings, staged.charts.drawn,
                       report.paths, render_stats.rendered, render_stats.reused, report.written, staged.notes(note),
                       staged.recovered)


def render_site_in_memory(site_dir: Path | str = ".", *, drafts: bool = False, base_url: str | None = None,
                          now: datetime | None = None, progress: Progress | None = None, use_cache: bool = True,
                          jobs: int | None = None, pages: PagesInMemory | None = None) -> BuildResult:
    """Run every stage of a build except writing the output (what `serve` shows); raise GeneratorError.

    Charts are drawn (pages link them, and `serve` shows them) and kept in the chart cache. `pages`
    holds the previous build's pages in a long-running process, so only changed pages are rendered.
    """
    options = _Options(drafts, base_url, now, use_cache, jobs or cpu_count())
    timings: dict[str, float] = {}
    options = dataclasses.replace(options, memory=pages)
    staged = _stage(Path(site_dir), options, timings, progress, None)
    render_stats = RenderStats()
    with _timed(timings, "render", progress):
        files = [f for f in render_files(staged.site, before=pages, jobs=options.jobs, stats=render_stats)
                 if isinstance(f, OutputFile)] + list(staged.charts.files)
    if pages is not None:  # serve saves the caches once the build is served (PagesInMemory.save_caches)
        pages.remember(files, staged.save_caches if staged.use_cache else None)
    elif staged.use_cache:
        staged.save_caches()
    return BuildResult(staged.site, tuple(files), None, staged.warnings, staged.content, timings,
                       staged.charts.drawn, tuple(f.path for f in files), render_stats.rendered, render_stats.reused, 0,
                       staged.notes(), staged.recovered)


@dataclass(frozen=True)
class CheckResult:
    """What `opensite check` found: the build it checked and every problem, sorted by file and line."""

    build: BuildResult
    diagnostics: tuple[Diagnostic, ...]


def check_site(site_dir: Path | str = ".", *, drafts: bool = False, base_url: str | None = None,
               now: datetime | None = None, progress: Progress | None = None, use_cache: bool = True,
               jobs: int | None = None) -> CheckResult:
    """Run every stage of a build, then check the rendered site (links, anchors, images, alt text, posts).

    Writes nothing but the build cache. Raises GeneratorError when the build itself fails.
    """
    result = render_site_in_memory(site_dir, drafts=drafts, base_url=base_url, now=now, progress=progress,
                                   use_cache=use_cache, jobs=jobs)
    with _timed(result.timings, "check", progress):  # type: ignore[arg-type]
        rendered_root = result.site.config.root / DEFAULT_OUTPUT
        diagnostics = check_rendered_site(result.site, result.files, result.content,
                                          _escalated(result) + tuple(r.note() for r in result.site.restatements),
                                          rendered_root, check_feeds(result.site, result.files, rendered_root))
        diagnostics += tuple(check_charts(result.site.charts, result.site.metrics.series,
                                          {f.path: f.data for f in result.files}))
    return CheckResult(result, diagnostics + result.notes)


def _escalated(result: BuildResult) -> tuple[Diagnostic, ...]:
    """Return the build's warnings with every recovered protected value an error: check fails on a leak."""
    return tuple(replace(w, severity="error") if w in result.recovered else w for w in result.warnings)


def clean_site(site_dir: Path | str = ".", *, output_dir: Path | str | None = None,
               output: bool = False) -> tuple[list[Path], CleanedOutput | None]:
    """Delete the build cache (and, with `output`, the files opensite wrote in the output folder); return what went.

    Every refusal is checked before anything is deleted: a cache folder that is a link or a file, and an
    output target that is not an output folder of this site (write.clean). In the output folder, only the
    files its marker lists are deleted.
    """
    config = load_config(Path(site_dir))
    target = Path(output_dir) if output_dir is not None else config.root / DEFAULT_OUTPUT
    problem = cache_problem(config.root)
    if problem:
        raise OutputError(f"refusing to clean the build cache: {problem}", cache_folder(config.root),
                          hint="move or delete it yourself; opensite deletes only the cache folder it made")
    if output and (target.exists() or target.is_symlink()):
        check_clean_target(target, config.root)
    try:
        removed = [path for path in (remove_cache(config.root),) if path is not None]
    except OSError as exc:
        raise OutputError(f"cannot delete the build cache: {exc.strerror or exc}", cache_folder(config.root),
                          hint="check the permissions of the site folder") from None
    cleaned = clean_output(target) if output and target.is_dir() and not target.is_symlink() else None
    return removed, cleaned


@dataclass(frozen=True)
class _Options:
    drafts: bool
    base_url: str | None
    now: datetime | None
    use_cache: bool
    jobs: int
    memory: PagesInMemory | None = None
    """What a long-running process (`serve`) keeps between builds."""


@dataclass(frozen=True)
class _Staged:
    """Everything up to rendering: the site, its charts, its warnings, and the caches to save on success."""

    site: Site
    content: Content
    charts: RenderedCharts
    warnings: tuple[Diagnostic, ...]
    cache_notes: tuple[Diagnostic, ...]
    use_cache: bool
    """False with --no-cache, and when the cache folder is unusable (a file, a link, unreadable)."""
    output: tuple[Ownership, OutputState | None, str | None] | None = None
    """For a build written to disk: what opensite owns in the output folder, its cached state, a note."""
    recovered: tuple[Diagnostic, ...] = ()
    stored: StoredRecall | None = None
    """Results kept for the next build, and the page keys' digests of what they hold (None: `serve`, uncached)."""
    keys: KeyMemory | None = None

    def save_caches(self) -> None:
        stored = self.stored.update() if self.stored is not None else None
        for update in (self.content.stats.cache_update, template_facts_update(self.site.config.root), stored):
            if update is not None:
                update.save()

    def notes(self, *more: str | None) -> tuple[Diagnostic, ...]:
        return self.cache_notes + tuple(Diagnostic(note, severity="note") for note in more if note)


def _early_drawers(site_dir: Path, options: _Options) -> AbstractContextManager[Pool | None]:
    """Return the drawing workers of a build whose chart cache is empty (a cold build, `--no-cache`), forked
    before the posts are read (charts/pool.early_drawers); for other builds, none."""
    folder = site_dir / CHARTS_CACHE_FOLDER
    warm = options.use_cache and not cache_problem(site_dir) and folder.is_dir() and not folder.is_symlink() \
        and any(os.scandir(folder))
    return nullcontext() if warm else early_drawers(options.jobs)


def _stage(site_dir: Path, options: _Options, timings: dict[str, float], progress: Progress | None,
           output: Path | None, drawers: Pool | None = None) -> _Staged:
    build_time = options.now or build_time_from_env()
    with _timed(timings, "config", progress):
        config = load_config(site_dir, base_url=options.base_url)
    problem = cache_problem(config.root) if options.use_cache else None
    if problem:  # a cold build that saves nothing, said once (issue 22)
        options = dataclasses.replace(options, use_cache=False)
        problem += "; this build ran without the cache (delete or move it yourself)"
    # serve keeps its results in memory; a build keeps the costly ones for the next build in the cache
    stored = StoredRecall(config.root) if options.memory is None and options.use_cache else None
    memory = options.memory.recall if options.memory is not None else stored
    prepared = prepare_output(output, config.root, use_cache=options.use_cache) if output is not None else None
    facts_note = problem or (load_template_facts(config.root) if options.use_cache else None)
    content, metrics, annotations, record, template_warnings = _load_sources(config, build_time, options, timings,
                                                                             progress)
    warm_up(drawers, options.jobs)  # while the model is assembled on one core
    with _timed(timings, "model", progress):
        published = recall(memory, "published", (config, metrics), lambda: publish_metrics(metrics, config))
        assemble = assemble_languages if config.languages else assemble_site  # one language: as it always was
        site = assemble(config, content, build_time=build_time, metrics=published, annotations=annotations,
                        revision=load_source_revision(config.root, config.metrics_dir), record=record, memory=memory)
    with _timed(timings, "charts", progress):
        charts = render_charts(site, use_cache=options.use_cache, jobs=options.jobs,
                               memory=options.memory.recall if options.memory is not None else None, drawers=drawers)
    recovered = recall(memory, "recovered", (config, metrics), lambda: tuple(
        find_disclosure_recoveries(config, metrics))) if config.metrics else ()
    leaks = recall(memory, "leaks", (config, metrics), lambda: tuple(find_disclosure_leaks(config, metrics,
                                                                                          recoveries=False)))
    warnings = content.warnings + template_warnings + metrics.warnings + leaks + \
        tuple(find_tracked_private_files(config.metrics, config.metrics_folder, config.root) if config.metrics
              else ())
    notes = content.notes + tuple(Diagnostic(note, severity="note") for note in
                                  (facts_note, stored.note if stored else None, *charts.notes) if note)
    return _Staged(site, content, charts, warnings + recovered, notes, options.use_cache, prepared, recovered, stored,
                   KeyMemory(stored.seeded_digests(), stored.keep_digests) if stored is not None else None)


def _record_unchanged(staged: _Staged, output: Path, report: WriteReport, options: _Options) -> None:
    """Stamp what this build read, so that the next `opensite build` with nothing changed is skipped (unchanged.py)."""
    site = staged.site
    outputs = {path: (r.size, r.mtime_ns, r.inode) for path, r in report.records.items()}
    record_build(site.config.root, output, drafts=options.drafts, base_url=options.base_url,
                 metrics_folder=site.config.metrics_folder if site.config.metrics else None, font_dirs=font_dirs(),
                 outputs=outputs, used_files=staged.charts.font_files,
                 pages=sum(p.endswith(".html") for p in report.paths), charts=sum(len(t.charts) for t in site.trees),
                 may_skip=site.revision is None and options.now is None)


def _load_sources(config: SiteConfig, build_time: datetime, options: _Options, timings: dict[str, float],
                  progress: Progress | None
                  ) -> tuple[Content, LoadedMetrics, tuple[AnnotationEntry, ...], PublishedRecord,
                             tuple[Diagnostic, ...]]:
    """Load posts and metrics, which do not depend on each other, reporting both stages' errors together."""
    errors: list[GeneratorError] = []

    def attempt(load: Callable[[], Any], failed: Any) -> Any:
        try:
            return load()
        except GeneratorError as error:
            errors.append(error)
            return failed

    recall = options.memory.recall if options.memory else None
    with _timed(timings, "content", progress):
        content = attempt(lambda: load_content(config, now=build_time, drafts=options.drafts, jobs=options.jobs,
                                               use_cache=options.use_cache,
                                               memory=options.memory.sources if options.memory else None), None)
    with _timed(timings, "metrics", progress):
        metrics = attempt(lambda: load_metrics(config, now=build_time, memory=recall), None)
        annotations = attempt(lambda: load_annotations(config), ())
        record = attempt(lambda: load_published_record(config.root), PublishedRecord())
    templates, leaving = walk_inside(config.root / TEMPLATES_DIR, config.root)  # used or not, like content/'s links
    remote = template_remote_problems(templates, https_site=config.base_url.startswith("https:"),
                                      allowed=config.allow_remote)
    if leaving or any(p.severity == "error" for p in remote):
        errors.append(TemplateError(diagnostics=leaving + [p for p in remote if p.severity == "error"]))
    failure = GeneratorError.collect(errors)
    if failure:
        raise failure
    return content, metrics, annotations, record, tuple(remote)  # type: ignore[return-value]


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Progress | None = None) -> Iterator[None]:
    if progress is not None:
        progress(stage)
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - start


def load_site_config(site_dir: Path | str = ".") -> SiteConfig:
    """Return the validated config of a site (for commands that need only that)."""
    return load_config(Path(site_dir))

"""The pipeline: load → compute → publish → model → charts → render → check → write, in one place.

The only module that knows the order. Each stage returns frozen data to the next; errors
from independent stages (content and metrics) are gathered and reported together. The command
line and the preview server call these functions and print what they return; they never run a
stage themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType

from generator.charts import render_charts
from generator.config import SiteConfig, load_config
from generator.content import Content, load_content
from generator.dashboard import AnnotationEntry, load_annotations
from generator.dashboard.restatements import PublishedRecord, load_published_record
from generator.errors import Diagnostic, GeneratorError
from generator.linkcheck import check_rendered_site
from generator.metrics import (
    MetricsData,
    SourceRevision,
    find_disclosure_leaks,
    load_metrics,
    publish_metrics,
)
from generator.model import OutputFile, Site, assemble_site
from generator.render import render_site
from generator.write import check_output_dir, write_output, write_published_record

DEFAULT_OUTPUT = "output"
CACHE_ROOT = ".opensite-cache"

Progress = Callable[[str], None]
"""Called with a stage's name ('config', 'content', 'metrics', 'model', 'charts', 'render', 'write') as it starts."""


@dataclass(frozen=True)
class BuildResult:
    """What a build (or a check) produced, for the command line and for tests."""

    site: Site
    files: tuple[OutputFile, ...]
    output_dir: Path | None
    warnings: tuple[Diagnostic, ...]
    content: Content
    timings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    charts_drawn: int = 0
    """Charts drawn by this build; the others came from the chart cache (0 when metrics did not change)."""

    @property
    def page_count(self) -> int:
        return sum(1 for f in self.files if f.path.endswith(".html"))

    @property
    def chart_count(self) -> int:
        """Return how many charts the build drew (each as a wide and a narrow SVG; badges are not charts)."""
        return len(self.site.charts)


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
               base_url: str | None = None, now: datetime | None = None,
               progress: Progress | None = None) -> BuildResult:
    """Build the site in `site_dir` into `output_dir` (default: site_dir/output).

    Args:
        site_dir: folder holding site.yaml.
        output_dir: where to write; replaced whole, and only if opensite made it.
        drafts: include drafts and scheduled posts (for previews).
        base_url: override site.yaml's base_url.
        now: the build time; defaults to SOURCE_DATE_EPOCH or the current time.
        progress: called with each stage's name as it starts (the command line's progress display).

    Raises:
        GeneratorError: with every problem found; output_dir is left untouched.
    """
    site_dir = Path(site_dir)
    output = Path(output_dir) if output_dir is not None else site_dir / DEFAULT_OUTPUT
    result = _run(site_dir, drafts=drafts, base_url=base_url, now=now, output=output, progress=progress)
    with _timed(result.timings, "write", progress):  # type: ignore[arg-type]
        write_output(output, result.files, result.site.static_files)
        if not drafts:  # a preview of drafts publishes nothing: it records nothing
            write_published_record(result.site.config.root, result.site.record)
    return result


def render_site_in_memory(site_dir: Path | str = ".", *, drafts: bool = False, base_url: str | None = None,
                          now: datetime | None = None, progress: Progress | None = None) -> BuildResult:
    """Run every stage of a build except writing the output (what `serve` shows); raise GeneratorError.

    Charts are drawn (pages link them, and `serve` shows them) and kept in the chart cache.
    """
    return _run(Path(site_dir), drafts=drafts, base_url=base_url, now=now, output=None, progress=progress)


@dataclass(frozen=True)
class CheckResult:
    """What `opensite check` found: the build it checked and every problem, sorted by file and line."""

    build: BuildResult
    diagnostics: tuple[Diagnostic, ...]


def check_site(site_dir: Path | str = ".", *, drafts: bool = False, base_url: str | None = None,
               now: datetime | None = None, progress: Progress | None = None) -> CheckResult:
    """Run every stage of a build, then check the rendered site (links, anchors, images, alt text, posts).

    Writes nothing but the chart cache. Raises GeneratorError when the build itself fails.
    """
    result = render_site_in_memory(site_dir, drafts=drafts, base_url=base_url, now=now, progress=progress)
    with _timed(result.timings, "check", progress):  # type: ignore[arg-type]
        diagnostics = check_rendered_site(result.site, result.files, result.content,
                                          result.warnings + tuple(r.note() for r in result.site.restatements),
                                          result.site.config.root / DEFAULT_OUTPUT)
    return CheckResult(result, diagnostics)


def load_published_metrics(site_dir: Path | str = ".") -> tuple[SiteConfig, MetricsData]:
    """Return a site's config and its metrics after the publishing rules (what the site shows)."""
    config = load_config(Path(site_dir))
    return config, publish_metrics(load_metrics(config), config)


def _run(site_dir: Path, *, drafts: bool, base_url: str | None, now: datetime | None,
         output: Path | None, progress: Progress | None = None) -> BuildResult:
    timings: dict[str, float] = {}
    build_time = now or build_time_from_env()
    with _timed(timings, "config", progress):
        config = load_config(site_dir, base_url=base_url)
    if output is not None:
        check_output_dir(output, config.root)
    content, metrics, annotations, record = _load_sources(config, build_time, drafts, timings, progress)
    with _timed(timings, "model", progress):
        site = assemble_site(config, content, build_time=build_time, metrics=publish_metrics(metrics, config),
                             annotations=annotations, revision=load_source_revision(config.root), record=record)
    with _timed(timings, "charts", progress):
        charts = render_charts(site)
    with _timed(timings, "render", progress):
        files = render_site(site)
    warnings = content.warnings + metrics.warnings + tuple(find_disclosure_leaks(config, metrics))
    return BuildResult(site, tuple(files) + charts.files, output, warnings, content, timings, charts.drawn)


def _load_sources(config: SiteConfig, build_time: datetime, drafts: bool, timings: dict[str, float],
                  progress: Progress | None
                  ) -> tuple[Content, MetricsData, tuple[AnnotationEntry, ...], PublishedRecord]:
    """Load posts and metrics, which do not depend on each other, reporting both stages' errors together."""
    errors: list[GeneratorError] = []
    content = metrics = None
    annotations: tuple[AnnotationEntry, ...] = ()
    record = PublishedRecord()
    with _timed(timings, "content", progress):
        try:
            content = load_content(config, now=build_time, drafts=drafts)
        except GeneratorError as error:
            errors.append(error)
    with _timed(timings, "metrics", progress):
        try:
            metrics = load_metrics(config)
        except GeneratorError as error:
            errors.append(error)
        try:
            annotations = load_annotations(config)
        except GeneratorError as error:
            errors.append(error)
        try:
            record = load_published_record(config.root)
        except GeneratorError as error:
            errors.append(error)
    failure = GeneratorError.collect(errors)
    if failure:
        raise failure
    return content, metrics, annotations, record  # type: ignore[return-value]


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Progress | None = None) -> Iterator[None]:
    if progress is not None:
        progress(stage)
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - start


def load_source_revision(root: Path) -> SourceRevision | None:
    """Return the git commit of the site's checkout and whether its tree has uncommitted changes, or None.

    Files git ignores (the output) and opensite's own cache do not count; anything else changed, staged
    or untracked under the site's folder does, since it may change what the site publishes.
    """
    git = shutil.which("git")
    if git is None:
        return None
    try:
        head = subprocess.run([git, "rev-parse", "--verify", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=30, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        if head.returncode != 0:
            return None  # not a checkout, or one without a commit yet
        status = subprocess.run([git, "status", "--porcelain", "--", ".", f":!{CACHE_ROOT}"], cwd=root,
                                capture_output=True,
                                text=True, timeout=30, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return SourceRevision(head.stdout.strip(), bool(status.stdout.strip()))


def load_site_config(site_dir: Path | str = ".") -> SiteConfig:
    """Return the validated config of a site (for commands that need only that)."""
    return load_config(Path(site_dir))

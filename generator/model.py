"""Config + posts + published metrics to a Site: every page to render, each of its kind, with its path.

This is where the site's shape is decided: which listing pages exist, how they paginate, where
each one lives. Render and write only follow the pages assembled here (generator.pages), so a URL
is chosen exactly once and two things claiming one URL are caught before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from generator import routes
from generator.claims import check_unique_paths
from generator.config import SiteConfig
from generator.content import Content, Post, StaticFile
from generator.content.post import post_card
from generator.dashboard import (
    AnnotationEntry,
    Chart,
    Dashboard,
    Resolved,
    ResolvedReferences,
    assemble_dashboard,
    make_context,
    post_annotations,
    resolve_references,
)
from generator.dashboard.cohort_data import render_cohorts_csv, render_cohorts_json
from generator.dashboard.previews import make_post_previews
from generator.dashboard.references import has_front_matter_reference
from generator.dashboard.restatements import PublishedRecord, Restatement
from generator.i18n import Translator
from generator.listings import (
    archive_of,
    archive_pages,
    categories_of,
    feed_pages,
    newest_first,
    paginate,
    tag_slug,
    tags_of,
    term_pages,
)
from generator.memory import Recall, recall
from generator.metrics import (
    OpenDataInfo,
    SourceRevision,
    month_of,
    select_open_data,
)
from generator.metrics.series import PublishedMetrics, require_published
from generator.pages import (
    ArchivePeriod,
    BadgePage,
    BytesFile,
    CohortsPage,
    DashboardPage,
    DataFile,
    HomePage,
    MetricDetailPage,
    MonthDetailPage,
    OgImagePage,
    Page,
    PageKind,
    PlainPage,
    PostPage,
    StandalonePage,
    TeamPage,
    Term,
    TermIndexPage,
    YearPage,
    YearsPage,
)


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: where it goes (relative to output/) and its bytes."""

    path: str
    data: bytes
    key: str | None = None
    """For a rendered page: the hash of everything it was rendered from (generator.pagekeys)."""


@dataclass(frozen=True)
class StoredFile:
    """A drawn file of the built site (a chart SVG, a share card) whose bytes wait in the build's cache: read when
    they are written, so a build never holds its thousands of drawings at once (issue 24: 82 MB at 5,000 posts).

    The bytes are `source` from `offset` on; `digest` (their SHA-256) lets the writer keep an unchanged file
    without reading it, and is checked again when they are read.
    """

    path: str
    source: Path
    offset: int
    digest: str
    key: str | None = None

    @property
    def data(self) -> bytes:
        """Return the bytes; OSError when the cached file changed since the build looked at it."""
        with self.source.open("rb") as stored:
            stored.seek(self.offset)
            data = stored.read()
        if hashlib.sha256(data).hexdigest() != self.digest:
            raise OSError(f"{self.source} changed while the build was writing it; build again")
        return data


@dataclass(frozen=True)
class KeptFile:
    """A page the build did not render: the file output/ holds was rendered from the same inputs."""

    path: str
    key: str


@dataclass(frozen=True)
class NavLink:
    title: str
    path: str
    """Site-relative path ('about/'), or a full URL for external links."""
    external: bool = False


@dataclass(frozen=True)
class Site:
    """Everything render and write need, decided once."""

    config: SiteConfig
    build_time: datetime
    posts: tuple[Post, ...]
    pages: tuple[Post, ...]
    categories: tuple[Term, ...]
    tags: tuple[Term, ...]
    archive: tuple[ArchivePeriod, ...]
    navigation: tuple[NavLink, ...]
    static_files: tuple[StaticFile, ...]
    renders: tuple[Page, ...]
    """Every page and generated file, each of its own kind (generator.pages)."""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    metrics: PublishedMetrics = field(default_factory=PublishedMetrics)
    """The published metrics: disclosure rules already applied, hidden metrics absent."""
    dashboard: Dashboard | None = None
    """The metrics pages, cards and charts; None when the site has no metrics."""
    references: Mapping[Path, tuple[Resolved, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """What the `{{ metric }}` / `{{ chart }}` placeholders of each post stand for, by source file."""
    revision: SourceRevision | None = None
    """The git commit the site was built from (None: not a git checkout); the open data names it."""

    record: PublishedRecord = PublishedRecord()
    """The values posts publish (metrics/.published.json as this build leaves it)."""
    restatements: tuple[Restatement, ...] = ()
    """Published values today's data restates (listed by `opensite check`)."""
    translations: tuple[Site, ...] = ()
    """The same site in each other language, rendered in its own folder (issue 23); () for one language."""

    @property
    def trees(self) -> tuple[Site, ...]:
        """Return this site and its translations: every set of pages a build renders."""
        return (self, *self.translations)

    @property
    def home_path(self) -> str:
        return routes.in_language(self.config.language_folder, routes.HOME)

    @property
    def feed_path(self) -> str:
        return routes.in_language(self.config.language_folder, routes.FEED)

    @property
    def archive_path(self) -> str:
        return routes.in_language(self.config.language_folder, routes.ARCHIVE)

    @property
    def favicon(self) -> str | None:
        """Return the site's own icon (content/favicon.svg, .png or .ico), or None for the theme's."""
        names = {s.relpath.as_posix(): s for s in self.static_files}
        return next((name for name in FAVICONS if name in names), None)

    @property
    def open_data(self) -> tuple[PublishedMetrics, OpenDataInfo]:
        """Return what the downloads publish: the months the dashboard shows, never later ones, and the estimate."""
        return select_open_data(self.metrics, month_of(self.build_time, self.config.zone), self.revision)

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Every chart the charts stage draws (dashboard, metric pages and posts), each once."""
        return self.dashboard.charts if self.dashboard else ()

    def category(self, slug: str | None) -> Term | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def tag_path(self, name: str) -> str:
        return routes.in_language(self.config.language_folder, routes.tag(tag_slug(name)))


OPEN_DATA_FILES: tuple[tuple[str, Literal["json", "csv"]], ...] = ((routes.OPEN_DATA_JSON, "json"),
                                                                   (routes.OPEN_DATA_CSV, "csv"))
"""Where the published metrics are offered for download, and in which format."""
FAVICONS = ("favicon.svg", "favicon.png", "favicon.ico")
"""A site overrides the theme's icon with one of these files at the top of content/."""
VERSION_FILE = routes.DATA_VERSION
"""The source revision of the open data, when the site is a git checkout."""


Resolution = tuple[tuple[Post, ...], tuple[Post, ...], Dashboard | None, ResolvedReferences]
"""Posts and pages with summaries that read their values, the dashboard, and what each placeholder stands for."""


def assemble_site(config: SiteConfig, content: Content, *, build_time: datetime,
                  metrics: PublishedMetrics | None = None, annotations: Sequence[AnnotationEntry] = (),
                  revision: SourceRevision | None = None, record: PublishedRecord = PublishedRecord(),
                  resolution: Resolution | None = None, listed: Sequence[Post] = (),
                  memory: Recall | None = None) -> Site:
    """Decide every page of the site; raise ContentError if two things claim one URL.

    `metrics` must already be published (generator.metrics.publish_metrics): nothing here or
    downstream may see a number the founder chose not to publish. Each post's `{{ metric … }}` and
    `{{ chart … }}` references come out resolved against it (`Site.references`), unless `resolution`
    (from `resolve_posts`) already holds them. On a site in several languages, `listed` are posts of
    another language shown in this one's listings with a badge (generator.languages). `memory` (a `serve`
    session's) gives back the last dashboard while nothing it is made from has changed: the settings, the
    metrics, the build month, the annotations, the charts posts place, and the posts as cards (what month and
    year pages show of a post is its card, never its body: the page keys hash them the same way).
    """
    metrics = require_published(metrics) if metrics is not None else PublishedMetrics()
    t = Translator(config.language, config.string_overrides)
    posts, pages, dashboard, resolved = resolution or resolve_posts(config, content, metrics, annotations,
                                                                    build_time, record, memory)
    shown = newest_first(posts, listed)
    categories = categories_of(config, shown)
    tags = tags_of(shown, config)
    archive = archive_of(shown, config)
    at = config.language_folder
    home = routes.in_language(at, routes.HOME)
    cards = make_post_previews(config, posts, home, recall(memory, ("post previews", at), config, dict))
    shared = {card.page_path: card.path for card in cards}
    renders = (
        tuple(HomePage(path, config.title, listing, shared.get(path))
              for path, listing in paginate(home, shown, config))
        + _post_pages(posts, shared)
        + tuple(StandalonePage(p.path, p.title, p) for p in pages)
        + term_pages(categories, config) + term_pages(tags, config)
        + (TermIndexPage(routes.in_language(at, routes.CATEGORIES), t("categories"), categories, "category"),
           TermIndexPage(routes.in_language(at, routes.TAGS), t("tags"), tags, "tag"))
        + archive_pages(archive, t, at)
        + feed_pages(config, posts, categories, t)
        + (PlainPage(routes.in_language(at, routes.NOT_FOUND), t("page_not_found"), PageKind.NOT_FOUND),
           PlainPage(routes.SITEMAP, "Sitemap", PageKind.SITEMAP), PlainPage(routes.ROBOTS, "robots.txt", PageKind.ROBOTS))
        + _open_data_files(metrics, revision)
        + _dashboard_pages(dashboard)
        + tuple(OgImagePage(card.path, card.heading, card) for card in cards)
    )
    check_unique_paths(renders, content.static_files, config, dashboard.charts if dashboard else ())
    return Site(config, build_time, posts, pages, categories, tags, archive,
                _navigation(config, pages, categories, t, dashboard, {p.path for p in renders}), content.static_files,
                renders,
                config.extra, metrics, dashboard, resolved.by_source, revision, resolved.record,
                resolved.restatements)


def resolve_posts(config: SiteConfig, content: Content, metrics: PublishedMetrics,
                  annotations: Sequence[AnnotationEntry], build_time: datetime, record: PublishedRecord,
                  memory: Recall | None = None) -> Resolution:
    """Return posts and pages (summaries reading their values), the dashboard (None without metrics) and
    what each post's placeholders stand for (with the values they publish and the restatements)."""
    referring = any(p.references or has_front_matter_reference(p) for p in content.posts + content.pages)
    if metrics.is_empty and not referring:
        return content.posts, content.pages, None, ResolvedReferences((), MappingProxyType({}), (), record)
    ctx = make_context(config, metrics, build_time, (*annotations, *post_annotations(content.posts, config)))
    resolved = resolve_references(ctx, content.posts + content.pages, build_time, record)
    posts, pages = resolved.posts[:len(content.posts)], resolved.posts[len(content.posts):]
    if metrics.is_empty:
        return posts, pages, None, resolved
    # the build month, not the time: without SOURCE_DATE_EPOCH every serve rebuild has a new time (issue 24)
    inputs = (config, metrics, ctx.build_month, tuple(annotations), resolved.charts, _Cards(posts))
    dashboard = recall(memory, ("dashboard", config.language_folder), inputs,
                       lambda: assemble_dashboard(ctx, posts, resolved.charts), shared=posts)
    return posts, pages, dashboard, resolved


class _Cards:
    """Posts compared as their cards (what the dashboard shows of them): the same post objects need no card made
    and compared, so a `serve` rebuild compares one card for one saved post, not a thousand."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.posts = tuple(posts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Cards) and len(self.posts) == len(other.posts) and all(
            mine is theirs or post_card(mine) == post_card(theirs) for mine, theirs in zip(self.posts, other.posts))

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[Post, ...]:
        """Pickle as the cards (what a build's kept dashboard is compared by, memory.StoredRecall)."""
        return tuple(map(post_card, self.posts))


def _open_data_files(metrics: PublishedMetrics, revision: SourceRevision | None) -> tuple[Page, ...]:
    if metrics.is_empty:
        return ()
    version = (DataFile(VERSION_FILE, VERSION_FILE, "version", None),) if revision is not None else ()
    return tuple(DataFile(path, path, fmt, None) for path, fmt in OPEN_DATA_FILES) + version


def _dashboard_pages(dashboard: Dashboard | None) -> tuple[Page, ...]:
    """Return the overview (recent and all time), metric pages with their downloads, month pages, methodology."""
    if dashboard is None:
        return ()
    text = dashboard.text
    og = dashboard.preview_of
    pages: list[Page] = [
        DashboardPage(dashboard.path, dashboard.title, dashboard.recent, all_time=False, og_image=og(dashboard.path)),
        DashboardPage(dashboard.all_path, dashboard.title + text("sep.label") + text("all_time"), dashboard.all_time, all_time=True),
        PlainPage(dashboard.methodology_path, text("methodology"), PageKind.METHODOLOGY)]
    for metric in dashboard.metrics:
        pages += [MetricDetailPage(metric.path, metric.label, metric, og(metric.path)),
                  DataFile(metric.csv_path, metric.csv_path, "csv", metric.id),
                  DataFile(metric.json_path, metric.json_path, "json", metric.id)]
        if metric.badge is not None:
            pages.append(BadgePage(metric.badge.path, metric.label, metric.id, metric.badge.label,
                                   metric.badge.value_text))
    pages += [MonthDetailPage(month.path, month.title, month, og(month.path)) for month in dashboard.months]
    if dashboard.years:
        pages.append(YearsPage(dashboard.years_path, text("years.title"), dashboard.years))
        pages += [YearPage(year.path, text("years.year_title", year=year.label), year) for year in dashboard.years]
    if dashboard.team is not None:
        pages.append(TeamPage(dashboard.team.path, dashboard.team.title, dashboard.team))
    if dashboard.cohorts is not None:
        view = dashboard.cohorts
        pages += [CohortsPage(view.path, view.title, view), BytesFile(view.csv_path, view.csv_path,
                                                                      render_cohorts_csv(view)),
                  BytesFile(view.json_path, view.json_path, render_cohorts_json(view))]
    pages += [OgImagePage(preview.path, preview.heading, preview) for preview in dashboard.previews]
    return tuple(pages)


def _post_pages(posts: Sequence[Post], shared: Mapping[str, str]) -> tuple[PostPage, ...]:
    """One page per post; `older`/`newer` link neighbours in date order; `shared` maps a page to its share card."""
    return tuple(PostPage(post.path, post.title, post, older=posts[i + 1] if i + 1 < len(posts) else None,
                          newer=posts[i - 1] if i > 0 else None, og_image=shared.get(post.path))
                 for i, post in enumerate(posts))


def _navigation(config: SiteConfig, pages: Sequence[Post], categories: Sequence[Term],
                t: Translator, dashboard: Dashboard | None = None, paths: Set[str] = frozenset()) -> tuple[NavLink, ...]:
    """Return the configured navigation, or categories, the dashboard, archive and standalone pages.

    In another language's folder, a configured link leads to that language's page when it has one."""
    if config.navigation is not None:
        inside = {item.url: routes.in_language(config.language_folder, item.url.lstrip("/"))
                  for item in config.navigation}
        return tuple(
            NavLink(item.title.get(config.language), item.url, True) if "://" in item.url
            else NavLink(item.title.get(config.language), inside[item.url] if inside[item.url] in paths
                         else item.url.lstrip("/"))
            for item in config.navigation
        )
    links = [NavLink(c.name, c.path) for c in categories]
    if dashboard is not None:
        links.append(NavLink(dashboard.title, dashboard.path))
    if dashboard is not None and dashboard.team is not None:
        links.append(NavLink(dashboard.team.title, dashboard.team.path))
    links.append(NavLink(t("archive"), routes.in_language(config.language_folder, routes.ARCHIVE)))
    links.extend(NavLink(p.title, p.path) for p in pages)
    return tuple(links)

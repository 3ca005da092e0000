"""Config + posts + published metrics to a Site: every page to render, each of its kind, with its path.

This is where the site's shape is decided: which listing pages exist, how they paginate, where
each one lives. Render and write only follow the pages assembled here (generator.pages), so a URL
is chosen exactly once and two things claiming one URL are caught before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
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
from generator.content.slugs import fallback_slug, slugify
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
    ArchivePeriodPage,
    BadgePage,
    BytesFile,
    CohortsPage,
    DashboardPage,
    DataFile,
    FeedPage,
    HomePage,
    Listing,
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
    TermPage,
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
        return routes.tag(tag_slug(name))


def tag_slug(name: str) -> str:
    return slugify(name) or fallback_slug(name, "tag")


OPEN_DATA_FILES: tuple[tuple[str, Literal["json", "csv"]], ...] = ((routes.OPEN_DATA_JSON, "json"),
                                                                   (routes.OPEN_DATA_CSV, "csv"))
"""Where the published metrics are offered for download, and in which format."""
FAVICONS = ("favicon.svg", "favicon.png", "favicon.ico")
"""A site overrides the theme's icon with one of these files at the top of content/."""
VERSION_FILE = routes.DATA_VERSION
"""The source revision of the open data, when the site is a git checkout."""


def assemble_site(config: SiteConfig, content: Content, *, build_time: datetime,
                  metrics: PublishedMetrics | None = None, annotations: Sequence[AnnotationEntry] = (),
                  revision: SourceRevision | None = None, record: PublishedRecord = PublishedRecord(),
                  memory: Recall | None = None) -> Site:
    """Decide every page of the site; raise ContentError if two things claim one URL.

    `metrics` must already be published (generator.metrics.publish_metrics): nothing here or
    downstream may see a number the founder chose not to publish. Each post's `{{ metric … }}` and
    `{{ chart … }}` references come out resolved against it (`Site.references`). `memory` (a `serve`
    session's) gives back the last dashboard while nothing it is made from has changed: the settings, the
    metrics, the build time, the annotations, the charts posts place, and the posts as cards (what month and
    year pages show of a post is its card, never its body: the page keys hash them the same way).
    """
    metrics = require_published(metrics) if metrics is not None else PublishedMetrics()
    t = Translator(config.language, config.string_overrides)
    posts, pages, dashboard, resolved = _with_metrics(config, content, metrics, annotations, build_time, record,
                                                      memory)
    categories = _categories(config, posts)
    tags = _tags(posts)
    archive = _archive(posts, config)
    cards = make_post_previews(config, posts, routes.HOME)
    shared = {card.page_path: card.path for card in cards}
    renders = (
        tuple(HomePage(path, config.title, listing, shared.get(path))
              for path, listing in _paginate(routes.HOME, posts, config))
        + _post_pages(posts, shared)
        + tuple(StandalonePage(p.path, p.title, p) for p in pages)
        + _term_pages(categories, config) + _term_pages(tags, config)
        + (TermIndexPage(routes.CATEGORIES, t("categories"), categories, "category"),
           TermIndexPage(routes.TAGS, t("tags"), tags, "tag"))
        + _archive_pages(archive, t)
        + _feed_pages(config, posts, categories, t)
        + (PlainPage(routes.NOT_FOUND, t("page_not_found"), PageKind.NOT_FOUND),
           PlainPage(routes.SITEMAP, "Sitemap", PageKind.SITEMAP), PlainPage(routes.ROBOTS, "robots.txt", PageKind.ROBOTS))
        + _open_data_files(metrics, revision)
        + _dashboard_pages(dashboard)
        + tuple(OgImagePage(card.path, card.heading, card) for card in cards)
    )
    check_unique_paths(renders, content.static_files, config, dashboard.charts if dashboard else ())
    return Site(config, build_time, posts, pages, categories, tags, archive,
                _navigation(config, pages, categories, t, dashboard), content.static_files, renders,
                config.extra, metrics, dashboard, resolved.by_source, revision, resolved.record,
                resolved.restatements)


def _with_metrics(config: SiteConfig, content: Content, metrics: PublishedMetrics, annotations: Sequence[AnnotationEntry],
                  build_time: datetime, record: PublishedRecord, memory: Recall | None = None
                  ) -> tuple[tuple[Post, ...], tuple[Post, ...], Dashboard | None, ResolvedReferences]:
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
    inputs = (config, metrics, build_time, tuple(annotations), resolved.charts, tuple(map(post_card, posts)))
    dashboard = recall(memory, "dashboard", inputs, lambda: assemble_dashboard(ctx, posts, resolved.charts))
    return posts, pages, dashboard, resolved


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


def _paginate(base: str, posts: Sequence[Post], config: SiteConfig) -> tuple[tuple[str, Listing], ...]:
    """Split posts into `base`, `base/page/2/`, … (page 1 has no /page/1/ twin)."""
    size = config.posts_per_page
    total = max(1, -(-len(posts) // size))

    def path(number: int) -> str:
        return routes.listing_page(base, number)

    return tuple(
        (path(n), Listing(tuple(posts[(n - 1) * size:n * size]), n, total,
                          path(n - 1) if n > 1 else None, path(n + 1) if n < total else None))
        for n in range(1, total + 1)
    )


def _categories(config: SiteConfig, posts: Sequence[Post]) -> tuple[Term, ...]:
    by_category: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.category:
            by_category[post.category].append(post)
    return tuple(
        Term("category", c.slug, c.name.get(config.language), c.description.get(config.language),
             tuple(by_category[c.slug]), routes.category(c.slug), routes.category_feed(c.slug))
        for c in config.categories
        if config.categories_listed or by_category[c.slug]  # default beats without posts: no page, feed or link
    )


def _tags(posts: Sequence[Post]) -> tuple[Term, ...]:
    """Group posts by tag slug, so 'Pricing' and 'pricing' are one tag named as first written."""
    names: dict[str, str] = {}
    by_tag: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for tag in post.tags:
            slug = tag_slug(tag)
            names.setdefault(slug, tag)
            by_tag[slug].append(post)
    return tuple(Term("tag", slug, names[slug], "", tuple(by_tag[slug]), routes.tag(slug))
                 for slug in sorted(by_tag, key=lambda s: names[s].lower()))


def _term_pages(terms: Iterable[Term], config: SiteConfig) -> tuple[TermPage, ...]:
    return tuple(TermPage(path, term.name, term, listing)
                 for term in terms for path, listing in _paginate(term.path, term.posts, config))


def _archive(posts: Sequence[Post], config: SiteConfig) -> tuple[ArchivePeriod, ...]:
    """Group posts by year and month in the site's time zone, newest first."""
    by_month: dict[tuple[int, int], list[Post]] = defaultdict(list)
    for post in posts:
        if post.date is not None:
            local = post.date.astimezone(config.zone)
            by_month[(local.year, local.month)].append(post)
    years = []
    for year in sorted({y for y, _ in by_month}, reverse=True):
        months = tuple(
            ArchivePeriod(year, month, tuple(by_month[(year, month)]), routes.archive_month(year, month))
            for month in sorted((m for y, m in by_month if y == year), reverse=True)
        )
        year_posts = tuple(p for m in months for p in m.posts)
        years.append(ArchivePeriod(year, None, year_posts, routes.archive_year(year), months))
    return tuple(years)


def _archive_pages(archive: Sequence[ArchivePeriod], t: Translator) -> tuple[Page, ...]:
    pages: list[Page] = [PlainPage(routes.ARCHIVE, t("archive"), PageKind.ARCHIVE)]
    for year in archive:
        pages.append(ArchivePeriodPage(year.path, str(year.year), year))
        pages.extend(ArchivePeriodPage(m.path, f"{m.year}-{m.month:02d}", m) for m in year.months)
    return tuple(pages)


def _feed_pages(config: SiteConfig, posts: Sequence[Post], categories: Sequence[Term],
                t: Translator) -> tuple[FeedPage, ...]:
    limit = config.feed_limit
    return (FeedPage(routes.FEED, config.title, tuple(posts[:limit]), None),
            *(FeedPage(c.feed_path or "", config.title + t("sep.label") + c.name, c.posts[:limit], c) for c in categories))


def _navigation(config: SiteConfig, pages: Sequence[Post], categories: Sequence[Term],
                t: Translator, dashboard: Dashboard | None = None) -> tuple[NavLink, ...]:
    """Return the configured navigation, or categories, the dashboard, archive and standalone pages."""
    if config.navigation is not None:
        return tuple(
            NavLink(item.title.get(config.language), item.url, True) if "://" in item.url
            else NavLink(item.title.get(config.language), item.url.lstrip("/"))
            for item in config.navigation
        )
    links = [NavLink(c.name, c.path) for c in categories]
    if dashboard is not None:
        links.append(NavLink(dashboard.title, dashboard.path))
    if dashboard is not None and dashboard.team is not None:
        links.append(NavLink(dashboard.team.title, dashboard.team.path))
    links.append(NavLink(t("archive"), routes.ARCHIVE))
    links.extend(NavLink(p.title, p.path) for p in pages)
    return tuple(links)

"""Config + posts (+ metrics later) to a Site: every page to render, with its path and data.

This is where the site's shape is decided: which listing pages exist, how they paginate, where
each one lives. Render and write only follow the list of `PageSpec`s assembled here, so a URL
is chosen exactly once and two things claiming one URL are caught before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.config import SiteConfig
from generator.content import Content, Post, StaticFile
from generator.content.slugs import fallback_slug, slugify
from generator.dashboard import (
    AnnotationEntry,
    Chart,
    Dashboard,
    MetricPage,
    MonthPage,
    assemble_dashboard,
    make_context,
    post_annotations,
    resolve_references,
)
from generator.errors import ContentError, Diagnostic
from generator.i18n import Translator
from generator.metrics import MetricsData
from generator.urls import output_file_of


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: where it goes (relative to output/) and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Term:
    """A category or a tag, with its posts (newest first)."""

    kind: str
    """'category' or 'tag'."""
    slug: str
    name: str
    description: str
    posts: tuple[Post, ...]
    path: str
    feed_path: str | None = None


@dataclass(frozen=True)
class Listing:
    """One page of a paginated list of posts."""

    posts: tuple[Post, ...]
    number: int
    total: int
    prev_path: str | None
    next_path: str | None


@dataclass(frozen=True)
class ArchivePeriod:
    """A year or a month of the archive, with its posts (newest first)."""

    year: int
    month: int | None
    posts: tuple[Post, ...]
    path: str
    months: tuple[ArchivePeriod, ...] = ()


@dataclass(frozen=True)
class NavLink:
    title: str
    path: str
    """Site-relative path ('about/'), or a full URL for external links."""
    external: bool = False


@dataclass(frozen=True)
class PageSpec:
    """One file to render: its output path, template and the data the template gets."""

    path: str
    """Output path of the page's URL, e.g. '2024/03/launch/' or 'feed.xml'."""
    template: str
    kind: str
    title: str
    post: Post | None = None
    listing: Listing | None = None
    term: Term | None = None
    period: ArchivePeriod | None = None
    older: Post | None = None
    newer: Post | None = None
    feed_posts: tuple[Post, ...] = ()
    in_sitemap: bool = True
    charts: tuple[Chart, ...] = ()
    """The charts of a dashboard page."""
    metric: MetricPage | None = None
    month: MonthPage | None = None

    @property
    def output_path(self) -> str:
        return output_file_of(self.path)


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
    renders: tuple[PageSpec, ...]
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    metrics: MetricsData = field(default_factory=MetricsData)
    """The published metrics: disclosure rules already applied, hidden metrics absent."""
    dashboard: Dashboard | None = None
    """The metrics pages, cards and charts; None when the site has no metrics."""

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Every chart the charts stage draws (dashboard, metric pages and posts), each once."""
        return self.dashboard.charts if self.dashboard else ()

    def category(self, slug: str | None) -> Term | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def tag_path(self, name: str) -> str:
        return f"tags/{tag_slug(name)}/"


def tag_slug(name: str) -> str:
    return slugify(name) or fallback_slug(name, "tag")


OPEN_DATA_FILES = (("data/metrics.json", "metrics_json"), ("data/metrics.csv", "metrics_csv"))
"""Where the published metrics are offered for download, and the kind that renders each."""


def assemble_site(config: SiteConfig, content: Content, *, build_time: datetime,
                  metrics: MetricsData | None = None, annotations: Sequence[AnnotationEntry] = ()) -> Site:
    """Decide every page of the site; raise ContentError if two things claim one URL.

    `metrics` must already be published (generator.metrics.publish_metrics): nothing here or
    downstream may see a number the founder chose not to publish. Posts come out with their
    `{{ metric … }}` and `{{ chart … }}` references resolved against it.
    """
    metrics = metrics or MetricsData()
    t = Translator(config.language)
    posts, pages, dashboard = _with_metrics(config, content, metrics, annotations, build_time)
    categories = _categories(config, posts)
    tags = _tags(posts)
    archive = _archive(posts, config)
    renders = (
        _listing_pages("", "index.html", "home", config.title, posts, config)
        + _post_pages(posts)
        + tuple(PageSpec(p.path, p.template or "page.html", "page", p.title, post=p) for p in pages)
        + _term_pages(categories, "category", config) + _term_pages(tags, "tag", config)
        + (PageSpec("categories/", "terms.html", "categories", t("categories")),
           PageSpec("tags/", "terms.html", "tags", t("tags")))
        + _archive_pages(archive, t)
        + _feed_pages(config, posts, categories)
        + (PageSpec("404.html", "404.html", "404", t("page_not_found"), in_sitemap=False),
           PageSpec("sitemap.xml", "sitemap.xml", "sitemap", "Sitemap", in_sitemap=False),
           PageSpec("robots.txt", "robots.txt", "robots", "robots.txt", in_sitemap=False))
        + _open_data_files(metrics)
        + _dashboard_pages(dashboard)
    )
    _check_unique_paths(renders, content.static_files, config, dashboard.charts if dashboard else ())
    return Site(config, build_time, posts, pages, categories, tags, archive,
                _navigation(config, pages, categories, t, dashboard), content.static_files, renders,
                config.extra, metrics, dashboard)


def _with_metrics(config: SiteConfig, content: Content, metrics: MetricsData, annotations: Sequence[AnnotationEntry],
                  build_time: datetime) -> tuple[tuple[Post, ...], tuple[Post, ...], Dashboard | None]:
    """Return posts and pages with their metric references resolved, and the dashboard (None without metrics)."""
    if metrics.is_empty and not any(p.references for p in content.posts + content.pages):
        return content.posts, content.pages, None
    ctx = make_context(config, metrics, build_time, (*annotations, *post_annotations(content.posts, config)))
    methodology = config.dashboard.path + "methodology/"
    resolved, charts = resolve_references(ctx, content.posts + content.pages, build_time, methodology)
    posts, pages = resolved[:len(content.posts)], resolved[len(content.posts):]
    return posts, pages, assemble_dashboard(ctx, posts, charts) if not metrics.is_empty else None


def _open_data_files(metrics: MetricsData) -> tuple[PageSpec, ...]:
    if metrics.is_empty:
        return ()
    return tuple(PageSpec(path, "", kind, path, in_sitemap=False) for path, kind in OPEN_DATA_FILES)


def _dashboard_pages(dashboard: Dashboard | None) -> tuple[PageSpec, ...]:
    """Return the overview (recent and all time), metric pages with their downloads, month pages, methodology."""
    if dashboard is None:
        return ()
    text = dashboard.text
    pages = [PageSpec(dashboard.path, "metrics.html", "dashboard", dashboard.title, charts=dashboard.recent),
             PageSpec(dashboard.all_path, "metrics.html", "dashboard_all", f"{dashboard.title}: {text('all_time')}",
                      charts=dashboard.all_time),
             PageSpec(dashboard.methodology_path, "methodology.html", "methodology", text("methodology"))]
    for metric in dashboard.metrics:
        pages += [PageSpec(metric.path, "metric.html", "metric", metric.label, metric=metric),
                  PageSpec(metric.csv_path, "", "metric_csv", metric.csv_path, metric=metric, in_sitemap=False),
                  PageSpec(metric.json_path, "", "metric_json", metric.json_path, metric=metric, in_sitemap=False)]
    pages += [PageSpec(month.path, "metrics_month.html", "metrics_month", month.title, month=month)
              for month in dashboard.months]
    return tuple(pages)


def _post_pages(posts: Sequence[Post]) -> tuple[PageSpec, ...]:
    """One page per post; `older`/`newer` link neighbours in date order."""
    specs = []
    for index, post in enumerate(posts):
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        specs.append(PageSpec(post.path, post.template or "post.html", "post", post.title,
                              post=post, older=older, newer=newer))
    return tuple(specs)


def _listing_pages(base: str, template: str, kind: str, title: str, posts: Sequence[Post],
                   config: SiteConfig, **extra: Any) -> tuple[PageSpec, ...]:
    """Paginate posts into `base`, `base/page/2/`, … (page 1 has no /page/1/ twin)."""
    size = config.posts_per_page
    total = max(1, -(-len(posts) // size))

    def path(number: int) -> str:
        return base if number == 1 else f"{base}page/{number}/"

    return tuple(
        PageSpec(path(n), template, kind, title,
                 listing=Listing(tuple(posts[(n - 1) * size:n * size]), n, total,
                                 path(n - 1) if n > 1 else None, path(n + 1) if n < total else None),
                 **extra)
        for n in range(1, total + 1)
    )


def _categories(config: SiteConfig, posts: Sequence[Post]) -> tuple[Term, ...]:
    by_category: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.category:
            by_category[post.category].append(post)
    return tuple(
        Term("category", c.slug, c.name.get(config.language), c.description.get(config.language),
             tuple(by_category[c.slug]), f"categories/{c.slug}/", f"categories/{c.slug}/feed.xml")
        for c in config.categories
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
    return tuple(Term("tag", slug, names[slug], "", tuple(by_tag[slug]), f"tags/{slug}/")
                 for slug in sorted(by_tag, key=lambda s: names[s].lower()))


def _term_pages(terms: Iterable[Term], kind: str, config: SiteConfig) -> tuple[PageSpec, ...]:
    pages: tuple[PageSpec, ...] = ()
    for term in terms:
        pages += _listing_pages(term.path, "term.html", kind, term.name, term.posts, config, term=term)
    return pages


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
            ArchivePeriod(year, month, tuple(by_month[(year, month)]), f"archive/{year}/{month:02d}/")
            for month in sorted((m for y, m in by_month if y == year), reverse=True)
        )
        year_posts = tuple(p for m in months for p in m.posts)
        years.append(ArchivePeriod(year, None, year_posts, f"archive/{year}/", months))
    return tuple(years)


def _archive_pages(archive: Sequence[ArchivePeriod], t: Translator) -> tuple[PageSpec, ...]:
    pages = [PageSpec("archive/", "archive.html", "archive", t("archive"))]
    for year in archive:
        pages.append(PageSpec(year.path, "archive.html", "archive_year", str(year.year), period=year))
        pages.extend(PageSpec(m.path, "archive.html", "archive_month", f"{m.year}-{m.month:02d}", period=m)
                     for m in year.months)
    return tuple(pages)


def _feed_pages(config: SiteConfig, posts: Sequence[Post], categories: Sequence[Term]) -> tuple[PageSpec, ...]:
    limit = config.feed_limit
    feeds = [PageSpec("feed.xml", "feed.xml", "feed", config.title, feed_posts=tuple(posts[:limit]),
                      in_sitemap=False)]
    feeds.extend(PageSpec(c.feed_path or "", "feed.xml", "feed", f"{config.title}: {c.name}", term=c,
                          feed_posts=c.posts[:limit], in_sitemap=False) for c in categories)
    return tuple(feeds)


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
    links.append(NavLink(t("archive"), "archive/"))
    links.extend(NavLink(p.title, p.path) for p in pages)
    return tuple(links)


def _check_unique_paths(renders: Sequence[PageSpec], static_files: Sequence[StaticFile],
                        config: SiteConfig, charts: Sequence[Chart] = ()) -> None:
    """Raise one error per output file claimed twice, naming both claimants."""
    owners: dict[str, str] = {}
    problems: list[Diagnostic] = []
    claims = [(spec.output_path, spec) for spec in renders] + [(s.relpath.as_posix(), s) for s in static_files] \
        + [(c.path, c) for c in charts]
    for path, claimant in claims:
        name = _claimant_name(claimant, config.root)
        if path in owners:
            source = claimant.post.source if isinstance(claimant, PageSpec) and claimant.post else \
                getattr(claimant, "source", None)
            problems.append(Diagnostic(
                f"{name} and {owners[path]} both want the URL /{path.removesuffix('index.html')}",
                source, None, None, "give one of them another 'slug:' or 'permalink:'"))
        else:
            owners[path] = name
    error = ContentError.collect(problems)
    if error:
        raise error


def _claimant_name(claimant: PageSpec | StaticFile | Chart, root: Path) -> str:
    if isinstance(claimant, StaticFile):
        return _shown(claimant.source, root)
    if isinstance(claimant, Chart):
        return f"the chart {claimant.id}"
    if claimant.post is not None:
        return _shown(claimant.post.source, root)
    return f"the generated {claimant.kind} page"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

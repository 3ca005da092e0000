"""The kinds of page a site has: one small frozen type per kind, saying what that page needs.

A page is where it lives (`path`), what it is called (`title`) and the data its template shows; its
kind fixes its template through one table, `TEMPLATES`. Open-data downloads are pages too (they claim
URLs like any other) but are bytes from the metrics exporters, not templates. To add a page kind: add
it to `PageKind`, write its dataclass here, give it a template in `TEMPLATES`, and let
`generator.model.assemble_site` make its instances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar, Literal

from generator.content import Post
from generator.dashboard import Chart, MetricPage, MonthPage
from generator.dashboard.cohorts import CohortView
from generator.dashboard.previews import Preview
from generator.dashboard.team import TeamView
from generator.dashboard.years import YearSummary
from generator.urls import output_file_of


class PageKind(StrEnum):
    """Every kind of page; the value is what templates compare `page.kind` with."""

    HOME = "home"
    POST = "post"
    PAGE = "page"
    CATEGORY = "category"
    TAG = "tag"
    CATEGORIES = "categories"
    TAGS = "tags"
    ARCHIVE = "archive"
    ARCHIVE_YEAR = "archive_year"
    ARCHIVE_MONTH = "archive_month"
    FEED = "feed"
    NOT_FOUND = "404"
    SITEMAP = "sitemap"
    ROBOTS = "robots"
    DASHBOARD = "dashboard"
    DASHBOARD_ALL = "dashboard_all"
    METHODOLOGY = "methodology"
    METRIC = "metric"
    METRICS_MONTH = "metrics_month"
    METRICS_JSON = "metrics_json"
    METRICS_CSV = "metrics_csv"
    METRIC_JSON = "metric_json"
    METRIC_CSV = "metric_csv"
    DATA_VERSION = "data_version"
    BADGE = "badge"
    OG_IMAGE = "og_image"
    TEAM = "team"
    YEARS = "years"
    YEAR = "year"
    COHORTS = "cohorts"
    DATA_BYTES = "data_bytes"


TEMPLATES: Mapping[PageKind, str] = MappingProxyType({
    PageKind.HOME: "index.html",
    PageKind.POST: "post.html",
    PageKind.PAGE: "page.html",
    PageKind.CATEGORY: "term.html",
    PageKind.TAG: "term.html",
    PageKind.CATEGORIES: "terms.html",
    PageKind.TAGS: "terms.html",
    PageKind.ARCHIVE: "archive.html",
    PageKind.ARCHIVE_YEAR: "archive.html",
    PageKind.ARCHIVE_MONTH: "archive.html",
    PageKind.FEED: "feed.xml",
    PageKind.NOT_FOUND: "404.html",
    PageKind.SITEMAP: "sitemap.xml",
    PageKind.ROBOTS: "robots.txt",
    PageKind.DASHBOARD: "metrics.html",
    PageKind.DASHBOARD_ALL: "metrics.html",
    PageKind.METHODOLOGY: "methodology.html",
    PageKind.METRIC: "metric.html",
    PageKind.METRICS_MONTH: "metrics_month.html",
    PageKind.BADGE: "badge.svg",
    PageKind.TEAM: "team.html",
    PageKind.YEARS: "years.html",
    PageKind.YEAR: "year.html",
    PageKind.COHORTS: "cohorts.html",
})
"""The template of each kind rendered by Jinja (a post or page may name its own in front matter)."""


@dataclass(frozen=True)
class Term:
    """A category or a tag, with its posts (newest first)."""

    kind: Literal["category", "tag"]
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
class LanguageLink:
    """The same page in one language of a site that speaks several (issue 23): for the switch and hreflang."""

    tag: str
    """'zh-CN'."""
    name: str
    """The language's name in itself ('中文')."""
    path: str
    """The page in that language, or that language's home page when the page has no version in it."""
    exists: bool
    """True when `path` is this page's version in that language (hreflang names only those)."""
    current: bool
    """True for the language the page is in."""
    default: bool
    """True for the site's first language (hreflang's x-default)."""


@dataclass(frozen=True)
class Page:
    """What every page has: its site path ('2024/03/launch/', 'feed.xml') and its title."""

    path: str
    title: str
    languages: tuple[LanguageLink, ...] = field(default=(), kw_only=True)
    """On a site in several languages, this page in each of them, in the order site.yaml lists them; () otherwise."""
    kind: ClassVar[PageKind]
    """Fixed by the class, or (a term, an archive period, a download) by the page's data."""
    in_sitemap: ClassVar[bool] = True

    @property
    def output_path(self) -> str:
        return output_file_of(self.path)

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]

    @property
    def last_modified(self) -> datetime | date | None:
        """When the page's own content last changed, for the sitemap (None: not known)."""
        return None


@dataclass(frozen=True)
class PlainPage(Page):
    """A page whose template needs nothing but the site: the archive index, 404, sitemap, robots, methodology."""

    kind: PageKind  # type: ignore[misc]  (a field here: one type serves every kind without data)

    @property
    def in_sitemap(self) -> bool:  # type: ignore[override]
        return self.kind not in (PageKind.NOT_FOUND, PageKind.SITEMAP, PageKind.ROBOTS)


@dataclass(frozen=True)
class HomePage(Page):
    listing: Listing
    og_image: str | None = None
    """Site path of the page's share card (the first page only), or None."""

    kind: ClassVar[PageKind] = PageKind.HOME


@dataclass(frozen=True)
class _PostBacked(Page):
    """A page made from one Markdown file, which may choose its own template."""

    post: Post

    @property
    def template(self) -> str:
        return self.post.template or TEMPLATES[self.kind]

    @property
    def last_modified(self) -> datetime | None:
        return self.post.last_modified


@dataclass(frozen=True)
class PostPage(_PostBacked):
    older: Post | None
    newer: Post | None
    og_image: str | None = None
    """Site path of the post's share card, or None (a post with a cover `image:` shares that instead)."""

    kind: ClassVar[PageKind] = PageKind.POST


@dataclass(frozen=True)
class StandalonePage(_PostBacked):
    kind: ClassVar[PageKind] = PageKind.PAGE


@dataclass(frozen=True)
class TermPage(Page):
    term: Term
    listing: Listing

    @property
    def kind(self) -> PageKind:
        return PageKind.CATEGORY if self.term.kind == "category" else PageKind.TAG


@dataclass(frozen=True)
class TermIndexPage(Page):
    terms: tuple[Term, ...]
    of: Literal["category", "tag"]

    @property
    def kind(self) -> PageKind:
        return PageKind.CATEGORIES if self.of == "category" else PageKind.TAGS


@dataclass(frozen=True)
class ArchivePeriodPage(Page):
    period: ArchivePeriod

    @property
    def kind(self) -> PageKind:
        return PageKind.ARCHIVE_YEAR if self.period.month is None else PageKind.ARCHIVE_MONTH


@dataclass(frozen=True)
class FeedPage(Page):
    """The site's Atom feed (term None) or a category's."""

    feed_posts: tuple[Post, ...]
    term: Term | None
    in_sitemap: ClassVar[bool] = False

    kind: ClassVar[PageKind] = PageKind.FEED


@dataclass(frozen=True)
class DashboardPage(Page):
    """The dashboard's overview: the recent months with cards, or all time."""

    charts: tuple[Chart, ...]
    all_time: bool
    og_image: str | None = None
    """Site path of the page's 1200×630 preview for shared links (OgImagePage), or None."""

    @property
    def kind(self) -> PageKind:
        return PageKind.DASHBOARD_ALL if self.all_time else PageKind.DASHBOARD


@dataclass(frozen=True)
class MetricDetailPage(Page):
    metric: MetricPage
    og_image: str | None = None

    kind: ClassVar[PageKind] = PageKind.METRIC


@dataclass(frozen=True)
class MonthDetailPage(Page):
    month: MonthPage
    og_image: str | None = None

    kind: ClassVar[PageKind] = PageKind.METRICS_MONTH


@dataclass(frozen=True)
class TeamPage(Page):
    """/team/: headcount, hires and departures, roles by team, salaries as site.yaml allows (issue #13)."""

    team: TeamView

    kind: ClassVar[PageKind] = PageKind.TEAM


@dataclass(frozen=True)
class YearsPage(Page):
    """/metrics/years/: every year's headline figures."""

    years: tuple[YearSummary, ...]

    kind: ClassVar[PageKind] = PageKind.YEARS


@dataclass(frozen=True)
class YearPage(Page):
    """/metrics/2025/: one (fiscal) year in numbers."""

    year: YearSummary

    kind: ClassVar[PageKind] = PageKind.YEAR


@dataclass(frozen=True)
class CohortsPage(Page):
    """/metrics/cohorts/: the retention triangle, its average curve and the retention card (issue 21)."""

    cohorts: CohortView

    kind: ClassVar[PageKind] = PageKind.COHORTS


@dataclass(frozen=True)
class BytesFile(Page):
    """A download whose bytes the model made already (the cohort page's CSV and JSON)."""

    data: bytes
    in_sitemap: ClassVar[bool] = False

    kind: ClassVar[PageKind] = PageKind.DATA_BYTES

    @property
    def template(self) -> str:
        raise TypeError("a download's bytes are made by the model, not a template")


@dataclass(frozen=True)
class DataFile(Page):
    """An open-data download: every published metric, or one (`metric_id`), as JSON or CSV; or data/VERSION."""

    format: Literal["json", "csv", "version"]
    metric_id: str | None
    in_sitemap: ClassVar[bool] = False

    @property
    def kind(self) -> PageKind:
        if self.format == "version":
            return PageKind.DATA_VERSION
        if self.metric_id is None:
            return PageKind.METRICS_JSON if self.format == "json" else PageKind.METRICS_CSV
        return PageKind.METRIC_JSON if self.format == "json" else PageKind.METRIC_CSV

    @property
    def template(self) -> str:
        raise TypeError("an open-data file is written by the metrics exporters, not a template")


@dataclass(frozen=True)
class BadgePage(Page):
    """/badges/<metric>.svg: a shields-style badge of a published metric's latest closed value."""

    metric_id: str
    label: str
    value_text: str
    in_sitemap: ClassVar[bool] = False

    kind: ClassVar[PageKind] = PageKind.BADGE


@dataclass(frozen=True)
class OgImagePage(Page):
    """The 1200×630 PNG a shared link shows (og:image): the site, the page's heading, a number and its sparkline,
    or a post's title, date and category.

    Drawn by the charts stage with Pillow (generator/charts/cards.py) and cached by what it shows and the font."""

    preview: Preview
    in_sitemap: ClassVar[bool] = False

    kind: ClassVar[PageKind] = PageKind.OG_IMAGE

    @property
    def template(self) -> str:
        raise TypeError("an Open Graph image is drawn by the charts stage, not a template")


PostBacked = PostPage | StandalonePage
"""The pages made from a Markdown file (their `post` is the file's Post)."""

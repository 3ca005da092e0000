"""Where every page and generated file lives: one function (or constant) per kind, and nowhere else.

A *site path* is relative to the output root, without a leading slash: '' is the home page,
'2024/03/launch/' a post, 'feed.xml' a file; a path ending in '/' is served by its index.html.
`generator/urls.py` turns site paths into URLs and output files; this module decides the paths.
A test (tests/test_architecture.py) fails when another module builds a page's path by hand.

A site in several languages (issue 23) places each language's pages in its own folder: the first language's at
the root, another's under its prefix ('zh/'); `in_language` puts a path there, once per page, where the model
makes it.

The dashboard's pages live under its folder (site.yaml `dashboard.path`, default 'metrics/') and
the team page at `team.path` (default 'team/'); functions that place a dashboard page take that
folder as `dashboard` (e.g. 'metrics/').
"""

from __future__ import annotations

from datetime import date, datetime

from generator.urls import contained_site_path

HOME = ""
ARCHIVE = "archive/"
CATEGORIES = "categories/"
TAGS = "tags/"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
ASSETS = "assets/"
"""The theme's CSS and the highlighter's styles."""
OPEN_DATA_JSON = "data/metrics.json"
OPEN_DATA_CSV = "data/metrics.csv"
DATA_VERSION = "data/VERSION"
DEFAULT_DASHBOARD = "metrics/"
DEFAULT_TEAM = "team/"
UNCATEGORIZED = "uncategorized"
"""What `{category}` in a permalink pattern becomes for a post without a category."""


def language_folder(prefix: str) -> str:
    """Return the folder a language's pages live in, from its prefix: 'zh' → 'zh/' (issue 23)."""
    return f"{prefix.strip('/')}/"


def in_language(folder: str, path: str) -> str:
    """Return where a page of a language lives: its path inside the language's folder ('zh/' + 'archive/')."""
    return f"{folder}{path}"


def outside_language(folder: str, path: str) -> str:
    """Return a page's path as the site's default language places it: 'zh/archive/' → 'archive/'."""
    return path.removeprefix(folder) if folder else path


def listing_page(first: str, number: int) -> str:
    """Return page `number` of a paginated listing whose first page is `first` ('', 'categories/x/')."""
    return first if number == 1 else f"{first}page/{number}/"


def category(slug: str) -> str:
    return f"{CATEGORIES}{slug}/"


def category_feed(slug: str) -> str:
    return f"{category(slug)}{FEED}"


def tag(slug: str) -> str:
    return f"{TAGS}{slug}/"


def archive_year(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def archive_month(year: int, month: int) -> str:
    return f"{archive_year(year)}{month:02d}/"


def post(pattern: str, when: datetime | None, slug: str, category_slug: str | None) -> str:
    """Return a post's path from the site's permalink pattern ('/{year}/{month}/{slug}/'), `when` in the site's zone.

    Raises:
        UnsafePath: the pattern with these values would leave the output folder.
    """
    local = when or datetime(1970, 1, 1)
    return contained_site_path(pattern.format(year=f"{local.year:04d}", month=f"{local.month:02d}",
                                              day=f"{local.day:02d}", slug=slug,
                                              category=category_slug or UNCATEGORIZED))


def permalink(written: str) -> str:
    """Return the path a front matter `permalink:` names: '/about/team' → 'about/team/' ('x.html' stays a file).

    Raises:
        UnsafePath: it would leave the output folder.
    """
    return contained_site_path(written if written.endswith(".html") else written.rstrip("/") + "/")


def standalone_page(folder: str, slug: str) -> str:
    """Return a standalone page's path: its folder under content/pages/ and its slug ('team/hiring/')."""
    return f"{folder}/{slug}/" if folder else f"{slug}/"


def dashboard_all(dashboard: str) -> str:
    return f"{dashboard}all/"


def methodology(dashboard: str) -> str:
    return f"{dashboard}methodology/"


def metric(dashboard: str, metric_id: str) -> str:
    return f"{dashboard}{metric_id}/"


def metric_download(metric_page: str, metric_id: str, extension: str) -> str:
    """Return a metric's own open data beside its page: 'metrics/mrr/' → 'metrics/mrr/mrr.csv' (or .json)."""
    return f"{metric_page}{metric_id}.{extension}"


def month(dashboard: str, when: date) -> str:
    return f"{dashboard}{when:%Y-%m}/"


def years(dashboard: str) -> str:
    return f"{dashboard}years/"


def year(dashboard: str, number: int) -> str:
    """Return a (fiscal) year's page, named by the calendar year it starts in: 'metrics/2025/'."""
    return f"{dashboard}{number}/"


def cohorts(dashboard: str) -> str:
    """Return the retention cohorts' page: 'metrics/cohorts/' (its downloads: metric_download(page, 'cohorts', …))."""
    return f"{dashboard}cohorts/"


def chart(dashboard: str, chart_id: str) -> str:
    """Return a chart's SVG: 'metrics/charts/mrr.svg' (its phone rendering adds '-narrow')."""
    return f"{dashboard}charts/{chart_id}.svg"


def asset(name: str) -> str:
    return f"{ASSETS}{name}"


def badge(metric_id: str) -> str:
    """Return a metric's badge: 'badges/mrr.svg' (for READMEs, at the site's root)."""
    return f"badges/{metric_id}.svg"


def share_image(page: str) -> str:
    """Return a page's Open Graph image: 'metrics/mrr/' → 'og/metrics/mrr.png', '' → 'og/index.png'."""
    return f"og/{page.strip('/') or 'index'}.png"

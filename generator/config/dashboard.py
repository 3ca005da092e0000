"""The `dashboard:` section of site.yaml: where the metrics dashboard lives and which KPI cards it shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator import routes
from generator.config.localized import read_localized
from generator.config.schema import Section
from generator.i18n.localized import LocalizedText


@dataclass(frozen=True)
class DashboardCard:
    """One KPI card named in site.yaml; the metric id is checked against the published metrics later."""

    metric: str
    line: int | None = None
    latest: bool = False
    """`{metric: x, as_of: latest}`: show the newest month with a value ("as of Sep 2026") for a metric that lags."""


@dataclass(frozen=True)
class DashboardChoice:
    """One chart named in `dashboard.charts`: a dashboard chart's id or a metric's; checked against the data later."""

    id: str
    line: int | None = None


@dataclass(frozen=True)
class DashboardConfig:
    """The `dashboard:` section: where the metrics dashboard lives and which KPI cards it shows."""

    title: LocalizedText | None = None
    """Page title and navigation label; None means the chrome string ("Metrics")."""
    path: str = routes.DEFAULT_DASHBOARD
    """Site path of the dashboard without the leading slash; its pages live below it."""
    cards: tuple[DashboardCard, ...] | None = None
    """KPI cards in order; None means the registry's default cards (those published, with data)."""
    recent_months: int = 12
    """Months shown by the dashboard's first page (the other page shows all of them)."""
    source: Path | None = None
    """The site.yaml these settings came from, for diagnostics raised after config time."""
    charts: tuple[DashboardChoice, ...] | None = None
    """The dashboard's charts in order; None means the built-in charts, then each of the site's own metrics that
    no other metric reads (a formula's inputs get a chart only when named)."""


def read_dashboard(top: Section) -> DashboardConfig:
    """Read the optional `dashboard: {title, path, cards, charts, recent_months}` section."""
    section = top.child("dashboard", default_empty=False)
    if section is None:
        return DashboardConfig(source=top.doc.path)
    title = read_localized(section, "title", "") if section.has("title") else None
    path = section.get("path", str, "/" + routes.DEFAULT_DASHBOARD, check=_check_dashboard_path,
                       hint="write a site path such as /metrics/ or /numbers/")
    cards = _read_cards(section) if section.has("cards") else None
    charts = None
    if section.has("charts"):
        charts = tuple(DashboardChoice(name, section.doc.where(("dashboard", "charts", index))[0])
                       for index, name in enumerate(section.get_str_list("charts")))
    recent = section.get("recent_months", int, 12, check=_check_recent_months)
    section.finish()
    return DashboardConfig(title, path.strip("/") + "/", cards, recent, top.doc.path, charts)


def _read_cards(section: Section) -> tuple[DashboardCard, ...]:
    """Read `cards: [mrr, arr, {metric: retention_30d, as_of: latest}]`."""
    items = section.get("cards", (list, str), [])
    if isinstance(items, str):
        items = [part.strip() for part in items.split(",") if part.strip()]
    cards = []
    for index, item in enumerate(items):
        where = ("dashboard", "cards", index)
        line = section.doc.where(where)[0]
        if isinstance(item, dict):
            entry = Section(section.doc, where, item)
            metric = entry.get("metric", str, hint="write {metric: retention_30d, as_of: latest}")
            as_of = entry.get("as_of", str, "closed", check=_check_as_of,
                              hint="write as_of: latest (the newest month with a value) or leave it out")
            entry.finish()
            if metric:
                cards.append(DashboardCard(metric, line, as_of == "latest"))
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            cards.append(DashboardCard(str(item), line))
        else:
            section.doc.report(where, f"dashboard.cards[{index}] must be a metric id or {{metric: …, as_of: latest}}")
    return tuple(cards)


def _check_as_of(value: str) -> str | None:
    return None if value in ("latest", "closed") else f"must be 'latest' or 'closed', found {value!r}"


def _check_dashboard_path(path: str) -> str | None:
    if not (path.startswith("/") and path.endswith("/")) or path == "/":
        return f"must be a folder path such as /metrics/, found {path!r}"
    if "://" in path or any(part in (".", "..") for part in path.split("/")) or re.search(r"[\s?#]", path):
        return f"must be a plain site path without spaces, '?', '#' or '..', found {path!r}"
    return None


def _check_recent_months(months: int) -> str | None:
    return None if 2 <= months <= 120 else f"must be between 2 and 120, found {months}"

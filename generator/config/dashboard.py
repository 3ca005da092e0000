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


def read_dashboard(top: Section) -> DashboardConfig:
    """Read the optional `dashboard: {title, path, cards, recent_months}` section."""
    section = top.child("dashboard", default_empty=False)
    if section is None:
        return DashboardConfig(source=top.doc.path)
    title = read_localized(section, "title", "") if section.has("title") else None
    path = section.get("path", str, "/" + routes.DEFAULT_DASHBOARD, check=_check_dashboard_path,
                       hint="write a site path such as /metrics/ or /numbers/")
    cards = None
    if section.has("cards"):
        names = section.get_str_list("cards")
        cards = tuple(DashboardCard(name, section.doc.where(("dashboard", "cards", index))[0])
                      for index, name in enumerate(names))
    recent = section.get("recent_months", int, 12, check=_check_recent_months)
    section.finish()
    return DashboardConfig(title, path.strip("/") + "/", cards, recent, top.doc.path)


def _check_dashboard_path(path: str) -> str | None:
    if not (path.startswith("/") and path.endswith("/")) or path == "/":
        return f"must be a folder path such as /metrics/, found {path!r}"
    if "://" in path or any(part in (".", "..") for part in path.split("/")) or re.search(r"[\s?#]", path):
        return f"must be a plain site path without spaces, '?', '#' or '..', found {path!r}"
    return None


def _check_recent_months(months: int) -> str | None:
    return None if 2 <= months <= 120 else f"must be between 2 and 120, found {months}"

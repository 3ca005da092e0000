"""`opensite new report YYYY-MM` and `YYYY`: a draft monthly report or annual letter with metric references.

The scaffold only names metrics that have a value in the month it refers to (the CLI passes them
in), so the draft builds as soon as it is written: a reference to a missing value is a build error.
An annual letter refers to the year's last month with data (December, or the fiscal year's last
month) and draws each chart over the year's months.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from generator import routes
from generator.config import SiteConfig
from generator.dashboard.years import fiscal_year_of, year_label
from generator.errors import MetricsError
from generator.i18n import Translator
from generator.metrics import MetricsData, add_months, select_month
from generator.metrics.series import count_months
from generator.registry.definition import ReportKind
from generator.registry.table import report_slots
from generator.scaffold import post_relpath

REPORT_CATEGORY = "finances"
REPORT_TAG = "report.tag"
ANNUAL_TAG = "report.annual_tag"
"""The tags of a report and of an annual letter, as string-table keys: 'monthly-report', '月报' (issue 23)."""
PUBLISH_TIME = time(9, 0)


SECTION_HEADINGS = ("report_revenue", "report_customers", "report_costs", "report.team")
"""The headings of a draft report, in order (string-table keys); which metrics each lists is in the registry."""


@dataclass(frozen=True)
class Section:
    """One heading of a report: the metrics listed under it, and the charts drawn when their metrics have values."""

    heading: str
    metrics: tuple[str, ...]
    charts: tuple[tuple[str, str], ...] = ()
    """(chart id, the metric whose value it needs) pairs."""


def report_sections(report: ReportKind) -> tuple[Section, ...]:
    """Return a report's sections as the registry's entries place their metrics (`Presence.reports`)."""
    slots = report_slots(report)
    sections = []
    for heading in SECTION_HEADINGS:
        mine = [(metric_id, slot) for metric_id, slot in slots if slot.section == heading]
        if mine:
            sections.append(Section(heading, tuple(m for m, _ in mine),
                                    tuple((slot.chart, m) for m, slot in mine if slot.chart)))
    return tuple(sections)


def assemble_report(config: SiteConfig, data: MetricsData, month: date) -> tuple[PurePosixPath, str]:
    """Return the path and text of the draft report on `month`; a month without data is a MetricsError."""
    select_month(data, month)  # the error names the months there are
    overrides = config.string_overrides
    text = render_report(month, language=config.language, zone=config.zone, metrics=list_metrics_with_values(
        data, month), category=_category(config), overrides=overrides, own=_own_metrics(config))
    return report_relpath(month, config.language, config.zone, overrides), text


def assemble_annual_report(config: SiteConfig, data: MetricsData, year: int, *, today: date) -> tuple[
        PurePosixPath, str]:
    """Return the path and text of the draft letter on `year`, referring to the year's last month with data.

    A year without data is a MetricsError naming the years there are. The year's page is linked once
    one of its months has ended by `today` (the site's date), as only then does the build make it.
    """
    start = config.fiscal_year_start
    months = [m for m in data.months if date(year, start, 1) <= m <= year_end(year, start)]
    if not months:
        raise MetricsError(f"no metrics for {year}", hint=_years_hint(data, start))
    closed = months[0] < today.replace(day=1)
    text = render_annual_report(year, fiscal_year_start=start, month=months[-1],
                                chart_months=count_months(months[0], months[-1]) + 1, language=config.language,
                                zone=config.zone, metrics=list_metrics_with_values(data, months[-1]),
                                category=_category(config),
                                year_page=routes.year(config.dashboard.path, year) if closed else None,
                                own=_own_metrics(config))
    return annual_report_relpath(year, start, config.language, config.zone), text


def list_metrics_with_values(data: MetricsData, month: date) -> dict[str, str]:
    """Return id → label of each published metric with a value in `month`."""
    return {s.id: s.label for s in data if (point := s.point_at(month)) is not None and point.value is not None}


def _own_metrics(config: SiteConfig) -> tuple[str, ...]:
    """Return the ids of the site's own metrics (site.yaml's `metrics.custom`), in the order written."""
    return tuple(config.metrics.custom) if config.metrics else ()


def _category(config: SiteConfig) -> str | None:
    return REPORT_CATEGORY if config.category(REPORT_CATEGORY) else None


def _years_hint(data: MetricsData, start: int) -> str:
    """Return 'years with metrics: 2023, 2024' (fiscal years by the year they start in), or that there are none."""
    years = sorted({fiscal_year_of(m, start) for m in data.months})
    if not years:
        return "the site has no metrics yet"
    named = "" if start == 1 else " (each fiscal year is named by the year it starts in)"
    return f"years with metrics: {', '.join(map(str, years))}{named}"


def report_date(month: date, zone: ZoneInfo) -> datetime:
    """Return when a report on `month` is dated: 09:00 on the first day of the next month."""
    return datetime.combine(add_months(month, 1), PUBLISH_TIME, tzinfo=zone)


def report_title(month: date, language: str, overrides: Mapping[str, str] | None = None) -> str:
    """Return e.g. 'October 2026 in numbers' or '2026年10月数据回顾' (or the site's own `strings:` wording)."""
    label = format_skeleton("yMMMM", month, locale=language.replace("-", "_"))
    return Translator(language, overrides)("report_title", month=label)


def report_relpath(month: date, language: str, zone: ZoneInfo,
                   overrides: Mapping[str, str] | None = None) -> PurePosixPath:
    """Return where the report is written: its file name follows its title, the site's wording included."""
    return post_relpath(report_title(month, language, overrides), report_date(month, zone).date())


def render_report(month: date, *, language: str, zone: ZoneInfo, metrics: Mapping[str, str],
                  category: str | None = REPORT_CATEGORY, overrides: Mapping[str, str] | None = None,
                  own: Sequence[str] = ()) -> str:
    """Return the Markdown of a draft report on `month`, referring only to `metrics` (id → label of
    each metric with a value that month), worded by the site's `strings:` where it has its own; the site's
    `own` metrics with a value get a section of their own."""
    t = Translator(language, overrides)
    lines = _front_matter(report_title(month, language, overrides), report_date(month, zone), category, t(REPORT_TAG),
                          f"{month:%Y-%m}")
    lines += [t("report_intro"), ""]
    lines += _render_sections(_with_own(ReportKind.MONTHLY, own), t, metrics, f"{month:%Y-%m}", "")
    lines += [f"## {t('report_learned')}", "", t("report_write_here"), ""]
    return "\n".join(lines)


def year_end(year: int, fiscal_year_start: int) -> date:
    """Return the last month of the (fiscal) year that starts in `year`."""
    return add_months(date(year, fiscal_year_start, 1), 11)


def annual_report_title(year: int, fiscal_year_start: int, language: str) -> str:
    """Return '2025 in numbers' / '2025年数据回顾', or 'Fiscal year 2025–26 in numbers' / '2025–26财年数据回顾'."""
    key = "report.year_title" if fiscal_year_start == 1 else "report.fiscal_year_title"
    return Translator(language)(key, year=year_label(year, fiscal_year_start))


def annual_report_relpath(year: int, fiscal_year_start: int, language: str, zone: ZoneInfo) -> PurePosixPath:
    day = report_date(year_end(year, fiscal_year_start), zone).date()
    # '2024–25' would slug to '202425': the dash between the years becomes a hyphen first.
    return post_relpath(annual_report_title(year, fiscal_year_start, language).replace("–", "-"), day)


def render_annual_report(year: int, *, fiscal_year_start: int, month: date, chart_months: int, language: str,
                         zone: ZoneInfo, metrics: Mapping[str, str], year_page: str | None = None,
                         category: str | None = REPORT_CATEGORY, own: Sequence[str] = ()) -> str:
    """Return the Markdown of a draft annual letter, dated the first day after the (fiscal) year ends.

    Args:
        year: the calendar year the (fiscal) year starts in.
        fiscal_year_start: its first month, 1-12.
        month: the month the references show: the year's last month with data.
        chart_months: how many months each chart spans (the year's months up to `month`).
        metrics: id → label of each metric with a value in `month`.
        year_page: site path of the year's page ('metrics/2025/'), linked when it exists.
    """
    t = Translator(language)
    title = annual_report_title(year, fiscal_year_start, language)
    lines = _front_matter(title, report_date(year_end(year, fiscal_year_start), zone), category, t(ANNUAL_TAG),
                          str(year))
    lines += [t("report.year_intro"), ""]
    if year_page is not None:
        link = f"[{t('years.year_title', year=year_label(year, fiscal_year_start))}](/{year_page})"
        lines += [t("report.year_page", link=link), ""]
    lines += _render_sections(_with_own(ReportKind.ANNUAL, own), t, metrics, f"{month:%Y-%m}", f"{chart_months} ")
    lines += [f"## {t('report_learned')}", "", t("report_write_here"), ""]
    return "\n".join(lines)


def _with_own(report: ReportKind, own: Sequence[str]) -> tuple[Section, ...]:
    """Return a report's sections, and the site's own metrics under a heading of their own."""
    return report_sections(report) + ((Section("report.own_metrics", tuple(own)),) if own else ())


def _front_matter(title: str, when: datetime, category: str | None, tag: str, period: str) -> list[str]:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"date: {when:%Y-%m-%d %H:%M}"]
    if category:
        lines.append(f"category: {category}")
    return lines + [f"tags: [{tag}]", f'report: "{period}"  # the month or year this reports on: its page links here',
                    'summary: ""  # one sentence for listings, feeds and search results',
                    "draft: true", "---"]


def _render_sections(sections: Sequence[Section], t: Translator, metrics: Mapping[str, str], key: str,
                     span: str) -> list[str]:
    """Return each section that has a metric with a value, its references and the charts that can be drawn."""
    lines: list[str] = []
    for section in sections:
        present = [m for m in section.metrics if m in metrics]
        if not present:
            continue
        lines += [f"## {t(section.heading)}", ""]
        lines += [f"- {metrics[m]}{t('sep.label')}{{{{ metric {m} {key} }}}}" for m in present]
        for chart, needs in section.charts:
            if needs in metrics:
                lines += ["", f"{{{{ chart {chart} {span}{key} }}}}"]
        lines += ["", t("report_write_here"), ""]
    return lines

"""`opensite new report YYYY-MM`: a draft monthly report with metric references to write around.

The scaffold only names metrics that have a value in that month (the CLI passes them in), so
the draft builds as soon as it is written: a reference to a missing value is a build error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from generator.i18n import Translator
from generator.scaffold import post_relpath

REPORT_CATEGORY = "finances"
REPORT_TAG = "monthly-report"
PUBLISH_TIME = time(9, 0)

# Each section: its heading key, the metrics listed in it, and the chart that shows it (with
# the metrics that chart needs). A section keeps only what the month has values for.
_SECTIONS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("report_revenue", ("mrr", "mrr_growth", "net_new_mrr", "new_mrr", "expansion_mrr", "churned_mrr", "nrr"),
     "mrr_movements", ("new_mrr",)),
    ("report_customers", ("customers", "new_customers", "churned_customers", "customer_churn_rate", "arpu"),
     "customers", ("customers",)),
    ("report_costs", ("costs", "net_burn", "runway_months"), "costs", ("costs",)),
)


def report_date(month: date, zone: ZoneInfo) -> datetime:
    """Return when a report on `month` is dated: 09:00 on the first day of the next month."""
    first = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(first, PUBLISH_TIME, tzinfo=zone)


def report_title(month: date, language: str, overrides: Mapping[str, str] | None = None) -> str:
    """Return e.g. 'October 2026 in numbers' or '2026年10月数据回顾' (or the site's own `strings:` wording)."""
    label = format_skeleton("yMMMM", month, locale=language.replace("-", "_"))
    return Translator(language, overrides)("report_title", month=label)


def report_relpath(month: date, language: str, zone: ZoneInfo,
                   overrides: Mapping[str, str] | None = None) -> PurePosixPath:
    """Return where the report is written: its file name follows its title, the site's wording included."""
    return post_relpath(report_title(month, language, overrides), report_date(month, zone).date())


def render_report(month: date, *, language: str, zone: ZoneInfo, metrics: Mapping[str, str],
                  category: str | None = REPORT_CATEGORY, overrides: Mapping[str, str] | None = None) -> str:
    """Return the Markdown of a draft report on `month`, referring only to `metrics` (id → label of
    each metric with a value that month), worded by the site's `strings:` where it has its own."""
    t = Translator(language, overrides)
    key = f"{month:%Y-%m}"
    lines = ["---", f"title: {json.dumps(report_title(month, language, overrides), ensure_ascii=False)}",
             f"date: {report_date(month, zone):%Y-%m-%d %H:%M}"]
    if category:
        lines.append(f"category: {category}")
    lines += [f"tags: [{REPORT_TAG}]", 'summary: ""  # one sentence for listings, feeds and search results',
              "draft: true", "---", t("report_intro"), ""]
    for heading, listed, chart, chart_needs in _SECTIONS:
        present = [m for m in listed if m in metrics]
        if not present:
            continue
        lines += [f"## {t(heading)}", ""]
        lines += [f"- {metrics[m]}{t('sep.label')}{{{{ metric {m} {key} }}}}" for m in present]
        if all(m in metrics for m in chart_needs):
            lines += ["", f"{{{{ chart {chart} {key} }}}}"]
        lines += ["", t("report_write_here"), ""]
    lines += [f"## {t('report_learned')}", "", t("report_write_here"), ""]
    return "\n".join(lines)

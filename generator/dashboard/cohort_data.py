"""The cohort page's open data: the triangle as published, as CSV and JSON bytes (ratios only, never an amount).

Same data, same bytes: rows in the page's order, ratios as fractions to four places (0.8333 for
83.33 %), an empty cell or null where a value is withheld or not published.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from generator.dashboard.cohorts import CohortView, average_curve, logo_ratio, revenue_ratio

_PLACES = Decimal("0.0001")
CSV_COLUMNS = ("first_month", "last_month", "age", "customers", "logo_retention", "revenue_retention")


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.quantize(_PLACES).normalize():f}"
    return "0" if text in ("-0", "0") else text


def render_cohorts_csv(view: CohortView) -> bytes:
    """Return cohorts.csv: one row per published cohort (or merged group) and age."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in view.groups:
        for age in group.ages:
            writer.writerow((f"{group.first:%Y-%m}", f"{group.last:%Y-%m}", age.age,
                             group.size if view.sizes else "",
                             _number(logo_ratio(group, age)) if view.logo else "",
                             _number(revenue_ratio(group, age)) if view.revenue else ""))
    return buffer.getvalue().encode("utf-8")


def render_cohorts_json(view: CohortView) -> bytes:
    """Return cohorts.json: the rule that hid small cohorts, every published group by age, and the average curve."""
    def ratios(values: list[Decimal | None]) -> list[object]:
        return [json.loads(text) if (text := _number(value)) else None for value in values]

    cohorts = [{"first_month": f"{g.first:%Y-%m}", "last_month": f"{g.last:%Y-%m}",
                **({"customers": g.size} if view.sizes else {}),
                **({"logo_retention": ratios([logo_ratio(g, a) for a in g.ages])} if view.logo else {}),
                **({"revenue_retention": ratios([revenue_ratio(g, a) for a in g.ages])} if view.revenue else {})}
               for g in view.groups]
    curve = average_curve(view.groups)
    average = {**({"logo_retention": ratios([logo for _, logo, _, _ in curve])} if view.logo else {}),
               **({"revenue_retention": ratios([revenue for _, _, revenue, _ in curve])} if view.revenue else {})}
    as_of = max(age.observed for group in view.groups for age in group.ages)
    document = {"min_customers": view.min_customers, "as_of": f"{as_of:%Y-%m}",
                "cohorts": cohorts, "average": average}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

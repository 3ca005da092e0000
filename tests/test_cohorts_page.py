"""/metrics/cohorts/ of the golden site, against its cohorts.csv read by hand: cells, merges, the card, privacy."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from conftest import REPO

COHORTS = REPO / "tests" / "sites" / "full" / "metrics" / "cohorts.csv"
LATEST_CLOSED = "2025-12"
"""The golden site is built on 2026-01-20: December 2025 is its latest closed month."""


@pytest.fixture(scope="module")
def built(golden_build):
    return golden_build("full").output


def _cells() -> dict[str, dict[int, tuple[int, Decimal]]]:
    cells: dict[str, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    for row in csv.DictReader(COHORTS.open(encoding="utf-8")):
        cells[row["cohort"]][int(row["age"])] = (int(row["customers"]), Decimal(row["mrr"]))
    return cells


def _month_after(month: str, months: int) -> str:
    year, number = divmod(int(month[:4]) * 12 + int(month[5:]) - 1 + months, 12)
    return f"{year:04d}-{number + 1:02d}"


def test_the_card_is_the_latest_cohort_six_months_old(built) -> None:
    cells = _cells()
    cohort = max(c for c in cells if _month_after(c, 6) <= LATEST_CLOSED and cells[c][0][0] >= 5)
    ratio = Decimal(cells[cohort][6][0]) / cells[cohort][0][0]
    page = (built / "metrics" / "cohorts" / "index.html").read_text(encoding="utf-8")
    assert cohort == "2025-06"
    assert f'<p class="kpi-value">{ratio * 100:.1f}%</p>' in page and "cohort of June 2025" in page
    overview = (built / "metrics" / "index.html").read_text(encoding="utf-8")
    assert f"{ratio * 100:.1f}%" in overview and "Retention after 6 months" in overview


def test_small_cohorts_are_merged_and_the_newest_withheld(built) -> None:
    data = json.loads((built / "metrics" / "cohorts" / "cohorts.json").read_text(encoding="utf-8"))
    groups = {(g["first_month"], g["last_month"]): g for g in data["cohorts"]}
    cells = _cells()
    merged = groups[("2025-02", "2025-04")]  # 2 + 2 customers are too few: April joins them
    assert merged["customers"] == sum(cells[m][0][0] for m in ("2025-02", "2025-03", "2025-04"))
    assert all(g["customers"] >= data["min_customers"] for g in data["cohorts"])
    assert not any(g["first_month"] == "2026-01" for g in data["cohorts"])  # one customer, in the month in progress
    # the merged group's ages: only those April (its youngest member) reached by December
    assert len(merged["logo_retention"]) == 9
    expected = [Decimal(sum(cells[m][a][0] for m in ("2025-02", "2025-03", "2025-04"))) / merged["customers"]
                for a in range(9)]
    assert [Decimal(str(v)) for v in merged["logo_retention"]] == [e.quantize(Decimal("0.0001")).normalize()
                                                                   for e in expected]


def test_no_amount_and_no_month_in_progress_is_published(built) -> None:
    published = "".join((built / "metrics" / "cohorts" / name).read_text(encoding="utf-8")
                        for name in ("index.html", "cohorts.csv", "cohorts.json"))
    amounts = {mrr for ages in _cells().values() for _, mrr in ages.values() if mrr >= 100}
    assert not [mrr for mrr in amounts if f"{mrr:f}" in published or f"${mrr:,.0f}" in published
                or f"${mrr:,.2f}" in published]
    assert "2026-01" not in published.replace('"as_of": "2025-12"', "")
    rows = list(csv.DictReader((built / "metrics" / "cohorts" / "cohorts.csv").open(encoding="utf-8")))
    assert max(_month_after(r["last_month"], int(r["age"])) for r in rows) == LATEST_CLOSED


def test_the_page_says_what_the_colours_and_dashes_mean(built) -> None:
    page = (built / "metrics" / "cohorts" / "index.html").read_text(encoding="utf-8")
    assert 'class="heat-10">100.0%</td>' in page  # age 0: every cohort's full size
    assert "Cohorts of fewer than 5 customers are shown together" in page
    assert '<th scope="colgroup"' in page and 'tabindex="0" role="region"' in page
    methodology = (built / "metrics" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert 'id="cohorts"' in methodology and "weighs each cohort that reached an age by its size" in methodology

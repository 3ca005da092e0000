"""cohorts.csv read and published: small cohorts merged forward, the newest few withheld, one customer never alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.metrics import FileOptions
from generator.metrics.publish.cohorts import publish_cohorts
from generator.metrics.read.cohorts import CohortCell, load_cohorts_file


def _cells(sizes: dict[str, list[int]]) -> list[CohortCell]:
    """Cohorts by month, each a list of customers paying at ages 0, 1, …; MRR is 10 a customer."""
    return [CohortCell(date(int(month[:4]), int(month[5:]), 1), age, n, Decimal(10 * n))
            for month, counts in sizes.items() for age, n in enumerate(counts)]


def test_small_cohorts_merge_forward_and_the_newest_few_are_withheld() -> None:
    published = publish_cohorts(_cells({"2024-01": [6, 5, 4, 4], "2024-02": [2, 2, 1], "2024-03": [3, 2],
                                        "2024-04": [1]}), 5)
    first, second = published.groups
    assert (first.first, first.last, first.size) == (date(2024, 1, 1), date(2024, 1, 1), 6)
    assert [a.customers for a in first.ages] == [6, 5, 4, 4]
    assert [a.mrr for a in first.ages] == [60, 50, None, None]  # four left: their MRR is withheld
    # February (2) and March (3) together reach 5; only the ages both reached: 0 and 1
    assert (second.first, second.last, second.size, second.merged) == (date(2024, 2, 1), date(2024, 3, 1), 5, True)
    assert [(a.age, a.customers, a.observed) for a in second.ages] == [(0, 5, date(2024, 3, 1)),
                                                                       (1, 4, date(2024, 4, 1))]
    assert published.withheld == 1  # April's one customer waits for the next cohorts


@pytest.mark.parametrize("threshold", [3, 5, 8])
def test_no_published_row_or_revenue_rests_on_fewer_customers_than_the_threshold(threshold: int) -> None:
    sizes = {f"2024-{m:02d}": [n] + [max(n - k, 0) for k in range(1, 13 - m)]
             for m, n in zip(range(1, 13), (1, 7, 2, 1, 1, 9, 3, 4, 1, 2, 6, 1), strict=True)}
    published = publish_cohorts(_cells(sizes), threshold)
    assert all(group.size >= threshold for group in published.groups)
    assert all(age.mrr is None for group in published.groups for age in group.ages if 0 < age.customers < threshold)
    assert sum(group.size for group in published.groups) + published.withheld == sum(v[0] for v in sizes.values())


def test_load_reports_bad_rows_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.csv"
    path.write_text("cohort,age,customers,mrr\n2024-01,0,5,50\n2024-01,0,5,50\n2024-01,1,7,70\n2024-02,1,1,10\n"
                    "20x4-03,0,1,1\n", encoding="utf-8")
    cells, problems = load_cohorts_file(path, FileOptions(), False)
    text = [p.format() for p in problems]
    assert any(":3: cohort 2024-01 at age 0 appears twice: lines 2 and 3" in t for t in text)
    assert any(":4: cohort 2024-01 has 7 customers at age 1 but 5 at age 0" in t for t in text)
    assert any(":5: cohort 2024-02 has no age 0 row" in t for t in text)
    assert any(":6:1: column 'cohort': '20x4-03' is not a month" in t for t in text)

"""Metrics in the build: open data files, publishing rules end to end, errors beside content errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from support import read_tree

from generator import build_site
from generator.errors import GeneratorError

POST = "---\ntitle: Numbers\ndate: 2024-03-02\ncategory: finances\n---\nWe share everything we can.\n"

MRR = """month,mrr,new,expansion,contraction,churned
2024-01,1000,1000,0,0,0
2024-02,1500,600,100,50,150
2024-03,1800,400,0,0,100
"""
CHURN = """month,customers,new_customers,churned_customers
2024-01,10,10,0
2024-02,14,6,2
2024-03,17,4,1
"""
# Distinctive balances: none of these digits may reach the output when cash is hidden.
CASH = """month,balance
2024-01,987654.32
2024-02,976543.21
2024-03,965432.10
"""
COSTS = """month,category,amount
2024-01,hosting,300
2024-02,hosting,310
2024-03,hosting,320
"""


def _metrics_site(make_site, publish: str = "") -> Path:
    config = "title: Numbers Co\nbase_url: https://numbers.example/\ntimezone: UTC\nmetrics:\n  currency: USD\n"
    return make_site({"content/posts/2024-03-02-numbers.md": POST, "metrics/mrr.csv": MRR,
                      "metrics/churn.csv": CHURN, "metrics/cash.csv": CASH, "metrics/costs.csv": COSTS},
                     config=config + publish)


def test_build_publishes_open_data_computed_from_the_csvs(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(_metrics_site(make_site), out, now=BUILD_TIME)
    data = json.loads((out / "data/metrics.json").read_text())
    assert data["months"] == ["2024-01", "2024-02", "2024-03"]
    metrics = data["metrics"]
    assert metrics["mrr"]["values"] == [1000, 1500, 1800]
    # net new = new + expansion - contraction - churned = 600 + 100 - 50 - 150 = 500
    assert metrics["net_new_mrr"]["values"][1] == 500
    # growth in March: (1800 - 1500) / 1500 = 0.2; January has no previous month
    assert metrics["mrr_growth"]["values"] == [None, 0.5, 0.2]
    assert metrics["mrr_growth"]["reasons"] == {"2024-01": "no_previous_month"}
    # customer churn in February: 2 / (14 - 6 + 2) = 0.2
    assert metrics["customer_churn_rate"]["values"][1] == 0.2
    # net burn in March: costs 320 - MRR 1800 = -1480 (a profit)
    assert metrics["net_burn"]["values"][2] == -1480
    csv_lines = (out / "data/metrics.csv").read_text().splitlines()
    assert csv_lines[0].startswith("month,mrr,")
    assert csv_lines[3].startswith("2024-03,1800.00,")


def test_hidden_metric_values_appear_in_no_output_file(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(_metrics_site(make_site, "  publish:\n    cash: hidden\n    runway_months: hidden\n"), out,
               now=BUILD_TIME)
    tree = read_tree(out)
    assert "data/metrics.json" in tree
    for path, data in tree.items():
        for planted in (b"987654", b"987,654", b"976543", b"965432", b"965,432"):
            assert planted not in data, f"hidden cash {planted!r} leaked into {path}"
    metrics = json.loads(tree["data/metrics.json"])["metrics"]
    assert "cash" not in metrics and "runway_months" not in metrics
    assert "mrr" in metrics


def test_rounded_metric_is_published_rounded(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(_metrics_site(make_site, "  publish:\n    cash: {disclosure: rounded, round_to: 10000}\n"), out,
               now=BUILD_TIME)
    cash = json.loads((out / "data/metrics.json").read_text())["metrics"]["cash"]
    assert cash["disclosure"] == "rounded"
    assert cash["values"] == [990000, 980000, 970000]


def test_site_without_metrics_has_no_data_folder(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(make_site({"content/posts/2024-03-02-numbers.md": POST}), out, now=BUILD_TIME)
    assert not (out / "data").exists()


def test_content_and_metrics_errors_are_reported_together(make_site, tmp_path: Path) -> None:
    root = _metrics_site(make_site)
    (root / "content/posts/2024-03-03-bad.md").write_text("---\ntitle: Bad\ndate: someday\n---\nx\n")
    (root / "metrics/mrr.csv").write_text(MRR.replace("2024-03,1800", "2024-03,18OO"))
    with pytest.raises(GeneratorError) as info:
        build_site(root, tmp_path / "out", now=BUILD_TIME)
    shown = [d.format() for d in info.value.diagnostics]
    assert any("2024-03-03-bad.md:3" in s and "not a date" in s for s in shown), shown
    assert any("mrr.csv:4" in s and "18OO" in s for s in shown), shown
    assert not (tmp_path / "out").exists()

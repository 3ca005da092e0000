"""`opensite metrics` and the metrics warnings of `opensite check`, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

MRR = "month,mrr\n2024-01,1000\n2024-02,1250\n2024-03,1500\n"
CASH = "month,balance\n2024-01,555555\n2024-02,544444\n2024-03,533333\n"
COSTS = "month,category,amount\n2024-01,hosting,2000\n2024-02,hosting,2000\n2024-03,hosting,2000\n"


def _site(make_site, publish: str = "") -> Path:
    return make_site({"metrics/mrr.csv": MRR, "metrics/cash.csv": CASH, "metrics/costs.csv": COSTS},
                     config="title: T\nbase_url: https://t.example/\nmetrics:\n  currency: USD\n" + publish)


def test_metrics_prints_the_latest_month_by_default(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "-s", str(_site(make_site))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("March 2024 (USD)")
    # growth in March: (1500 - 1250) / 1250 = 20%; net burn: 2000 - 1500 = 500;
    # runway: 533,333 / mean(net burn Jan..Mar = 1000, 750, 500) = 533,333 / 750 = 711.1 months
    assert "20.0%" in result.stdout and "$500.00" in result.stdout and "711.1 months" in result.stdout


def test_metrics_month_option_picks_a_month(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "-s", str(_site(make_site)), "--month", "Feb 2024"])
    assert result.exit_code == 0
    assert result.stdout.startswith("February 2024") and "$1,250.00" in result.stdout


def test_metrics_json_matches_the_open_data_and_hides_hidden_metrics(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "-s", str(_site(make_site, "  publish:\n    cash: hidden\n")),
                                  "--format", "json"])
    data = json.loads(result.stdout)
    assert data["metrics"]["mrr"]["values"] == [1000, 1250, 1500]
    assert "cash" not in data["metrics"] and "555555" not in result.stdout


def test_metrics_month_without_data_is_a_site_error(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "-s", str(_site(make_site)), "--month", "2019-01"])
    assert result.exit_code == 1
    assert "no metrics for 2019-01 (months run from 2024-01 to 2024-03)" in result.stderr


def test_metrics_malformed_month_is_a_usage_error(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "-s", str(_site(make_site)), "--month", "someday"])
    assert result.exit_code == 2
    assert "write months as 2024-03" in result.output


def test_check_warns_when_a_published_metric_reveals_a_hidden_one(make_site, runner: CliRunner) -> None:
    root = _site(make_site, "  publish:\n    cash: hidden\n    runway_months: {disclosure: exact, lift_propagation: true}\n")
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 0
    assert "site.yaml:7" in result.stderr and "warning:" in result.stderr and "runway_months" in result.stderr
    assert "site.yaml:6" in result.stderr and "cash = runway_months × mean net_burn" in result.stderr
    strict = runner.invoke(main, ["check", "--strict", "-s", str(root)])
    assert strict.exit_code == 1

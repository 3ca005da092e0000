"""`opensite metrics` and the metrics warnings of `opensite check`, as a user runs them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from generator import build_site
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
    assert "20.0%" in result.stdout and "$500" in result.stdout and "711.1 months" in result.stdout


def test_metrics_month_option_picks_a_month(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "-s", str(_site(make_site)), "--month", "Feb 2024"])
    assert result.exit_code == 0
    assert result.stdout.startswith("February 2024") and "$1,250" in result.stdout


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


def test_check_fails_when_a_published_metric_reveals_a_hidden_one(make_site, runner: CliRunner,
                                                                  tmp_path: Path) -> None:
    root = _site(make_site, "  publish:\n    cash: hidden\n    runway_months: {disclosure: exact, lift_propagation: true}\n")
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 1  # a recovered protected value is an error in check (issue 20)
    assert "site.yaml:7: warning:" in result.stderr and "lift_propagation" in result.stderr
    assert "site.yaml:6: error: cash is hidden, but readers can work out" in result.stderr
    assert "from runway_months = cash / mean(net_burn over m−2..m where defined)" in result.stderr
    assert "(remove lift_propagation from runway_months)" in result.stderr
    build = runner.invoke(main, ["build", "-s", str(root), "-o", str(tmp_path / "out")])
    assert build.exit_code == 0  # and a warning in build
    assert "site.yaml:6: warning: cash is hidden, but readers can work out" in build.stderr


AHEAD_MRR = "month,mrr\n2025-11,1000\n2025-12,1200\n2026-01,1300\n2026-02,1400\n2026-03,1500\n"
"""Rows past the build month (2026-01-15): a forecast, or a build with an older SOURCE_DATE_EPOCH."""
AHEAD_CASH = "month,balance\n2025-11,555555\n2025-12,544444\n2026-01,533333\n"
BUILT = datetime(2026, 1, 15, 12, tzinfo=timezone.utc)


def _ahead(make_site, language: str = "en", extra: str = "") -> Path:
    return make_site({"metrics/mrr.csv": AHEAD_MRR, "metrics/cash.csv": AHEAD_CASH,
                      "metrics/costs.csv": COSTS.replace("2024-01", "2025-11").replace("2024-02", "2025-12")
                                                .replace("2024-03", "2026-01")},
                     config=f"title: T\nbase_url: https://t.example/\nlanguage: {language}\n"
                            f"metrics:\n  currency: USD\n  publish:\n    cash: {{disclosure: rounded, round_to: 10000}}\n"
                            + extra)


def _at_build_time(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT.timestamp())))


def test_metrics_csv_and_json_are_the_sites_downloads(make_site, runner: CliRunner, monkeypatch, tmp_path) -> None:
    """One implementation: the command prints byte for byte what a build at the same time publishes."""
    root = _ahead(make_site)
    build_site(root, tmp_path / "out", now=BUILT)
    _at_build_time(monkeypatch)
    for fmt in ("csv", "json"):
        result = runner.invoke(main, ["metrics", "-s", str(root), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert result.stdout.encode() == (tmp_path / "out" / f"data/metrics.{fmt}").read_bytes()


def test_metrics_csv_and_json_stop_at_the_build_month_and_flag_it(make_site, runner: CliRunner, monkeypatch) -> None:
    _at_build_time(monkeypatch)
    root = _ahead(make_site)
    data = json.loads(runner.invoke(main, ["metrics", "-s", str(root), "--format", "json"]).stdout)
    assert data["months"] == ["2025-11", "2025-12", "2026-01"]  # February and March have not happened
    assert data["estimate_month"] == "2026-01"
    assert data["metrics"]["mrr"]["values"] == [1000, 1200, 1300]
    rows = runner.invoke(main, ["metrics", "-s", str(root), "--format", "csv"]).stdout.splitlines()
    assert rows[0].split(",")[0] == "month" and rows[0].endswith(",estimate")
    assert [row.split(",")[0] for row in rows[1:]] == ["2025-11", "2025-12", "2026-01"]
    assert [row.split(",")[-1] for row in rows[1:]] == ["", "", "yes"]
    one = json.loads(runner.invoke(main, ["metrics", "-s", str(root), "--format", "json", "--month", "2025-12"]).stdout)
    assert (one["months"], one["estimate_month"]) == (["2025-12"], None)  # a closed month is no estimate
    later = runner.invoke(main, ["metrics", "-s", str(root), "--month", "2026-02"])
    assert later.exit_code == 1 and "no metrics for 2026-02 (months run from 2025-11 to 2026-01)" in later.stderr


def test_metrics_table_flags_the_month_in_progress(make_site, runner: CliRunner, monkeypatch) -> None:
    _at_build_time(monkeypatch)
    result = runner.invoke(main, ["metrics", "-s", str(_ahead(make_site))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("January 2026 (USD), an estimate: the month is not over yet\n")
    closed = runner.invoke(main, ["metrics", "-s", str(_ahead(make_site)), "--month", "2025-12"])
    assert closed.stdout.startswith("December 2025 (USD)\n")


def test_metrics_table_speaks_the_sites_language(make_site, runner: CliRunner, monkeypatch) -> None:
    _at_build_time(monkeypatch)
    result = runner.invoke(main, ["metrics", "-s", str(_ahead(make_site, "zh-CN")), "--month", "2025-12"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2025年12月（USD）"
    assert lines[2].split() == ["指标", "名称", "数值", "说明"]
    rows = {line.split()[0]: line for line in lines[3:]}
    assert "US$1,200" in rows["mrr"] and "月经常性收入" in rows["mrr"]
    assert "20.0%" in rows["mrr_growth"]                    # (1,200 − 1,000) / 1,000
    assert rows["cash"].split()[-2:] == ["≈US$540,000", "已取整"]  # 544,444 to the nearest 10,000
    assert rows["cmgr_12m"].endswith("历史数据不足")          # the reason in Chinese, not 'insufficient_history'
    assert not re.search(r"\b(months|rounded|no data|metric|value|note)\b", result.stdout)
    runway = runner.invoke(main, ["metrics", "-s", str(_ahead(make_site, "zh-CN")), "--month", "2025-11"]).stdout
    # runway from the rounded cash, so nothing reveals the exact balance: 560,000 / (2,000 − 1,000)
    assert "≈560 个月" in runway and not re.search(r"\bmonths\b", runway)


def test_metrics_table_uses_the_sites_strings_overrides(make_site, runner: CliRunner, monkeypatch) -> None:
    _at_build_time(monkeypatch)
    root = _ahead(make_site, extra="strings:\n  numbers.rounded: approximate\n  numbers.note: remark\n")
    lines = runner.invoke(main, ["metrics", "-s", str(root), "--month", "2025-12"]).stdout.splitlines()
    assert lines[2].split()[-1] == "remark"
    assert next(line for line in lines if line.startswith("cash ")).endswith("approximate")

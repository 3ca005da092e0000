"""The demo site's metrics/*.csv (Tallybird): it loads clean, balances, and tells the intended story."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.site import SiteConfig
from generator.metrics import find_disclosure_leaks, load_metrics, publish_metrics, render_metrics_json
from generator.metrics.series import MetricsData

REPO = Path(__file__).resolve().parents[2]

RECOMMENDED = """
metrics:
  currency: USD
  bridge: error
  customer_identity: error
  ltv_churn_months: 6
  publish:
    cash: {disclosure: rounded, round_to: 10000}
    runway_months: {disclosure: rounded, round_to: 1}
"""
"""The `metrics:` section recommended for the demo's site.yaml (strict checks: the demo balances exactly)."""


def _config(parse_yaml) -> SiteConfig:
    settings, problems = parse_yaml(RECOMMENDED)
    assert problems == []
    return SiteConfig(root=REPO, title="Tallybird", metrics=settings)


@pytest.fixture
def config(parse_yaml) -> SiteConfig:
    if not (REPO / "metrics" / "mrr.csv").is_file():
        pytest.skip("no demo metrics in this checkout")
    return _config(parse_yaml)


@pytest.fixture
def data(config: SiteConfig) -> MetricsData:
    return load_metrics(config)


def _at(data: MetricsData, metric_id: str, year: int, month: int) -> Decimal | None:
    return data.series[metric_id].value_at(date(year, month, 1))


def test_demo_loads_without_errors_or_warnings(data: MetricsData) -> None:
    assert data.warnings == ()
    assert data.months[0] == date(2023, 11, 1) and data.months[-1] == date(2026, 10, 1)
    assert len(data.months) == 36


def test_demo_has_no_gaps_in_revenue_or_customers(data: MetricsData) -> None:
    for metric_id in ("mrr", "new_mrr", "customers", "costs"):
        assert all(point.value is not None for point in data.series[metric_id].points), metric_id


def test_demo_tells_its_story(data: MetricsData) -> None:
    assert _at(data, "mrr", 2023, 11) > 0  # private beta revenue
    new_customers = data.series["new_customers"]
    assert max(new_customers.points, key=lambda p: p.value).month == date(2024, 1, 1)  # public launch
    expansion = data.series["expansion_mrr"]
    assert max(expansion.points, key=lambda p: p.value).month == date(2024, 9, 1)  # price increase
    churn = data.series["customer_churn_rate"]
    assert max((p for p in churn.points if p.value is not None), key=lambda p: p.value).month == date(2025, 3, 1)
    assert Decimal(40000) <= _at(data, "mrr", 2026, 10) <= Decimal(50000)
    assert [c for c in data.series if c.startswith("costs.")] == [
        "costs.hosting", "costs.legal_accounting", "costs.marketing", "costs.office", "costs.payroll",
        "costs.software"]


def test_demo_cash_follows_the_seed_round_and_net_burn(data: MetricsData) -> None:
    cash = data.series["cash"]
    first = next(p for p in cash.points if p.value is not None)
    assert first.month == date(2023, 12, 1) and Decimal(620000) <= first.value <= Decimal(660000)
    burn = data.series["net_burn"]
    for index in range(2, len(data.months)):  # each balance is the last one minus the month's net burn
        assert cash.points[index].value == cash.points[index - 1].value - burn.points[index].value
    assert data.series["runway_months"].points[-1].reason == "profitable"


def test_demo_publishes_without_leaks(config: SiteConfig, data: MetricsData) -> None:
    assert find_disclosure_leaks(config, data) == []
    published = publish_metrics(data, config)
    assert published.series["cash"].approximate
    assert b'"cash"' in render_metrics_json(published)

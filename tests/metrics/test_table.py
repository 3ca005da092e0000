"""`opensite metrics`: the same numbers in the terminal as table, CSV or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from generator.config.site import SiteConfig
from generator.errors import MetricsError
from generator.metrics import load_metrics, publish_metrics, render_metrics_csv, render_metrics_table
from generator.metrics.series import PublishedMetrics


@pytest.fixture
def data(make_site: Callable[..., SiteConfig]) -> PublishedMetrics:
    config = make_site({
        "mrr.csv": "month,mrr,new,expansion,contraction,churned\n2024-01,1000,1000,0,0,0\n"
                   "2024-02,1250.5,300,0,0,49.5\n",
        "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,200,200,0\n2024-02,240,41,1\n",
        "cash.csv": "month,balance\n2024-01,50000\n2024-02,48000\n",
    }, metrics="metrics:\n  publish:\n    cash: {disclosure: rounded, round_to: 10000}\n    customers: relative\n")
    return publish_metrics(load_metrics(config), config)


def test_render_metrics_table_shows_the_latest_month_by_default(data: PublishedMetrics) -> None:
    text = render_metrics_table(data)
    lines = text.splitlines()
    assert lines[0] == "February 2024 (USD)"
    assert lines[2].split() == ["metric", "label", "value", "note"]
    rows = {line.split()[0]: line for line in lines[3:]}
    assert "$1,251" in rows["mrr"]  # whole dollars from $1,000 up, as on the site
    assert "25.1%" in rows["mrr_growth"]
    assert "≈$50,000" in rows["cash"] and rows["cash"].endswith("rounded")
    # an index is whole points of the largest value (issue 20): February's 240 = 100, so January's 200 = 83
    assert rows["customers"].split()[2] == "100" and rows["customers"].endswith("Feb 2024 = 100")
    assert "6.06×" in rows["quick_ratio"]  # a multiple, not a percentage
    assert rows["runway_months"].endswith("no data")  # the reason in words, as the pages say it


def test_render_metrics_table_for_a_given_month(data: PublishedMetrics) -> None:
    rows = {line.split()[0]: line for line in render_metrics_table(data, date(2024, 1, 17)).splitlines()[3:]}
    assert "$1,000" in rows["mrr"]
    assert rows["mrr_growth"].split()[-4:] == ["—", "no", "previous", "month"]


def test_render_metrics_table_csv_and_json_match_the_exports(data: PublishedMetrics) -> None:
    assert render_metrics_table(data, None, "csv") == render_metrics_csv(data).decode()
    one = json.loads(render_metrics_table(data, date(2024, 2, 1), "json"))
    assert one["months"] == ["2024-02"] and one["metrics"]["mrr"]["values"] == [1250.5]
    assert render_metrics_table(data, date(2024, 2, 1), "csv").splitlines()[1].startswith("2024-02,1250.50,")


def test_render_metrics_table_rejects_a_month_without_data(data: PublishedMetrics) -> None:
    with pytest.raises(MetricsError) as caught:
        render_metrics_table(data, date(2025, 1, 1))
    assert str(caught.value) == "no metrics for 2025-01 (months run from 2024-01 to 2024-02)"


def test_render_metrics_table_rejects_an_unknown_format(data: PublishedMetrics) -> None:
    with pytest.raises(ValueError, match="use one of table, csv, json"):
        render_metrics_table(data, None, "xml")


def test_render_metrics_table_without_metrics() -> None:
    assert render_metrics_table(PublishedMetrics()) == "No metrics: add metrics/mrr.csv to the site.\n"


def test_render_metrics_table_aligns_chinese_labels_by_display_width() -> None:
    """A Chinese character takes two terminal columns: the value column must still line up (issue 14)."""
    from decimal import Decimal

    from generator.metrics import MetricPoint, MetricSeries, Unit
    from generator.textwidth import display_width

    month = date(2024, 1, 1)
    series = {s.id: s for s in (
        MetricSeries("mrr", "月经常性收入", Unit.CURRENCY, (MetricPoint(month, Decimal("48500")),)),
        MetricSeries("customers", "Customers", Unit.COUNT, (MetricPoint(month, Decimal("1204")),)),
    )}
    lines = render_metrics_table(PublishedMetrics(months=(month,), series=series)).splitlines()[2:]
    starts = {display_width(line[:line.index(value)]) for line, value in zip(lines, ("value", "$48,500", "1,204"),
                                                                           strict=True)}
    assert len(starts) == 1, lines

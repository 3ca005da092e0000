"""metrics.json and metrics.csv: exact bytes, deterministic, and nothing hidden in them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from generator.config.metrics import Disclosure
from generator.config.site import SiteConfig
from generator.metrics import (
    load_metrics,
    publish_metrics,
    render_metrics_csv,
    render_metrics_json,
    render_metrics_table,
)
from generator.metrics.series import MetricPoint, MetricSeries, PublishedMetrics
from generator.registry import Unit

JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)


def _small() -> PublishedMetrics:
    return PublishedMetrics(
        months=(JAN, FEB),
        series={
            "mrr": MetricSeries("mrr", "MRR", Unit.CURRENCY, (MetricPoint(JAN, Decimal("1000")),
                                                              MetricPoint(FEB, Decimal("1050.5")))),
            "mrr_growth": MetricSeries("mrr_growth", "MRR growth", Unit.RATIO, (
                MetricPoint(JAN, None, "no_previous_month"), MetricPoint(FEB, Decimal("0.050500")))),
            "costs.服务器": MetricSeries("costs.服务器", "Costs: 服务器", Unit.CURRENCY, (
                MetricPoint(JAN, Decimal("12.00"), approximate=True), MetricPoint(FEB, None, "missing_input")),
                Disclosure.ROUNDED),
            "customers": MetricSeries("customers", "Customers", Unit.COUNT, (
                MetricPoint(JAN, Decimal("100.0")), MetricPoint(FEB, Decimal("120.0"))), Disclosure.RELATIVE, JAN),
        },
        currency="EUR",
    )


def test_render_metrics_json_writes_the_documented_format() -> None:
    assert render_metrics_json(_small()).decode("utf-8") == """\
{
  "currency": "EUR",
  "months": ["2024-01", "2024-02"],
  "metrics": {
    "mrr": {
      "label": "MRR",
      "unit": "currency",
      "disclosure": "exact",
      "values": [1000.00, 1050.50],
      "reasons": {}
    },
    "mrr_growth": {
      "label": "MRR growth",
      "unit": "ratio",
      "disclosure": "exact",
      "values": [null, 0.0505],
      "reasons": {"2024-01": "no_previous_month"}
    },
    "costs.服务器": {
      "label": "Costs: 服务器",
      "unit": "currency",
      "disclosure": "rounded",
      "values": [12.00, null],
      "reasons": {"2024-02": "missing_input"}
    },
    "customers": {
      "label": "Customers",
      "unit": "count",
      "disclosure": "relative",
      "values": [100, 120],
      "reasons": {}
    }
  }
}
"""


def test_render_metrics_json_parses_back_to_the_same_decimals() -> None:
    parsed = json.loads(render_metrics_json(_small()), parse_float=Decimal)
    assert parsed["metrics"]["mrr"]["values"] == [Decimal("1000.00"), Decimal("1050.50")]
    assert parsed["metrics"]["mrr_growth"]["values"] == [None, Decimal("0.0505")]


def test_render_metrics_csv_writes_one_column_per_metric() -> None:
    assert render_metrics_csv(_small()).decode("utf-8") == (
        "month,mrr,mrr_growth,costs.服务器,customers\n"
        "2024-01,1000.00,,12.00,100\n"
        "2024-02,1050.50,0.0505,,120\n")


def test_render_metrics_json_of_no_metrics() -> None:
    assert json.loads(render_metrics_json(PublishedMetrics())) == {"currency": "USD", "months": [], "metrics": {}}
    assert render_metrics_csv(PublishedMetrics()) == b"month\n"


@pytest.fixture
def site(make_site: Callable[..., SiteConfig]) -> SiteConfig:
    return make_site({
        "mrr.csv": "month,mrr,new,expansion,contraction,churned\n2024-01,1000,1000,0,0,0\n2024-02,1050,100,0,0,50\n",
        "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,20,20,0\n2024-02,21,2,1\n",
        "costs.csv": "month,Payroll,Secret sauce\n2024-01,5000,777777.77\n2024-02,5000,777777.77\n",
        "cash.csv": "month,balance\n2024-01,9876543.21\n2024-02,9123456.78\n",
    }, metrics="""
        metrics:
          publish:
            cash: {disclosure: hidden, hide_derived: true}
            costs.secret_sauce: {disclosure: hidden, hide_derived: true}
    """)


def test_exports_are_byte_identical_across_runs(site: SiteConfig) -> None:
    first = publish_metrics(load_metrics(site), site)
    second = publish_metrics(load_metrics(site), site)
    assert render_metrics_json(first) == render_metrics_json(second)
    assert render_metrics_csv(first) == render_metrics_csv(second)


def test_exports_write_ratios_as_fractions_and_money_to_the_cent(site: SiteConfig) -> None:
    parsed = json.loads(render_metrics_json(publish_metrics(load_metrics(site), site)), parse_float=Decimal)
    assert parsed["metrics"]["customer_churn_rate"]["values"] == [None, Decimal("0.05")]
    assert parsed["metrics"]["customer_churn_rate"]["reasons"] == {"2024-01": "zero_denominator"}
    assert parsed["metrics"]["arpu"]["values"] == [Decimal("50.00"), Decimal("50.00")]


def test_hidden_values_appear_in_no_export(site: SiteConfig) -> None:
    published = publish_metrics(load_metrics(site), site)
    outputs = [render_metrics_json(published), render_metrics_csv(published)]
    outputs += [render_metrics_table(published, None, fmt).encode() for fmt in ("table", "csv", "json")]
    outputs += [render_metrics_table(published, JAN, "table").encode()]
    for output in outputs:
        for planted in (b"9876543", b"9,876,543", b"9123456", b"9,123,456", b"777777", b"777,777", b"ecret",
                        b"runway", b"cash", b"net_burn", b'"costs"'):
            assert planted not in output, (planted, output[:200])
    assert b"costs.payroll" in outputs[0]

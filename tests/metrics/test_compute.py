"""Every metric and null reason of the definitions table, against values computed by hand.

The dataset (2024-01..2024-07) has: a first month with zero MRR and zero customers, a gap in
May (no file has a row), zero previous MRR in February, negative net churn in April, a
profitable stretch from March, and no churn in July.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from generator.config.site import SiteConfig
from generator.metrics import METRIC_DEFINITIONS, get_definition, load_metrics
from generator.metrics.series import MetricsData

D = Decimal
NPM, ZD, MI, IH, NC, PR = ("no_previous_month", "zero_denominator", "missing_input", "insufficient_history",
                           "no_churn", "profitable")

MRR = """
month,mrr,new,expansion,contraction,churned,reactivation
2024-01,0,0,0,0,0,0
2024-02,1000,1000,0,0,0,0
2024-03,1200,300,50,20,130,0
2024-04,1500,100,200,0,50,50
2024-06,1600,200,0,0,100,0
2024-07,1800,300,0,50,50,0
"""
CHURN = """
month,customers,new_customers,churned_customers,reactivated_customers
2024-01,0,0,0,0
2024-02,10,10,0,0
2024-03,12,3,1,0
2024-04,13,1,1,1
2024-06,14,2,1,0
2024-07,15,1,0,0
"""
COSTS = """
month,category,amount
2024-01,Hosting,500
2024-01,Payroll,2000
2024-02,Hosting,500
2024-02,Payroll,2000
2024-02,Hosting,-100
2024-03,Payroll,1000
2024-06,Payroll,1000
2024-06,Hosting,200
2024-07,Payroll,1500
"""
CASH = """
month,balance
2024-01,10000
2024-02,8000
2024-03,8200
2024-04,8000
2024-06,8400
2024-07,8700
"""


def money(value: Decimal | int) -> Decimal:
    return D(value).quantize(D("0.01"), ROUND_HALF_UP)


def ratio(value: Decimal | int) -> Decimal:
    return D(value).quantize(D("0.000001"), ROUND_HALF_UP)


def _m(*values: object) -> list[object]:
    return [money(v) if isinstance(v, (int, Decimal)) else v for v in values]


def _r(*values: object) -> list[object]:
    return [ratio(v) if isinstance(v, (int, Decimal)) else v for v in values]


EXPECTED: dict[str, list[object]] = {
    #                   Jan   Feb    Mar    Apr    May   Jun    Jul
    "mrr":              _m(0, 1000, 1200, 1500, MI, 1600, 1800),
    "new_mrr":          _m(0, 1000, 300, 100, MI, 200, 300),
    "expansion_mrr":    _m(0, 0, 50, 200, MI, 0, 0),
    "contraction_mrr":  _m(0, 0, 20, 0, MI, 0, 50),
    "churned_mrr":      _m(0, 0, 130, 50, MI, 100, 50),
    "reactivation_mrr": _m(0, 0, 0, 50, MI, 0, 0),
    "arr":              _m(0, 12000, 14400, 18000, MI, 19200, 21600),
    # with movements, net new MRR needs no previous month (June follows the gap)
    "net_new_mrr":      _m(0, 1000, 300 + 50 - 20 - 130, 100 + 200 + 50 - 50, MI, 200 - 100, 300 - 50 - 50),
    "mrr_growth":       _r(NPM, ZD, D(200) / 1000, D(300) / 1200, MI, NPM, D(200) / 1600),
    "cmgr_12m":         [IH, IH, IH, IH, MI, IH, IH],
    "customers":        [D(0), D(10), D(12), D(13), MI, D(14), D(15)],
    "new_customers":    [D(0), D(10), D(3), D(1), MI, D(2), D(1)],
    "churned_customers": [D(0), D(0), D(1), D(1), MI, D(1), D(0)],
    # churned / (customers - new - reactivated + churned): Jan and Feb start the month with 0 customers
    "customer_churn_rate": _r(ZD, ZD, D(1) / 10, D(1) / 12, MI, D(1) / 13, D(0) / 14),
    "gross_mrr_churn_rate": _r(NPM, ZD, D(150) / 1000, D(50) / 1200, MI, NPM, D(100) / 1600),
    # April: (50 + 0 - 200 - 50) / 1200 is negative net churn
    "net_mrr_churn_rate": _r(NPM, ZD, D(100) / 1000, D(-200) / 1200, MI, NPM, D(100) / 1600),
    "nrr":              _r(NPM, ZD, D(900) / 1000, D(1350) / 1200, MI, NPM, D(1500) / 1600),
    "grr":              _r(NPM, ZD, D(850) / 1000, D(1150) / 1200, MI, NPM, D(1500) / 1600),
    "arpu":             _m(ZD, 100, 100, D(1500) / 13, MI, D(1600) / 14, 120),
    # arpu / mean(defined churn rates of m-5..m):
    #   Mar 100 / 0.1; Apr (1500/13) / ((1/10 + 1/12) / 2) = 180000/143;
    #   Jun (1600/14) / ((1/10 + 1/12 + 1/13) / 3) = 3744000/2842; Jul 120 / ((203/780) / 4) = 374400/203
    "ltv":              _m(ZD, ZD, 1000, D(180000) / 143, MI, D(3744000) / 2842, D(374400) / 203),
    "quick_ratio":      _r(ZD, ZD, D(350) / 150, D(350) / 50, MI, D(200) / 100, D(300) / 100),
    "costs":            _m(2500, 2400, 1000, MI, MI, 1200, 1500),
    "costs.hosting":    _m(500, 400, 0, MI, MI, 200, 0),
    "costs.payroll":    _m(2000, 2000, 1000, MI, MI, 1000, 1500),
    "net_burn":         _m(2500, 1400, -200, MI, MI, -400, -300),
    "cash":             _m(10000, 8000, 8200, 8000, MI, 8400, 8700),
    # cash / mean(defined net burn of m-2..m); June and July burn nothing on average
    "runway_months":    _m(4, D(8000) / 1950, D(8200) / (D(3700) / 3), D(8000) / 600, MI, PR, PR),
}


@pytest.fixture
def data(make_site: Callable[..., SiteConfig]) -> MetricsData:
    return load_metrics(make_site({"mrr.csv": MRR, "churn.csv": CHURN, "costs.csv": COSTS, "cash.csv": CASH}))


def test_compute_metrics_covers_every_month_including_the_gap(data: MetricsData) -> None:
    assert data.months == tuple(date(2024, month, 1) for month in range(1, 8))
    assert data.warnings == ()


def test_compute_metrics_lists_the_table_in_order_with_cost_categories_after_costs(data: MetricsData) -> None:
    assert list(data.series) == list(EXPECTED)


@pytest.mark.parametrize("metric_id", list(EXPECTED))
def test_compute_metrics_matches_hand_computed_values(data: MetricsData, metric_id: str) -> None:
    series = data.series[metric_id]
    actual = [point.value if point.value is not None else point.reason for point in series.points]
    assert actual == EXPECTED[metric_id]


def test_compute_metrics_gives_reasons_only_to_null_points(data: MetricsData) -> None:
    for series in data:
        assert all((point.value is None) == (point.reason is not None) for point in series.points), series.id


def test_compute_metrics_uses_only_declared_null_reasons(data: MetricsData) -> None:
    for series in data:
        declared = {reason.value for reason, _ in get_definition(series.id).null_reasons}
        assert {p.reason for p in series.points if p.reason} <= declared, series.id


def test_ltv_is_null_with_no_churn_in_the_window(make_site: Callable[..., SiteConfig]) -> None:
    config = make_site({"mrr.csv": MRR, "churn.csv": CHURN}, metrics="metrics:\n  ltv_churn_months: 1\n")
    ltv = load_metrics(config).series["ltv"]
    assert ltv.value_at(date(2024, 7, 1)) is None
    assert ltv.point_at(date(2024, 7, 1)).reason == NC  # type: ignore[union-attr]
    assert ltv.value_at(date(2024, 6, 1)) == money(D(1600) / 14 * 13)


def test_cmgr_12m_compounds_over_twelve_months(make_site: Callable[..., SiteConfig]) -> None:
    rows = "\n".join(f"{2024 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d},{1000 + 1000 * (m - 1) // 12}" for m in range(1, 14))
    data = load_metrics(make_site({"mrr.csv": "month,mrr\n" + rows + "\n"}))
    cmgr = data.series["cmgr_12m"]
    # (2000 / 1000) ** (1/12) - 1 = 0.0594630943...
    assert cmgr.value_at(date(2025, 1, 1)) == D("0.059463")
    assert cmgr.point_at(date(2024, 12, 1)).reason == IH  # type: ignore[union-attr]


@pytest.mark.parametrize(("start", "end"), [("0", "2000"), ("1000", "0")])
def test_cmgr_12m_is_null_when_either_end_is_zero(make_site: Callable[..., SiteConfig], start: str, end: str) -> None:
    rows = [f"2024-{m:02d},500" for m in range(2, 13)]
    text = "month,mrr\n2024-01," + start + "\n" + "\n".join(rows) + "\n2025-01," + end + "\n"
    cmgr = load_metrics(make_site({"mrr.csv": text})).series["cmgr_12m"]
    assert cmgr.point_at(date(2025, 1, 1)).reason == ZD  # type: ignore[union-attr]


def test_without_movements_net_new_mrr_needs_the_previous_month(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": "month,mrr\n2024-01,100\n2024-02,150\n2024-04,170\n"}))
    net_new = data.series["net_new_mrr"]
    assert [p.value or p.reason for p in net_new.points] == [NPM, money(50), MI, NPM]
    for metric_id in ("new_mrr", "gross_mrr_churn_rate", "nrr", "quick_ratio"):
        assert {p.reason for p in data.series[metric_id].points} == {MI}, metric_id


def test_runway_is_missing_input_without_costs(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": "month,mrr\n2024-01,100\n", "cash.csv": "month,balance\n2024-01,900\n"}))
    assert data.series["runway_months"].points[0].reason == MI
    assert data.series["costs"].points[0].reason == MI


def test_months_span_every_file(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": "month,mrr\n2024-03,100\n", "cash.csv": "month,balance\n2024-01,5\n"}))
    assert data.months == (date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1))
    assert data.series["mrr"].points[0].reason == MI


def test_every_registered_metric_is_computed(data: MetricsData) -> None:
    """Every metric the site has the inputs for; team, revenue and cost-group metrics need their files or groups."""
    always = {m for m, d in METRIC_DEFINITIONS.items() if not d.requires}
    assert always <= set(data.series)
    assert not {m for m, d in METRIC_DEFINITIONS.items() if d.requires} & set(data.series)

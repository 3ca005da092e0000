"""Publishing rules: hidden, rounded, relative, hide_derived, and the leak check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from generator.config.metrics import Disclosure
from generator.config.site import SiteConfig
from generator.metrics import find_disclosure_leaks, load_metrics, publish_metrics
from generator.metrics.series import MetricsData, PublishedMetrics

FILES = {
    "mrr.csv": "month,mrr\n2024-01,12345.67\n2024-02,0\n2024-03,24691.34\n",
    "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,104,104,0\n2024-02,106,3,1\n"
                 "2024-03,111,6,1\n",
    "costs.csv": "month,category,amount\n2024-01,Payroll,20000\n2024-01,Hosting,499.50\n2024-02,Payroll,-500\n"
                 "2024-03,Payroll,21000\n",
    "cash.csv": "month,balance\n2024-01,987654.32\n2024-02,900000\n2024-03,880000\n",
}


@pytest.fixture
def publish(make_site: Callable[..., SiteConfig]) -> Callable[[str], MetricsData]:
    def run(rules: str) -> MetricsData:
        config = make_site(FILES, metrics="metrics:\n  publish:\n" + rules)
        return publish_metrics(load_metrics(config), config)
    return run


def test_publish_metrics_is_exact_by_default(make_site: Callable[..., SiteConfig]) -> None:
    config = make_site(FILES)
    data = load_metrics(config)
    published = publish_metrics(data, config)
    assert isinstance(published, PublishedMetrics) and list(published.series) == list(data.series)
    assert all(series.disclosure is Disclosure.EXACT for series in published)
    assert published.series["cash"].points == data.series["cash"].points


def test_publish_metrics_removes_hidden_metrics_entirely(publish: Callable[[str], MetricsData]) -> None:
    data = publish("    cash: hidden\n    costs.hosting: hidden\n")
    assert "cash" not in data.series and "costs.hosting" not in data.series
    assert data.get("cash") is None
    assert "runway_months" not in data.series  # computed from hidden cash: hidden by propagation
    # hosting is the only hidden category, so costs − payroll would give it back: costs and net burn go too
    assert {"costs", "net_burn"}.isdisjoint(data.series) and {"costs.payroll", "mrr"} <= set(data.series)


def test_publish_metrics_hide_derived_hides_everything_computed_from_it(publish: Callable[[str], MetricsData]) -> None:
    data = publish("    costs.payroll: {disclosure: hidden, hide_derived: true}\n")
    assert {"costs.payroll", "costs", "net_burn", "runway_months"}.isdisjoint(data.series)
    assert {"costs.hosting", "cash", "mrr"} <= set(data.series)


def test_publish_metrics_rounds_and_flags_values(publish: Callable[[str], MetricsData]) -> None:
    data = publish("    mrr: rounded\n    cash: {disclosure: rounded, round_to: 50000}\n"
                   "    customers: rounded\n    mrr_growth: rounded\n    runway_months: rounded\n")
    mrr = data.series["mrr"]
    assert mrr.approximate and mrr.disclosure is Disclosure.ROUNDED
    assert mrr.values == (Decimal("12000.00"), Decimal("0.00"), Decimal("25000.00"))  # 24,691.34 rounds up
    assert all(point.approximate for point in mrr.points)
    assert data.series["cash"].values == (Decimal("1000000.00"), Decimal("900000.00"), Decimal("900000.00"))
    assert data.series["customers"].values == (Decimal(100), Decimal(110), Decimal(110))
    growth = data.series["mrr_growth"]
    assert growth.values == (None, Decimal("-1.00"), None)  # a ratio rounds to the whole percent
    assert growth.points[2].reason == "zero_denominator" and not growth.points[2].approximate


def test_publish_metrics_turns_relative_amounts_into_an_index(publish: Callable[[str], MetricsData]) -> None:
    data = publish("    mrr: relative\n    net_burn: relative\n    customer_churn_rate: relative\n")
    mrr = data.series["mrr"]  # 12,345.67, 0, 24,691.34: whole points of the largest, March = 100
    assert mrr.indexed and mrr.index_base == date(2024, 3, 1)
    assert mrr.values == (Decimal(50), Decimal(0), Decimal(100))  # 12,345.67 / 24,691.34 = 0.49999…: 50
    # net burn = costs − MRR mixes MRR's unknown scale with exact costs: an index of it would give the scale back
    assert "net_burn" not in data.series
    churn = data.series["customer_churn_rate"]  # ratios stay as they are
    assert not churn.indexed and churn.disclosure is Disclosure.RELATIVE
    assert churn.values == (None, Decimal("0.009615"), Decimal("0.009434"))


def test_publish_metrics_index_keeps_sign_when_the_largest_value_is_negative(
        publish: Callable[[str], MetricsData]) -> None:
    data = publish("    net_new_mrr: relative\n")
    # net new MRR: null, −12,345.67, +24,691.34: March's is the largest (= 100), February's −12,345.67 is −50
    assert data.series["net_new_mrr"].values == (None, Decimal(-50), Decimal(100))
    data = publish("    costs: relative\n")
    # costs 20,499.50, −500, 21,000: 20,499.50 / 21,000 = 97.6 %, −500 / 21,000 = −2.4 %
    assert data.series["costs"].values == (Decimal(98), Decimal(-2), Decimal(100))
    # its categories are hidden: exact ones would add up to its scale, indexes of their own would not add up
    assert {"costs.payroll", "costs.hosting", "net_burn"}.isdisjoint(data.series)


def test_publish_metrics_twice_changes_nothing(make_site: Callable[..., SiteConfig]) -> None:
    config = make_site(FILES, metrics="metrics:\n  publish:\n    mrr: relative\n")
    once = publish_metrics(load_metrics(config), config)
    assert publish_metrics(once, config) is once


def test_find_disclosure_leaks_warns_with_the_arithmetic_when_runway_is_lifted_over_hidden_cash(
        make_site: Callable[..., SiteConfig], tmp_path) -> None:
    config = make_site(FILES, metrics="metrics:\n  publish:\n    cash: hidden\n"
                                      "    runway_months: {disclosure: exact, lift_propagation: true}\n")
    lift, arithmetic = find_disclosure_leaks(config, load_metrics(config))
    assert lift.format(tmp_path) == (
        "site.yaml:5: runway_months is published exact although it is computed from cash (hidden): "
        "lift_propagation lets readers see more of cash than its rule allows "
        "(remove lift_propagation if that is not what you want)")
    # runway = cash / mean(net burn of the window): the reader multiplies it back
    assert arithmetic.message.startswith("cash is hidden, but readers can work out 987,654.32 ± ")
    assert arithmetic.message.endswith(" in 2024-01 (and 2 more months), from runway_months = cash / "
                                       "mean(net_burn over m−2..m where defined) (in 2024-01)")
    assert arithmetic.line == 4 and arithmetic.hint == "remove lift_propagation from runway_months"


@pytest.mark.parametrize("rules", [
    "    cash: hidden\n    runway_months: hidden\n",
    "    cash: hidden\n",
    "    cash: {disclosure: hidden, hide_derived: true}\n",
    "    mrr: rounded\n",
    "    costs.payroll: hidden\n    costs.hosting: hidden\n",
    "",
])
def test_find_disclosure_leaks_is_quiet_when_nothing_hidden_is_revealed(make_site: Callable[..., SiteConfig],
                                                                         rules: str) -> None:
    config = make_site(FILES, metrics="metrics:\n  publish:\n" + rules if rules else "metrics: {}\n")
    assert find_disclosure_leaks(config, load_metrics(config)) == []


def test_hidden_costs_hide_the_categories_that_would_add_up_to_it(make_site: Callable[..., SiteConfig]) -> None:
    config = make_site(FILES, metrics="metrics:\n  publish:\n    costs: hidden\n")
    data = publish_metrics(load_metrics(config), config)
    assert {"costs", "costs.payroll", "costs.hosting", "net_burn", "runway_months"}.isdisjoint(data.series)
    assert find_disclosure_leaks(config, load_metrics(config)) == []


def test_find_disclosure_leaks_without_metrics_section(make_site: Callable[..., SiteConfig]) -> None:
    assert find_disclosure_leaks(make_site()) == []

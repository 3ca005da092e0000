"""Propagation of publishing rules over the dependency graph, proven by planting values and recomputing them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from generator.config.metrics import Disclosure
from generator.config.site import SiteConfig
from generator.metrics import find_disclosure_leaks, load_metrics, publish_metrics, render_metrics_json
from generator.metrics.series import MetricsData

MRR_PLANTED = "12345.67"
FILES = {
    "mrr.csv": "month,mrr,new,expansion,contraction,churned\n2024-01,10000,10000,0,0,0\n"
               f"2024-02,{MRR_PLANTED},2445.67,100,100,100\n",
    "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,137,137,0\n2024-02,149,15,3\n",
    "costs.csv": "month,category,amount\n2024-01,Payroll,20000\n2024-01,Hosting,700\n2024-01,Legal,300\n"
                 "2024-02,Payroll,20000\n2024-02,Hosting,750\n2024-02,Legal,250\n",
    "cash.csv": "month,balance\n2024-01,987654.32\n2024-02,978999.99\n",
}


@pytest.fixture
def publish(make_site: Callable[..., SiteConfig]) -> Callable[[str], tuple[MetricsData, SiteConfig]]:
    def run(rules: str) -> tuple[MetricsData, SiteConfig]:
        config = make_site(FILES, metrics="metrics:\n  publish:\n" + rules)
        return publish_metrics(load_metrics(config), config), config
    return run


def _values(data: MetricsData, metric_id: str) -> list[Decimal | None]:
    return list(data.series[metric_id].values)


def test_arr_of_a_rounded_mrr_is_twelve_times_the_rounded_mrr(publish) -> None:
    data, _ = publish("    mrr: rounded\n")
    assert _values(data, "mrr") == [Decimal(10000), Decimal(12000)]
    assert _values(data, "arr") == [Decimal(120000), Decimal(144000)]  # not 148,148.04 rounded
    assert data.series["arr"].disclosure is Disclosure.ROUNDED and data.series["arr"].approximate
    # a reader dividing ARR by 12 gets the rounded MRR back, never the planted one
    assert all(value / 12 != Decimal(MRR_PLANTED) for value in _values(data, "arr"))
    assert MRR_PLANTED not in render_metrics_json(data).decode()
    # the movements would add up to the exact MRR: they are rounded with it
    assert data.series["new_mrr"].disclosure is Disclosure.ROUNDED
    assert _values(data, "new_mrr") == [Decimal(10000), Decimal(2000)]


def test_net_burn_of_a_rounded_mrr_does_not_give_the_exact_mrr_back(publish) -> None:
    data, _ = publish("    mrr: rounded\n")
    costs, burn = _values(data, "costs"), _values(data, "net_burn")
    assert costs[1] - burn[1] == Decimal(12000)  # what MRR = costs − net burn gives: the rounded MRR


def test_relative_customers_make_arpu_an_index_and_withhold_churn_and_movements(publish) -> None:
    data, _ = publish("    customers: relative\n")
    assert data.series["customers"].indexed and data.series["arpu"].indexed
    assert {"new_customers", "churned_customers", "customer_churn_rate", "ltv"}.isdisjoint(data.series)
    # MRR is exact: with an exact ARPU, customers = MRR / ARPU would be 149
    recomputed = [m / a for m, a in zip(_values(data, "mrr"), _values(data, "arpu")) if a]
    assert all(value.quantize(Decimal(1)) not in (137, 149) for value in recomputed)
    assert "mrr_growth" in data.series  # one relative series alone: its scale cancels


@pytest.mark.parametrize("hidden", ["mrr", "costs"])
def test_net_burn_with_hidden_mrr_or_costs_is_hidden(publish, hidden: str) -> None:
    data, _ = publish(f"    {hidden}: hidden\n")
    assert {hidden, "net_burn", "runway_months"}.isdisjoint(data.series)


def test_runway_with_hidden_cash_is_hidden_unless_lifted_and_then_check_shows_the_arithmetic(publish) -> None:
    data, _ = publish("    cash: hidden\n")
    assert {"cash", "runway_months"}.isdisjoint(data.series)
    data, config = publish("    cash: hidden\n    runway_months: {disclosure: exact, lift_propagation: true}\n")
    runway = _values(data, "runway_months")[1]
    burns = _values(data, "net_burn")
    recomputed = runway * (burns[0] + burns[1]) / 2  # the check's arithmetic, done by hand
    assert abs(recomputed - Decimal("978999.99")) < 50  # runway is published to 0.01 month
    warnings = find_disclosure_leaks(config, load_metrics(config))
    assert any("lift_propagation" in w.message and w.line == 5 for w in warnings)
    [arithmetic] = [w for w in warnings if w.message.startswith("cash is hidden")]
    assert arithmetic.message.endswith(f"= {recomputed.quantize(Decimal(1)):,} in 2024-02")


def test_one_hidden_category_hides_costs_two_do_not(publish) -> None:
    one, config_one = publish("    costs.payroll: hidden\n")
    assert {"costs", "net_burn"}.isdisjoint(one.series) and "costs.hosting" in one.series
    two, config_two = publish("    costs.payroll: hidden\n    costs.legal: hidden\n")
    assert "costs" in two.series and "net_burn" in two.series
    # costs − hosting gives payroll + legal together (20,250), neither alone (20,000 or 250)
    left = _values(two, "costs")[1] - _values(two, "costs.hosting")[1]
    assert left == Decimal(20250)
    assert find_disclosure_leaks(config_two, load_metrics(config_two)) == []


def test_check_warns_with_the_arithmetic_when_costs_is_lifted_over_one_hidden_category(publish) -> None:
    _, config = publish("    costs.payroll: hidden\n    costs: {disclosure: exact, lift_propagation: true}\n")
    warnings = find_disclosure_leaks(config, load_metrics(config))
    [arithmetic] = [w for w in warnings if w.message.startswith("costs.payroll is hidden")]
    assert arithmetic.message.endswith("costs.payroll = costs − costs.hosting − costs.legal = 20,000.00 in 2024-02")


def test_check_warns_when_arr_is_lifted_over_a_rounded_mrr_with_the_planted_value(publish) -> None:
    data, config = publish("    mrr: rounded\n    arr: {disclosure: exact, lift_propagation: true}\n")
    assert _values(data, "arr")[1] / 12 == Decimal(MRR_PLANTED)  # the lift really does reveal it
    warnings = find_disclosure_leaks(config, load_metrics(config))
    assert any(w.message == f"mrr is rounded, but readers can recompute it from published metrics: "
                            f"mrr = arr / 12 = {Decimal(MRR_PLANTED):,} in 2024-02" for w in warnings)

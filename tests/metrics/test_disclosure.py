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


def test_arr_of_a_rounded_mrr_is_computed_from_it_at_the_precision_it_allows(publish) -> None:
    data, _ = publish("    mrr: rounded\n")
    assert _values(data, "mrr") == [Decimal(10000), Decimal(12000)]
    # ARR = 12 × the rounded MRR, known to 12 × ± 500 = ± 6,000 (a width of 12,000): shown to the ten thousand,
    # the largest power of ten within that width, so never more precisely than the rounded MRR allows
    assert _values(data, "arr") == [Decimal(120000), Decimal(140000)]  # 12 × 10,000; 12 × 12,000 = 144,000
    assert data.series["arr"].disclosure is Disclosure.ROUNDED and data.series["arr"].computed_from == ("mrr",)
    for arr, mrr in zip(_values(data, "arr"), _values(data, "mrr")):
        assert 12 * (mrr - 500) <= arr <= 12 * (mrr + 500)  # within what the rounded MRR allows
    assert MRR_PLANTED not in render_metrics_json(data).decode()
    # the movements would add up to the exact MRR: they are rounded with it
    assert data.series["new_mrr"].disclosure is Disclosure.ROUNDED
    assert _values(data, "new_mrr") == [Decimal(10000), Decimal(2000)]


def test_net_burn_of_a_rounded_mrr_does_not_give_the_exact_mrr_back(publish) -> None:
    data, _ = publish("    mrr: rounded\n")
    costs, burn = _values(data, "costs"), _values(data, "net_burn")
    assert costs[1] - burn[1] == Decimal(12000)  # what MRR = costs − net burn gives: the rounded MRR


def test_relative_customers_withhold_what_mixes_their_scale_and_too_few_customers_to_index(
        publish, make_site: Callable[..., SiteConfig]) -> None:
    data, _ = publish("    customers: relative\n")
    # 149 customers at most: whole points of so few would give the counts back (B7), so none are published
    assert "customers" not in data.series
    assert {"new_customers", "churned_customers", "customer_churn_rate", "arpu", "ltv"}.isdisjoint(data.series)
    assert "mrr_growth" in data.series  # MRR is exact: its growth has nothing to do with customers
    files = {**FILES, "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,1370,1370,0\n"
                                   "2024-02,1490,150,30\n"}
    config = make_site(files, metrics="metrics:\n  publish:\n    customers: relative\n")
    data = publish_metrics(load_metrics(config), config)
    assert data.series["customers"].indexed and _values(data, "customers") == [Decimal(92), Decimal(100)]
    # ARPU = exact MRR ÷ customers grows with 1 / the customers' unknown scale: an index of it would let a reader
    # multiply the two indexes and the MRR back into the scale (B4), so it is withheld
    assert {"arpu", "ltv", "new_customers", "churned_customers"}.isdisjoint(data.series)


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
    recomputed = runway * (burns[0] + burns[1]) / 2  # the reader's arithmetic, done by hand
    assert abs(recomputed - Decimal("978999.99")) < 150  # runway is published to 0.01 month
    warnings = find_disclosure_leaks(config, load_metrics(config))
    assert any("lift_propagation" in w.message and w.line == 5 for w in warnings)
    [arithmetic] = [w for w in warnings if w.message.startswith("cash is hidden")]
    assert " in 2024-01 (and 1 more month), " in arithmetic.message and arithmetic.line == 4
    assert arithmetic.message.endswith("from runway_months = cash / mean(net_burn over m−2..m where defined) "
                                       "(in 2024-01)")
    assert arithmetic.hint == "remove lift_propagation from runway_months"
    low, high = _known(arithmetic.message)  # January's cash, from January's runway and net burn
    assert low <= Decimal("987654.32") <= high and high - low < 300


def _known(message: str) -> tuple[Decimal, Decimal]:
    """Return the interval a recovery names: 'can work out 978,999.99 ± 12.34 in …'."""
    middle, half = message.split("can work out ")[1].split(" in ")[0].split(" ± ")
    middle_value, half_value = Decimal(middle.replace(",", "")), Decimal(half.replace(",", ""))
    return middle_value - half_value, middle_value + half_value


def test_one_hidden_category_hides_costs_two_do_not(publish) -> None:
    one, config_one = publish("    costs.payroll: hidden\n")
    assert {"costs", "net_burn"}.isdisjoint(one.series) and "costs.hosting" in one.series
    two, config_two = publish("    costs.payroll: hidden\n    costs.legal: hidden\n")
    assert "costs" in two.series and "net_burn" in two.series
    # costs − hosting gives payroll + legal together (20,250), neither alone (20,000 or 250)
    left = _values(two, "costs")[1] - _values(two, "costs.hosting")[1]
    assert left == Decimal(20250)
    assert find_disclosure_leaks(config_two, load_metrics(config_two)) == []


def test_check_shows_the_arithmetic_when_costs_is_lifted_over_one_hidden_category(publish) -> None:
    _, config = publish("    costs.payroll: hidden\n    costs: {disclosure: exact, lift_propagation: true}\n")
    warnings = find_disclosure_leaks(config, load_metrics(config))
    [arithmetic] = [w for w in warnings if w.message.startswith("costs.payroll is hidden")]
    assert arithmetic.message.startswith("costs.payroll is hidden, but readers can work out 20,000.00 ± 0.01 in "
                                         "2024-01 (and 1 more month), from costs = costs.hosting + costs.legal + "
                                         "costs.payroll (in 2024-01)")
    assert arithmetic.hint == "remove lift_propagation from costs"


def test_check_shows_the_arithmetic_when_arr_is_lifted_over_a_rounded_mrr(publish) -> None:
    data, config = publish("    mrr: rounded\n    arr: {disclosure: exact, lift_propagation: true}\n")
    assert _values(data, "arr")[1] / 12 == Decimal(MRR_PLANTED)  # the lift really does reveal it
    warnings = find_disclosure_leaks(config, load_metrics(config))
    [found] = [w for w in warnings if w.message.startswith("mrr is rounded")]
    # January first (10,000.00), and February's planted 12,345.67 the same way
    assert "can work out 10,000.00 ± 0.00 in 2024-01 (and 1 more month), from arr = 12 × mrr (in 2024-01)" in \
        found.message

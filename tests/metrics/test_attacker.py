"""The attacker and the bugs it was built for (issue 20): B1–B5, B7, B12 on the demo, each twice — the publication
the old rules made, which the attacker (and an arithmetic done here by hand) breaks, and today's, which it
cannot — plus a planted leak reported with its equation, and the demo's acceptance settings."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from generator.build import check_site
from generator.cli import main
from generator.config.company import SalaryDisclosure
from generator.config.custom import CustomMetric
from generator.config.metrics import Disclosure, PublishRule
from generator.config.site import SiteConfig, load_config
from generator.i18n.localized import LocalizedText
from generator.metrics import load_metrics, publish_metrics
from generator.metrics.publish.attack import find_recoveries, recovery_diagnostics
from generator.metrics.publish.indexing import round_series
from generator.metrics.series import LoadedMetrics, MetricSeries, PublishedMetrics

REPO = Path(__file__).resolve().parents[2]
ROUNDED_1000 = PublishRule(Disclosure.ROUNDED, Decimal(1000))


@pytest.fixture(scope="module")
def demo() -> SiteConfig:
    return load_config(REPO, environ={})


def _site(config: SiteConfig, rules: dict[str, PublishRule], salaries: SalaryDisclosure | None = None,
          custom: dict[str, CustomMetric] | None = None) -> tuple[SiteConfig, LoadedMetrics, PublishedMetrics]:
    metrics = replace(config.metrics, publish=MappingProxyType({**config.metrics.publish, **rules}),
                      custom=MappingProxyType(custom or dict(config.metrics.custom)))
    config = replace(config, metrics=metrics, team=replace(config.team, salaries=salaries or config.team.salaries))
    loaded = load_metrics(config)
    return config, loaded, publish_metrics(loaded, config)


def _old_index(series: MetricSeries) -> MetricSeries:
    """The index the old rules published: the first non-zero value = 100, to 0.1 point."""
    base = abs(next(p.value for p in series.points if p.value))
    points = tuple(replace(p, value=(p.value / base * 100).quantize(Decimal("0.1"), ROUND_HALF_UP))
                   if p.value is not None else p for p in series.points)
    return replace(series, points=points, disclosure=Disclosure.RELATIVE, index_base=series.points[0].month)


def _exact(series: MetricSeries) -> MetricSeries:
    return replace(series, disclosure=Disclosure.EXACT)


def _old(published: PublishedMetrics, *series: MetricSeries) -> PublishedMetrics:
    return replace(published, series=MappingProxyType({**published.series, **{s.id: s for s in series}}))


def _recovered(config: SiteConfig, loaded: LoadedMetrics, published: PublishedMetrics | None = None) -> dict:
    return {r.metric: r for r in find_recoveries(loaded, config, published)}


def _values(series: MetricSeries) -> list[Decimal | None]:
    return list(series.values)


# B1: mrr relative, gross margin exact: MRR = cost of revenue ÷ (1 − gross margin), to the cent.

def test_b1_gross_margin_beside_a_relative_mrr(demo: SiteConfig) -> None:
    config, loaded, published = _site(demo, {"mrr": PublishRule(Disclosure.RELATIVE)})
    old = _old(published, _old_index(loaded.series["mrr"]), _exact(loaded.series["gross_margin"]))
    mrr, margin = _values(loaded.series["mrr"]), _values(loaded.series["gross_margin"])
    hosting = _values(loaded.series["costs.hosting"])  # the demo's cost of revenue
    by_hand = [h / (1 - g) for h, g in zip(hosting, margin) if h is not None and g is not None]
    assert abs(by_hand[-1] - mrr[-1]) < 1  # the old publication gives MRR back (gross margin has 6 decimals)
    assert "mrr" in _recovered(config, loaded, old)
    assert "gross_margin" not in published.series  # today: it mixes MRR's unknown scale with exact costs
    assert _recovered(config, loaded) == {}


# B2: a hidden cost-of-revenue category left gross margin exact: category = mrr × (1 − gm) − the others.

def test_b2_a_hidden_cost_of_revenue_category(demo: SiteConfig) -> None:
    config, loaded, published = _site(demo, {"costs.hosting": PublishRule(Disclosure.HIDDEN)})
    old = _old(published, _exact(loaded.series["gross_margin"]))
    mrr, margin = _values(loaded.series["mrr"]), _values(loaded.series["gross_margin"])
    by_hand = (mrr[-2] * (1 - margin[-2])).quantize(Decimal("0.01"))
    assert abs(by_hand - loaded.series["costs.hosting"].values[-2]) <= Decimal("0.05")
    found = _recovered(config, loaded, old)["costs.hosting"]
    assert any("gross_margin = (mrr − cost of revenue) / mrr" in e for e in found.equations)
    assert {"gross_margin", "costs.hosting", "costs"}.isdisjoint(published.series)
    assert _recovered(config, loaded) == {}


# B3: mrr relative published net burn as an index of (exact costs − MRR): one equation gives MRR's scale.

def test_b3_net_burn_index_beside_a_relative_mrr(demo: SiteConfig) -> None:
    config, loaded, published = _site(demo, {"mrr": PublishRule(Disclosure.RELATIVE)})
    old_mrr, old_burn = _old_index(loaded.series["mrr"]), _old_index(loaded.series["net_burn"])
    old = _old(published, old_mrr, old_burn)
    # By hand, two months: burn_scale × j / 100 + mrr_scale × i / 100 = costs, solved exactly (Fractions).
    costs = _values(loaded.series["costs"])
    (i1, j1, c1), (i2, j2, c2) = [(Fraction(old_mrr.values[t]), Fraction(old_burn.values[t]), Fraction(costs[t]))
                                  for t in (10, 30)]
    mrr_scale = (c2 * j1 - c1 * j2) / (i2 * j1 - i1 * j2) * 100
    truth = abs(next(v for v in loaded.series["mrr"].values if v))
    assert abs(Decimal(mrr_scale.numerator) / mrr_scale.denominator - truth) < truth / 100  # within 1 %
    assert "mrr" in _recovered(config, loaded, old)
    assert "net_burn" not in published.series and _recovered(config, loaded) == {}


# B4: mrr rounded + customers relative: ARPU's index from the exact MRR pinned MRR to ± $26, not ± $500.

def test_b4_arpu_index_beside_rounded_mrr_and_relative_customers(demo: SiteConfig) -> None:
    config, loaded, published = _site(demo, {"mrr": ROUNDED_1000, "customers": PublishRule(Disclosure.RELATIVE)})
    old_customers, old_arpu = _old_index(loaded.series["customers"]), _old_index(loaded.series["arpu"])
    old = _old(published, old_customers, old_arpu)
    # By hand: MRR = product × arpu index × customers index / 10⁴; each rounded MRR bounds the product
    rounded = _values(published.series["mrr"])
    low, high = Decimal(0), Decimal("1e30")
    for m, j, k in zip(rounded, old_arpu.values, old_customers.values):
        if m and j and k:
            low = max(low, (m - 500) * 10**4 / (j * k))
            high = min(high, (m + 500) * 10**4 / (j * k))
    j, k = old_arpu.values[-1], old_customers.values[-1]
    assert (high - low) * j * k / 10**4 < 200  # the last month's MRR to within ± 100, not ± 500
    assert "mrr" in _recovered(config, loaded, old)
    assert {"arpu", "ltv"}.isdisjoint(published.series) and _recovered(config, loaded) == {}


# B5: the README's example re-rounded ARPU, LTV and growth at their unit's step: ≈$0, ≈0.0 %.

def test_b5_values_computed_from_rounded_mrr_are_shown_to_the_precision_it_allows(demo: SiteConfig) -> None:
    config, loaded, published = _site(demo, {"mrr": ROUNDED_1000})
    rounded, customers = _values(published.series["mrr"]), _values(published.series["customers"])
    arpu = published.series["arpu"].points[-2]  # 2025-12
    low, high = (rounded[-2] - 500) / customers[-2], (rounded[-2] + 500) / customers[-2]  # by hand
    assert arpu.approximate and low <= arpu.value <= high and arpu.value > 0
    step = Decimal(1).scaleb(int((high - low).log10().to_integral_value(rounding="ROUND_FLOOR")))
    assert arpu.value % step == 0  # shown no more precisely than the interval allows (1,000 / customers wide)
    growth = published.series["mrr_growth"]
    for index, true in enumerate(loaded.series["mrr_growth"].values):
        if true is not None and Decimal("0.05") < true < Decimal("0.07"):  # the +6 % months
            shown = growth.values[index]
            low = (rounded[index] - 500) / (rounded[index - 1] + 500) - 1
            high = (rounded[index] + 500) / (rounded[index - 1] - 500) - 1
            assert shown != 0 and low - Decimal("0.005") <= shown <= high + Decimal("0.005")
    assert all(v is None or v > 0 for v in published.series["ltv"].values)
    assert _recovered(config, loaded) == {}


# B7: relative on a count gave the counts back: the smallest base making every index whole.

def _smallest_base(indexes: list[Decimal], half: Decimal) -> int | None:
    """By hand: the first base b (1 …) with a whole number within b × (index ± half) / 100 for every index."""
    for base in range(1, 5000):
        if all(int((base * (i + half) / 100).to_integral_value(rounding="ROUND_FLOOR")) >=
               (base * (i - half) / 100) for i in indexes if i):
            return base
    return None


def test_b7_a_relative_count_does_not_give_the_counts_back(demo: SiteConfig) -> None:
    config, loaded, published = _site(demo, {"customers": PublishRule(Disclosure.RELATIVE)})
    old = _old_index(loaded.series["customers"])
    first = next(v for v in loaded.series["customers"].values if v)
    assert _smallest_base([v for v in old.values if v is not None], Decimal("0.05")) == first  # 14: the old index
    assert "customers" in _recovered(config, loaded, _old(published, old))
    today = published.series["customers"]
    largest = max(v for v in loaded.series["customers"].values if v is not None)
    assert today.indexed and max(today.values) == 100 and all(v == v.to_integral_value() for v in today.values)
    assert _smallest_base([v for v in today.values if v is not None], Decimal("0.5")) not in (None, largest)
    assert _recovered(config, loaded) == {}


# B12: a custom formula reading a rounded metric used the exact value; built-ins did not.

def test_b12_a_custom_formula_reads_the_published_value_of_a_rounded_metric(demo: SiteConfig) -> None:
    cover = CustomMetric("revenue_cover", "ratio", LocalizedText("Revenue cover"), LocalizedText(""),
                         formula="mrr / costs")
    config, loaded, published = _site(demo, {"mrr": ROUNDED_1000}, custom={"revenue_cover": cover})
    exact = loaded.series["revenue_cover"]
    old = replace(exact, points=round_series(exact, Decimal("0.01")), disclosure=Disclosure.ROUNDED,
                  round_to=Decimal("0.01"))  # the old rules: the exact value rounded to a percentage point
    assert "mrr" in _recovered(config, loaded, _old(published, old))
    shown, costs, rounded = published.series["revenue_cover"], _values(loaded.series["costs"]), \
        _values(published.series["mrr"])
    assert shown.computed_from == ("mrr",)
    for value, cost, mrr in zip(shown.values, costs, rounded):
        if value is not None:
            assert (mrr - 500) / cost - Decimal("0.01") <= value <= (mrr + 500) / cost + Decimal("0.01")
    assert _recovered(config, loaded) == {}


# The planted leak: a formula mrr − costs published exactly beside a hidden MRR.

def test_a_planted_leak_is_an_error_in_check_with_its_equation(make_site, runner: CliRunner) -> None:
    mrr = "month,mrr\n2024-01,12345.67\n2024-02,13000.01\n"
    costs = "month,category,amount\n2024-01,Payroll,9000\n2024-02,Payroll,9100\n"
    root = make_site({"mrr.csv": mrr, "costs.csv": costs}, metrics=(
        "metrics:\n  publish:\n    mrr: hidden\n    profit: {disclosure: exact, lift_propagation: true}\n"
        "  custom:\n    profit: {formula: mrr - costs, unit: currency}\n")).root
    result = runner.invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 1
    assert ("site.yaml:4: error: mrr is hidden, but readers can work out 12,345.67 ± 0.01 in 2024-01 (and 1 more "
            "month), from profit = mrr − costs (in 2024-01) (remove lift_propagation from profit)") in result.stderr


# The acceptance settings on the demo: one at a time and together, the attacker recovers nothing.

ACCEPTANCE = {
    "mrr relative": ({"mrr": PublishRule(Disclosure.RELATIVE)}, None),
    "customers relative": ({"customers": PublishRule(Disclosure.RELATIVE)}, None),
    "cash hidden": ({"cash": PublishRule(Disclosure.HIDDEN)}, None),
    "hosting hidden": ({"costs.hosting": PublishRule(Disclosure.HIDDEN)}, None),
    "salaries in bands": ({}, SalaryDisclosure.BANDS),
    "all together": ({"mrr": PublishRule(Disclosure.RELATIVE), "customers": PublishRule(Disclosure.RELATIVE),
                      "cash": PublishRule(Disclosure.HIDDEN), "costs.hosting": PublishRule(Disclosure.HIDDEN)},
                     SalaryDisclosure.BANDS),
}


@pytest.mark.parametrize("name", ACCEPTANCE)
def test_the_demo_gives_nothing_away_under_the_acceptance_settings(demo: SiteConfig, name: str) -> None:
    rules, salaries = ACCEPTANCE[name]
    config, loaded, published = _site(demo, rules, salaries)
    found = find_recoveries(loaded, config)
    assert found == [], [d.message for d in recovery_diagnostics(found, config.metrics)]
    for metric_id, rule in rules.items():  # and each protected series is published as its rule says
        shown = published.series.get(metric_id)
        assert shown is None if rule.disclosure is Disclosure.HIDDEN else shown.indexed


def test_check_on_the_demo_under_all_the_acceptance_settings(tmp_path: Path) -> None:
    site = tmp_path / "demo"
    for part in ("content/pages", "metrics", "templates"):  # not the posts: they quote what this hides
        shutil.copytree(REPO / part, site / part)
    text = (REPO / "site.yaml").read_text(encoding="utf-8")
    text = text.replace("  publish:\n", "  publish:\n    mrr: relative\n    customers: relative\n    costs.hosting: "
                        "hidden\n").replace("    cash: {disclosure: rounded, round_to: 10000}", "    cash: hidden")
    text = text.replace("  salaries: exact", "  salaries: bands")
    (site / "site.yaml").write_text(text, encoding="utf-8")
    text = text.replace("cards: [mrr, arr, mrr_growth, customers, customer_churn_rate, nrr, arpu, ltv, net_burn, cash]",
                        "cards: [arr, mrr_growth]")
    (site / "site.yaml").write_text(text, encoding="utf-8")
    result = check_site(site, use_cache=False, jobs=1)
    leaks = [d for d in result.diagnostics if "readers can work out" in d.message]
    assert leaks == []

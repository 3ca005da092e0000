"""team.csv and the cost groups: every number computed by hand (issue #13)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from generator.config.company import SalaryDisclosure, SalaryFormula, TeamConfig
from generator.config.site import SiteConfig
from generator.errors import MetricsError
from generator.metrics import find_disclosure_leaks, load_metrics, publish_metrics
from generator.metrics.compute.pay import TeamMember, salary_bands

MRR_Q1 = "month,mrr\n2024-01,1000\n2024-02,1000\n2024-03,1000\n"
JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def _values(data, metric_id: str) -> list:
    return [p.value for p in data.series[metric_id].points]


def test_join_and_leave_in_one_month_is_one_hire_and_one_departure(make_site: Callable[..., SiteConfig]) -> None:
    team = "person,role,start,end\nA,Engineer,2024-01-01,\nB,Support,2024-02-05,2024-02-20\n"
    data = load_metrics(make_site({"mrr.csv": MRR_Q1, "team.csv": team}))
    assert _values(data, "headcount") == [1, 1, 1]  # B is never here at a month end
    assert _values(data, "hires") == [1, 1, 0]
    assert _values(data, "departures") == [0, 1, 0]
    # February: 1 departure over the average of 1 at the start and 1 at the end = 1 / 1
    assert _values(data, "attrition_rate") == [Decimal(0), Decimal(1), Decimal(0)]


def test_a_rehire_counts_again_and_a_role_change_counts_never(make_site: Callable[..., SiteConfig]) -> None:
    team = ("person,role,start,end\nC,Support,2024-01-01,2024-01-31\nC,Support,2024-03-01,\n"
            "D,Junior,2024-01-01,2024-01-31\nD,Senior,2024-02-01,\n")
    data = load_metrics(make_site({"mrr.csv": MRR_Q1, "team.csv": team}))
    assert _values(data, "hires") == [2, 0, 1]  # C and D in January; C again in March; D's promotion is no hire
    assert _values(data, "departures") == [1, 0, 0]  # C left on the 31st: gone at January's end
    assert _values(data, "headcount") == [1, 1, 2]
    # January: 1 departure / ((0 at the start + 1 at the end) / 2) = 2
    assert data.series["attrition_rate"].points[0].value == Decimal(2)


def test_a_month_with_nobody_has_no_attrition_rate(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": MRR_Q1, "team.csv": "person,role,start\nE,Founder,2024-03-01\n"}))
    assert _values(data, "headcount") == [0, 0, 1]
    january = data.series["attrition_rate"].points[0]
    assert (january.value, january.reason) == (None, "zero_denominator")
    assert data.series["attrition_rate"].points[2].value == 0  # 0 departures / 0.5


def test_trailing_attrition_sums_a_year_of_departures(make_site: Callable[..., SiteConfig]) -> None:
    mrr = "month,mrr\n" + "".join(f"2024-{m:02d},100\n" for m in range(1, 13))
    team = "person,role,start,end\nA,x,2023-06-01,\nB,x,2023-06-01,\nC,x,2023-06-01,\nD,x,2023-06-01,2024-06-15\n"
    data = load_metrics(make_site({"mrr.csv": mrr, "team.csv": team}))
    assert data.months[0] == date(2023, 6, 1)  # the team is counted from its first start
    trailing = data.series["attrition_rate_12m"].points[-12:]
    assert data.series["attrition_rate_12m"].points[10].reason == "insufficient_history"  # 2024-04: 11 months
    # Jan-May: 4 at start and end (avg 4); June: 4 then 3 (avg 3.5); Jul-Dec: 3 (avg 3)
    # mean = (5 × 4 + 3.5 + 6 × 3) / 12 = 41.5 / 12; 1 departure / that = 12 / 41.5
    assert trailing[11].value == (Decimal(12) / Decimal("41.5")).quantize(Decimal("0.000001"))


def test_payroll_is_a_twelfth_of_the_salaries_here_at_month_end(make_site: Callable[..., SiteConfig]) -> None:
    team = "person,role,start,end,salary,currency\nA,x,2024-01-01,,60000,\nB,y,2024-02-10,,30000,EUR\n"
    config = make_site({"mrr.csv": MRR_Q1, "team.csv": team}, metrics="metrics:\n  fx: {EUR: 1.2}\n")
    data = load_metrics(config)
    # January 60000 / 12; from February + 30000 EUR × 1.2 = 36000 USD: 96000 / 12
    assert _values(data, "payroll_monthly") == [Decimal(5000), Decimal(8000), Decimal(8000)]


def test_payroll_follows_the_salary_disclosure(make_site: Callable[..., SiteConfig]) -> None:
    team = "person,role,start,salary\nA,x,2024-01-01,61234\n"
    config = make_site({"mrr.csv": MRR_Q1, "team.csv": team}, metrics="metrics:\n  currency: USD\n")
    data = load_metrics(config)
    assert "payroll_monthly" not in publish_metrics(data, config).series  # default team.salaries: hidden
    bands = publish_metrics(data, replace(config, team=TeamConfig(salaries=SalaryDisclosure.BANDS)))
    # a team of one: any payroll is that person's pay, so no month is published (tests/metrics/test_payroll.py)
    assert {p.reason for p in bands.series["payroll_monthly"].points} == {"withheld"}
    exact = publish_metrics(data, replace(config, team=TeamConfig(salaries=SalaryDisclosure.EXACT)))
    assert exact.series["payroll_monthly"].points[0].value == Decimal("5102.83")


def test_team_csv_reports_a_bad_date_at_its_line(make_site: Callable[..., SiteConfig]) -> None:
    team = "person,role,start,end\nA,x,2024-01-01,\nB,y,2024-13-01,\nC,z,2024-02-01,2024-01-01\n"
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR_Q1, "team.csv": team}))
    text = str(caught.value)
    assert "team.csv:3" in text and "'2024-13-01' is not a date" in text
    assert "team.csv:4" in text and "before the start" in text


def _member(role: str, salary: int) -> TeamMember:
    return TeamMember(role, "", "", "", "secret name", Decimal(salary))


def test_salary_bands_merge_a_role_of_fewer_than_three_people_up() -> None:
    members = [_member("Support", 54000), _member("Support", 56000), _member("Support", 58000),
               _member("Engineer", 96000), _member("Design", 88000)]
    bands, left_out = salary_bands(members)
    # Support (3) stands alone: 54000..58000 rounded outward to 5000 -> 50000..60000.
    # Design (1) merges up into Engineer (1): still 2 < 3, so they fold into the band below.
    assert left_out == 0 and len(bands) == 1
    [band] = bands
    assert (band.roles, band.people, band.low, band.high) == (("Design", "Engineer", "Support"), 5, 50000, 100000)


def test_salary_bands_are_never_one_figure() -> None:
    bands, _ = salary_bands([_member("Support", 60000)] * 3)
    # Same pay for all three, a multiple of 5000: both ends move outward, so neither end is their pay.
    assert (bands[0].low, bands[0].high) == (55000, 65000)
    bands, _ = salary_bands([_member("Ops", 90000), _member("Ops", 90000), _member("Ops", 360000)])
    assert (bands[0].low, bands[0].high) == (85000, 365000)
    assert salary_bands([_member("A", 1), _member("B", 2)]) == ((), 2)


def test_pay_formula_check_warns_at_the_row_that_differs(make_site: Callable[..., SiteConfig]) -> None:
    team = "person,role,start,location,level,salary\nA,Support,2024-01-01,Manchester,0,54000\n" \
           "B,Support,2024-01-01,Manchester,0,55000\nC,Founder,2024-01-01,Lisbon,,72000\n"
    config = make_site({"mrr.csv": MRR_Q1, "team.csv": team}, metrics="metrics:\n  currency: USD\n")
    from generator.config.company import LocationBand
    formula = SalaryFormula({"Support": {"0": Decimal(60000)}},
                            {"tier_2": LocationBand("tier_2", Decimal("0.9"), ("Manchester",))})
    data = load_metrics(replace(config, team=TeamConfig(formula=formula)))
    warnings = [w for w in data.warnings if "pay formula" in w.message]
    assert [(w.line, w.severity) for w in warnings] == [(3, "warning")]  # 60000 × 0.9 = 54000 ≠ 55000
    assert (data.team.checked, data.team.matched) == (2, 1)  # the founder is not covered


def test_cac_gross_margin_and_payback(make_site: Callable[..., SiteConfig]) -> None:
    files = {"mrr.csv": "month,mrr\n2024-01,1000\n2024-02,1000\n2024-03,1000\n",
             "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,10,3,0\n2024-02,10,0,0\n"
                          "2024-03,10,2,2\n",
             "costs.csv": "month,category,amount\n2024-01,Marketing,600\n2024-01,Hosting,100\n"
                          "2024-02,Marketing,300\n2024-02,Hosting,100\n2024-03,Hosting,100\n"}
    metrics = "metrics:\n  cost_groups:\n    acquisition: [Marketing]\n    cost_of_revenue: [Hosting]\n"
    data = load_metrics(make_site(files, metrics=metrics))
    assert _values(data, "acquisition_spend") == [600, 300, 0]
    cac = data.series["cac"].points
    assert cac[0].value == 200  # 600 / 3
    assert (cac[1].reason, cac[2].reason) == ("no_new_customers", "no_acquisition_spend")
    assert _values(data, "gross_margin") == [Decimal("0.9")] * 3  # (1000 − 100) / 1000
    # payback: 200 / (arpu 100 × 0.9) = 2.2222…
    assert data.series["cac_payback_months"].points[0].value == Decimal("2.22")
    # 3 months: (600 + 300 + 0) / (3 + 0 + 2) = 180
    assert [p.value for p in data.series["cac_3m"].points] == [None, None, 180]
    assert data.series["cac_3m"].points[0].reason == "insufficient_history"


def test_negative_margin_gives_no_payback(make_site: Callable[..., SiteConfig]) -> None:
    files = {"mrr.csv": "month,mrr\n2024-01,100\n", "churn.csv": "month,customers,new_customers,churned_customers\n"
             "2024-01,2,2,0\n", "costs.csv": "month,category,amount\n2024-01,Ads,50\n2024-01,Hosting,150\n"}
    metrics = "metrics:\n  cost_groups:\n    acquisition: [Ads]\n    cost_of_revenue: [Hosting]\n"
    data = load_metrics(make_site(files, metrics=metrics))
    assert data.series["gross_margin"].points[0].value == Decimal("-0.5")  # (100 − 150) / 100
    assert data.series["cac_payback_months"].points[0].reason == "negative_margin"


def test_without_groups_or_team_the_new_metrics_do_not_exist(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": MRR_Q1}))
    assert not {"cac", "gross_margin", "headcount", "payroll_monthly", "revenue"} & set(data.series)


COSTS_Q1 = ("month,category,amount\n2024-01,Ads,100\n2024-01,Marketing,40\n2024-02,Ads,200\n2024-02,Marketing,60\n"
            "2024-03,广告,7\n")


def _group_warnings(data) -> list:
    return [w for w in data.warnings if w.message.startswith("metrics.cost_groups")]


def test_a_cost_group_name_matching_no_category_is_a_warning_even_beside_names_that_match(
        make_site: Callable[..., SiteConfig]) -> None:
    metrics = "metrics:\n  cost_groups:\n    acquisition:\n      - Ads\n      - Marketting\n"
    data = load_metrics(make_site({"mrr.csv": MRR_Q1, "costs.csv": COSTS_Q1}, metrics=metrics))
    [warning] = _group_warnings(data)
    assert warning.severity == "warning" and warning.line == 6  # site.yaml: 'title', then the metrics lines
    assert "'Marketting' is not a category of costs.csv" in warning.message
    assert warning.hint.startswith("did you mean 'Marketing'? costs.csv has: Ads, Marketing, 广告")
    assert _values(data, "acquisition_spend") == [100, 200, 0]  # only Ads counted; Marketing is not tagged


def test_a_chinese_cost_group_name_gets_a_suggestion_too(make_site: Callable[..., SiteConfig]) -> None:
    metrics = "metrics:\n  cost_groups:\n    acquisition: [Ads, Marketing, 广告费]\n"
    data = load_metrics(make_site({"mrr.csv": MRR_Q1, "costs.csv": COSTS_Q1}, metrics=metrics))
    [warning] = _group_warnings(data)
    assert "'广告费'" in warning.message and warning.line == 4 and warning.hint.startswith("did you mean '广告'?")
    assert _values(data, "acquisition_spend") == [140, 260, 0]  # 100 + 40, 200 + 60; 广告 is not tagged


def test_cost_group_names_that_all_match_give_no_warning(make_site: Callable[..., SiteConfig]) -> None:
    metrics = "metrics:\n  cost_groups:\n    acquisition: [ads, MARKETING, 广告]\n"
    data = load_metrics(make_site({"mrr.csv": MRR_Q1, "costs.csv": COSTS_Q1}, metrics=metrics))
    assert _group_warnings(data) == []
    assert _values(data, "acquisition_spend") == [140, 260, 7]


def test_a_cost_group_without_costs_csv_warns_for_each_name(make_site: Callable[..., SiteConfig]) -> None:
    metrics = "metrics:\n  cost_groups:\n    acquisition: [Ads, Marketing]\n"
    warnings = _group_warnings(load_metrics(make_site({"mrr.csv": MRR_Q1}, metrics=metrics)))
    assert [w.message.split(":")[1].split(" is")[0].strip() for w in warnings] == ["'Ads'", "'Marketing'"]
    assert all(w.hint.startswith("costs.csv has no categories") for w in warnings)


@pytest.mark.parametrize(("salaries", "rule", "warned"), [
    (SalaryDisclosure.HIDDEN, "exact", True),
    (SalaryDisclosure.BANDS, "exact", True),
    (SalaryDisclosure.EXACT, "exact", False),
    (SalaryDisclosure.HIDDEN, "{disclosure: rounded, round_to: 1000}", False),
    (SalaryDisclosure.BANDS, None, False),  # no rule of its own: payroll follows the salaries (rounded)
])
def test_check_warns_when_payroll_is_published_exact_beside_hidden_or_banded_salaries(
        make_site: Callable[..., SiteConfig], salaries: SalaryDisclosure, rule: str | None, warned: bool) -> None:
    metrics = "metrics:\n  currency: USD\n" + (f"  publish:\n    payroll_monthly: {rule}\n" if rule else "")
    config = make_site({"mrr.csv": MRR_Q1, "team.csv": "person,role,start,salary\nA,x,2024-01-01,61234\n"},
                       metrics=metrics)
    config = replace(config, team=TeamConfig(salaries=salaries))
    warnings = [w for w in find_disclosure_leaks(config, load_metrics(config)) if "team.salaries is" in w.message]
    assert len(warnings) == warned
    if warned:
        assert warnings[0].line == 5 and warnings[0].severity == "warning"
        assert f"team.salaries is {salaries.value}" in warnings[0].message
        assert "one person's salary" in warnings[0].message

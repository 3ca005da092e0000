"""Payroll that is right and cannot be solved for (issue 20): role changes on month boundaries, the payroll
cost group, months that would isolate fewer than 3 people's pay. Every expected number is worked by hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

import pytest

from generator.config.company import SalaryDisclosure, SalaryFormula, TeamConfig, is_payroll_category
from generator.config.metrics import Disclosure, FileOptions, PublishRule, parse_cost_category_id
from generator.config.site import SiteConfig
from generator.metrics import load_metrics, publish_metrics
from generator.metrics.publish.attack import find_recoveries
from generator.metrics.compute.pay import assemble_team
from generator.metrics.read.money import FxRates
from generator.metrics.read.team import load_team_file

MRR = "month,mrr\n" + "".join(f"2026-{m:02d},1000\n" for m in range(4, 10))
"""April to September 2026."""


def _payroll(config: SiteConfig) -> list[Decimal | None]:
    return [p.value for p in load_metrics(config).series["payroll_monthly"].points]


def test_payroll_of_the_issue_keeps_a_role_change_on_the_month_boundary(make_site: Callable[..., SiteConfig]) -> None:
    # The issue's reproduction: June payroll was 5,000 (A only) instead of 15,000.
    team = ("person,role,start,end,salary\nA,Engineer,2026-04-01,,60000\n"
            "B,Junior,2026-04-01,2026-06-30,120000\nB,Senior,2026-07-01,,144000\n")
    # A: 60,000 / 12 = 5,000 every month; B: 120,000 / 12 = 10,000 to June, 144,000 / 12 = 12,000 from July
    assert _payroll(make_site({"mrr.csv": MRR, "team.csv": team})) == [
        Decimal(15000), Decimal(15000), Decimal(15000), Decimal(17000), Decimal(17000), Decimal(17000)]


@pytest.mark.parametrize(("change_day", "expected_june"), [
    # The new row starts on the 1st of June: June's month end falls in the new role.
    ("2026-06-01", Decimal(12000)),
    # Mid-month (the 15th): on June 30 the person holds the new role.
    ("2026-06-15", Decimal(12000)),
    # On the last day, June 30: the new role is in effect that day.
    ("2026-06-30", Decimal(12000)),
    # On July 1st: June ends in the old role.
    ("2026-07-01", Decimal(10000)),
])
def test_payroll_is_the_salaries_of_the_people_here_at_each_month_end(
        make_site: Callable[..., SiteConfig], change_day: str, expected_june: Decimal) -> None:
    day = date.fromisoformat(change_day)
    old_end = date.fromordinal(day.toordinal() - 1).isoformat()
    team = f"person,role,start,end,salary\nP,Junior,2026-04-01,{old_end},120000\nP,Senior,{change_day},,144000\n"
    payroll = _payroll(make_site({"mrr.csv": MRR, "team.csv": team}))
    # old role 120,000 / 12 = 10,000 a month; new role 144,000 / 12 = 12,000
    assert payroll[:2] == [Decimal(10000), Decimal(10000)]  # April, May
    assert payroll[2] == expected_june
    assert payroll[3:] == [Decimal(12000)] * 3  # July to September
    data = load_metrics(make_site({"mrr.csv": MRR, "team.csv": team}))
    assert [p.value for p in data.series["headcount"].points] == [1] * 6  # one person all along
    assert [p.value for p in data.series["hires"].points] == [1, 0, 0, 0, 0, 0]  # a role change is no hire
    assert [p.value for p in data.series["departures"].points] == [0] * 6


def test_payroll_on_a_team_with_role_changes_on_the_1st_the_15th_and_the_last_day(
        make_site: Callable[..., SiteConfig]) -> None:
    team = ("person,role,start,end,salary\n"
            "A,x,2026-04-01,2026-05-31,12000\nA,y,2026-06-01,,24000\n"       # on the 1st of June
            "B,x,2026-04-01,2026-06-14,36000\nB,y,2026-06-15,,48000\n"       # on the 15th of June
            "C,x,2026-04-01,2026-06-29,60000\nC,y,2026-06-30,,72000\n"       # on the last day of June
            "D,x,2026-04-01,2026-07-31,84000\n")                             # leaves on July 31
    # April, May: (12 + 36 + 60 + 84) thousand / 12 = 16,000
    # June: (24 + 48 + 72 + 84) thousand / 12 = 19,000
    # July to September: D left on July 31, so is gone at July's end: (24 + 48 + 72) thousand / 12 = 12,000
    assert _payroll(make_site({"mrr.csv": MRR, "team.csv": team})) == [
        Decimal(16000), Decimal(16000), Decimal(19000), Decimal(12000), Decimal(12000), Decimal(12000)]


def test_the_team_page_keeps_a_person_whose_role_changes_the_day_after_the_data_ends(
        make_site: Callable[..., SiteConfig]) -> None:
    team = "person,role,start,end,salary\nA,Junior,2026-04-01,2026-09-30,60000\nA,Senior,2026-10-01,,72000\n"
    config = make_site({"mrr.csv": MRR, "team.csv": team})
    team_file, problems = load_team_file(config.metrics_folder / "team.csv", FileOptions(), False, FxRates("USD"))
    assert problems == []
    whole, _ = assemble_team(team_file, date(2026, 9, 1), FxRates("USD"), config.team)
    # On September 30 A still holds the junior role; the senior row starts the next day
    assert [(m.role, m.salary) for m in whole.members] == [("Junior", Decimal(60000))]


# --- Publishing pay that cannot be solved for (team.salaries: bands) ---

def _bands(make_site: Callable[..., SiteConfig], team: str, costs: str | None = None, metrics: str = "") -> tuple:
    files = {"mrr.csv": MRR, "team.csv": team, **({"costs.csv": costs} if costs else {})}
    config = make_site(files, metrics="metrics:\n  currency: USD\n" + metrics)
    config = replace(config, team=TeamConfig(salaries=SalaryDisclosure.BANDS, line=1))
    data = load_metrics(config)
    return config, data, publish_metrics(data, config)


def _shown(published, metric_id: str) -> list[Decimal | str | None]:
    return [p.value if p.value is not None else str(p.reason) for p in published.series[metric_id].points]


def test_bands_withhold_every_month_that_would_isolate_fewer_than_three_people(make_site) -> None:
    team = ("person,role,start,end,salary\nA,x,2026-04-01,,60000\nB,x,2026-04-01,,72000\n"  # April: 2 people
            "C,x,2026-05-01,,84000\n"                                                       # May: a 3rd
            "D,x,2026-06-01,,96000\n"                                                       # June: one hire
            "E,x,2026-08-01,,48000\nF,x,2026-08-01,,36000\n")                               # August: two more
    _, _, published = _bands(make_site, team)
    # April: A + B alone is two people's pay. May: A + B + C, the first safe month (18,000).
    # June, July: against May, the change is D's pay alone. August: against May, D + E + F: three people,
    # and no combination of May and August leaves fewer (33,000 rounded from 33,000).
    assert _shown(published, "payroll_monthly") == ["withheld", Decimal(18000), "withheld", "withheld",
                                                     Decimal(33000), Decimal(33000)]


def test_a_change_of_rate_alone_isolates_the_person_paid_in_that_currency(make_site) -> None:
    team = ("person,role,start,salary,currency\nA,x,2026-04-01,60000,\nB,x,2026-04-01,60000,\n"
            "C,x,2026-04-01,60000,\nD,x,2026-04-01,60000,EUR\n")
    fx = "month,currency,rate\n" + "".join(f"2026-{m:02d},EUR,{rate}\n" for m, rate in
                                             zip(range(4, 10), ("1.10", "1.10", "1.20", "1.20", "1.20", "1.10")))
    config = make_site({"mrr.csv": MRR, "team.csv": team, "fx.csv": fx}, metrics="metrics:\n  currency: USD\n")
    config = replace(config, team=TeamConfig(salaries=SalaryDisclosure.BANDS, line=1))
    published = publish_metrics(load_metrics(config), config)
    # April and May: four people at one rate. June: only D's pay moved with the rate, so June − May is D's
    # salary × 0.10 / 12: withheld, and so is every month after at a rate other than 1.10. September is May again.
    assert [p.reason for p in published.series["payroll_monthly"].points] == [None, None, "withheld", "withheld",
                                                                             "withheld", None]


def test_payroll_cost_categories_follow_the_salaries_and_costs_follow_them(make_site) -> None:
    team = "person,role,start,salary\nA,x,2026-04-01,60000\nB,x,2026-04-01,72000\nC,x,2026-05-01,84000\n"
    costs = "month,category,amount\n" + "".join(f"2026-{m:02d},Salaries & wages,{11000 + m}\n2026-{m:02d},"
                                                 f"Hosting,{300 + m}\n" for m in range(4, 10))
    _, _, published = _bands(make_site, team, costs)
    # 'Salaries & wages' is payroll by its name: rounded to 1,000, withheld with payroll in April (two people)
    assert _shown(published, "costs.salaries_wages") == ["withheld"] + [Decimal(11000)] * 5
    assert published.series["costs.salaries_wages"].round_to == Decimal(1000)
    # costs are computed from what the categories publish: withheld in April, then known to ± 500
    costs_shown = published.series["costs"]
    assert costs_shown.points[0].reason == "withheld" and costs_shown.computed_from == ("costs.salaries_wages",)
    assert all(p.approximate and p.value % 1000 == 0 for p in costs_shown.points[1:])
    assert published.series["costs.hosting"].values[1] == Decimal(305)  # untouched


@pytest.mark.parametrize(("name", "payroll"), [("Payroll", True), ("工资", True), ("人工成本", True),
                                               ("Salaries", True), ("Software", False), ("Staff party", False)])
def test_payroll_categories_are_found_by_name_in_both_languages(name: str, payroll: bool) -> None:
    assert is_payroll_category(parse_cost_category_id(name)) is payroll


def test_a_payroll_group_names_the_categories_itself(make_site) -> None:
    team = "person,role,start,salary\nA,x,2026-04-01,60000\n"
    costs = "month,category,amount\n" + "".join(f"2026-{m:02d},Contractors,5000\n2026-{m:02d},Payroll,9000\n"
                                                 for m in range(4, 10))
    config, _, _ = _bands(make_site, team, costs, "  cost_groups: {payroll: [Contractors]}\n")
    hidden = replace(config, team=TeamConfig(salaries=SalaryDisclosure.HIDDEN))  # no team: section, but a group
    published = publish_metrics(load_metrics(hidden), hidden)
    assert "costs.contractors" not in published.series and "costs.payroll" in published.series


def test_hidden_salaries_hide_payroll_everywhere_and_exact_ones_hide_nothing(make_site) -> None:
    team = "person,role,start,salary\nA,x,2026-04-01,60000\nB,x,2026-04-01,72000\nC,x,2026-04-01,84000\n"
    costs = "month,category,amount\n" + "".join(f"2026-{m:02d},Payroll,18000\n2026-{m:02d},Hosting,300\n"
                                                 for m in range(4, 10))
    config, data, _ = _bands(make_site, team, costs)
    hidden = publish_metrics(data, replace(config, team=TeamConfig(salaries=SalaryDisclosure.HIDDEN, line=1)))
    # payroll, its category, and costs (payroll would be costs − hosting) and what needs them
    assert {"payroll_monthly", "costs.payroll", "costs", "net_burn"}.isdisjoint(hidden.series)
    exact = publish_metrics(data, replace(config, team=TeamConfig(salaries=SalaryDisclosure.EXACT, line=1)))
    assert exact.series["payroll_monthly"].values[0] == Decimal(18000)
    assert exact.series["costs.payroll"].disclosure.value == "exact"


def test_the_attacker_finds_the_hire_the_old_rounding_showed_and_nothing_today(make_site) -> None:
    team = ("person,role,start,salary\nA,x,2026-04-01,60000\nB,x,2026-04-01,72000\nC,x,2026-04-01,84000\n"
            "D,x,2026-06-01,123456\n")
    config, data, published = _bands(make_site, team)
    assert find_recoveries(data, config) == []
    # The old rule: payroll rounded to 1,000 every month. June − May = D's salary / 12, to ± 1,000 (± 12,000 a year)
    old = publish_metrics(data, replace(config, metrics=replace(config.metrics, publish=MappingProxyType(
        {"payroll_monthly": PublishRule(Disclosure.ROUNDED, Decimal(1000))}))))
    june, may = old.series["payroll_monthly"].values[2], old.series["payroll_monthly"].values[1]
    assert abs((june - may) * 12 - 123456) <= 12000  # by hand: the hire's salary
    [found] = find_recoveries(data, config, old)
    assert (found.metric, found.month) == ("payroll_monthly", date(2026, 6, 1))
    assert "fewer than 3 people" in found.known


# --- The pay formula on the team page ---

FORMULA = TeamConfig(salaries=SalaryDisclosure.HIDDEN, formula=SalaryFormula(
    MappingProxyType({"Engineer": MappingProxyType({"": Decimal(90000)}),
                      "Support": MappingProxyType({"": Decimal(60000)})})))


def test_a_pay_formula_is_not_shown_when_it_would_single_out_a_hidden_salary(make_site) -> None:
    team = ("person,role,start,salary\nA,Engineer,2026-04-01,90000\nB,Engineer,2026-04-01,90000\n"
            "C,Engineer,2026-04-01,90000\nD,Support,2026-04-01,60000\n")
    config = replace(make_site({"mrr.csv": MRR, "team.csv": team}, metrics="metrics: {}\n"), team=FORMULA)
    shown = publish_metrics(load_metrics(config), config).team
    # the one support person's hidden salary would be the formula's Support base
    assert shown.formula is None and shown.example is None and shown.formula_withheld
    assert (shown.checked, shown.matched) == (0, 0)


def test_a_pay_formula_is_shown_when_three_people_share_every_combination(make_site) -> None:
    team = "person,role,start,salary\n" + "".join(f"{p},Engineer,2026-04-01,90000\n" for p in "ABC")
    config = replace(make_site({"mrr.csv": MRR, "team.csv": team}, metrics="metrics: {}\n"), team=FORMULA)
    shown = publish_metrics(load_metrics(config), config).team
    assert shown.formula is not None and not shown.formula_withheld
    assert (shown.checked, shown.matched) == (3, 3)  # "3 of 3 salaries match": m ≥ 3
    assert all(m.salary is None and m.pay_key == () for m in shown.members)

"""Payroll that is right and cannot be solved for (issue 20): role changes on month boundaries, the payroll
cost group, months that would isolate fewer than 3 people's pay. Every expected number is worked by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from generator.config.metrics import FileOptions
from generator.config.site import SiteConfig
from generator.metrics import load_metrics
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

"""Honest signs (issue 14): profit instead of a negative burn, no percentage across zero or from a negative
base, colour and a word by what is good for the company. Numbers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.dashboard.signs import relative_change, shown_as, tone_of
from generator.dashboard.text import Formatter
from generator.metrics import MetricPoint, MetricSeries, Unit

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def _series(metric_id: str, unit: Unit, *values: str | None, label: str = "X") -> MetricSeries:
    months = [date(2026, 8 + i, 1) for i in range(len(values))]
    return MetricSeries(metric_id, label, unit, tuple(
        MetricPoint(m, Decimal(v) if v is not None else None) for m, v in zip(months, values, strict=True)))


@pytest.mark.parametrize(("current", "base", "expected"), [
    ("120", "100", Decimal("0.2")),     # a plain rise: +20 %
    ("80", "100", Decimal("-0.2")),     # a plain fall
    ("5095", "-3348", None),            # across zero: a percentage would be meaningless
    ("-5095", "-3348", None),           # from a negative base: the percentage reads backwards
    ("-100", "200", None),              # to below zero
    ("100", "0", None),                 # from zero: infinite
    ("0", "100", Decimal("-1")),        # down to zero is −100 %
])
def test_relative_change_only_between_positive_amounts(current: str, base: str, expected: Decimal | None) -> None:
    assert relative_change(Decimal(current), Decimal(base)) == expected


def test_change_across_zero_shows_the_amount_only() -> None:
    fmt = Formatter("en", "USD")
    burn = _series("net_burn", Unit.CURRENCY, "1747", "-3348")  # August burnt $1,747, September made $3,348
    change = fmt.change(burn, burn.points[1], burn.points[0])
    assert change.relative is None
    assert change.text == "\u2212$5,095"  # −3,348 − 1,747, no "(−291.6%)"


def test_change_from_a_negative_base_shows_the_amount_only() -> None:
    fmt = Formatter("en", "USD")
    net_new = _series("net_new_mrr", Unit.CURRENCY, "-200", "300")
    change = fmt.change(net_new, net_new.points[1], net_new.points[0])
    assert (change.relative, change.text) == (None, "+$500")


def test_ratio_changes_in_percentage_points() -> None:
    fmt = Formatter("en", "USD")
    churn = _series("customer_churn_rate", Unit.RATIO, "0.031", "0.026")
    change = fmt.change(churn, churn.points[1], churn.points[0])
    assert change.relative is None and change.text == "\u22120.5 pp"
    assert tone_of("customer_churn_rate", change.difference) == "good"  # churn fell


@pytest.mark.parametrize(("metric_id", "difference", "tone"), [
    ("mrr", "100", "good"), ("mrr", "-100", "bad"),
    ("customer_churn_rate", "0.01", "bad"), ("churned_mrr", "-50", "good"),
    ("net_burn", "500", "bad"), ("profit", "500", "good"), ("costs.hosting", "10", "bad"),
    ("cash", "-1000", "bad"), ("runway_months", "3", "good"),
    ("mrr", "0", "neutral"), ("some_custom_metric", "5", "neutral"),
])
def test_tone_is_what_the_change_means_for_the_company(metric_id: str, difference: str, tone: str) -> None:
    assert tone_of(metric_id, Decimal(difference)) == tone


def test_a_profitable_month_reads_as_profit_with_its_changes_as_changes_of_profit() -> None:
    burn = _series("net_burn", Unit.CURRENCY, "9519", "-3348", "-5095")  # Aug burn, Sep and Oct profit
    shown = shown_as(burn, OCT)
    assert shown.id == "profit"
    assert [p.value for p in shown.points] == [Decimal("-9519"), Decimal("3348"), Decimal("5095")]
    fmt = Formatter("en", "USD")
    assert fmt.point(shown, shown.point_at(OCT)) == "$5,095"
    since_sep = fmt.change(shown, shown.point_at(OCT), shown.point_at(SEP))
    assert since_sep.text == "+$1,747 (+52.2%)"  # 1,747 / 3,348 = 52.18 %: both months profitable
    since_aug = fmt.change(shown, shown.point_at(OCT), shown.points[0])
    assert since_aug.text == "+$14,614"  # from a burn to a profit: no percentage
    assert tone_of(shown.id, since_aug.difference) == "good"


def test_a_burning_month_keeps_the_net_burn_label() -> None:
    burn = _series("net_burn", Unit.CURRENCY, "-100", "2500")
    assert shown_as(burn, SEP) is burn
    assert shown_as(_series("mrr", Unit.CURRENCY, "-5", "-6"), SEP).id == "mrr"  # only net burn flips


def test_demo_cards_say_profit_with_a_word_and_no_percentage_across_zero(tmp_path) -> None:
    from datetime import datetime, timezone

    from conftest import REPO

    from generator import build_site

    out = tmp_path / "out"
    build_site(REPO, out, now=datetime(2026, 11, 23, tzinfo=timezone.utc))
    html = (out / "metrics/index.html").read_text()
    card = html[html.index('href="/metrics/net_burn/"'):]
    card = card[:card.index("</li>")]
    assert ">Profit</a>" in card and "$5,095" in card and "\u2212$5,095" not in card
    assert "153.5" not in card and "%" not in card.split("vs Oct 2025")[1]  # a year ago it burnt cash
    assert 'delta-good' in card and "better" in card
    churn = html[html.index('href="/metrics/customer_churn_rate/"'):]
    churn = churn[:churn.index("</li>")]
    assert "pp" in churn and "delta-good" in churn  # churn fell: ▼ and better

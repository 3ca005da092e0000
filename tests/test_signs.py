"""Honest signs (issue 14): profit instead of a negative burn, no percentage across zero or from a negative
base, colour and a word by what is good for the company. Numbers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator import build_site
from generator.build import load_site_config
from generator.dashboard.signs import relative_change, tone_of
from generator.metrics.framing import shown_as
from generator.dashboard.text import Formatter
from generator.metrics import MetricPoint, MetricSeries, Unit, get_definition, load_metrics

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


def _series(metric_id: str, unit: Unit, *values: str | None, label: str = "X", definition=None) -> MetricSeries:
    months = [date(2026, 8 + i, 1) for i in range(len(values))]
    return MetricSeries(metric_id, label, unit, tuple(
        MetricPoint(m, Decimal(v) if v is not None else None) for m, v in zip(months, values, strict=True)),
        definition=definition)


def _registered(metric_id: str, unit: Unit, *values: str) -> MetricSeries:
    return _series(metric_id, unit, *values, definition=get_definition(metric_id))


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


def test_demo_cards_say_profit_with_a_word_and_no_percentage_across_zero(demo_build) -> None:
    html = (demo_build.output / "metrics/index.html").read_text()
    card = html[html.index('href="/metrics/net_burn/"'):]
    card = card[:card.index("</li>")]
    assert ">Profit</a>" in card and "$5,095" in card and "\u2212$5,095" not in card
    assert "153.5" not in card and "%" not in card.split("vs Oct 2025")[1]  # a year ago it burnt cash
    assert 'delta-good' in card and "better" in card
    churn = html[html.index('href="/metrics/customer_churn_rate/"'):]
    churn = churn[:churn.index("</li>")]
    assert "pp" in churn and "delta-good" in churn  # churn fell: ▼ and better


@pytest.mark.parametrize(("metric_id", "unit", "before", "after", "direction", "tone"), [
    ("costs", Unit.CURRENCY, "9000", "9500", "up", "bad"),              # costs rose $500: worse
    ("costs", Unit.CURRENCY, "9500", "9000", "down", "good"),
    ("costs.hosting", Unit.CURRENCY, "300", "0", "down", "good"),       # a category dropped to zero
    ("customer_churn_rate", Unit.RATIO, "0.026", "0.031", "up", "bad"),  # +0.5 pp of churn: worse
    ("customer_churn_rate", Unit.RATIO, "0.031", "0.026", "down", "good"),
    ("mrr", Unit.CURRENCY, "48000", "48500", "up", "good"),
    ("mrr", Unit.CURRENCY, "48500", "0", "down", "bad"),
    ("mrr", Unit.CURRENCY, "48500", "48500", "flat", "neutral"),       # no change, no colour
    ("net_new_mrr", Unit.CURRENCY, "-200", "300", "up", "good"),       # from a negative base
])
def test_change_tone_follows_the_registry_entry(metric_id: str, unit: Unit, before: str, after: str,
                                                direction: str, tone: str) -> None:
    series = _registered(metric_id, unit, before, after)
    change = Formatter("en", "USD").change(series, series.points[1], series.points[0])
    assert (change.direction, change.tone) == (direction, tone)
    assert tone_of(series, change.difference) == tone


def test_tone_follows_a_registry_entry_not_the_id() -> None:
    kind = get_definition("mrr")
    reversed_mrr = _series("mrr", Unit.CURRENCY, "100", "200",
                           definition=type(kind)(**{**kind.__dict__, "higher_is_better": False}))
    assert tone_of(reversed_mrr, Decimal(100)) == "bad"  # the entry decides, not a list of ids


def test_a_profit_shown_for_a_negative_burn_turns_the_good_direction_round() -> None:
    burn = _registered("net_burn", Unit.CURRENCY, "2000", "-500", "-800")  # a burn, then growing profits
    assert tone_of(burn, Decimal(300)) == "bad"  # more burn is worse
    profit = shown_as(burn, OCT)
    change = Formatter("en", "USD").change(profit, profit.point_at(OCT), profit.point_at(SEP))
    assert (change.difference, change.direction, change.tone) == (Decimal(300), "up", "good")  # 800 − 500


TICKETS = "{file: support.csv, column: tickets, unit: count, label: Support tickets, higher_is_better: false}"
CUSTOM_SITE = ("title: Tickets Co\nbase_url: https://tickets.example/\nmetrics:\n  custom:\n"
               f"    tickets: {TICKETS}\n    signups: {{file: support.csv, column: signups, unit: count}}\n")
MRR_ROWS = "".join(f"{m},{mrr}\n" for m, mrr in [
    ("2024-11", 1000), ("2024-12", 1100), ("2025-01", 1300), ("2025-10", 1500), ("2025-11", 1700), ("2025-12", 1800)])
SUPPORT_ROWS = "".join(f"{m},{t},{s}\n" for m, t, s in [
    ("2024-11", 30, 50), ("2024-12", 20, 60), ("2025-01", 20, 60), ("2025-10", 35, 40), ("2025-11", 35, 40),
    ("2025-12", 45, 70)])
COST_ROWS = "".join(f"{m},Hosting,{a}\n" for m, a in [
    ("2024-11", 100), ("2024-12", 100), ("2025-01", 100), ("2025-10", 150), ("2025-11", 150), ("2025-12", 170)])
CUSTOM_FILES = {"metrics/mrr.csv": "month,mrr\n" + MRR_ROWS, "metrics/support.csv": "month,tickets,signups\n" + SUPPORT_ROWS,
                "metrics/costs.csv": "month,category,amount\n" + COST_ROWS}


def test_a_custom_metric_with_higher_is_better_false_reads_a_rise_as_worse(make_site) -> None:
    root = make_site(CUSTOM_FILES, config=CUSTOM_SITE)
    data = load_metrics(load_site_config(root))
    fmt = Formatter("en", "USD")
    tickets, signups = data.series["tickets"], data.series["signups"]
    dec, nov = date(2025, 12, 1), date(2025, 11, 1)
    rise = fmt.change(tickets, tickets.point_at(dec), tickets.point_at(nov))   # 35 → 45
    assert (rise.difference, rise.text, rise.tone) == (Decimal(10), "+10 (+28.6%)", "bad")
    more = fmt.change(signups, signups.point_at(dec), signups.point_at(nov))   # 40 → 70, default: higher is better
    assert (more.difference, more.tone) == (Decimal(30), "good")


def _row(html: str, href: str) -> str:
    row = html[html.index(f'href="{href}"'):]
    return row[:row.index("</tr>")]


def test_pages_colour_changes_by_the_registry(make_site, tmp_path) -> None:
    from conftest import BUILD_TIME

    root = make_site(CUSTOM_FILES, config=CUSTOM_SITE)
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    year = (out / "metrics/2025/index.html").read_text()
    # 2025 costs: 100 + 150 + 150 + 170 = 570 against 2024's 200: a rise, so worse, never green
    costs = _row(year, "/metrics/costs/")
    assert "▲" in costs and "delta-bad" in costs and "worse" in costs and "delta-good" not in costs
    assert "delta-good" in _row(year, "/metrics/mrr/")                          # revenue grew
    month = (out / "metrics/2025-12/index.html").read_text()
    assert "delta-bad" in _row(month, "/metrics/tickets/")                      # 35 → 45 tickets
    assert "delta-good" in _row(month, "/metrics/signups/")                     # 40 → 70 sign-ups
    assert "delta-bad" in _row(month, "/metrics/costs/")                        # $150 → $170
    dashboard = (out / "metrics/index.html").read_text()
    card = dashboard[dashboard.index('href="/metrics/tickets/"'):]
    assert "delta-bad" in card[:card.index("</li>")]
    metric = (out / "metrics/tickets/index.html").read_text()
    assert "delta-bad" in metric and "delta-good" in metric                      # Dec rose, Dec 2024 fell


def test_one_framing_everywhere_a_negative_net_burn_is_read(golden_build) -> None:
    """Issue 19: December 2025 made a profit; the card, the share card, the metric page's title, its table and
    `{{ metric net_burn }}` in a post all say so, with a positive amount (metrics/framing.py decides)."""
    built = golden_build("full")
    site = built.result.site
    card = next(c for c in site.dashboard.cards if c.metric_id == "net_burn")
    assert (card.label, card.value_text) == ("Profit", "$1,451")
    page = site.dashboard.metric("net_burn")
    assert page.label == "Profit" and page.rows[1].value_text == "$1,451 profit"  # rows[0]: January, no value yet
    assert page.framing.startswith("Net burn is costs minus MRR. Below zero it is a profit")
    preview = next(p for p in site.dashboard.previews if p.page_path == page.path)
    assert (preview.heading, preview.value_text, preview.caption) == ("Profit", "$1,451", "Profit · December 2025")
    assert "<h1>Profit</h1>" in (built.output / page.path / "index.html").read_text(encoding="utf-8")
    post = (built.output / "2026/01/december-2025-in-numbers/index.html").read_text(encoding="utf-8")
    assert "net burn was <a class=\"metric-value\" href=\"/open/metrics/2025-12/#net_burn\">$1,451 profit</a>" in post
    assert "\u2212$1,451" not in post

"""Money in several currencies: symbols, files' currencies, fx.csv and fixed rates, accounts, open data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.site import SiteConfig
from generator.errors import MetricsError
from generator.metrics import load_metrics, publish_metrics, render_metrics_json
from generator.metrics.read.money import parse_currency_mark

MRR = "month,mrr\n2024-01,100\n2024-02,100\n"
FX = "month,currency,rate\n2024-01,CNY,0.14\n2024-02,CNY,0.15\n"


def _messages(error: MetricsError, root: Path) -> list[str]:
    return [d.format(root) for d in error.diagnostics]


@pytest.mark.parametrize(("text", "expected"), [
    ("¥187,000.00", {"CNY", "JPY"}), ("CN¥12", {"CNY"}), ("RMB 1,200", {"CNY"}), ("1,200元", {"CNY"}),
    ("US$5", {"USD"}), ("€10", {"EUR"}), ("EUR 10", {"EUR"}), ("10 eur", {"EUR"}), ("(£1,200)", {"GBP"}),
    ("HK$3", {"HKD"}), ("12,500", set()), ("-", set()),
])
def test_parse_currency_mark(text: str, expected: set[str]) -> None:
    assert parse_currency_mark(text) == expected
    assert "USD" in parse_currency_mark("$1,234.50")


def test_costs_in_cny_are_converted_at_each_months_rate(make_site: Callable[..., SiteConfig]) -> None:
    config = make_site({"mrr.csv": MRR, "fx.csv": FX,
                        "costs.csv": "month,category,amount,currency\n2024-01,Rent,\"¥1,000\",\n2024-02,Rent,1000,\n"
                                     "2024-02,Hosting,$10,USD\n"},
                       "metrics:\n  files:\n    costs: {currency: CNY}\n")
    data = load_metrics(config)
    assert data.series["costs"].values == (Decimal("140.00"), Decimal("160.00"))  # 1000×0.15 + 10 USD
    assert data.series["costs.hosting"].values == (Decimal("0.00"), Decimal("10.00"))
    assert [(u.currency, u.month, u.rate, u.source, u.files) for u in data.fx] == [
        ("CNY", date(2024, 1, 1), Decimal("0.14"), "fx.csv", ("costs",)),
        ("CNY", date(2024, 2, 1), Decimal("0.15"), "fx.csv", ("costs",))]
    text = render_metrics_json(publish_metrics(data, config)).decode()
    assert ('"fx": [\n    {"currency": "CNY", "month": "2024-01", "rate": 0.14, "source": "fx.csv", '
            '"files": ["costs"]},') in text


def test_a_symbol_contradicting_the_file_currency_is_an_error_at_its_cell(make_site, tmp_path: Path) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "costs.csv": "month,category,amount\n2024-01,Rent,\"¥187,000.00\"\n"},
                               "metrics:\n  currency: USD\n"))
    assert _messages(caught.value, tmp_path) == [
        "metrics/costs.csv:2:14: column 'amount': '¥187,000.00' is in CNY or JPY, but the amounts of this file are "
        "in USD (declare the file's currency with 'currency: CNY' under metrics.files.costs in site.yaml, or give "
        "the row a currency column)"]


def test_a_month_without_a_rate_names_currency_and_month(make_site, tmp_path: Path) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "fx.csv": "month,currency,rate\n2024-01,CNY,0.14\n",
                                "costs.csv": "month,category,amount\n2024-01,Rent,1\n2024-02,Rent,1\n2024-02,Ads,1\n"},
                               "metrics:\n  files:\n    costs: {currency: CNY}\n"))
    assert _messages(caught.value, tmp_path) == [
        "metrics/costs.csv:3:14: no rate for CNY in 2024-02 in metrics/fx.csv (add a row '2024-02,CNY,<rate>' to "
        "metrics/fx.csv (1 CNY in USD))"]


def test_a_currency_without_any_rate_names_the_currency_and_first_line(make_site, tmp_path: Path) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "cash.csv": "month,balance,currency\n2024-01,5,USD\n2024-01,7,EUR\n"
                                                           "2024-02,8,EUR\n"}, "metrics:\n  currency: USD\n"))
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/cash.csv:3:9: amounts in EUR need an exchange rate to USD")


def test_cash_from_several_accounts_adds_up_in_the_site_currency(make_site) -> None:
    cash = ("month,account,balance,currency\n2024-01,Bank of China,\"¥10,000\",CNY\n2024-01,SVB,500,USD\n"
            "2024-02,Bank of China,20000,CNY\n2024-02,SVB,400,USD\n")
    data = load_metrics(make_site({"mrr.csv": MRR, "fx.csv": FX, "cash.csv": cash}, "metrics:\n  currency: USD\n"))
    assert data.series["cash"].values == (Decimal("1900.00"), Decimal("3400.00"))


def test_the_same_account_twice_in_a_month_names_both_lines(make_site, tmp_path: Path) -> None:
    cash = "month,account,balance\n2024-01,SVB,5\n2024-01,SVB,6\n"
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "cash.csv": cash}, "metrics:\n  currency: USD\n"))
    assert "account 'SVB' in USD appears twice in 2024-01: lines 2 and 3" in _messages(
        caught.value, tmp_path)[0]


def test_fixed_rate_converts_mrr_after_the_bridge_is_checked_in_its_currency(make_site) -> None:
    mrr = "month,mrr,new,expansion,contraction,churned\n2024-01,100,100,0,0,0\n2024-02,150,50,0,0,0\n"
    data = load_metrics(make_site({"mrr.csv": mrr}, "metrics:\n  currency: USD\n  fx: {EUR: 1.1}\n"
                                                    "  files:\n    mrr: {currency: EUR}\n"))
    assert data.series["mrr"].values == (Decimal("110.00"), Decimal("165.00"))
    assert data.series["new_mrr"].values == (Decimal("110.00"), Decimal("55.00"))
    assert [(u.currency, u.month, u.source, u.files) for u in data.fx] == [("EUR", None, "site.yaml", ("mrr",))]


def test_declared_rates_are_published_even_when_only_imports_used_them(make_site) -> None:
    config = make_site({"mrr.csv": MRR}, "metrics:\n  fx: {EUR: 1.08}\n")
    data = load_metrics(config)
    assert [(u.currency, u.month, u.rate, u.files) for u in data.fx] == [("EUR", None, Decimal("1.08"), ())]
    assert '{"currency": "EUR", "month": null, "rate": 1.08, "source": "site.yaml", "files": []}' in \
        render_metrics_json(publish_metrics(data, config)).decode()


@pytest.mark.parametrize(("fx", "expected"), [
    ("month,currency,rate\n2024-01,CNY,0\n", "metrics/fx.csv:2:13: the rate 0 is not above 0"),
    ("month,currency,rate\n2024-01,XYZ,1\n", "metrics/fx.csv:2:9: 'XYZ' is not a currency other than USD"),
    ("month,currency,rate\n2024-01,CNY,1\n2024-01,cny,2\n", "metrics/fx.csv:3:1: CNY in 2024-01 appears twice"),
    ("month,rate\n2024-01,1\n", "metrics/fx.csv:1: missing column 'currency'"),
])
def test_bad_fx_files_are_reported(make_site, tmp_path: Path, fx: str, expected: str) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "fx.csv": fx}, "metrics:\n  currency: USD\n"))
    assert _messages(caught.value, tmp_path)[0].startswith(expected), _messages(caught.value, tmp_path)


@pytest.mark.parametrize(("yaml", "expected"), [
    ("metrics:\n  fx: {EUR: -1}\n", "'metrics.fx.EUR' must be a rate above 0"),
    ("metrics:\n  fx: {EURO: 1.1}\n", "'metrics.fx.EURO' is not an ISO 4217 currency code"),
    ("metrics:\n  fx: {USD: 1}\n", "'metrics.fx.USD' must be a rate above 0 for a currency other than USD"),
    ("metrics:\n  files:\n    churn: {currency: EUR}\n", "unknown key 'metrics.files.churn.currency'"),
    ("metrics:\n  files:\n    costs: {currency: YEN}\n", "'metrics.files.costs.currency' is not an ISO 4217"),
])
def test_currency_config_mistakes(parse_yaml, yaml: str, expected: str) -> None:
    _, problems = parse_yaml(yaml)
    assert any(expected in p.message for p in problems), [p.message for p in problems]

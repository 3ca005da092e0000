"""Several sources, one set of numbers: site.yaml's imports:, merged customers, movements computed once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from histories import UNTIL, paddle_subscriptions, paddle_transactions, scenario
from support import read_tree

from generator.cli import main

BASE = "title: Test Co\nbase_url: https://test.example/\ntimezone: Asia/Shanghai\nmetrics:\n  fx: {EUR: 1.08, CNY: 0.14}\n"
PAYMENTS = ("支付时间,用户,金额\n2024-01-08,张三,￥700\n2024-02-08,张三,￥700\n2024-03-08,张三,￥700\n2024-03-20,李四,￥350\n"
            "2024-04-20,李四,￥350\n2024-06-02,王五,￥1400\n2024-07-02,王五,￥1400\n2024-08-02,王五,￥1400\n"
            "2024-09-02,王五,￥1400\n2024-10-02,王五,￥1400\n2024-11-02,王五,￥1400\n2024-12-02,王五,￥1400\n")
MAPPED = "  - {source: mapped, file: wechat.csv, map: {date: 支付时间, customer: 用户, amount: 金额}, interval: month, " \
         "currency: CNY}\n"
PADDLE = "  - {source: paddle, file: [paddle/subscriptions.csv, paddle/transactions.csv]}\n"


def _site(make_site, imports: str, name: str = "site") -> Path:
    return make_site({"metrics/wechat.csv": PAYMENTS, "metrics/paddle/subscriptions.csv": paddle_subscriptions(scenario()),
                      "metrics/paddle/transactions.csv": paddle_transactions(scenario())},
                     config=BASE + "imports:\n" + imports, name=name)


def _rows(site: Path, name: str) -> dict[str, list[Decimal]]:
    lines = (site / "metrics" / name).read_text().splitlines()[1:]
    return {line.split(",")[0]: [Decimal(cell) for cell in line.split(",")[1:]] for line in lines}


def _run(runner: CliRunner, site: Path, *args: str) -> str:
    result = runner.invoke(main, ["import", *args, "--until", UNTIL, "-s", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def test_disjoint_sources_sum_month_by_month(runner: CliRunner, make_site) -> None:
    alone = {}
    for name, imports in (("paddle", PADDLE), ("mapped", MAPPED)):
        site = _site(make_site, imports, name)
        _run(runner, site)
        alone[name] = (_rows(site, "mrr.csv"), _rows(site, "churn.csv"))
    site = _site(make_site, PADDLE + MAPPED, "both")
    output = _run(runner, site)
    assert "paddle: read 13 subscriptions" in output and "mapped: read 12 rows of 3 customers" in output
    for index, name in enumerate(("mrr.csv", "churn.csv")):
        merged = _rows(site, name)
        months = sorted(set(alone["paddle"][index]) | set(alone["mapped"][index]))
        assert sorted(merged) == months
        zero = [Decimal(0)] * len(next(iter(merged.values())))
        for month in months:
            total = [a + b for a, b in zip(alone["paddle"][index].get(month, zero),
                                           alone["mapped"][index].get(month, zero), strict=True)]
            assert merged[month] == total, (name, month)


def test_mapped_numbers_by_hand(runner: CliRunner, make_site) -> None:
    site = _site(make_site, MAPPED)
    _run(runner, site)
    mrr = _rows(site, "mrr.csv")
    # 张三 700 CNY (98 USD) Jan 8 to Apr 8; 李四 350 (49) Mar 20 to May 20; 王五 1,400 (196) from Jun 2, still paying
    assert mrr["2024-01"][0] == 98 and mrr["2024-03"][0] == 147 and mrr["2024-04"][0] == 49
    assert mrr["2024-04"][4] == 98 and mrr["2024-05"][4] == 49 and mrr["2024-06"][:2] == [196, 196]


LOG_A = "date,customer,mrr\n2024-01-10,shared-7,100\n2024-03-10,shared-7,0\n2024-01-15,only-a,50\n"
LOG_B = "date,customer,mrr\n2024-03-10,shared-7,100\n2024-05-01,only-b,30\n"


def _two_logs(make_site, namespace: str) -> Path:
    return make_site({"metrics/a.csv": LOG_A, "metrics/b.csv": LOG_B}, config=BASE + "imports:\n" + "".join(
        f"  - {{source: events, file: {name}.csv{namespace}}}\n" for name in "ab"), name=namespace.strip(", :") or "apart")


def test_a_customer_moving_between_sources_is_churn_and_new_unless_they_share_a_namespace(runner, make_site) -> None:
    apart = _two_logs(make_site, "")
    _run(runner, apart)
    march = _rows(apart, "mrr.csv")["2024-03"]
    assert march[:6] == [150, 100, 0, 0, 100, 0]  # churned in one source, new in the other
    assert _rows(apart, "churn.csv")["2024-03"] == [2, 1, 1, 0]
    shared = _two_logs(make_site, ", customers: billing")
    _run(runner, shared)
    assert _rows(shared, "mrr.csv")["2024-03"][:6] == [150, 0, 0, 0, 0, 0]  # one customer, paying throughout
    assert _rows(shared, "churn.csv")["2024-03"] == [2, 0, 0, 0]


def test_no_arguments_without_imports_says_how(runner: CliRunner, make_site) -> None:
    site = make_site(config=BASE)
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 1 and "site.yaml lists no imports" in result.output and "imports:" in result.output


def test_a_source_typo_in_site_yaml_is_a_config_error_with_the_closest_name(runner: CliRunner, make_site) -> None:
    site = make_site(config=BASE + "imports:\n  - {source: padle, file: x.csv}\n")
    before = read_tree(site)
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 1
    assert "site.yaml:7:" in result.output and "'padle'" in result.output and "did you mean 'paddle'?" in result.output
    assert read_tree(site) == before


def test_a_source_typo_on_the_command_line_lists_the_names(runner: CliRunner, make_site) -> None:
    result = runner.invoke(main, ["import", "strip", "x.csv", "-s", str(make_site(config=BASE))])
    assert result.exit_code == 2 and "did you mean 'stripe'?" in result.output
    assert "chargebee, events, lemonsqueezy, mapped, paddle, pnl, stripe" in result.output

"""The example exports of examples/imports/ (bench/make_imports.py) import, and leave no identifier behind."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import read_tree

from generator.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples" / "imports"
CONFIG = "title: T\nbase_url: https://t.example/\ntimezone: Asia/Shanghai\nmetrics:\n  fx: {EUR: 1.08}\n"


@pytest.mark.parametrize(("source", "files"), [
    ("paddle", ("paddle-subscriptions.csv", "paddle-transactions.csv")),
    ("lemonsqueezy", ("lemonsqueezy-subscriptions.csv", "lemonsqueezy-invoices.csv")),
    ("chargebee", ("chargebee-subscriptions.csv", "chargebee-invoice-lines.csv")),
])
def test_vendor_examples_import_without_a_trace_of_a_customer(runner: CliRunner, make_site, source: str,
                                                              files: tuple[str, ...]) -> None:
    site = make_site(config=CONFIG)
    result = runner.invoke(main, ["import", source, *(str(EXAMPLES / name) for name in files), "-s", str(site)])
    assert result.exit_code == 0, result.output
    customers = {row["customer_id"] if "customer_id" in row else row["subscriptions.customer_id"]
                 for row in csv.DictReader((EXAMPLES / files[0]).open(encoding="utf-8"))}
    assert f"of {len(customers)} customers" in result.output
    written = b"".join(read_tree(site / "metrics").values()) + result.output.encode()
    assert not any(customer.encode() in written for customer in customers)
    assert b"@ex.org" not in written


def test_the_gbk_wechat_example_imports_through_its_readme_column_map(runner: CliRunner, make_site) -> None:
    config = (CONFIG.replace("  fx: {EUR: 1.08}\n", "  currency: CNY\n") + "imports:\n  - {source: mapped, file: "
              f"{EXAMPLES / 'wechat-2024-gbk.csv'}, encoding: gbk, currency: CNY, interval: month,\n"
              "     map: {date: 支付时间, customer: 用户标识, amount: 订单金额, status: 交易状态},\n"
              "     statuses: {支付成功: paid, 已退款: refunded, 已关闭: ended}}\n")
    site = make_site(config=config)
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 0, result.output
    assert "Read 234 rows of 40 customers" in result.output and "1 total row" in result.output
    assert b"wechat" not in b"".join(read_tree(site / "metrics").values())

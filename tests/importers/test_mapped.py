"""Any other export through a column map in site.yaml: no code, the numbers checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import read_tree

from generator.cli import main

CONFIG = """\
title: 测试公司
base_url: https://test.example/
timezone: Asia/Shanghai
metrics:
  currency: CNY
imports:
  - source: mapped
    file: exports/wechat.csv
    encoding: gbk
    map: {date: 支付时间, customer: 用户, amount: 金额, status: 交易状态}
    interval: month
    statuses: {支付成功: paid, 已退款: refunded, 已关闭: ended}
"""
WECHAT = """\
微信支付账单明细（2024年1月—3月）,,,,,
订单号,支付时间,用户,金额,交易状态,备注
4200001,2024-01-05 10:00:00,张三,￥99.00,支付成功,
4200002,2024/1/20,李四,"￥1,199.00",支付成功,首单
4200003,2024年2月5日,张三,￥99.00,支付成功,
4200004,2024年2月21日 09:30,李四,"￥1,199.00",已退款,
4200005,2024年3月10日,王五,￥99.00,支付成功,
合计,,,"￥2,695.00",,
"""


def _site(make_site, config: str = CONFIG, export: str = WECHAT, encoding: str = "gbk") -> Path:
    return make_site({"metrics/exports/wechat.csv": export.encode(encoding)}, config=config)


def test_gbk_export_with_title_line_chinese_headers_mixed_dates_and_a_total_row(runner: CliRunner, make_site) -> None:
    site = _site(make_site)
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 0, result.output
    # By hand: 张三 pays 99 from 01-05 and again 02-05 (to 03-05, within 7 days of the last row, 03-10: still paying);
    # 李四 pays 1,199 from 01-20 to 02-20, the 02-21 payment was refunded, and 02-20 + 7 days < 03-10: churned in
    # February; 王五 pays 99 from 03-10. The 合计 row and the title line are left out.
    assert (site / "metrics" / "mrr.csv").read_text() == (
        "month,mrr,new,expansion,contraction,churned,reactivation\n"
        "2024-01,1298.00,1298.00,0.00,0.00,0.00,0.00\n"
        "2024-02,99.00,0.00,0.00,0.00,1199.00,0.00\n"
        "2024-03,198.00,99.00,0.00,0.00,0.00,0.00\n")
    assert "Never counted: 1 refunded, 1 total row." in result.output
    for name in ("张三", "李四", "王五", "4200001"):
        assert name not in result.output
        assert all(name.encode() not in data and name.encode("gbk") not in data
                   for path, data in read_tree(site / "metrics").items() if not path.startswith("exports/"))


def test_each_row_a_change_reads_like_an_event_log(runner: CliRunner, make_site) -> None:
    config = CONFIG.replace("    interval: month\n", "    interval: month\n    each_row: change\n").replace(
        "已退款: refunded", "已退款: ended")
    site = _site(make_site, config)
    assert runner.invoke(main, ["import", "-s", str(site)]).exit_code == 0
    # 张三 99 from 01-05 on; 李四 1,199 from 01-20 until the 02-21 row ends him; 王五 99 from 03-10
    assert (site / "metrics" / "mrr.csv").read_text().splitlines()[1:] == [
        "2024-01,1298.00,1298.00,0.00,0.00,0.00,0.00", "2024-02,99.00,0.00,0.00,0.00,1199.00,0.00",
        "2024-03,198.00,99.00,0.00,0.00,0.00,0.00"]


def test_minor_units_fixed_currency_and_a_date_format_from_site_yaml(runner: CliRunner, make_site) -> None:
    config = CONFIG.replace("metrics:\n  currency: CNY\n", "metrics:\n  currency: USD\n  fx: {CNY: 0.14}\n").replace(
        "    interval: month\n", "    interval: year\n    currency: CNY\n    amounts: minor\n    skip_rows: 0\n"
        "    date_formats: ['%d.%m.%Y']\n").replace("encoding: gbk", "encoding: utf-8").replace(
        ", status: 交易状态}", "}").replace("    statuses: {支付成功: paid, 已退款: refunded, 已关闭: ended}\n", "")
    export = "支付时间,用户,金额\n05.01.2024,a,120000\n2024-01-09,b,240000\n"
    site = _site(make_site, config, export, "utf-8")
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 0, result.output
    # 1,200 CNY a year = 100 a month = 14 USD; 2,400 CNY a year = 28 USD
    assert (site / "metrics" / "mrr.csv").read_text().splitlines()[1] == "2024-01,42.00,42.00,0.00,0.00,0.00,0.00"


@pytest.mark.parametrize(("change", "expected"), [
    (("customer: 用户,", "customer: 用 户,"), "column '用 户' (map.customer in site.yaml) is not in the header "
                                              "(did you mean '用户'?"),
    (("张三,￥99.00,支付成功,\n4200004", "张三,九十九,支付成功,\n4200004"), "wechat.csv:5:"),
    (("2024/1/20", "20.1.2024"), "'20.1.2024' is not a date"),
])
def test_mistakes_name_the_file_line_and_column(runner: CliRunner, make_site, change, expected: str) -> None:
    config, export = CONFIG, WECHAT
    if change[0] in config:
        config = config.replace(*change)
    else:
        export = export.replace(*change)
    site = _site(make_site, config, export)
    before = read_tree(site)
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output
    assert read_tree(site) == before


def test_unknown_status_says_what_to_add(runner: CliRunner, make_site) -> None:
    site = _site(make_site, export=WECHAT.replace("支付成功,首单", "支付中,首单"))
    result = runner.invoke(main, ["import", "-s", str(site)])
    assert result.exit_code == 1
    assert "column '交易状态': '支付中' is not in statuses: in site.yaml" in result.output
    assert "'支付中: paid'" in result.output

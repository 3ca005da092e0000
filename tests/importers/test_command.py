"""`opensite import` end to end: real sites in tmp_path, the CLI, files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import read_tree, stripe_csv

from generator.cli import main

REPO = Path(__file__).parents[2]
EXAMPLES = REPO / "examples" / "imports"
CONFIG = """\
title: Test Co
base_url: https://test.example/
timezone: Asia/Shanghai
metrics:
  currency: USD
  fx: {EUR: 1.08}
"""
EVENTS = "date,customer,mrr\n2024-01-10,a,100\n2024-02-10,b,50\n2024-03-05,a,0\n"


def _import(runner: CliRunner, site: Path, *args: str) -> object:
    return runner.invoke(main, ["import", *args, "-s", str(site)])


def test_fresh_site_imports_the_example_and_builds(runner: CliRunner, tmp_path: Path) -> None:
    site = tmp_path / "acme"
    assert runner.invoke(main, ["init", str(site)]).exit_code == 0
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  currency: USD\n", "  currency: USD\n  fx: {EUR: 1.08}\n"),
                      encoding="utf-8")
    costs_before = (site / "metrics" / "costs.csv").read_bytes()
    cash_before = (site / "metrics" / "cash.csv").read_bytes()
    refused = _import(runner, site, "stripe", str(EXAMPLES / "stripe-subscriptions.csv"))
    assert refused.exit_code == 1 and "would restate 6 months already in mrr.csv" in refused.output  # init's samples
    result = _import(runner, site, "stripe", str(EXAMPLES / "stripe-subscriptions.csv"), "--force")
    assert result.exit_code == 0, result.output
    assert "Read 180 subscriptions of" in result.output and "Wrote metrics/mrr.csv, metrics/churn.csv, metrics/cohorts.csv." in result.output
    assert (site / "metrics" / "costs.csv").read_bytes() == costs_before
    assert (site / "metrics" / "cash.csv").read_bytes() == cash_before
    for planted in ("cus_0000", "@example.com", "Example1", "Team annual", "Tallybird"):
        assert planted not in result.output
        assert planted not in (site / "metrics" / "mrr.csv").read_text() + (site / "metrics" / "churn.csv").read_text()
    build = runner.invoke(main, ["build", "-s", str(site)])
    assert build.exit_code == 0, build.output
    assert (site / "output" / "metrics" / "index.html").is_file()
    assert (site / "output" / "metrics" / "cohorts" / "cohorts.json").is_file()  # the cohorts too: no identifier
    for relpath, data in read_tree(site).items():
        for planted in ("cus_0000", "@example.com", "Example1", "Team annual", "Tallybird"):
            assert planted.encode() not in data, f"{planted} leaked into {relpath}"


def test_import_writes_aggregates_and_no_customer_identifier_anywhere(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    rows = [{"Customer ID": "cus_PLANTEDid77", "Customer Email": "planted.person@secret-example.org",
             "Plan": "PlantedPlanName", "Start (UTC)": "2024-01-03 10:00", "Amount": "20.00"},
            {"Customer ID": "cus_OTHERplant", "Customer Email": "other.plant@secret-example.org",
             "Plan": "PlantedPlanName", "Start (UTC)": "2024-02-03 10:00", "Currency": "eur", "Amount": "50.00"}]
    result = _import(runner, site, "stripe", str(export(stripe_csv(rows))))
    assert result.exit_code == 0, result.output
    assert (site / "metrics" / "mrr.csv").read_text() == (
        "month,mrr,new,expansion,contraction,churned,reactivation\n"
        "2024-01,20.00,20.00,0.00,0.00,0.00,0.00\n2024-02,74.00,54.00,0.00,0.00,0.00,0.00\n")
    assert (site / "metrics" / "churn.csv").read_text() == (
        "month,customers,new_customers,churned_customers,reactivated_customers\n2024-01,1,1,0,0\n2024-02,2,1,0,0\n")
    assert runner.invoke(main, ["build", "-s", str(site)]).exit_code == 0
    planted = ("PLANTEDid77", "OTHERplant", "planted.person", "other.plant", "secret-example", "PlantedPlanName")
    for relpath, data in read_tree(site).items():
        for value in planted:
            assert value.encode() not in data, f"{value} leaked into {relpath}"
    for value in planted:
        assert value not in result.output


def test_events_customer_names_never_reach_the_site(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    log = "date,customer,mrr\n2024-01-10,Zhang Planted Wei,100\n2024-02-10,ceo@planted-corp.example,50\n"
    result = _import(runner, site, "events", str(export(log)))
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["build", "-s", str(site)]).exit_code == 0
    for relpath, data in read_tree(site).items():
        assert b"Planted" not in data and b"planted-corp" not in data, relpath
    assert "Planted" not in result.output and "planted-corp" not in result.output


def test_restatement_is_refused_with_old_and_new_values_then_forced(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    assert _import(runner, site, "events", str(export(EVENTS))).exit_code == 0
    before = read_tree(site / "metrics")
    changed = EVENTS.replace("2024-02-10,b,50", "2024-02-10,b,70")
    refused = _import(runner, site, "events", str(export(changed)))
    assert refused.exit_code == 1
    assert "150.00 → 170.00" in refused.output and "50.00 → 70.00" in refused.output
    assert "would restate 2 months already in mrr.csv (2024-02, 2024-03)" in refused.output
    assert "rerun with --force" in refused.output and "no file was changed" in refused.output
    assert read_tree(site / "metrics") == before
    forced = _import(runner, site, "events", str(export(changed)), "--force")
    assert forced.exit_code == 0, forced.output
    assert "2024-02,170.00,70.00" in (site / "metrics" / "mrr.csv").read_text()


def test_new_months_need_no_force_and_reimport_changes_nothing(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    assert _import(runner, site, "events", str(export(EVENTS))).exit_code == 0
    first = read_tree(site / "metrics")
    again = _import(runner, site, "events", str(export(EVENTS)))
    assert again.exit_code == 0 and "Nothing changed" in again.output
    assert read_tree(site / "metrics") == first
    later = _import(runner, site, "events", str(export(EVENTS + "2024-04-02,c,30\n")))
    assert later.exit_code == 0, later.output
    assert (site / "metrics" / "mrr.csv").read_text().endswith("2024-04,80.00,30.00,0.00,0.00,0.00,0.00\n")


def test_dry_run_writes_nothing(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    before = read_tree(site)
    result = _import(runner, site, "events", str(export(EVENTS)), "--dry-run")
    assert result.exit_code == 0 and "Dry run: nothing was written." in result.output
    assert "2024-01" in result.output and "100.00" in result.output
    assert read_tree(site) == before


def test_stripe_and_events_leave_costs_and_cash_untouched_and_keep_other_columns(runner: CliRunner, make_site,
                                                                                 export) -> None:
    site = make_site({"metrics/mrr.csv": "month,mrr,notes\n2024-01,100,launch\n",
                      "metrics/costs.csv": "month,category,amount\n2024-01,Hosting,10\n",
                      "metrics/cash.csv": "month,balance\n2024-01,5000\n"}, config=CONFIG)
    costs, cash = (site / "metrics/costs.csv").read_bytes(), (site / "metrics/cash.csv").read_bytes()
    result = _import(runner, site, "events", str(export(EVENTS)))
    assert result.exit_code == 0, result.output
    assert (site / "metrics/costs.csv").read_bytes() == costs and (site / "metrics/cash.csv").read_bytes() == cash
    assert (site / "metrics/mrr.csv").read_text().splitlines()[:2] == [
        "month,mrr,new,expansion,contraction,churned,reactivation,notes", "2024-01,100.00,100.00,0.00,0.00,0.00,0.00,launch"]


def test_pnl_writes_costs_only_and_converts_at_build(runner: CliRunner, make_site, export) -> None:
    config = CONFIG.replace("  fx: {EUR: 1.08}\n", "  files:\n    costs: {currency: CNY}\n")
    site = make_site({"metrics/mrr.csv": "month,mrr\n2024-01,100\n2024-02,100\n",
                      "metrics/cash.csv": "month,balance\n2024-01,5000\n",
                      "metrics/fx.csv": "month,currency,rate\n2024-01,CNY,0.14\n2024-02,CNY,0.15\n"}, config=config)
    mrr, cash = (site / "metrics/mrr.csv").read_bytes(), (site / "metrics/cash.csv").read_bytes()
    sheet = "科目,2024年1月,2024年2月,合计\n工资,\"1,000.00\",\"2,000.00\",\"3,000.00\"\n合计,1000,2000,3000\n"
    result = _import(runner, site, "pnl", str(export(sheet)))
    assert result.exit_code == 0, result.output
    assert (site / "metrics/costs.csv").read_text() == (
        "month,category,amount,currency,source\n2024-01,工资,1000.00,CNY,pnl\n2024-02,工资,2000.00,CNY,pnl\n")
    assert (site / "metrics/mrr.csv").read_bytes() == mrr and (site / "metrics/cash.csv").read_bytes() == cash
    assert "Skipped rows: 1 total or subtotal." in result.output
    shown = runner.invoke(main, ["metrics", "-s", str(site), "--format", "csv"])
    assert shown.exit_code == 0, shown.output
    assert "2024-01,100.00" in shown.output and ",140.00," in shown.output and ",300.00," in shown.output


def test_pnl_needs_a_rate_for_each_month(runner: CliRunner, make_site, export) -> None:
    config = CONFIG.replace("  fx: {EUR: 1.08}\n", "  files:\n    costs: {currency: CNY}\n")
    site = make_site({"metrics/fx.csv": "month,currency,rate\n2024-01,CNY,0.14\n"}, config=config)
    result = _import(runner, site, "pnl", str(export("Category,2024-01,2024-02\nRent,1,2\n")))
    assert result.exit_code == 1
    assert "no rate for CNY in 2024-02 in metrics/fx.csv" in result.output
    assert not (site / "metrics/costs.csv").exists()


@pytest.mark.parametrize(("args", "text", "expected"), [
    (("stripe",), "id,Customer,Amount Due,Amount Paid\nin_1,cus_1,10,10\n", "this looks like a Stripe invoices export"),
    (("stripe",), "id,Customer ID\nsub_1,cus_1\n", "export.csv:1: error: missing columns"),
    (("events",), "date,customer,mrr\n2024-01-10,a,10\n2024-01-10,a,20\n", "export.csv:3: error: this customer has"),
    (("events",), b"date,customer,mrr\n2024-01-10,\xe5\xa4,10\n", "cannot be read as utf-8"),
    (("pnl",), "Category,Budget\nRent,1\n", "is not a month"),
    (("stripe", "--until", "2023-01"), stripe_csv([{"Start (UTC)": "2024-01-05 00:00"}]), "before the first paid month"),
])
def test_bad_input_exits_1_with_file_line_and_hint_and_writes_nothing(runner: CliRunner, make_site, export, args,
                                                                       text, expected: str) -> None:
    site = make_site({"metrics/mrr.csv": "month,mrr\n2023-12,5\n"}, config=CONFIG)
    before = read_tree(site)
    path = export(text)
    result = runner.invoke(main, ["import", args[0], str(path), *args[1:], "-s", str(site)])
    assert result.exit_code == 1, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert "no file was changed" in result.output
    assert read_tree(site) == before


def test_encoding_option_reads_a_gb18030_sheet(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    sheet = "科目,2024年1月\n房租,100\n".encode("gb18030")
    failed = _import(runner, site, "pnl", str(export(sheet)))
    assert failed.exit_code == 1 and "--encoding gb18030" in failed.output
    result = _import(runner, site, "pnl", str(export(sheet)), "--encoding", "gb18030")
    assert result.exit_code == 0, result.output
    assert "2024-01,房租,100,USD" in (site / "metrics/costs.csv").read_text(encoding="utf-8")


def test_a_failed_write_leaves_every_previous_file(runner: CliRunner, make_site, export) -> None:
    site = make_site({"metrics/mrr.csv": "month,mrr\n2024-01,100\n"}, config=CONFIG)
    (site / "metrics/churn.csv").mkdir()  # churn.csv cannot be replaced: the rename fails after mrr.csv's
    before = (site / "metrics/mrr.csv").read_bytes()
    result = _import(runner, site, "events", str(export(EVENTS)), "--force")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (site / "metrics/mrr.csv").read_bytes() == before
    assert sorted(p.name for p in (site / "metrics").iterdir()) == ["churn.csv", "mrr.csv"]


def test_example_pnl_sheet_imports(runner: CliRunner, make_site) -> None:
    config = CONFIG + "  files:\n    costs: {currency: CNY}\n"
    site = make_site({"metrics/fx.csv": "".join(["month,currency,rate\n"] + [f"2024-{m:02d},CNY,0.14\n"
                                                                            for m in range(1, 13)])}, config=config)
    result = _import(runner, site, "pnl", str(EXAMPLES / "pnl-2024-zh.csv"))
    assert result.exit_code == 0, result.output
    text = (site / "metrics/costs.csv").read_text(encoding="utf-8")
    assert len(text.splitlines()) == 1 + 6 * 12 and "合计" not in text and "营业收入" not in text


def test_methodology_and_open_data_state_the_rates(runner: CliRunner, make_site) -> None:
    config = CONFIG + "  files:\n    costs: {currency: CNY}\n"
    site = make_site({"metrics/mrr.csv": "month,mrr\n2024-01,100\n2024-02,100\n",
                      "metrics/costs.csv": "month,category,amount\n2024-01,房租,1000\n2024-02,房租,1000\n",
                      "metrics/fx.csv": "month,currency,rate\n2024-01,CNY,0.14\n2024-02,CNY,0.15\n"}, config=config)
    result = runner.invoke(main, ["build", "-s", str(site)])
    assert result.exit_code == 0, result.output
    page = (site / "output/metrics/methodology/index.html").read_text(encoding="utf-8")
    assert 'id="currencies"' in page and "<td>CNY</td><td>0.15</td>" in page and "<code>costs.csv</code>" in page
    assert "<td>EUR</td><td>1.08</td>" in page and "every month" in page
    data = (site / "output/data/metrics.json").read_text(encoding="utf-8")
    assert '{"currency": "CNY", "month": "2024-02", "rate": 0.15, "source": "fx.csv", "files": ["costs"]}' in data
    assert "costs.csv" not in (site / "output/data/metrics.csv").read_text()
    assert "2024-02,100.00" in (site / "output/data/metrics.csv").read_text()


def test_rewritten_files_keep_the_sites_headers_and_encoding(runner: CliRunner, make_site, export) -> None:
    config = CONFIG + "  files:\n    churn: {encoding: gb18030, columns: {customers: 客户数}}\n"
    site = make_site({"metrics/churn.csv": "month,客户数,new_customers,churned_customers\n2024-01,1,1,0\n".encode("gb18030")},
                     config=config)
    result = _import(runner, site, "events", str(export(EVENTS)))
    assert result.exit_code == 0, result.output
    assert (site / "metrics/churn.csv").read_bytes().decode("gb18030").splitlines() == [
        "month,客户数,new_customers,churned_customers,reactivated_customers",
        "2024-01,1,1,0,0", "2024-02,2,1,0,0", "2024-03,1,0,1,0"]
    assert runner.invoke(main, ["build", "-s", str(site)]).exit_code == 0


def test_a_missing_export_is_an_error_with_a_hint(runner: CliRunner, make_site, tmp_path: Path) -> None:
    result = _import(runner, make_site(config=CONFIG), "stripe", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 1 and "cannot read the file" in result.output and "Downloads folder" in result.output


@pytest.mark.parametrize("flags", [["--force"], ["--dry-run"], []])
def test_a_metrics_file_that_is_a_symbolic_link_is_refused_at_its_path(runner: CliRunner, make_site, export,
                                                                      tmp_path: Path, flags: list[str]) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("month,mrr\n2023-12,5\n")
    site = make_site(config=CONFIG)
    (site / "metrics").mkdir()
    (site / "metrics/mrr.csv").symlink_to(outside)

    result = _import(runner, site, "events", str(export(EVENTS)), *flags)

    assert result.exit_code == 1, result.output
    assert "metrics/mrr.csv: error: an import never writes through a symbolic link" in result.output
    assert "Traceback" not in result.output
    assert outside.read_text() == "month,mrr\n2023-12,5\n" and (site / "metrics/mrr.csv").is_symlink()
    assert not (site / "metrics/churn.csv").exists()


@pytest.mark.parametrize(("data", "expected"), [
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "spreadsheet workbook"),
    (b"date,customer,mrr\n2024-01-10,a,10\n\x00\x01\x02\xff" * 3, "export.csv:3: error: this file holds binary data"),
])
def test_a_binary_export_is_refused_before_it_is_parsed(runner: CliRunner, make_site, export, data: bytes,
                                                       expected: str) -> None:
    site = make_site(config=CONFIG)
    result = _import(runner, site, "events", str(export(data)))
    assert result.exit_code == 1 and expected in result.output and "Traceback" not in result.output


def test_an_endless_file_is_refused_within_a_second(runner: CliRunner, make_site) -> None:
    import time

    site = make_site(config=CONFIG)
    start = time.monotonic()
    result = _import(runner, site, "events", "/dev/zero")
    assert time.monotonic() - start < 5  # generous: the refusal reads nothing; /dev/zero used to be read forever
    assert result.exit_code == 1 and "not a file but a device, pipe or folder" in result.output


def test_a_date_far_in_the_future_is_a_typo_at_its_line(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    typo = EVENTS + "2099-02-10,c,40\n"
    result = runner.invoke(main, ["import", "events", str(export(typo)), "-s", str(site)],
                           env={"SOURCE_DATE_EPOCH": "1717200000"})  # June 2024
    assert result.exit_code == 1, result.output
    assert "export.csv:5:" in result.output and "'2099-02-10' is more than 12 months after this month" in result.output
    assert "up to 2025-06" in result.output and not (site / "metrics").exists()
    near = runner.invoke(main, ["import", "events", str(export(EVENTS + "2025-06-10,c,40\n")), "-s", str(site)],
                         env={"SOURCE_DATE_EPOCH": "1717200000"})
    assert near.exit_code == 0, near.output


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib", "undefined"])
def test_encoding_must_be_a_text_encoding(runner: CliRunner, make_site, export, encoding: str) -> None:
    result = _import(runner, make_site(config=CONFIG), "events", str(export(EVENTS)), "--encoding", encoding)
    assert result.exit_code == 2 and "is not a text encoding" in result.output and "Traceback" not in result.output


def test_dry_run_into_a_closed_pipe_exits_quietly(make_site, export) -> None:
    """`opensite import … --dry-run | head -1`: the reader leaves early; no traceback, no internal error."""
    import subprocess
    import sys

    site = make_site(config=CONFIG)
    process = subprocess.Popen([sys.executable, "-m", "generator", "import", "events", str(export(EVENTS)), "-s",
                                str(site), "--dry-run"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # like head after its first line: every write now fails with EPIPE
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "internal error" not in stderr and "Exception ignored" not in stderr
def test_pnl_twice_keeps_a_hand_added_row_and_imports_a_sheet_with_two_title_lines(runner: CliRunner, make_site,
                                                                                  export) -> None:
    config = CONFIG.replace("  fx: {EUR: 1.08}\n", "  fx: {CNY: 0.14}\n  files:\n    costs: {currency: CNY}\n")
    site = make_site(config=config)
    sheet = export("某某科技 利润表,,\n单位：元,,\n科目,2024年1月,2024年2月\n工资,1000,2000\n房租,500,500\n")
    first = _import(runner, site, "pnl", str(sheet))
    assert first.exit_code == 0, first.output
    assert "Skipped 2 title lines above the header (line 3)." in first.output
    costs = site / "metrics/costs.csv"
    costs.write_text(costs.read_text() + "2024-01,AWS,120.00,USD,\n2024-02,AWS,130.00,USD,\n")  # the founder's USD bills
    before = costs.read_bytes()
    again = _import(runner, site, "pnl", str(sheet))
    assert again.exit_code == 0 and "Nothing changed" in again.output
    assert costs.read_bytes() == before
    changed = export("某某科技 利润表,,\n单位：元,,\n科目,2024年1月,2024年2月,2024年3月\n工资,1000,2000,2500\n房租,500,500,500\n")
    later = _import(runner, site, "pnl", str(changed))
    assert later.exit_code == 0, later.output
    lines = costs.read_text().splitlines()
    assert "2024-01,AWS,120.00,USD," in lines and "2024-02,AWS,130.00,USD," in lines
    assert "2024-03,工资,2500,CNY,pnl" in lines and len(lines) == 1 + 6 + 2


def test_events_with_unknown_columns_name_them_not_no_rows(runner: CliRunner, make_site, export) -> None:
    site = make_site(config=CONFIG)
    result = _import(runner, site, "events", str(export("when,who,monthly\n2024-01-10,a,10\n")))
    assert result.exit_code == 1 and "no rows" not in result.output
    assert "missing columns 'date', 'customer', 'mrr'" in result.output and "the header has: when, who, monthly" \
        in result.output


def test_until_reads_no_later_event_so_needs_no_later_rate(runner: CliRunner, make_site, export) -> None:
    config = CONFIG.replace("  fx: {EUR: 1.08}\n", "")
    site = make_site({"metrics/fx.csv": "month,currency,rate\n2024-01,EUR,1.10\n2024-02,EUR,1.12\n"}, config=config)
    log = export("date,customer,mrr,currency\n2024-01-10,a,100,EUR\n2024-02-10,b,50,EUR\n2024-03-05,c,70,EUR\n")
    refused = _import(runner, site, "events", str(log))
    assert refused.exit_code == 1 and "no rate for EUR in 2024-03" in refused.output
    result = _import(runner, site, "events", str(log), "--until", "2024-02")
    assert result.exit_code == 0, result.output
    assert (site / "metrics/mrr.csv").read_text().splitlines()[1:] == [
        "2024-01,110.00,110.00,0.00,0.00,0.00,0.00", "2024-02,166.00,56.00,0.00,0.00,0.00,0.00"]


def test_rates_are_published_only_for_the_months_shown(runner: CliRunner, make_site) -> None:
    config = CONFIG + "  files:\n    costs: {currency: CNY}\n"
    site = make_site({"metrics/mrr.csv": "month,mrr\n2024-01,100\n2024-02,100\n",
                      "metrics/costs.csv": "month,category,amount\n2024-01,房租,1000\n2024-02,房租,1000\n",
                      "metrics/fx.csv": "month,currency,rate\n2023-12,CNY,0.13\n2024-01,CNY,0.14\n2024-02,CNY,0.15\n"
                                        "2024-03,CNY,0.16\n"}, config=config)
    result = runner.invoke(main, ["build", "-s", str(site)])
    assert result.exit_code == 0, result.output
    page = (site / "output/metrics/methodology/index.html").read_text(encoding="utf-8")
    data = (site / "output/data/metrics.json").read_text(encoding="utf-8")
    assert "<td>0.15</td>" in page and '"month": "2024-02"' in data
    for rate in ("0.13", "0.16"):
        assert f"<td>{rate}</td>" not in page and f'"rate": {rate}' not in data

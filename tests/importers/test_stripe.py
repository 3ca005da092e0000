"""The Stripe subscriptions export: which subscriptions count, from when, for how much."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support import stripe_csv

from generator.errors import MetricsError
from generator.importers.movements import compute_months
from generator.importers.records import ImportContext
from generator.importers.stripe import load_stripe_log
from generator.metrics.read.money import FxRates

CTX = ImportContext("USD", FxRates("USD", {"EUR": Decimal("1.08")}), ZoneInfo("UTC"))


def _months(export, rows, ctx: ImportContext = CTX):
    return compute_months(load_stripe_log(export(stripe_csv(rows)), ctx), ctx.zone).rows


def _mrr(rows) -> list[str]:
    return [f"{row.month:%Y-%m} {row.mrr}" for row in rows]


def test_annual_quantity_and_interval_count_normalise_to_a_month(export) -> None:
    rows = _months(export, [
        {"Interval": "year", "Amount": "1200.00", "Start (UTC)": "2024-01-05 10:00"},        # 100
        {"Quantity": "3", "Amount": "29.00", "Start (UTC)": "2024-01-06 10:00"},             # 87
        {"Interval Count": "3", "Amount": "90.00", "Start (UTC)": "2024-01-07 10:00"},       # 30
        {"Interval": "week", "Amount": "12.00", "Start (UTC)": "2024-01-08 10:00"},          # 12*52/12 = 52
        {"Interval": "day", "Amount": "1.20", "Start (UTC)": "2024-01-09 10:00"},            # 1.2*365/12 = 36.50
        {"Interval": "month", "Interval Count": "6", "Quantity": "2", "Amount": "33.00",
         "Start (UTC)": "2024-01-10 10:00"},                                                 # 66/6 = 11
    ])
    assert _mrr(rows) == ["2024-01 316.50"]
    assert rows[0].customers == 6 and rows[0].new == Decimal("316.50")


def test_trial_counts_from_its_end(export) -> None:
    rows = _months(export, [
        {"Status": "active", "Start (UTC)": "2024-01-20 09:00", "Trial Start (UTC)": "2024-01-20 09:00",
         "Trial End (UTC)": "2024-02-03 09:00", "Amount": "50.00"},
        {"Status": "trialing", "Start (UTC)": "2024-03-01 09:00", "Trial End (UTC)": "2024-03-29 09:00",
         "Amount": "40.00"},
        {"Status": "canceled", "Start (UTC)": "2024-02-10 09:00", "Trial End (UTC)": "2024-02-24 09:00",
         "Ended At (UTC)": "2024-02-20 00:00", "Canceled At (UTC)": "2024-02-19 00:00", "Amount": "70.00"},
    ])
    # Jan: the trial runs, nothing paid; the first month is Feb. The trialing one has not converted
    # by the latest event (its start, Mar 1), the canceled one never paid.
    assert _mrr(rows) == ["2024-02 50.00", "2024-03 50.00"]


def test_status_incomplete_never_counts_and_scheduled_cancellation_still_pays(export) -> None:
    log = load_stripe_log(export(stripe_csv([
        {"Status": "incomplete", "Start (UTC)": "2024-01-03 00:00"},
        {"Status": "incomplete_expired", "Start (UTC)": "2024-01-04 00:00"},
        {"Status": "active", "Start (UTC)": "2024-01-05 00:00", "Canceled At (UTC)": "2024-02-10 00:00"},
    ])), CTX)
    assert dict(log.skipped) == {"incomplete": 1, "incomplete_expired": 1}
    rows = compute_months(log, CTX.zone).rows
    assert _mrr(rows) == ["2024-01 10.00", "2024-02 10.00"]


def test_fx_converts_at_the_fixed_rate(export) -> None:
    rows = _months(export, [{"Currency": "eur", "Amount": "100.00", "Start (UTC)": "2024-01-05 00:00"},
                            {"Currency": "usd", "Amount": "10.00", "Start (UTC)": "2024-01-06 00:00"}])
    assert _mrr(rows) == ["2024-01 118.00"]


def test_fx_monthly_rates_apply_at_the_paid_start_month(export) -> None:
    rates = FxRates("USD", {}, {("EUR", date(2024, 1, 1)): Decimal("1.10"),
                                ("EUR", date(2024, 2, 1)): Decimal("1.20")})
    ctx = ImportContext("USD", rates, ZoneInfo("UTC"))
    rows = _months(export, [{"Currency": "eur", "Amount": "100.00", "Start (UTC)": "2024-01-05 00:00"},
                            {"Currency": "eur", "Amount": "10.00", "Start (UTC)": "2024-02-06 00:00"}], ctx)
    # the January subscription keeps January's rate in February: no exchange-rate expansion
    assert _mrr(rows) == ["2024-01 110.00", "2024-02 122.00"]
    assert rows[1].expansion == 0 and rows[1].new == 12


def test_rows_in_any_order_give_the_same_months(export) -> None:
    rows = [{"Customer ID": "cus_a", "Start (UTC)": "2024-01-05 00:00", "Ended At (UTC)": "2024-03-02 00:00"},
            {"Customer ID": "cus_a", "Start (UTC)": "2024-03-02 00:00", "Amount": "30.00"},
            {"Customer ID": "cus_b", "Start (UTC)": "2024-02-05 00:00", "Amount": "5.00"}]
    forward = _months(export, rows)
    backward = _months(export, list(reversed(rows)))
    assert forward == backward
    assert forward[2].expansion == 20 and forward[2].customers == 2


@pytest.mark.parametrize(("rows", "expected"), [
    ([{"Interval": "fortnight", "Start (UTC)": "2024-01-01 00:00"}],
     "export.csv:2:42: column 'Interval': 'fortnight' is not a billing interval (valid: day, week, month, year)"),
    ([{"Status": "zombie", "Start (UTC)": "2024-01-01 00:00"}],
     "export.csv:2:33: column 'Status': 'zombie' is not a Stripe status (valid: active, past_due, unpaid, canceled"),
    ([{"Start (UTC)": "2024-03-01 00:00", "Ended At (UTC)": "2024-02-01 00:00"}],
     "export.csv:2:97: column 'Ended At (UTC)': it ended (2024-02-01 00:00) before it started (2024-03-01 00:00)"),
    ([{"Start (UTC)": "03/01/2024"}], "'03/01/2024' is not a date (write dates as 2024-03-05"),
    ([{"Amount": "1O.00", "Start (UTC)": "2024-01-01 00:00"}], "'1O.00' is not a number"),
    ([{"Currency": "gbp", "Start (UTC)": "2024-01-01 00:00"}],
     "export.csv:2:50: amounts in GBP need an exchange rate to USD (first amount on this line) (add 'fx: {GBP:"),
    ([{"Amount": "€10.00", "Start (UTC)": "2024-01-01 00:00"}],
     "column 'Amount': '€10.00' is in EUR, but the amounts of this row are in USD"),
    ([{"Quantity": "1.5", "Start (UTC)": "2024-01-01 00:00"}], "column 'Quantity': '1.5' is not a whole number"),
])
def test_bad_rows_are_reported_at_their_line(export, rows, expected: str) -> None:
    with pytest.raises(MetricsError) as caught:
        load_stripe_log(export(stripe_csv(rows)), CTX)
    shown = [d.format(export("x").parent) for d in caught.value.diagnostics]
    assert any(expected in text for text in shown), shown


def test_a_missing_column_names_the_columns_found_and_expected(export) -> None:
    with pytest.raises(MetricsError) as caught:
        load_stripe_log(export("id,Customer ID,Status,Amount\nsub_1,cus_1,active,10\n"), CTX)
    text = caught.value.diagnostics[0].format()
    assert "missing columns 'interval', 'start_(utc)'" in text
    assert "the header has: id, Customer ID, Status, Amount" in text and "expected: id, Customer ID" in text


@pytest.mark.parametrize(("header", "kind"), [
    ("id,Amount Due,Amount Paid,Customer,Status", "invoices"),
    ("id,Amount,Amount Refunded,Captured,Customer ID", "payments"),
    ("id,Email,Name,Created (UTC),Delinquent", "customers"),
])
def test_the_wrong_stripe_export_says_which_one_is_needed(export, header: str, kind: str) -> None:
    with pytest.raises(MetricsError) as caught:
        load_stripe_log(export(header + "\nx,1,2,3,4\n"), CTX)
    text = caught.value.diagnostics[0].format()
    assert f"this looks like a Stripe {kind} export" in text and "Billing → Subscriptions → Export" in text


def test_the_same_subscription_twice_names_both_lines(export) -> None:
    text = stripe_csv([{"id": "sub_x", "Start (UTC)": "2024-01-01 00:00"}, {"id": "sub_x", "Start (UTC)": "2024-01-02 00:00"}])
    with pytest.raises(MetricsError, match="on lines 2 and 3"):
        load_stripe_log(export(text), CTX)


def test_errors_never_show_customer_ids(export) -> None:
    text = stripe_csv([{"Customer ID": "cus_SECRET", "Customer Email": "secret@example.com", "Interval": "x",
                        "Start (UTC)": "bad"}])
    with pytest.raises(MetricsError) as caught:
        load_stripe_log(export(text), CTX)
    shown = str(caught.value)
    assert "cus_SECRET" not in shown and "secret@" not in shown


def test_header_names_are_matched_case_insensitively_and_start_date_is_read(export, tmp_path: Path) -> None:
    text = ("ID,CUSTOMER ID,status,interval,amount,currency,START DATE (UTC)\n"
            "sub_1,cus_1,active,month,25.00,usd,2024-01-02 03:04:05\n")
    rows = compute_months(load_stripe_log(export(text), CTX), CTX.zone).rows
    assert _mrr(rows) == ["2024-01 25.00"]


LINES = ("Invoice ID,Invoice Status,Line Item ID,Subscription,Customer,Period Start (UTC),Period End (UTC),Amount,"
         "Currency,Quantity,Proration\n"
         "in_1,paid,il_1,sub_1,cus_1,2024-01-05 10:00,2024-02-05 10:00,49.00,usd,1,false\n"
         "in_2,paid,il_2,sub_1,cus_1,2024-02-05 10:00,2024-03-05 10:00,49.00,usd,1,false\n"
         "in_3,paid,il_3,sub_1,cus_1,2024-02-20 10:00,2024-03-05 10:00,-20.00,usd,1,true\n"
         "in_3,paid,il_4,sub_1,cus_1,2024-02-20 10:00,2024-03-05 10:00,81.00,usd,1,true\n"
         "in_4,paid,il_5,sub_1,cus_1,2024-03-05 10:00,2024-04-05 10:00,199.00,usd,1,false\n"
         "in_5,void,il_6,sub_1,cus_1,2024-03-06 10:00,2024-04-06 10:00,999.00,usd,1,false\n"
         "in_6,paid,il_7,,cus_1,2024-03-07 10:00,2024-03-07 10:00,30.00,usd,1,false\n"
         "in_7,paid,il_8,sub_2,cus_2,2024-01-10 10:00,2025-01-10 10:00,1200.00,usd,1,false\n")


def test_invoice_line_items_date_a_plan_change_inside_one_subscription(export) -> None:
    # sub_1 is on Business (199) now, but paid 49 until it upgraded on Feb 20 (the prorated line dates it);
    # sub_2 is annual (1,200 a year = 100 a month): its period's length says so
    subscriptions = export(stripe_csv([{"id": "sub_1", "Customer ID": "cus_1", "Amount": "199.00",
                                        "Start (UTC)": "2024-01-05 10:00"},
                                       {"id": "sub_2", "Customer ID": "cus_2", "Amount": "1200.00", "Interval": "year",
                                        "Start (UTC)": "2024-01-10 10:00", "Created (UTC)": "2024-03-20 00:00"}]))
    lines = export(LINES, "lines.csv")
    dated = compute_months(load_stripe_log(subscriptions, CTX, line_items=lines), CTX.zone).rows
    assert _mrr(dated) == ["2024-01 149.00", "2024-02 299.00", "2024-03 299.00"]
    assert dated[1].expansion == 150
    undated = compute_months(load_stripe_log(subscriptions, CTX), CTX.zone).rows
    assert _mrr(undated) == ["2024-01 299.00", "2024-02 299.00", "2024-03 299.00"]


def test_the_line_items_export_is_told_apart_by_its_header(runner, make_site, export) -> None:
    from generator.cli import main

    site = make_site(config="title: T\nbase_url: https://t.example/\ntimezone: UTC\n")
    subscriptions = export(stripe_csv([{"id": "sub_1", "Customer ID": "cus_1", "Amount": "199.00",
                                        "Start (UTC)": "2024-01-05 10:00", "Created (UTC)": "2024-03-20 00:00"}]))
    result = runner.invoke(main, ["import", "stripe", str(export(LINES, "lines.csv")), str(subscriptions), "-s",
                                  str(site)])
    assert result.exit_code == 0, result.output
    assert "2024-01,149.00,149.00" in (site / "metrics" / "mrr.csv").read_text()  # sub_2: from its lines alone

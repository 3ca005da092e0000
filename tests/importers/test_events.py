"""The plain subscription log: date, customer, mrr (or amount and interval), in any order."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator.errors import MetricsError
from generator.importers.events import load_events_log
from generator.importers.movements import compute_months
from generator.importers.records import ImportContext
from generator.metrics.read.money import FxRates

CTX = ImportContext("USD", FxRates("USD", {"CNY": Decimal("0.14")}), ZoneInfo("Asia/Shanghai"))


def _rows(export, text: str):
    return compute_months(load_events_log(export(text), CTX), CTX.zone).rows


def test_mrr_log_in_any_order(export) -> None:
    rows = _rows(export, "date,customer,mrr\n2024-03-10,acme,0\n2024-01-15,acme,100\n2024-02-01,bolt,40\n"
                         "2024-02-20,acme,150\n2024-04-02,acme,120\n")
    assert [(f"{r.month:%Y-%m}", r.mrr) for r in rows] == [("2024-01", 100), ("2024-02", 190), ("2024-03", 40),
                                                          ("2024-04", 160)]
    assert rows[1].expansion == 50 and rows[2].churned == 150 and rows[3].reactivation == 120
    assert rows[3].reactivated_customers == 1 and rows[3].new_customers == 0


def test_amount_and_interval_log_normalises_and_converts(export) -> None:
    text = ("date,customer,amount,interval,currency\n2024-01-05,a,1200,year,\n2024-01-06,b,300,quarter,usd\n"
            "2024-01-07,c,1000,month,CNY\n")
    rows = _rows(export, text)
    assert rows[0].mrr == Decimal("100") + Decimal("100") + Decimal("140") and rows[0].customers == 3


def test_dates_are_days_in_the_site_time_zone(export) -> None:
    # the change on 2024-02-01 (Shanghai) is in February: January ends at 100
    rows = _rows(export, "date,customer,mrr\n2024-01-10,a,100\n2024-02-01,a,130\n")
    assert [r.mrr for r in rows] == [100, 130]


def test_two_values_for_one_customer_on_one_date_name_both_lines(export) -> None:
    with pytest.raises(MetricsError, match="two different MRR values on the same date: lines 2 and 3"):
        load_events_log(export("date,customer,mrr\n2024-01-10,a,100\n2024-01-10,a,90\n"), CTX)


def test_repeated_identical_rows_are_harmless(export) -> None:
    rows = _rows(export, "date,customer,mrr\n2024-01-10,a,100\n2024-01-10,a,100\n")
    assert rows[0].mrr == 100 and rows[0].customers == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("date,customer,amount,interval\n2024-01-10,a,10,fortnight\n",
     "'fortnight' is not a billing interval (valid: day, week, month, quarter, year)"),
    ("date,customer,mrr\n2024-01-10,,10\n", "the customer is blank"),
    ("date,customer,mrr\n10.01.2024,a,10\n", "'10.01.2024' is not a date"),
    ("date,customer,mrr\n2024-01-10,a,-5\n", "-5 is negative"),
    ("date,client,revenue\n2024-01-10,a,5\n", "missing columns 'customer', 'mrr'"),
    ("date,customer,mrr,currency\n2024-01-10,a,5,EUR\n", "amounts in EUR need an exchange rate to USD"),
])
def test_bad_events_are_reported(export, text: str, expected: str) -> None:
    with pytest.raises(MetricsError) as caught:
        load_events_log(export(text), CTX)
    assert any(expected in d.format() for d in caught.value.diagnostics), [d.format() for d in caught.value.diagnostics]

"""Profit-and-loss sheets: categories down, months across, totals and income skipped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from generator.errors import MetricsError
from generator.importers.pnl import load_pnl_ledger
from generator.importers.records import ImportContext
from generator.metrics.read.money import FxRates

CTX = ImportContext("USD", FxRates("USD"), ZoneInfo("UTC"))


def _amounts(ledger) -> dict[tuple[str, str], Decimal]:
    return {(f"{row.month:%Y-%m}", row.category): row.amount for row in ledger.rows}


@pytest.mark.parametrize("months", ["2024年1月,2024年2月", "2024-01,2024-02", "Jan 2024,Feb 2024", "2024/1,2024/2"])
def test_month_headers_in_every_form(export, months: str) -> None:
    ledger = load_pnl_ledger(export(f"科目,{months}\n服务器,100,120\n"), CTX, "CNY")
    assert _amounts(ledger) == {("2024-01", "服务器"): 100, ("2024-02", "服务器"): 120}
    assert ledger.months == (date(2024, 1, 1), date(2024, 2, 1))


def test_totals_income_and_headings_are_skipped_not_double_counted(export) -> None:
    text = ("科目,2024年1月,2024年2月,合计\n"
            "营业收入,\"300,000.00\",\"320,000.00\",\n"
            "运营费用,,,\n"
            "工资,\"60,000.00\",\"61,000.00\",\"121,000.00\"\n"
            "房租,\"(1,000.00)\",\"12,000.00\",\"11,000.00\"\n"
            "小计,\"59,000.00\",\"73,000.00\",\n"
            ",\"59,000.00\",\"73,000.00\",\n"
            "合计,\"59,000.00\",\"73,000.00\",\"132,000.00\"\n")
    ledger = load_pnl_ledger(export(text), CTX, "CNY")
    assert _amounts(ledger) == {("2024-01", "工资"): 60000, ("2024-02", "工资"): 61000,
                                ("2024-01", "房租"): -1000, ("2024-02", "房租"): 12000}
    assert dict(ledger.skipped) == {"heading": 1, "income": 1, "total or subtotal": 3}


def test_english_sheet_with_total_row_and_column(export) -> None:
    text = "Category,Jan 2024,Feb 2024,Total\nHosting,$100,$110,$210\nTotal expenses,$100,$110,$210\n"
    ledger = load_pnl_ledger(export(text), CTX, "USD")
    assert _amounts(ledger) == {("2024-01", "Hosting"): 100, ("2024-02", "Hosting"): 110}


def test_symbol_contradicting_the_sheet_currency_is_an_error_at_its_cell(export) -> None:
    with pytest.raises(MetricsError) as caught:
        load_pnl_ledger(export("Category,2024-01\nRent,\"¥187,000.00\"\n"), CTX, "USD")
    text = caught.value.diagnostics[0].format()
    assert text.endswith(":2:6: column '2024-01': '¥187,000.00' is in CNY or JPY, but the amounts of this file are in "
                         "USD (declare the file's currency with 'currency: CNY' under metrics.files.costs in site.yaml, "
                         "or give the row a currency column)")


@pytest.mark.parametrize(("text", "expected"), [
    ("Category,Notes about Q1\nRent,100\n", "column 2 of the header, 'Notes about Q1', is not a month"),
    ("Category,Budget\nRent,100\n", "is not a month"),
    ("Category,2024-01,2024-01\nRent,1,2\n", "columns 2 and 3 are both"),
    ("Category,2024-01\nTotal,100\n", "the sheet has no cost rows"),
    ("Category,2024-01\nRent,abc\n", "'abc' is not a number"),
])
def test_bad_sheets_are_reported(export, text: str, expected: str) -> None:
    with pytest.raises(MetricsError) as caught:
        load_pnl_ledger(export(text), CTX, "USD")
    assert any(expected in d.format() for d in caught.value.diagnostics), [d.format() for d in caught.value.diagnostics]


def test_a_row_with_amounts_and_no_category_is_an_error_at_its_line(export) -> None:
    """A merged cell leaves the category blank: dropping the row would miss the sheet's own total (issue 22)."""
    text = "科目,2024年1月,2024年2月\n工资,100,100\n房租,50,50\n,30,30\n合计,180,180\n"
    with pytest.raises(MetricsError) as caught:
        load_pnl_ledger(export(text), CTX, "CNY")
    problem = caught.value.diagnostics[0]
    assert problem.line == 4 and "amounts but no category" in problem.message


def test_an_unlabelled_total_row_is_skipped_like_a_labelled_one(export) -> None:
    text = "科目,2024年1月,2024年2月\n工资,100,100\n房租,50,60\n,150,160\n"
    ledger = load_pnl_ledger(export(text), CTX, "CNY")
    assert sum(row.amount for row in ledger.rows) == 310 and ledger.skipped["total or subtotal"] == 1


def test_a_column_with_values_and_no_month_is_an_error_at_the_header(export) -> None:
    text = "科目,2024年1月,,2024年3月\n工资,100,100,100\n"
    with pytest.raises(MetricsError) as caught:
        load_pnl_ledger(export(text), CTX, "CNY")
    problem = caught.value.diagnostics[0]
    assert problem.line == 1 and "column 3 has values but no month" in problem.message


def test_an_empty_spacer_column_is_fine(export) -> None:
    ledger = load_pnl_ledger(export("科目,2024年1月,,2024年2月\n工资,100,,100\n"), CTX, "CNY")
    assert len(ledger.rows) == 2
def test_title_lines_above_the_header_are_skipped_and_counted(export) -> None:
    text = "杭州某某科技有限公司 利润表,,\n单位：元,,\n科目,2024年1月,2024年2月\n服务器,100,120\n"
    ledger = load_pnl_ledger(export(text), CTX, "CNY")
    assert _amounts(ledger) == {("2024-01", "服务器"): 100, ("2024-02", "服务器"): 120}
    assert ledger.title_lines == 2


def test_no_month_in_the_header_lists_every_month_form(export) -> None:
    with pytest.raises(MetricsError) as caught:
        load_pnl_ledger(export("Category,Budget,Plan\nRent,1,2\n"), CTX, "USD")
    text = caught.value.diagnostics[0].format()
    for form in ("2024-03", "2024/3", "Mar 2024", "2024年3月"):
        assert form in text

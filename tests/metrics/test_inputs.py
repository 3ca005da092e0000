"""Per-file loaders: each input quirk loads, each malformed input gives its message at file:line."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.read.costs import load_costs_file
from generator.metrics.read.inputs import load_cash_file, load_churn_file, load_mrr_file


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _only(problems: list[Diagnostic]) -> Diagnostic:
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


# mrr.csv ------------------------------------------------------------------------------------------

def test_load_mrr_file_reads_movements_as_magnitudes(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", """
        month,mrr,new,expansion,contraction,churned
        2024-01,1000,1000,0,0,0
        2024-02,1100,200,0,-20,-80
    """)
    mrr, problems = load_mrr_file(path, FileOptions(), False)
    assert problems == []
    assert mrr is not None and mrr.has_movements
    row = mrr.rows[1]
    assert (row.contraction, row.churned, row.reactivation) == (Decimal(20), Decimal(80), Decimal(0))


def test_load_mrr_file_without_movements(tmp_path: Path) -> None:
    mrr, problems = load_mrr_file(_file(tmp_path, "mrr.csv", "month,mrr,notes\n2024-01,100,launch\n"), FileOptions(), False)
    assert problems == [] and mrr is not None
    assert not mrr.has_movements and mrr.rows[0].new is None


def test_load_mrr_file_reads_every_month_format_and_blank_optional_cells(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", """
        Month,MRR,New,Expansion,Contraction,Churned,Reactivation
        2024-01,"$1,000.00",1000,,,,
        2024-02-17,"1,000",,,,,
        2024/3,1000,,,,,
        Apr 2024,1000,,,,,
    """)
    mrr, problems = load_mrr_file(path, FileOptions(), False)
    assert problems == [] and mrr is not None
    assert [row.month for row in mrr.rows] == [date(2024, m, 1) for m in (1, 2, 3, 4)]
    assert mrr.rows[1].new == 0 and mrr.rows[0].mrr == Decimal("1000.00")


def test_load_mrr_file_reads_semicolons_with_decimal_commas(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", "Monat;MRR\n2024-01;1.234,50\n")
    mrr, problems = load_mrr_file(path, FileOptions(columns={"month": "Monat"}), True)
    assert problems == [] and mrr is not None and mrr.rows[0].mrr == Decimal("1234.50")


def test_load_mrr_file_reports_negative_mrr_at_its_cell(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", "month,mrr\n2024-01,100\n2024-02,(250)\n")
    mrr, problems = load_mrr_file(path, FileOptions(), False)
    problem = _only(problems)
    assert problem.format(tmp_path) == "mrr.csv:3:9: column 'mrr': (250) is negative (mrr cannot be below 0)"
    assert mrr is not None and len(mrr.rows) == 1


@pytest.mark.parametrize("column", ["new", "expansion", "reactivation"])
def test_load_mrr_file_reports_negative_gains(tmp_path: Path, column: str) -> None:
    header = "month,mrr,new,expansion,contraction,churned,reactivation"
    values = {"new": "0", "expansion": "0", "reactivation": "0", column: "-5"}
    row = f"2024-01,100,{values['new']},{values['expansion']},0,0,{values['reactivation']}"
    _, problems = load_mrr_file(_file(tmp_path, "mrr.csv", f"{header}\n{row}\n"), FileOptions(), False)
    assert f"column '{column}': -5 is negative" in _only(problems).message


def test_load_mrr_file_reports_a_column_mixing_signs(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", """
        month,mrr,new,expansion,contraction,churned
        2024-01,100,100,0,0,0
        2024-02,100,30,0,0,30
        2024-03,100,30,0,0,-30
    """)
    _, problems = load_mrr_file(path, FileOptions(), False)
    problem = _only(problems)
    assert problem.line == 4
    assert "column 'churned' mixes signs: -30 here but 30 on line 3" in problem.message


def test_load_mrr_file_names_both_lines_of_a_duplicate_month(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", "month,mrr\n2024-01,100\n2024-02,120\nJan 2024,130\n")
    _, problems = load_mrr_file(path, FileOptions(), False)
    problem = _only(problems)
    assert problem.line == 4 and "month 2024-01 appears twice: lines 2 and 4" in problem.message


def test_load_mrr_file_reports_blank_required_and_bad_cells(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", "month,mrr\n2024-01,\n,100\n2024-03,12,5O0\n2024-04,\"12,5O0\"\n")
    _, problems = load_mrr_file(path, FileOptions(), False)
    messages = [(p.line, p.message) for p in problems]
    assert (2, "column 'mrr': the cell is blank") in messages
    assert (3, "column 'month': the month is blank") in messages
    assert (4, "the row has 3 cells but the header has 2") in messages
    assert (5, "column 'mrr': '12,5O0' is not a number") in messages


def test_load_mrr_file_requires_all_four_movement_columns(tmp_path: Path) -> None:
    path = _file(tmp_path, "mrr.csv", "month,mrr,new,churned\n2024-01,100,100,0\n")
    mrr, problems = load_mrr_file(path, FileOptions(), False)
    problem = _only(problems)
    assert mrr is None and problem.line == 1
    assert "found new, churned; missing expansion, contraction" in problem.message


def test_load_mrr_file_suggests_the_missing_column(tmp_path: Path) -> None:
    mrr, problems = load_mrr_file(_file(tmp_path, "mrr.csv", "month,mmr\n2024-01,1\n"), FileOptions(), False)
    problem = _only(problems)
    assert mrr is None and problem.message == "missing column 'mrr'"
    assert "did you mean 'mmr'?" in problem.hint and "columns: {mrr:" in problem.hint


# churn.csv ----------------------------------------------------------------------------------------

def test_load_churn_file_reads_counts(tmp_path: Path) -> None:
    path = _file(tmp_path, "churn.csv", """
        Month, Customers , New Customers,Churned Customers
        2024-01,10,10,0
        2024-02,"1,012",1003,-1
    """)
    churn, problems = load_churn_file(path, FileOptions(), False)
    assert problems == [] and churn is not None
    assert churn.rows[1].customers == 1012 and churn.rows[1].churned_customers == 1
    assert churn.rows[1].reactivated_customers == 0


@pytest.mark.parametrize(("cell", "message"), [
    ("12.5", "column 'customers': 12.5 is not a whole number"),
    ("-3", "column 'customers': -3 is negative"),
    ("", "column 'customers': the cell is blank"),
])
def test_load_churn_file_rejects_bad_customer_counts(tmp_path: Path, cell: str, message: str) -> None:
    path = _file(tmp_path, "churn.csv", f"month,customers,new_customers,churned_customers\n2024-01,{cell},0,0\n")
    _, problems = load_churn_file(path, FileOptions(), False)
    problem = _only(problems)
    assert problem.message == message and problem.line == 2


def test_load_churn_file_rejects_more_new_customers_than_the_month_can_hold(tmp_path: Path) -> None:
    path = _file(tmp_path, "churn.csv", "month,customers,new_customers,churned_customers\n2024-01,5,10,1\n")
    _, problems = load_churn_file(path, FileOptions(), False)
    assert "leaves -4 customers at the start of 2024-01" in _only(problems).message


def test_load_churn_file_names_both_lines_of_a_duplicate_month(tmp_path: Path) -> None:
    path = _file(tmp_path, "churn.csv", "month,customers,new_customers,churned_customers\n"
                                        "2024-01,1,1,0\n2024-01,1,1,0\n")
    _, problems = load_churn_file(path, FileOptions(), False)
    assert "appears twice: lines 2 and 3" in _only(problems).message


# costs.csv ----------------------------------------------------------------------------------------

def test_load_costs_file_long_form_adds_rows_up(tmp_path: Path) -> None:
    path = _file(tmp_path, "costs.csv", """
        month,category,amount
        2024-01,Hosting,100
        2024-01,hosting ,50.50
        2024-01,Payroll,"$2,000"
        2024-01,Hosting,(20)
        2024-02,Payroll,1000
    """)
    costs, problems = load_costs_file(path, FileOptions(), False)
    assert problems == [] and costs is not None
    assert dict(costs.categories) == {"hosting": "Hosting", "payroll": "Payroll"}
    assert dict(costs.amounts[date(2024, 1, 1)]) == {"hosting": Decimal("130.50"), "payroll": Decimal(2000)}
    assert dict(costs.amounts[date(2024, 2, 1)]) == {"hosting": Decimal(0), "payroll": Decimal(1000)}


def test_load_costs_file_wide_form(tmp_path: Path) -> None:
    path = _file(tmp_path, "costs.csv", "month\tCloud Hosting\tLegal & accounting\t\n2024-01\t100\t\t\n2024-02\t-10\t30\t\n")
    costs, problems = load_costs_file(path, FileOptions(), False)
    assert problems == [] and costs is not None
    assert dict(costs.categories) == {"cloud_hosting": "Cloud Hosting", "legal_accounting": "Legal & accounting"}
    assert costs.amounts[date(2024, 1, 1)]["legal_accounting"] == 0
    assert costs.amounts[date(2024, 2, 1)]["cloud_hosting"] == Decimal(-10)


def test_load_costs_file_rejects_a_total_column(tmp_path: Path) -> None:
    costs, problems = load_costs_file(_file(tmp_path, "costs.csv", "month,a,b,Total\n2024-01,1,2,3\n"), FileOptions(), False)
    assert costs is None and "column 'Total' looks like a total" in _only(problems).message


def test_load_costs_file_rejects_a_value_under_a_blank_header(tmp_path: Path) -> None:
    _, problems = load_costs_file(_file(tmp_path, "costs.csv", "month,a,\n2024-01,1,2\n"), FileOptions(), False)
    assert "cell 3 holds '2' but its column has no name" in _only(problems).message


def test_load_costs_file_reports_blank_category_and_amount(tmp_path: Path) -> None:
    path = _file(tmp_path, "costs.csv", "month,category,amount\n2024-01,,5\n2024-01,Hosting,\n2024-01,Total,9\n")
    _, problems = load_costs_file(path, FileOptions(), False)
    assert [(p.line, p.message) for p in problems] == [
        (2, "column 'category': the category is blank"),
        (3, "column 'amount': the cell is blank"),
        (4, "column 'category': 'Total' looks like a total row"),
    ]


def test_load_costs_file_warns_when_every_amount_is_negative(tmp_path: Path) -> None:
    path = _file(tmp_path, "costs.csv", "month,category,amount\n2024-01,Hosting,-100\n")
    costs, problems = load_costs_file(path, FileOptions(), False)
    assert costs is not None and _only(problems).severity == "warning"


def test_load_costs_file_needs_category_and_amount_together(tmp_path: Path) -> None:
    costs, problems = load_costs_file(_file(tmp_path, "costs.csv", "month,category\n2024-01,x\n"), FileOptions(), False)
    assert costs is None and _only(problems).message == "missing column 'amount'"


# cash.csv -----------------------------------------------------------------------------------------

def test_load_cash_file_allows_a_negative_balance(tmp_path: Path) -> None:
    cash, problems = load_cash_file(_file(tmp_path, "cash.csv", "month,balance\n2024-01,(500.25)\n"), FileOptions(), False)
    assert problems == [] and cash is not None and cash.rows[0].balance == Decimal("-500.25")


def test_load_cash_file_names_both_lines_of_a_duplicate_month(tmp_path: Path) -> None:
    cash, problems = load_cash_file(_file(tmp_path, "cash.csv", "month,balance\n2024-01,1\n2024-02,1\n2024/1,2\n"),
                                    FileOptions(), False)
    assert "month 2024-01 appears twice: lines 2 and 4" in _only(problems).message
    assert cash is not None and [r.balance for r in cash.rows] == [1, 1]

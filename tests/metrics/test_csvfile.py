"""Reading CSV exports as spreadsheets write them: encodings, delimiters, headers, numbers, months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.metrics import FileOptions
from generator.metrics.read.csvfile import (
    load_csv,
    normalize_header,
    parse_month,
    parse_number,
    sniff_delimiter,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("12500", "12500"),
    ("12,500.50", "12500.50"),
    ("$12,500", "12500"),
    ("¥12,500", "12500"),
    ("(1,200)", "-1200"),
    ("-1200", "-1200"),
    ("-$1,200.25", "-1200.25"),
    ("$-1,200", "-1200"),
    ("USD 1,000", "1000"),
    ("1,000 €", "1000"),
    (" 42 ", "42"),
    ("0.5", "0.5"),
    ("1'234.50", "1234.50"),
    ("$ -", "0"),
])
def test_parse_number_reads_spreadsheet_formats(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("12.500,50", "12500.50"),
    ("1 234,5", "1234.5"),
    ("(1.200)", "-1200"),
    ("€ 99,90", "99.90"),
    ("12500", "12500"),
])
def test_parse_number_reads_decimal_commas_when_configured(text: str, expected: str) -> None:
    assert parse_number(text, decimal_comma=True) == Decimal(expected)


@pytest.mark.parametrize(("text", "hint"), [
    ("12,5O0", "write a number such as 12500"),
    ("12,5", "decimal_comma: true"),
    ("1.234,50", "decimal_comma: true"),
    ("5%", "write a number"),
    ("1,23,456", "write a number"),
    ("twelve", "write a number"),
    ("1" + "0" * 15, "must stay below"),
    ("$1,000,000,000,000,000,000", "must stay below"),
])
def test_parse_number_rejects_non_numbers_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        parse_number(text)


def test_parse_number_never_goes_through_float() -> None:
    assert parse_number("0.1") + parse_number("0.2") == Decimal("0.3")


@pytest.mark.parametrize("text", ["2024-03", "2024-3", "2024-03-17", "2024-03-31 00:00:00", "2024/3", "2024/03/17",
                                  "Mar 2024", "March 2024", "mar-2024", "Mar. 2024", "2024年3月", "2024年3月17日"])
def test_parse_month_reads_each_format_as_the_first_of_the_month(text: str) -> None:
    assert parse_month(text) == date(2024, 3, 1)


@pytest.mark.parametrize(("text", "hint"), [
    ("2024-13", "write months as 2024-03"),
    ("2024-02-30", "not a real date"),
    ("3/1/2024", "write the year first"),
    ("03/2024", "write the year first"),
    ("Foo 2024", "write months as 2024-03"),
    ("", "write months as 2024-03"),
])
def test_parse_month_rejects_other_text_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        parse_month(text)


@pytest.mark.parametrize(("header", "delimiter"), [
    ("month,mrr", ","), ("month;mrr", ";"), ("month\tmrr", "\t"), ('"month, end";mrr', ";"), ("month", ","),
])
def test_sniff_delimiter_picks_the_header_delimiter(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header) == delimiter


@pytest.mark.parametrize(("written", "key"), [
    ("Month", "month"), ("  MRR ", "mrr"), ("New Customers", "new_customers"), ("churned-customers", "churned_customers"),
])
def test_normalize_header_ignores_case_spaces_and_separators(written: str, key: str) -> None:
    assert normalize_header(written) == key


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "mrr.csv"
    path.write_bytes(data)
    return path


def test_load_csv_drops_a_utf8_bom(tmp_path: Path) -> None:
    table, problems = load_csv(_write(tmp_path, "\ufeffmonth,mrr\n2024-01,100\n".encode()), "mrr", FileOptions())
    assert problems == []
    assert table is not None and table.keys == ("month", "mrr")


@pytest.mark.parametrize("text", ["Month;MRR\r\n2024-01;100\r\n", "MONTH\tMrr\n2024-01\t100\n", " month , mrr \n2024-01,100\n"])
def test_load_csv_detects_delimiter_and_loose_headers(tmp_path: Path, text: str) -> None:
    table, problems = load_csv(_write(tmp_path, text.encode()), "mrr", FileOptions())
    assert problems == []
    assert table is not None and table.keys == ("month", "mrr")
    assert table.cell(table.rows[0], "mrr") == "100"


def test_load_csv_counts_lines_across_blank_lines(tmp_path: Path) -> None:
    table, _ = load_csv(_write(tmp_path, b"\nmonth,mrr\n\n2024-01,100\n,\n2024-02,200\n"), "mrr", FileOptions())
    assert table is not None
    assert table.header_line == 2
    assert [row.line for row in table.rows] == [4, 6]


def test_load_csv_applies_columns_mapping(tmp_path: Path) -> None:
    options = FileOptions(columns={"mrr": "MRR ($)", "month": "Period"})
    table, problems = load_csv(_write(tmp_path, b"Period,MRR ($),Notes\n2024-01,100,x\n"), "mrr", options)
    assert problems == []
    assert table is not None and table.keys == ("month", "mrr", "notes")
    assert table.written("mrr") == "MRR ($)"


def test_load_csv_reports_a_mapped_column_missing_from_the_header(tmp_path: Path) -> None:
    options = FileOptions(columns={"mrr": "MRR ($)"})
    table, problems = load_csv(_write(tmp_path, b"month,MRR (USD)\n2024-01,100\n"), "mrr", options)
    assert table is None
    [problem] = problems
    assert (problem.line, problem.path.name) == (1, "mrr.csv")
    assert "'MRR ($)'" in problem.message and "metrics.files.mrr.columns.mrr" in problem.message
    assert "did you mean 'MRR (USD)'?" in problem.hint


@pytest.mark.parametrize("data", [b"", b"\n\n", b"  \r\n"])
def test_load_csv_reports_an_empty_file(tmp_path: Path, data: bytes) -> None:
    table, [problem] = load_csv(_write(tmp_path, data), "mrr", FileOptions())
    assert table is None
    assert problem.message == "the file is empty"
    assert problem.line == 1 and "month,mrr" in problem.hint


def test_load_csv_reports_undecodable_bytes_and_suggests_gb18030(tmp_path: Path) -> None:
    data = "month,category,amount\n2024-01,服务器,100\n".encode("gb18030")
    path = tmp_path / "costs.csv"
    path.write_bytes(data)
    table, [problem] = load_csv(path, "costs", FileOptions())
    assert table is None
    assert (problem.line, problem.column) == (2, 9)
    assert "cannot be read as utf-8" in problem.message
    assert "encoding: gb18030" in problem.hint and "metrics.files.costs" in problem.hint
    assert problem.format(tmp_path).startswith("costs.csv:2:9: ")


def test_load_csv_recognises_utf16_exports(tmp_path: Path) -> None:
    table, [problem] = load_csv(_write(tmp_path, "month\tmrr\n2024-01\t1\n".encode("utf-16")), "mrr", FileOptions())
    assert table is None and "add 'encoding: utf-16'" in problem.hint
    table, problems = load_csv(tmp_path / "mrr.csv", "mrr", FileOptions(encoding="utf-16"))
    assert problems == [] and table is not None and table.keys == ("month", "mrr")


def test_load_csv_reads_gb18030_when_configured(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    path.write_bytes("月份,类别,金额\n2024-01,服务器,100\n".encode("gb18030"))
    options = FileOptions(encoding="gb18030", columns={"month": "月份", "category": "类别", "amount": "金额"})
    table, problems = load_csv(path, "costs", options)
    assert problems == []
    assert table is not None and table.cell(table.rows[0], "category") == "服务器"


def test_load_csv_explains_a_row_wider_than_its_header(tmp_path: Path) -> None:
    table, [problem] = load_csv(_write(tmp_path, b"month,mrr\n2024-01,12,500\n2024-02,100\n"), "mrr", FileOptions())
    assert table is not None and len(table.rows) == 1
    assert problem.line == 2 and "3 cells but the header has 2" in problem.message
    assert 'quote numbers that contain commas, e.g. "12,500"' in problem.hint


def test_load_csv_reads_quoted_thousands(tmp_path: Path) -> None:
    table, problems = load_csv(_write(tmp_path, b'month,mrr\n2024-01,"12,500"\n'), "mrr", FileOptions())
    assert problems == [] and table is not None
    assert table.cell(table.rows[0], "mrr") == "12,500"


def test_load_csv_reports_duplicate_header_columns(tmp_path: Path) -> None:
    table, [problem] = load_csv(_write(tmp_path, b"month,MRR,mrr\n2024-01,1,2\n"), "mrr", FileOptions())
    assert table is None and problem.line == 1 and "columns 2 and 3 are both 'mrr'" in problem.message


def test_csv_table_problem_points_at_the_cell_column(tmp_path: Path) -> None:
    table, _ = load_csv(_write(tmp_path, b'month,"a,b",mrr\n2024-01,"x,y",oops\n'), "mrr", FileOptions())
    assert table is not None
    assert table.problem(2, "mrr", "bad").column == 15

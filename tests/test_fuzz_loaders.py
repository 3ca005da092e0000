"""Hypothesis feeds random bytes, front matter and CSV cells to the loaders: a clean error or a result, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.config.metrics import FileOptions
from generator.config.schema import ConfigDocument
from generator.content.frontmatter import parse_front_matter
from generator.errors import GeneratorError
from generator.metrics.read.csvfile import load_csv, parse_month, parse_number
from generator.metrics.read.inputs import load_mrr_file

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
YAML_TEXT = st.lists(st.sampled_from([*"ab:- \n\t'\"[]{}&*!|>#%@,?\x00\x1b", "title", "é", "中", "&a ", "*a"]),
                     max_size=80).map("".join)


@FAST
@given(data=st.binary(max_size=400))
def test_site_yaml_of_random_bytes_loads_or_fails_cleanly(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "site.yaml").write_bytes(data)
    try:
        load_config(tmp_path, environ={})
    except GeneratorError as error:
        assert error.diagnostics and all(d.message for d in error.diagnostics)


@FAST
@given(text=YAML_TEXT)
def test_yaml_documents_parse_or_report_a_located_problem(text: str) -> None:
    doc = ConfigDocument.parse(Path("site.yaml"), text)
    assert all(p.path == Path("site.yaml") for p in doc.problems)


@FAST
@given(block=YAML_TEXT, fence=st.sampled_from(["---", "+++"]))
def test_random_front_matter_parses_or_raises_a_content_error(block: str, fence: str) -> None:
    try:
        front = parse_front_matter(f"{fence}\n{block}\n{fence}\nBody.\n", Path("post.md"))
    except GeneratorError as error:
        assert error.diagnostics[0].path == Path("post.md")
    else:
        assert isinstance(front.data, dict)


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@FAST
@given(rows=st.lists(st.tuples(CELL, CELL), max_size=8))
def test_mrr_csv_with_random_cells_loads_or_reports_problems(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    path = tmp_path / "mrr.csv"
    path.write_text("month,mrr\n" + "".join(f'"{m.replace(chr(34), "")}","{v.replace(chr(34), "")}"\n'
                                           for m, v in rows), encoding="utf-8")
    loaded, problems = load_mrr_file(path, FileOptions(), False)
    assert loaded is not None or problems


@FAST
@given(data=st.binary(max_size=400))
def test_csv_of_random_bytes_loads_or_reports_problems(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "costs.csv"
    path.write_bytes(data)
    table, problems = load_csv(path, "costs", FileOptions())
    assert table is not None or problems


@FAST
@given(text=CELL, decimal_comma=st.booleans())
def test_cell_parsers_return_a_value_or_raise_value_error(text: str, decimal_comma: bool) -> None:
    for parse in (lambda t: parse_number(t, decimal_comma=decimal_comma), parse_month):
        try:
            parse(text)
        except ValueError as error:
            assert str(error)

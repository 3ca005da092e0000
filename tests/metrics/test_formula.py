"""The formula language of custom metrics: precedence, prev, windows, nulls, every error, and a property test."""

from __future__ import annotations

from decimal import Decimal, DivisionByZero, InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.metrics.compute.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    FormulaError,
    evaluate_formula,
    formula_references,
    parse_formula,
    render_formula,
)
from generator.registry import MonthView, NullReason, Undefined

MISSING = (None, NullReason.MISSING_INPUT)
COLUMNS = {
    # months 0, 1, 2, 3
    "a": [(Decimal(10), None), (Decimal(20), None), (Decimal(30), None), (Decimal(40), None)],
    "b": [(Decimal(2), None), (Decimal(0), None), (Decimal(5), None), (Decimal(8), None)],
    "gap": [(Decimal(1), None), MISSING, (Decimal(3), None), (Decimal(6), None)],
    "zero": [(None, NullReason.ZERO_DENOMINATOR)] * 4,
}


def value(text: str, month: int = 2) -> Decimal | NullReason:
    """Evaluate `text` in `month` of COLUMNS; a null comes back as its reason."""
    view = MonthView(month, COLUMNS, frozenset(COLUMNS), ltv_churn_months=6)
    try:
        return evaluate_formula(parse_formula(text), view)
    except Undefined as undefined:
        return undefined.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("1 + 2 * 3", Decimal(7)),          # * before +
    ("(1 + 2) * 3", Decimal(9)),
    ("10 - 4 - 3", Decimal(3)),         # left to right: (10 − 4) − 3
    ("8 / 2 / 2", Decimal(2)),          # (8 / 2) / 2, not 8 / (2 / 2)
    ("2 * 3 / 4", Decimal("1.5")),
    ("-2 * 3", Decimal(-6)),
    ("-(1 - 4)", Decimal(3)),
    ("2 - -3", Decimal(5)),
    ("+4", Decimal(4)),
    ("0.5 * a", Decimal(15)),           # a = 30 in month 2
    ("a / b", Decimal(6)),              # 30 / 5
    ("a - b * 2", Decimal(20)),         # 30 − 10
    ("(a - b) * 2", Decimal(50)),
])
def test_evaluate_formula_follows_arithmetic_precedence(text: str, expected: Decimal) -> None:
    assert value(text) == expected


def test_prev_reads_the_month_before() -> None:
    assert value("a - prev(a)") == Decimal(10)                       # 30 − 20
    assert value("(a - prev(a)) / prev(a)") == Decimal("0.5")        # 10 / 20
    assert value("a - prev(a)", month=0) is NullReason.NO_PREVIOUS_MONTH
    assert value("prev(gap)", month=2) is NullReason.NO_PREVIOUS_MONTH  # month 1 of gap has no value


def test_sum_needs_the_whole_window() -> None:
    assert value("sum(a, 3)") == Decimal(60)                          # 10 + 20 + 30
    assert value("sum(a, 1)") == Decimal(30)
    assert value("sum(a, 4)", month=2) is NullReason.INSUFFICIENT_HISTORY
    assert value("sum(gap, 2)", month=2) is NullReason.MISSING_INPUT  # the window holds month 1's gap
    assert value("sum(gap, 2)", month=3) == Decimal(9)                # 3 + 6


def test_mean_averages_the_defined_months_of_the_window() -> None:
    assert value("mean(a, 3)") == Decimal(20)                         # (10 + 20 + 30) / 3
    assert value("mean(a, 12)", month=1) == Decimal(15)               # only two months exist yet
    assert value("mean(gap, 3)", month=2) == Decimal(2)               # (1 + 3) / 2, the gap skipped
    assert value("mean(zero, 3)") is NullReason.ZERO_DENOMINATOR      # nothing defined: the month's own reason


def test_nulls_carry_the_reason_of_the_first_undefined_input() -> None:
    assert value("a / b", month=1) is NullReason.ZERO_DENOMINATOR     # b = 0 in month 1
    assert value("gap + 1", month=1) is NullReason.MISSING_INPUT
    assert value("zero + gap", month=1) is NullReason.ZERO_DENOMINATOR  # read first
    assert value("gap + zero", month=1) is NullReason.MISSING_INPUT
    assert value("gap / 0", month=1) is NullReason.MISSING_INPUT      # the input is read before dividing
    assert value("1 / (a - a)") is NullReason.ZERO_DENOMINATOR
    assert value("0 * gap", month=1) is NullReason.MISSING_INPUT      # no value times 0 is still no value


@pytest.mark.parametrize(("text", "message", "position"), [
    ("", "the formula is empty", 1),
    ("   ", "the formula is empty", 1),
    ("a $ b", "unexpected character '$'", 3),
    ("a + 1e5", "expected an operator (+ - * /) or the end of the formula, found 'e5'", 6),
    ("a b", "expected an operator (+ - * /) or the end of the formula, found 'b'", 3),
    ("a +", "the formula ends early: expected a number, a metric id or '('", 4),
    ("(a + b", "the formula ends early: expected a closing parenthesis ')'", 7),
    ("a + b)", "expected an operator (+ - * /) or the end of the formula, found ')'", 6),
    ("* a", "expected a number, a metric id or '(', found '*'", 1),
    ("max(a, 2)", "unknown function 'max'", 1),
    ("prev + 1", "prev needs parentheses", 5),
    ("prev(1)", "prev() takes a metric id, found '1'", 6),
    ("prev(a, 2)", "expected ')' after the metric id: prev() takes one metric id, found ','", 7),
    ("sum(a)", "expected ',' and a number of months: sum(id, months), found ')'", 6),
    ("sum(a, 0)", "sum() needs a whole number of months from 1 to 120, found '0'", 8),
    ("mean(a, 1.5)", "mean() needs a whole number of months from 1 to 120, found '1.5'", 9),
    ("sum(a, 121)", "sum() needs a whole number of months from 1 to 120, found '121'", 8),
    ("sum(a, b)", "sum() needs a whole number of months from 1 to 120, found 'b'", 8),
    ("sum(prev(a), 2)", "sum() takes a metric id, found 'prev'", 5),
    ("a,b", "expected an operator (+ - * /) or the end of the formula, found ','", 2),
    ("1 +" + " 1 +" * (MAX_LENGTH // 4) + " 1", f"the formula is longer than {MAX_LENGTH} characters", MAX_LENGTH + 1),
    ("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1), f"the formula nests deeper than {MAX_DEPTH} levels",
     MAX_DEPTH + 1),
])
def test_parse_formula_reports_each_mistake_with_its_character(text: str, message: str, position: int) -> None:
    with pytest.raises(FormulaError) as error:
        parse_formula(text)
    assert (error.value.message, error.value.position) == (message, position)
    assert error.value.hint


def test_formula_references_lists_ids_in_reading_order() -> None:
    expression = parse_formula("referrals / signups + prev(signups) - sum(costs.hosting, 3)")
    assert list(formula_references(expression)) == [("referrals", 1), ("signups", 13), ("signups", 28),
                                                      ("costs.hosting", 43)]


@pytest.mark.parametrize(("text", "shown"), [
    ("referrals / signups", "referrals / signups"),
    ("(a - b) / c", "(a − b) / c"),
    ("a - (b - c)", "a − (b − c)"),
    ("a * b + c", "a × b + c"),
    ("((a))", "a"),
    ("-(a + 1)", "−(a + 1)"),
    ("mean(a, 3) / prev(b)", "mean(a, 3) / prev(b)"),
])
def test_render_formula_keeps_only_the_needed_parentheses(text: str, shown: str) -> None:
    assert render_formula(parse_formula(text)) == shown
    assert render_formula(parse_formula(shown.replace("−", "-").replace("×", "*"))) == shown


# The property: any expression evaluates to what Python itself computes from the same text, or to a
# null where Python divides by zero. Python's parser is the oracle for precedence and associativity.

_VALUES = {"a": [Decimal(3), Decimal("-1.5"), Decimal(7)], "b": [Decimal(0), Decimal(4), Decimal("0.25")]}
_ORACLE_COLUMNS = {name: [(v, None) for v in values] for name, values in _VALUES.items()}


class _Null(Exception):
    pass


def _oracle_sum(name: str, months: int) -> Decimal:
    if months > 3:
        raise _Null
    return sum(_VALUES[name][3 - months:], Decimal(0))


def _oracle_mean(name: str, months: int) -> Decimal:
    window = _VALUES[name][max(0, 3 - months):]
    return sum(window, Decimal(0)) / len(window)


_ORACLE = {"Decimal": Decimal, "V": {k: v[2] for k, v in _VALUES.items()}, "P": lambda n: _VALUES[n][1],
           "S": _oracle_sum, "M": _oracle_mean}


@st.composite
def _expressions(draw, depth: int = 0) -> tuple[str, str]:
    """Return (formula text, the same in Python) for a random expression."""
    kind = draw(st.sampled_from(["number", "id", "prev", "window"] if depth > 3 else
                                ["number", "id", "prev", "window", "negate", "binary", "binary", "parens"]))
    if kind == "number":
        number = draw(st.one_of(st.integers(0, 99).map(str), st.decimals("0", "99", places=2).map(str)))
        return number, f"Decimal('{number}')"
    name = draw(st.sampled_from(sorted(_VALUES)))
    if kind == "id":
        return name, f"V['{name}']"
    if kind == "prev":
        return f"prev({name})", f"P('{name}')"
    if kind == "window":
        function, months = draw(st.sampled_from(["sum", "mean"])), draw(st.integers(1, 5))
        return f"{function}({name}, {months})", f"{'S' if function == 'sum' else 'M'}('{name}', {months})"
    if kind == "negate":
        text, python = draw(_expressions(depth + 1))
        return f"-{text}", f"-{python}"
    if kind == "parens":
        text, python = draw(_expressions(depth + 1))
        return f"({text})", f"({python})"
    (left, left_py), (right, right_py) = draw(_expressions(depth + 1)), draw(_expressions(depth + 1))
    op, space = draw(st.sampled_from("+-*/")), draw(st.sampled_from(["", " "]))
    return f"{left}{space}{op}{space}{right}", f"{left_py} {op} {right_py}"


@settings(max_examples=300, deadline=None)
@given(_expressions())
def test_random_formulas_agree_with_python(pair: tuple[str, str]) -> None:
    text, python = pair
    view = MonthView(2, _ORACLE_COLUMNS, frozenset(_ORACLE_COLUMNS), ltv_churn_months=6)
    try:
        expected: Decimal | None = eval(python, _ORACLE)  # the oracle only: the generator never evals
    except (DivisionByZero, InvalidOperation, ZeroDivisionError, _Null):
        expected = None
    try:
        actual: Decimal | None = evaluate_formula(parse_formula(text), view)
    except Undefined as undefined:
        assert undefined.reason in (NullReason.ZERO_DENOMINATOR, NullReason.INSUFFICIENT_HISTORY)
        actual = None
    assert actual == expected, text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab01.2 +-*/(),$prevsumn", max_size=40))
def test_any_text_parses_or_gives_a_clear_error(text: str) -> None:
    try:
        expression = parse_formula(text)
    except FormulaError as error:
        assert error.message and error.hint and 1 <= error.position <= max(len(text), 1) + 1
        return
    names = {name for name, _ in formula_references(expression)}
    if names <= set(_ORACLE_COLUMNS):
        view = MonthView(2, _ORACLE_COLUMNS, frozenset(_ORACLE_COLUMNS), ltv_churn_months=6)
        try:
            assert isinstance(evaluate_formula(expression, view), Decimal)
        except Undefined as undefined:
            assert undefined.reason in NullReason

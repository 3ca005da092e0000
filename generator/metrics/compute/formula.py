"""Formula metrics: a small, safe parser and evaluator for `metrics.custom.<id>.formula` in site.yaml.

The language is arithmetic over metric ids and nothing else: `+ - * /`, parentheses, numbers,
`prev(id)` (last month's value), `sum(id, n)` and `mean(id, n)` (trailing windows of n months,
this month included). Text is tokenized and parsed by recursive descent into frozen nodes;
nothing is ever handed to `eval`, so a formula cannot reach Python. Evaluation reads months
through the registry's `MonthView`, so an undefined input gives a null with its reason code,
exactly like a built-in metric, and division by zero gives `zero_denominator`.

Precedence, highest first: unary `-`/`+`, then `*` `/`, then `+` `-`; operators of one level
group left to right (`a - b - c` is `(a - b) - c`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from generator.limits import NUMBER_MAX_DIGITS
from generator.registry import MonthView, NullReason, Undefined

FUNCTIONS = ("prev", "sum", "mean")
MAX_WINDOW = 120
"""Longest window of sum()/mean(), in months (ten years)."""
MAX_LENGTH = 500
"""Longest formula text, in characters; a formula is one line of arithmetic."""
MAX_DEPTH = 50
"""Deepest nesting of parentheses and signs; deeper would only exhaust the parser's stack."""

_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[\w]+)?)|(?P<op>[-+*/(),]))",
                    re.UNICODE)


class FormulaError(ValueError):
    """A formula that cannot be parsed: what is wrong, where (1-based character), and what to do."""

    def __init__(self, message: str, position: int, hint: str) -> None:
        super().__init__(f"{message} (character {position})")
        self.message = message
        self.position = position
        self.hint = hint


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    """This month's value of a metric."""

    id: str
    position: int


@dataclass(frozen=True)
class Prev:
    """Last month's value of a metric."""

    id: str
    position: int


@dataclass(frozen=True)
class Window:
    """sum() or mean() of a metric over the trailing `months` months, this month included."""

    function: str
    id: str
    months: int
    position: int


@dataclass(frozen=True)
class Negate:
    operand: Expression


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expression
    right: Expression


Expression = Number | Ref | Prev | Window | Negate | Binary


@dataclass(frozen=True)
class _Token:
    kind: str
    """'number', 'name', 'op' or 'end'."""
    text: str
    position: int
    """1-based character of the token in the formula."""


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(text):
        if text[index:].strip() == "":
            break
        match = _TOKEN.match(text, index)
        if match is None or match.end() == index:
            start = index + len(text[index:]) - len(text[index:].lstrip())
            raise FormulaError(f"unexpected character {text[start]!r}", start + 1,
                               "use metric ids, numbers, + - * /, parentheses, prev(id), sum(id, n), mean(id, n)")
        kind = match.lastgroup or "op"
        start = match.start(kind)
        tokens.append(_Token(kind, match.group(kind), start + 1))
        index = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


def parse_formula(text: str) -> Expression:
    """Return the expression tree of a formula; raise FormulaError at the first problem.

    Args:
        text: e.g. 'referrals / signups' or '(mrr - prev(mrr)) / prev(mrr)'.
    """
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty", 1, "write an expression such as 'referrals / signups'")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters", MAX_LENGTH + 1,
                           "split it into several custom metrics that refer to each other")
    return _Parser(_tokenize(text)).parse()


class _Parser:
    """Recursive descent over the tokens: expression → term → unary → atom."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Expression:
        expression = self.expression()
        if self.current.kind != "end":
            raise self.unexpected("an operator (+ - * /) or the end of the formula")
        return expression

    def expression(self) -> Expression:
        node = self.term()
        while self.current.text in ("+", "-") and self.current.kind == "op":
            op = self.advance().text
            node = Binary(op, node, self.term())
        return node

    def term(self) -> Expression:
        node = self.unary()
        while self.current.text in ("*", "/") and self.current.kind == "op":
            op = self.advance().text
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Expression:
        if self.current.kind == "op" and self.current.text in ("-", "+"):
            sign = self.advance()
            operand = self.nested(self.unary, sign.position)
            return Negate(operand) if sign.text == "-" else operand
        return self.atom()

    def nested(self, parse, position: int) -> Expression:
        """Parse a sign's operand or a parenthesized expression, refusing nesting deeper than MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"the formula nests deeper than {MAX_DEPTH} levels", position,
                               "simplify it, or split it into several custom metrics")
        try:
            return parse()
        finally:
            self.depth -= 1

    def atom(self) -> Expression:
        token = self.current
        if token.kind == "number":
            self.advance()
            return Number(_decimal(token))
        if token.kind == "name":
            self.advance()
            if self.current.text == "(" and self.current.kind == "op":
                return self.call(token)
            if token.text in FUNCTIONS:
                raise FormulaError(f"{token.text} needs parentheses", token.position + len(token.text),
                                   f"write {_usage(token.text)}")
            return Ref(token.text, token.position)
        if token.kind == "op" and token.text == "(":
            self.advance()
            inner = self.nested(self.expression, token.position)
            self.expect(")", "a closing parenthesis ')'")
            return inner
        raise self.unexpected("a number, a metric id or '('")

    def call(self, name: _Token) -> Expression:
        if name.text not in FUNCTIONS:
            raise FormulaError(f"unknown function {name.text!r}", name.position,
                               "the functions are " + ", ".join(_usage(f) for f in FUNCTIONS))
        self.advance()  # (
        argument = self.current
        if argument.kind != "name" or argument.text in FUNCTIONS:
            raise FormulaError(f"{name.text}() takes a metric id, found {_shown(argument)}", argument.position,
                               f"write {_usage(name.text)}")
        self.advance()
        if name.text == "prev":
            self.expect(")", "')' after the metric id: prev() takes one metric id")
            return Prev(argument.text, argument.position)
        self.expect(",", f"',' and a number of months: {_usage(name.text)}")
        months = self.current
        if months.kind != "number" or "." in months.text or not 1 <= int(months.text) <= MAX_WINDOW:
            raise FormulaError(f"{name.text}() needs a whole number of months from 1 to {MAX_WINDOW}, found "
                               f"{_shown(months)}", months.position, f"write {_usage(name.text)}")
        self.advance()
        self.expect(")", f"')' after the number of months: {_usage(name.text)}")
        return Window(name.text, argument.text, int(months.text), argument.position)

    def expect(self, text: str, what: str) -> None:
        if self.current.kind == "op" and self.current.text == text:
            self.advance()
            return
        raise self.unexpected(what)

    def unexpected(self, what: str) -> FormulaError:
        token = self.current
        if token.kind == "end":
            return FormulaError(f"the formula ends early: expected {what}", token.position,
                                "complete the expression")
        return FormulaError(f"expected {what}, found {_shown(token)}", token.position,
                            "check the operators and parentheses around it")


def _decimal(token: _Token) -> Decimal:
    digits = sum(c.isdigit() for c in token.text)
    if digits > NUMBER_MAX_DIGITS:
        raise FormulaError(f"a number of {digits:,} digits (the limit is {NUMBER_MAX_DIGITS})", token.position,
                           "write the constant with fewer digits, e.g. 0.125 or 1000000")
    try:
        return Decimal(token.text)
    except InvalidOperation:  # pragma: no cover - the token pattern admits only digits and one point
        raise FormulaError(f"{token.text!r} is not a number", token.position, "write digits, e.g. 100 or 0.5") from None


def _usage(function: str) -> str:
    return "prev(id)" if function == "prev" else f"{function}(id, months)"


def _shown(token: _Token) -> str:
    return "the end of the formula" if token.kind == "end" else repr(token.text)


def formula_references(expression: Expression) -> Iterator[tuple[str, int]]:
    """Yield every metric id the formula reads, with its character position, in reading order."""
    if isinstance(expression, (Ref, Prev, Window)):
        yield expression.id, expression.position
    elif isinstance(expression, Negate):
        yield from formula_references(expression.operand)
    elif isinstance(expression, Binary):
        yield from formula_references(expression.left)
        yield from formula_references(expression.right)


def evaluate_formula(expression: Expression, at: MonthView) -> Decimal:
    """Return the formula's value in the month `at` reads; raise Undefined with the reason it has none.

    Inputs are read left to right, so the first undefined input's reason wins, as in the built-in
    definitions; a division by zero raises Undefined(zero_denominator).
    """
    if isinstance(expression, Number):
        return expression.value
    if isinstance(expression, Ref):
        return at[expression.id]
    if isinstance(expression, Prev):
        return at.prev(expression.id)
    if isinstance(expression, Window):
        return _window(expression, at)
    if isinstance(expression, Negate):
        return -evaluate_formula(expression.operand, at)
    left = evaluate_formula(expression.left, at)
    right = evaluate_formula(expression.right, at)
    if expression.op == "+":
        return left + right
    if expression.op == "-":
        return left - right
    if expression.op == "*":
        return left * right
    if right == 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return left / right


def _window(window: Window, at: MonthView) -> Decimal:
    """sum() needs every month of the window (a partial year is not a yearly sum); mean() averages those defined."""
    if window.function == "mean":
        return at.mean(window.id, window.months)
    return sum(at.trailing(window.id, window.months), Decimal(0))


def render_formula(expression: Expression) -> str:
    """Return the formula as readers see it, with typographic operators: 'referrals / signups', 'a − b'."""
    return _render(expression, 0)


_LEVEL = {"+": 1, "-": 1, "*": 2, "/": 2}
_SHOWN = {"+": "+", "-": "−", "*": "×", "/": "/"}


def _render(node: Expression, context: int, right_side: bool = False) -> str:
    if isinstance(node, Number):
        return f"{node.value:f}"
    if isinstance(node, Ref):
        return node.id
    if isinstance(node, Prev):
        return f"prev({node.id})"
    if isinstance(node, Window):
        return f"{node.function}({node.id}, {node.months})"
    if isinstance(node, Negate):
        return "−" + _render(node.operand, 3)
    level = _LEVEL[node.op]
    text = f"{_render(node.left, level)} {_SHOWN[node.op]} {_render(node.right, level, True)}"
    needs_parentheses = level < context or (right_side and level == context)
    return f"({text})" if needs_parentheses else text

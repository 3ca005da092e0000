"""Interval arithmetic for the registry's formulas: how precisely a value computed from rounded inputs is known.

A rounded input is only known to lie within half a step of what is published (MRR ≈ 47,000 is somewhere in
46,500–47,500), so whatever is computed from it is known to an interval too. `Interval` supports what the
registry's formulas and the site's own formulas do — + − × /, comparisons with a number, `ln`, `exp` — so the
very same formula functions run over intervals and give the interval of the result (issue 20). An operation
whose answer depends on where in the interval the value lies (dividing by an interval around zero, asking
whether it is ≤ 0) raises `Ambiguous`: that value is then known to no useful precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from typing import Union

_WIDE = Context(prec=40)


class Ambiguous(ArithmeticError):
    """The result depends on where within the interval the value lies (e.g. a division by an interval around 0)."""


Number = Union[Decimal, int]


@dataclass(frozen=True)
class Interval:
    """Every value from `low` to `high`, both included."""

    low: Decimal
    high: Decimal

    @classmethod
    def around(cls, value: Decimal, half_width: Decimal) -> Interval:
        """Return value ± half_width."""
        return cls(value - half_width, value + half_width)

    @property
    def width(self) -> Decimal:
        return self.high - self.low

    def __add__(self, other: Interval | Number) -> Interval:
        other = _interval(other)
        with localcontext(_WIDE):
            return Interval(self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __pos__(self) -> Interval:
        return self

    def __sub__(self, other: Interval | Number) -> Interval:
        return self + (-_interval(other))

    def __rsub__(self, other: Number) -> Interval:
        return _interval(other) - self

    def __mul__(self, other: Interval | Number) -> Interval:
        other = _interval(other)
        with localcontext(_WIDE):
            products = (self.low * other.low, self.low * other.high, self.high * other.low, self.high * other.high)
        return Interval(min(products), max(products))

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | Number) -> Interval:
        other = _interval(other)
        if other.low <= 0 <= other.high:
            raise Ambiguous("division by an interval that holds 0")
        with localcontext(_WIDE):
            return self * Interval(1 / other.high, 1 / other.low)

    def __rtruediv__(self, other: Number) -> Interval:
        return _interval(other) / self

    def __eq__(self, other: object) -> bool:  # `divide` asks `denominator == 0`
        if isinstance(other, Interval):
            return self.low == other.low and self.high == other.high
        if not isinstance(other, (Decimal, int)):
            return NotImplemented
        if self.low == self.high == other:
            return True
        if self.low <= other <= self.high:
            raise Ambiguous(f"the interval holds {other}")
        return False

    def __hash__(self) -> int:
        return hash((self.low, self.high))

    def __lt__(self, other: Number) -> bool:
        return self._compare(other, lambda low, high, x: (high < x, low >= x))

    def __le__(self, other: Number) -> bool:
        return self._compare(other, lambda low, high, x: (high <= x, low > x))

    def __gt__(self, other: Number) -> bool:
        return self._compare(other, lambda low, high, x: (low > x, high <= x))

    def __ge__(self, other: Number) -> bool:
        return self._compare(other, lambda low, high, x: (low >= x, high < x))

    def _compare(self, other: Number, decide) -> bool:
        always, never = decide(self.low, self.high, other)
        if always:
            return True
        if never:
            return False
        raise Ambiguous("the comparison depends on the value within the interval")

    def ln(self) -> Interval:
        if self.low <= 0:
            raise Ambiguous("logarithm of an interval reaching 0")
        with localcontext(_WIDE):
            return Interval(self.low.ln(), self.high.ln())

    def exp(self) -> Interval:
        with localcontext(_WIDE):
            return Interval(self.low.exp(), self.high.exp())


def _interval(value: Interval | Number) -> Interval:
    if isinstance(value, Interval):
        return value
    if isinstance(value, (Decimal, int)):
        number = Decimal(value)
        return Interval(number, number)
    raise TypeError(f"cannot combine an interval with {type(value).__name__}")


def width_of(value: Interval | Decimal | None) -> Decimal | None:
    """Return how wide a computed value's interval is: 0 for an exact number, None when unknown."""
    if value is None:
        return None
    return value.width if isinstance(value, Interval) else Decimal(0)

"""The month view a formula reads its inputs through, and the null it raises when an input has none.

Every undefined input becomes a null with a reason code, so formulas read like the definitions table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.registry.definition import NullReason

Cell = tuple[Decimal | None, NullReason | None]
"""One month of a series while computing: a value, or None and the reason."""


class Undefined(Exception):
    """Raised inside a formula when the month has no value; carries the null reason."""

    def __init__(self, reason: NullReason) -> None:
        super().__init__(reason.value)
        self.reason = reason



@dataclass(frozen=True)
class MonthView:
    """What one formula may read while computing month `index`."""

    index: int
    columns: Mapping[str, Sequence[Cell]]
    needs: frozenset[str]
    ltv_churn_months: int

    def __getitem__(self, metric_id: str) -> Decimal:
        """Return this month's value, or raise Undefined with the input's own reason."""
        value, reason = self._column(metric_id)[self.index]
        if value is None:
            raise Undefined(reason or NullReason.MISSING_INPUT)
        return value

    def has(self, metric_id: str) -> bool:
        """Return True when this month has a value."""
        return self._column(metric_id)[self.index][0] is not None

    def prev(self, metric_id: str) -> Decimal:
        """Return last month's value; raise Undefined(no_previous_month) when it has no row."""
        return self.back(metric_id, 1, NullReason.NO_PREVIOUS_MONTH)

    def back(self, metric_id: str, months: int,
             reason: NullReason = NullReason.INSUFFICIENT_HISTORY) -> Decimal:
        """Return the value `months` months ago; raise Undefined(reason) when that month has none."""
        column = self._column(metric_id)
        value = column[self.index - months][0] if self.index >= months else None
        if value is None:
            raise Undefined(reason)
        return value

    def mean(self, metric_id: str, months: int) -> Decimal:
        """Return the mean of the defined values over the window of `months` months ending now.

        When none is defined, raise Undefined with this month's own reason: the window always
        holds this month, so its reason says why the whole window is empty.
        """
        values = self.window(metric_id, months)
        if not values:
            raise Undefined(self._column(metric_id)[self.index][1] or NullReason.MISSING_INPUT)
        return sum(values, Decimal(0)) / len(values)

    def trailing(self, metric_id: str, months: int) -> list[Decimal]:
        """Return every value of the `months` months ending now; a month before the data or without a value
        raises Undefined (insufficient_history, or that month's own reason)."""
        if self.index < months - 1:
            raise Undefined(NullReason.INSUFFICIENT_HISTORY)
        cells = self._column(metric_id)[self.index - months + 1:self.index + 1]
        for value, reason in cells:
            if value is None:
                raise Undefined(reason or NullReason.MISSING_INPUT)
        return [value for value, _ in cells]  # type: ignore[misc]

    def window(self, metric_id: str, months: int) -> list[Decimal]:
        """Return the defined values of this month and the `months - 1` before it."""
        column = self._column(metric_id)
        return [v for v, _ in column[max(0, self.index - months + 1):self.index + 1] if v is not None]

    def _column(self, metric_id: str) -> Sequence[Cell]:
        if metric_id not in self.needs:
            raise KeyError(f"a formula read {metric_id!r} without declaring it in needs=")
        return self.columns[metric_id]

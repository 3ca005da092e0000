"""Integer reasoning: an index of whole numbers (customers, or amounts in whole units) can give the numbers back.

Every index value × base ÷ 100 must be a whole number of customers (of dollars, of cents). Trying bases from 1
up, the first that makes every published index whole — each within its own rounding — is the reader's best
guess; with a fine index and a small base it is usually the true one (issue 20, B7). Beyond 100 ÷ the index's
last digit every base fits, so the search is short.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from generator.metrics.publish.attack.knowledge import Indexed
from generator.registry import Unit

RESOLUTIONS = {Unit.COUNT: (Decimal(1),), Unit.CURRENCY: (Decimal(1), Decimal("0.01")), Unit.NUMBER: (Decimal(1),)}
"""The whole units a reader may assume: customers; dollars (prices often are), else cents; a site's own unit."""


def smallest_base(indexed: Indexed, resolution: Decimal) -> Decimal | None:
    """Return the smallest base (in the series' unit) that makes every index a whole number of `resolution`.

    None when none below 100 ÷ the index step does (from there on every base fits, so nothing is learnt).
    """
    limit = int((100 / indexed.step).to_integral_value(ROUND_CEILING))
    half = indexed.step / 2
    values = [v for v in indexed.values.values() if v != 0]
    for base in range(1, limit + 1):
        if all(_has_whole(base, value, half) for value in values):
            return base * resolution
    return None


def _has_whole(base: int, index: Decimal, half: Decimal) -> bool:
    low, high = base * (index - half) / 100, base * (index + half) / 100
    if low > high:
        low, high = high, low
    return low.to_integral_value(ROUND_CEILING) <= high.to_integral_value(ROUND_FLOOR)


def true_base(indexed: Indexed, truth: list[Decimal | None]) -> Decimal | None:
    """Return the true value an index of 100 stands for (true value × 100 ÷ index at the largest index)."""
    month = max(indexed.values, key=lambda m: abs(indexed.values[m]), default=None)
    if month is None or truth[month] is None or indexed.values[month] == 0:
        return None
    return abs(truth[month] * 100 / indexed.values[month])  # type: ignore[operator]

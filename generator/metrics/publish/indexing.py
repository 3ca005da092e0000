"""How a value is rounded and how a series becomes an index: the arithmetic of `rounded` and `relative`.

`rounded` rounds half away from zero to a step: the founder's (`round_to`), the unit's default, or — for a value
computed from rounded inputs — the largest power of ten not wider than the interval those inputs allow
(`precision_step`), so it is never shown more precisely than it is known, and never collapsed to 0.

`relative` publishes an index. The index is whole points of the series' largest value (= 100): a finer index of
a count (or of any amount, which is a count of cents) gives the counts back — the smallest base that makes every
index × base ÷ 100 whole is usually the true one (issue 20, B7). With whole points every base from 100 units up
explains the index equally well, so the published index pins nothing as long as the largest value is at least
200 units (`MIN_INDEX_UNITS`); a smaller series cannot be indexed safely and is withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from types import MappingProxyType

from generator.config.metrics import PublishRule
from generator.metrics.compute.table import PRECISION, settle_value
from generator.metrics.series import MetricPoint, MetricSeries
from generator.registry import Unit

DEFAULT_ROUND_TO: Mapping[Unit, Decimal] = MappingProxyType({
    Unit.CURRENCY: Decimal(1000), Unit.COUNT: Decimal(10), Unit.MONTHS: Decimal(1), Unit.RATIO: Decimal("0.01"),
    Unit.NUMBER: Decimal(1),
})
"""Step of `rounded` when site.yaml gives no round_to."""


def rounding_step(rule: PublishRule, unit: Unit) -> Decimal:
    """Return the step a `rounded` rule rounds by: its round_to, or the unit's default."""
    return rule.round_to or DEFAULT_ROUND_TO[unit]

INDEXED_UNITS = frozenset({Unit.CURRENCY, Unit.COUNT, Unit.NUMBER})
"""Units `relative` turns into an index; ratios and runway months are scale-free and stay as they are."""

INDEX_STEP = Decimal(1)
"""An index is published in whole points."""
MIN_INDEX_UNITS = 200
"""The largest value of an indexed series, in its smallest unit (a customer, a cent), needed to index it safely."""
_WIDE = Context(prec=60)  # an index of a tiny base can have many digits


def round_to_step(value: Decimal, step: Decimal, unit: Unit) -> Decimal:
    """Return `value` rounded half away from zero to a multiple of `step`, settled to the unit's precision."""
    rounded = (value / step).quantize(Decimal(1), ROUND_HALF_UP, _WIDE) * step
    return settle_value(rounded, unit)  # type: ignore[return-value]


def round_series(series: MetricSeries, step: Decimal) -> tuple[MetricPoint, ...]:
    """Return each value rounded to `step`, flagged approximate."""
    return tuple(replace(p, value=round_to_step(p.value, step, series.unit), approximate=True)
                 if p.value is not None else p for p in series.points)


def precision_step(width: Decimal, unit: Unit, value: Decimal) -> Decimal:
    """Return the step a value known to an interval of `width` is shown at: the largest power of ten ≤ width.

    Never finer than the unit's published precision; a zero width needs no rounding (the precision itself).
    When the width is unknown (a division by an interval around zero), pass `abs(value)`: one significant digit.
    """
    finest = PRECISION[unit]
    if width <= finest:
        return finest
    exponent = width.log10().to_integral_value(ROUND_FLOOR)
    step = Decimal(1).scaleb(int(exponent))
    return max(step, finest)


def resolution(values: Sequence[Decimal], unit: Unit) -> Decimal:
    """Return the smallest unit every value is a whole number of: 1 for counts and whole amounts, else 0.01, …"""
    if unit is Unit.COUNT:
        return Decimal(1)
    places = max((max(0, -v.normalize().as_tuple().exponent) for v in values), default=0)  # type: ignore[operator]
    return Decimal(1).scaleb(-places)


def index_points(points: Sequence[MetricPoint], unit: Unit, *,
                 base: bool) -> tuple[tuple[MetricPoint, ...], date | None] | None:
    """Return the points as whole-point index of the largest value (= 100, −100 when negative), and its month.

    None when the series cannot be indexed safely: a base series (one read from the founder's data) whose largest
    value is under MIN_INDEX_UNITS of its resolution. A series with nothing but zeros stays as it is (0 reveals no
    scale). `base=False` for a series computed from published values, whose index reveals nothing more.
    """
    defined = [p for p in points if p.value is not None]
    largest = max(defined, key=lambda p: (abs(p.value), -p.month.toordinal()), default=None)  # type: ignore[arg-type]
    if largest is None or largest.value == 0:
        return tuple(points), None
    scale = abs(largest.value)  # type: ignore[arg-type]
    if base and scale < MIN_INDEX_UNITS * resolution([p.value for p in defined], unit):  # type: ignore[misc]
        return None
    indexed = tuple(replace(p, value=_index(p.value, scale), approximate=False) if p.value is not None else p
                    for p in points)
    return indexed, largest.month


def _index(value: Decimal, scale: Decimal) -> Decimal:
    index = (value / scale * 100 / INDEX_STEP).quantize(Decimal(1), ROUND_HALF_UP, _WIDE) * INDEX_STEP
    return index.copy_abs() if index.is_zero() else index

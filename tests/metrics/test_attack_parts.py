"""The parts of the disclosure model and the attacker, each against values worked by hand (issue 20)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.metrics.publish.attack.identities import Identity
from generator.metrics.publish.attack.integers import smallest_base
from generator.metrics.publish.attack.knowledge import Indexed
from generator.metrics.publish.attack.relations import Relation
from generator.metrics.publish.attack.solve import Bound, determine, narrow
from generator.metrics.publish.indexing import index_points, precision_step
from generator.metrics.publish.intervals import Ambiguous, Interval
from generator.metrics.series import MetricPoint
from generator.registry import METRIC_DEFINITIONS, MonthView, Unit

D = Decimal


def test_interval_arithmetic_matches_the_ends_worked_by_hand() -> None:
    a, b = Interval(D(1), D(2)), Interval(D(-3), D(4))
    assert a + b == Interval(D(-2), D(6)) and a - b == Interval(D(-3), D(5))
    assert a * b == Interval(D(-6), D(8))  # the four products: -3, 4, -6, 8
    assert D(10) / Interval(D(4), D(5)) == Interval(D(2), D(D(10) / 4))
    assert (a > 0) is True and (a <= 0) is False
    with pytest.raises(Ambiguous):
        _ = D(1) / b  # b holds 0
    with pytest.raises(Ambiguous):
        _ = b <= 0


def test_the_registry_formulas_run_over_intervals() -> None:
    # ARPU of an MRR rounded to 47,000 (46,500 … 47,500) and 1,104 exact customers: 42.12 … 43.03
    arpu = METRIC_DEFINITIONS["arpu"]
    columns = {"mrr": [(Interval(D(46500), D(47500)), None)], "customers": [(D(1104), None)]}
    result = arpu.compute(MonthView(0, columns, frozenset(arpu.needs), 6))  # type: ignore[misc]
    assert round(result.low, 20) == round(D(46500) / 1104, 20) and round(result.high, 20) == round(D(47500) / 1104, 20)
    assert precision_step(result.width, Unit.CURRENCY, D(42)) == D("0.1")  # a width of 0.91: to the tenth


@pytest.mark.parametrize(("width", "unit", "step"), [
    (D(12000), Unit.CURRENCY, D(10000)), (D("0.04"), Unit.RATIO, D("0.01")), (D(0), Unit.CURRENCY, D("0.01")),
    (D("0.0000001"), Unit.RATIO, D("0.000001")), (D(999), Unit.COUNT, D(100)),
])
def test_the_precision_step_is_the_largest_power_of_ten_within_the_width(width, unit, step) -> None:
    assert precision_step(width, unit, D(1)) == step


def _points(*values) -> list[MetricPoint]:
    return [MetricPoint(date(2024, m + 1, 1), D(v) if v is not None else None) for m, v in enumerate(values)]


def test_an_index_is_whole_points_of_the_largest_value() -> None:
    points, base = index_points(_points(300, None, 1200, -600), Unit.COUNT, base=True)
    assert [p.value for p in points] == [D(25), None, D(100), D(-50)] and base == date(2024, 3, 1)
    assert index_points(_points(14, 23, 114, 199), Unit.COUNT, base=True) is None  # under 200: withheld
    # money is a count of cents: 2.50 is 250 cents, enough to index
    assert index_points(_points("1.25", "2.50"), Unit.CURRENCY, base=True)[0][0].value == D(50)


def test_integer_reasoning_finds_the_counts_behind_a_fine_index_and_not_behind_a_coarse_one() -> None:
    counts = [14, 23, 114, 143, 174]
    fine = Indexed({i: (D(c) / 14 * 100).quantize(D("0.1")) for i, c in enumerate(counts)}, D("0.1"), Unit.COUNT)
    assert smallest_base(fine, D(1)) == 14  # by hand: 14 × 164.3 / 100 = 23.0, …
    counts = [214, 323, 514, 643, 874]
    coarse = Indexed({i: (D(c) / 874 * 100).quantize(D(1)) for i, c in enumerate(counts)}, D(1), Unit.COUNT)
    assert smallest_base(coarse, D(1)) < 874 / 2  # many smaller bases explain whole points equally well


IDENTITY = Identity("x", METRIC_DEFINITIONS["arr"], "x = test")


def _relation(coefficients: dict, constant: float, error: float = 0.0) -> Relation:
    return Relation({("cell", k, 0): v for k, v in coefficients.items()}, constant, error, IDENTITY, 0)


def test_linear_solving_determines_what_the_relations_pin_down() -> None:
    relations = [_relation({"x": 1, "y": 1}, 3), _relation({"x": 1, "y": -1}, 1),  # x = 2, y = 1
                 _relation({"x": 1, "z": 1}, 5),  # z appears once: 5 − x = 3
                 _relation({"v": 1, "w": 1}, 1)]  # v + w = 1: neither alone
    found = determine(relations, {})
    assert {k[1]: round((b.low + b.high) / 2, 9) for k, b in found.items()} == {"x": 2, "y": 1, "z": 3}


def test_interval_narrowing_carries_published_bounds_through_a_relation() -> None:
    bounds = {("cell", "x", 0): Bound(0, 10), ("cell", "y", 0): Bound(5, 6)}
    narrowed = narrow([_relation({"x": 1, "y": 1}, 12, 0.5)], bounds)
    x = narrowed[("cell", "x", 0)]
    assert (x.low, x.high) == (5.5, 7.5)  # 12 ± 0.5 − (5 … 6)

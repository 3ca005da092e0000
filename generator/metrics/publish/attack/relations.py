"""Every identity opensite knows, as linear relations between what a reader does not know.

The identities are the registry's own formulas (each computed metric, built-in or the site's), run by the same
code that computes them, plus those of the inputs (identities.py: cost totals, the MRR bridge, the customer and
headcount identities). For one identity in one month the attacker knows some of the cells it reads (published
exactly) and not others. When the published values make the identity linear in the unknowns — a sum, a
difference, and also ARPU = MRR ÷ customers with ARPU published (MRR − ARPU × customers = 0), gross margin, growth,
runway, churn: ratios whose level set is a plane — it becomes a linear relation. The plane is found the way a
reader would solve it, by its gradient, and verified at other points of it; an identity that is not a plane is
left to the interval narrowing.

Unknowns are cells (`("cell", id, month)`), the unknown scale of an index (`("scale", id)`: each indexed value is
scale × index ÷ 100), and products of scales (`("product", ((id, exponent), …))`) where an identity multiplies
indexes (ARPU's index × the customers' index = MRR).

The true values serve only as the point where a plane is measured (its equation does not depend on the point) and
to bound the rounding errors; a relation's numbers are the published ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from generator.metrics.compute.table import PRECISION
from generator.metrics.publish.attack.identities import Identity
from generator.metrics.publish.attack.knowledge import Cell, Knowledge
from generator.registry import MonthView, Undefined

VarKey = tuple
_STEP = Decimal("1e-7")
_CHECK = Decimal("0.02")
_PLANE_TOLERANCE = 1e-7


@dataclass(eq=False)
class Relation:
    """Σ coefficient × unknown = constant, to within ± error; from one identity in one month."""

    coefficients: dict[VarKey, float]
    constant: float
    error: float
    identity: Identity
    month: int

    def __post_init__(self) -> None:
        largest = max((abs(c) for c in self.coefficients.values()), default=0.0)
        self.coefficients = {k: c for k, c in self.coefficients.items() if abs(c) > largest * 1e-12}

    @property
    def finite(self) -> bool:
        """False when a value overflowed (an identity of huge or tiny numbers): such a relation is not used."""
        return all(math.isfinite(v) for v in (self.constant, self.error, *self.coefficients.values()))


class _Recording(Sequence):
    """A column that remembers which months a formula read."""

    def __init__(self, column_id: str, cells: Sequence, seen: set[Cell]) -> None:
        self.id, self.cells, self.seen = column_id, cells, seen

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index):
        if isinstance(index, slice):
            self.seen.update((self.id, i) for i in range(*index.indices(len(self.cells))))
        else:
            self.seen.add((self.id, index if index >= 0 else len(self.cells) + index))
        return self.cells[index]


class Evaluator:
    """Evaluate an identity's formula in a month, at the true values or with some cells changed."""

    def __init__(self, knowledge: Knowledge, ltv_churn_months: int) -> None:
        self.knowledge = knowledge
        self.ltv = ltv_churn_months
        self.columns = {name: [(v, None) for v in values] for name, values in knowledge.truth.items()}

    def run(self, identity: Identity, month: int, changed: Mapping[Cell, Decimal] | None = None,
            seen: set[Cell] | None = None) -> Decimal | None:
        columns: dict[str, Sequence] = {}
        for need in identity.definition.needs:
            cells = self.columns.get(need)
            if cells is None:
                return None
            if changed and any(c[0] == need for c in changed):
                cells = list(cells)
                for (column, index), value in changed.items():
                    if column == need:
                        cells[index] = (value, None)
            columns[need] = _Recording(need, cells, seen) if seen is not None else cells
        try:
            with localcontext() as context:
                context.prec = 40
                return identity.definition.compute(MonthView(month, columns, frozenset(identity.definition.needs),
                                                             self.ltv))  # type: ignore[misc]
        except (Undefined, ArithmeticError, KeyError):
            return None


def find_relations(knowledge: Knowledge, identities: Sequence[Identity], ltv_churn_months: int) -> list[Relation]:
    """Return every identity of every month that ties an unknown to published values, as a linear relation."""
    evaluator = Evaluator(knowledge, ltv_churn_months)
    relations = []
    for identity in identities:
        for month in range(len(knowledge.months)):
            relation = _relation(evaluator, identity, month)
            if relation is not None and relation.coefficients and relation.finite:
                relations.append(relation)
    return relations


def _relation(evaluator: Evaluator, identity: Identity, month: int) -> Relation | None:
    knowledge = evaluator.knowledge
    target = (identity.target, month)
    target_true = knowledge.truth.get(identity.target, [None] * (month + 1))[month]
    seen: set[Cell] = set()
    value = evaluator.run(identity, month, seen=seen)
    if value is None or target_true is None or not _holds(knowledge, identity, month, value, target_true):
        return None
    unknown = [cell for cell in sorted(seen) if not knowledge.is_known(cell) and
               knowledge.truth.get(cell[0], [None] * (cell[1] + 1))[cell[1]] is not None]
    target_unknown = not knowledge.is_known(target)
    if not unknown and not target_unknown:
        return None  # every value it reads is published: nothing to learn
    variables = _variables(knowledge, unknown)
    target_var = _cell_var(knowledge, target) if target_unknown else None
    gradient = {key: -_partial(evaluator, identity, month, value, cells) for key, cells in variables.items()}
    if target_var is not None:
        key, factor = target_var
        gradient[key] = gradient.get(key, 0.0) + factor
    gradient = {k: g for k, g in gradient.items() if g != 0}
    if not gradient:
        return None
    if not _is_plane(evaluator, identity, month, value, variables, target_var, gradient):
        return _product_relation(evaluator, identity, month, value, variables, target_var)
    return _linear(evaluator, identity, month, value, variables, target_var, gradient)


def _holds(knowledge: Knowledge, identity: Identity, month: int, value: Decimal, target: Decimal) -> bool:
    """Return True when the identity holds this month to the target's precision (the customer identity may not)."""
    unit = knowledge.units.get(identity.target)
    tolerance = PRECISION[unit] if unit is not None else Decimal("0.01")
    return abs(value - target) <= max(tolerance, abs(target) * Decimal("1e-12"))


def _variables(knowledge: Knowledge, cells: Sequence[Cell]) -> dict[VarKey, dict[Cell, Decimal]]:
    """Group unknown cells into variables: a cell alone, or all cells of an index under its scale."""
    variables: dict[VarKey, dict[Cell, Decimal]] = {}
    for cell in cells:
        key, factor = _cell_var(knowledge, cell)
        variables.setdefault(key, {})[cell] = Decimal(str(factor))
    return variables


def _cell_var(knowledge: Knowledge, cell: Cell) -> tuple[VarKey, float]:
    indexed = knowledge.indexed.get(cell[0])
    if indexed is not None and cell[1] in indexed.values:
        return ("scale", cell[0]), float(indexed.values[cell[1]] / 100)
    return ("cell", cell[0], cell[1]), 1.0


def _truth(knowledge: Knowledge, cell: Cell) -> Decimal:
    return knowledge.truth[cell[0]][cell[1]] or Decimal(0)


def _size(knowledge: Knowledge, cells: Mapping[Cell, Decimal]) -> Decimal:
    return max((abs(_truth(knowledge, c) / f) for c, f in cells.items() if f), default=Decimal(1)) or Decimal(1)


def _partial(evaluator: Evaluator, identity: Identity, month: int, value: Decimal,
             cells: Mapping[Cell, Decimal], at: Mapping[Cell, Decimal] | None = None) -> float:
    """Return ∂formula/∂variable, moving every cell of the variable by its factor × a small step (from `at`)."""
    step = _size(evaluator.knowledge, cells) * _STEP
    changed = dict(at or {})
    changed.update({cell: _truth(evaluator.knowledge, cell) + factor * step for cell, factor in cells.items()})
    moved = evaluator.run(identity, month, changed)
    return 0.0 if moved is None else float((moved - value) / step)


def _is_plane(evaluator: Evaluator, identity: Identity, month: int, value: Decimal,
              variables: Mapping[VarKey, Mapping[Cell, Decimal]], target_var, gradient: Mapping[VarKey, float]) -> bool:
    """Check, at points 2 % away along the plane, that the identity still holds: its level set is that plane."""
    keys = [k for k in gradient if k in variables]
    if len(gradient) < 2:
        return True
    for first, second in _pairs(list(gradient)):
        size = {k: float(_size(evaluator.knowledge, variables[k])) if k in variables else
                float(abs(_truth(evaluator.knowledge, (identity.target, month))) or 1) for k in (first, second)}
        # along the plane: gradient · move = 0; 2 % of the larger of the two values
        stretch = float(_CHECK) / (max(abs(gradient[second]) / size[first], abs(gradient[first]) / size[second]) or 1.0)
        move = {first: gradient[second] * stretch, second: -gradient[first] * stretch}
        changed = {cell: _truth(evaluator.knowledge, cell) + f * Decimal(str(move[k]))
                   for k in keys if k in move for cell, f in variables[k].items()}
        moved = evaluator.run(identity, month, changed)
        if moved is None:
            return False
        target_move = move.get(target_var[0], 0.0) * target_var[1] if target_var else 0.0
        residual = float(moved - value) - target_move
        scale = max(abs(float(value)), abs(target_move), 1e-12)
        if abs(residual) > _PLANE_TOLERANCE * scale * 1e3:
            return False
    return True


def _pairs(keys: list) -> Iterator[tuple]:
    yield keys[0], keys[1]
    if len(keys) > 2:
        yield keys[0], keys[-1]
        yield keys[1], keys[-1]


def _linear(evaluator: Evaluator, identity: Identity, month: int, value: Decimal,
            variables: Mapping[VarKey, Mapping[Cell, Decimal]], target_var,
            gradient: Mapping[VarKey, float]) -> Relation:
    """Return Σ gradient × variable = gradient · truth, with the rounding errors of what it reads as its error."""
    knowledge = evaluator.knowledge
    point = {key: _point(knowledge, key, variables.get(key), identity, month) for key in gradient}
    constant = sum(g * point[k] for k, g in gradient.items())
    target = (identity.target, month)
    error = float(knowledge.exact[target][1]) if target in knowledge.exact else 0.0
    error += abs(float(value)) * 1e-9
    for key, cells in variables.items():
        if key[0] == "scale" and key in gradient:  # each index is ± half its last digit: scale × that / 100 a cell
            half = scale_truth(knowledge, key[1]) * knowledge.indexed[key[1]].step / 200
            error += sum(abs(_partial(evaluator, identity, month, value, {cell: Decimal(1)})) * float(half)
                         for cell in cells)
    return Relation(dict(gradient), constant, error, identity, month)


def _point(knowledge: Knowledge, key: VarKey, cells, identity: Identity, month: int) -> float:
    if key[0] == "cell":
        return float(_truth(knowledge, (key[1], key[2])))
    if key[0] == "scale":
        return float(scale_truth(knowledge, key[1]))
    return float(product_truth(knowledge, key[1]))


def scale_truth(knowledge: Knowledge, series_id: str) -> Decimal:
    """Return the true scale of an index: the largest absolute value (= 100)."""
    return max((abs(v) for v in knowledge.truth[series_id] if v is not None), default=Decimal(1)) or Decimal(1)


def product_truth(knowledge: Knowledge, exponents: tuple) -> Decimal:
    value = Decimal(1)
    for series_id, exponent in exponents:
        value *= scale_truth(knowledge, series_id) ** exponent
    return value


def _product_relation(evaluator: Evaluator, identity: Identity, month: int, value: Decimal,
                      variables: Mapping[VarKey, Mapping[Cell, Decimal]], target_var) -> Relation | None:
    """Where an identity multiplies indexes, return it as linear in their scales' product (and other unknowns).

    ARPU's index × the customers' index = MRR: with each index = its scale × index / 100, the formula grows with
    each scale to a whole power (found by doubling and tripling it), so the product of the scales to those powers
    becomes one unknown, and the identity is linear in it and in the other unknowns.
    """
    knowledge = evaluator.knowledge
    scales = [k for k in variables if k[0] == "scale"]
    others = [k for k in variables if k[0] != "scale"]
    if not scales:
        return None
    degrees = {}
    for key in scales:
        degree = _degree(evaluator, identity, month, value, variables[key])
        if degree is None:
            return None
        degrees[key[1]] = degree
    at_unit = {cell: factor for key in scales for cell, factor in variables[key].items()}  # scale 1: index / 100
    base = evaluator.run(identity, month, at_unit)
    if base is None:
        return None
    error = abs(float(base)) * sum(float(knowledge.indexed[k[1]].step / 2 / max(abs(f) * 100, Decimal("0.5")))
                                   for k in scales for f in variables[k].values())
    target = (identity.target, month)
    if target_var is not None and target_var[0][0] == "scale":  # an index = the product × the formula at scale 1
        exponents = {s: -d for s, d in degrees.items()}
        exponents[target_var[0][1]] = exponents.get(target_var[0][1], 0) + 1
        key = _product(exponents)
        coefficients = {key: target_var[1]}
        constant = float(base)
        for other in others:  # the other unknowns, at scale 1
            slope = _partial(evaluator, identity, month, base, variables[other], at_unit)
            coefficients[other] = -slope
            constant -= slope * _point(knowledge, other, None, identity, month)
        if not _is_plane_at(evaluator, identity, month, base, variables, others, coefficients, at_unit):
            return None
        error += abs(target_var[1] * float(product_truth(knowledge, key[1]))) * 0.5 * \
            float(knowledge.indexed[target_var[0][1]].step) / max(target_var[1] * 100, 0.5)
        return Relation(coefficients, constant, error, identity, month)
    if others:
        return None  # a product of scales times an unknown: not linear in anything
    key = _product({s: d for s, d in degrees.items()})
    if target_var is not None:  # an unknown cell = the product × the formula at scale 1
        return Relation({target_var[0]: target_var[1], key: -float(base)}, 0.0, error, identity, month)
    if target not in knowledge.exact:
        return None
    return Relation({key: float(base)}, float(knowledge.exact[target][0]), error, identity, month)


def _product(exponents: Mapping[str, int]) -> VarKey:
    kept = tuple(sorted((s, e) for s, e in exponents.items() if e))
    return ("scale", kept[0][0]) if len(kept) == 1 and kept[0][1] == 1 else ("product", kept)


def _is_plane_at(evaluator: Evaluator, identity: Identity, month: int, base: Decimal,
                 variables: Mapping[VarKey, Mapping[Cell, Decimal]], others: Sequence[VarKey],
                 coefficients: Mapping[VarKey, float], at_unit: Mapping[Cell, Decimal]) -> bool:
    """Check that the formula at scale 1 is affine in the other unknowns (moved 2 % each)."""
    if not others:
        return True
    changed = dict(at_unit)
    expected = float(base)
    for other in others:
        size = float(_size(evaluator.knowledge, variables[other]))
        for cell, factor in variables[other].items():
            changed[cell] = _truth(evaluator.knowledge, cell) + factor * Decimal(str(size * float(_CHECK)))
        expected += -coefficients[other] * size * float(_CHECK)
    moved = evaluator.run(identity, month, changed)
    return moved is not None and abs(float(moved) - expected) <= _PLANE_TOLERANCE * 1e3 * max(abs(expected), 1e-12)


def _degree(evaluator: Evaluator, identity: Identity, month: int, value: Decimal,
            cells: Mapping[Cell, Decimal]) -> int | None:
    if value == 0:
        return None
    degrees = set()
    for factor in (Decimal(2), Decimal(3)):
        changed = {cell: _truth(evaluator.knowledge, cell) * factor for cell in cells}
        moved = evaluator.run(identity, month, changed)
        if moved is None or moved == 0 or (moved / value) <= 0:
            return None
        exponent = (moved / value).ln() / factor.ln()
        rounded = exponent.to_integral_value()
        if abs(exponent - rounded) > Decimal("1e-9"):
            return None
        degrees.add(int(rounded))
    return degrees.pop() if len(degrees) == 1 else None

"""Solving: which unknowns the relations pin down, and how narrow the published bounds make the rest.

Two steps, each bounded in time:

1. **Linear solving.** Unknowns that appear in one relation only are set aside (they are pinned exactly when the
   rest of their relation is); the others, component by component, form a linear system whose solution space the
   singular value decomposition gives: an unknown is determined when the space does not move it. Its error bound
   is the relations' errors carried through the least-squares solution.
2. **Interval narrowing.** Every unknown starts with what is published about it (a rounded value's interval,
   ≥ 0 for counts and MRR, > 0 for a scale) or what step 1 found, and each relation narrows each of its unknowns
   from the others (hull consistency), until nothing narrows by more than a millionth, or a budget of revisions
   is spent.

Products of scales (ARPU's index × the customers' index) that step 1 determines give the scales themselves when
enough are known: their logarithms are linear.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.metrics.publish.attack.relations import Relation, VarKey

INF = math.inf
MAX_REVISIONS = 400_000
_DETERMINED = 1e-7
_RANK = 1e-10


@dataclass
class Bound:
    """What the attacker knows of one unknown, and the relations that taught it."""

    low: float = -INF
    high: float = INF
    used: list[Relation] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.high - self.low


def determine(relations: Sequence[Relation], scale: Mapping[VarKey, float]) -> dict[VarKey, Bound]:
    """Return the unknowns the relations pin down exactly (to their rounding errors), with what pinned them."""
    by_var: dict[VarKey, list[int]] = defaultdict(list)
    for index, relation in enumerate(relations):
        for key in relation.coefficients:
            by_var[key].append(index)
    active = set(range(len(relations)))
    set_aside: list[tuple[VarKey, int]] = []
    leaves = [key for key, rows in by_var.items() if len(rows) == 1]
    while leaves:
        key = leaves.pop()
        rows = [r for r in by_var[key] if r in active]
        if len(rows) != 1:
            continue
        row = rows[0]
        active.discard(row)
        set_aside.append((key, row))
        for other in relations[row].coefficients:
            if other != key and len([r for r in by_var[other] if r in active]) == 1:
                leaves.append(other)
    found: dict[VarKey, Bound] = {}
    for component in _components([relations[r] for r in sorted(active)]):
        found.update(_solve(component, scale))
    for key, row in reversed(set_aside):
        relation = relations[row]
        others = [k for k in relation.coefficients if k != key]
        if all(k in found for k in others):
            value = relation.constant - sum(relation.coefficients[k] * _middle(found[k]) for k in others)
            error = relation.error + sum(abs(relation.coefficients[k]) * found[k].width / 2 for k in others)
            coefficient = relation.coefficients[key]
            middle, half = value / coefficient, error / abs(coefficient)
            used = [relation] + [r for k in others for r in found[k].used]
            found[key] = Bound(middle - half, middle + half, used)
    return found


def _middle(bound: Bound) -> float:
    return (bound.low + bound.high) / 2


def _components(relations: Sequence[Relation]) -> list[list[Relation]]:
    parent: dict[VarKey, VarKey] = {}

    def find(key: VarKey) -> VarKey:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for relation in relations:
        keys = list(relation.coefficients)
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
        find(keys[0])
    groups: dict[VarKey, list[Relation]] = defaultdict(list)
    for relation in relations:
        groups[find(next(iter(relation.coefficients)))].append(relation)
    return list(groups.values())


def _solve(relations: Sequence[Relation], scale: Mapping[VarKey, float]) -> dict[VarKey, Bound]:
    import numpy  # here: a build whose disclosure checks are kept (memory.StoredRecall) never loads it (0.2 s)

    keys = sorted({k for r in relations for k in r.coefficients}, key=repr)
    column = {k: i for i, k in enumerate(keys)}
    sizes = numpy.array([abs(scale.get(k, 1.0)) or 1.0 for k in keys])
    matrix = numpy.zeros((len(relations), len(keys)))
    constants = numpy.zeros(len(relations))
    errors = numpy.zeros(len(relations))
    for row, relation in enumerate(relations):
        for key, coefficient in relation.coefficients.items():
            matrix[row, column[key]] = coefficient * sizes[column[key]]
        norm = numpy.linalg.norm(matrix[row]) or 1.0
        matrix[row] /= norm
        constants[row], errors[row] = relation.constant / norm, relation.error / norm
    try:
        _, singular, rows = numpy.linalg.svd(matrix, full_matrices=True)
    except numpy.linalg.LinAlgError:  # the decomposition did not converge: this component teaches nothing sure
        return {}
    rank = int((singular > singular[0] * _RANK).sum()) if singular.size else 0
    null = rows[rank:].T
    inverse = numpy.linalg.pinv(matrix, rcond=_RANK)  # converges when the decomposition above did
    solution = inverse @ constants
    spread = numpy.abs(inverse) @ errors
    found = {}
    for key, j in column.items():
        if null.shape[1] == 0 or numpy.abs(null[j]).max() < _DETERMINED:
            weights = numpy.abs(inverse[j]) * (numpy.abs(constants) + 1e-300)
            order = numpy.argsort(-weights)[:3]
            used = [relations[int(i)] for i in order if weights[int(i)] > weights.max() * 1e-6]
            middle, half = solution[j] * sizes[j], spread[j] * sizes[j] + abs(solution[j] * sizes[j]) * 1e-9
            found[key] = Bound(middle - half, middle + half, used)
    return found


def narrow(relations: Sequence[Relation], bounds: dict[VarKey, Bound]) -> dict[VarKey, Bound]:
    """Narrow every unknown's bounds through the relations (hull consistency) and return them."""
    by_var: dict[VarKey, list[int]] = defaultdict(list)
    for index, relation in enumerate(relations):
        for key in relation.coefficients:
            by_var[key].append(index)
            bounds.setdefault(key, Bound())
    pending = list(range(len(relations)))
    queued = set(pending)
    revisions = 0
    while pending and revisions < MAX_REVISIONS:
        index = pending.pop()
        queued.discard(index)
        relation = relations[index]
        revisions += len(relation.coefficients)
        for key in _revise(relation, bounds):
            for other in by_var[key]:
                if other not in queued:
                    queued.add(other)
                    pending.append(other)
    return bounds


def _revise(relation: Relation, bounds: Mapping[VarKey, Bound]) -> Iterable[VarKey]:
    """Narrow each unknown of one relation from the others; yield those that narrowed."""
    terms = {k: _times(c, bounds[k]) for k, c in relation.coefficients.items()}
    low_total, high_total = _total(t[0] for t in terms.values()), _total(t[1] for t in terms.values())
    changed = []
    for key, coefficient in relation.coefficients.items():
        low = relation.constant - relation.error - _rest(high_total, terms[key][1], INF)
        high = relation.constant + relation.error - _rest(low_total, terms[key][0], -INF)
        low, high = (low / coefficient, high / coefficient) if coefficient > 0 else \
            (high / coefficient, low / coefficient)
        bound = bounds[key]
        tightened = False
        if low > bound.low + _margin(bound.low, low):
            bound.low, tightened = low, True
        if high < bound.high - _margin(bound.high, high):
            bound.high, tightened = high, True
        if tightened:
            if relation not in bound.used:
                bound.used.append(relation)
            changed.append(key)
    return changed


def _margin(old: float, new: float) -> float:
    return 1e-6 * max(abs(new), 1e-9) if math.isfinite(old) else 0.0


def _times(coefficient: float, bound: Bound) -> tuple[float, float]:
    ends = (coefficient * bound.low, coefficient * bound.high)
    return min(ends), max(ends)


def _total(values: Iterable[float]) -> tuple[float, int]:
    """Return the sum of the finite values and how many infinite ones there were (all of one sign)."""
    finite, infinite = 0.0, 0
    for value in values:
        if math.isfinite(value):
            finite += value
        else:
            infinite += 1
    return finite, infinite


def _rest(total: tuple[float, int], value: float, infinite: float) -> float:
    """Return the total without one of its values: infinite while another infinite value remains."""
    finite, count = total
    if math.isfinite(value):
        finite -= value
    else:
        count -= 1
    return finite if count == 0 else infinite


def scales_from_products(found: Mapping[VarKey, Bound]) -> dict[VarKey, Bound]:
    """Return the scales that determined products of scales pin down (their logarithms are linear)."""
    products = [(k, b) for k, b in found.items() if k[0] == "product" and 0 < b.low <= b.high < INF]
    if not products:
        return {}
    relations = []
    for key, bound in products:
        middle = math.log((bound.low + bound.high) / 2)
        error = math.log(bound.high / bound.low) / 2
        relations.append(Relation({("scale", s): float(e) for s, e in key[1]}, middle, error,
                                  bound.used[0].identity if bound.used else None, 0))  # type: ignore[arg-type]
    logs = determine(relations, {})
    return {key: Bound(math.exp(b.low), math.exp(b.high), b.used) for key, b in logs.items()}

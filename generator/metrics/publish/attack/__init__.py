"""The attacker: what a reader with a calculator recovers from everything the site publishes (issue 20).

`find_recoveries(loaded, config)` publishes the metrics as a build does, reads what a reader reads
(knowledge.py), takes every identity opensite knows (identities.py: each registry formula run by its own code, and
the input identities) as linear relations where the published values make them linear (relations.py), solves them
and narrows intervals through them (solve.py), reasons about whole numbers behind indexes (integers.py) and about
who is paid what behind payroll (pay.py). Each protected value it recovers more precisely than its rule allows is
a `Recovery`: the metric, the month, what the reader knows, the equations, and the rule to change.

What each rule allows (docs/metrics.md, "What a reader can and cannot infer"):

- `rounded` to a step s: knowing the value to within s; a recovery is knowing it to within s / 2;
- `hidden`: not knowing it; a recovery is bounding it on both sides to within the unit's default rounding step
  (1,000 for money, 10 for counts, a percentage point for ratios) or to within ± half its own size, whichever is
  wider: as much as `rounded` would have published, or its order of magnitude;
- `relative`: not knowing the scale; a recovery is bounding it within a factor of 2, or (whole numbers) the
  smallest base that makes every index whole being the true one;
- pay under `bands` or `hidden`: a recovery is any combination of published payroll months that singles out the
  pay of fewer than 3 people.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from generator.config.company import TeamConfig
from generator.config.metrics import Disclosure, MetricsConfig
from generator.config.site import SiteConfig
from generator.errors import Diagnostic
from generator.metrics.publish.attack.identities import list_identities
from generator.metrics.publish.attack.integers import RESOLUTIONS, smallest_base, true_base
from generator.metrics.publish.attack.knowledge import Knowledge, Target, read_knowledge, read_targets
from generator.metrics.publish.attack.pay import find_pay_isolations
from generator.metrics.publish.attack.relations import Relation, VarKey, find_relations, product_truth, scale_truth
from generator.metrics.publish.attack.solve import Bound, determine, narrow, scales_from_products
from generator.metrics.publish.payroll import pay_series
from generator.metrics.publish.rules import Publication, plan_publication, publish_metrics
from generator.metrics.series import LoadedMetrics, PublishedMetrics, format_month
from generator.registry import COST_PREFIX, Unit
from generator.registry.table import read_from

NON_NEGATIVE = frozenset({*read_from("mrr"), "arr", "reactivated_customers", "headcount_start"})
"""Series the loaders refuse below zero (mrr.csv's columns, read as amounts), besides every count."""
HIDDEN_SLACK = 1.01
"""A hidden value bounded to within its default rounding step (or its own size), give or take the 1 % that
the published values' own rounding adds, is recovered."""


@dataclass(frozen=True)
class Recovery:
    """A protected value a reader works out more precisely than its rule allows."""

    metric: str
    disclosure: Disclosure
    month: date | None
    known: str
    """What the reader knows, e.g. '14,820.00 ± 0.01' or 'its scale: 41,993 to 42,030'."""
    equations: tuple[str, ...]
    hint: str
    line: int | None
    months: int = 1
    """How many months of it are recovered."""


def find_recoveries(loaded: LoadedMetrics, config: SiteConfig | MetricsConfig,
                    published: PublishedMetrics | None = None) -> list[Recovery]:
    """Return every protected value the published metrics give back, one per metric (its first month).

    Args:
        loaded: what load_metrics returned (the attacker's answers are checked against it; it reads only
            what `published` holds).
        config: the site's settings.
        published: what the site publishes; by default publish_metrics(loaded, config). Tests pass planted
            leaks here.
    """
    plan = plan_publication(loaded, config)
    published = published if published is not None else publish_metrics(loaded, config)
    written = config.metrics if isinstance(config, SiteConfig) else config
    targets = read_targets(loaded, _resolved(plan), published, (written or MetricsConfig()).publish)
    team = config.team if isinstance(config, SiteConfig) else TeamConfig()
    recoveries = _pay(loaded, published, plan, team)
    if not targets:
        return recoveries
    knowledge = read_knowledge(loaded, published)
    custom = [d for d in (s.definition for s in loaded) if d is not None and d.custom]
    identities = list_identities(loaded, plan.settings, custom)
    relations = find_relations(knowledge, identities, plan.settings.ltv_churn_months)
    bounds = _solve(knowledge, relations)
    for target in targets:
        found = _assess(target, knowledge, bounds, plan)
        if found is not None:
            recoveries.append(found)
    return recoveries


def _resolved(plan: Publication):
    return {metric_id: node.rule for metric_id, node in plan.nodes.items()}


def _solve(knowledge: Knowledge, relations: Sequence[Relation]) -> dict[VarKey, Bound]:
    scale = {k: _truth_of(knowledge, k) for r in relations for k in r.coefficients}
    found = determine(relations, scale)
    found.update(scales_from_products(found))
    bounds = {key: Bound(b.low, b.high, list(b.used)) for key, b in found.items()}
    for (metric_id, month), (low, high) in knowledge.bounds.items():
        _within(bounds, ("cell", metric_id, month), float(low), float(high))
    for key in scale:
        if key[0] in ("scale", "product") or (key[0] == "cell" and _non_negative(knowledge, key[1])):
            _within(bounds, key, 0.0, math.inf)
    return narrow(relations, bounds)


def _within(bounds: dict[VarKey, Bound], key: VarKey, low: float, high: float) -> None:
    bound = bounds.setdefault(key, Bound())
    bound.low, bound.high = max(bound.low, low), min(bound.high, high)


def _non_negative(knowledge: Knowledge, metric_id: str) -> bool:
    return metric_id in NON_NEGATIVE or knowledge.units.get(metric_id) is Unit.COUNT


def _truth_of(knowledge: Knowledge, key: VarKey) -> float:
    if key[0] == "cell":
        value = knowledge.truth.get(key[1], [])[key[2]]
        return float(value) if value else 1.0
    return float(scale_truth(knowledge, key[1]) if key[0] == "scale" else product_truth(knowledge, key[1]))


def _assess(target: Target, knowledge: Knowledge, bounds: Mapping[VarKey, Bound], plan: Publication) -> Recovery | None:
    if target.disclosure is Disclosure.RELATIVE and target.id in knowledge.indexed:
        return _assess_scale(target, knowledge, bounds, plan)
    hits = []
    for month, truth in enumerate(knowledge.truth.get(target.id, [])):
        bound = bounds.get(("cell", target.id, month))
        if truth is None or bound is None or not _contains(bound, float(truth)):
            continue
        limit = float(target.allowed or 0)
        leaked = bound.width < limit / 2 if target.disclosure is Disclosure.ROUNDED else \
            math.isfinite(bound.width) and bound.width <= max(limit, abs(float(truth))) * HIDDEN_SLACK
        if leaked:
            hits.append((month, bound))
    if not hits:
        return None
    month, bound = hits[0]
    known = _plus_minus(_middle(bound), bound.width / 2)
    return _recovery(target, knowledge.months[month], known, bound.used, plan, len(hits))


def _assess_scale(target: Target, knowledge: Knowledge, bounds: Mapping[VarKey, Bound],
                  plan: Publication) -> Recovery | None:
    indexed = knowledge.indexed[target.id]
    base = true_base(indexed, knowledge.truth[target.id])
    bound = bounds.get(("scale", target.id))
    if bound is not None and bound.low > 0 and bound.high <= 2 * bound.low and _contains(bound, float(scale_truth(
            knowledge, target.id))):
        known = f"its scale (the value an index of 100 stands for): {_number(bound.low)} to {_number(bound.high)}"
        return _recovery(target, None, known, bound.used, plan, 1)
    for resolution in RESOLUTIONS.get(indexed.unit, ()):
        guess = smallest_base(indexed, resolution)
        if guess is not None and base is not None and abs(guess - base) < resolution / 2:
            known = (f"its scale: {_number(float(guess))}, the smallest base that makes every index × base ÷ 100 "
                     f"a whole number of {resolution}")
            return _recovery(target, None, known, [], plan, 1, equations=(f"{target.id} = base × index ÷ 100, "
                                                                         "a whole number each month",))
    return None


def _contains(bound: Bound, value: float) -> bool:
    slack = 1e-6 * max(abs(value), 1.0)
    return bound.low - slack <= value <= bound.high + slack


def _middle(bound: Bound) -> float:
    return (bound.low + bound.high) / 2


def _plus_minus(middle: float, half: float) -> str:
    """Return '14,820.00 ± 0.01' (money and counts to the cent) or '0.123457 ± 5e-07' (small values)."""
    if abs(middle) >= 1:
        return f"{middle:,.2f} ± {half:,.2f}"
    return f"{middle:.6g} ± {half:.2g}"


def _number(value: float) -> str:
    return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.6g}"


def _recovery(target: Target, month: date | None, known: str, used: Iterable[Relation], plan: Publication,
              months: int, equations: tuple[str, ...] | None = None) -> Recovery:
    relations = list(dict.fromkeys(used))[:3]
    texts = equations or tuple(dict.fromkeys(f"{r.identity.text} (in {format_month(plan.months[r.month])})"
                                              for r in relations if r.identity is not None)) or \
        (f"{target.id} as published",)
    return Recovery(target.id, target.disclosure, month, known, texts, _hint(target, relations, plan),
                    target.line, months)


def _hint(target: Target, relations: Sequence[Relation], plan: Publication) -> str:
    """Name the published series the equations read: the rules to change."""
    read = sorted({need for r in relations if r.identity is not None
                   for need in (*r.identity.definition.needs, r.identity.target)
                   if need != target.id and need in plan.nodes and plan.columns[need].published is not None
                   and not plan.columns[need].computed_from})
    lifted = [m for m in read if plan.nodes[m].rule.rule.lift]
    if lifted:
        return f"remove lift_propagation from {', '.join(lifted)}"
    if read:
        return f"hide or round {', '.join(read)} too, or publish {target.id} less strictly"
    return f"publish {target.id} less strictly, or hide more of what it is computed from"


def _pay(loaded: LoadedMetrics, published: PublishedMetrics, plan: Publication, team: TeamConfig) -> list[Recovery]:
    categories = [m[len(COST_PREFIX):] for m in loaded.series if m.startswith(COST_PREFIX)]
    found = []
    for isolation in find_pay_isolations(loaded, published, team, pay_series(plan.settings, team, categories)):
        rule = plan.nodes[isolation.metric].rule if isolation.metric in plan.nodes else None
        since = f" against {format_month(isolation.earlier)}" if isolation.earlier else ""
        found.append(Recovery(
            isolation.metric, rule.disclosure if rule else Disclosure.EXACT, isolation.month,
            f"the pay of fewer than 3 people, from {format_month(isolation.month)}{since}",
            (f"{isolation.metric} = Σ salaries ÷ 12 of the people here at each month end",),
            f"with team.salaries: {team.salaries.value}, publish {isolation.metric} rounded (the bands rule) or "
            "hidden: remove its rule from metrics.publish", rule.rule.line if rule else team.line))
    return found


def recovery_diagnostics(recoveries: Iterable[Recovery], settings: MetricsConfig | None,
                         severity: str = "error") -> list[Diagnostic]:
    """Return one diagnostic per recovery, at the rule's site.yaml line."""
    source = settings.source if settings else None
    diagnostics = []
    for found in recoveries:
        when = ""
        if found.month is not None:
            more = f" (and {found.months - 1} more month{'s' if found.months > 2 else ''})" if found.months > 1 else ""
            when = f" in {format_month(found.month)}{more}"
        diagnostics.append(Diagnostic(
            f"{found.metric} is {found.disclosure.value}, but readers can work out {found.known}{when}, "
            f"from {'; '.join(found.equations)}", source, found.line, None, found.hint, severity))
    return diagnostics

"""The registry of definitions: refuses duplicates, keeps needs honest, documents every row."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

import generator
from generator.metrics import derived_metric, get_definition
from generator.registry import (
    METRIC_DEFINITIONS,
    MonthView,
    NullReason,
    Undefined,
    Unit,
    bilingual,
)
from generator.registry.table import _REGISTRY

METRIC_IDS = tuple(METRIC_DEFINITIONS)


@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_every_definition_documents_itself(metric_id: str) -> None:
    definition = METRIC_DEFINITIONS[metric_id]
    assert definition.label.default and definition.formula and definition.description.default.endswith(".")
    assert definition.null_reasons, "every metric can be null somewhere"
    assert definition.is_input == (definition.source is not None)


@pytest.mark.parametrize("metric_id", METRIC_IDS)
def test_every_definition_speaks_english_and_chinese(metric_id: str) -> None:
    definition = METRIC_DEFINITIONS[metric_id]
    texts = [definition.label, definition.description, *(when for _, when in definition.null_reasons)]
    texts += [definition.source] if definition.source else []
    for text in texts:
        assert set(text.translations) == {"en", "zh-CN"}, text
        assert text.get("en") == text.default
        assert text.get("zh-CN") != text.get("en") or text.default.endswith(".csv"), text
    assert definition.description.get("zh-CN").endswith("。")


def test_higher_is_better_marks_losses_and_costs_as_bad_news() -> None:
    bad = {m for m in METRIC_IDS if not METRIC_DEFINITIONS[m].higher_is_better}
    assert bad == {"contraction_mrr", "churned_mrr", "churned_customers", "customer_churn_rate",
                   "gross_mrr_churn_rate", "net_mrr_churn_rate", "costs", "net_burn",
                   "departures", "attrition_rate", "attrition_rate_12m", "payroll_monthly", "acquisition_spend", "cac",
                   "cac_3m", "cac_payback_months"}


def test_derived_metric_refuses_a_duplicate_id() -> None:
    with pytest.raises(ValueError, match="'mrr' is already defined"):
        derived_metric("mrr", unit=Unit.CURRENCY, needs=(), label=bilingual("x", "x"), formula="x",
                       description=bilingual("x.", "x。"),
                       nulls={})(lambda at: Decimal(0))


def test_derived_metric_refuses_needs_nobody_provides() -> None:
    with pytest.raises(ValueError, match="needs bookings, which no earlier definition provides"):
        derived_metric("doubled", unit=Unit.CURRENCY, needs=("bookings",), label=bilingual("x", "x"), formula="x",
                       description=bilingual("x.", "x。"),
                       nulls={})(lambda at: Decimal(0))
    assert "doubled" not in METRIC_DEFINITIONS


def test_derived_metric_registers_a_new_formula() -> None:
    try:
        @derived_metric("double_mrr", unit=Unit.CURRENCY, needs=("mrr",), label=bilingual("Double MRR", "双倍 MRR"),
                        formula="2 × mrr", description=bilingual("Twice MRR.", "两倍 MRR。"),
                        nulls={NullReason.MISSING_INPUT: bilingual("no row", "没有行")})
        def double_mrr(at: MonthView) -> Decimal:
            return 2 * at["mrr"]
        assert METRIC_DEFINITIONS["double_mrr"].compute is double_mrr
    finally:
        _REGISTRY.pop("double_mrr", None)


def _view(needs: set[str], columns: dict[str, list]) -> MonthView:
    return MonthView(index=1, columns=columns, needs=frozenset(needs), ltv_churn_months=6)


def test_month_view_refuses_undeclared_reads() -> None:
    view = _view({"mrr"}, {"mrr": [(Decimal(1), None)] * 2, "cash": [(Decimal(1), None)] * 2})
    with pytest.raises(KeyError, match="without declaring it"):
        view["cash"]


def test_month_view_turns_undefined_inputs_into_reasons() -> None:
    view = _view({"mrr"}, {"mrr": [(None, NullReason.MISSING_INPUT), (None, NullReason.ZERO_DENOMINATOR)]})
    with pytest.raises(Undefined) as own:
        view["mrr"]
    assert own.value.reason is NullReason.ZERO_DENOMINATOR
    with pytest.raises(Undefined) as previous:
        view.prev("mrr")
    assert previous.value.reason is NullReason.NO_PREVIOUS_MONTH
    with pytest.raises(Undefined) as history:
        view.back("mrr", 12)
    assert history.value.reason is NullReason.INSUFFICIENT_HISTORY


def test_month_view_mean_skips_undefined_months() -> None:
    view = _view({"rate"}, {"rate": [(Decimal("0.1"), None), (Decimal("0.3"), None)]})
    assert view.mean("rate", 6) == Decimal("0.2")


def test_month_view_trailing_needs_every_month_of_the_window() -> None:
    view = _view({"n"}, {"n": [(Decimal(2), None), (Decimal(5), None)]})
    assert view.trailing("n", 2) == [Decimal(2), Decimal(5)]
    with pytest.raises(Undefined) as short:
        view.trailing("n", 3)
    assert short.value.reason is NullReason.INSUFFICIENT_HISTORY
    gap = _view({"n"}, {"n": [(None, NullReason.ZERO_DENOMINATOR), (Decimal(5), None)]})
    with pytest.raises(Undefined) as hole:
        gap.trailing("n", 2)
    assert hole.value.reason is NullReason.ZERO_DENOMINATOR


def test_get_definition_generates_cost_categories() -> None:
    definition = get_definition("costs.cloud_hosting", "Cloud hosting")
    assert (definition.label.get("en"), definition.unit) == ("Costs: Cloud hosting", Unit.CURRENCY)
    assert definition.label.get("zh-CN") == "成本：Cloud hosting"
    with pytest.raises(KeyError):
        get_definition("bookings")


def _string_collections(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Return (line, strings) of every tuple, list or set literal made of string constants."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            found.append((node.lineno, [e.value for e in node.elts]))
    return found


HAND_KEPT_LIST = 5
"""A literal naming this many metric ids is a hand-kept list (default cards, a chart's series, report sections)."""


def test_each_built_in_metric_is_declared_once_and_listed_nowhere_else() -> None:
    """One fact, one place (issue 18): a metric's id is registered once; no module keeps a list of metric ids."""
    package = Path(generator.__file__).parent
    declared: dict[str, list[str]] = {}
    lists = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("input_metric", "derived_metric") \
                    and node.args and isinstance(node.args[0], ast.Constant):
                declared.setdefault(node.args[0].value, []).append(path.name)
        if "registry" in path.relative_to(package).parts:
            continue  # entries name what they need (needs=...)
        for line, strings in _string_collections(tree):
            if len(set(strings) & set(METRIC_IDS)) >= HAND_KEPT_LIST and "month" not in strings:  # not a file's columns
                lists.append(f"{path.relative_to(package)}:{line}")
    assert {m: len(where) for m, where in declared.items()} == {m: 1 for m in METRIC_IDS}
    assert lists == [], "metric ids listed by hand: ask the registry (Presence, default_card_ids, chart_series)"


def test_the_list_detector_sees_a_hand_kept_list() -> None:
    tree = ast.parse('CARDS = ("mrr", "arr", "customers")\nOTHER = ("a", "b")\n')
    assert [(line, len(s)) for line, s in _string_collections(tree)] == [(1, 3), (2, 2)]

"""docs/metrics.md documents every metric row, null reason and site.yaml key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config.metrics import FILE_COLUMNS, Disclosure
from generator.registry import METRIC_DEFINITIONS, NullReason

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("metric_id", [*METRIC_DEFINITIONS, "costs.<category>"])
def test_docs_have_a_table_row_per_metric(text: str, metric_id: str) -> None:
    assert f"| `{metric_id}` |" in text


@pytest.mark.parametrize("reason", list(NullReason))
def test_docs_explain_each_null_reason(text: str, reason: NullReason) -> None:
    assert f"| `{reason.value}` |" in text


@pytest.mark.parametrize("key", ["currency", "bridge", "customer_identity", "ltv_churn_months", "decimal_comma",
                                 "encoding", "columns", "round_to", "hide_derived", *FILE_COLUMNS,
                                 *(d.value for d in Disclosure)])
def test_docs_describe_each_config_key(text: str, key: str) -> None:
    assert f"`{key}`" in text or f"{key}:" in text


@pytest.mark.parametrize("topic", ["Customer churn denominator", "Same-month signup and cancel", "LTV window"])
def test_docs_explain_vendor_choices(text: str, topic: str) -> None:
    assert f"**{topic}.**" in text


def _definition_rows(text: str) -> dict[str, tuple[str, str]]:
    """Return the Definitions table of docs/metrics.md as {id: (label, unit)}."""
    table = text.split("## Definitions", 1)[1].split("\n\n", 3)[2]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = (cells[1], cells[2].split(" (")[0])
    return rows


def test_docs_definitions_table_agrees_with_the_registry(text: str) -> None:
    from generator.metrics import METRIC_DEFINITIONS
    rows = _definition_rows(text)
    assert [m for m in rows if m != "costs.<category>"] == list(METRIC_DEFINITIONS)  # same ids, same order
    for metric_id, definition in METRIC_DEFINITIONS.items():
        assert rows[metric_id] == (definition.label.get("en"), definition.unit.value), metric_id


def test_docs_table_check_fails_on_drift() -> None:
    drifted = "## Definitions\n\nintro\n\n| id | label | unit |\n|---|---|---|\n| `mrr` | Revenue | currency |\n"
    assert _definition_rows(drifted) == {"mrr": ("Revenue", "currency")}


@pytest.mark.parametrize("key", ["custom", "formula", "prev(", "sum(", "mean(", "per", "higher_is_better", "label"])
def test_docs_explain_custom_metrics(text: str, key: str) -> None:
    assert "## Your own metrics" in text and key in text.split("## Your own metrics", 1)[1]

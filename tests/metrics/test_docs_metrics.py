"""docs/metrics.md documents every metric row, null reason and site.yaml key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config.metrics import FILE_COLUMNS, METRIC_IDS, Disclosure
from generator.metrics.series import NullReason

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("metric_id", [*METRIC_IDS, "costs.<category>"])
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

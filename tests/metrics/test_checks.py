"""The MRR bridge and the customer identity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.config.metrics import CheckLevel
from generator.metrics.compute.checks import check_customer_identity, check_mrr_bridge
from generator.metrics.read.inputs import ChurnFile, ChurnRow, MrrFile, MrrRow

PATH = Path("/site/metrics/mrr.csv")


def _mrr_row(month: int, mrr: str, new: str = "0", expansion: str = "0", contraction: str = "0",
             churned: str = "0", reactivation: str = "0") -> MrrRow:
    values = [Decimal(v) for v in (mrr, new, expansion, contraction, churned, reactivation)]
    return MrrRow(date(2024, month, 1), month + 1, *values)


def test_check_mrr_bridge_reports_expected_actual_and_difference() -> None:
    mrr = MrrFile(PATH, (_mrr_row(1, "1000", new="1000"),
                         _mrr_row(2, "1150", new="300", expansion="50", contraction="20", churned="130",
                                  reactivation="10")), True)
    [problem] = check_mrr_bridge(mrr, CheckLevel.ERROR)
    assert (problem.path, problem.line, problem.severity) == (PATH, 3, "error")
    assert problem.message == (
        "MRR bridge does not balance in 2024-02: expected 1,210.00 (1,000.00 in 2024-01 + new 300.00 + expansion "
        "50.00 + reactivation 10.00 - contraction 20.00 - churned 130.00), actual 1,150.00, difference -60.00")
    assert "bridge: warn" in problem.hint


def test_check_mrr_bridge_tolerates_a_cent() -> None:
    mrr = MrrFile(PATH, (_mrr_row(1, "1000.00"), _mrr_row(2, "1100.01", new="100")), True)
    assert check_mrr_bridge(mrr, CheckLevel.ERROR) == []
    mrr = MrrFile(PATH, (_mrr_row(1, "1000.00"), _mrr_row(2, "1100.02", new="100")), True)
    assert len(check_mrr_bridge(mrr, CheckLevel.ERROR)) == 1


def test_check_mrr_bridge_skips_first_month_and_month_after_a_gap() -> None:
    mrr = MrrFile(PATH, (_mrr_row(1, "1000"), _mrr_row(3, "5000", new="1")), True)
    assert check_mrr_bridge(mrr, CheckLevel.ERROR) == []


def test_check_mrr_bridge_warns_when_configured() -> None:
    mrr = MrrFile(PATH, (_mrr_row(1, "1000"), _mrr_row(2, "900")), True)
    [problem] = check_mrr_bridge(mrr, CheckLevel.WARN)
    assert problem.severity == "warning" and "bridge: warn" not in problem.hint


def test_check_mrr_bridge_needs_movements() -> None:
    mrr = MrrFile(PATH, (MrrRow(date(2024, 1, 1), 2, Decimal(1)), MrrRow(date(2024, 2, 1), 3, Decimal(5))), False)
    assert check_mrr_bridge(mrr, CheckLevel.ERROR) == []


def test_check_customer_identity_warns_with_the_numbers() -> None:
    churn = ChurnFile(Path("churn.csv"), (ChurnRow(date(2024, 1, 1), 2, 10, 10, 0),
                                          ChurnRow(date(2024, 2, 1), 3, 15, 5, 2, 1)))
    [problem] = check_customer_identity(churn, CheckLevel.WARN)
    assert problem.severity == "warning" and problem.line == 3
    assert problem.message == ("customers do not add up in 2024-02: expected 14 (10 in 2024-01 + 5 new + 1 reactivated"
                               " - 2 churned), actual 15, difference +1")


def test_check_customer_identity_accepts_counts_that_add_up() -> None:
    churn = ChurnFile(Path("churn.csv"), (ChurnRow(date(2024, 1, 1), 2, 10, 10, 0),
                                          ChurnRow(date(2024, 2, 1), 3, 13, 4, 2, 1)))
    assert check_customer_identity(churn, CheckLevel.ERROR) == []

"""Month-end MRR and movements from paid segments, against values computed by hand."""

from __future__ import annotations

from datetime import date, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.errors import MetricsError
from generator.importers.movements import MonthRow, compute_months
from generator.importers.records import Segment, SubscriptionLog, parse_instant

UTC = ZoneInfo("UTC")


def _at(text: str) -> int:
    return parse_instant(text, timezone.utc)


def _log(segments: list[tuple[int, str, str | None, str]], latest: str) -> SubscriptionLog:
    return SubscriptionLog(Path("export.csv"), tuple(
        Segment(customer, _at(start), _at(end) if end else None, Decimal(mrr))
        for customer, start, end, mrr in segments), _at(latest), len(segments), len({s[0] for s in segments}))


def _row(rows: tuple[MonthRow, ...], month: str) -> MonthRow:
    return next(row for row in rows if f"{row.month:%Y-%m}" == month)


def test_compute_months_classifies_each_movement() -> None:
    # customer 1: 100 in Jan, upgrades to 150 in Feb, downgrades to 120 in Mar, cancels in Apr
    # customer 2: 50 from Feb on
    months = compute_months(_log([
        (1, "2024-01-10 00:00", "2024-02-05 00:00", "100"),
        (1, "2024-02-05 00:00", "2024-03-20 00:00", "150"),
        (1, "2024-03-20 00:00", "2024-04-02 00:00", "120"),
        (2, "2024-02-11 00:00", None, "50"),
    ], "2024-04-30 12:00"), UTC)
    jan, feb, mar, apr = months.rows
    assert (jan.mrr, jan.new, jan.customers, jan.new_customers) == (100, 100, 1, 1)
    assert (feb.mrr, feb.new, feb.expansion, feb.customers, feb.new_customers) == (200, 50, 50, 2, 1)
    assert (mar.mrr, mar.contraction, mar.expansion, mar.new) == (170, 30, 0, 0)
    assert (apr.mrr, apr.churned, apr.customers, apr.churned_customers) == (50, 120, 1, 1)


def test_compute_months_reactivation_after_a_gap_and_zero_rows_between() -> None:
    # 80 in Jan and Feb, gone at the end of Mar and Apr, back at 90 in May; another customer new in May
    months = compute_months(_log([
        (1, "2024-01-03 00:00", "2024-03-10 00:00", "80"),
        (1, "2024-05-02 00:00", None, "90"),
        (2, "2024-05-20 00:00", None, "10"),
    ], "2024-05-31 10:00"), UTC)
    assert [f"{row.month:%Y-%m}" for row in months.rows] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    mar, apr, may = months.rows[2:]
    assert (mar.mrr, mar.churned, mar.churned_customers, mar.customers) == (0, 80, 1, 0)
    assert (apr.mrr, apr.new, apr.churned, apr.customers) == (0, 0, 0, 0)
    assert (may.reactivation, may.reactivated_customers, may.new, may.new_customers) == (90, 1, 10, 1)
    assert may.mrr == 100 and may.customers == 2


def test_compute_months_same_month_start_and_cancel_is_in_no_snapshot() -> None:
    # customer 2 pays 40 from Feb 3 to Feb 20: no month end sees it; when they come back in Apr,
    # they have paid before, so that is a reactivation, not new
    months = compute_months(_log([
        (1, "2024-01-05 00:00", None, "10"),
        (2, "2024-02-03 00:00", "2024-02-20 00:00", "40"),
        (2, "2024-04-01 00:00", None, "40"),
    ], "2024-04-30 00:00"), UTC)
    assert months.short == 1
    feb = _row(months.rows, "2024-02")
    assert (feb.mrr, feb.new, feb.churned, feb.customers) == (10, 0, 0, 1)
    apr = _row(months.rows, "2024-04")
    assert (apr.reactivation, apr.new, apr.reactivated_customers) == (40, 0, 1)


def test_compute_months_starts_at_first_month_with_mrr() -> None:
    # the December subscription ends before the month is over: January is the first month with MRR
    months = compute_months(_log([
        (1, "2023-12-02 00:00", "2023-12-09 00:00", "25"),
        (2, "2024-01-15 00:00", None, "30"),
    ], "2024-02-10 00:00"), UTC)
    assert months.rows[0].month == date(2024, 1, 1)
    assert months.short == 1


def test_compute_months_measures_the_month_in_progress_at_the_latest_event() -> None:
    # at the latest event (Mar 10) a paid start on Mar 20 (a trial ending) has not happened, and a
    # subscription that ends on Mar 25 is still running
    months = compute_months(_log([
        (1, "2024-01-05 00:00", "2024-03-25 00:00", "100"),
        (2, "2024-03-20 00:00", None, "70"),
        (3, "2024-02-01 00:00", None, "5"),
    ], "2024-03-10 08:00"), UTC)
    mar = months.rows[-1]
    assert months.in_progress and months.measured_at == _at("2024-03-10 08:00")
    assert (mar.mrr, mar.new, mar.churned, mar.customers) == (105, 0, 0, 2)


def test_compute_months_month_boundary_in_the_site_time_zone() -> None:
    # 2024-01-31 17:00 UTC is 2024-02-01 01:00 in Shanghai: a start then is in January's snapshot in
    # UTC, not in Shanghai's. 2024-01-31 16:30 UTC is 00:30 on Feb 1 in Shanghai: a subscription
    # ending then was still running at the end of January 31 in Shanghai, but ended inside January in UTC.
    log = _log([
        (1, "2024-01-02 00:00", "2024-01-31 16:30", "100"),
        (2, "2024-01-31 17:00", None, "60"),
        (3, "2024-01-01 00:00", None, "1"),
    ], "2024-02-15 00:00")
    shanghai = compute_months(log, ZoneInfo("Asia/Shanghai")).rows[0]
    utc = compute_months(log, UTC).rows[0]
    assert (shanghai.mrr, shanghai.customers) == (101, 2)
    assert (utc.mrr, utc.customers) == (61, 2)


def test_compute_months_rounds_each_customer_to_the_cent_so_the_bridge_balances() -> None:
    # 10/3 a month: in Jan each customer has one (3.33 + 3.33 = 6.66); from Feb customer 1 has two,
    # 6.67 rounded once (not 3.33 + 3.33), and customer 2 has left; the bridge holds exactly
    third = str(Decimal(10) / 3)
    months = compute_months(_log([
        (1, "2024-01-01 00:00", None, third), (1, "2024-02-01 00:00", None, third),
        (2, "2024-01-01 00:00", "2024-02-10 00:00", third),
    ], "2024-03-31 00:00"), UTC)
    jan, feb, mar = months.rows
    assert (jan.mrr, feb.mrr, mar.mrr) == (Decimal("6.66"), Decimal("6.67"), Decimal("6.67"))
    assert feb.expansion == Decimal("3.34") and feb.churned == Decimal("3.33")
    for before, after in zip(months.rows, months.rows[1:]):
        assert before.mrr + after.new + after.expansion + after.reactivation - after.contraction - after.churned \
            == after.mrr


def test_compute_months_until_stops_early_and_measures_at_month_end() -> None:
    months = compute_months(_log([(1, "2024-01-05 00:00", "2024-03-01 00:00", "10"),
                                  (2, "2024-02-05 00:00", None, "20")], "2024-05-01 00:00"), UTC,
                            until=date(2024, 2, 1))
    assert [row.mrr for row in months.rows] == [10, 30]
    assert not months.in_progress


def test_compute_months_without_any_paid_segment_is_an_error() -> None:
    with pytest.raises(MetricsError, match="ever paid"):
        compute_months(_log([], "2024-01-01 00:00"), UTC)
    with pytest.raises(MetricsError, match="no customer was paying at any month end"):
        compute_months(_log([(1, "2024-01-03 00:00", "2024-01-09 00:00", "10")], "2024-01-20 00:00"), UTC)
    with pytest.raises(MetricsError, match="before the first paid month"):
        compute_months(_log([(1, "2024-01-03 00:00", None, "10")], "2024-01-20 00:00"), UTC, until=date(2023, 12, 1))

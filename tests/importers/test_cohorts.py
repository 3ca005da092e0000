"""Cohorts from an import, against a brute-force computation from the Stripe example export itself."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from generator.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "imports" / "stripe-subscriptions.csv"
CONFIG = "title: T\nbase_url: https://t.example/\ntimezone: Asia/Shanghai\nmetrics:\n  fx: {EUR: 1.08}\n"
FACTOR = {"month": Decimal(1), "year": Decimal(1) / 12, "week": Decimal(52) / 12, "day": Decimal(365) / 12}


def _moment(text: str) -> int | None:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc).timestamp()) if text else None


def _expected_cohorts() -> dict[tuple[str, int], tuple[int, Decimal]]:
    """Every customer's MRR at every month end, by brute force, then grouped by first paying month and age."""
    rows = list(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    latest = max(m for row in rows for key in ("Created (UTC)", "Start (UTC)", "Canceled At (UTC)", "Ended At (UTC)")
                 if (m := _moment(row[key])) is not None)
    paying = []
    for row in rows:
        start, trial, ended = _moment(row["Start (UTC)"]), _moment(row["Trial End (UTC)"]), _moment(row["Ended At (UTC)"])
        paid = max(start, trial) if trial else start
        if row["Status"] in ("incomplete", "incomplete_expired", "paused") or (ended and ended <= paid) or paid > latest:
            continue
        amount = Decimal(row["Amount"]) * int(row["Quantity"]) * FACTOR[row["Interval"]] / int(row["Interval Count"])
        paying.append((row["Customer ID"], paid, ended, amount * (Decimal("1.08") if row["Currency"] == "eur" else 1)))
    zone = ZoneInfo("Asia/Shanghai")
    first = min(datetime.fromtimestamp(p, zone).date().replace(day=1) for _, p, _, _ in paying)
    months, month = [], first
    while True:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        snapshot = int(datetime(following.year, following.month, 1, tzinfo=zone).timestamp())
        months.append((month, min(snapshot, latest + 1)))
        if snapshot > latest:
            break
        month = following
    mrr = defaultdict(dict)
    for index, (_, snapshot) in enumerate(months):
        totals = defaultdict(Decimal)
        for customer, paid, ended, amount in paying:
            if paid < snapshot and (ended is None or ended >= snapshot):
                totals[customer] += amount
        for customer, total in totals.items():
            if total.quantize(Decimal("0.01"), ROUND_HALF_UP) > 0:
                mrr[customer][index] = total.quantize(Decimal("0.01"), ROUND_HALF_UP)
    cells: dict[tuple[str, int], list] = defaultdict(lambda: [0, Decimal(0)])
    for customer, by_month in mrr.items():
        cohort = min(by_month)
        for index in range(cohort, len(months)):
            cell = cells[(f"{months[cohort][0]:%Y-%m}", index - cohort)]
            if index in by_month:
                cell[0] += 1
                cell[1] += by_month[index]
    return {key: (count, money) for key, (count, money) in cells.items()}


def test_cohorts_equal_a_brute_force_computation_on_the_stripe_example(runner: CliRunner, make_site) -> None:
    site = make_site(config=CONFIG)
    result = runner.invoke(main, ["import", "stripe", str(EXAMPLE), "-s", str(site)])
    assert result.exit_code == 0, result.output
    lines = (site / "metrics" / "cohorts.csv").read_text().splitlines()
    assert lines[0] == "cohort,age,customers,mrr"
    written = {(cohort, int(age)): (int(count), Decimal(money))
               for cohort, age, count, money in (line.split(",") for line in lines[1:])}
    expected = _expected_cohorts()
    assert written == expected
    assert len({cohort for cohort, _ in written}) >= 15 and max(age for _, age in written) >= 15
    assert "cus_" not in (site / "metrics" / "cohorts.csv").read_text()

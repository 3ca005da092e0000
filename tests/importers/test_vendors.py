"""Paddle, Lemon Squeezy and Chargebee exports of one history import to the files its event log imports to.

The history (tests/histories.py) has trials, an annual plan, seats, an upgrade and a downgrade,
a cancellation at the period end and one at once (refunded, inside one month), a scheduled cancellation,
a pause and resume, a pause for good, a return on a new subscription and two currencies. The event log
is written from the history directly, so the comparison checks each reader against an independent path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from histories import (
    UNTIL,
    chargebee_line_items,
    chargebee_subscriptions,
    events_log,
    lemonsqueezy_invoices,
    lemonsqueezy_subscriptions,
    paddle_subscriptions,
    paddle_transactions,
    scenario,
)
from support import read_tree

from generator.cli import main

CONFIG = "title: Test Co\nbase_url: https://test.example/\ntimezone: Asia/Shanghai\nmetrics:\n  fx: {EUR: 1.08}\n"
EXPORTS = {
    "paddle": (paddle_subscriptions, paddle_transactions),
    "lemonsqueezy": (lemonsqueezy_subscriptions, lemonsqueezy_invoices),
    "chargebee": (chargebee_subscriptions, chargebee_line_items),
}
PLANTED = ("ctm_", "@ex.org", "Person ", "Tallybird", "sub_", "txn_")


def _import(runner: CliRunner, site: Path, *args: str) -> dict[str, str]:
    result = runner.invoke(main, ["import", *args, "--until", UNTIL, "-s", str(site)])
    assert result.exit_code == 0, result.output
    for value in PLANTED:
        assert value not in result.output
    return {name: (site / "metrics" / name).read_text() for name in ("mrr.csv", "churn.csv", "cohorts.csv")}


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, str]:
    """The monthly files of the history's event log."""
    root = tmp_path_factory.mktemp("events")
    (root / "site" / "metrics").mkdir(parents=True)
    (root / "site" / "site.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "log.csv").write_text(events_log(scenario()), encoding="utf-8")
    return _import(CliRunner(), root / "site", "events", str(root / "log.csv"))


def _site(tmp_path: Path) -> Path:
    (tmp_path / "site" / "metrics").mkdir(parents=True)
    (tmp_path / "site" / "site.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path / "site"


@pytest.mark.parametrize("source", list(EXPORTS))
def test_vendor_exports_import_to_the_files_of_the_event_log(runner: CliRunner, tmp_path: Path, expected, source: str):
    subscriptions, history = EXPORTS[source]
    site = _site(tmp_path)
    (tmp_path / "subs.csv").write_text(subscriptions(scenario()), encoding="utf-8")
    (tmp_path / "history.csv").write_text(history(scenario()), encoding="utf-8")
    files = _import(runner, site, source, str(tmp_path / "history.csv"), str(tmp_path / "subs.csv"))
    assert files == expected
    for relpath, data in read_tree(site).items():
        for value in PLANTED:
            assert value.encode() not in data, f"{value} leaked into {relpath}"


def test_the_event_log_files_hold_what_the_history_says(expected) -> None:
    """Spot checks by hand, so the comparison above cannot pass on two equal wrong answers."""
    rows = {line.split(",")[0]: line.split(",") for line in expected["mrr.csv"].splitlines()[1:]}
    # January: a (29) and j (59), k not yet; b in trial
    assert rows["2024-01"][1] == "88.00"
    # April 2024: a 29, b 99 (upgraded on the 10th), c 3×49 EUR = 158.76, d 490/12 = 40.83, e 19, f 29 EUR = 31.32,
    # j 59; k cancelled on the 1st (churn 29); g started and ended inside April (in no snapshot)
    assert rows["2024-04"][1] == f"{29 + 99 + 158.76 + 40.83 + 19 + 31.32 + 59:.2f}"
    assert rows["2024-04"][6] == "0.00" and rows["2024-04"][5] == "29.00"
    # June: e cancelled at its period end (19) and f paused (31.32); July: j paused for good (59), k returns (29)
    assert rows["2024-06"][5] == f"{19 + 31.32:.2f}"
    assert rows["2024-07"][5] == "59.00" and rows["2024-07"][6] == "29.00"
    assert list(rows) == [f"2024-{m:02d}" for m in range(1, 12)]


@pytest.mark.parametrize("source", list(EXPORTS))
def test_subscriptions_export_alone_dates_no_change_but_still_imports(runner: CliRunner, tmp_path: Path,
                                                                       source: str) -> None:
    site = _site(tmp_path)
    subscriptions, _ = EXPORTS[source]
    (tmp_path / "subs.csv").write_text(subscriptions(scenario()), encoding="utf-8")
    files = _import(runner, site, source, str(tmp_path / "subs.csv"))
    november = files["mrr.csv"].splitlines()[-1].split(",")
    assert november[0] == "2024-11"
    # at the end of November every subscription pays its current price either way
    assert november[1] == f"{29 + 99 + 2 * 49 * 1.08 + 40.83 + 29 * 1.08 + 39 + 29:.2f}"

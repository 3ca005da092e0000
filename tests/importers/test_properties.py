"""Properties of any event log: the written mrr.csv bridges, the customer identity holds, re-import is identical."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config.metrics import CheckLevel, FileOptions
from generator.errors import MetricsError
from generator.importers.events import load_events_log
from generator.importers.movements import compute_months
from generator.importers.records import ImportContext
from generator.importers.tables import render_churn_csv, render_mrr_csv
from generator.metrics.compute.checks import check_customer_identity, check_mrr_bridge
from generator.metrics.read.inputs import load_churn_file, load_mrr_file
from generator.metrics.read.money import FxRates

CTX = ImportContext("USD", FxRates("USD"), ZoneInfo("America/New_York"))

_rows = st.lists(st.tuples(
    st.integers(0, 500).map(lambda days: date(2023, 1, 1) + timedelta(days=days)),
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.one_of(st.just("0"), st.decimals(min_value=0, max_value=5000, places=2).map(str),
              st.decimals(min_value=0, max_value=100, places=5).map(str)),  # fractions of a cent add up
), min_size=1, max_size=40)


def _log_text(rows: list[tuple[date, str, str]]) -> str:
    unique = {(day, customer): mrr for day, customer, mrr in rows}  # one value per customer and day
    return "date,customer,mrr\n" + "".join(f"{day},{customer},{mrr}\n" for (day, customer), mrr in unique.items())


def _import(text: str, folder: Path) -> tuple[bytes, bytes] | None:
    export = folder / "log.csv"
    export.write_text(text, encoding="utf-8")
    log = load_events_log(export, CTX)
    if not log.segments:
        return None
    try:
        months = compute_months(log, CTX.zone)
    except MetricsError as error:  # only "nobody paid at a month end" may stop a valid log
        assert "no customer was paying" in str(error)
        return None
    return render_mrr_csv(months, FileOptions(), None), render_churn_csv(months, FileOptions(), None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rows)
def test_any_event_log_bridges_and_reimports_identically(rows) -> None:
    text = _log_text(rows)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        first = _import(text, folder)
        if first is None:
            return
        assert _import(text, folder) == first
        shuffled = "date,customer,mrr\n" + "".join(reversed(text.splitlines(keepends=True)[1:]))
        assert _import(shuffled, folder) == first  # row order never matters
        (folder / "mrr.csv").write_bytes(first[0])
        (folder / "churn.csv").write_bytes(first[1])
        mrr, problems = load_mrr_file(folder / "mrr.csv", FileOptions(), False)
        churn, churn_problems = load_churn_file(folder / "churn.csv", FileOptions(), False)
        assert not problems and not churn_problems and mrr is not None and churn is not None
        assert check_mrr_bridge(mrr, CheckLevel.ERROR) == []
        assert check_customer_identity(churn, CheckLevel.ERROR) == []
        assert [row.month for row in mrr.rows] == [row.month for row in churn.rows]
        assert mrr.rows[0].mrr > 0 and all(row.mrr >= 0 for row in mrr.rows)
        assert all((row.mrr > 0) == (c.customers > 0) for row, c in zip(mrr.rows, churn.rows))

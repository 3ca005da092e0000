"""site.yaml's imports: list, validated at config time: source names, files, column maps, statuses."""

from __future__ import annotations

import pytest

from generator.build import load_site_config
from generator.errors import ConfigError

BASE = "title: T\nbase_url: https://t.example/\nimports:\n"


def _load(make_site, entries: str):
    return load_site_config(make_site(config=BASE + entries))


def test_entries_are_read_with_their_defaults(make_site) -> None:
    config = _load(make_site, "  - {source: paddle, file: [a.csv, b.csv], customers: shared}\n"
                              "  - {source: mapped, file: w.csv, map: {date: 日期, customer: 用户, amount: 金额}, "
                              "interval: month, statuses: {成功: paid}}\n")
    paddle, mapped = config.imports
    assert (paddle.source, paddle.files, paddle.customers, paddle.encoding) == ("paddle", ("a.csv", "b.csv"),
                                                                                 "shared", "utf-8")
    assert dict(mapped.columns) == {"date": "日期", "customer": "用户", "amount": "金额"}
    assert (mapped.skip_rows, mapped.each_row, mapped.amounts, mapped.grace_days) == (None, "payment", "major", 7)
    assert dict(mapped.statuses) == {"成功": "paid"} and "合计" in mapped.ignore_rows


@pytest.mark.parametrize(("entries", "expected"), [
    ("  - {source: lemonsquezy, file: a.csv}\n", "site.yaml:4:6: 'imports.0.source' is not an import source: "
     "'lemonsquezy'; did you mean 'lemonsqueezy'?"),
    ("  - {source: stripe}\n", "missing required key 'imports.0.file'"),
    ("  - {source: stripe, file: a.csv, statuses: {x: paid}}\n", "unknown key 'imports.0.statuses' (only 'source: "
     "mapped' reads it"),
    ("  - {source: mapped, file: a.csv, map: {date: d, customer: c}, interval: month}\n", "'imports.0.map' lacks amount"),
    ("  - {source: mapped, file: a.csv, map: {date: d, customer: c, amount: a}}\n", "needs its billing interval"),
    ("  - {source: mapped, file: a.csv, map: {date: d, customer: c, amount: a, when: w}, interval: month}\n",
     "unknown key 'imports.0.map.when'"),
    ("  - {source: mapped, file: a.csv, map: {date: d, customer: c, amount: a}, interval: month, "
     "statuses: {ok: payed}}\n", "must mean one of paid, ended, refunded, trial, ignore, found 'payed' (did you mean "
     "'paid'?"),
    ("  - {source: pnl, file: a.csv, encoding: gbkk}\n", "is not a known text encoding: 'gbkk'"),
    ("  - stripe\n", "imports[0] must be a mapping"),
])
def test_mistakes_are_config_errors_at_their_line(make_site, entries: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(make_site, entries)
    shown = [d.format() for d in caught.value.diagnostics]
    assert any(expected in text for text in shown), shown

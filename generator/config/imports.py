"""The `imports:` section of site.yaml and the names of the import sources (issues 18 and 21).

```yaml
imports:
  - {source: paddle, file: [exports/paddle-subscriptions.csv, exports/paddle-transactions.csv]}
  - source: mapped
    file: exports/wechat.csv
    encoding: gbk
    map: {date: 支付时间, customer: 用户ID, amount: 金额, status: 交易状态}
    currency: CNY
    interval: month
    statuses: {支付成功: paid, 已关闭: ended, 已退款: refunded}
```

The source *names* live here, below config, so a typo in site.yaml is a ConfigError at its line with
the closest name; the *readers* live in generator/importers and each registers against this list
(importers/sources.py refuses a name that is not here, and a test checks every name has one reader).
Paths stay as written: they are resolved against the metrics folder when the import runs, because
`--metrics-dir` may move that folder after config time.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator.config.schema import Section, describe
from generator.errors import choice_hint

SOURCE_NAMES: tuple[str, ...] = ("stripe", "paddle", "lemonsqueezy", "chargebee", "events", "mapped", "pnl")
"""Every import source, in the order the docs list them; generator/importers registers one reader per name."""
MAPPED = "mapped"
"""The source read through a column map in site.yaml, with no code of its own."""

MAP_FIELDS = ("date", "customer", "amount", "interval", "status", "currency")
"""What a column map may point at; `date`, `customer` and `amount` are required for `mapped`."""
STATUS_MEANINGS = ("paid", "ended", "refunded", "trial", "ignore")
"""What a status value may mean in `statuses:` (the import's own vocabulary)."""
EACH_ROW = ("payment", "change")
"""A mapped row is a payment covering one interval, or a change of the customer's MRR from its date."""
AMOUNT_UNITS = ("major", "minor")
DEFAULT_IGNORED_ROWS = ("合计", "总计", "小计", "Total", "Totals", "Sum")
"""Cells that mark a totals row of a mapped export: the row is left out."""

_COMMON_KEYS = ("source", "file", "encoding", "map", "customers", "tag")
_MAPPED_KEYS = ("amounts", "currency", "interval", "statuses", "date_formats", "skip_rows", "ignore_rows",
                "each_row", "grace_days")


@dataclass(frozen=True)
class ImportEntry:
    """One export to import: its source, its files (as written), and how to read them."""

    source: str
    files: tuple[str, ...]
    """Paths as written in site.yaml: relative to the metrics folder, or absolute."""
    encoding: str = "utf-8"
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """`map:` — our field to the header text of the column holding it (a rename for vendor sources)."""
    customers: str | None = None
    """The customer namespace: entries sharing one join their customers by the customer column's value;
    None keeps this entry's customers apart from every other entry's."""
    tag: str | None = None
    """What a pnl import writes in costs.csv's `source` column (default: the source name)."""
    amounts: str = "major"
    currency: str | None = None
    """A fixed currency for every row (mapped exports without a currency column)."""
    interval: str | None = None
    """A fixed billing interval for every row (mapped exports without an interval column)."""
    statuses: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """A status cell's text to its meaning (STATUS_MEANINGS)."""
    date_formats: tuple[str, ...] = ()
    """strptime formats tried before the built-in ones (ISO, 2024/3/5, 2024年3月5日)."""
    skip_rows: int | None = 0
    """Lines above the header; None finds the header: the first line holding every mapped column."""
    ignore_rows: tuple[str, ...] = DEFAULT_IGNORED_ROWS
    each_row: str = "payment"
    grace_days: int = 7
    """How late a payment may come and still continue the one before (mapped payments)."""
    line: int | None = None
    """The entry's line in site.yaml."""


def read_imports(top: Section) -> tuple[ImportEntry, ...]:
    """Read the optional `imports:` list; every problem is recorded at its line."""
    items = top.get("imports", list, None)
    if items is None:
        return ()
    entries = []
    for index, item in enumerate(items):
        where = ("imports", index)
        if not isinstance(item, dict):
            top.doc.report(where, f"imports[{index}] must be a mapping, found {describe(item)}",
                           "write e.g. '- {source: stripe, file: exports/subscriptions.csv}'")
            continue
        entry = _read_entry(Section(top.doc, where, item))
        if entry is not None:
            entries.append(entry)
    return tuple(entries)


def check_source_name(name: str) -> str | None:
    """Return what is wrong with a source name (with the closest valid one), or None."""
    return None if name in SOURCE_NAMES else f"is not an import source: {name!r}; {choice_hint(name, SOURCE_NAMES)}"


def _read_entry(entry: Section) -> ImportEntry | None:
    source = entry.get("source", str, None, check=check_source_name)
    mapped = source == MAPPED
    _reject_unknown(entry, _COMMON_KEYS + (_MAPPED_KEYS if mapped else ()), mapped)
    files = _read_files(entry)
    columns = _read_map(entry, mapped)
    found: dict[str, Any] = {
        "encoding": entry.get("encoding", str, "utf-8", check=_check_encoding,
                              hint="use a Python codec name such as utf-8, gbk, gb18030, cp1252, utf-16"),
        "customers": entry.get("customers", str, None),
        "tag": entry.get("tag", str, None),
    }
    if mapped:
        found.update(_read_mapped(entry, columns))
    if source is None or not files:
        return None
    return ImportEntry(source, files, columns=MappingProxyType(columns), line=entry.doc.where(entry.keypath)[0],
                       **found)


def _reject_unknown(entry: Section, valid: tuple[str, ...], mapped: bool) -> None:
    for key in entry.data:
        if key in valid:
            continue
        hint = "only 'source: mapped' reads it: a vendor's export has its own format" if key in _MAPPED_KEYS \
            and not mapped else choice_hint(str(key), valid)
        entry.doc.report(entry.keypath + (key,), f"unknown key {entry.name(key)!r}", hint)


def _read_files(entry: Section) -> tuple[str, ...]:
    """Read `file:` as one path or a list of paths (a vendor's subscriptions and transactions exports)."""
    if not entry.has("file"):
        entry.doc.report(entry.keypath, f"missing required key {entry.name('file')!r}",
                         "add 'file: exports/<export>.csv' (relative to the metrics folder, or absolute)")
        return ()
    files = entry.get_str_list("file")
    if not files or any(not name.strip() for name in files):
        entry.doc.report(entry.keypath + ("file",), f"{entry.name('file')!r} must name a file",
                         "write e.g. 'file: exports/subscriptions.csv'")
    return tuple(name.strip() for name in files if name.strip())


def _read_map(entry: Section, mapped: bool) -> dict[str, str]:
    section = entry.child("map", default_empty=False)
    if section is None:
        if mapped:
            entry.doc.report(entry.keypath, f"{entry.name('source')!r} mapped needs 'map:'",
                             "name the columns, e.g. 'map: {date: 日期, customer: 用户, amount: 金额}'")
        return {}
    columns = {}
    for key, value in section.items():
        if mapped and key not in MAP_FIELDS:
            section.doc.report(section.keypath + (key,), f"unknown key {section.name(key)!r}",
                               choice_hint(key, MAP_FIELDS))
        elif not isinstance(value, (str, int)) or not str(value).strip():
            section.doc.report(section.keypath + (key,), f"{section.name(key)!r} must be the header text of a column",
                               f"write e.g. '{key}: <header>'")
        else:
            columns[key] = str(value).strip()
    missing = [name for name in ("date", "customer", "amount") if mapped and name not in columns]
    if missing:
        section.doc.report(section.keypath, f"{entry.name('map')!r} lacks {', '.join(missing)}",
                           "a mapped export needs at least the date, customer and amount columns")
    return columns


def _read_mapped(entry: Section, columns: Mapping[str, str]) -> dict[str, Any]:
    """Read the keys only a column map has: units, fixed currency and interval, statuses, dates, skipped rows."""
    found: dict[str, Any] = {
        "amounts": entry.get("amounts", str, "major", check=_one_of(AMOUNT_UNITS),
                             hint="major: 12.50 is twelve and a half; minor: 1250 cents"),
        "currency": entry.get("currency", str, None),
        "interval": entry.get("interval", str, None),
        "each_row": entry.get("each_row", str, "payment", check=_one_of(EACH_ROW),
                              hint="payment: a row pays for one interval; change: the customer's MRR from that date"),
        "grace_days": entry.get("grace_days", int, 7, check=lambda n: None if 0 <= n <= 60 else "must be 0 to 60"),
        "date_formats": entry.get_str_list("date_formats"),
        "skip_rows": _read_skip_rows(entry),
        "ignore_rows": entry.get_str_list("ignore_rows", DEFAULT_IGNORED_ROWS),
        "statuses": MappingProxyType(_read_statuses(entry)),
    }
    if "interval" not in columns and found["interval"] is None:
        entry.doc.report(entry.keypath, "a mapped export needs its billing interval",
                         "add 'interval: month' (every row), or 'interval: <header>' under map:")
    if "status" in columns and not found["statuses"]:
        entry.doc.report(entry.keypath + ("map", "status"), "a mapped status column needs 'statuses:'",
                         "say what each status means, e.g. 'statuses: {支付成功: paid, 已退款: refunded}'")
    return found


def _read_skip_rows(entry: Section) -> int | None:
    value = entry.get("skip_rows", (int, str), "auto")
    if value == "auto":
        return None
    if isinstance(value, int) and 0 <= value <= 100:
        return value
    entry.doc.report(entry.keypath + ("skip_rows",), f"{entry.name('skip_rows')!r} must be auto or 0 to 100, "
                     f"found {value!r}", "auto finds the header: the first line holding every mapped column")
    return None


def _read_statuses(entry: Section) -> dict[str, str]:
    section = entry.child("statuses", default_empty=False)
    statuses: dict[str, str] = {}
    if section is None:
        return statuses
    for text, meaning in section.items():
        if meaning not in STATUS_MEANINGS:
            section.doc.report(section.keypath + (text,), f"{section.name(text)!r} must mean one of "
                               f"{', '.join(STATUS_MEANINGS)}, found {meaning!r}",
                               choice_hint(str(meaning), STATUS_MEANINGS))
            continue
        statuses[str(text).strip().casefold()] = meaning
    return statuses


def _one_of(choices: tuple[str, ...]):  # noqa: ANN202 - a check for Section.get
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}, found {value!r}"


def _check_encoding(name: str) -> str | None:
    try:
        codecs.lookup(name)
    except LookupError:
        return f"is not a known text encoding: {name!r}"
    return None

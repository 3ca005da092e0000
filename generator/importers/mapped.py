"""`source: mapped`: any other billing or payments export, read through a column map in site.yaml — no code.

```yaml
imports:
  - source: mapped
    file: exports/wechat-2024.csv
    encoding: gbk
    map: {date: 支付时间, customer: 用户ID, amount: 订单金额, status: 交易状态}
    currency: CNY
    interval: month
    statuses: {支付成功: paid, 已关闭: ended, 已退款: refunded}
```

The map names the columns holding the date, the customer, the amount (major units, or `amounts: minor`),
and optionally the billing interval, the status and the currency (else `interval:` and `currency:` fix
them). The header is found by itself (the first line holding every mapped column: title lines above it
are skipped) unless `skip_rows:` says how many lines lie above it; rows with a totals cell (`合计`,
`Total`… or `ignore_rows:`) are left out. Dates may mix ISO (`2024-03-05 14:22`), `2024/3/5` and
`2024年3月5日` forms, plus any `date_formats:` (strptime), read in the site's time zone.

Each row is a **payment** (`each_row: payment`, the default): it pays for one interval from its date;
the customer keeps paying while the next payment comes within `grace_days` (7) of the interval's end,
and churned at its end otherwise. Or a **change** (`each_row: change`): from its date the customer pays
that amount per interval, as in `opensite import events`. Status `ended` stops the customer at its date,
`refunded`, `trial` and `ignore` rows are left out (a refunded payment did not stand).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from types import MappingProxyType

from generator.config.imports import ImportEntry
from generator.errors import MetricsError, did_you_mean
from generator.importers.history import AmountColumn, Period, Standing, history_segments
from generator.importers.records import INTERVALS, RowReader, SubscriptionLog, find_header, load_export, parse_instant
from generator.importers.sources import SourceRequest, Writes, import_source
from generator.importers.vendor import DAY, Tally, add_cycle, major, raise_problems
from generator.metrics.read.csvfile import CsvRow, CsvTable, normalize_header
from generator.metrics.read.money import merge_fx_uses

_CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?(?:\s*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2}))?秒?)?")
_INTERVAL_WORDS = {"月": "month", "月付": "month", "每月": "month", "包月": "month", "年": "year", "年付": "year",
                   "每年": "year", "包年": "year", "季": "quarter", "季度": "quarter", "季付": "quarter",
                   "周": "week", "每周": "week", "天": "day", "日": "day", "每天": "day"}


@dataclass(frozen=True, slots=True)
class _Row:
    customer: int
    at: int
    meaning: str
    monthly: Decimal
    cycle: tuple[str, int]
    currency: str
    line: int


@import_source("mapped", writes=Writes.SUBSCRIPTIONS, site_yaml_only=True)
def load_mapped_log(request: SourceRequest) -> SubscriptionLog:
    """Read an export through site.yaml's column map into paid segments; raise MetricsError listing every bad row."""
    entry, path = request.entry, request.files[0]
    headers = {field: text for field, text in entry.columns.items()}
    skip = entry.skip_rows if entry.skip_rows is not None else _find_header(path, request, headers)
    table = load_export(path, request.ctx, {normalize_header(text) for text in headers.values()}, skip=skip)
    columns = _columns(table, headers)
    reader = RowReader(table, request.ctx, "import")
    tally = Tally()
    cycles: dict[str, tuple[str, int] | None] = {}
    rows = [row for csv_row in table.rows if (row := _read(reader, columns, csv_row, request, tally, cycles))]
    raise_problems([reader], reader.converter)
    amounts = AmountColumn(table, columns["amount"])  # one for every row
    standings, periods = _changes(rows, amounts) if entry.each_row == "change" else ([], _payments(rows, amounts))
    segments = history_segments(standings, periods, tally.latest, request.ctx.zone, reader.converter,
                                request.ctx.cutoff, gap=entry.grace_days * DAY)
    raise_problems([reader], reader.converter)
    return SubscriptionLog(path, tuple(segments), tally.latest, tally.rows, len({row.customer for row in rows}), "row",
                           MappingProxyType(dict(sorted((tally.skipped or {}).items()))),
                           merge_fx_uses(reader.converter.uses))


def _find_header(path: Path, request: SourceRequest, headers: Mapping[str, str]) -> int:
    """Return how many lines lie above the first line holding the most mapped columns (all of them, usually)."""
    wanted = {normalize_header(text) for text in headers.values()}
    return find_header(path, request.ctx.encoding, lambda cells: len(wanted & {normalize_header(c) for c in cells}))


def _columns(table: CsvTable, headers: Mapping[str, str]) -> dict[str, str]:
    """Return each mapped field's column key; a header the export lacks is an error with the closest one."""
    missing = [(field, text) for field, text in headers.items() if not table.has(normalize_header(text))]
    if missing:
        field, text = missing[0]
        close = did_you_mean(text, [h for h in table.header if h])
        raise MetricsError(f"column {text!r} (map.{field} in site.yaml) is not in the header", table.path,
                           table.header_line, None, " ".join(filter(None, [close, "the header has: " + ", ".join(
                               repr(h) for h in table.header if h) + "; title lines above the header are skipped "
                               "when 'skip_rows' is auto"])))
    return {field: normalize_header(text) for field, text in headers.items()}


def _read(reader: RowReader, columns: Mapping[str, str], row: CsvRow, request: SourceRequest, tally: Tally,
          cycles: dict[str, tuple[str, int] | None]) -> _Row | None:
    entry = request.entry
    if _ignored(reader.table, row, entry.ignore_rows):
        tally.skip("total row")
        return None
    tally.rows += 1
    before = len(reader.problems)
    cell = reader.table.cell
    meaning = _meaning(reader, columns, row, entry)
    customer = cell(row, columns["customer"])
    if not customer:
        reader.report(row, columns["customer"], "the customer is blank", "every row needs its customer")
    at = _date(reader, columns["date"], row, entry, request)
    currency = (cell(row, columns["currency"]).upper() if "currency" in columns else "") or entry.currency \
        or request.ctx.currency
    amount = reader.amount(row, columns["amount"], required=meaning == "paid", non_negative=True, currency=currency)
    text = reader.table.cell(row, columns["interval"]) if "interval" in columns else ""
    cycle = cycles[text] if text in cycles else _cycle(reader, columns, row, entry)
    if cycle is not None:
        cycles[text] = cycle  # an export repeats a few intervals: read each once
    if len(reader.problems) > before or at is None or meaning is None or cycle is None:
        return None
    tally.saw(at)
    if meaning in ("refunded", "trial", "ignore"):
        tally.skip({"ignore": "ignored status"}.get(meaning, meaning))
        return None
    if request.ctx.ignores(at):
        return None  # after --until: not read, so its month needs no exchange rate
    price = major(amount or Decimal(0), currency) if entry.amounts == "minor" else amount or Decimal(0)
    return _Row(request.customer(customer), at, meaning, price * INTERVALS[cycle[0]] / cycle[1], cycle, currency,
                row.line)


def _ignored(table: CsvTable, row: CsvRow, words: Sequence[str]) -> bool:
    """Return True for a totals row: one of its cells (any column, mapped or not) is one of `words`."""
    line = table.lines[row.line - 1] if row.line <= len(table.lines) else ""
    if not any(word in line for word in words):
        return False
    cells = next(csv.reader([line], delimiter=table.delimiter), [])
    return any(cell.strip() in words for cell in cells)


def _meaning(reader: RowReader, columns: Mapping[str, str], row: CsvRow, entry: ImportEntry) -> str | None:
    if "status" not in columns:
        return "paid"
    text = reader.table.cell(row, columns["status"])
    meaning = entry.statuses.get(text.casefold())
    if meaning is None:
        close = did_you_mean(text, list(entry.statuses))
        reader.report(row, columns["status"], f"{text!r} is not in statuses: in site.yaml",
                      " ".join(filter(None, [close, f"say what it means, e.g. '{text or '<status>'}: paid' (paid, "
                                                    "ended, refunded, trial, ignore)"])))
    return meaning


def _date(reader: RowReader, key: str, row: CsvRow, entry: ImportEntry, request: SourceRequest) -> int | None:
    """Return the row's date as POSIX seconds: the site.yaml formats first, then ISO, 2024/3/5 and 2024年3月5日."""
    text = reader.table.cell(row, key)
    if not text:
        reader.report(row, key, "the date is blank", "every row needs its date")
        return None
    zone = request.ctx.zone
    for pattern in entry.date_formats:
        try:
            return int(datetime.strptime(text, pattern).replace(tzinfo=zone).timestamp())
        except ValueError:
            continue
    match = _CHINESE_DATE.fullmatch(text.strip())
    if match:
        year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            return int(datetime(year, month, day, hour, minute, second, tzinfo=zone).timestamp())
        except ValueError:
            pass
    try:
        return parse_instant(text, zone)
    except ValueError as exc:
        reader.report(row, key, f"{text!r} is not a date", f"{exc}; or add its form under date_formats: in site.yaml "
                      "(e.g. '%d.%m.%Y')")
        return None


def _cycle(reader: RowReader, columns: Mapping[str, str], row: CsvRow, entry: ImportEntry) -> tuple[str, int] | None:
    if "interval" not in columns:
        return (entry.interval or "month", 1) if (entry.interval or "month") in INTERVALS else \
            (_INTERVAL_WORDS.get(entry.interval or "", "month"), 1)
    text = reader.table.cell(row, columns["interval"]).strip()
    if text in _INTERVAL_WORDS:
        return (_INTERVAL_WORDS[text], 1)
    interval = reader.interval(row, columns["interval"], INTERVALS)
    return (interval, 1) if interval is not None else None


def _payments(rows: Sequence[_Row], amounts: AmountColumn) -> list[Period]:
    """Return one period per payment (one interval from its date); an `ended` row cuts the customer's last one."""
    periods: list[Period] = []
    for customer, group in groupby(sorted(rows, key=lambda r: (r.customer, r.at, r.line)), key=lambda r: r.customer):
        mine: list[Period] = []
        for row in group:
            if row.meaning == "ended":
                if mine and mine[-1].end > row.at:
                    mine[-1] = replace(mine[-1], end=max(row.at, mine[-1].start))
                continue
            mine.append(Period(str(customer), customer, row.at, add_cycle(row.at, row.cycle), row.monthly,
                               row.currency, row.line, amounts))
        periods += [period for period in mine if period.end > period.start]
    return periods


def _changes(rows: Sequence[_Row], amounts: AmountColumn) -> tuple[list[Standing], list[Period]]:
    """Return one stretch per change: from its date until the customer's next change (`ended`: paying nothing)."""
    standings: list[Standing] = []
    for customer, group in groupby(sorted(rows, key=lambda r: (r.customer, r.at, r.line)), key=lambda r: r.customer):
        mine = list({row.at: row for row in group}.values())  # one change per date: the last row written wins
        for index, row in enumerate(mine):
            following = mine[index + 1].at if index + 1 < len(mine) else None
            if row.meaning == "paid" and row.monthly > 0:
                standings.append(Standing(f"{customer}#{index}", customer, row.at, following, row.monthly, row.currency,
                                          row.line, amounts))
    return standings, []

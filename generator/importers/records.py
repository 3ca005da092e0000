"""What every subscription source reduces to: paid segments of customers, in the site currency.

A Stripe subscription and a stretch of a customer's row in an events log are the same thing
to the movement computation: one customer paid `mrr` a month from `start` until `end`. Customer
ids are replaced by numbers as soon as a row is read, so nothing downstream can print one.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic, MetricsError, did_you_mean
from generator.limits import IMPORT_FUTURE_MONTHS, IMPORT_MAX_BYTES
from generator.metrics.read.cells import CellReader
from generator.metrics.read.csvfile import CsvRow, CsvTable, load_csv, normalize_header, sniff_delimiter
from generator.metrics.read.money import Converter, FxRates, FxUse

INTERVALS: Mapping[str, Decimal] = MappingProxyType({
    "day": Decimal(365) / 12, "week": Decimal(52) / 12, "month": Decimal(1), "quarter": Decimal(1) / 3,
    "year": Decimal(1) / 12,
})
"""Billing intervals to the months-per-interval factor that normalises an amount to a month."""
_PEEK_BYTES = 65_536


@dataclass(frozen=True)
class ImportContext:
    """What an importer needs from the site: currency, exchange rates, time zone, number format."""

    currency: str
    rates: FxRates
    zone: ZoneInfo
    decimal_comma: bool = False
    encoding: str = "utf-8"
    now: datetime | None = None
    """The build time (SOURCE_DATE_EPOCH or now): dates past IMPORT_FUTURE_MONTHS after its month are typos."""
    costs_currency: str | None = None
    """The currency costs.csv's amounts are in (metrics.files.costs.currency), for P&L sheets."""
    until: date | None = None
    """`--until`: events after this month are ignored, so no later month needs an exchange rate."""

    @property
    def cutoff(self) -> int | None:
        """Return the first moment after `until` (POSIX seconds in the site's zone), or None."""
        if self.until is None:
            return None
        after = date(self.until.year + self.until.month // 12, self.until.month % 12 + 1, 1)
        return int(datetime(after.year, after.month, 1, tzinfo=self.zone).timestamp())

    def ignores(self, moment: int | None) -> bool:
        """Return True for a moment after `--until`: nothing that happens then is read."""
        cutoff = self.cutoff
        return cutoff is not None and moment is not None and moment >= cutoff


@dataclass(frozen=True, slots=True)
class Segment:
    """One customer paying `mrr` (site currency, full precision) a month over [start, end) (POSIX seconds)."""

    customer: int
    start: int
    end: int | None
    mrr: Decimal


@dataclass(frozen=True)
class SubscriptionLog:
    """A subscription export reduced to paid segments, plus what the import summary reports."""

    path: Path
    segments: tuple[Segment, ...]
    latest_event: int
    """The export's latest event (POSIX seconds): the moment the month in progress is measured at."""
    rows: int
    customers: int
    noun: str = "row"
    """What a row of the export is, for the summary: 'subscription' or 'row'."""
    skipped: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Rows that never count, by reason ('incomplete', 'trial not over'), for the summary."""
    fx: tuple[FxUse, ...] = ()
    names: str = ""
    """The export files' names for the summary, when not just `path`'s ('subscriptions.csv and transactions.csv')."""


def load_export(path: Path, ctx: ImportContext, only: Iterable[str] | None = None, *,
                key: Callable[[str], str] | None = None, skip: int = 0) -> CsvTable:
    """Read an export with the metrics CSV rules; raise MetricsError when it cannot be read at all.

    Cells of columns outside `only` are never kept: customer emails and names are not even held.
    `key` matches headers its own way (a vendor's `subscriptions.status` as `status`); `skip` lines
    above the header are title lines.
    """
    check_export_file(path, ctx.encoding)
    wanted = frozenset(only) if only is not None else None
    if key is not None and wanted is not None:
        wanted = frozenset(normalize_header(cell) for cell in header_cells(path, ctx.encoding, skip)
                           if key(cell) in wanted)
    table, problems = load_csv(path, "import", FileOptions(encoding=ctx.encoding), wanted, skip)
    problems = [_import_hint(p) for p in problems]
    if table is None or any(p.severity == "error" for p in problems):
        raise MetricsError(diagnostics=problems)
    if key is not None:
        table = replace(table, keys=tuple(key(cell) for cell in table.header))
    if not table.rows:
        raise MetricsError("the export has a header but no rows", path, table.header_line, None,
                           "export again with the date range that holds your data")
    return table


def check_export_file(path: Path, encoding: str) -> None:
    """Refuse, before reading it, a file that cannot be an export: a device or pipe (`/dev/zero` never ends),
    one past `IMPORT_MAX_BYTES`, a workbook or archive, or binary data (a NUL byte outside UTF-16/32)."""
    try:
        info = os.stat(path)
    except OSError:
        return  # load_csv reports a missing or unreadable file with its hint
    hint = "pass the CSV file you exported (in a spreadsheet: File → Save as → CSV UTF-8)"
    if not stat.S_ISREG(info.st_mode):
        raise MetricsError(f"{path} is not a file but a device, pipe or folder: an export is a CSV file", path,
                           hint=hint)
    if info.st_size > IMPORT_MAX_BYTES:
        raise MetricsError(f"the file has {info.st_size:,} bytes; an export may have at most {IMPORT_MAX_BYTES:,}",
                           path, hint="export a shorter date range, or split the file")
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError:
        return
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise MetricsError("this is a spreadsheet workbook (.xlsx or .xls) or an archive, not a CSV file", path, 1,
                           hint=hint)
    wide = encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32", "utf16", "utf32"))
    if b"\x00" in head and not wide and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = head.count(b"\n", 0, head.index(b"\x00")) + 1
        raise MetricsError("this file holds binary data (a NUL byte), not text", path, line,
                           hint=hint + "; a UTF-16 export needs --encoding utf-16")
def header_cells(path: Path, encoding: str, skip: int = 0) -> list[str]:
    """Return the cells of a file's header line (the first non-empty line after `skip`), read from its start only."""
    lines = [cells for cells in _first_lines(path, encoding)[skip:] if any(cells)]
    return lines[0] if lines else []


def find_header(path: Path, encoding: str, score: Callable[[Sequence[str]], int], limit: int = 30) -> int:
    """Return how many lines lie above the header: the first of the first `limit` lines scoring highest (0: none)."""
    scores = [score(cells) for cells in _first_lines(path, encoding)[:limit]]
    best = max(scores, default=0)
    return scores.index(best) if best > 0 else 0


def _first_lines(path: Path, encoding: str) -> list[list[str]]:
    """Return the cells of the lines in a file's first 64 KiB (lenient: the real read reports bad bytes)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_PEEK_BYTES)
    except OSError:
        return []
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:-1 if len(data) == _PEEK_BYTES else None]
    return [[cell.strip() for cell in next(csv.reader([line], delimiter=sniff_delimiter(line)), [])]
            for line in lines]


def _import_hint(problem: Diagnostic) -> Diagnostic:
    """An export is not a metrics file: its encoding comes from --encoding, not from site.yaml."""
    hint = problem.hint
    if hint and "metrics.files.import" in hint:
        hint = ("pass --encoding gb18030 (Excel in a Chinese locale), --encoding cp1252 or --encoding utf-16, "
                "or save the file as UTF-8")
    elif problem.message.startswith("cannot read the file"):
        hint = "check the path and the file name; the export may still be in your Downloads folder"
    elif problem.message == "the file is empty":
        hint = "export it again: an export starts with a header line naming its columns"
    return Diagnostic(problem.message, problem.path, problem.line, problem.column, hint, problem.severity)


def find_column(table: CsvTable, names: Sequence[str]) -> str | None:
    """Return the first of `names` (normalized header keys) the table has."""
    return next((name for name in names if table.has(name)), None)


def require_header(table: CsvTable, wanted: Mapping[str, Sequence[str]], expected: str) -> dict[str, str]:
    """Return our column name to the table's key; raise naming the columns found and the ones expected."""
    found = {ours: key for ours, names in wanted.items() if (key := find_column(table, names))}
    missing = [ours for ours in wanted if ours not in found]
    if missing:
        shown = ", ".join(h for h in table.header if h)
        close = [hint for ours in missing if (hint := did_you_mean(wanted[ours][0], table.keys))]
        raise MetricsError(diagnostics=[Diagnostic(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(wanted[m][0]) for m in missing)}",
            table.path, table.header_line, None,
            " ".join(close + [f"the header has: {shown}; expected: {expected}"]))])
    return found


_INSTANT = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")


def parse_instant(text: str, zone: ZoneInfo | timezone) -> int:
    """Return POSIX seconds of '2024-03-05 14:22[:11]' or '2024-03-05' read in `zone` (UTC for Stripe).

    Raises:
        ValueError: not a date or timestamp; the message says how to write one.
    """
    if text.isdigit() and len(text) in (9, 10):
        return int(text)  # POSIX seconds, as Chargebee's API and exports write timestamps
    try:  # the C parser reads Stripe's '2024-03-05 14:22[:11]' ten times faster than the pattern below
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return int((moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp())
    match = _INSTANT.fullmatch(text.strip())
    if not match:
        raise ValueError("write dates as 2024-03-05 or timestamps as 2024-03-05 14:22 (year first)")
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a real date") from None
    if offset:
        return int(datetime.fromisoformat(match.group(0).replace("/", "-").replace("Z", "+00:00")).timestamp())
    return int(moment.replace(tzinfo=zone).timestamp())


def show_instant(seconds: int, zone: ZoneInfo) -> str:
    """Return '2024-03-05 14:22' in `zone`, for messages and the summary."""
    return datetime.fromtimestamp(seconds, zone).strftime("%Y-%m-%d %H:%M")


def local_month(seconds: int, zone: ZoneInfo) -> date:
    """Return the first day of the month `seconds` falls in, in `zone`."""
    moment = datetime.fromtimestamp(seconds, zone)
    return date(moment.year, moment.month, 1)


class RowReader(CellReader):
    """CellReader for an export: the same number rules, plus instants, intervals and money to the site currency."""

    def __init__(self, table: CsvTable, ctx: ImportContext, stem: str, converter: Converter | None = None) -> None:
        super().__init__(table, ctx.decimal_comma, stem=stem)
        self.ctx = ctx
        self.converter = converter or Converter(ctx.rates, stem)
        now = (ctx.now or datetime.now(timezone.utc)).astimezone(ctx.zone)
        index = now.year * 12 + now.month - 1 + IMPORT_FUTURE_MONTHS + 1
        self.latest = int(datetime(index // 12, index % 12 + 1, 1, tzinfo=ctx.zone).timestamp())
        """The first moment too far ahead: the month after IMPORT_FUTURE_MONTHS past the build month."""


    def instant(self, row: CsvRow, key: str | None, zone: ZoneInfo | timezone,
                required: bool = False) -> int | None:
        """Return the cell as POSIX seconds; blank is None (a problem when required)."""
        text = self.table.cell(row, key) if key else ""
        if not text:
            if required:
                self.report(row, key or "", "the cell is blank", "every row needs its date")
            return None
        try:
            seconds = parse_instant(text, zone)
        except ValueError as exc:
            self.report(row, key or "", f"{text[:40]!r} is not a date", str(exc))
            return None
        if seconds >= self.latest:  # a typo (2099 for 2024) would add hundreds of empty future months
            last = datetime.fromtimestamp(self.latest - 1, self.ctx.zone)
            self.report(row, key or "", f"{text.strip()!r} is more than {IMPORT_FUTURE_MONTHS} months after this "
                        f"month", f"check the year; an import takes dates up to {last:%Y-%m}")
            return None
        return seconds

    def interval(self, row: CsvRow, key: str, valid: Iterable[str]) -> str | None:
        """Return the cell as an interval name ('month'); unknown ones are a problem listing the valid ones."""
        text = self.table.cell(row, key).strip().lower().removesuffix("ly").replace("dai", "day")
        text = {"annual": "year", "annually": "year", "quarterly": "quarter"}.get(text, text)
        valid = tuple(valid)
        if text in valid:
            return text
        close = did_you_mean(text, valid)
        self.report(row, key, f"{self.table.cell(row, key)!r} is not a billing interval",
                    (close + " " if close else "") + "valid: " + ", ".join(valid))
        return None

    def whole(self, row: CsvRow, key: str | None, default: int) -> int | None:
        """Return a positive whole number cell (quantity, interval count); blank is `default`."""
        text = self.table.cell(row, key) if key else ""
        if not text:
            return default
        if text.isdigit() and text != "0" * len(text):
            return int(text)  # most cells: skip the number rules below
        value = self.amount(row, key, required=True, non_negative=True)
        if value is not None and (value != value.to_integral_value() or value == 0):
            self.report(row, key, f"{self.table.cell(row, key)!r} is not a whole number above 0", "write e.g. 1 or 3")
            return None
        return int(value) if value is not None else None

    def to_site(self, amount: Decimal, currency: str, month: date, row: CsvRow, key: str) -> Decimal | None:
        """Return `amount` in the site currency at `month`'s rate (None after reporting a missing rate)."""
        return self.converter.to_site(amount, currency, month,
                                      lambda message, hint: self.table.problem(row.line, key, message, hint))

    def raise_problems(self) -> None:
        """Stop the import with every problem found, in line order."""
        problems = self.problems + self.converter.problems
        if problems:
            raise MetricsError(diagnostics=sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))


def number_customers(ids: Iterable[str]) -> dict[str, int]:
    """Return each distinct customer id's number in order of first appearance (ids never leave the parser)."""
    numbers: dict[str, int] = {}
    for customer in ids:
        numbers.setdefault(customer, len(numbers))
    return numbers


class CustomerBook:
    """Numbers the customers of one import run, across its sources, by (namespace, id).

    Two sources in one namespace share a customer when the id is the same (a customer paying through
    both); otherwise each source's customers are apart. The ids are held here, in memory, and never
    leave: everything downstream sees numbers only.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}

    def number(self, namespace: str, key: str) -> int:
        """Return the customer's number, giving the next one to a customer not seen before."""
        return self._numbers.setdefault((namespace, key), len(self._numbers))

    def __len__(self) -> int:
        return len(self._numbers)

"""Read a spreadsheet's CSV export as it really looks: any encoding, a BOM, `,` `;` or tab, loose headers.

`load_csv` returns raw text cells with their line numbers and never raises for a bad file: it
returns the problems instead, so the caller can report every file at once. `parse_number` and
`parse_month` turn one cell into a real type; they raise ValueError whose text is the hint.
"""

from __future__ import annotations

import csv
import functools
import re
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic, did_you_mean
from generator.limits import CSV_MAX_CELL_CHARS, CSV_MAX_COLUMNS
from generator.metrics.read.cellvalues import (  # noqa: F401 (re-exported)
    MAX_NUMBER,
    MONTH_HINT,
    parse_month,
    parse_number,
)
from generator.plaintext import find_control_characters, strip_control_characters

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its first physical line (1-based) and its cells, stripped."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CsvTable:
    """A decoded CSV file: header, normalized column keys and data rows."""

    path: Path
    delimiter: str
    header: tuple[str, ...]
    """Header cells as written (stripped), e.g. 'MRR ($)'."""
    keys: tuple[str, ...]
    """Header cells normalized, with site.yaml's `columns:` renames applied, e.g. 'mrr'."""
    header_line: int
    rows: tuple[CsvRow, ...]
    lines: tuple[str, ...]
    """The decoded physical lines, to point at a cell's column in diagnostics."""

    def index(self, key: str) -> int | None:
        """Return the position of column `key`, or None when the file lacks it."""
        return self._positions.get(key)

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        """Column key to position, first one winning (cells are looked up once per row and column)."""
        positions: dict[str, int] = {}
        for position, key in enumerate(self.keys):
            positions.setdefault(key, position)
        return positions

    def has(self, key: str) -> bool:
        return key in self.keys

    def cell(self, row: CsvRow, key: str) -> str:
        """Return the text of column `key` in `row` ('' when the row is short or the column absent)."""
        position = self._positions.get(key)
        cells = row.cells
        return cells[position] if position is not None and position < len(cells) else ""

    def written(self, key: str) -> str:
        """Return the header of column `key` as the file writes it."""
        position = self.index(key)
        return self.header[position] if position is not None else key

    def problem(self, line: int, key: str | None, message: str, hint: str | None = None,
                severity: str = "error") -> Diagnostic:
        """Return a diagnostic at `line`, and at the cell's character column when `key` is given."""
        column = self._column(line, key) if key is not None else None
        return Diagnostic(message, self.path, line, column, hint, severity)  # type: ignore[arg-type]

    def _column(self, line: int, key: str) -> int | None:
        position = self.index(key)
        if position is None or line > len(self.lines):
            return None
        starts = _field_starts(self.lines[line - 1], self.delimiter)
        return starts[position] + 1 if position < len(starts) else None


def normalize_header(text: str) -> str:
    """Return the matching key of a header cell: 'New Customers ' and 'new_customers' both give 'new_customers'."""
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold()).strip("_")


def load_csv(path: Path, stem: str, options: FileOptions, only: Collection[str] | None = None,
             skip: int = 0) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Read and split metrics/<stem>.csv; return the table (None when unusable) and its problems.

    With `only` (column keys), other columns' cells read as '' — an export's emails and names are
    never held, and a 100,000-row export fits in memory (bench/bench_import.py). `skip` lines above the
    header are left out (an export's title lines).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(f"cannot read the file: {exc.strerror}", path)]
    text, problem = _decode(data, path, stem, options.encoding)
    del data  # a large export should not be held as bytes and text at once
    if problem:
        return None, [problem]
    text, cleaned = _without_control_characters(text, path)
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    del text
    if not any(line.strip(" \t,;") for line in lines[skip:]):
        return None, [Diagnostic("the file is empty", path, 1, None,
                                 f"write a header line such as '{','.join(_example_columns(stem))}' and one row per month")]
    table, problems = _split(path, stem, options, lines, only, skip)
    return table, cleaned + problems


def _without_control_characters(text: str, path: Path) -> tuple[str, list[Diagnostic]]:
    """Strip control characters (labels reach pages and feeds), warning at the first one."""
    first = next(find_control_characters(text), None)
    if first is None:
        return text, []
    return strip_control_characters(text), [Diagnostic(f"removed the control character {first.name}", path,
                                                       first.line, first.column, "delete it from the file", "warning")]


def _example_columns(stem: str) -> Sequence[str]:
    return {"mrr": ("month", "mrr"), "churn": ("month", "customers", "new_customers", "churned_customers"),
            "costs": ("month", "category", "amount"), "cash": ("month", "balance")}.get(stem, ("month", "value"))


def _decode(data: bytes, path: Path, stem: str, encoding: str) -> tuple[str, Diagnostic | None]:
    """Decode the bytes; a UTF-8 BOM is dropped, and undecodable bytes are reported at their line and column."""
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec).lstrip("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = " ".join(f"0x{byte:02x}" for byte in data[exc.start:exc.end])
        return "", Diagnostic(f"cannot be read as {encoding}: invalid byte {bad}", path, line, column,
                              _encoding_hint(data, stem, codec))


def _encoding_hint(data: bytes, stem: str, codec: str) -> str:
    """Suggest the encoding the file most likely has."""
    where = f"under metrics.files.{stem} in site.yaml"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"the file is UTF-16 (Excel's 'Unicode text'): add 'encoding: utf-16' {where}"
    if codec != "utf-8-sig":
        return f"check 'encoding' {where}, or save the file as UTF-8"
    return (f"add 'encoding: gb18030' {where} if the file comes from Excel in a Chinese locale "
            f"(or cp1252 for a Western one), or save it as UTF-8")


def _split(path: Path, stem: str, options: FileOptions, lines: tuple[str, ...],
           only: Collection[str] | None = None, skip: int = 0) -> tuple[CsvTable | None, list[Diagnostic]]:
    """Find the header, detect the delimiter from it, split the rows and apply the `columns:` renames."""
    header_line = next(i for i, line in enumerate(lines, 1) if i > skip and line.strip(" \t,;"))
    delimiter = sniff_delimiter(lines[header_line - 1])
    width = lines[header_line - 1].count(delimiter) + 1
    if width > CSV_MAX_COLUMNS:
        return None, [Diagnostic(f"the header has {width:,} columns (the limit is {CSV_MAX_COLUMNS:,})", path,
                                 header_line, None, "write many cost categories in long form: month,category,amount")]
    records = _records(lines[header_line - 1:], delimiter, header_line, path)
    try:
        header = next(records).cells
    except _UnreadableCell as unreadable:
        return None, [unreadable.diagnostic]
    keys = [normalize_header(cell) for cell in header]
    problems = _apply_renames(path, stem, options, header, keys, header_line)
    problems += _duplicate_keys(path, header, keys, header_line)
    if problems:
        return None, problems
    if only is not None:
        # rows are kept by their own cells, not the kept ones: a row of unknown columns is still a row
        records = _project((row for row in records if any(row.cells)),
                           {i for i, key in enumerate(keys) if key in only}, len(keys))
    try:
        rows = [row for row in records if only is not None or any(row.cells)]
    except _UnreadableCell as unreadable:
        return None, [unreadable.diagnostic]
    problems = [_overflow(path, row, len(header), delimiter) for row in rows if _overflows(row, len(header))]
    rows = [row for row in rows if not _overflows(row, len(header))]
    return CsvTable(path, delimiter, header, tuple(keys), header_line, tuple(rows), lines), problems


def _overflows(row: CsvRow, width: int) -> bool:
    return any(row.cells[width:])


def _overflow(path: Path, row: CsvRow, width: int, delimiter: str) -> Diagnostic:
    """Explain a row wider than its header; the usual cause is an unquoted thousands separator."""
    hint = "remove the extra cells"
    if delimiter == ",":
        hint = 'quote numbers that contain commas, e.g. "12,500", or export with ; as the delimiter'
    count = len(row.cells)
    while count and not row.cells[count - 1]:
        count -= 1
    return Diagnostic(f"the row has {count} cells but the header has {width}", path, row.line, None, hint)


def sniff_delimiter(header: str) -> str:
    """Return the delimiter used most often (outside quotes) in the header line; comma on a tie."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class _UnreadableCell(Exception):
    """A cell over the limit, or a quote the csv module cannot close: the rest of the file is unreadable."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _records(lines: Sequence[str], delimiter: str, first_line: int, path: Path) -> Iterator[CsvRow]:
    """Yield rows line by line; raise _UnreadableCell at a cell over the limit (an unclosed quote swallowing
    the file)."""
    # Line by line, not one joined string: a 100,000-row export would be held twice more (bench_import.py).
    reader = csv.reader((line + "\n" for line in lines), delimiter=delimiter)
    consumed = 0
    try:
        for cells in reader:
            if any(len(cell) > CSV_MAX_CELL_CHARS for cell in cells):
                break
            yield CsvRow(first_line + consumed, tuple(cell.strip() for cell in cells))
            consumed = reader.line_num
        else:
            return
    except csv.Error:
        pass
    raise _UnreadableCell(Diagnostic(f"a cell longer than {CSV_MAX_CELL_CHARS:,} characters", path,
                                     first_line + consumed, None, 'look for a quote (") that is never closed on this line'))


def _project(records: Iterable[CsvRow], keep: set[int], width: int) -> Iterator[CsvRow]:
    """Blank the cells outside `keep` (cells past the header's width stay, to be reported).

    Short cells are interned: an export repeats its statuses, intervals and prices on every row.
    """
    intern = sys.intern
    for row in records:
        yield CsvRow(row.line, tuple((intern(cell) if len(cell) <= 8 else cell) if i in keep or i >= width else ""
                                     for i, cell in enumerate(row.cells)))


def _apply_renames(path: Path, stem: str, options: FileOptions, header: tuple[str, ...],
                   keys: list[str], header_line: int) -> list[Diagnostic]:
    """Rename the header cells that site.yaml's `columns:` names to our column names."""
    problems: list[Diagnostic] = []
    for ours, theirs in options.columns.items():
        wanted = normalize_header(theirs)
        if wanted in keys:
            keys[keys.index(wanted)] = ours
            continue
        close = did_you_mean(theirs, header)
        problems.append(Diagnostic(
            f"column {theirs!r} (metrics.files.{stem}.columns.{ours} in site.yaml) is not in the header",
            path, header_line, None,
            (close + " " if close else "") + "the header has: " + ", ".join(repr(h) for h in header if h)))
    return problems


def _duplicate_keys(path: Path, header: tuple[str, ...], keys: list[str], header_line: int) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for position, key in enumerate(keys):
        if key and key in seen:
            problems.append(Diagnostic(
                f"columns {seen[key] + 1} and {position + 1} are both {key!r} "
                f"({header[seen[key]]!r}, {header[position]!r})", path, header_line, None,
                "remove or rename one of them"))
        seen.setdefault(key, position)
    return problems


def _field_starts(line: str, delimiter: str) -> list[int]:
    """Return the character offset where each field of a physical line starts (quotes respected)."""
    starts, quoted = [0], False
    for offset, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(offset + 1)
    return starts


# Numbers -----------------------------------------------------------------------------------------

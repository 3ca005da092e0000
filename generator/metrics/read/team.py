"""metrics/team.csv: one row per person and role period, read and checked (compute/team.py counts them)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.read.cells import CellReader, require_columns
from generator.metrics.read.csvfile import CsvRow, load_csv
from generator.metrics.read.money import FxRates


@dataclass(frozen=True)
class TeamRow:
    """One person in one role over one period; `salary` is yearly, in `currency`."""

    line: int
    person: str
    role: str
    team: str
    start: date
    end: date | None
    location: str = ""
    salary: Decimal | None = None
    currency: str = ""
    level: str = ""
    experience: Decimal | None = None

    def here_after(self, day: date) -> bool:
        """Return True when the row covers the day after `day` (still here at the end of `day`)."""
        return self.start <= day and (self.end is None or self.end > day)


@dataclass(frozen=True)
class TeamFile:
    path: Path
    rows: tuple[TeamRow, ...]
    has_salaries: bool


def load_team_file(path: Path, options: FileOptions, decimal_comma: bool,
                   rates: FxRates) -> tuple[TeamFile | None, list[Diagnostic]]:
    """Read team.csv: person, role, start (required); team, end, location, salary, currency, level, experience."""
    table, problems = load_csv(path, "team", options)
    if table is None:
        return None, problems
    header = require_columns(table, "team", ("person", "role", "start"))
    if header:
        return None, problems + header
    cells = CellReader(table, decimal_comma, options.currency or rates.currency)
    rows = [row for row in (_team_row(cells, r, options.currency or rates.currency) for r in table.rows) if row]
    return TeamFile(path, tuple(rows), table.has("salary")), problems + cells.problems


def _team_row(cells: CellReader, row: CsvRow, currency: str) -> TeamRow | None:
    before = len(cells.problems)
    text = {key: cells.table.cell(row, key) for key in ("person", "role", "team", "location", "level", "currency")}
    for key in ("person", "role"):
        if not text[key]:
            cells.report(row, key, f"the {key} is blank", f"every row needs a {key}")
    start = _day(cells, row, "start", required=True)
    end = _day(cells, row, "end", required=False, last=True)
    if start and end and end < start:
        cells.report(row, "end", f"{end} is before the start {start}", "write the last day in the role, on or after start")
    salary = cells.amount(row, "salary", required=False, non_negative=True, currency=text["currency"].upper() or None)
    experience = cells.amount(row, "experience", required=False, non_negative=True)
    if len(cells.problems) > before:
        return None
    return TeamRow(row.line, text["person"], text["role"], text["team"], start, end, text["location"],  # type: ignore[arg-type]
                   salary if cells.table.cell(row, "salary") else None, text["currency"].upper() or currency,
                   text["level"], experience)


def _day(cells: CellReader, row: CsvRow, key: str, *, required: bool, last: bool = False) -> date | None:
    """Read 2024-06-03 (or 2024-06: its first day for a start, its last for an end)."""
    text = cells.table.cell(row, key)
    if not text:
        if required:
            cells.report(row, key, "the date is blank", "write the first day in the role, e.g. 2024-06-03")
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
    try:
        if match is None:
            raise ValueError
        year, month = int(match[1]), int(match[2])
        day = int(match[3]) if match[3] else (calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError:
        cells.report(row, key, f"{text!r} is not a date", "write YYYY-MM-DD, e.g. 2024-06-03")
        return None

"""What an import changes in metrics/, month by month, and whether that restates a month already there.

Both sides are read with the metrics engine's own loaders (the existing file with the site's
options, the new one from its bytes), so "changed" means changed as the dashboard would see it,
not a different spelling of the same number. Only aggregates are compared and printed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from generator.config.metrics import FileOptions
from generator.errors import Diagnostic
from generator.metrics.read.costs import load_costs_file
from generator.metrics.read.inputs import load_churn_file, load_mrr_file

Values = Mapping[date, Mapping[str, Decimal]]
"""Month to field (a column, or a cost category label) to its value."""

FIELDS: Mapping[str, tuple[str, ...]] = {
    "mrr.csv": ("mrr", "new", "expansion", "contraction", "churned", "reactivation"),
    "churn.csv": ("customers", "new_customers", "churned_customers", "reactivated_customers"),
}


@dataclass(frozen=True)
class Change:
    """One field of one month: its value before (None: new) and after the import (None: removed)."""

    month: date
    field: str
    old: Decimal | None
    new: Decimal | None

    @property
    def restates(self) -> bool:
        """True when a value that existed changes: a decision, refused without --force."""
        return self.old is not None and self.old != self.new


@dataclass(frozen=True)
class FileChanges:
    """The changes to one metrics file, and the months of the file before and after."""

    name: str
    changes: tuple[Change, ...]
    unreadable: tuple[Diagnostic, ...] = ()
    """Problems of the existing file: it cannot be compared, so replacing it needs --force too."""

    @property
    def restatements(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.restates)

    @property
    def refused(self) -> bool:
        return bool(self.restatements or self.unreadable)


def compare_file(name: str, old_path: Path | None, new_data: bytes, options: FileOptions,
                 decimal_comma: bool) -> FileChanges:
    """Return every field that differs between metrics/<name> and the bytes the import would write."""
    read = _READERS[name]
    new, problems = _read_bytes(read, name, new_data, options, decimal_comma)
    if problems:  # pragma: no cover - the import renders files its own loaders read
        raise AssertionError(f"the import rendered an unreadable {name}: {problems[0].format()}")
    old: Values = {}
    if old_path is not None:
        old, problems = read(old_path, options, decimal_comma)
        if any(p.severity == "error" for p in problems):
            return FileChanges(name, _diff({}, new), tuple(p for p in problems if p.severity == "error"))
    return FileChanges(name, _diff(old, new))


def _read_bytes(read: Callable[..., tuple[Values, list[Diagnostic]]], name: str, data: bytes,
                options: FileOptions, decimal_comma: bool) -> tuple[Values, list[Diagnostic]]:
    with tempfile.TemporaryDirectory(prefix="opensite-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        values, problems = read(path, options, decimal_comma)
    return values, [p for p in problems if p.severity == "error"]


def _diff(old: Values, new: Values) -> tuple[Change, ...]:
    changes: list[Change] = []
    for month in sorted(set(old) | set(new)):
        before, after = old.get(month, {}), new.get(month, {})
        for field in [*after, *(f for f in before if f not in after)]:
            if before.get(field) != after.get(field):
                changes.append(Change(month, field, before.get(field), after.get(field)))
    return tuple(changes)


def _mrr_values(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[Values, list[Diagnostic]]:
    loaded, problems = load_mrr_file(path, options, decimal_comma)
    rows = loaded.rows if loaded else ()
    return {row.month: {f: v for f in FIELDS["mrr.csv"] if (v := getattr(row, f)) is not None}
            for row in rows}, problems


def _churn_values(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[Values, list[Diagnostic]]:
    loaded, problems = load_churn_file(path, options, decimal_comma)
    rows = loaded.rows if loaded else ()
    return {row.month: {f: Decimal(getattr(row, f)) for f in FIELDS["churn.csv"]} for row in rows}, problems


def _costs_values(path: Path, options: FileOptions, decimal_comma: bool) -> tuple[Values, list[Diagnostic]]:
    loaded, problems = load_costs_file(path, options, decimal_comma)
    if loaded is None:
        return {}, problems
    return {month: {loaded.categories[c]: v for c, v in amounts.items()}
            for month, amounts in loaded.amounts.items()}, problems


_READERS: Mapping[str, Callable[..., tuple[Values, list[Diagnostic]]]] = {
    "mrr.csv": _mrr_values, "churn.csv": _churn_values, "costs.csv": _costs_values,
}


def render_changes(files: Sequence[FileChanges]) -> str:
    """Return the month-by-month table of what changed: one line per month, `old → new` where it changed."""
    changes = [change for file in files for change in file.changes]
    if not changes:
        return "Nothing changed: metrics/ already holds these numbers.\n"
    known = [field for names in FIELDS.values() for field in names]
    fields = sorted(dict.fromkeys(change.field for change in changes),
                    key=lambda f: known.index(f) if f in known else len(known))
    by_month: dict[date, dict[str, Change]] = {}
    for change in changes:
        by_month.setdefault(change.month, {})[change.field] = change
    table = [["month", *fields]] + [[f"{month:%Y-%m}", *(_cell(by_month[month].get(f)) for f in fields)]
                                    for month in sorted(by_month)]
    widths = [max(len(row[i]) for row in table) for i in range(len(fields) + 1)]
    lines = ["  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in
                       enumerate(zip(row, widths))).rstrip() for row in table]
    if any(change.old is not None for change in changes):
        lines.append("(old → new; a blank cell is unchanged, – is no value)")
    return "\n".join(lines) + "\n"


def _cell(change: Change | None) -> str:
    if change is None:
        return ""
    if change.old is None:
        return _number(change.new)
    return f"{_number(change.old)} → {_number(change.new)}"


def _number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value == value.to_integral_value() and value.as_tuple().exponent == 0 else f"{value:,.2f}"

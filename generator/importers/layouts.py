"""How a vendor's export names its columns, and which of a source's files is which export.

A `Layout` lists each field the reader needs with the header names the vendor's exports use (matched
case-insensitively, spaces and `_` alike, `subscriptions.` prefixes dropped); site.yaml's `map:` may
point a field at any other header. A missing column is named with the closest header (did-you-mean)
and the list found — never "no rows". A vendor source given several files (subscriptions and
transactions) tells them apart by their headers, so the order of `file:` does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from generator.errors import Diagnostic, MetricsError, did_you_mean
from generator.importers.records import ImportContext, header_cells, load_export
from generator.metrics.read.csvfile import CsvTable, normalize_header

_ENTITIES = frozenset({"subscription", "subscriptions", "transaction", "transactions", "invoice", "invoices",
                       "line_item", "line_items", "item", "items"})


@dataclass(frozen=True, eq=False)
class Layout:
    """One kind of export: its fields (each with the header keys it may carry) and how to get it."""

    name: str
    """As a founder knows it: 'Paddle subscriptions export'."""
    required: Mapping[str, tuple[str, ...]]
    optional: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    marks: tuple[str, ...] = ()
    """Header keys only this kind of export has (to tell a source's files apart)."""
    how: str = ""
    """Where to download it, for hints."""

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


@dataclass(frozen=True)
class LaidOut:
    """An export read with its layout: the table and each field's column key (absent optional fields left out)."""

    table: CsvTable
    columns: Mapping[str, str]

    def has(self, name: str) -> bool:
        return name in self.columns


def header_key(text: str) -> str:
    """Return the matching key of a header: case, spaces, `_`, `-`, dots and a `subscriptions.` prefix ignored."""
    head, dot, rest = text.strip().partition(".")
    if dot and rest and normalize_header(head) in _ENTITIES:
        text = rest
    return normalize_header(text.replace(".", "_"))


def read_layout(path: Path, ctx: ImportContext, layout: Layout, renames: Mapping[str, str]) -> LaidOut:
    """Read an export keeping only the layout's columns; raise MetricsError naming any missing one.

    Args:
        renames: site.yaml `map:` — a field to the header text holding it, for exports that differ.
    """
    unknown = [name for name in renames if name not in layout.fields]
    if unknown:
        raise MetricsError(f"map: names {', '.join(repr(n) for n in unknown)}, which the {layout.name} does not "
                           "read", None, None, None, " ".join(filter(None, [did_you_mean(unknown[0], layout.fields)]))
                           + f" fields: {', '.join(layout.fields)}")
    wanted = {name: ((header_key(renames[name]),) if name in renames else aliases)
              for name, aliases in (*layout.required.items(), *layout.optional.items())}
    table = load_export(path, ctx, {alias for aliases in wanted.values() for alias in aliases}, key=header_key)
    present = {name: key for name, aliases in wanted.items() if (key := next((a for a in aliases if table.has(a)),
                                                                              None))}
    missing = [name for name in layout.required if name not in present]
    if missing:
        raise MetricsError(diagnostics=[_missing(table, layout, wanted, missing, renames)])
    return LaidOut(table, MappingProxyType(present))


def _missing(table: CsvTable, layout: Layout, wanted: Mapping[str, Sequence[str]], missing: Sequence[str],
             renames: Mapping[str, str]) -> Diagnostic:
    close = [hint for name in missing if (hint := did_you_mean(wanted[name][0], [k for k in table.keys if k]))]
    written = ", ".join(h for h in table.header if h)
    named = ", ".join(repr(renames.get(name, wanted[name][0])) for name in missing)
    return Diagnostic(f"missing column{'s' if len(missing) > 1 else ''} {named} of the {layout.name}", table.path,
                      table.header_line, None, " ".join([*close, f"the header has: {written}; point a field at "
                                                         "another column with 'map: {<field>: <header>}' in "
                                                         "site.yaml's imports:", layout.how]).strip())


def sort_files(paths: Iterable[Path], ctx: ImportContext, layouts: Sequence[Layout]) -> dict[Layout, Path]:
    """Tell a source's files apart by their headers; raise naming a file that is none of `layouts`."""
    found: dict[Layout, Path] = {}
    for path in paths:
        keys = peek_header(path, ctx.encoding)
        layout = next((one for one in layouts if any(mark in keys for mark in one.marks)), None)
        if layout is None and len(layouts) == 1:
            layout = layouts[0]
        if layout is None:
            raise MetricsError(f"{path.name} is none of the exports this source reads", path, None, None,
                               "give " + " and/or ".join(f"the {one.name}" for one in layouts))
        if layout in found:
            raise MetricsError(f"{path.name} and {found[layout].name} are both the {layout.name}", path, None, None,
                               "give each export once")
        found[layout] = path
    return found


def peek_header(path: Path, encoding: str) -> set[str]:
    """Return the header keys of a file's first non-empty line (unreadable files give none: the reader says why)."""
    return {header_key(cell) for cell in header_cells(path, encoding)}

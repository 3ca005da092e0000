"""One number formatter (generator/numbers.py): one rounding rule, and the terminal prints what the site shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.numbers import NumberFormat, round_half_up
from generator.registry import Unit
from golden_site import GOLDEN_SITES


@dataclass(frozen=True)
class Shape:
    unit: Unit
    indexed: bool = False
    as_percent: bool = True
    decimals: int | None = None


@pytest.mark.parametrize(("shape", "value", "en", "zh"), [
    (Shape(Unit.MONTHS), "2.25", "2.3 months", "2.3 个月"),       # half away from zero, not Babel's half-even 2.2
    (Shape(Unit.CURRENCY), "32.125", "$32.13", "US$32.13"),
    (Shape(Unit.CURRENCY), "-5095", "\u2212$5,095", "\u2212US$5,095"),
    (Shape(Unit.CURRENCY), "12500.40", "$12,500", "US$12,500"),   # whole units from 1,000 up
    (Shape(Unit.RATIO), "0.04550", "4.6%", "4.6%"),
    (Shape(Unit.RATIO, as_percent=False), "2.125", "2.13×", "2.13×"),
    (Shape(Unit.COUNT), "1204.5", "1,205", "1,205"),
    (Shape(Unit.NUMBER), "0.1538", "0.15", "0.15"),                # a site's own unit keeps its decimals
    (Shape(Unit.NUMBER, decimals=3), "0.1538", "0.154", "0.154"),
    (Shape(Unit.NUMBER), "6", "6", "6"),
    (Shape(Unit.CURRENCY, indexed=True), "179.5", "180", "180"),  # an index reads in whole points, as published
    (Shape(Unit.COUNT), "-0.2", "0", "0"),                          # never '−0'
])
def test_number_format_rounds_half_away_from_zero_in_each_unit(shape, value, en, zh) -> None:
    assert NumberFormat("en", "USD").value(shape, Decimal(value)) == en
    assert NumberFormat("zh-CN", "USD").value(shape, Decimal(value)) == zh


def test_round_half_up_rounds_away_from_zero_both_ways() -> None:
    assert [round_half_up(Decimal(v), 1) for v in ("2.25", "-2.25", "2.24")] == [Decimal("2.3"), Decimal("-2.3"),
                                                                                 Decimal("2.2")]


class _MonthTable(HTMLParser):
    """Reads a month page's table: metric id (the row's id) → (label, value) as a reader sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[str]] = {}
        self.row: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and dict(attrs).get("id"):
            self.row = dict(attrs)["id"]
            self.rows[self.row] = []
        elif tag in ("th", "td") and self.row:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.row and self.cell is not None:
            self.rows[self.row].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _terminal_rows(text: str) -> dict[str, tuple[str, str]]:
    """Return metric id → (label, value) from `opensite metrics`' table (columns split on 2+ spaces)."""
    rows = {}
    for line in text.splitlines()[3:]:
        cells = re.split(r" {2,}", line.strip())
        if len(cells) >= 3:
            rows[cells[0]] = (cells[1], cells[2])
    return rows


@pytest.mark.parametrize("name", sorted(GOLDEN_SITES))
def test_terminal_prints_every_value_as_the_month_page_shows_it(name, golden_build) -> None:
    built = golden_build(name)
    _, when = GOLDEN_SITES[name]
    month = built.result.site.dashboard.latest_closed
    result = CliRunner().invoke(main, ["metrics", "-s", str(built.site), "--month", f"{month:%Y-%m}"],
                                env={"SOURCE_DATE_EPOCH": str(int(when.timestamp()))})
    assert result.exit_code == 0, result.output
    terminal = _terminal_rows(result.output)
    page = _MonthTable()
    page.feed((built.output / built.result.site.config.dashboard.path / f"{month:%Y-%m}" / "index.html")
              .read_text(encoding="utf-8"))
    shown = {metric_id: (cells[0], cells[1]) for metric_id, cells in page.rows.items()}
    with_values = {metric_id: row for metric_id, row in terminal.items() if row[1] != "—"}
    assert len(with_values) > 20
    assert {m: shown.get(m) for m in with_values} == with_values
    if name == "full":  # December 2025 made a profit: both frame net burn as one, with a positive amount
        assert terminal["net_burn"][0] == shown["net_burn"][0] == "Profit"

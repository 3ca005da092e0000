"""Money in more than one currency: which currency a cell names, exchange rates, conversion (issue #10).

A founder may bill in dollars and pay rent in yuan. Every amount is converted to the site
currency once, when it is read, at the rate of its month: `metrics/fx.csv` (month, currency,
rate) when it lists the currency, else the fixed `metrics.fx` map of site.yaml. Each rate used
is recorded, so the methodology page and the open data can say what was converted and how.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from generator.config.metrics import FileOptions, is_currency_code
from generator.errors import Diagnostic
from generator.metrics.read.csvfile import (
    CsvRow,
    CsvTable,
    load_csv,
    parse_month,
    parse_number,
)

Locate = Callable[[str, str], Diagnostic]

_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"})
_MARKS: Mapping[str, frozenset[str]] = MappingProxyType({
    "$": _DOLLARS, "US$": frozenset({"USD"}), "USD$": frozenset({"USD"}),
    "¥": frozenset({"CNY", "JPY"}), "￥": frozenset({"CNY", "JPY"}), "CN¥": frozenset({"CNY"}),
    "RMB": frozenset({"CNY"}), "元": frozenset({"CNY"}), "JP¥": frozenset({"JPY"}), "円": frozenset({"JPY"}),
    "€": frozenset({"EUR"}), "£": frozenset({"GBP"}), "₹": frozenset({"INR"}), "₩": frozenset({"KRW"}),
    "HK$": frozenset({"HKD"}), "C$": frozenset({"CAD"}), "CA$": frozenset({"CAD"}), "A$": frozenset({"AUD"}),
    "AU$": frozenset({"AUD"}), "S$": frozenset({"SGD"}), "NT$": frozenset({"TWD"}), "R$": frozenset({"BRL"}),
    "NZ$": frozenset({"NZD"}), "MX$": frozenset({"MXN"}), "CHF": frozenset({"CHF"}), "₽": frozenset({"RUB"}),
})
"""Symbols and codes a spreadsheet writes next to an amount, to the currencies each may mean."""

_NUMBER_PART = re.compile(r"[\d.,'\s\u00a0\u2009\u202f()+\-\u2212\u2013]+")


def parse_currency_mark(text: str) -> frozenset[str]:
    """Return the currencies the symbols or codes of a cell may mean: '¥1,200' -> {CNY, JPY}; none -> {}."""
    marks = [part for part in _NUMBER_PART.split(text) if part]
    found: frozenset[str] = frozenset()
    for mark in marks:
        upper = mark.upper()
        meaning = _MARKS.get(mark) or _MARKS.get(upper) or (frozenset({upper}) if is_currency_code(upper) else None)
        if meaning is None:
            continue
        found = meaning if not found else (found & meaning or meaning)
    return found


def describe_mark(text: str, meaning: frozenset[str]) -> str:
    """Return how a message names a cell's currency: "'¥187,000.00' is in CNY or JPY"."""
    return f"{text!r} is in {' or '.join(sorted(meaning))}"


@dataclass(frozen=True)
class FxUse:
    """One rate used: 1 `currency` = `rate` site currency in `month`, for amounts of `files`."""

    currency: str
    month: date | None
    """The month of a monthly rate; None for a fixed rate, which holds every month."""
    rate: Decimal
    source: str
    """'fx.csv' (a monthly rate) or 'site.yaml' (the fixed metrics.fx rate)."""
    files: tuple[str, ...] = ()
    """The files the build converted with it; empty when only `opensite import` used it."""


@dataclass(frozen=True)
class FxRates:
    """The rates a site declares: monthly ones from metrics/fx.csv, fixed ones from site.yaml."""

    currency: str
    """The site currency every amount is converted to."""
    fixed: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    monthly: Mapping[tuple[str, date], Decimal] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None

    def lookup(self, currency: str, month: date) -> tuple[Decimal, str] | None:
        """Return the rate of `currency` in `month` and its source, or None when none is declared."""
        if currency == self.currency:
            return Decimal(1), ""
        if self.lists(currency):
            rate = self.monthly.get((currency, month))
            return (rate, "fx.csv") if rate is not None else None
        rate = self.fixed.get(currency)
        return (rate, "site.yaml") if rate is not None else None

    def lists(self, currency: str) -> bool:
        """Return True when fx.csv has monthly rates for `currency` (then only they apply)."""
        return any(code == currency for code, _ in self.monthly)


class Converter:
    """Converts the amounts of one file to the site currency; collects the rates used and the problems."""

    def __init__(self, rates: FxRates, stem: str) -> None:
        self.rates = rates
        self.stem = stem
        self.uses: dict[tuple[str, date | None], FxUse] = {}
        self.problems: list[Diagnostic] = []
        self._reported: set[tuple[str, date | None]] = set()

    def to_site(self, amount: Decimal, currency: str, month: date, locate: Locate) -> Decimal | None:
        """Return `amount` in the site currency, or None (once reported) when no rate is declared.

        `locate(message, hint)` returns the diagnostic at the amount's cell.
        """
        found = self.rates.lookup(currency, month)
        if found is None:
            self._missing(currency, month, locate)
            return None
        rate, source = found
        if not source:
            return amount  # the site currency: no new number to hold
        key = (currency, month if source == "fx.csv" else None)
        self.uses.setdefault(key, FxUse(currency, key[1], rate, source, (self.stem,)))
        return amount * rate

    def _missing(self, currency: str, month: date, locate: Locate) -> None:
        monthly = self.rates.lists(currency)
        where = (currency, month if monthly else None)
        if where in self._reported:
            return
        self._reported.add(where)
        site = self.rates.currency
        if monthly:
            message = f"no rate for {currency} in {month:%Y-%m} in metrics/fx.csv"
            hint = f"add a row '{month:%Y-%m},{currency},<rate>' to metrics/fx.csv (1 {currency} in {site})"
        else:
            message = f"amounts in {currency} need an exchange rate to {site} (first amount on this line)"
            hint = (f"add 'fx: {{{currency}: <rate>}}' under metrics: in site.yaml (1 {currency} in {site}), or "
                    f"monthly rates in metrics/fx.csv")
        self.problems.append(locate(message, hint))


def declared_fx(rates: FxRates) -> dict[tuple[str, date | None], FxUse]:
    """Return every rate the site declares, used or not: imports convert with them before the build runs."""
    declared = {(code, None): FxUse(code, None, rate, "site.yaml") for code, rate in rates.fixed.items()
                if not rates.lists(code)}
    declared.update({(code, month): FxUse(code, month, rate, "fx.csv") for (code, month), rate in rates.monthly.items()})
    return declared


def merge_fx_uses(*groups: Mapping[tuple[str, date | None], FxUse]) -> tuple[FxUse, ...]:
    """Return one FxUse per currency and month, naming every file that used it, ordered."""
    merged: dict[tuple[str, date | None], FxUse] = {}
    for group in groups:
        for key, use in group.items():
            old = merged.get(key)
            merged[key] = use if old is None else FxUse(use.currency, use.month, use.rate, use.source,
                                                        tuple(sorted(set(old.files) | set(use.files))))
    return tuple(merged[key] for key in sorted(merged, key=lambda k: (k[0], k[1] or date.min)))


def load_fx_file(path: Path | None, options: FileOptions, currency: str, fixed: Mapping[str, Decimal],
                 decimal_comma: bool = False) -> tuple[FxRates, list[Diagnostic]]:
    """Read metrics/fx.csv (month, currency, rate) into FxRates; no file means the fixed rates only."""
    if path is None:
        return FxRates(currency, fixed), []
    table, problems = load_csv(path, "fx", options)
    if table is None:
        return FxRates(currency, fixed, path=path), problems
    missing = [key for key in ("month", "currency", "rate") if not table.has(key)]
    if missing:
        return FxRates(currency, fixed, path=path), problems + [Diagnostic(
            f"missing column {', '.join(repr(k) for k in missing)}", path, table.header_line, None,
            f"fx.csv holds 'month,currency,rate' rows: 1 unit of the currency in {currency}, e.g. 2024-03,EUR,1.08")]
    monthly: dict[tuple[str, date], Decimal] = {}
    lines: dict[tuple[str, date], int] = {}
    for row in table.rows:
        entry = _fx_row(table, row, currency, decimal_comma, problems)
        if entry is None:
            continue
        key, rate = entry
        if key in lines:
            problems.append(table.problem(row.line, "month", f"{key[0]} in {key[1]:%Y-%m} appears twice: lines "
                                          f"{lines[key]} and {row.line}", "keep one rate per currency and month"))
            continue
        lines[key], monthly[key] = row.line, rate
    return FxRates(currency, fixed, MappingProxyType(monthly), path), problems


def _fx_row(table: CsvTable, row: CsvRow, currency: str, decimal_comma: bool,
            problems: list[Diagnostic]) -> tuple[tuple[str, date], Decimal] | None:
    """Return ((currency, month), rate) of one fx.csv row, or None after recording its problem."""
    code = table.cell(row, "currency").upper()
    try:
        month = parse_month(table.cell(row, "month"))
    except ValueError as exc:
        problems.append(table.problem(row.line, "month", f"{table.cell(row, 'month')!r} is not a month", str(exc)))
        return None
    if not is_currency_code(code) or code == currency:
        problems.append(table.problem(row.line, "currency", f"{table.cell(row, 'currency')!r} is not a currency "
                                      f"other than {currency}", "write an ISO 4217 code such as EUR or CNY"))
        return None
    try:
        rate = parse_number(table.cell(row, "rate"), decimal_comma=decimal_comma)
    except ValueError as exc:
        problems.append(table.problem(row.line, "rate", f"{table.cell(row, 'rate')!r} is not a number", str(exc)))
        return None
    if rate <= 0:
        problems.append(table.problem(row.line, "rate", f"the rate {rate} is not above 0",
                                      f"write how much 1 {code} is worth in {currency}, e.g. 0.1389"))
        return None
    return (code, month), rate

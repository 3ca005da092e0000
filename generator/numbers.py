"""Numbers for people: the one formatter of every value a reader sees, in the site's language.

KPI cards, metric and month pages, chart texts and tables, the team page, badges, share cards,
`{{ metric }}` in posts and `opensite metrics`' table all print a value through `NumberFormat`, so the
same value reads the same everywhere ($48,500, 4.5%, ≈$620,000, 2.3 months). Values are rounded
here, half away from zero, before Babel formats them (Babel alone rounds half to even, which is how
runway 2.25 once read "2.3 months" on the site and "2.2 months" in the terminal).

Precision by unit (docs/metrics.md, "How numbers are shown"):
- money: whole units from 1,000 up and for whole amounts, else cents;
- ratios: a percentage with one decimal (or a multiple with two, 2.50×);
- months: one decimal, dropped when zero (14 months, 2.3 months);
- counts: whole; indexes (relative disclosure): whole points, as published;
- a site's own unit (tickets, points): up to its `decimals` (default 2), trailing zeros dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent

from generator.i18n import Translator
from generator.registry import Unit

MINUS = "\u2212"
APPROX = "≈"
NO_VALUE = "—"
DEFAULT_DECIMALS = 2
"""Decimals of a site's own unit when its entry declares none (0.1538 tickets per customer reads 0.15)."""


class ValueShape(Protocol):
    """What decides how a value reads: a MetricSeries has these (the formatter needs nothing else)."""

    @property
    def unit(self) -> Unit: ...

    @property
    def indexed(self) -> bool: ...

    @property
    def as_percent(self) -> bool: ...

    @property
    def decimals(self) -> int | None: ...


class PointShape(Protocol):
    month: date
    value: Decimal | None
    approximate: bool


class NumberFormat:
    """Formats values of one site: its language (words and digits) and its currency."""

    def __init__(self, language: str, currency: str, translator: Translator | None = None) -> None:
        self.language = language
        self.currency = currency
        self.locale = Locale.parse(language, sep="-")
        self.t = translator or Translator(language)
        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        self._money_cents = pattern
        self._money_whole = re.sub(r"\.0+", "", pattern)
        self._formatted: dict[tuple, str] = {}
        """Texts already formatted: a dashboard prints the same values on many pages, and Babel takes ~50 µs a
        value (most of assembling the dashboard, issue 24). Keyed by the value and its sign, which is all that
        decides a text: each form rounds first, so 1.5 and 1.50 read the same."""

    def point(self, shape: ValueShape, point: PointShape | None) -> str:
        """Return a month's value as shown: '≈$620,000', '4.5%', or '—' when it has none."""
        if point is None or point.value is None:
            return NO_VALUE
        return (APPROX if point.approximate else "") + self.value(shape, point.value)

    def value(self, shape: ValueShape, value: Decimal) -> str:
        """Return a value in its unit, without ≈: $48,500, $32.15, 4.5%, 2.50×, 1,204, 14 months, 0.15."""
        if shape.indexed:
            return self.signed(value, lambda v: self.decimal(v, 0))  # published in whole points (issue 20)
        if shape.unit is Unit.CURRENCY:
            return self.signed(value, self.money)
        if shape.unit is Unit.RATIO:
            if shape.as_percent:
                return self.signed(value, self.percent)
            return self.signed(value, lambda v: self.decimal(v, 2, keep_zeros=True)) + "×"
        if shape.unit is Unit.MONTHS:
            return self.t("months_value", n=self.signed(value, lambda v: self.decimal(v, 1)))
        if shape.unit is Unit.NUMBER:
            decimals = shape.decimals if shape.decimals is not None else DEFAULT_DECIMALS
            return self.signed(value, lambda v: self.decimal(v, decimals))
        return self.signed(value, lambda v: self.decimal(v, 0))

    def money(self, amount: Decimal, whole: bool = False) -> str:
        """Return a non-negative amount: whole units from 1,000 up (and for whole numbers), else cents."""
        return self._once(("money", amount, amount.is_signed(), whole), self._money, amount, whole)

    def _money(self, amount: Decimal, whole: bool) -> str:
        whole = whole or amount >= 1000 or amount == amount.to_integral_value()
        if whole:
            return format_currency(round_half_up(amount, 0), self.currency, format=self._money_whole,
                                   locale=self.locale, currency_digits=False)
        return format_currency(round_half_up(amount, 2), self.currency, format=self._money_cents, locale=self.locale,
                               currency_digits=False)

    def percent(self, ratio: Decimal) -> str:
        """Return a ratio as a percentage with one decimal: 0.04512 → '4.5%'."""
        return self._once(("percent", ratio, ratio.is_signed()), self._percent, ratio)

    def _percent(self, ratio: Decimal) -> str:
        return format_percent(round_half_up(ratio * 100, 1) / 100, "#,##0.0%", locale=self.locale)

    def decimal(self, number: Decimal, decimals: int, keep_zeros: bool = False) -> str:
        """Return a number with `decimals` places (trailing zeros dropped unless `keep_zeros`), grouped."""
        return self._once(("decimal", number, number.is_signed(), decimals, keep_zeros), self._decimal, number,
                          decimals, keep_zeros)

    def _decimal(self, number: Decimal, decimals: int, keep_zeros: bool) -> str:
        fraction = ("0" if keep_zeros else "#") * decimals
        pattern = "#,##0" + (f".{fraction}" if decimals else "")
        return format_decimal(round_half_up(number, decimals), pattern, locale=self.locale)

    def _once(self, key: tuple, form: Callable[..., str], *args: object) -> str:
        text = self._formatted.get(key)
        if text is None:
            text = self._formatted[key] = form(*args)
        return text

    def signed(self, value: Decimal, form: Callable[[Decimal], str]) -> str:
        """Return `form` of |value| with a true minus sign when negative (never '−0')."""
        text = form(abs(value))
        return MINUS + text if value < 0 and any(digit in text for digit in "123456789") else text

    def plus(self, value: Decimal, form: Callable[[Decimal], str]) -> str:
        """Return a change: '+' before a rise, '−' before a fall."""
        text = self.signed(value, form)
        return "+" + text if value > 0 else text


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Return `value` rounded to `decimals` places, half away from zero (what people and spreadsheets do)."""
    return value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)

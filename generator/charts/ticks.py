"""Value ticks as a reader expects them: compact units ($45K, US$4.5万), the locale's grouping, a real minus.

An axis is read at a glance, so amounts are compact where the locale abbreviates them (thousands in
English, 万 in Chinese) and grouped where it does not (US$4,500, not US$4500); every tick carries its
unit, so a second axis never reads as a bare number. Pure functions of the value and the series: the
drawing code asks, and tests call them without matplotlib.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from generator.metrics import MetricSeries, Unit

MINUS = "\u2212"
_DIGITS_ONLY = re.compile(r"^[\d.,\s\u00a0\u202f]*$")


TICK_DIGITS = (2, 3, 4, 5, 6, 8)
"""Decimals tried in turn until every tick of an axis reads exactly (0.1, 0.15, 0.2 tickets; $0.0025)."""


def format_ticks(values: Sequence[float], series: MetricSeries, language: str, currency: str,
                 months_tick: str = "{n}") -> list[str]:
    """Return the labels of an axis's ticks ($1K, $1.25K, $1.5K): as many decimals as each needs, at least up to
    two, and more when a tick would otherwise be rounded (a tiny range must not print "0, 0, 0")."""
    labels: list[str] = []
    for digits in TICK_DIGITS:
        labels = [format_tick(v, series, language, currency, months_tick, digits) for v in values]
        more = [format_tick(v, series, language, currency, months_tick, digits + 3) for v in values]
        if labels == more and len(set(labels)) == len(labels):  # no tick rounded: each says where it is
            break
    return labels


def format_tick(value: float, series: MetricSeries, language: str, currency: str, months_tick: str = "{n}",
                digits: int = 2) -> str:
    """Return one tick label: $48.5K, US$4,500, 4.5万, 4.5%, 1.2K, 2.5×, 12 mo."""
    locale = language.replace("-", "_")
    number = Decimal(str(round(float(value), 6)))
    text = _unsigned(abs(number), series, locale, currency, months_tick, digits)
    return MINUS + text if number < 0 and any(d in text for d in "123456789") else text


def _unsigned(number: Decimal, series: MetricSeries, locale: str, currency: str, months_tick: str,
              digits: int) -> str:
    fraction = "." + "#" * digits
    if series.indexed:
        return format_decimal(number, "#,##0" + fraction, locale=locale)
    if series.unit is Unit.CURRENCY:
        if _abbreviated(number, locale):
            return format_compact_currency(number, currency, locale=locale, fraction_digits=digits)
        return format_currency(number, currency, format="¤#,##0" + fraction, locale=locale, currency_digits=False)
    if series.unit is Unit.RATIO:
        if series.as_percent:
            return format_percent(number, "#,##0." + "#" * digits + "%", locale=locale)
        return format_decimal(number, "#,##0." + "#" * digits, locale=locale) + "×"
    if series.unit is Unit.MONTHS:
        return months_tick.format(n=format_decimal(number, "#,##0" + fraction, locale=locale))
    if _abbreviated(number, locale):
        return format_compact_decimal(number, locale=locale, fraction_digits=digits)
    return format_decimal(number, "#,##0" + fraction, locale=locale)  # a site's own unit: 0.15 tickets


def _abbreviated(number: Decimal, locale: str) -> bool:
    """Return True when the locale writes the number in a compact form (4.5K, 4.5万), not in full."""
    return not _DIGITS_ONLY.match(format_compact_decimal(number, locale=locale, fraction_digits=1))


"""Numbers and sentences for people: values, changes and chart descriptions in the site's locale.

Everything a reader sees of a metric goes through `Formatter`, so a KPI card, a month page, a
chart's text alternative and a number inside a post all write $48,500, 4.5% or ≈$620,000 alike.
The numbers themselves come from generator/numbers.py, the one formatter `opensite metrics` uses too;
this module adds the words around them: changes, months, reasons, sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import (
    get_currency_name,
)

from generator.dashboard.signs import Tone, relative_change, tone_of
from generator.i18n import Translator
from generator.metrics import MetricPoint, MetricSeries, Unit
from generator.numbers import APPROX, NumberFormat

_FULL_WIDTH_ENDS = frozenset("。！？；：）」』")
"""Full-width marks carry their own space: the next sentence follows without one."""

"""Dashboard strings by language; a language without its own table uses English (Babel still formats)."""

Direction = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class Change:
    """A metric's change from an earlier month, as a number and as text ('+$300 (+20.0%)')."""

    base_month: date
    difference: Decimal
    """current − base, in the metric's unit (index points for an indexed series)."""
    relative: Decimal | None
    """difference / |base| for amounts and indexes; None for ratios, months, or a zero base."""
    text: str
    direction: Direction
    tone: Tone = "neutral"
    """Whether the change is good or bad for the company (the metric's `higher_is_better`): colour plus a word."""


class Formatter:
    """Formats one site's metric values, months and dashboard strings in its language."""

    def __init__(self, language: str, currency: str, overrides: Mapping[str, str] | None = None) -> None:
        self.language = language
        self.currency = currency
        self.locale = Locale.parse(language, sep="-")
        self._overrides = dict(sorted((overrides or {}).items()))
        self._t = Translator(language, overrides)
        self.strings = self._t.strings
        self.numbers = NumberFormat(language, currency, self._t)
        self._months: dict[tuple[str, date], str] = {}

    def __reduce__(self) -> tuple[type[Formatter], tuple[str, str, dict[str, str]]]:
        """Pickle as its arguments: Babel's Locale pickles differently from one process to the next, and
        the build cache hashes pickles (generator.pagekeys) and keeps a dashboard that holds one
        (memory.StoredRecall), so the site's string overrides go with it."""
        return (Formatter, (self.language, self.currency, self._overrides))

    def __call__(self, key: str, **values: object) -> str:
        """Return the dashboard string `key` with its placeholders filled."""
        return self._t(key, **values)

    def join(self, items: Iterable[str]) -> str:
        """Return a list as the language writes it in a sentence: 'New, Expansion' or '新增、扩展'."""
        return self("sep.list").join(items)

    def labelled(self, label: str, text: str) -> str:
        """Return 'label: text' with the language's colon ('标签：文字')."""
        return label + self("sep.label") + text

    def sentences(self, sentences: Iterable[str]) -> str:
        """Return sentences run together: a space after an English full stop, none after a Chinese '。'."""
        text = ""
        for sentence in sentences:
            text += ("" if not text or text[-1] in _FULL_WIDTH_ENDS else " ") + sentence
        return text

    @property
    def currency_name(self) -> str:
        """Return the currency's name in the site's language: 'US dollars', '人民币'."""
        return get_currency_name(self.currency, count=2, locale=self.locale)

    def month(self, month: date) -> str:
        """Return 'October 2026' (or '2026年10月')."""
        return self._month_text("yMMMM", month)

    def month_short(self, month: date) -> str:
        """Return 'Oct 2026'."""
        return self._month_text("yMMM", month)

    def _month_text(self, skeleton: str, month: date) -> str:
        """Format a month once per build: the dashboard names the same sixty months thousands of times."""
        key = (skeleton, month)
        text = self._months.get(key)
        if text is None:
            text = self._months[key] = format_skeleton(skeleton, month, locale=self.locale)
        return text

    def point(self, series: MetricSeries, point: MetricPoint | None) -> str:
        """Return a point as shown on pages: '≈$620,000', '4.5%', or '—' when it has no value."""
        return self.numbers.point(series, point)

    def reason(self, point: MetricPoint | None) -> str:
        """Return why a point has no value, for people ('profitable', 'no data')."""
        if point is None:
            return self("reason.missing_input")
        key = f"reason.{point.reason}"
        return self(key) if point.reason and key in self.strings else ""

    def reason_text(self, reason: str) -> str:
        """Return a null reason code ('profitable') as shown to readers."""
        return self.strings.get(f"reason.{reason}", str(reason))

    def value(self, series: MetricSeries, value: Decimal) -> str:
        """Return a value in the series' unit, without ≈: $48,500, $32.15, 4.5%, 2.50×, 1,204, 14 months."""
        return self.numbers.value(series, value)

    def change(self, series: MetricSeries, current: MetricPoint | None, base: MetricPoint | None) -> Change | None:
        """Return the change from `base` to `current`, or None when either has no value."""
        if current is None or base is None or current.value is None or base.value is None:
            return None
        difference = current.value - base.value
        relative = relative_change(current.value, base.value) if _has_relative(series) else None
        text = self._change_text(series, difference, relative, whole=abs(current.value) >= 1000)
        if not any(digit in text for digit in "123456789"):  # a change that rounds to 0 reads as none
            return Change(base.month, difference, relative, self("no_change"), "flat")
        approx = APPROX if current.approximate or base.approximate else ""
        return Change(base.month, difference, relative, approx + text, "up" if difference > 0 else "down",
                      tone_of(series, difference))

    def _change_text(self, series: MetricSeries, difference: Decimal, relative: Decimal | None,
                     whole: bool = False) -> str:
        numbers = self.numbers
        if series.indexed:
            return numbers.plus(relative, numbers.percent) if relative is not None else \
                numbers.plus(difference, lambda v: numbers.decimal(v, 1, keep_zeros=True))
        if series.unit is Unit.RATIO and _as_percent(series):
            return self("pp", n=numbers.plus(difference * 100, lambda v: numbers.decimal(v, 1, keep_zeros=True)))
        if series.unit in (Unit.RATIO, Unit.MONTHS):
            return ("+" if difference > 0 else "") + self.value(series, difference)
        if series.unit is Unit.CURRENCY and whole:  # the change of a $1,377 LTV reads +$5, not +$5.10
            text = numbers.plus(difference, lambda v: numbers.money(v, whole=True))
        else:
            text = ("+" if difference > 0 else "") + self.value(series, difference)
        return f"{text} ({numbers.plus(relative, numbers.percent)})" if relative is not None else text


def _as_percent(series: MetricSeries) -> bool:
    return series.as_percent


def _has_relative(series: MetricSeries) -> bool:
    return series.indexed or series.unit in (Unit.CURRENCY, Unit.COUNT)

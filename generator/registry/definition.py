"""What a metric is: its unit, the reasons it can be undefined, and its registry entry.

Below config on the ladder, so site.yaml's validation, the metrics stage, the dashboard and the
scaffolds all ask the one registry what metrics exist rather than keeping lists of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from generator.i18n.localized import LocalizedText


class Unit(StrEnum):
    """What a metric's numbers count; the export's `unit` field."""

    CURRENCY = "currency"
    RATIO = "ratio"
    COUNT = "count"
    MONTHS = "months"
    NUMBER = "number"
    """A plain quantity with decimals, for a custom metric's declared unit (e.g. NPS in points)."""


class NullReason(StrEnum):
    """Why a month has no value; every null point carries one."""

    NO_PREVIOUS_MONTH = "no_previous_month"
    ZERO_DENOMINATOR = "zero_denominator"
    NO_CHURN = "no_churn"
    PROFITABLE = "profitable"
    MISSING_INPUT = "missing_input"
    INSUFFICIENT_HISTORY = "insufficient_history"
    NO_NEW_CUSTOMERS = "no_new_customers"
    NO_ACQUISITION_SPEND = "no_acquisition_spend"
    NEGATIVE_MARGIN = "negative_margin"


@dataclass(frozen=True)
class MetricDefinition:
    """One registry entry: what a metric means, in every language, how it is computed, and when it is null.

    Built-in entries are registered in definitions.py; a site's own metrics (site.yaml
    `metrics.custom`) become entries of the same type, so every page, export and command reads
    a built-in and a custom metric alike.
    """

    id: str
    label: LocalizedText
    unit: Unit
    formula: str
    """The formula as readers see it, e.g. '(mrr − mrr[prev]) / mrr[prev]'; 'input' for inputs."""
    description: LocalizedText
    null_reasons: tuple[tuple[NullReason, LocalizedText], ...]
    """Each reason code this metric can carry, with when it happens, in order of precedence."""
    needs: tuple[str, ...] = ()
    compute: Callable[..., Decimal] | None = None
    """One month's value from a registry.MonthView; None for inputs read straight from a file."""
    source: LocalizedText | None = None
    """For inputs: the file and column, identifiers in backticks: '`mrr.csv`, column `mrr`'."""
    as_percent: bool = True
    """For ratios: shown as a percentage (False for multiples such as the quick ratio)."""
    higher_is_better: bool = True
    """Whether a rise is good news (MRR) or bad (churn, costs): the colour of its change."""
    unit_name: str = ""
    """A declared unit such as 'points' (unit NUMBER); '' for the built-in units."""
    custom: bool = False
    """True for a metric declared in site.yaml's metrics.custom."""
    requires: tuple[str, ...] = ()
    """What the site must have for the metric to exist (team.csv, salaries, cost groups…); see compute.FEATURES."""

    @property
    def is_input(self) -> bool:
        return self.compute is None

    @property
    def unit_text(self) -> str:
        """Return the unit as exports name it: 'currency', 'ratio', or a declared unit such as 'points'."""
        return self.unit_name or self.unit.value


def bilingual(english: str, chinese: str) -> LocalizedText:
    """Return a text of the registry in English and Simplified Chinese (the two languages that ship)."""
    return LocalizedText(english, MappingProxyType({"en": english, "zh-CN": chinese}))

"""The `metrics:` section of site.yaml: currency, checks, per-file reading options, publishing rules.

Validated once, here, so the metrics stage never meets a typo: an unknown key, metric id or
disclosure is a ConfigError at its site.yaml line, with the closest valid choice and the full list.
This module also owns the *vocabulary* the section refers to (metric ids, file columns, cost
category ids), because config sits below the metrics stage and must not import it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel.numbers import list_currencies

from generator.config.cohorts import CohortSettings, read_cohort_settings
from generator.config.company import read_cost_groups
from generator.config.custom import CustomMetric, parse_custom_section
from generator.config.localized import read_localized
from generator.config.schema import Section, describe
from generator.config.values import check_text_encoding
from generator.errors import choice_hint, did_you_mean
from generator.i18n.localized import LocalizedText
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS

FILE_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "mrr": ("month", "mrr", "new", "expansion", "contraction", "churned", "reactivation"),
    "churn": ("month", "customers", "new_customers", "churned_customers", "reactivated_customers"),
    "costs": ("month", "category", "amount", "currency"),
    "cash": ("month", "balance", "account", "currency"),
    "fx": ("month", "currency", "rate"),
    "team": ("person", "role", "team", "start", "end", "location", "salary", "currency", "level", "experience"),
    "revenue": ("month", "revenue", "currency"),
    "cohorts": ("cohort", "age", "customers", "mrr"),
})
"""The columns each input file (by stem: metrics/<stem>.csv) knows; `columns:` may rename any of them."""

MONEY_FILES = ("mrr", "costs", "cash", "team", "revenue")
"""The files whose amounts are money, so `currency:` may declare theirs (issue #10)."""


class Disclosure(StrEnum):
    """How much of a metric the site publishes."""

    EXACT = "exact"
    ROUNDED = "rounded"
    RELATIVE = "relative"
    HIDDEN = "hidden"


class CheckLevel(StrEnum):
    """Whether a failed consistency check stops the build or only warns."""

    ERROR = "error"
    WARN = "warn"


@dataclass(frozen=True)
class FileOptions:
    """How to read one metrics CSV."""

    encoding: str = "utf-8"
    """Text encoding; UTF-8 files may start with a BOM. E.g. gb18030 for a Chinese-locale Excel export."""
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Our column name to the header text the file uses, e.g. {"mrr": "MRR ($)"}."""
    currency: str | None = None
    """ISO 4217 code of the file's amounts when they are not in the site currency, e.g. CNY for costs."""


@dataclass(frozen=True)
class PublishRule:
    """The publishing rule of one metric."""

    disclosure: Disclosure = Disclosure.EXACT
    round_to: Decimal | None = None
    """Step for `rounded`; None means the unit's default (currency 1000, count 10, months 1, ratio 0.01)."""
    hide_derived: bool = False
    """With `hidden`: also hide every metric computed from this one, whatever their own rules say."""
    lift: bool = False
    """`lift_propagation: true`: publish by this rule even where an input's rule is stricter (check warns)."""
    line: int | None = None
    """Line of the rule in site.yaml, so later checks can point at it."""


@dataclass(frozen=True)
class MetricsConfig:
    """Everything the `metrics:` section says, validated, with defaults filled in."""

    currency: str = "USD"
    """ISO 4217 code of every money column."""
    bridge: CheckLevel = CheckLevel.ERROR
    """What an MRR bridge mismatch is: an error (default) or a warning."""
    customer_identity: CheckLevel = CheckLevel.WARN
    """What a customer-count mismatch is: a warning (default) or an error."""
    ltv_churn_months: int = 6
    """How many months of customer churn LTV averages over."""
    decimal_comma: bool = False
    """Read `12.500,50` as twelve thousand five hundred and a half."""
    fx: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    """Fixed exchange rates: currency code to site currency per unit (EUR: 1.08); metrics/fx.csv wins per month."""
    files: Mapping[str, FileOptions] = field(default_factory=lambda: MappingProxyType({}))
    """Reading options by file stem (mrr, churn, costs, cash); absent stems use FileOptions()."""
    publish: Mapping[str, PublishRule] = field(default_factory=lambda: MappingProxyType({}))
    """Publishing rules by metric id; absent ids are published exactly."""
    custom: Mapping[str, CustomMetric] = field(default_factory=lambda: MappingProxyType({}))
    """The site's own metrics (`metrics.custom`), by id, in the order written."""
    source: Path | None = None
    """The site.yaml these rules came from, for diagnostics raised after config time."""
    cost_groups: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Cost group (acquisition, cost_of_revenue) to the costs.csv category names it tags (issue #13)."""
    cost_group_lines: Mapping[str, tuple[int | None, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """The site.yaml line of each name in `cost_groups`, in the same order."""
    cohorts: CohortSettings = field(default_factory=CohortSettings)
    """`cohorts:` — the smallest cohort published and the age of the retention card (issue 21)."""
    cost_names: Mapping[str, LocalizedText] = field(default_factory=lambda: MappingProxyType({}))
    """A cost category's name in each language, by its id (`cost_names: {服务器: {en: Servers}}`, issue 23)."""

    def file_options(self, stem: str) -> FileOptions:
        """Return the reading options of metrics/<stem>.csv."""
        return self.files.get(stem, FileOptions())

    def rule(self, metric_id: str) -> PublishRule:
        """Return the rule written for `metric_id`, or the default (exact)."""
        return self.publish.get(metric_id, PublishRule())


_SECTION_KEYS = ("currency", "bridge", "customer_identity", "ltv_churn_months", "decimal_comma", "fx", "files",
                 "publish", "custom", "cost_groups", "cohorts", "cost_names")
_FILE_KEYS = ("encoding", "columns", "currency")
_RULE_KEYS = ("disclosure", "round_to", "hide_derived", "lift_propagation")


@functools.lru_cache(maxsize=4096)
def parse_cost_category_id(name: str) -> str:
    """Return the id part of a cost category ('Cloud hosting' -> 'cloud_hosting'); '' if nothing is left.

    Case, spaces and punctuation differ between exports of the same books, so they do not make
    a new category; Unicode letters (e.g. Chinese names) are kept.
    """
    return re.sub(r"[\W_]+", "_", name.strip().casefold()).strip("_")


def parse_metrics_section(section: Section) -> MetricsConfig:
    """Return the validated `metrics:` section; problems are recorded on the section's document."""
    _reject_unknown(section, _SECTION_KEYS)
    currency = _read_currency(section)
    custom = parse_custom_section(section.child("custom", default_empty=False), tuple(METRIC_DEFINITIONS), COST_PREFIX)
    cost_groups, cost_group_lines = read_cost_groups(section)
    return MetricsConfig(
        currency=currency,
        bridge=_read_choice(section, "bridge", CheckLevel, CheckLevel.ERROR),
        customer_identity=_read_choice(section, "customer_identity", CheckLevel, CheckLevel.WARN),
        ltv_churn_months=section.get("ltv_churn_months", int, 6, check=_check_window),
        decimal_comma=section.get("decimal_comma", bool, False),
        fx=_read_fx(section, currency),
        files=_read_files(section, custom),
        publish=_read_publish(section, custom),
        source=section.doc.path,
        custom=custom,
        cost_groups=cost_groups,
        cost_group_lines=cost_group_lines,
        cohorts=read_cohort_settings(section),
        cost_names=_read_cost_names(section),
    )


def _read_cost_names(section: Section) -> Mapping[str, LocalizedText]:
    """Read `cost_names:`, each costs.csv category as written to its name per language (a site in several)."""
    names = section.child("cost_names", default_empty=False)
    if names is None:
        return MappingProxyType({})
    found = {}
    for written, _ in list(names.items()):
        text = read_localized(names, written, written)  # a language the mapping leaves out reads it as written
        found[parse_cost_category_id(written)] = LocalizedText(written, text.translations) if text.translations \
            else text
    return MappingProxyType(found)


def _reject_unknown(section: Section, valid: Iterable[str]) -> None:
    """Report each key outside `valid` with the closest one and the full list."""
    valid = tuple(valid)
    for key in section.data:
        if key not in valid:
            section.doc.report(section.keypath + (key,), f"unknown key {section.name(key)!r}",
                               choice_hint(str(key), valid))


def _read_choice(section: Section, key: str, kind: type[StrEnum], default: StrEnum) -> Any:
    value = section.get(key, str, None)
    if value is None:
        return default
    choices = [member.value for member in kind]
    if value not in choices:
        section.doc.report(section.keypath + (key,), f"{section.name(key)!r} must be one of "
                           f"{', '.join(choices)}, found {value!r}", choice_hint(value, choices))
        return default
    return kind(value)


def _read_currency(section: Section, default: str | None = "USD") -> Any:
    code = section.get("currency", str, default)
    if code is None:
        return None
    code = code.strip().upper()
    if not is_currency_code(code):
        _report_currency(section, ("currency",), code)
        return default
    return code


def is_currency_code(code: str) -> bool:
    """Return True for an ISO 4217 code Babel knows, e.g. 'CNY'."""
    return code in _known_currencies()


@functools.lru_cache(maxsize=1)
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def _report_currency(section: Section, keys: tuple[str, ...], code: str) -> None:
    section.doc.report(section.keypath + keys, f"'{section.name(keys[-1])}' is not an ISO 4217 currency code: "
                       f"{code!r}", did_you_mean(code, _known_currencies())
                       or "use a three-letter code such as USD, EUR, GBP, CNY")


def _read_fx(section: Section, currency: str) -> Mapping[str, Decimal]:
    """Read `fx: {EUR: 1.08}`: one unit of EUR is worth 1.08 of the site currency, every month."""
    fx = section.child("fx", default_empty=False)
    if fx is None:
        return MappingProxyType({})
    rates: dict[str, Decimal] = {}
    for key in fx.data:
        code = str(key).strip().upper()
        if not is_currency_code(code):
            _report_currency(fx, (key,), code)
            continue
        raw = fx.get(key, float, None)
        rate = Decimal(str(raw)) if raw is not None else None
        if rate is not None and rate.is_finite() and rate > 0 and code != currency:
            rates[code] = rate
        elif rate is not None:
            fx.doc.report(fx.keypath + (key,), f"'{fx.name(key)}' must be a rate above 0 for a currency other "
                          f"than {currency}, found {raw}", f"write how much 1 {code} is worth in {currency}, "
                          "e.g. 'EUR: 1.08'")
    return MappingProxyType(dict(sorted(rates.items())))


def _check_window(months: int) -> str | None:
    return None if 1 <= months <= 60 else f"must be between 1 and 60 months, found {months}"


def _read_files(section: Section, custom: Mapping[str, CustomMetric]) -> Mapping[str, FileOptions]:
    files = section.child("files", default_empty=False)
    if files is None:
        return MappingProxyType({})
    stems = [*FILE_COLUMNS, *dict.fromkeys(m.file[:-4].lower() for m in custom.values() if m.file)]
    _reject_unknown(files, stems)
    options: dict[str, FileOptions] = {}
    for stem in stems:
        entry = files.child(stem, default_empty=False)
        if entry is not None:
            options[stem] = _read_file_options(entry, stem)
    return MappingProxyType(options)


def _read_file_options(entry: Section, stem: str) -> FileOptions:
    _reject_unknown(entry, _FILE_KEYS if stem in MONEY_FILES else ("encoding", "columns"))
    encoding = entry.get("encoding", str, "utf-8", check=_check_encoding,
                         hint="use a Python codec name such as utf-8, gb18030, cp1252, utf-16")
    columns = entry.child("columns", default_empty=False)
    mapping: dict[str, str] = {}
    known = FILE_COLUMNS.get(stem, ("month",))  # a custom metric's file: its month column may be renamed
    if columns is not None:
        _reject_unknown(columns, known)
        for name in known:
            written = columns.get(name, str, None, check=_check_header_text)
            if written is not None:
                mapping[name] = written
    currency = _read_currency(entry, None) if stem in MONEY_FILES else None
    return FileOptions(encoding=encoding, columns=MappingProxyType(mapping), currency=currency)


def _check_encoding(name: str) -> str | None:
    return check_text_encoding(name)


def _check_header_text(text: str) -> str | None:
    return None if text.strip() else "must be the header text of a column, found an empty string"


def _read_publish(section: Section, custom: Mapping[str, CustomMetric]) -> Mapping[str, PublishRule]:
    publish = section.child("publish", default_empty=False)
    if publish is None:
        return MappingProxyType({})
    rules: dict[str, PublishRule] = {}
    for metric_id, value in publish.data.items():
        metric_id = str(metric_id)
        if not _is_metric_id(metric_id) and metric_id not in custom:
            publish.doc.report(publish.keypath + (metric_id,), f"unknown metric {publish.name(metric_id)!r}",
                               _metric_hint(metric_id, custom))
            continue
        rule = _read_rule(publish, metric_id, value)
        if rule is not None:
            rules[metric_id] = rule
    return MappingProxyType(rules)


def _metric_hint(metric_id: str, custom: Mapping[str, CustomMetric]) -> str:
    category = parse_cost_category_id(metric_id[len(COST_PREFIX):]) if metric_id.startswith(COST_PREFIX) else ""
    if category:
        return f"write '{COST_PREFIX}{category}': category ids are lower case, with _ for spaces and punctuation"
    return choice_hint(metric_id, (*METRIC_DEFINITIONS, *custom)) + ", or costs.<category>"


def _is_metric_id(metric_id: str) -> bool:
    if metric_id.startswith(COST_PREFIX):
        category = metric_id[len(COST_PREFIX):]
        return bool(category) and parse_cost_category_id(category) == category
    return metric_id in METRIC_DEFINITIONS


def _read_rule(publish: Section, metric_id: str, value: Any) -> PublishRule | None:
    """Read `id: hidden` or `id: {disclosure: rounded, round_to: 1000, hide_derived: false, lift_propagation: false}`."""
    line = publish.doc.where(publish.keypath + (metric_id,))[0]
    if isinstance(value, str):
        disclosure = _read_choice(publish, metric_id, Disclosure, None)
        return PublishRule(disclosure, line=line) if disclosure else None
    if not isinstance(value, dict):
        publish.doc.report(publish.keypath + (metric_id,), f"{publish.name(metric_id)!r} must be a disclosure "
                           f"({', '.join(Disclosure)}) or a mapping, found {describe(value)}",
                           "write e.g. 'mrr: rounded' or 'mrr: {disclosure: rounded, round_to: 1000}'")
        return None
    entry = Section(publish.doc, publish.keypath + (metric_id,), value)
    _reject_unknown(entry, _RULE_KEYS)
    disclosure = _read_choice(entry, "disclosure", Disclosure, Disclosure.EXACT)
    round_to = _read_round_to(entry, disclosure)
    hide_derived = entry.get("hide_derived", bool, False)
    if hide_derived and disclosure is not Disclosure.HIDDEN:
        entry.doc.report(entry.keypath + ("hide_derived",), f"{entry.name('hide_derived')!r} applies only to "
                         f"hidden metrics, but this one is {disclosure.value}", "remove it, or write 'disclosure: hidden'")
    lift = entry.get("lift_propagation", bool, False)
    return PublishRule(disclosure, round_to, hide_derived and disclosure is Disclosure.HIDDEN, lift, line)


def _read_round_to(entry: Section, disclosure: Disclosure) -> Decimal | None:
    raw = entry.get("round_to", float, None)
    if raw is None:
        return None
    if disclosure is not Disclosure.ROUNDED:
        entry.doc.report(entry.keypath + ("round_to",), f"{entry.name('round_to')!r} applies only to rounded "
                         f"metrics, but this one is {disclosure.value}", "remove it, or write 'disclosure: rounded'")
        return None
    try:
        step = Decimal(str(raw))
    except InvalidOperation:
        step = Decimal(0)
    if not step.is_finite() or step <= 0:
        entry.doc.report(entry.keypath + ("round_to",), f"{entry.name('round_to')!r} must be above 0, found {raw}",
                         "e.g. 1000 for currency, 0.01 for a ratio")
        return None
    return step

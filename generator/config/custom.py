"""`metrics.custom` in site.yaml: the founder's own metrics, read from a CSV column or computed by a formula.

```yaml
metrics:
  custom:
    signups:       {file: growth.csv, column: signups, unit: count, label: {en: Sign-ups, zh-CN: 注册数}}
    referral_rate: {formula: referrals / signups, unit: ratio}
```

Validated here, once, at each entry's site.yaml line: the id's form, a clash with a built-in id,
an id written twice, unknown keys, `file` and `formula` together or neither, the unit. What needs
the data or the formula language (a missing file or column, an unknown id in a formula, a cycle)
is checked by the metrics stage (generator/metrics/custom.py) at the same line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from generator.config.localized import read_localized
from generator.config.schema import Section, describe
from generator.errors import choice_hint
from generator.i18n.localized import LocalizedText

BUILT_IN_UNITS = ("currency", "ratio", "count", "months")
"""Units with their own formatting; any other word (points, tickets, hours, 单, 次) is a declared unit."""

CUSTOM_KEYS = ("file", "column", "per", "formula", "unit", "label", "description", "higher_is_better")
RESERVED_FILES = ("annotations.csv",)
"""Files in metrics/ that hold no monthly numbers."""

_ID = re.compile(r"[a-z][a-z0-9_]*")
_DECLARED_UNIT = re.compile(r"[^\W\d_][^\W\d]*")
"""One word in any script (letters, and `_` inside): 'points', 'tickets', '单', '次'."""
_FILE = re.compile(r"[^/\\]+\.csv", re.IGNORECASE)


@dataclass(frozen=True)
class CustomMetric:
    """One metric declared in `metrics.custom`; exactly one of `file` and `formula` is set."""

    id: str
    unit: str
    """'currency', 'ratio', 'count', 'months', or a declared unit such as 'points'."""
    label: LocalizedText
    description: LocalizedText
    higher_is_better: bool = True
    file: str | None = None
    """A CSV file name in metrics/, e.g. 'growth.csv'."""
    column: str | None = None
    """The column of `file` holding the monthly values (default: the metric id)."""
    per: str | None = None
    """A metric id the column is divided by (a rate from a count), e.g. 'customers'."""
    formula: str | None = None
    line: int | None = None
    """The entry's line in site.yaml."""
    formula_at: tuple[int | None, int | None] = (None, None)
    """Line and column where the formula's text starts, to point at the character at fault."""
    per_line: int | None = None

    @property
    def is_formula(self) -> bool:
        return self.formula is not None


def parse_custom_section(section: Section | None, built_in_ids: Iterable[str],
                         cost_prefix: str) -> Mapping[str, CustomMetric]:
    """Return the valid entries of `metrics.custom` in the order written; problems go on the document."""
    if section is None:
        return MappingProxyType({})
    built_in = tuple(built_in_ids)
    doc = section.doc
    for keypath, (first, again) in doc.duplicates.items():
        if keypath[:-1] == section.keypath:
            doc.report(keypath, f"metric {keypath[-1]!r} is declared twice in metrics.custom (lines {first} and "
                       f"{again})", "keep one entry per id, or rename one of them")
    metrics: dict[str, CustomMetric] = {}
    for metric_id, value in section.items():
        if _check_id(section, metric_id, built_in, cost_prefix):
            entry = _read_entry(section, metric_id, value)
            if entry is not None:
                metrics[metric_id] = entry
    return MappingProxyType(metrics)


def _check_id(section: Section, metric_id: str, built_in: tuple[str, ...], cost_prefix: str) -> bool:
    where = section.keypath + (metric_id,)
    if metric_id in built_in or metric_id.startswith(cost_prefix):
        section.doc.report(where, f"custom metric {metric_id!r} clashes with the built-in metric of that id",
                           "pick another id, e.g. 'my_" + metric_id.replace(".", "_") + "'; built-in metrics need "
                           "no declaration")
        return False
    if not _ID.fullmatch(metric_id):
        section.doc.report(where, f"custom metric id {metric_id!r} may hold only lower-case letters, digits and "
                           "'_', starting with a letter", "e.g. referral_rate: it names the metric in formulas, "
                           "URLs and open data")
        return False
    return True


def _read_entry(section: Section, metric_id: str, value: object) -> CustomMetric | None:
    where = section.keypath + (metric_id,)
    if not isinstance(value, dict):
        section.doc.report(where, f"{section.name(metric_id)!r} must be a mapping, found {describe(value)}",
                           "write e.g. '{file: growth.csv, column: signups, unit: count}' or "
                           "'{formula: referrals / signups, unit: ratio}'")
        return None
    entry = Section(section.doc, where, value)
    formula = entry.get("formula", str, None)
    file = entry.get("file", str, None, check=_check_file,
                     hint="name a .csv file in the metrics/ folder, e.g. growth.csv")
    column = entry.get("column", str, None)
    per = entry.get("per", str, None)
    unit = entry.get("unit", str, None if formula is not None else "count", check=_check_unit,
                     hint="use currency, ratio, count, months, or one word for your own unit (e.g. points)")
    metric = CustomMetric(
        metric_id, unit or "count", read_localized(entry, "label", _default_label(metric_id)),
        read_localized(entry, "description", ""), entry.get("higher_is_better", bool, True),
        file, (column or metric_id) if file else None, per, formula, section.doc.where(where)[0],
        section.doc.texts.get(where + ("formula",), section.doc.where(where + ("formula",))),
        section.doc.where(where + ("per",))[0])
    entry.finish()
    return metric if _check_shape(entry, metric, has_unit=unit is not None, raw=value) else None


def _check_shape(entry: Section, metric: CustomMetric, *, has_unit: bool, raw: Mapping[str, object]) -> bool:
    """A metric is read from a file or computed by a formula, never both; a formula says its unit."""
    report = entry.doc.report
    if "formula" in raw and "file" in raw:
        report(entry.keypath, f"custom metric {metric.id!r} has both 'file' and 'formula'",
               "keep 'file' (and 'column') to read it, or 'formula' to compute it")
        return False
    if "formula" not in raw and "file" not in raw:
        report(entry.keypath, f"custom metric {metric.id!r} needs 'file' (and 'column') or 'formula'",
               "e.g. '{file: growth.csv, column: signups}' or '{formula: referrals / signups, unit: ratio}'")
        return False
    if metric.formula is not None and ("column" in raw or "per" in raw):
        key = "column" if "column" in raw else "per"
        report(entry.keypath + (key,), f"'{key}' applies only to a metric read from a file",
               "remove it; a formula names the metrics it reads itself")
        return False
    if metric.formula is not None and not has_unit and "unit" not in raw:
        report(entry.keypath, f"formula metric {metric.id!r} needs a unit",
               "add 'unit: ratio' (fractions, 0.05 = 5%), count, currency, months, or your own word")
        return False
    return metric.file is not None or metric.formula is not None


def _check_file(name: str) -> str | None:
    if not _FILE.fullmatch(name) or name.startswith("."):
        return f"must be the name of a .csv file in metrics/, found {name!r}"
    if name.lower() in RESERVED_FILES:
        return f"cannot be {name}: it holds chart annotations, not monthly numbers"
    return None


def _check_unit(unit: str) -> str | None:
    if unit in BUILT_IN_UNITS:
        return None
    if unit in ("percent", "%", "percentage"):
        return "cannot be percent: write 'unit: ratio' and values as fractions (0.05 = 5%); pages show percentages"
    if not _DECLARED_UNIT.fullmatch(unit) or unit != unit.lower():
        return (f"must be {', '.join(BUILT_IN_UNITS)} or one lower-case word in any language for a declared unit "
                f"(points, 单), found {unit!r}; " + choice_hint(unit, BUILT_IN_UNITS))
    return None


def _default_label(metric_id: str) -> str:
    return metric_id.replace("_", " ").capitalize()

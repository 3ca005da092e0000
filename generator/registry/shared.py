"""What several definitions modules say alike: where an input is read from, the usual null texts, division.

A helper lives with its callers; these have callers in more than one domain module.
"""

from __future__ import annotations

from decimal import Decimal

from generator.i18n.localized import LocalizedText
from generator.registry.definition import NullReason, bilingual
from generator.registry.month import Undefined

NO_MRR_ROW = bilingual("mrr.csv has no row for the month", "mrr.csv 没有该月的行")
NO_MOVEMENTS = bilingual("mrr.csv has no row for the month, or no movement columns",
                          "mrr.csv 没有该月的行，或没有变动列")
NO_PREV_EN = "the calendar month before has no mrr.csv row (first month, or after a gap)"
NO_PREV_ZH = "上一个自然月在 mrr.csv 中没有行（第一个月，或数据中断之后）"
NO_PREV_MONTH = bilingual(NO_PREV_EN, NO_PREV_ZH)
PREV_MRR_ZERO = bilingual("MRR of the month before is 0", "上月 MRR 为 0")

NullText = dict[NullReason, LocalizedText]


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Return numerator / denominator, or raise Undefined(zero_denominator)."""
    if denominator == 0:
        raise Undefined(NullReason.ZERO_DENOMINATOR)
    return numerator / denominator


def column_source(file: str, column: str, absent: bool = False) -> LocalizedText:
    """Return where an input is read from, e.g. 'mrr.csv, column new' / 'mrr.csv 的 new 列'."""
    return bilingual(f"`{file}`, column `{column}`" + (" (0 when absent)" if absent else ""),
                     f"`{file}` 的 `{column}` 列" + ("（缺少时为 0）" if absent else ""))

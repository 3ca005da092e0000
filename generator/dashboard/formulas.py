"""A metric's formula for readers: metric names in the page's language, windows and months in words.

The registry writes each formula for auditors, in metric ids (`acquisition_spend / new_customers`,
`cash / mean(net_burn over m−2..m where defined)`); a metric page shows it as a reader reads it ("Acquisition
spend ÷ New customers", "现金 ÷ 最近 3 个月中有数值月份的净消耗平均值") and keeps the ids in a detail for
auditors (issue 19). A site's own formulas (`referrals / signups`, `prev(x)`, `mean(x, 3)`) read the same way.
"""

from __future__ import annotations

import re

from generator.dashboard.context import DashboardContext
from generator.registry import COST_PREFIX, METRIC_DEFINITIONS, MetricDefinition

_ALIASES = {"new": "new_mrr", "expansion": "expansion_mrr", "contraction": "contraction_mrr",
            "churned": "churned_mrr", "reactivation": "reactivation_mrr"}
"""Movement columns the revenue formulas name by their column in mrr.csv."""
_WORDS = {"reactivated_customers": "formula.reactivated_customers", "cost of revenue": "formula.cost_of_revenue"}
_MODIFIERS = {"prev": "formula.prev", "m−12": "formula.year_ago", "start of month": "formula.start",
              "start": "formula.start"}
_WINDOW = re.compile(r"(mean|sum)\(")
_NAME = re.compile(r"cost of revenue|[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*(?:\[([^\]]+)\])?")
_WITHOUT_MOVEMENTS = "; without movements: "


def reader_formula(ctx: DashboardContext, definition: MetricDefinition) -> str:
    """Return the formula of a derived metric as readers read it ('' for an input, which says where it is read);
    a name that is no metric (a column of the site's own file) stays in backticks, shown as code."""
    if definition.id.startswith(COST_PREFIX):
        series = ctx.metrics.get(definition.id)
        label = series.label if series is not None else definition.label.get(ctx.config.language)
        return ctx.fmt("formula.category", category=label.split(ctx.fmt("sep.label"), 1)[-1].split(": ", 1)[-1])
    if definition.formula == "input":
        return ""
    return _Reader(ctx).read(definition.formula)


class _Reader:
    """Reads one formula text from left to right: windows, previous months, names, operators."""

    def __init__(self, ctx: DashboardContext) -> None:
        self.ctx = ctx

    def read(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            if text.startswith(_WITHOUT_MOVEMENTS, i):
                out.append(self.ctx.fmt("formula.without_movements"))
                i += len(_WITHOUT_MOVEMENTS)
            elif (window := _WINDOW.match(text, i)) is not None:
                end = _closing(text, window.end() - 1)
                out.append(self.window(window.group(1), text[window.end():end]))
                i = end + 1
            elif text.startswith("prev(", i):
                end = _closing(text, i + 4)
                out.append(self.read(text[i + 5:end]) + self.ctx.fmt("formula.prev"))
                i = end + 1
            elif (name := _NAME.match(text, i)) is not None:
                out.append(self.name(name.group(0)))
                i = name.end()
            else:
                out.append("÷" if text[i] == "/" else text[i])
                i += 1
        return "".join(out)

    def window(self, function: str, inner: str) -> str:
        """Return 'the average of Net burn over the last 3 months with a value' for mean(net_burn over m−2..m …)."""
        defined = inner.endswith(" where defined")
        inner = inner.removesuffix(" where defined")
        if " over m−" in inner:
            what, span = inner.rsplit(" over m−", 1)
            months = int(span.split("..")[0]) + 1
        else:  # a site's own formula: mean(x, 3)
            what, _, count = inner.rpartition(", ")
            months = int(count) if count.isdigit() else 0
        key = f"formula.{function}" + ("_defined" if defined else "")
        return self.ctx.fmt(key, what=self.read(what), n=months)

    def name(self, written: str) -> str:
        """Return a metric id as its label (with its month in words), or a known word in the page's language."""
        base, _, modifier = written.partition("[")
        modifier = modifier.rstrip("]")
        if base in _WORDS:
            shown = self.ctx.fmt(_WORDS[base])
        else:
            metric_id = _ALIASES.get(base, base)
            series = self.ctx.metrics.get(metric_id)
            definition = METRIC_DEFINITIONS.get(metric_id)
            if series is not None:
                shown = series.label
            elif definition is not None:
                shown = definition.label.get(self.ctx.config.language)
            else:
                return f"`{written}`"  # a column of the site's own file: an identifier, shown as code
        return shown + (self.ctx.fmt(_MODIFIERS[modifier]) if modifier in _MODIFIERS else "")


def _closing(text: str, opening: int) -> int:
    """Return the index of the parenthesis that closes the one at `opening` (the end of the text if none)."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return len(text)

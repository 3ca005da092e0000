"""Numbers inside posts: `{{ metric mrr }}`, `{{ metric customer_churn_rate 2024-03 }}`, `{{ chart mrr 12 }}`.

Content sits below the metrics stage, so it cannot know a single number. The Python-Markdown
extension (reference_extension.py) only finds the references and leaves a placeholder element where
each one stood; this module holds what it records and how a reference is parsed and located, and the
model resolves the placeholders against the published metrics (generator/dashboard/references.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

REFERENCE_ATTRIBUTE = "data-opensite-ref"
"""The attribute of a placeholder element; its value is the reference's index in `Post.references`."""

PLACEHOLDER = re.compile(r'<(span|div) data-opensite-ref="(\d+)"></\1>')
"""A placeholder as Python-Markdown serialises it: <span> inline, <div> for a block (chart)."""

MAX_WINDOW_MONTHS = 120

INLINE_REFERENCE = r"\{\{\s*(metric|chart)\b([^{}\n]*?)\s*\}\}"
BLOCK_REFERENCE = re.compile(r"\{\{\s*chart\b([^{}\n]*?)\s*\}\}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_METRIC_ID = re.compile(r"[^\s{}]+")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")

Kind = Literal["metric", "chart"]


@dataclass(frozen=True)
class MetricReference:
    """One `{{ metric … }}` or `{{ chart … }}` in a post, as written; resolved by the model."""

    kind: Kind
    metric_id: str
    """A metric id (`mrr`, `costs.hosting`) or, for charts, a dashboard chart id (`mrr_movements`)."""
    month: date | None = None
    """The month asked for; None means the post's as-of month."""
    window: int | None = None
    """For charts: how many months to show, ending at the month; None means the default."""
    line: int | None = None
    """Line in the source file, for error messages."""
    text: str = ""
    """The reference as written, e.g. '{{ metric mrr 2024-03 }}'."""


@dataclass(frozen=True)
class ReferenceProblem:
    """A reference that does not parse (a bad month, a missing id); reported at its line by content."""

    text: str
    message: str
    hint: str


@dataclass(frozen=True)
class PostAnnotation:
    """Front matter `annotate: "Raised prices"` (+ `annotate_metrics: [mrr]`): a numbered marker on charts."""

    text: str
    metrics: tuple[str, ...] = ()
    """Metric ids whose charts get the marker; empty means every chart."""
    line: int | None = None


def parse_reference(kind: Kind, args: str, text: str) -> MetricReference | ReferenceProblem:
    """Return the reference `{{ kind args }}` means, or the problem with it."""
    words = args.split()
    if not words:
        example = "{{ metric mrr }}" if kind == "metric" else "{{ chart mrr 12 }}"
        return ReferenceProblem(text, f"{text} names no metric", f"write e.g. {example}")
    metric_id, rest = words[0], words[1:]
    month: date | None = None
    window: int | None = None
    for word in rest:
        found = _MONTH.fullmatch(word)
        if found and 1 <= int(found.group(2)) <= 12 and month is None:
            month = date(int(found.group(1)), int(found.group(2)), 1)
        elif kind == "chart" and word.isdigit() and window is None:
            window = int(word)
            if not 2 <= window <= MAX_WINDOW_MONTHS:
                return ReferenceProblem(text, f"{text}: a chart shows 2 to {MAX_WINDOW_MONTHS} months, not {window}",
                                        "write e.g. {{ chart " + metric_id + " 12 }}")
        else:
            hint = "write the month as YYYY-MM, e.g. 2024-03" if kind == "metric" else \
                "write a month as YYYY-MM and/or a number of months, e.g. {{ chart " + metric_id + " 12 }}"
            return ReferenceProblem(text, f"{text}: cannot read {word!r}", hint)
    return MetricReference(kind, metric_id, month, window, None, text)


def locate_references(references: tuple[MetricReference, ...], body: str,
                      body_line: int) -> tuple[MetricReference, ...]:
    """Return the references with the file line each was written on, skipping code spans and fences.

    The n-th reference with a given text gets the n-th place that text appears outside code:
    identical references resolve identically, so which of them gets which line does not matter.
    """
    places = _places(body)
    used: dict[str, int] = {}
    located = []
    for reference in references:
        lines = places.get(reference.text, [])
        nth = used.get(reference.text, 0)
        used[reference.text] = nth + 1
        line = body_line + lines[nth] if nth < len(lines) else None
        located.append(replace(reference, line=line))
    return tuple(located)


def locate_problem(problem: ReferenceProblem, body: str, body_line: int) -> int | None:
    """Return the file line of a reference that did not parse."""
    lines = _places(body).get(problem.text)
    return body_line + lines[0] if lines else None


def _places(body: str) -> dict[str, list[int]]:
    """Map each reference text to the 0-based body lines it appears on, outside code."""
    places: dict[str, list[int]] = {}
    for number, line in _prose_lines(body.split("\n")):
        for match in re.finditer(INLINE_REFERENCE, line):
            if line[:match.start()].count("`") % 2 == 0:  # an odd count means inside a code span
                places.setdefault(match.group(0), []).append(number)
    return places


def _prose_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Return (index, line) for the lines outside fenced and indented code blocks."""
    prose: list[tuple[int, str]] = []
    fence: str | None = None
    indented_code = False
    previous = ""  # the last line that was not blank
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if not line.strip():
            continue
        indented = _INDENTED.match(line) is not None
        after_blank = number == 0 or not lines[number - 1].strip()
        if indented and (indented_code or (after_blank and not _LIST_ITEM.match(previous)
                                           and not _INDENTED.match(previous))):
            indented_code = True
            continue
        indented_code = False
        previous = line
        prose.append((number, line))
    return prose

"""Restatements: a post keeps the number it was published with, and says so when today's data differs.

A `{{ metric mrr }}` in a post stands for the value of its as-of month. When that month's value later
changes (a back-dated refund, a corrected import), rewriting the post silently would rewrite history;
keeping the old number silently would hide the correction. So the first build that publishes a value
records it in `metrics/.published.json` (committed with the site, so the history survives CI runs);
later builds show the recorded value with a "restated: now $X" note, and `opensite check` lists every
restatement. Only published values are recorded, as published (rounded where the rules round); a
record whose metric is hidden or now published differently is dropped, never shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from generator.errors import Diagnostic, MetricsError

RECORD_FILE = Path("metrics") / ".published.json"
RECORD_VERSION = 1


@dataclass(frozen=True)
class PublishedValue:
    """A value as a post first published it: machine form, as shown, and under which disclosure."""

    value: str
    """The open data's form ('46632.00'), compared to detect a restatement."""
    text: str
    """As the post showed it ('$46,632', '≈$280,000')."""
    disclosure: str


RecordKey = tuple[str, str, str]
"""(post source relative to the site, metric id, month 'YYYY-MM')."""


@dataclass(frozen=True)
class PublishedRecord:
    """Every value posts have published, by (post, metric, month)."""

    values: Mapping[RecordKey, PublishedValue] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Restatement:
    """A post's published value that today's data restates."""

    source: Path
    line: int
    metric_id: str
    month: str
    published: str
    current: str

    def note(self) -> Diagnostic:
        """Return what `opensite check` lists for it (a note: a restatement is not an error)."""
        return Diagnostic(f"{{{{ metric {self.metric_id} }}}} for {self.month} was published as {self.published}; "
                          f"the data now says {self.current}", self.source, self.line, None,
                          "the post keeps the published value with a 'restated' note; say in the post what changed",
                          severity="note")


def parse_published_record(text: str, path: Path) -> PublishedRecord:
    """Return the record in `text` (the contents of metrics/.published.json); raise MetricsError if malformed."""
    try:
        document = json.loads(text)
        values = {}
        for source, entries in document["values"].items():
            for key, entry in entries.items():
                metric_id, month = key.rsplit(" ", 1)
                values[(source, metric_id, month)] = PublishedValue(str(entry["value"]), str(entry["text"]),
                                                                    str(entry["disclosure"]))
    except json.JSONDecodeError as error:
        raise MetricsError(f"not valid JSON: {error.msg}", path, error.lineno, error.colno,
                           hint="fix the file, or delete it to record the current values afresh") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise MetricsError("not a record of published values (expected {\"values\": {post: {\"metric month\": "
                           "{\"value\", \"text\", \"disclosure\"}}}})", path,
                           hint="opensite build writes this file; delete it to record the current values afresh") \
            from None
    return PublishedRecord(MappingProxyType(values))


def render_published_record(record: PublishedRecord) -> bytes:
    """Return the record as deterministic JSON: sorted, one post per block, diffable in a pull request."""
    by_source: dict[str, dict[str, dict[str, str]]] = {}
    for (source, metric_id, month), entry in sorted(record.values.items()):
        by_source.setdefault(source, {})[f"{metric_id} {month}"] = {
            "value": entry.value, "text": entry.text, "disclosure": entry.disclosure}
    document = {"version": RECORD_VERSION, "values": by_source}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")

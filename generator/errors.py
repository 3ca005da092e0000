"""Diagnostics shared by every stage: one location-aware message type, raised or collected.

Stages collect every problem they find, then raise one `GeneratorError` carrying all of them,
so a founder fixes a whole batch per build instead of one error per run. This module knows
nothing of click: only `cli.py` turns an error into text on stderr and an exit code.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]
"""A note informs (a scheduled post); it never fails a check, even `check --strict`."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem, pinned to a place in a source file when the place is known."""

    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: Severity = "error"

    def location(self, root: Path | None = None) -> str:
        """Return `file:line:col`, relative to `root` when the file lies under it."""
        if self.path is None:
            return ""
        shown = _relative(self.path, root)
        parts = [shown]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, root: Path | None = None, *, severity: bool = False) -> str:
        """Return the one-line form `file:line:col: message (hint)`.

        With `severity`, the linter-style line every command and the preview print:
        `file:line:col: error: message (hint)`.
        """
        text = (f"{self.severity}: " if severity else "") + self.message + (f" ({self.hint})" if self.hint else "")
        where = self.location(root)
        return f"{where}: {text}" if where else text

    def as_json(self, root: Path | None = None) -> dict[str, object]:
        """Return the diagnostic as a JSON object for machines (CI annotations, editors)."""
        return {"file": _relative(self.path, root) if self.path else None, "line": self.line, "column": self.column,
                "severity": self.severity, "message": self.message, "hint": self.hint}


def render_diagnostics_json(diagnostics: Iterable[Diagnostic], root: Path | None = None) -> str:
    """Return diagnostics as one JSON list (`opensite check --format json`)."""
    return json.dumps([d.as_json(root) for d in diagnostics], ensure_ascii=False, indent=2)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:  # resolve the folder, not the file: a symbolic link is named where it is, not where it points
            return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


class GeneratorError(Exception):
    """A site error: one or more diagnostics that stop the build."""

    def __init__(
        self,
        message: str = "",
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        *,
        diagnostics: Sequence[Diagnostic] | None = None,
    ) -> None:
        if diagnostics is None:
            diagnostics = (Diagnostic(message, path, line, column, hint),)
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def collect(cls, errors: Iterable[GeneratorError | Diagnostic]) -> GeneratorError | None:
        """Merge many errors into one of this class, or return None when there are none."""
        diagnostics: list[Diagnostic] = []
        for error in errors:
            if isinstance(error, Diagnostic):
                diagnostics.append(error)
            else:
                diagnostics.extend(error.diagnostics)
        return cls(diagnostics=diagnostics) if diagnostics else None


class ConfigError(GeneratorError):
    """site.yaml is missing, malformed or holds a value of the wrong kind."""


class ContentError(GeneratorError):
    """A post or page cannot be read: front matter, dates, slugs, duplicate URLs."""


class MetricsError(GeneratorError):
    """A metrics CSV is malformed or does not balance."""


class TemplateError(GeneratorError):
    """A template does not parse or refers to something that does not exist."""


class OutputError(GeneratorError):
    """The output folder is unsafe to replace or cannot be written."""


class InterruptedAfterOutput(KeyboardInterrupt):
    """Ctrl-C (or a kill) after the new output was swapped in: the site is complete, only tidying was cut."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return a hint naming the closest valid choice, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


def choice_hint(word: str, choices: Iterable[str]) -> str:
    """Return a hint with the closest choice (if any) and the full list of valid ones."""
    ordered = sorted(choices)
    close = did_you_mean(word, ordered)
    listing = "valid: " + ", ".join(ordered) if ordered else "nothing is defined"
    return f"{close} {listing}" if close else listing

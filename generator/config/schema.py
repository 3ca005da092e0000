"""A small typed reader for YAML mappings: declared keys, type checks, line numbers, "did you mean".

Every problem is collected on the `ConfigDocument` rather than raised, so one run of
`opensite check` reports every mistake in site.yaml at once (MkDocs' `load_config` habit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from generator.config.yamlsafe import parse_yaml, yaml_problem
from generator.errors import Diagnostic, GeneratorError, did_you_mean

__all__ = ["ConfigDocument", "KeyPath", "Section", "describe", "freeze", "type_name", "yaml_problem"]

KeyPath = tuple[str | int, ...]

_MISSING = object()

_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping (key: value lines)",
    float: "a number",
}


def type_name(kind: type | tuple[type, ...]) -> str:
    """Return the reader-facing name of a YAML type, e.g. 'a whole number'."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def describe(value: Any) -> str:
    """Return how a YAML value reads to a person: its kind and a short excerpt."""
    if value is None:
        return "empty"
    kind = type_name(type(value)) if type(value) in _TYPE_NAMES else type(value).__name__
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} ({shown})" if not isinstance(value, (dict, list)) else kind


@dataclass
class ConfigDocument:
    """A parsed YAML file plus the line of every key in it and the problems found so far."""

    path: Path
    data: Any
    locations: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    duplicates: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    """Keys written twice in one mapping (YAML keeps the last): keypath to (first line, repeated line)."""
    texts: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    """Where the text of each one-line string value starts (inside its quotes), to point at a character in it."""

    @classmethod
    def parse(cls, path: Path, text: str) -> ConfigDocument:
        """Parse YAML text, recording where each key sits; raise nothing, record problems."""
        try:
            data, node = parse_yaml(text, path)
        except GeneratorError as error:
            doc = cls(path, {})
            doc.problems.extend(error.diagnostics)
            return doc
        doc = cls(path, data if data is not None else {})
        if node is not None:
            _record_locations(node, (), doc.locations, doc.duplicates, doc.texts)
        return doc

    def where(self, keypath: KeyPath) -> tuple[int | None, int | None]:
        """Return (line, column) of a key, falling back to its nearest recorded parent."""
        while keypath:
            if keypath in self.locations:
                return self.locations[keypath]
            keypath = keypath[:-1]
        return (None, None)

    def report(self, keypath: KeyPath, message: str, hint: str | None = None, severity: str = "error") -> None:
        """Record one problem at the line of `keypath`."""
        line, column = self.where(keypath)
        self.problems.append(Diagnostic(message, self.path, line, column, hint, severity))  # type: ignore[arg-type]

    def root(self) -> Section:
        """Return the top-level mapping as a section (reporting if it is not a mapping)."""
        if not isinstance(self.data, dict):
            self.report((), f"the file must be a mapping of keys, found {describe(self.data)}",
                        "start with lines such as 'title: My startup'")
            return Section(self, (), {})
        return Section(self, (), self.data)


def _record_locations(node: yaml.Node, keypath: KeyPath, out: dict[KeyPath, tuple[int, int]],
                      duplicates: dict[KeyPath, tuple[int, int]], texts: dict[KeyPath, tuple[int, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            child = keypath + (key,)
            if child in out:
                duplicates[child] = (out[child][0], key_node.start_mark.line + 1)
            out[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if isinstance(value_node, yaml.ScalarNode) and value_node.start_mark.line == value_node.end_mark.line:
                quoted = 1 if value_node.style in ("'", '"') else 0
                texts[child] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1 + quoted)
            _record_locations(value_node, child, out, duplicates, texts)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = keypath + (index,)
            out[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _record_locations(item, child, out, duplicates, texts)


class Section:
    """One mapping inside a config document; `get` each known key, then `finish` to flag the rest."""

    def __init__(self, doc: ConfigDocument, keypath: KeyPath, data: Mapping[str, Any]) -> None:
        self.doc = doc
        self.keypath = keypath
        self.data = data
        self._known: set[str] = set()

    def name(self, key: str | int) -> str:
        """Return the dotted name of a key, e.g. 'categories.finances.name'."""
        return ".".join(str(k) for k in self.keypath + (key,))

    def has(self, key: str) -> bool:
        """Return True when the key is present (it then counts as known)."""
        self._known.add(key)
        return key in self.data

    def get(
        self,
        key: str,
        kind: type | tuple[type, ...],
        default: Any = _MISSING,
        *,
        check: Callable[[Any], str | None] | None = None,
        hint: str | None = None,
    ) -> Any:
        """Return the value of `key` if it has the right type, else record why and return `default`.

        Args:
            key: the key in this mapping.
            kind: accepted Python type(s); numbers are accepted for strings and turned into text.
            default: returned when the key is absent or invalid; absent without default is an error.
            check: optional validator returning a problem description, or None when the value is fine.
            hint: how to fix a wrong value, shown after the message.
        """
        self._known.add(key)
        if key not in self.data or self.data[key] is None:
            if default is _MISSING:
                self.doc.report(self.keypath, f"missing required key {self.name(key)!r}",
                                hint or f"add '{key}:' with {type_name(kind)}")
                return None
            return default
        value = _coerce(self.data[key], kind)
        if value is _MISSING:
            self.doc.report(self.keypath + (key,),
                            f"{self.name(key)!r} must be {type_name(kind)}, found {describe(self.data[key])}",
                            hint)
            return None if default is _MISSING else default
        if check is not None:
            problem = check(value)
            if problem:
                self.doc.report(self.keypath + (key,), f"{self.name(key)!r} {problem}", hint)
                return None if default is _MISSING else default
        return value

    def get_str_list(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Return a list of strings, accepting one comma-separated string as shorthand."""
        value = self.get(key, (list, str), None)
        if value is None:
            return default
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        items: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                items.append(str(item))
            else:
                self.doc.report(self.keypath + (key, index),
                                f"{self.name(key)}[{index}] must be a string, found {describe(item)}")
        return tuple(items)

    def child(self, key: str, default_empty: bool = True) -> Section | None:
        """Return the nested mapping under `key` as a section, or None when absent or invalid."""
        value = self.get(key, dict, {} if default_empty else None)
        if value is None:
            return None
        return Section(self.doc, self.keypath + (key,), value)

    def items(self) -> Iterator[tuple[str, Any]]:
        """Yield every (key, value) pair, marking all keys as known (for free-form mappings)."""
        for key, value in self.data.items():
            self._known.add(key)
            yield str(key), value

    def finish(self, aliases: Mapping[str, str] | None = None) -> None:
        """Report every key that no `get` asked for, with the closest known key as a hint."""
        aliases = aliases or {}
        for key in self.data:
            if key in self._known:
                continue
            if key in aliases:
                hint = f"write {aliases[key]!r} instead"
            else:
                hint = did_you_mean(str(key), self._known) or "known keys: " + ", ".join(sorted(self._known))
            self.doc.report(self.keypath + (key,), f"unknown key {self.name(key)!r}", hint)


def _coerce(value: Any, kind: type | tuple[type, ...]) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return value if bool in kinds else _MISSING
    for k in kinds:
        if k is float and isinstance(value, (int, float)):
            return value
        if isinstance(value, k):
            return value
    if str in kinds and isinstance(value, (int, float)):
        return str(value)
    return _MISSING


def freeze(value: Any) -> Any:
    """Return a read-only copy of nested YAML data (mappings become MappingProxyType, lists tuples)."""
    if isinstance(value, dict):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value

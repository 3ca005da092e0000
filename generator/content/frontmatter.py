"""Split a Markdown file into front matter and body, and parse the front matter (YAML or TOML).

Posts come from Jekyll, Hugo and Medium exports as they are, so YAML (`---`) and TOML (`+++`)
blocks are both read, a file without any block is fine, and invalid dates inside YAML
(`2024-02-30`) stay strings here so the field reader can report them with their line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.config.yamlsafe import SAFE_LOADER, parse_yaml
from generator.errors import ContentError, GeneratorError


class _FrontMatterLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """Safe YAML loader whose impossible timestamps stay text instead of raising ValueError."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]", re.MULTILINE)
_TOML_TABLE = re.compile(r"^\[", re.MULTILINE)


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter of one file and where its body starts."""

    data: dict[str, Any]
    body: str
    body_line: int
    """1-based line number in the file where the body starts."""
    key_lines: dict[str, int]
    """1-based line of each top-level key, for error messages."""

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


def parse_front_matter(text: str, path: Path) -> FrontMatter:
    """Split `text` into front matter and body; raise ContentError on a broken block."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    opening = lines[0].rstrip() if lines else ""
    if opening not in _FENCES:
        return FrontMatter({}, text, 1, {})
    closing = _find_closing(lines, _FENCES[opening])
    if closing is None:
        raise ContentError(
            f"front matter opened with '{opening}' on line 1 is never closed", path, 1,
            hint=f"add a line with '{opening}' after the last front matter key",
        )
    block = "\n".join(lines[1:closing])
    data = _parse_toml(block, path) if opening == "+++" else _parse_yaml(block, path)
    # Keys under a TOML [table] are not top-level; stop before the first table header.
    table = _TOML_TABLE.search(block) if opening == "+++" else None
    top = block[:table.start()] if table else block
    key_lines = {m.group(1): block.count("\n", 0, m.start()) + 2 for m in _TOP_KEY.finditer(top)}
    body = "\n".join(lines[closing + 1:])
    return FrontMatter(data, body, closing + 2, key_lines)


def _find_closing(lines: list[str], fences: tuple[str, ...]) -> int | None:
    for index in range(1, len(lines)):
        if lines[index].rstrip() in fences:
            return index
    return None


def _parse_yaml(block: str, path: Path) -> dict[str, Any]:
    try:
        data, _ = parse_yaml(block, path, loader=_FrontMatterLoader, line_offset=1,
                             hint="fix the front matter YAML; quote values that contain ': ' or '#'")
    except GeneratorError as error:
        raise ContentError(diagnostics=error.diagnostics) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError("front matter must be 'key: value' lines", path, 2,
                           hint="write e.g. 'title: My post' between the '---' lines")
    return {str(k): v for k, v in data.items()}


def _parse_toml(block: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line, column = (int(found.group(1)) + 1, int(found.group(2))) if found else (None, None)
        if found is None and "end of document" in str(exc):  # an unclosed [ or quote: blame the last line
            line = 1 + next((n for n, text in reversed(list(enumerate(block.split("\n"), 1))) if text.strip()), 0)
        reason = re.sub(r"\s*\(at end of document\)", "", _TOML_POSITION.sub("", str(exc))).strip()
        raise ContentError(f"invalid TOML front matter: {reason}", path, line, column,
                           hint="fix the TOML between the '+++' lines") from None

"""YAML text to data, bounded: alias bombs, deep nesting, self-reference and duplicate keys refused.

PyYAML shares the node of an anchor between its aliases, so `a: &a [*b, *b, …]` nine levels
deep loads in microseconds but turns into a billion values the moment anything walks it (the
location recorder, `freeze`, a template). The composed node graph is checked first, in time
linear in the file, and only then turned into Python data (issue #11, §2). Used by site.yaml
and by front matter alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.errors import Diagnostic, GeneratorError
from generator.limits import YAML_MAX_DEPTH, YAML_MAX_NODES

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: Path, *, loader: type = SAFE_LOADER, line_offset: int = 0,
               hint: str = "fix the YAML syntax at that spot") -> tuple[Any, yaml.Node | None]:
    """Return (data, node) of one YAML document; raise GeneratorError with a located diagnostic.

    Args:
        text: the YAML text.
        path: the file, for diagnostics.
        loader: a safe loader class (front matter adds a timestamp constructor).
        line_offset: lines before `text` in the file (front matter starts on line 2).
        hint: how to fix a syntax error.
    """
    parser = loader(text)
    try:
        node = parser.get_single_node()
        if node is None:
            return None, None
        problem = check_yaml_node(node, path, line_offset)
        if problem is not None:
            raise GeneratorError(diagnostics=[problem])
        return parser.construct_document(node), node
    except yaml.YAMLError as exc:
        raise GeneratorError(diagnostics=[yaml_problem(exc, path, hint, line_offset, text)]) from None
    finally:
        parser.dispose()


def check_yaml_node(root: yaml.Node, path: Path, line_offset: int = 0) -> Diagnostic | None:
    """Return the first bound the node graph breaks (size, depth, a cycle, a duplicate key), or None."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        children = _children(node)
        if done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[id(node)] > YAML_MAX_NODES:
                return _at(node, path, line_offset, f"the YAML expands to more than {YAML_MAX_NODES:,} values "
                           "(aliases repeat what their anchor holds)",
                           "write the values out, or use fewer '*alias' references to large anchors")
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            return _at(node, path, line_offset, "an alias refers to the value that contains it",
                       "remove the '*alias' inside its own '&anchor'")
        if depth > YAML_MAX_DEPTH:
            return _at(node, path, line_offset, f"values are nested more than {YAML_MAX_DEPTH} levels deep",
                       "flatten the structure")
        duplicate = _duplicate_key(node, path, line_offset)
        if duplicate is not None:
            return duplicate
        open_nodes.add(id(node))
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicate_key(node: yaml.Node, path: Path, line_offset: int) -> Diagnostic | None:
    """Return an error for a key written twice in one mapping (YAML keeps the last one silently)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
            continue
        line = key_node.start_mark.line + 1 + line_offset
        if key_node.value in seen:
            return _at(key_node, path, line_offset, f"duplicate key {key_node.value!r} (first on line "
                       f"{seen[key_node.value]}); YAML would silently keep only the last one",
                       "remove one of them, or merge their values")
        seen[key_node.value] = line
    return None


def _at(node: yaml.Node, path: Path, line_offset: int, message: str, hint: str) -> Diagnostic:
    mark = node.start_mark
    return Diagnostic(message, path, mark.line + 1 + line_offset, mark.column + 1, hint)


def yaml_problem(exc: yaml.YAMLError, path: Path, hint: str, line_offset: int = 0, text: str = "") -> Diagnostic:
    """Turn a PyYAML error into a diagnostic (1-based line and column).

    When PyYAML names a context ("while parsing a flow sequence"), the culprit is usually where
    that construct started (an unclosed '[' or quote), so that is the location reported. A tab
    is named as a tab: PyYAML only says it "cannot start any token".
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if problem_mark is not None and _char_at(text, problem_mark) == "\t":
        return Diagnostic("a tab character: YAML indents with spaces only", path,
                          problem_mark.line + 1 + line_offset, problem_mark.column + 1,
                          "replace the tab with spaces")
    message = f"invalid YAML: {problem}"
    mark = problem_mark
    if context and context_mark is not None:
        mark = context_mark
        noticed = f"; noticed at line {problem_mark.line + 1 + line_offset}" if problem_mark is not None else ""
        message += f" ({context.removeprefix('while ')} that starts here{noticed})"
    if mark is None:
        return Diagnostic(message, path, None, None, hint)
    return Diagnostic(message, path, mark.line + 1 + line_offset, mark.column + 1, hint)


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""

"""The package's shape, as docs/architecture.md draws it: imports point one way, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "generator"

LADDER: dict[str, int] = {
    "atomic": 0, "names": 0,
    "errors": 1, "urls": 1, "i18n": 1, "cache": 1, "limits": 1, "plaintext": 1, "textwidth": 1, "workers": 1,
    "registry": 2, "routes": 2, "unchanged": 2, "memory": 2,
    "inside": 3, "config": 3, "numbers": 3,
    "content": 4, "metrics": 4,
    "dashboard": 5, "importers": 5,
    "pages": 6,
    "claims": 7, "listings": 7,
    "model": 8,
    "charts": 9, "chartcheck": 9, "record": 9, "render": 9, "pagekeys": 9, "linkcheck": 9, "feedcheck": 9,
    "write": 9, "languages": 9,
    "output": 10,
    "build": 11,
    "serve": 12, "scaffold": 12,
    "cli": 13, "__main__": 14,
}
"""Each stage's rung: a module may import only from lower rungs (docs/architecture.md, "Imports")."""
MAX_MODULE_LINES = 400


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "theme" not in p.parts and "files" not in p.parts)


def _stage(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _imported_stages(path: Path) -> set[tuple[str, int]]:
    """Return (stage, line) of every generator module `path` imports (`from generator import __version__` aside)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "generator" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


def test_every_stage_has_a_rung() -> None:
    stages = {_stage(p) for p in _modules()} - {"__init__"}
    assert stages <= set(LADDER), f"add {sorted(stages - set(LADDER))} to LADDER and docs/architecture.md"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_point_down_the_pipeline(path: Path) -> None:
    stage = _stage(path)
    if stage == "__init__":
        return  # the package's own __init__ re-exports the build API
    upward = [f"line {line}: imports generator.{other}" for other, line in sorted(_imported_stages(path))
              if other != stage and LADDER[other] >= LADDER[stage]]
    assert upward == [], f"{path.relative_to(REPO)} ({stage}, rung {LADDER[stage]}) reaches up: {upward}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_passes_the_size_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(REPO)} has {lines} lines: split it by job"


def test_urls_are_made_only_by_the_url_module() -> None:
    """Percent-encoding a path is the URL module's job (issue 9): nobody else calls quote()."""
    offenders = [p.relative_to(REPO).as_posix() for p in _modules()
                 if p.name != "urls.py" and "import quote" in p.read_text(encoding="utf-8")
                 and "serve" not in p.parts]  # the preview server quotes HTTP Location headers
    assert offenders == []


PATH_BUILDERS = {"routes.py", "urls.py"}
"""The modules that may build a page's path from parts (docs/architecture.md, "Where pages live")."""
NOT_PAGE_PATHS = {
    ("cli/importing.py", "'metrics/' + path.name"): "names a written file in a message",
    ("linkcheck.py", "f'/{path}'"): "names the path a broken link asked for, in its message",
    ("scaffold/report.py", "f\"[{t('years.year_title', year=year_label(year, fiscal_year_start))}](/{year_page})\""):
        "a Markdown link in a draft post, written as the founder would",
    ("render.py", "f'{prefix}{item.name}/'"): "walks the theme's static folder",
}


def _built_paths(path: Path) -> list[tuple[int, str]]:
    """Return f-strings that join parts with '/' and string concatenations with a 'folder/' literal.

    Messages (a space), URLs with a scheme ('://') and markup ('<') are not paths.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
            texts = [str(v.value) for v in node.values if isinstance(v, ast.Constant)]
            if any("/" in t for t in texts) and not any(" " in t or "://" in t or "<" in t for t in texts):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if any(isinstance(side, ast.Constant) and isinstance(side.value, str) and len(side.value) > 1
                   and side.value.endswith("/") and " " not in side.value for side in (node.left, node.right)):
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_only_the_routes_module_builds_page_paths() -> None:
    """Where a page lives is decided once (generator/routes.py); nobody else formats 'x/{y}/' (issue 18)."""
    offenders = [f"{p.relative_to(PACKAGE).as_posix()}:{line}: {code}" for p in _modules()
                 if p.name not in PATH_BUILDERS for line, code in _built_paths(p)
                 if (p.relative_to(PACKAGE).as_posix(), code) not in NOT_PAGE_PATHS
                 and "shown_path(" not in code]  # a folder named in a message (cli/)
    assert offenders == [], "build these paths with generator/routes.py"


def test_the_path_detector_finds_hand_built_paths(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('a = f"tags/{slug}/"\nb = path + "all/"\nc = f"no {path} here"\n'
                      'd = f"{folder}/charts/" "x.svg"\ne = f"<b>{x}</b>"\n', encoding="utf-8")
    assert [line for line, _ in _built_paths(module)] == [1, 2, 4]


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycles() -> None:
    """Modules import each other as a tree, within a stage too: a cycle means a type sits on the wrong level."""
    graph: dict[str, set[str]] = {}
    names = {_module_name(p) for p in _modules()}
    for path in _modules():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
                for alias in node.names:  # `from generator import routes` imports the module, not the package
                    name = f"{node.module}.{alias.name}"
                    targets.add(name if name in names else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("generator")}
        # `from generator import __version__` reads the package's first line, not the API it re-exports
        graph[_module_name(path)] = {t for t in targets if t in names and t not in (_module_name(path), "generator")}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" → ".join(trail[trail.index(target):] + [target]) if target in trail else target)
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []

"""The package's shape, as docs/architecture.md draws it: imports point one way, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "generator"

LADDER: dict[str, int] = {
    "atomic": 0,
    "errors": 1, "urls": 1, "i18n": 1, "cache": 1, "limits": 1, "plaintext": 1, "textwidth": 1, "workers": 1,
    "inside": 2, "config": 2,
    "content": 3, "metrics": 3,
    "dashboard": 4, "importers": 4,
    "pages": 5,
    "claims": 6,
    "model": 7,
    "charts": 8, "render": 8, "pagekeys": 8, "linkcheck": 8, "feedcheck": 8, "write": 8,
    "output": 9,
    "build": 10,
    "serve": 11, "scaffold": 11,
    "cli": 12, "__main__": 13,
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

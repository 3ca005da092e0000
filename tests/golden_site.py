"""The golden sites: built once per test session, compared file by file with what tests/golden/ holds.

A golden site is a real site on disk (tests/sites/full, examples/zh, examples/bilingual) built at a fixed time, one worker,
no cache. Its expected output is committed under tests/golden/<name>/:

- `files/`: every text file the build writes (HTML, feeds, sitemap, CSV, JSON, CSS, badges), byte for byte,
  so a change shows as a readable diff in review;
- `drawn.sha256`: the SHA-256 and size of every file matplotlib or Pillow draws (chart SVGs, share PNGs),
  which are compared by hash: their bytes depend on those libraries' versions, recorded in `versions.json`.

Refresh with `python -m pytest tests/test_golden.py --update-golden`, then read `git diff tests/golden/`
before committing: every change there is a change readers see.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"

GOLDEN_SITES = {
    "full": (REPO / "tests" / "sites" / "full", datetime(2026, 1, 20, 9, 30, tzinfo=timezone.utc)),
    "zh": (REPO / "examples" / "zh", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    "bilingual": (REPO / "examples" / "bilingual", datetime(2026, 1, 1, tzinfo=timezone.utc)),
}
"""Each golden site: its source folder and the build time it is built at."""

DRAWING_LIBRARIES = ("matplotlib", "pillow")
"""Libraries whose version decides the bytes of drawn files; text files must match whatever they are."""

MAX_DIFF_LINES = 40


def is_drawn(path: str) -> bool:
    """Return True for a file drawn by matplotlib or Pillow (a chart SVG or a PNG share image)."""
    return path.endswith(".png") or "/charts/" in f"/{path}"


def read_output(root: Path) -> dict[str, bytes]:
    """Return every file under `root` as {posix path: bytes}, without opensite's marker file."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    files.pop(".opensite-output", None)
    return files


@dataclass(frozen=True)
class GoldenBuild:
    """A golden site built once per session (the `golden_build` fixture): its copy, output and BuildResult."""

    site: Path
    output: Path
    result: Any


def drawing_versions() -> dict[str, str]:
    """Return what decides the bytes of drawn files: the drawing libraries' versions, and the fonts the share
    cards are drawn in (a machine with another version of Noto Sans CJK draws other bytes)."""
    from generator.charts.fonts import CardFonts, FontFinder

    versions = {name: version(name) for name in DRAWING_LIBRARIES}
    for language, text in (("en", "Ledgerly 2025"), ("zh-CN", "开放数据 2025")):
        fonts = FontFinder(language=language).fonts_for(text)
        versions[f"font {language}"] = (f"{fonts.regular.name} {fonts.regular.identity}"
                                        if isinstance(fonts, CardFonts) else "none")
    return versions


@dataclass(frozen=True)
class Golden:
    """What tests/golden/<name>/ expects: text files by path, drawn files as (sha256, size) by path."""

    text: dict[str, bytes]
    drawn: dict[str, tuple[str, int]]
    versions: dict[str, str]

    @classmethod
    def load(cls, name: str) -> Golden:
        folder = GOLDEN / name
        text = read_output(folder / "files") if (folder / "files").is_dir() else {}
        drawn = {}
        manifest = folder / "drawn.sha256"
        for line in (manifest.read_text(encoding="utf-8").splitlines() if manifest.exists() else ()):
            digest, size, path = line.split(" ", 2)
            drawn[path] = (digest, int(size))
        versions_file = folder / "versions.json"
        versions = json.loads(versions_file.read_text(encoding="utf-8")) if versions_file.exists() else {}
        return cls(text, drawn, versions)


def write_golden(name: str, files: dict[str, bytes]) -> None:
    """Replace tests/golden/<name>/ with the output `files` (the --update-golden path)."""
    folder = GOLDEN / name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "files").mkdir(parents=True)
    lines = []
    for path, data in sorted(files.items()):
        if is_drawn(path):
            lines.append(f"{hashlib.sha256(data).hexdigest()} {len(data)} {path}")
        else:
            target = folder / "files" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    (folder / "drawn.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "versions.json").write_text(json.dumps(drawing_versions(), indent=2, sort_keys=True) + "\n",
                                          encoding="utf-8")


def describe_text_differences(expected: dict[str, bytes], actual: dict[str, bytes], *, limit: int = 3) -> str:
    """Return a readable account of how the text files differ: missing, extra, then the first diffs."""
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    parts = []
    if missing:
        parts.append(f"{len(missing)} file(s) no longer written: " + ", ".join(missing[:10]))
    if extra:
        parts.append(f"{len(extra)} new file(s): " + ", ".join(extra[:10]))
    if changed:
        parts.append(f"{len(changed)} file(s) differ: " + ", ".join(changed[:10]))
    for path in changed[:limit]:
        before = expected[path].decode("utf-8", "replace").splitlines()
        after = actual[path].decode("utf-8", "replace").splitlines()
        diff = list(difflib.unified_diff(before, after, f"golden/{path}", f"built/{path}", n=1, lineterm=""))
        shown = diff[:MAX_DIFF_LINES] + ([f"… {len(diff) - MAX_DIFF_LINES} more diff lines"]
                                         if len(diff) > MAX_DIFF_LINES else [])
        parts.append("\n".join(line[:300] for line in shown))
    return "\n\n".join(parts)


def describe_drawn_differences(expected: dict[str, tuple[str, int]], actual: dict[str, bytes]) -> str:
    """Return which drawn files are missing, new or changed (by hash), or '' when they all match."""
    digests = {p: (hashlib.sha256(d).hexdigest(), len(d)) for p, d in actual.items()}
    missing = sorted(set(expected) - set(digests))
    extra = sorted(set(digests) - set(expected))
    changed = sorted(p for p in set(expected) & set(digests) if expected[p] != digests[p])
    parts = []
    for label, paths in (("no longer drawn", missing), ("newly drawn", extra), ("drawn differently", changed)):
        if paths:
            parts.append(f"{len(paths)} chart/image file(s) {label}: " + ", ".join(paths[:12]))
    return "\n".join(parts)

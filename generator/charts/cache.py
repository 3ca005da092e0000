"""The chart cache: SVG bytes kept under <site>/.opensite-cache/charts/, keyed by everything that shapes them.

The key hashes the ChartSpec, the data the chart shows, the style, the drawing code and
matplotlib's version (read from its package metadata, so computing a key never imports
matplotlib). A rebuild with unchanged metrics finds every chart here and draws nothing. Entries
are written atomically; delete the folder at any time to start afresh.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import ClassVar

from generator.charts.fonts import CardFonts
from generator.charts.svg import STYLE
from generator.dashboard.previews import Preview
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries

CACHE_FOLDER = Path(".opensite-cache") / "charts"
_CODE_FILES = ("kinds.py", "svg.py", "frame.py", "layout.py", "ticks.py", "cards.py", "fonts.py")
_MEMORY_LIMIT = 512


def _code_version() -> str:
    """Return a hash of the drawing code, so editing a chart kind redraws its charts."""
    digest = hashlib.sha256()
    for name in _CODE_FILES:
        digest.update((Path(__file__).parent / name).read_bytes())
    try:
        digest.update(metadata.version("matplotlib").encode())
    except metadata.PackageNotFoundError:  # e.g. a vendored matplotlib: the code hash still keys it
        pass
    return digest.hexdigest()


CODE_VERSION = _code_version()


def chart_key(spec: ChartSpec, series: Sequence[MetricSeries]) -> str:
    """Return the cache key of a chart: a hash of its spec, its data, the style and the drawing code."""
    document = {
        "spec": dataclasses.asdict(spec),
        "series": [{"id": one.id, "label": one.label, "unit": one.unit.value, "disclosure": one.disclosure.value,
                    "index_base": one.index_base,
                    "points": [[p.month, None if p.value is None else str(p.value), p.approximate]
                               for p in one.points]} for one in series],
        "style": STYLE,
        "code": CODE_VERSION,
    }
    text = json.dumps(document, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def preview_key(preview: Preview, fonts: CardFonts) -> str:
    """Return the cache key of a share card: everything drawn on it, the font files it is drawn in (a card drawn
    before a CJK font was installed is not kept after) and the drawing code."""
    drawn = {k: v for k, v in dataclasses.asdict(preview).items() if k not in ("source", "line")}
    document = {"preview": drawn, "fonts": dataclasses.asdict(fonts), "code": CODE_VERSION,
                "pillow": _version("pillow")}
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _plain(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot key {type(value).__name__}")


class ChartCache:
    """Reads and writes cached SVGs in one folder (None: keep them in memory only)."""

    _memory: ClassVar[dict[str, bytes]] = {}
    """Shared by every cache of the process (a long-running `serve` or a test session): same key, same bytes."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> bytes | None:
        """Return the cached SVG of `key`, or None."""
        if key in self._memory:
            data = self._memory[key]
            if self.folder is not None and not (self.folder / f"{key}.svg").is_file():
                self.put(key, data)  # drawn for another site in this process: keep it for this one's next build
            return data
        if self.folder is None:
            return None
        try:
            data = (self.folder / f"{key}.svg").read_bytes()
        except OSError:  # absent, or removed by a concurrent build: draw it again
            return None
        self._remember(key, data)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep `data` under `key`, on disk when there is a folder (best effort: the cache only saves time)."""
        self._remember(key, data)
        if self.folder is None:
            return
        target = self.folder / f"{key}.svg"
        staging = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging.write_bytes(data)
            os.replace(staging, target)
        except OSError:  # a read-only checkout still builds; it just draws every time
            staging.unlink(missing_ok=True)

    def prune(self, keep: set[str]) -> int:
        """Delete the cached charts whose key is not in `keep`; return how many went."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*.svg"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _remember(self, key: str, data: bytes) -> None:
        if len(self._memory) >= _MEMORY_LIMIT:
            self._memory.pop(next(iter(self._memory)))
        self._memory[key] = data

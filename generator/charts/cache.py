"""The chart cache: SVG bytes kept under <site>/.opensite-cache/charts/, keyed by everything that shapes them.

The key hashes the ChartSpec, the data the chart shows, the style, and the code fingerprint
(`cache.code_fingerprint`: opensite's files, matplotlib's version read from its package metadata, so
computing a key never imports matplotlib). A rebuild with unchanged metrics finds every chart here and
draws nothing. Entries are written atomically, each with the hash of its bytes (checked before reuse);
delete the folder at any time to start afresh.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from generator.atomic import write_atomic
from generator.cache import cache_root_of, code_fingerprint
from generator.charts.fonts import CardFonts
from generator.charts.svg import STYLE
from generator.dashboard.previews import Preview
from generator.dashboard.spec import ChartSpec
from generator.metrics import MetricSeries
from generator.model import StoredFile

CACHE_FOLDER = Path(".opensite-cache") / "charts"
_MEMORY_LIMIT = 512
_MEMORY_BYTES = 6 << 20


def chart_key(spec: ChartSpec, series: Sequence[MetricSeries]) -> str:
    """Return the cache key of a chart: a hash of its spec, its data, the style and the drawing code."""
    document = {
        "spec": dataclasses.asdict(spec),
        "series": [{"id": one.id, "label": one.label, "unit": one.unit.value, "disclosure": one.disclosure.value,
                    "index_base": one.index_base,
                    "points": [[p.month, None if p.value is None else str(p.value), p.approximate]
                               for p in one.points]} for one in series],
        "style": STYLE,
        "code": code_fingerprint(),
    }
    text = json.dumps(document, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def preview_key(preview: Preview, fonts: CardFonts) -> str:
    """Return the cache key of a share card: everything drawn on it, the font files it is drawn in (a card drawn
    before a CJK font was installed is not kept after) and the code fingerprint (Pillow's version included)."""
    # the fields as they are (a Preview holds no dataclass: `asdict`'s deep copy was a third of an edit's charts stage)
    drawn = {f.name: getattr(preview, f.name) for f in _PREVIEW_FIELDS if f.name not in ("source", "line")}
    document = {"preview": drawn, "fonts": _fonts_document(fonts), "code": code_fingerprint()}
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


_PREVIEW_FIELDS = dataclasses.fields(Preview)


@lru_cache(maxsize=64)
def _fonts_document(fonts: CardFonts) -> dict[str, object]:
    return dataclasses.asdict(fonts)


def _plain(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot key {type(value).__name__}")


class ChartCache:
    """Reads and writes cached SVGs in one folder (None: keep them in memory only).

    Each file starts with a line holding the SHA-256 of the bytes after it, checked before reuse: a
    truncated or edited file (an SVG with a `<script>` planted in the cache) is a note and a redraw,
    never copied into the output (issue 22).
    """

    _memory: ClassVar[dict[str, bytes]] = {}
    """Shared by every cache of the process (a long-running `serve` or a test session): same key, same bytes."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.notes: list[str] = []
        """One line per cached file that failed its hash and was drawn again."""

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
            stored = (self.folder / f"{key}.svg").read_bytes()
        except OSError:  # absent, or removed by a concurrent build: draw it again
            return None
        header, _, data = stored.partition(b"\n")
        if header != _header(data):
            self.notes.append(f"the cached chart {key[:12]}….svg did not match its hash (truncated or edited); "
                              "drew it again")
            return None
        self._remember(key, data)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep `data` under `key`, on disk when there is a folder (best effort: the cache only saves time)."""
        self._remember(key, data)
        if self.folder is None:
            return
        target = self.folder / f"{key}.svg"
        try:
            # no fsync: a torn entry fails its hash and is drawn again, and a thousand fsyncs were seconds of a
            # cold build (issue 24)
            write_atomic(target, _header(data) + b"\n" + data, within=cache_root_of(target), sync=False)
        except OSError:  # a read-only checkout still builds; it just draws every time
            pass

    def stored(self, key: str, data: bytes) -> StoredFile | None:
        """Return where the cache holds `data` (kept under `key`), to be read when it is written; None when it has
        no such file (no folder, a read-only checkout, or a file another build changed)."""
        if self.folder is None:
            return None
        source = self.folder / f"{key}.svg"
        header = _header(data)
        try:
            if source.stat().st_size != len(header) + 1 + len(data):
                return None
        except OSError:
            return None
        return StoredFile("", source, len(header) + 1, header.removeprefix(_HEADER_START).decode())

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
        """Keep the newest drawings up to `_MEMORY_BYTES` (a count alone let 512 cards and charts hold 20 MB of a
        5,000-post build, issue 24)."""
        memory = self._memory
        held = sum(map(len, memory.values()))
        while memory and (len(memory) >= _MEMORY_LIMIT or held + len(data) > _MEMORY_BYTES):
            held -= len(memory.pop(next(iter(memory))))
        memory[key] = data


_HEADER_START = b"opensite-chart sha256="


def _header(data: bytes) -> bytes:
    return _HEADER_START + hashlib.sha256(data).hexdigest().encode()

"""What output/ holds, as the last build's manifest in the build cache says and the disk confirms.

With the build cache, the writer knows each file of output/ (its hash, size, modification time and
inode, checked against the disk): a file whose bytes are unchanged is hard-linked into a new build
instead of written again, and a build that changes nothing touches nothing at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.cache import CACHE_DIR, CacheLoad, load_cache, save_cache
from generator.model import KeptFile
from generator.write.ownership import MARKER


@dataclass(frozen=True, slots=True)  # no __dict__: one per output file, 14,000 at 5,000 posts
class FileRecord:
    """What the manifest knows of one file in output/: how it was made and how to tell it is still there."""

    key: str | None
    """The page key it was rendered from (None for charts, data files and copies)."""
    digest: str
    size: int
    mtime_ns: int
    inode: int
    source: tuple[int, int] | None = None
    """For a copied file: its source's (size, mtime_ns) when copied."""


class OutputState:
    """The files output/ holds now, as the last build's manifest says and the disk confirms."""

    def __init__(self, output: Path, records: Mapping[str, FileRecord]) -> None:
        self.output = output
        self.records = dict(records) if (output / MARKER).is_file() else {}

    def holds(self, path: str, *, key: str | None = None, digest: str | None = None,
              source: tuple[int, int] | None = None) -> FileRecord | None:
        """Return the record of `path` when output/ still holds that file made from the same key, bytes or source."""
        record = self.records.get(path)
        if record is None or (key is not None and record.key != key) or (digest is not None and record.digest != digest) \
                or (source is not None and record.source != source):
            return None
        try:
            stat = os.lstat(self.output / path)  # a file replaced by a symbolic link is not the file we wrote
        except OSError:
            return None
        return record if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (record.size, record.mtime_ns,
                                                                             record.inode) else None

    def reuse(self, path: str, key: str) -> KeptFile | None:
        """Return a KeptFile when output/ holds `path` rendered from `key` (what the render stage asks)."""
        return KeptFile(path, key) if self.holds(path, key=key) is not None else None


def manifest_path(site_root: Path, output: Path) -> Path:
    digest = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return site_root / CACHE_DIR / f"output-{digest}.pickle"


def load_output_state(site_root: Path, output: Path) -> tuple[OutputState, str | None]:
    """Return what output/ holds per the manifest (empty without one), and a note when the manifest was unreadable."""
    loaded: CacheLoad = load_cache(manifest_path(site_root, output), "output", str(output.resolve()))
    records = {path: record for path, record in loaded.entries.items() if isinstance(record, FileRecord)}
    return OutputState(output.resolve(), records), loaded.note


def save_output_state(site_root: Path, output: Path, records: Mapping[str, FileRecord]) -> None:
    save_cache(manifest_path(site_root, output), "output", str(output.resolve()), records)

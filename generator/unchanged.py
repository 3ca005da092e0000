"""The whole-site fast path: a build whose inputs are as the last successful build left them does nothing.

A no-op `opensite build` used to start the whole pipeline to find that nothing changed: import ~70 modules,
hash every post, assemble the dashboard, compute every page's key (about a second at 1,000 posts, issue 24).
After each successful build a stamp (`.opensite-cache/unchanged.json`) records what it was built from: the
options and SOURCE_DATE_EPOCH, the code fingerprint, every file under the site's folder and its metrics folder
(size, mtime, SHA-256), the folders (a file added or removed changes its folder's mtime), the font folders
and the files of output/ (size, mtime, inode). The command line asks `unchanged_build` before it imports the
pipeline; only when every stat matches — or, for a file whose stat changed, its bytes still hash the same —
is the build skipped.

The stamp is written only where the build time cannot change the output by itself: SOURCE_DATE_EPOCH set (CI,
reproducible builds, the benchmarks), and no git checkout (the open data names the checkout's revision and
whether it is dirty, which git alone knows). Otherwise every build runs the pipeline, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import write_atomic
from generator.cache import CACHE_DIR, cache_folder, code_fingerprint
from generator.names import EPOCH_VARIABLE, FONT_DIRS_VARIABLE

STAMP_FILE = "unchanged.json"
STAMP_FORMAT = 1


@dataclass(frozen=True)
class Unchanged:
    """What the skipped build would have reported: the last build's counts."""

    pages: int
    charts: int
    output: Path


def build_key(site_root: Path, output: Path, *, drafts: bool, base_url: str | None,
              environ: Mapping[str, str] = os.environ) -> list[str] | None:
    """Return what besides files shapes a build, or None when a build may not be skipped (no SOURCE_DATE_EPOCH)."""
    epoch = environ.get(EPOCH_VARIABLE, "").strip()
    if not epoch:
        return None
    return [str(STAMP_FORMAT), str(site_root.resolve()), str(output.resolve()), str(drafts), str(base_url), epoch,
            environ.get(FONT_DIRS_VARIABLE, "\0"), sys.version, code_fingerprint()]


def unchanged_build(site_dir: Path, output_dir: Path | None, *, drafts: bool, base_url: str | None,
                    environ: Mapping[str, str] = os.environ) -> Unchanged | None:
    """Return the last build's counts when nothing it was built from has changed since; None: build."""
    site_root = site_dir.resolve()
    stamp_path = cache_folder(site_root) / STAMP_FILE
    try:
        stamp = json.loads(stamp_path.read_bytes())
    except (OSError, ValueError):
        return None
    output = Path(stamp.get("output", "")) if output_dir is None else output_dir.resolve()
    if not isinstance(stamp, dict) or stamp.get("key") != build_key(site_root, output, drafts=drafts,
                                                                    base_url=base_url, environ=environ):
        return None
    if _folders(stamp["roots"], output, site_root) != stamp["folders"]:
        return None
    files, rehashed = stamp["files"], {}
    for path, (size, mtime_ns, digest) in files.items():
        now = _stat(path)
        if now is None:
            return None
        if (now[0], now[1]) != (size, mtime_ns):  # touched or rewritten: unchanged only if its bytes are
            if _digest(path) != digest:
                return None
            rehashed[path] = [now[0], now[1], digest]
    if any(_stat(str(output / path)) != tuple(record) for path, record in stamp["outputs"].items()):
        return None
    if rehashed:  # verified by hash: remember the new stats, so the next build need not hash them again
        _save(stamp_path, site_root, {**stamp, "files": {**files, **rehashed}})
    return Unchanged(stamp["pages"], stamp["charts"], output)


def record_build(site_root: Path, output: Path, *, drafts: bool, base_url: str | None, metrics_folder: Path | None,
                 font_dirs: Iterable[Path], outputs: Mapping[str, tuple[int, int, int]], used_files: Iterable[Path],
                 pages: int, charts: int, may_skip: bool, environ: Mapping[str, str] = os.environ) -> None:
    """Write the stamp of a successful build (or remove a stale one when this build may not be skipped next time).

    `font_dirs` are watched by their folders only (a font added or removed); `used_files` (the fonts the share
    cards were drawn in) by their stats and hashes, like every file under the site and its metrics folder.
    `may_skip` is False when the same files could build differently: a git checkout (the open data names its
    revision), a build time given by the caller rather than SOURCE_DATE_EPOCH.
    """
    stamp_path = cache_folder(site_root) / STAMP_FILE
    key = build_key(site_root, output, drafts=drafts, base_url=base_url, environ=environ)
    roots = {"files": [str(site_root)] + ([str(metrics_folder.resolve())] if metrics_folder is not None else []),
             "fonts": [str(p) for p in font_dirs]}
    folders = _folders(roots, output, site_root) if key is not None and may_skip else None
    if folders is None:
        stamp_path.unlink(missing_ok=True)
        return
    files = {}
    for path in sorted({*folders["files"], *(str(p) for p in used_files)}):
        stat, digest = _stat(path), _digest(path)
        if stat is not None and digest is not None:
            files[path] = [stat[0], stat[1], digest]
    stamp = {"key": key, "output": str(output), "roots": roots, "folders": folders, "files": files,
             "outputs": {path: list(record) for path, record in outputs.items()}, "pages": pages, "charts": charts}
    _save(stamp_path, site_root, stamp)


def _save(stamp_path: Path, site_root: Path, stamp: dict) -> None:
    try:
        write_atomic(stamp_path, json.dumps(stamp).encode("utf-8"), within=site_root, sync=False)
    except OSError:  # the stamp only saves time: without it, the next build runs the pipeline
        pass


def _folders(roots: Mapping[str, list[str]], output: Path, site_root: Path) -> dict | None:
    """Return every folder's mtime and every file under the roots (output/ and the cache aside; font folders:
    their folders only); None when a folder is a symbolic link (its files could change unseen) or unreadable."""
    skip = {str(output), str(site_root / CACHE_DIR), str(site_root / ".git")}
    mtimes: dict[str, int] = {}
    files: list[str] = []
    for kind, paths in roots.items():
        pending = list(paths)
        while pending:
            folder = pending.pop()
            try:
                mtimes[folder] = os.stat(folder).st_mtime_ns
                entries = list(os.scandir(folder))
            except FileNotFoundError:
                mtimes[folder] = -1
                continue
            except OSError:
                return None
            for entry in entries:
                if entry.path in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_symlink() and entry.is_dir():
                    return None
                elif kind == "files":
                    files.append(entry.path)
    return {"mtimes": dict(sorted(mtimes.items())), "files": sorted(files)}


def _stat(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None

"""Rendered files to output/: the only module that writes to disk.

A build is written into a fresh sibling folder and swapped in only when every file is there,
so a failed or interrupted build leaves the previous output/ exactly as it was. opensite only
ever replaces a folder it made itself (it carries a marker file) or an empty one.

With the build cache, the writer knows what output/ already holds (a manifest of each file's hash,
size, modification time and inode, checked against the disk): a file whose bytes are unchanged is
hard-linked into the new folder instead of written again, and a build that changes nothing touches
nothing at all — not even output/'s modification time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cache import CacheLoad, load_cache, save_cache
from generator.config import CONFIG_NAME
from generator.content import StaticFile
from generator.errors import InterruptedAfterOutput, OutputError
from generator.model import KeptFile, OutputFile

MARKER = ".opensite-output"
MARKER_TEXT = b"Built by opensite. This folder is replaced on every build: do not edit files here.\n"
SOURCE_FOLDERS = ("content", "metrics", "templates")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class WriteReport:
    """What writing did: every output path, how many files were written (the rest were kept)."""

    paths: tuple[str, ...]
    written: int
    records: Mapping[str, FileRecord]


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
            stat = os.stat(self.output / path)
        except OSError:
            return None
        return record if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (record.size, record.mtime_ns,
                                                                             record.inode) else None


    def reuse(self, path: str, key: str) -> KeptFile | None:
        """Return a KeptFile when output/ holds `path` rendered from `key` (what the render stage asks)."""
        return KeptFile(path, key) if self.holds(path, key=key) is not None else None


def manifest_path(site_root: Path, output: Path) -> Path:
    digest = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return site_root / ".opensite-cache" / f"output-{digest}.pickle"


def load_output_state(site_root: Path, output: Path) -> tuple[OutputState, str | None]:
    """Return what output/ holds per the manifest (empty without one), and a note when the manifest was unreadable."""
    loaded: CacheLoad = load_cache(manifest_path(site_root, output), "output", str(output.resolve()))
    records = {path: record for path, record in loaded.entries.items() if isinstance(record, FileRecord)}
    return OutputState(output.resolve(), records), loaded.note


def save_output_state(site_root: Path, output: Path, records: Mapping[str, FileRecord]) -> None:
    save_cache(manifest_path(site_root, output), "output", str(output.resolve()), records)


def check_output_dir(output: Path, site_root: Path) -> None:
    """Raise OutputError unless `output` is safe to replace: never a folder opensite did not make."""
    out = output.resolve()
    root = site_root.resolve()
    hint = "pass another folder with --output, e.g. --output output"
    if out == root or out in root.parents:
        raise OutputError(f"the output folder {output} holds the site itself", output, hint=hint)
    for folder in SOURCE_FOLDERS:
        source = root / folder
        if out == source or source in out.parents:
            raise OutputError(f"the output folder {output} is inside the site's {folder}/ folder", output, hint=hint)
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {output} is a file, not a folder", output, hint=hint)
    if out.is_dir():
        if (out / CONFIG_NAME).exists() or (out / "content").is_dir():
            raise OutputError(f"the output folder {output} holds a site (site.yaml or content/)", output, hint=hint)
        if not (out / MARKER).is_file() and any(out.iterdir()):
            raise OutputError(
                f"the output folder {output} is not empty and was not made by opensite", output,
                hint="empty or delete it yourself, or pass another folder with --output")


def write_output(output: Path, files: Iterable[OutputFile | KeptFile], static_files: Sequence[StaticFile],
                 state: OutputState | None = None) -> WriteReport:
    """Write a complete build next to `output`, then swap it in; the old output survives any failure.

    `files` may be a generator that renders as it goes: each file is written as it arrives, and if
    it raises, the partial build is removed and output/ is left as it was. With a `state`, files that
    output/ already holds are kept (linked, not written) and a build that changes nothing swaps nothing.
    """
    output = output.resolve()
    remove_leftovers(output)
    writer = _Writer(output, state or OutputState(output, {}))
    try:
        for file in files:
            writer.add(file)
        for static in static_files:
            writer.add_static(static)
        writer.finish()
    except OSError as exc:
        writer.abandon()
        raise OutputError(f"cannot write the build: {exc.strerror or exc}", Path(exc.filename or output),
                          hint="check free disk space and permissions") from None
    except BaseException:
        writer.abandon()
        raise
    return WriteReport(tuple(writer.records), writer.written, writer.records)


class _Writer:
    """Streams files into a staging folder, opened only once enough differs from output/.

    While few files differ (an edited post: its page and the feeds), their bytes wait in memory and, once
    every file has been produced without error, replace the old ones in place, each atomically — no
    staging folder, no relinking of a thousand unchanged files. Past `IN_PLACE_MAX_FILES` changed files,
    or with no usable old output, the writer switches to a staging folder swapped in whole.
    """

    def __init__(self, output: Path, state: OutputState) -> None:
        self.output = output
        self.state = state
        self.staging = output.parent / f".{output.name}.opensite-new-{os.getpid()}"
        self.retired = output.parent / f".{output.name}.opensite-old-{os.getpid()}"
        self.opened = False
        self.records: dict[str, FileRecord] = {}
        self.kept: list[str] = []
        self.written = 0
        self._made: set[Path] = set()
        self._pending: dict[str, tuple[OutputFile | StaticFile, str | None, str | None, tuple[int, int] | None]] = {}
        self._in_place = bool(state.records)  # an output this writer knows: small changes may go in place

    def add(self, file: OutputFile | KeptFile) -> None:
        if isinstance(file, KeptFile):
            self._keep(file.path, self.state.records[file.path])
            return
        digest = hashlib.sha256(file.data).hexdigest()
        held = self.state.holds(file.path, digest=digest)
        if held is not None:
            self._keep(file.path, FileRecord(file.key, digest, held.size, held.mtime_ns, held.inode))
            return
        if self._wait(file.path, (file, file.key, digest, None)):
            return
        target = self._target(file.path)
        target.write_bytes(file.data)
        self._record(file.path, target, file.key, digest)

    def add_static(self, static: StaticFile) -> None:
        path = static.relpath.as_posix()
        stat = os.stat(static.source)
        source = (stat.st_size, stat.st_mtime_ns)
        held = self.state.holds(path, source=source)
        if held is not None:
            self._keep(path, held)
            return
        if self._wait(path, (static, None, None, source)):
            return
        target = self._target(path)
        shutil.copyfile(static.source, target)
        self._record(path, target, None, _file_digest(target), source)

    def finish(self) -> None:
        if not self.opened:
            changed = bool(self._pending) or set(self.records) != set(self.state.records)
            if not changed and _holds_only(self.output, self.records):
                return  # nothing differs from output/: leave it as it is
            if self._in_place and _holds_only(self.output, self.state.records):
                self._update_in_place()
                return
        self._open()
        _swap(self.staging, self.output, self.retired)

    def _wait(self, path: str, item: tuple) -> bool:
        """Hold a changed file for an in-place update; return False once the staging folder takes it."""
        if self.opened:
            return False
        if self._in_place and len(self._pending) < IN_PLACE_MAX_FILES:
            self._pending[path] = item
            return True
        self._open()
        return False

    def _update_in_place(self) -> None:
        """Replace the changed files of output/ one by one (each atomically) and remove the files that went."""
        for path, (item, key, digest, source) in self._pending.items():
            target = self.output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.opensite-{os.getpid()}")
            if isinstance(item, OutputFile):
                temporary.write_bytes(item.data)
            else:
                shutil.copyfile(item.source, temporary)
            os.replace(temporary, target)
            self._record(path, target, key, digest or _file_digest(target), source)
        for path in set(self.state.records) - set(self.records):
            (self.output / path).unlink(missing_ok=True)
            _remove_empty_folders((self.output / path).parent, self.output)

    def abandon(self) -> None:
        _remove(self.staging)

    def _keep(self, path: str, record: FileRecord) -> None:
        self.records[path] = record
        if self.opened:
            self._link(path)
        else:
            self.kept.append(path)

    def _open(self) -> None:
        if self.opened:
            return
        self.opened = True
        _remove(self.staging)
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir()
        # The marker first: a build killed half-way leaves a folder the next build knows it may remove.
        try:  # the old output's marker, linked like any unchanged file
            os.link(self.output / MARKER, self.staging / MARKER)
        except OSError:
            (self.staging / MARKER).write_bytes(MARKER_TEXT)
        self._made.add(self.staging)
        for path in self.kept:
            self._link(path)
        pending, self._pending = self._pending, {}
        for path, (item, key, digest, source) in pending.items():
            target = self._target(path)
            if isinstance(item, OutputFile):
                target.write_bytes(item.data)
            else:
                shutil.copyfile(item.source, target)
            self._record(path, target, key, digest or _file_digest(target), source)

    def _link(self, path: str) -> None:
        """Put the file output/ holds into the new build without copying its bytes (a hard link)."""
        target = self._target(path)
        try:
            os.link(self.output / path, target)
        except OSError:  # a file system without hard links: copy, keeping the times
            shutil.copy2(self.output / path, target)
            stat = os.stat(target)
            record = self.records[path]
            self.records[path] = FileRecord(record.key, record.digest, stat.st_size, stat.st_mtime_ns, stat.st_ino,
                                             record.source)

    def _target(self, path: str) -> Path:
        target = self.staging / path
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        return target

    def _record(self, path: str, target: Path, key: str | None, digest: str,
                source: tuple[int, int] | None = None) -> None:
        stat = os.stat(target)
        self.records[path] = FileRecord(key, digest, stat.st_size, stat.st_mtime_ns, stat.st_ino, source)
        self.written += 1


IN_PLACE_MAX_FILES = 100
"""Changed files a build may hold in memory to update output/ in place (more: a staging folder, swapped in)."""


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _holds_only(output: Path, paths: Mapping[str, FileRecord]) -> bool:
    """Return True when output/ holds exactly these files and the marker (nothing added by hand)."""
    count = 0
    for folder, _, names in os.walk(output):
        count += len(names)
        if count > len(paths) + 1:
            return False
    return count == len(paths) + 1


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _swap(staging: Path, output: Path, retired: Path) -> None:
    """Move the new build into place with two renames, restoring the old one if the second fails."""
    hint = "check the permissions of the output folder and of the folder that holds it"
    _remove(retired)
    had_output = output.exists()
    if had_output:
        try:
            output.rename(retired)
        except OSError as exc:
            _remove(staging)
            raise OutputError(f"cannot move the old output aside: {exc.strerror or exc}", output, hint=hint) from None
    try:
        staging.rename(output)
    except OSError as exc:
        if had_output:
            retired.rename(output)
        _remove(staging)
        raise OutputError(f"cannot replace {output}: {exc.strerror or exc}", output,
                          hint="close programs that hold files in the output folder") from None
    try:
        _remove(retired)
    except KeyboardInterrupt:
        raise InterruptedAfterOutput from None
    except OSError:
        pass  # an undeletable old file: the new output is in place; the next build removes what is left


LEFTOVER_KINDS = ("opensite-new", "opensite-old")


def remove_leftovers(output: Path) -> list[Path]:
    """Remove staging and old folders that interrupted builds left beside `output`; return them.

    Only folders named like ours, carrying the marker file, whose build process is no longer running.
    """
    removed: list[Path] = []
    if not output.parent.is_dir():
        return removed
    for kind in LEFTOVER_KINDS:
        for folder in output.parent.glob(f".{output.name}.{kind}-*"):
            pid = folder.name.rsplit("-", 1)[-1]
            if folder.is_dir() and (folder / MARKER).is_file() and not _running(pid):
                try:
                    _remove(folder)
                    removed.append(folder)
                except OSError:
                    pass  # tried again by the next build
    return removed


def _running(pid: str) -> bool:
    """Return True when the build that made a folder may still be writing it (another live process)."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False  # this process builds one site at a time: its own leftovers are done with
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)

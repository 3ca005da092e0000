"""Rendered files to output/: a complete build next to it, swapped in; only opensite's own files replaced.

A build is written into a fresh sibling folder and swapped in only when every file is there, so a failed
or interrupted build leaves the previous output/ exactly as it was. Files opensite did not write (those
its marker does not list) are carried into the new folder by hard links, so they survive the swap; a
build that would replace one of them is refused. Small updates go in place, file by file.

Every file is written by `atomic.write_atomic` (in place) or `atomic.write_new` (into the staging folder, whose
folders the writer made and checked), never through a symbolic link. While the folders are
swapped and the old one removed, Ctrl-C and SIGTERM wait (a few milliseconds to a second), so an
interrupted build never leaves a folder behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.atomic import check_writable, write_atomic, write_new
from generator.content import StaticFile
from generator.errors import InterruptedAfterOutput, OutputError
from generator.model import KeptFile, OutputFile, StoredFile
from generator.write.ownership import MARKER, Ownership, read_ownership, render_marker, scan_output
from generator.write.state import FileRecord, OutputState

IN_PLACE_MAX_FILES = 100
"""Changed files a build may hold in memory to update output/ in place (more: a staging folder, swapped in)."""
LEFTOVER_KINDS = ("opensite-new", "opensite-old")


@dataclass(frozen=True)
class WriteReport:
    """What writing did: every output path, how many files were written (the rest were kept)."""

    paths: tuple[str, ...]
    written: int
    records: Mapping[str, FileRecord]


def write_output(output: Path, files: Iterable[OutputFile | StoredFile | KeptFile], static_files: Sequence[StaticFile],
                 state: OutputState | None = None, ownership: Ownership | None = None) -> WriteReport:
    """Write a complete build next to `output`, then swap it in; the old output survives any failure.

    `files` may be a generator that renders as it goes: each file is written as it arrives, and if
    it raises, the partial build is removed and output/ is left as it was. With a `state`, files that
    output/ already holds are kept (linked, not written) and a build that changes nothing swaps nothing.
    `ownership` (from `check_output_dir`) says which files of output/ are opensite's; files it does not
    list are kept as they are.
    """
    output = output.resolve()
    remove_leftovers(output)
    writer = _Writer(output, state or OutputState(output, {}), ownership or read_ownership(output))
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

    def __init__(self, output: Path, state: OutputState, ownership: Ownership) -> None:
        self.output = output
        self.state = state
        self.staging = output.parent / f".{output.name}.opensite-new-{os.getpid()}"
        self.retired = output.parent / f".{output.name}.opensite-old-{os.getpid()}"
        self.opened = False
        self.records: dict[str, FileRecord] = {}
        self.kept: list[str] = []
        self.written = 0
        self._made: set[str] = set()
        """Folders made in the staging folder, as text (7,200 Path objects held 4 MB at 5,000 posts)."""
        self._pending: dict[str, tuple[OutputFile | StoredFile | StaticFile, str | None, str | None, tuple[int, int] | None]] = {}
        present, self._empty_folders = scan_output(output)
        self._foreign = {p for p in present if p != MARKER and not ownership.owns(p)}
        self._present_own = present - self._foreign - {MARKER}
        self._old_marker = _read(output / MARKER)
        self._in_place = bool(state.records)  # an output this writer knows: small changes may go in place

    def add(self, file: OutputFile | StoredFile | KeptFile) -> None:
        if isinstance(file, KeptFile):
            self._keep(file.path, self.state.records[file.path])
            return
        # a stored drawing says its digest: an unchanged one is kept without reading it
        digest = file.digest if isinstance(file, StoredFile) else hashlib.sha256(file.data).hexdigest()
        held = self.state.holds(file.path, digest=digest)
        if held is not None:
            self._keep(file.path, FileRecord(file.key, digest, held.size, held.mtime_ns, held.inode))
            return
        if self._wait(file.path, (file, file.key, digest, None)):
            return
        target = self._target(file.path)
        write_new(target, file.data)
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
        write_new(target, static.source)
        self._record(path, target, None, _file_digest(target), source)

    def finish(self) -> None:
        paths = set(self.records) | set(self._pending)
        self._refuse_foreign_conflicts(paths)
        marker = render_marker(paths)
        if not self.opened:
            changed = bool(self._pending) or set(self.records) != set(self.state.records)
            if not changed and self._present_own == paths and marker == self._old_marker:
                return  # nothing differs from output/: leave it as it is
            if self._in_place and self._present_own == set(self.state.records):
                self._update_in_place(paths, marker)
                return
        self._open()
        write_atomic(self.staging / MARKER, marker, within=self.staging, sync=False)
        self._carry_foreign()
        _swap(self.staging, self.output, self.retired)

    def _refuse_foreign_conflicts(self, paths: set[str]) -> None:
        """Raise OutputError when the build would replace a file (or folder) that opensite did not write."""
        folders = {"/".join(path.split("/")[:i]) for path in paths for i in range(1, path.count("/") + 1)}
        clashes = sorted(p for p in self._foreign | self._empty_folders
                         if p in paths or (p in folders and p not in self._empty_folders)
                         or any("/".join(p.split("/")[:i]) in paths for i in range(1, p.count("/") + 1)))
        if clashes:
            shown = ", ".join(clashes[:3]) + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
            raise OutputError(f"the build would replace {shown} in {self.output}, which opensite did not write",
                              self.output / clashes[0],
                              hint="move that file out of the output folder, or change the page that claims its path")

    def _wait(self, path: str, item: tuple) -> bool:
        """Hold a changed file for an in-place update; return False once the staging folder takes it."""
        if self.opened:
            return False
        if self._in_place and len(self._pending) < IN_PLACE_MAX_FILES:
            self._pending[path] = item
            return True
        self._open()
        return False

    def _update_in_place(self, paths: set[str], marker: bytes) -> None:
        """Replace the changed files of output/ one by one (each atomically) and remove the files that went.

        The marker first lists old and new files together, so a build killed half-way leaves every file
        it wrote listed; once the old files are gone, it lists the new build's.
        """
        gone = set(self.state.records) - paths
        if paths - set(self.state.records):
            write_atomic(self.output / MARKER, render_marker(paths | set(self.state.records)), within=self.output)
        for path, (item, key, digest, source) in self._pending.items():
            target = self.output / path
            write_atomic(target, _contents(item), within=self.output)
            self._record(path, target, key, digest or _file_digest(target), source)
        for path in gone:
            check_writable(self.output / path, self.output)  # never removes through a link
            (self.output / path).unlink(missing_ok=True)
            _remove_empty_folders((self.output / path).parent, self.output)
        if marker != self._old_marker:
            write_atomic(self.output / MARKER, marker, within=self.output)

    def abandon(self) -> None:
        with _signals_held():
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
        write_atomic(self.staging / MARKER, MARKER_PLACEHOLDER, within=self.staging, sync=False)
        self._made.add(str(self.staging))
        for path in self.kept:
            self._link(path)
        pending, self._pending = self._pending, {}
        for path, (item, key, digest, source) in pending.items():
            target = self._target(path)
            write_new(target, _contents(item))
            self._record(path, target, key, digest or _file_digest(target), source)

    def _link(self, path: str) -> None:
        """Put the file output/ holds into the new build without copying its bytes (a hard link)."""
        target = self._target(path)
        try:
            os.link(self.output / path, target, follow_symlinks=False)
        except OSError:  # a file system without hard links: copy, keeping the times
            shutil.copy2(self.output / path, target, follow_symlinks=False)
            stat = os.lstat(target)
            record = self.records[path]
            self.records[path] = FileRecord(record.key, record.digest, stat.st_size, stat.st_mtime_ns, stat.st_ino,
                                             record.source)

    def _carry_foreign(self) -> None:
        """Link the files opensite did not write into the new folder, so the swap keeps them."""
        for path in sorted(self._foreign):
            self._target(path)
            os.link(self.output / path, self.staging / path, follow_symlinks=False)
        for path in sorted(self._empty_folders - self._foreign):
            (self.staging / path).mkdir(parents=True, exist_ok=True)
        for path in sorted({p.rsplit("/", 1)[0] for p in self._foreign if "/" in p} | self._empty_folders):
            shutil.copystat(self.output / path, self.staging / path, follow_symlinks=False)

    def _target(self, path: str) -> Path:
        """Return where `path` goes in the staging folder, its folder made and checked (no link on the way)."""
        target = self.staging / path
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            check_writable(target.parent, self.staging)
            self._made.add(parent)
        return target

    def _record(self, path: str, target: Path, key: str | None, digest: str,
                source: tuple[int, int] | None = None) -> None:
        stat = os.lstat(target)
        self.records[path] = FileRecord(key, digest, stat.st_size, stat.st_mtime_ns, stat.st_ino, source)
        self.written += 1


MARKER_PLACEHOLDER = b"Built by opensite: a build in progress.\n"
"""The staging folder's marker until the build is complete (then it lists the files)."""


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if not path.is_symlink() else None
    except OSError:
        return None


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _swap(staging: Path, output: Path, retired: Path) -> None:
    """Move the new build into place with two renames, restoring the old one if the second fails.

    Ctrl-C and SIGTERM are held until the old folder is removed: an interrupt then says the new output
    is complete, and no folder is left behind (issue 22).
    """
    hint = "check the permissions of the output folder and of the folder that holds it"
    try:
        with _signals_held():
            _remove(retired)
            had_output = output.exists()
            if had_output:
                try:
                    output.rename(retired)
                except OSError as exc:
                    _remove(staging)
                    raise OutputError(f"cannot move the old output aside: {exc.strerror or exc}", output,
                                      hint=hint) from None
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
            except OSError:
                pass  # an undeletable old file: the new output is in place; the next build removes what is left
    except KeyboardInterrupt:  # delivered as the signals are released: the new output is in place
        raise InterruptedAfterOutput from None


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the block's duration, then act on them as they would have acted.

    Python runs signal handlers in the main thread, so a handler that only notes the signal holds it whichever
    thread the kernel hands it to. Blocking with pthread_sigmask did not: it blocks the calling thread only,
    and a native thread (numpy's BLAS pool, started at import) took the signal at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda received, _: caught.append(received))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            handler = previous[number]
            if callable(handler):
                handler(number, None)  # Python's default for SIGINT raises KeyboardInterrupt here
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)


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
            if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file() and not _running(pid):
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


def _contents(item: OutputFile | StoredFile | StaticFile) -> bytes | Path:
    """Return what to write for a file waiting to be written: its bytes, or the static file to copy."""
    return item.source if isinstance(item, StaticFile) else item.data


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)

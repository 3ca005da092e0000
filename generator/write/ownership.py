"""What of an output folder is opensite's: the files its marker lists, and nothing else.

Every build writes `.opensite-output` into its output folder, listing every file it wrote. A build
replaces and removes only those files, and `opensite clean --output` deletes only those: files someone
else put there (a web root's `uploads/`, `.well-known/`, a `CNAME`) stay. The marker travels with an
`rsync -a output/ www/`, and with it the list, so a build into `www/` still touches only its own files
(issue 22: a bare marker once made opensite replace a whole web root, and `clean` delete a home folder's
`.bashrc`). A folder with no marker that is not empty is refused up front, as is any folder that holds
the site, its sources or its parents.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.config import CONFIG_NAME
from generator.errors import OutputError
from generator.names import DEFAULT_OUTPUT

MARKER = ".opensite-output"
MARKER_TEXT = b"Built by opensite, which replaces or deletes the files listed below, and only those: do not edit them.\n"
_LEGACY_TEXT = b"Built by opensite. This folder is replaced on every build: do not edit files here.\n"
SOURCE_FOLDERS = ("content", "metrics", "templates")


@dataclass(frozen=True)
class Ownership:
    """The files of an output folder opensite wrote (relative paths), per its marker."""

    output: Path
    owned: frozenset[str]
    marked: bool
    """The folder carries opensite's marker (False: it is empty or does not exist yet)."""

    def owns(self, relpath: str) -> bool:
        return relpath in self.owned


def render_marker(paths: Iterable[str]) -> bytes:
    """Return the marker's bytes: a line for people, then every written path as a JSON string, sorted."""
    return MARKER_TEXT + b"".join(json.dumps(p, ensure_ascii=False).encode("utf-8") + b"\n" for p in sorted(paths))


def parse_marker(data: bytes) -> frozenset[str] | None:
    """Return the paths a marker lists, or None for a marker without a list (an older opensite's, or a bare one).

    Entries that are not plain relative paths (absolute, `..`, NUL, backslash) are dropped: a hand-edited
    marker must not make opensite delete anything outside its folder.
    """
    if not data.startswith(MARKER_TEXT):
        return None
    paths = set()
    for line in data[len(MARKER_TEXT):].splitlines():
        try:
            path = json.loads(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(path, str) and is_plain_relpath(path):
            paths.add(path)
    return frozenset(paths)


def is_plain_relpath(path: str) -> bool:
    """Return True for 'a/b.html': relative, no empty, '.' or '..' part, no NUL or backslash."""
    parts = path.split("/")
    return bool(path) and "\0" not in path and "\\" not in path and not PurePosixPath(path).is_absolute() \
        and all(part not in ("", ".", "..") for part in parts)


def read_ownership(output: Path, legacy: Iterable[str] = ()) -> Ownership:
    """Return what of `output` opensite owns; `legacy` lists what the build cache's manifest says it wrote there.

    An older opensite's marker lists nothing: then the files the cache's manifest records are owned, and
    the marker itself.
    """
    try:
        data = (output / MARKER).read_bytes() if not (output / MARKER).is_symlink() else None
    except OSError:
        data = None
    if data is None:
        return Ownership(output, frozenset(), False)
    listed = parse_marker(data)
    if listed is None:
        listed = frozenset(p for p in legacy if is_plain_relpath(p)) if data == _LEGACY_TEXT else frozenset()
    return Ownership(output, listed, True)


def check_output_dir(output: Path, site_root: Path, legacy: Iterable[str] = ()) -> Ownership:
    """Return what opensite owns in `output`; raise OutputError when the folder is not one it may write.

    Refused: a symbolic link, the site folder or one holding it, a source folder or a folder inside one,
    a file, a folder holding a site, a non-empty folder without opensite's marker, and an older opensite's
    folder whose files nothing lists (its marker lists none and the build cache has no manifest of it).
    """
    hint = "pass another folder with --output, e.g. --output output"
    _refuse_site_folders(output, site_root, hint)
    if output.is_symlink():
        raise OutputError(f"the output folder {output} is a symbolic link (to {os.readlink(output)}); opensite "
                          "never writes through a link", output, hint="pass the folder it points to with --output")
    out = output.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {output} is a file, not a folder", output, hint=hint)
    if not out.is_dir():
        return Ownership(out, frozenset(), False)
    if (out / CONFIG_NAME).exists() or (out / "content").is_dir():
        raise OutputError(f"the output folder {output} holds a site (site.yaml or content/)", output, hint=hint)
    ownership = read_ownership(out, legacy)
    if not ownership.marked and any(out.iterdir()):
        raise OutputError(f"the output folder {output} is not empty and was not made by opensite", output,
                          hint="empty or delete it yourself, or pass another folder with --output")
    if ownership.marked and not ownership.owned and any(p.name != MARKER for p in out.iterdir()):
        raise OutputError(f"the output folder {output} has an opensite marker that lists no files (made by an "
                          "older opensite, or copied there)", output,
                          hint="delete the folder's generated files yourself and build again, or pass another "
                               "folder with --output")
    return ownership


def _refuse_site_folders(output: Path, site_root: Path, hint: str) -> None:
    out = output.resolve()
    root = site_root.resolve()
    if out == root or out in root.parents:
        raise OutputError(f"the output folder {output} holds the site itself", output, hint=hint)
    for folder in SOURCE_FOLDERS:
        source = root / folder
        if out == source or source in out.parents:
            raise OutputError(f"the output folder {output} is inside the site's {folder}/ folder", output, hint=hint)


def scan_output(output: Path) -> tuple[set[str], set[str]]:
    """Return the files (and symbolic links) and the empty folders under `output`, never following a link."""
    files: set[str] = set()
    empty: set[str] = set()
    if not output.is_dir() or output.is_symlink():
        return files, empty
    for folder, dirnames, filenames in os.walk(output):
        here = Path(folder)
        relative = here.relative_to(output).as_posix()
        prefix = "" if relative == "." else relative + "/"
        for name in list(dirnames):
            if (here / name).is_symlink():  # a link to a folder is an entry, not a place to walk into
                dirnames.remove(name)
                files.add(prefix + name)
        files.update(prefix + name for name in filenames)
        if prefix and not dirnames and not filenames:
            empty.add(prefix.rstrip("/"))
    return files, empty

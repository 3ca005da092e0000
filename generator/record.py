"""The record of published values on disk (metrics/.published.json): read when a build starts, written when it ends.

The pipeline's edges do the I/O (build.py calls these two functions around the stages); the dashboard
stage only compares today's values with the parsed record (generator/dashboard/restatements.py).
"""

from __future__ import annotations

from pathlib import Path

from generator.atomic import is_linked, write_atomic
from generator.dashboard.restatements import (
    RECORD_FILE,
    PublishedRecord,
    parse_published_record,
    render_published_record,
)
from generator.errors import MetricsError, OutputError


def load_published_record(root: Path) -> PublishedRecord:
    """Return the site's record of published values (empty when the file does not exist yet)."""
    path = root / RECORD_FILE
    if is_linked(path, root):  # another site's record must not be published as this one's (issue 22)
        raise MetricsError(f"{RECORD_FILE.as_posix()} is, or lies in, a symbolic link: opensite reads its record of "
                           "published values only from a file of the site", path,
                           hint="replace the link with a copy of the file, or delete it to record the current "
                                "values afresh")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return PublishedRecord()
    except (OSError, UnicodeDecodeError) as error:
        raise MetricsError(f"cannot read the record of published values: {error}", path,
                           hint="delete the file to record the current values afresh") from None
    return parse_published_record(text, path)


def write_published_record(root: Path, record: PublishedRecord) -> bool:
    """Keep metrics/.published.json in step with what the build published; return True when it changed.

    Written atomically (never through a symbolic link) and only when its bytes change, so an unchanged
    site leaves the checkout clean; never created for a site whose posts publish no values.
    """
    path = root / RECORD_FILE
    data = render_published_record(record)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        if not record.values:
            return False
    except OSError as error:
        raise OutputError(f"cannot read {RECORD_FILE}: {error}", path) from None
    try:
        write_atomic(path, data, within=root)
    except OSError as error:
        raise OutputError(f"cannot write {RECORD_FILE}: {error.strerror or error}", path,
                          hint="the site folder must be writable; the build itself was written") from None
    return True

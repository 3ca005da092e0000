"""write_output: the swap is atomic, and a failed write keeps the old output."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import read_tree

from generator.errors import OutputError
from generator.model import OutputFile
from generator.write import MARKER, write_output


def test_write_output_writes_files_and_marker(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output(out, [OutputFile("index.html", b"home"), OutputFile("a/b/index.html", b"deep")], [])
    assert read_tree(out) == {"index.html": b"home", "a/b/index.html": b"deep", MARKER: (out / MARKER).read_bytes()}


def test_failed_write_keeps_previous_output_and_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output(out, [OutputFile("index.html", b"v1")], [])
    before = read_tree(out)
    # 'x' as a file and 'x/index.html' cannot both exist: the write fails halfway.
    with pytest.raises(OutputError, match="cannot write the build"):
        write_output(out, [OutputFile("index.html", b"v2"), OutputFile("x", b"file"),
                           OutputFile("x/index.html", b"dir")], [])
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

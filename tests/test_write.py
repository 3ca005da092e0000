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


def test_an_interrupted_builds_leftovers_are_removed_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output(out, [OutputFile("index.html", b"v1")], [])
    dead = 2 ** 22 + 12345  # beyond Linux's pid_max default: no such process
    for kind in ("opensite-new", "opensite-old"):
        leftover = tmp_path / f".out.{kind}-{dead}"
        (leftover / "a").mkdir(parents=True)
        (leftover / MARKER).write_bytes(b"x")
    stranger = tmp_path / f".out.opensite-new-{dead + 1}"  # no marker: not ours to delete
    stranger.mkdir()

    write_output(out, [OutputFile("index.html", b"v2")], [])

    assert sorted(p.name for p in tmp_path.iterdir()) == [stranger.name, "out"]
    assert (out / "index.html").read_bytes() == b"v2"


def test_a_staging_folder_carries_the_marker_from_its_first_file(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def files():
        yield OutputFile("index.html", b"v1")
        staging = next(tmp_path.glob(".out.opensite-new-*"))
        assert (staging / MARKER).is_file()  # a kill now leaves a folder the next build may remove
        yield OutputFile("b.html", b"b")

    write_output(out, files(), [])
    assert (out / "b.html").read_bytes() == b"b"


def test_an_unmovable_old_output_is_a_located_error(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    write_output(out, [OutputFile("index.html", b"v1")], [])
    real_rename = Path.rename

    def refuse(self: Path, target):
        if self == out.resolve():
            raise PermissionError(13, "Permission denied")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse)
    with pytest.raises(OutputError, match="cannot move the old output aside: Permission denied") as info:
        write_output(out, [OutputFile("index.html", b"v2")], [])
    assert info.value.diagnostics[0].path == out.resolve()
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_ctrl_c_after_the_swap_says_the_output_is_complete(make_site, runner, monkeypatch) -> None:
    import generator.build as build_module
    from generator.cli import main

    site = make_site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "save_output_state", interrupted)
    result = runner.invoke(main, ["build", "-s", str(site)])

    assert result.exit_code == 130
    assert "Interrupted after the new output was in place" in result.stderr
    assert (site / "output/index.html").is_file()


def test_ctrl_c_during_the_swap_waits_for_it_and_leaves_no_folder_behind(tmp_path: Path, monkeypatch) -> None:
    """The signal arrives while the old folder is being removed: it is held until the swap is done."""
    import os
    import signal

    from generator.errors import InterruptedAfterOutput
    from generator.write import writer

    out = tmp_path / "out"
    write_output(out, [OutputFile("index.html", b"v1"), OutputFile("a/b.html", b"b")], [])
    real_remove = writer._remove

    def remove_after_ctrl_c(path: Path) -> None:
        if ".opensite-old-" in path.name and path.exists():
            os.kill(os.getpid(), signal.SIGINT)  # the reader presses Ctrl-C in the swap window
        real_remove(path)

    monkeypatch.setattr(writer, "_remove", remove_after_ctrl_c)
    with pytest.raises(InterruptedAfterOutput):
        write_output(out, [OutputFile("index.html", b"v2")], [])

    assert (out / "index.html").read_bytes() == b"v2" and not (out / "a").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_marker_lists_every_file_the_build_wrote(tmp_path: Path) -> None:
    from generator.write.ownership import parse_marker

    out = tmp_path / "out"
    write_output(out, [OutputFile("index.html", b"home"), OutputFile("a/b/index.html", b"deep")], [])
    assert parse_marker((out / MARKER).read_bytes()) == {"index.html", "a/b/index.html"}
    write_output(out, [OutputFile("index.html", b"home")], [])
    assert parse_marker((out / MARKER).read_bytes()) == {"index.html"} and not (out / "a").exists()

"""The one atomic writer (issue 18): temporary file, fsync, rename; never through a link or outside its roots."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.atomic import WriteRefused, check_writable, is_linked, write_atomic, write_new


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    write_atomic(target, b"one", within=tmp_path)
    write_atomic(target, b"two", within=tmp_path, sync=False)
    source = tmp_path / "source.bin"
    source.write_bytes(b"copied")
    write_atomic(tmp_path / "c.bin", source, within=tmp_path)
    assert target.read_bytes() == b"two" and (tmp_path / "c.bin").read_bytes() == b"copied"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b.txt"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "dir", b"x", within=tmp_path)  # a folder cannot be replaced by a file
    assert (tmp_path / "dir").is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["dir"]


def test_write_atomic_never_writes_through_a_linked_file(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_bytes(b"theirs")
    site = tmp_path / "site"
    (site / "metrics").mkdir(parents=True)
    (site / "metrics/mrr.csv").symlink_to(outside)
    with pytest.raises(WriteRefused, match="metrics/mrr.csv is a symbolic link"):
        write_atomic(site / "metrics/mrr.csv", b"ours", within=site)
    assert outside.read_bytes() == b"theirs" and (site / "metrics/mrr.csv").is_symlink()
    assert is_linked(site / "metrics/mrr.csv", site)


def test_write_atomic_never_writes_into_a_linked_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / ".opensite-cache").symlink_to(elsewhere)
    with pytest.raises(WriteRefused, match=r"\.opensite-cache is a symbolic link"):
        write_atomic(site / ".opensite-cache/charts/x.svg", b"<svg/>", within=site)
    assert list(elsewhere.iterdir()) == []


def test_write_atomic_refuses_a_path_outside_its_roots(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for path in (tmp_path / "x.txt", site / ".." / "x.txt", site):
        with pytest.raises(WriteRefused, match="outside the folders"):
            write_atomic(path, b"x", within=site)
    assert not (tmp_path / "x.txt").exists()
    check_writable(tmp_path / "metrics" / "a.csv", [site, tmp_path / "metrics"])  # a second root: metrics_dir


def test_a_root_reached_through_a_link_is_trusted(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)
    write_atomic(tmp_path / "alias" / "f.txt", b"ok", within=tmp_path / "alias")
    write_atomic(real / "g.txt", b"ok", within=tmp_path / "alias")  # spelled through the resolved root
    assert (real / "f.txt").read_bytes() == (real / "g.txt").read_bytes() == b"ok"


def test_there_is_one_atomic_writer(tmp_path: Path) -> None:
    """Only atomic.py renames a temporary file into place (issue 18: five modules did it five ways)."""
    package = Path(__file__).parent.parent / "generator"
    writers = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                     if "os.replace(" in p.read_text(encoding="utf-8") or "fsync(" in p.read_text(encoding="utf-8"))
    assert writers == ["atomic.py", "importers/files.py"]  # files.py only puts backups back (a rename, no write)


def test_write_atomic_writes_parts_one_after_the_other(tmp_path: Path) -> None:
    target = tmp_path / "cache.pickle"
    write_atomic(target, (b"head", b"", b"entries"), within=tmp_path)
    assert target.read_bytes() == b"headentries"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.pickle"]


def test_write_new_creates_a_file_and_refuses_anything_in_its_place(tmp_path: Path) -> None:
    """A staging folder's files: no temporary and rename, and never over a file or through a link."""
    write_new(tmp_path / "page.html", b"<p>new</p>")
    source = tmp_path / "source.bin"
    source.write_bytes(b"copied")
    write_new(tmp_path / "copy.bin", source)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"keep")
    (tmp_path / "linked.html").symlink_to(elsewhere)

    with pytest.raises(FileExistsError):
        write_new(tmp_path / "page.html", b"again")
    with pytest.raises(FileExistsError):
        write_new(tmp_path / "linked.html", b"through the link")

    assert (tmp_path / "page.html").read_bytes() == b"<p>new</p>" and (tmp_path / "copy.bin").read_bytes() == b"copied"
    assert elsewhere.read_bytes() == b"keep"


def test_write_new_that_fails_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_new(tmp_path / "page.html", tmp_path / "missing-source.bin")
    assert list(tmp_path.iterdir()) == []

"""Commands touch only what is theirs (issue 22): clean, build -o, import and the record never reach past it.

`opensite clean --output` deletes only the files the marker lists; a stray marker in a home folder, a
web root that received `rsync -a output/ www/`, links in place of output/ or .opensite-cache, and
targets that hold the site are all refused or left alone, with a message and never a traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import read_tree

from generator.cache import CACHE_DIR
from generator.cli import main
from generator.write import MARKER
from generator.write.ownership import parse_marker, render_marker

LEGACY_MARKER = b"Built by opensite. This folder is replaced on every build: do not edit files here.\n"
POST = "---\ntitle: Hello\ndate: 2024-03-01\n---\nHi.\n"


@pytest.fixture
def blog(make_site) -> Path:
    return make_site({"content/posts/2024-03-01-hello.md": POST})


def _home_like(tmp_path: Path, marker: bytes) -> Path:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents/thesis.tex").write_text("years of work")
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    (home / MARKER).write_bytes(marker)
    return home


@pytest.mark.parametrize("marker", [LEGACY_MARKER, b"anything\n"])
def test_clean_of_a_home_like_folder_with_a_stray_marker_deletes_nothing(blog: Path, tmp_path: Path,
                                                                         runner: CliRunner, marker: bytes) -> None:
    home = _home_like(tmp_path, marker)
    before = read_tree(home)

    result = runner.invoke(main, ["clean", "-s", str(blog), "--output", "-o", str(home)])

    assert result.exit_code == 0, result.output
    assert read_tree(home) == before
    assert "Kept 2 files" in result.stdout and "Traceback" not in result.output


def test_build_into_a_home_like_folder_with_a_stray_marker_is_refused(blog: Path, tmp_path: Path,
                                                                      runner: CliRunner) -> None:
    home = _home_like(tmp_path, LEGACY_MARKER)
    before = read_tree(home)

    result = runner.invoke(main, ["build", "-s", str(blog), "-o", str(home)])

    assert result.exit_code == 1
    assert "marker that lists no files" in result.stderr
    assert read_tree(home) == before


@pytest.mark.parametrize("where", ["home", "root", "site", "content", "parent"])
def test_clean_refuses_targets_that_cannot_be_an_output_folder(blog: Path, tmp_path: Path, runner: CliRunner,
                                                                where: str) -> None:
    home = _home_like(tmp_path, LEGACY_MARKER)
    target = {"home": home, "root": Path("/"), "site": blog, "content": blog / "content", "parent": tmp_path}[where]
    (blog / MARKER).write_bytes(render_marker(["site.yaml"]))
    before = read_tree(blog) if where != "root" else None

    result = runner.invoke(main, ["clean", "-s", str(blog), "--output", "-o", str(target)], env={"HOME": str(home)})

    assert result.exit_code == 1, result.output
    assert "refusing to clean" in result.stderr and "Traceback" not in result.output
    assert (home / ".bashrc").is_file() and (home / "Documents/thesis.tex").is_file()
    if before is not None:
        assert read_tree(blog) == before


def test_a_web_root_that_received_an_rsync_of_output_keeps_its_own_files(blog: Path, tmp_path: Path,
                                                                         runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "-s", str(blog)]).exit_code == 0
    www = tmp_path / "www"
    shutil.copytree(blog / "output", www)  # rsync -a output/ www/: the marker travels with it
    (www / "uploads").mkdir()
    (www / "uploads/photo.jpg").write_bytes(b"jpeg")
    (www / ".well-known").mkdir()
    (www / ".well-known/security.txt").write_text("Contact: x\n")
    (blog / "content/posts/2024-03-01-hello.md").write_text(POST.replace("Hi.", "Hello again."))

    built = runner.invoke(main, ["build", "-s", str(blog), "-o", str(www)])

    assert built.exit_code == 0, built.output
    assert (www / "uploads/photo.jpg").read_bytes() == b"jpeg" and (www / ".well-known/security.txt").is_file()
    assert "Hello again." in (www / "2024/03/hello/index.html").read_text()

    cleaned = runner.invoke(main, ["clean", "-s", str(blog), "--output", "-o", str(www)])

    assert cleaned.exit_code == 0, cleaned.output
    assert sorted(read_tree(www)) == [".well-known/security.txt", "uploads/photo.jpg"]
    assert "Kept 2 files" in cleaned.stdout


def test_a_build_that_would_replace_a_file_it_did_not_write_is_refused(blog: Path, tmp_path: Path,
                                                                       runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "-s", str(blog)]).exit_code == 0
    out = blog / "output"
    (out / "about").mkdir()
    (out / "about/index.html").write_text("hand-made")
    before = read_tree(out)
    (blog / "content/pages").mkdir()
    (blog / "content/pages/about.md").write_text("---\ntitle: About\n---\nUs.\n")

    result = runner.invoke(main, ["build", "-s", str(blog)])

    assert result.exit_code == 1
    assert "about/index.html" in result.stderr and "opensite did not write" in result.stderr
    assert read_tree(out) == before


def test_clean_never_follows_a_link_listed_or_met_in_the_output(blog: Path, tmp_path: Path,
                                                               runner: CliRunner) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not yours")
    (outside / "a.txt").write_text("not yours either")
    out = blog / "output"
    out.mkdir()
    (out / "linked").symlink_to(outside)
    (out / "index.html").symlink_to(outside / "index.html")
    (out / MARKER).write_bytes(render_marker(["linked/a.txt", "index.html", "../outside/a.txt"]))

    result = runner.invoke(main, ["clean", "-s", str(blog), "--output"])

    assert result.exit_code == 0, result.output
    assert (outside / "index.html").read_text() == "not yours" and (outside / "a.txt").is_file()
    assert not (out / "index.html").is_symlink()  # the listed link itself went, not what it points to
    assert (out / "linked").is_symlink()  # a link on the way to a listed file is never entered


def test_parse_marker_drops_paths_that_leave_the_folder() -> None:
    marker = render_marker(["a/index.html", "../x", "/etc/passwd", "a/../../b", "c\\d", ""])
    assert parse_marker(marker) == {"a/index.html"}
    assert parse_marker(LEGACY_MARKER) is None


@pytest.mark.parametrize("command", [["clean", "--output"], ["build"]])
def test_an_output_folder_that_is_a_link_is_refused(blog: Path, tmp_path: Path, runner: CliRunner,
                                                    command: list[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_bytes(render_marker(["index.html"]))
    (elsewhere / "index.html").write_text("keep")
    (blog / "output").symlink_to(elsewhere)

    result = runner.invoke(main, [command[0], "-s", str(blog), *command[1:]])

    assert result.exit_code == 1, result.output
    assert "symbolic link" in result.stderr and "Traceback" not in result.output
    assert (elsewhere / "index.html").read_text() == "keep"


@pytest.mark.parametrize("kind", ["link", "file"])
def test_clean_refuses_a_cache_folder_that_is_a_link_or_a_file(blog: Path, tmp_path: Path, runner: CliRunner,
                                                               kind: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep")
    if kind == "link":
        (blog / CACHE_DIR).symlink_to(elsewhere)
    else:
        (blog / CACHE_DIR).write_text("a file")

    result = runner.invoke(main, ["clean", "-s", str(blog)])

    assert result.exit_code == 1, result.output
    assert "refusing to clean the build cache" in result.stderr and "Traceback" not in result.output
    assert (elsewhere / "precious.txt").read_text() == "keep"
    assert (blog / CACHE_DIR).is_symlink() if kind == "link" else (blog / CACHE_DIR).is_file()


def test_an_interrupted_builds_staging_folder_is_cleaned_with_the_output(blog: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "-s", str(blog)]).exit_code == 0
    leftover = blog / f".output.opensite-new-{2 ** 22 + 7}"
    leftover.mkdir()
    (leftover / MARKER).write_bytes(b"x")

    result = runner.invoke(main, ["clean", "-s", str(blog), "--output"])

    assert result.exit_code == 0, result.output
    assert not leftover.exists() and not (blog / "output").exists()

"""The whole-site fast path (generator/unchanged.py): `opensite build` with nothing changed skips the pipeline,
and anything that could change the output — a source's bytes, a new or deleted file, an output file touched,
another option — runs it again, with the bytes of a cold build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from generator.build import build_site
from generator.cli import main

EPOCH = "1718409600"  # 2024-06-15
MRR = "month,mrr,new,expansion,contraction,churned\n2024-04,1000,1000,0,0,0\n2024-05,1100,100,0,0,0\n"


@pytest.fixture
def blog(make_site) -> Path:
    files = {f"content/posts/2024-0{m}-01-post-{m}.md": f"---\ntitle: Post {m}\ndate: 2024-0{m}-01\n---\nBody {m}.\n"
             for m in range(1, 4)}
    return make_site(files | {"metrics/mrr.csv": MRR, "content/posts/logo.png": b"\x89PNG\r\n\x1a\n"},
                     config="title: Stamp Co\nbase_url: https://stamp.example/\ntimezone: UTC\n")


def _build(site: Path, *extra: str) -> str:
    done = CliRunner().invoke(main, ["build", "-s", str(site), *extra], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert done.exit_code == 0, done.output
    return done.output


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cold(site: Path, tmp_path: Path) -> dict[str, bytes]:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build_site(site, tmp_path / "cold", use_cache=False, jobs=1)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return _tree(tmp_path / "cold")


def test_noop_build_is_skipped_without_loading_the_pipeline(blog: Path) -> None:
    _build(blog)
    script = ("import sys; from generator.cli import main\n"
              "try: main(['build', '-s', sys.argv[1]])\n"
              "except SystemExit: pass\n"
              "print('generator.build' in sys.modules, 'jinja2' in sys.modules, 'markdown' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(blog)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=True)
    assert "(nothing changed)" in done.stdout
    assert done.stdout.splitlines()[-1] == "False False False"


@pytest.mark.parametrize("change", ["edit post", "new post", "delete post", "edit csv", "edit site.yaml",
                                    "delete output file", "edit output file", "replace image"])
def test_a_change_runs_the_build_and_equals_a_cold_one(blog: Path, tmp_path: Path, change: str) -> None:
    _build(blog)
    post = blog / "content/posts/2024-02-01-post-2.md"
    output = blog / "output"
    {
        "edit post": lambda: post.write_text(post.read_text() + "\nMore.\n"),
        "new post": lambda: (blog / "content/posts/2024-03-09-new.md").write_text("---\ntitle: New\n---\nNew.\n"),
        "delete post": post.unlink,
        "edit csv": lambda: (blog / "metrics/mrr.csv").write_text(MRR.replace("1100,100", "1200,200")),
        "edit site.yaml": lambda: (blog / "site.yaml").write_text(
            (blog / "site.yaml").read_text().replace("Stamp Co", "Stamp Company")),
        "delete output file": lambda: (output / "index.html").unlink(),
        "edit output file": lambda: (output / "index.html").write_text("changed by hand"),
        "replace image": lambda: (blog / "content/posts/logo.png").write_bytes(b"\x89PNG\r\n\x1a\nnew"),
    }[change]()
    assert "nothing changed" not in _build(blog)
    assert _tree(output) == _cold(blog, tmp_path)
    assert "(nothing changed)" in _build(blog)


def test_touched_files_are_verified_by_hash(blog: Path) -> None:
    _build(blog)
    post = blog / "content/posts/2024-02-01-post-2.md"
    os.utime(post, ns=(post.stat().st_atime_ns, post.stat().st_mtime_ns + 10_000_000_000))
    assert "(nothing changed)" in _build(blog)  # same bytes: nothing to do


def test_other_options_or_no_epoch_run_the_build(blog: Path) -> None:
    _build(blog)
    assert "nothing changed" not in _build(blog, "--drafts")
    assert "nothing changed" not in _build(blog, "--no-cache")
    done = CliRunner().invoke(main, ["build", "-s", str(blog)])  # no SOURCE_DATE_EPOCH: the build time is now
    assert done.exit_code == 0 and "nothing changed" not in done.output
    assert "nothing changed" not in _build(blog)  # the build without an epoch left no stamp to trust

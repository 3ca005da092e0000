"""Worker processes die with their build (issue 22): SIGINT, SIGTERM or SIGKILL of the parent, within a second.

A real `opensite build -j 2` of enough posts to fork workers runs in a subprocess; once its workers exist,
the parent gets the signal, and every worker must be gone soon after (the bound is generous: the point is
"not ten seconds stuck on a pipe"). Interrupted builds also leave no staging folder behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

POSTS = 600


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workers") / "site"
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (root / "site.yaml").write_text("title: W\nbase_url: https://w.example/\ntimezone: UTC\n")
    paragraph = "Words that take a moment to convert, with *emphasis* and `code`. " * 40
    for number in range(POSTS):
        (posts / f"2024-01-01-post-{number}.md").write_text(
            f"---\ntitle: Post {number}\ndate: 2024-01-01\n---\n" + "\n\n".join([paragraph] * 20) + "\n")
    return root


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["INT", "TERM", "KILL"])
def test_workers_die_with_their_build(big_site: Path, tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "-s", str(big_site), "-o", str(out),
                              "--no-cache", "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
        workers |= _children(build.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the build finished before it forked workers: make the site bigger"

    os.kill(build.pid, sig)
    stopped = time.monotonic()
    build.wait(timeout=30)
    while any(_alive(pid) for pid in workers) and time.monotonic() - stopped < 5:
        time.sleep(0.02)

    assert not [pid for pid in workers if _alive(pid)], "a worker outlived its build"
    assert time.monotonic() - stopped < 5
    stderr = build.stderr.read().decode()
    if sig != signal.SIGKILL:
        assert build.returncode == 130 and "Interrupted: the previous output is untouched." in stderr
        assert "Traceback" not in stderr
        assert not list(tmp_path.glob(".out.opensite-*")), "an interrupted build left its staging folder"


def _square(n: int) -> int:
    return n * n


def test_in_order_gives_every_result_in_order_with_a_bounded_window() -> None:
    """Pool.imap sent every task at once and kept every result until taken; `in_order` keeps `ahead` in flight."""
    from generator.workers import in_order, worker_pool

    with worker_pool(2, lambda: None, ()) as pool:
        sent = []
        apply_async = pool.apply_async
        pool.apply_async = lambda function, args: sent.append(args[0]) or apply_async(function, args)  # type: ignore[method-assign]
        results = in_order(pool, _square, range(20), ahead=3)
        assert next(results) == 0 and len(sent) == 4  # three ahead, then the next one as the first is taken
        assert list(results) == [n * n for n in range(1, 20)] and sent == list(range(20))


def test_a_build_writes_drawings_from_the_cache_and_refuses_a_changed_one(tmp_path: Path) -> None:
    """A build hands its charts to the writer as stored files (read when written), byte for byte the drawing; a
    cached file changed after the build looked at it is an error, never written."""
    import shutil

    from conftest import BUILD_TIME

    from generator.build import build_site
    from generator.charts import render_charts
    from generator.model import StoredFile

    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "sites" / "full", site, ignore=shutil.ignore_patterns("output", ".opensite-*"))
    built = build_site(site, tmp_path / "out", now=BUILD_TIME, jobs=1)
    rendered = render_charts(built.site, site / ".opensite-cache" / "charts")
    stored = [f for f in rendered.files if isinstance(f, StoredFile)]
    assert stored and len(stored) == len(rendered.files)
    for file in stored:
        assert file.data == (tmp_path / "out" / file.path).read_bytes()
    first = stored[0]
    data = first.source.read_bytes()
    first.source.write_bytes(data[:-2] + b"->")
    with pytest.raises(OSError, match="changed"):
        _ = first.data

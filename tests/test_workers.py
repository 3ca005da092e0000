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

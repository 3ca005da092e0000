"""Time a cold build and a no-op rebuild of N synthetic posts, and report peak memory.

Each build runs in a fresh Python process (`python -m generator build`), so imports count, as
they do for a user. Usage: python bench/bench_build.py [N ...]   (default: 1000)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import make_corpus  # noqa: E402


def timed_build(site: Path, output: Path) -> tuple[float, float]:
    """Return (seconds, peak MiB) of one build in a child process."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-s", str(site), "-o", str(output)],
                   check=True, env=env)
    elapsed = time.perf_counter() - start
    # ru_maxrss of children is the largest child so far (KiB on Linux); runs only grow, so it is this run's.
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak_mib


def bench(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = make_corpus(count, Path(tmp) / "site")
        output = Path(tmp) / "out"
        cold, cold_peak = timed_build(site, output)
        noop, _ = timed_build(site, output)
        pages = sum(1 for _ in output.rglob("*.html"))
        print(f"N={count:>5}  cold {cold:6.2f} s   no-op {noop:6.2f} s   peak {cold_peak:6.0f} MiB   "
              f"{pages} HTML pages   ({os.cpu_count()} cores)")


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [1000]:
        bench(n)

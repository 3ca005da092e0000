"""Time opensite's builds of a real site: N synthetic posts and five years of metrics (bench/make_metrics.py).

Phases: cold (-j 1 and the default workers), no-op, one post edited. `--posts-only` leaves the metrics out.

Each build runs in a fresh Python process (`python -m generator build`), so imports count, as they do for
a user; peak memory is the child's maximum resident set (GNU time). Figures are medians of `--repeat`
runs. Usage: python bench/bench_build.py [N ...] [--repeat R]      (default: 250 1000 5000, R = 3)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import make_corpus  # noqa: E402
from make_metrics import write_metrics  # noqa: E402

EPOCH = "1767225600"


def run(site: Path, *extra: str) -> tuple[float, float]:
    """Return (seconds, peak MiB) of one `opensite build` in a child process."""
    command = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "generator", "build", "-q", "-s", str(site), *extra]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(done.stderr)
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def cold(site: Path, *extra: str) -> tuple[float, float]:
    for name in ("output", ".opensite-cache"):
        shutil.rmtree(site / name, ignore_errors=True)
    return run(site, *extra)


def edit(site: Path, round_: int) -> tuple[float, float]:
    posts = sorted((site / "content/posts").glob("*.md"))
    with posts[len(posts) // 2].open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdited in round {round_}.\n")
    return run(site)


def bench(count: int, repeat: int, metrics: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = make_corpus(count, Path(tmp) / "site")
        if metrics:
            write_metrics(site)
        phases: dict[str, list[tuple[float, float]]] = {"cold -j 1": [], "cold": [], "no-op": [], "edit": []}
        for round_ in range(repeat):
            phases["cold -j 1"].append(cold(site, "-j", "1"))
            phases["cold"].append(cold(site))
            phases["no-op"].append(run(site))
            phases["edit"].append(edit(site, round_))
        pages = sum(1 for _ in (site / "output").rglob("*.html"))
    cells = "  ".join(f"{name} {statistics.median(t for t, _ in runs):5.2f} s" for name, runs in phases.items())
    peak = max(m for runs in phases.values() for _, m in runs)
    what = "posts + 60 months" if metrics else "posts only"
    print(f"N={count:>5} ({what})  {cells}  peak {peak:4.0f} MiB  {pages:,} HTML pages  ({os.cpu_count()} cores)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[250, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--posts-only", action="store_true", help="leave the metrics out (the old benchmark)")
    args = parser.parse_args()
    for n in args.sizes:
        bench(n, args.repeat, metrics=not args.posts_only)

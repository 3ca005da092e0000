"""Time opensite's builds of a real site: N synthetic posts and five years of metrics (bench/make_metrics.py).

Phases: cold (-j 1 and the default workers), no-op, one post edited. `--posts-only` leaves the metrics out.

Each build runs in a fresh Python process (`python -m generator build`), so imports count, as they do for
a user; peak memory is that child's maximum resident set (bench/measure.py). Figures are medians of
`--repeat` runs, and every line carries the load average it was measured at. `--profile` then builds once
more per phase in a child that prints the build's own stage timings (bench/profile_build.py).
Usage: python bench/bench_build.py [N ...] [--repeat R] [--profile]      (default: 250 1000 5000, R = 3)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import make_corpus
from make_metrics import write_metrics
from measure import Run, load_average, run_measured

EPOCH = "1767225600"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
PROFILE = Path(__file__).parent / "profile_build.py"


def run(site: Path, *extra: str) -> Run:
    """Return one `opensite build` in a child process, measured."""
    done = run_measured([sys.executable, "-m", "generator", "build", "-q", "-s", str(site), *extra], env=ENV)
    if done.returncode:
        raise SystemExit(done.stderr)
    return done


def clean(site: Path) -> None:
    for name in ("output", ".opensite-cache"):
        shutil.rmtree(site / name, ignore_errors=True)


def edit(site: Path, round_: int) -> None:
    posts = sorted((site / "content/posts").glob("*.md"))
    with posts[len(posts) // 2].open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdited in round {round_}.\n")


def bench(count: int, repeat: int, metrics: bool = True, profile: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = make_corpus(count, Path(tmp) / "site")
        if metrics:
            write_metrics(site)
        phases: dict[str, list[Run]] = {"cold -j 1": [], "cold": [], "no-op": [], "edit": []}
        for round_ in range(repeat):
            clean(site)
            phases["cold -j 1"].append(run(site, "-j", "1"))
            clean(site)
            phases["cold"].append(run(site))
            phases["no-op"].append(run(site))
            edit(site, round_)
            phases["edit"].append(run(site))
        pages = sum(1 for _ in (site / "output").rglob("*.html"))
        what = "posts + 60 months" if metrics else "posts only"
        print(f"N={count:,} ({what}, {pages:,} HTML pages, {os.cpu_count()} cores), medians of {repeat}, "
              f"{load_average()}")
        for name, runs in phases.items():
            print(f"  {name:10} {statistics.median(r.seconds for r in runs):6.2f} s   "
                  f"peak {statistics.median(r.peak_mib for r in runs):5.0f} MiB")
        if profile:
            print_profile(site, count)


def print_profile(site: Path, count: int) -> None:
    """Print the stage timings of a cold build (one process, then the default workers) and of one edit."""
    rows = {}
    for name, extra in (("cold -j 1", ["--cold", "-j", "1"]), ("cold", ["--cold"]), ("edit", [])):
        if name == "edit":
            edit(site, 99)
        done = run_measured([sys.executable, str(PROFILE), str(site), *extra], env=ENV)
        if done.returncode:
            raise SystemExit(done.stderr)
        rows[name] = json.loads(done.stdout.splitlines()[0])
    stages = list(dict.fromkeys(stage for row in rows.values() for stage in row))
    print(f"  stage profile, N={count:,} (seconds; render includes writing), {load_average()}")
    print("  " + f"{'':10}" + "".join(f"{stage:>9}" for stage in stages))
    for name, row in rows.items():
        print("  " + f"{name:10}" + "".join(f"{row.get(stage, 0):9.2f}" for stage in stages))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[250, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--posts-only", action="store_true", help="leave the metrics out (the old benchmark)")
    parser.add_argument("--profile", action="store_true", help="print each phase's stage timings")
    args = parser.parse_args()
    for n in args.sizes:
        bench(n, args.repeat, metrics=not args.posts_only, profile=args.profile)

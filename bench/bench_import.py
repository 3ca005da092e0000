"""Bench `opensite import stripe` on a generated export of 100,000 subscriptions.

Run: python bench/bench_import.py [--subscriptions 100000] [--runs 3]
The export (Stripe-shaped, from bench/make_imports.py: trials, annual plans, quantities, upgrades,
cancellations, euros) is written to a temporary folder with a minimal site; each run imports it
in a fresh process (read, compute, render, compare with metrics/, write) and reports wall time
and the process's peak memory (max RSS). Target on the 2-core build machine: < 5 s, < 200 MiB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_imports import render_stripe_export  # noqa: E402

SITE = "title: Bench\nbase_url: https://bench.example/\ntimezone: Asia/Shanghai\nmetrics:\n  fx: {EUR: 1.08}\n"
RUN = ("import resource, sys, time; from generator.cli import main; start = time.perf_counter()\n"
       "try:\n    main(sys.argv[1:])\nexcept SystemExit as done:\n    code = done.code\n"
       "print(f'IMPORT {time.perf_counter() - start:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}',"
       " file=sys.stderr); sys.exit(code)")


def _run(site: Path, export: Path) -> tuple[float, float, float]:
    """Import once in a fresh process; return (wall seconds, seconds inside the command, peak MiB)."""
    for name in ("mrr.csv", "churn.csv"):
        (site / "metrics" / name).unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, "import", "stripe", str(export), "-s", str(site)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    wall = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"import failed:\n{done.stdout}\n{done.stderr}")
    line = next(line for line in done.stderr.splitlines() if line.startswith("IMPORT "))
    _, inside, rss_kib = line.split()
    return wall, float(inside), int(rss_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opensite-bench-import-") as name:
        folder = Path(name)
        export = folder / "subscriptions.csv"
        export.write_text(render_stripe_export(args.subscriptions, seed=3), encoding="utf-8")
        site = folder / "site"
        (site / "metrics").mkdir(parents=True)
        (site / "site.yaml").write_text(SITE, encoding="utf-8")
        results = [_run(site, export) for _ in range(args.runs)]
        rows = len((site / "metrics" / "mrr.csv").read_text().splitlines()) - 1
        size = export.stat().st_size / 2**20
    wall = statistics.median(r[0] for r in results)
    inside = statistics.median(r[1] for r in results)
    peak = max(r[2] for r in results)
    print(f"import bench: {args.subscriptions:,} subscriptions ({size:.1f} MiB export) -> {rows} months, "
          f"fresh process per run, median of {args.runs}")
    print(f"  wall {wall:.2f} s (command {inside:.2f} s, the rest is Python start-up and imports)   "
          f"peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()

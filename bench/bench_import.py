"""Bench `opensite import` on generated exports of 100,000 subscriptions: every source, and three merged.

Run: python bench/bench_import.py [--subscriptions 100000] [--runs 3] [--only stripe,paddle]
Each export is generated deterministically (bench/make_imports.py: trials, annual plans, seats, upgrades,
pauses, cancellations, euros) into a temporary folder with a minimal site; each run imports it in a fresh
process (read, compute, render, compare with metrics/, write) and reports wall time and the process's peak
memory (max RSS). Target on the 2-core build machine: < 5 s and < 250 MiB for each source and for the merge.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_imports import random_histories, render_stripe_export  # noqa: E402  (puts tests/ on the path)

import histories  # noqa: E402  (tests/histories.py: each vendor's exports of one history)

SITE = "title: Bench\nbase_url: https://bench.example/\ntimezone: Asia/Shanghai\nmetrics:\n  fx: {EUR: 1.08}\n"
RUN = ("import resource, sys, time; from generator.cli import main; start = time.perf_counter()\n"
       "try:\n    main(sys.argv[1:])\nexcept SystemExit as done:\n    code = done.code\n"
       "print(f'IMPORT {time.perf_counter() - start:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}',"
       " file=sys.stderr); sys.exit(code)")
MAPPED = ("imports:\n  - source: mapped\n    file: {file}\n    map: {{date: date, customer: customer, amount: amount, "
          "interval: interval, currency: currency}}\n    each_row: change\n")


def _exports(count: int) -> dict[str, Callable[[list], dict[str, str]]]:
    """Return, per bench case, how to write its files from the histories (file name to text)."""
    return {
        "stripe": lambda subs: {"subscriptions.csv": render_stripe_export(count, seed=3)},
        "paddle": lambda subs: {"paddle.csv": histories.paddle_subscriptions(subs)},
        "lemonsqueezy": lambda subs: {"lemonsqueezy.csv": histories.lemonsqueezy_subscriptions(subs)},
        "chargebee": lambda subs: {"chargebee.csv": histories.chargebee_subscriptions(subs)},
        "events": lambda subs: {"events.csv": histories.events_log(subs)},
        "mapped": lambda subs: {"mapped.csv": histories.events_log(subs)},
        "paddle+transactions (1/5)": lambda subs: {"paddle.csv": histories.paddle_subscriptions(subs[:len(subs) // 5]),
                                                   "transactions.csv": histories.paddle_transactions(
                                                       subs[:len(subs) // 5])},
        "three merged": lambda subs: {"paddle.csv": histories.paddle_subscriptions(subs[0::3]),
                                      "chargebee.csv": histories.chargebee_subscriptions(subs[1::3]),
                                      "mapped.csv": histories.events_log(subs[2::3])},
    }


def _config(case: str, files: list[str]) -> tuple[str, list[str]]:
    """Return the site.yaml and the command's arguments for a case."""
    if case == "mapped":
        return SITE + MAPPED.format(file=files[0]), []
    if case == "three merged":
        entries = (f"  - {{source: paddle, file: {files[0]}}}\n  - {{source: chargebee, file: {files[1]}}}\n" +
                   MAPPED.split("imports:\n")[1].format(file=files[2]))
        return SITE + "imports:\n" + entries, []
    return SITE, [case.split("+")[0].split(" ")[0], *files]


def _order(path: str) -> int:
    """Keep the command's file order: subscriptions first, then history; the merge's paddle, chargebee, mapped."""
    names = ("subscriptions", "paddle", "lemonsqueezy", "chargebee", "events", "mapped", "transactions")
    return next((i for i, name in enumerate(names) if Path(path).stem == name), len(names))


def _run(site: Path, args: list[str]) -> tuple[float, float, float]:
    """Import once in a fresh process; return (wall seconds, seconds inside the command, peak MiB)."""
    for name in ("mrr.csv", "churn.csv", "cohorts.csv"):
        (site / "metrics" / name).unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, "import", *args, "-s", str(site)], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[1])
    wall = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"import failed:\n{done.stdout}\n{done.stderr}")
    line = next(line for line in done.stderr.splitlines() if line.startswith("IMPORT "))
    _, inside, rss_kib = line.split()
    return wall, float(inside), int(rss_kib) / 1024


def _write(case: str, folder: Path, count: int) -> None:
    """Write a case's exports into `folder` (run in a child process: the peak memory measured by the import's
    process starts from its parent's at fork, so the parent never holds the histories)."""
    for file, text in _exports(count)[case](random_histories(count, seed=3)).items():
        (folder / file).write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated cases (default: all)")
    parser.add_argument("--write", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        _write(args.write[0], Path(args.write[1]), args.subscriptions)
        return
    cases = _exports(args.subscriptions)
    chosen = [c for c in cases if not args.only or c.split(" ")[0].split("+")[0] in args.only.split(",")]
    print(f"import bench: {args.subscriptions:,} subscriptions per case, fresh process per run, median of {args.runs}")
    for case in chosen:
        with tempfile.TemporaryDirectory(prefix="opensite-bench-import-") as name:
            folder = Path(name)
            site = folder / "site"
            (site / "metrics").mkdir(parents=True)
            subprocess.run([sys.executable, __file__, "--subscriptions", str(args.subscriptions), "--write", case,
                            str(folder)], check=True)
            written = sorted((str(p) for p in folder.glob("*.csv")), key=_order)
            config, command = _config(case, written)
            (site / "site.yaml").write_text(config, encoding="utf-8")
            size = sum(Path(path).stat().st_size for path in written) / 2**20
            results = [_run(site, command) for _ in range(args.runs)]
            months = len((site / "metrics" / "mrr.csv").read_text().splitlines()) - 1
        wall = statistics.median(r[0] for r in results)
        inside = statistics.median(r[1] for r in results)
        peak = max(r[2] for r in results)
        print(f"  {case:<26} {size:6.1f} MiB in   {months:3d} months   wall {wall:5.2f} s (command {inside:5.2f} s)"
              f"   peak {peak:4.0f} MiB")


if __name__ == "__main__":
    main()

"""Build a site once in this process and print where the time went: per stage, and optionally per function.

Usage: python bench/profile_build.py SITE [-j N] [--cold] [--top K] [--memory | --rss]

Prints one JSON line `{"stage": seconds, ...}` (the build's own stage timings: config, content, metrics,
model, charts, render — render includes writing, which it streams into). `--top K` also prints cProfile's
K functions with the most cumulative time (of this process only: work sent to the worker pool shows as
waiting). `--memory` prints instead the peak of Python's allocations in each stage (tracemalloc, this process;
about three times slower; the last stage includes saving the caches). `--rss` prints the process's peak resident
memory as each stage ends (the operating system's high-water mark: the stage where it rises holds the peak, issue
24), and the workers' peak, at full speed. `--cold` removes the output and the
build cache first. `generator` is imported as installed (or from PYTHONPATH, to profile another checkout).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from generator.build import build_site, build_time_from_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=None)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--rss", action="store_true")
    args = parser.parse_args()
    if args.cold:
        for name in ("output", ".opensite-cache"):
            shutil.rmtree(args.site / name, ignore_errors=True)
    profile = cProfile.Profile() if args.top else None
    peaks: dict[str, float] = {}
    progress = _memory_progress(peaks) if args.memory else _rss_progress(peaks) if args.rss else None
    if profile:
        profile.enable()
    result = build_site(args.site, now=build_time_from_env(), jobs=args.jobs, progress=progress)
    if profile:
        profile.disable()
    if progress:
        progress("")
        if args.rss:
            peaks["workers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({f"{stage} MiB": round(peak, 1) for stage, peak in peaks.items()}))
    else:
        print(json.dumps({stage: round(seconds, 3) for stage, seconds in result.timings.items()}))
    if profile:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(args.top)
        print(text.getvalue())


def _memory_progress(peaks: dict[str, float]) -> Callable[[str], None]:
    """Return a progress callback that records the traced peak of the stage that just ended."""
    tracemalloc.start()
    current = [""]

    def progress(stage: str) -> None:
        if current[0]:
            peaks[current[0]] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        current[0] = stage

    return progress


def _rss_progress(peaks: dict[str, float]) -> Callable[[str], None]:
    """Return a progress callback that records this process's peak resident memory (MiB) as each stage ends."""
    current = [""]

    def progress(stage: str) -> None:
        if current[0]:
            peaks[current[0]] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        current[0] = stage

    return progress


if __name__ == "__main__":
    main()

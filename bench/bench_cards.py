"""Bench the share cards (og:image): every card of the demo and of examples/zh, drawn with Pillow.

Run: python bench/bench_cards.py [--repeat 3]
Each site is assembled once (no charts drawn); then, in this fresh process, the fonts are found for every
card (the first time a font file is read is part of it), and every card is drawn, without any cache, a
few times over. Prints the time per card (median and slowest) and what a cold build spends on the cards:
finding fonts plus drawing each card once. The issue's budget (19): at most 20 ms a card, and under a
second for the demo's cards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SITES = {"demo": (REPO, datetime(2026, 11, 23, tzinfo=timezone.utc)),
         "examples/zh": (REPO / "examples" / "zh", datetime(2026, 1, 1, tzinfo=timezone.utc))}


def _previews(root: Path, when: datetime):
    from generator.build import _load_sources, _Options
    from generator.config import load_config
    from generator.metrics import publish_metrics
    from generator.model import assemble_site
    from generator.pages import OgImagePage

    config = load_config(root)
    options = _Options(False, None, when, False, 1)
    content, metrics, annotations, record = _load_sources(config, when, options, {}, None)
    site = assemble_site(config, content, build_time=when, metrics=publish_metrics(metrics, config),
                         annotations=annotations, record=record)
    return site.config, [page.preview for page in site.renders if isinstance(page, OgImagePage)]


def bench(name: str, root: Path, when: datetime, repeat: int) -> None:
    from generator.charts.cards import card_text, draw_card
    from generator.charts.fonts import FontFinder

    config, previews = _previews(root, when)
    cpu = time.process_time()
    start = time.perf_counter()
    finders: dict[str, FontFinder] = {}
    fonts = {p.path: finders.setdefault(p.language, FontFinder(config.share_images.font, language=p.language))
             .fonts_for(card_text(p)) for p in previews}
    finding = time.perf_counter() - start
    times: list[float] = []
    for run in range(repeat):
        for preview in previews:
            began = time.perf_counter()
            draw_card(preview, fonts[preview.path])
            times.append(time.perf_counter() - began)
        if run == 0:
            first = sum(times)
            first_cpu = time.process_time() - cpu
    faces = sorted({f.regular.name for f in fonts.values()})
    print(f"{name:12} {len(previews):4} cards   fonts found in {finding * 1000:6.0f} ms ({', '.join(faces)})")
    print(f"{'':12} per card: median {statistics.median(times) * 1000:5.1f} ms, slowest "
          f"{max(times) * 1000:5.1f} ms ({len(times)} draws)")
    print(f"{'':12} a cold build spends {(finding + first) * 1000:6.0f} ms on its cards "
          f"(finding fonts + drawing each once; {first_cpu * 1000:.0f} ms of CPU time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"share cards bench (Pillow; load average {os.getloadavg()[0]:.2f})")
    for name, (root, when) in SITES.items():
        bench(name, root, when, args.repeat)


if __name__ == "__main__":
    main()

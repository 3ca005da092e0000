"""Time and peak memory of each bounded input class (issue #11, §2): each must fail fast with a clear message.

Then output size and build time for 200 and 2,000 cost categories: both must grow linearly (each
category's page once showed every category's chart and table: 2,000 categories made 1.8 GB).

Run: python bench/bench_bounds.py   (each case in a fresh site under a temporary folder)

Measured on the 2-core development machine (issue 22's cases; times include tracemalloc's overhead):

    100 KB site title, with metrics             0.06s     2.7 MiB  'title' has 99,999 characters (the limit is 300)
    1 MB post title                             0.43s     8.2 MiB  'title' has 1,000,000 characters (the limit is 300)
    1 MB first heading as title                 0.26s     3.9 MiB  the heading used as the title has 999,999 …
    400-digit number in a formula               0.00s     0.0 MiB  … a number of 400 digits (the limit is 30)
    400-digit number in mrr.csv                 0.01s     0.0 MiB  … a number of 401 digits (the limit is 30)

    share image heading                          time   (before the bound: 10 KB took ~1.3 s per image, 16
    160                                         0.14s    images per site; a 2,500-character title 9.3 s, a
    10,000                                      0.20s    5,000-character one 22 s: Agg rasterises the whole
    100,000                                     0.26s    string, so the cost grew faster than the text)
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.build import build_site, check_site  # noqa: E402
from generator.errors import GeneratorError  # noqa: E402

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
POST = "---\ntitle: Big\ndate: 2024-01-02\n---\n"


def _bomb(levels: int = 9) -> str:
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


CASES: dict[str, dict[str, str]] = {
    "YAML alias bomb in site.yaml (9^9 values)": {"site.yaml": "title: T\nextra:\n" + _bomb()},
    "YAML alias bomb in front matter": {"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nx:\n" + _bomb()
                                       + "---\nText.\n"},
    "10,000-column costs.csv": {"metrics/mrr.csv": "month,mrr\n2024-01,1\n",
                                "metrics/costs.csv": "month," + ",".join(f"c{n}" for n in range(10_000)) + "\n"
                                + "2024-01," + ",".join("1" for _ in range(10_000)) + "\n"},
    "5 MB line of unclosed emphasis": {"content/posts/a.md": POST + "*a" * 2_500_000},
    "5 MB line of unclosed link openers": {"content/posts/a.md": POST + "[a" * 2_500_000},
    "5,000 unclosed link openers (10 kB)": {"content/posts/a.md": POST + "[a" * 5_000},
    "10,000-deep nested list": {"content/posts/a.md": POST + "- " * 10_000 + "x\n"},
    "10,000-deep block quote": {"content/posts/a.md": POST + "> " * 10_000 + "x\n"},
    "template that includes itself": {"content/posts/a.md": POST + "Text.\n",
                                      "templates/post.html": "{% include 'post.html' %}"},
    "template that extends itself": {"content/posts/a.md": POST + "Text.\n",
                                     "templates/post.html": "{% extends 'post.html' %}"},
    # issue 22: a 100 KB site title took 7.5 minutes (every share image drew all of it); a 1 MB title crashed
    "100 KB site title, with metrics": {"site.yaml": "title: " + "word " * 20_000 + "\nmetrics: {}\n",
                                        "metrics/mrr.csv": "month,mrr\n2024-01,1\n2024-02,2\n"},
    "1 MB post title": {"content/posts/a.md": "---\ntitle: " + "A" * 1_000_000 + "\ndate: 2024-01-01\n---\nx\n"},
    "1 MB first heading as title": {"content/posts/2024-01-01-a.md": "# " + "A " * 500_000 + "\n\nx\n"},
    "400-digit number in a formula": {"site.yaml": "title: T\nmetrics:\n  custom:\n    big: {formula: 'mrr * "
                                      + "9" * 400 + "', unit: count}\n", "metrics/mrr.csv": "month,mrr\n2024-01,1\n"},
    "400-digit number in mrr.csv": {"metrics/mrr.csv": "month,mrr\n2024-01,1" + "0" * 400 + "\n2024-02,5\n"},
}


def _site(folder: Path, files: dict[str, str]) -> Path:
    (folder / "site.yaml").write_text("title: T\n", encoding="utf-8")  # a case may replace it
    for relpath, text in files.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _measure(run: Callable[[], object]) -> tuple[float, float, str]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        run()
        outcome = "built (no error)"
    except GeneratorError as error:
        outcome = error.diagnostics[0].format()
    except RecursionError:
        outcome = "RecursionError (not handled)"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, outcome


def _costs(categories: int) -> dict[str, str]:
    """Return the metrics files of a year with `categories` cost categories."""
    rows = "".join(f"2024-{m:02d},Category {c},{c + m}\n" for m in range(1, 13) for c in range(categories))
    return {"metrics/mrr.csv": "month,mrr\n" + "".join(f"2024-{m:02d},{1000 * m}\n" for m in range(1, 13)),
            "metrics/costs.csv": "month,category,amount\n" + rows}


def bench_cost_categories() -> None:
    """Print output size and build time for 200 and 2,000 cost categories, and per category."""
    print(f"\n{'cost categories':40} {'time':>8} {'output':>9}  per category")
    for categories in (200, 2_000):
        with tempfile.TemporaryDirectory() as folder:
            root = _site(Path(folder), _costs(categories))
            start = time.perf_counter()
            build_site(root, now=NOW, use_cache=False)
            seconds = time.perf_counter() - start
            size = sum(p.stat().st_size for p in (root / "output").rglob("*") if p.is_file()) / 2**20
            print(f"{categories:<40,} {seconds:7.2f}s {size:6.1f} MiB  {size * 1024 / categories:.1f} KiB, "
                  f"{seconds * 1000 / categories:.1f} ms")


def bench_share_image_text() -> None:
    """Print the time to draw one share image whose heading is 160 characters, 10 KB and 100 KB long.

    Only the first 160 characters reach matplotlib (generator.charts.previews.VISIBLE_MAX_CHARS): before
    that bound, 10 KB took about 1.4 s per image and grew faster than the text.
    """
    from generator.charts.previews import draw_preview
    from generator.dashboard.previews import Preview

    print(f"\n{'share image heading':40} {'time':>8}")
    for size in (160, 10_000, 100_000):
        preview = Preview("og/x.png", "x/", "Site", "H" * size, "$1,000", "MRR · March 2024", (1.0, 2.0, 3.0))
        start = time.perf_counter()
        draw_preview(preview)
        print(f"{size:<40,} {time.perf_counter() - start:7.2f}s")


def main() -> None:
    print(f"{'case':40} {'time':>8} {'peak':>9}  message")
    for name, files in CASES.items():
        with tempfile.TemporaryDirectory() as folder:
            root = _site(Path(folder), files)
            seconds, peak, outcome = _measure(lambda: check_site(root, now=NOW, use_cache=False))
            where = outcome.split(": ", 1)[-1] if outcome.startswith("/") else outcome
            print(f"{name:40} {seconds:7.2f}s {peak:7.1f} MiB  {where[:110]}")
    bench_cost_categories()
    bench_share_image_text()


if __name__ == "__main__":
    main()

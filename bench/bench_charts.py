"""Bench the charts stage: a site with 60 months of metrics, every chart, cold (empty cache) and warm.

Run: python bench/bench_charts.py [--months 60] [--categories 6]
Each build runs in a fresh Python process, as a user's would, so matplotlib's import counts when
it happens. The cold build starts from an empty chart cache; the warm build is the same site
again, which must draw nothing and never import matplotlib. Also prints the weight of the
dashboard pages (HTML + CSS + SVG), which the page budget caps at 150 KB.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_metrics import write_inputs  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

_BUILD = """
import json, sys, time
from datetime import datetime, timezone
start = time.perf_counter()
from generator import build_site
imported = time.perf_counter() - start
result = build_site(sys.argv[1], sys.argv[2], now=datetime.fromisoformat(sys.argv[3]))
print(json.dumps({"total": time.perf_counter() - start, "import": imported, "timings": dict(result.timings),
                  "charts": result.chart_count, "drawn": result.charts_drawn,
                  "matplotlib": "matplotlib" in sys.modules}))
"""


def make_site(root: Path, months: int, categories: int) -> str:
    """Write site.yaml, a post with chart references, and the metrics; return the build time (ISO)."""
    (root / "metrics").mkdir(parents=True)
    write_inputs(root / "metrics", months, categories)
    last_year, last_month = 2016 + (months - 1) // 12, (months - 1) % 12 + 1
    (root / "site.yaml").write_text("title: Bench Co\nbase_url: https://bench.example/\ntimezone: UTC\n"
                                    "metrics:\n  publish:\n    cash: {disclosure: rounded, round_to: 10000}\n")
    (root / "metrics/annotations.csv").write_text("month,text\n2016-06,Launch\n2018-01,New prices\n")
    post = root / "content/posts/report.md"
    post.parent.mkdir(parents=True)
    post.write_text(textwrap.dedent(f"""\
        ---
        title: Report
        date: {last_year}-{last_month:02d}-02
        ---
        MRR was {{{{ metric mrr }}}}.

        {{{{ chart mrr_movements 12 }}}}

        {{{{ chart customers 24 }}}}
        """))
    return f"{last_year}-{last_month:02d}-15T00:00:00+00:00"  # the last month is the month in progress


def build(site: Path, output: Path, now: str) -> dict:
    completed = subprocess.run([sys.executable, "-c", _BUILD, str(site), str(output), now], cwd=REPO,
                               capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def page_weight(output: Path, page: str) -> tuple[int, int]:
    """Return (requests, bytes) of a page with its stylesheets and images."""
    html = (output / page).read_text()
    urls = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<img src="([^"]+)"', html)
    files = [output / page] + [output / url.split("?")[0].lstrip("/") for url in urls]
    return 1 + len(urls), sum(f.stat().st_size for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--categories", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        now = make_site(site, args.months, args.categories)
        cold = build(site, Path(tmp) / "cold", now)
        warm = build(site, Path(tmp) / "warm", now)
        print(f"charts bench: {args.months} months, {args.categories} cost categories, {cold['charts']} charts "
              f"(dashboard, metric pages, 2 in a post), fresh process per build")
        for name, run in (("cold", cold), ("warm", warm)):
            print(f"  {name}  build {run['total']:5.2f} s   charts stage {run['timings']['charts']:5.2f} s   "
                  f"drawn {run['drawn']:3d}   matplotlib imported: {'yes' if run['matplotlib'] else 'no'}")
        print(f"  per chart drawn (cold, incl. the matplotlib import): "
              f"{cold['timings']['charts'] / max(cold['drawn'], 1) * 1000:.0f} ms")
        for page in ("metrics/index.html", "metrics/all/index.html"):
            requests, size = page_weight(Path(tmp) / "cold", page)
            print(f"  {page:24s} {requests} requests, {size / 1024:6.1f} KB with CSS and SVGs")


if __name__ == "__main__":
    main()

"""Bench the metrics stage: load + compute 120 months × 30 cost categories, then publish and export.

Run: python bench/bench_metrics.py [--months 120] [--categories 30] [--runs 7]
Prints the median of several runs for each step; the data is generated into a temporary folder
(balanced MRR movements and customer counts, long-form costs), so the checks run as in a real site.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.config.metrics import MetricsConfig  # noqa: E402
from generator.config.site import SiteConfig  # noqa: E402
from generator.metrics import load_metrics, publish_metrics, render_metrics_csv, render_metrics_json  # noqa: E402


def _month(index: int) -> str:
    return f"{2016 + index // 12}-{index % 12 + 1:02d}"


def write_inputs(folder: Path, months: int, categories: int) -> None:
    """Write mrr.csv, churn.csv, costs.csv (long form) and cash.csv that pass every check."""
    mrr_lines, churn_lines = ["month,mrr,new,expansion,contraction,churned,reactivation"], \
        ["month,customers,new_customers,churned_customers,reactivated_customers"]
    mrr, customers = 0, 0
    for i in range(months):
        new, churned = 40 + i, customers // 30
        gained, lost = new * 50, churned * 45
        mrr, customers = mrr + gained + 120 - 30 - lost, customers + new - churned
        mrr_lines.append(f"{_month(i)},{mrr},{gained},120,30,{lost},0")
        churn_lines.append(f"{_month(i)},{customers},{new},{churned},0")
    costs_lines = ["month,category,amount"] + [f"{_month(i)},Category {c},\"{1000 + 7 * c + i:,}.25\""
                                               for i in range(months) for c in range(categories)]
    cash_lines = ["month,balance"] + [f"{_month(i)},{2_000_000 - 9000 * i}" for i in range(months)]
    for name, lines in (("mrr", mrr_lines), ("churn", churn_lines), ("costs", costs_lines), ("cash", cash_lines)):
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def median_seconds(step: Callable[[], object], runs: int) -> float:
    """Return the median wall time of `runs` calls (after one warm-up call)."""
    step()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--categories", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "metrics").mkdir()
        write_inputs(Path(root) / "metrics", args.months, args.categories)
        config = SiteConfig(root=Path(root), title="bench", metrics=MetricsConfig())
        data = load_metrics(config)
        published = publish_metrics(data, config)
        load = median_seconds(lambda: load_metrics(config), args.runs)
        publish = median_seconds(lambda: publish_metrics(data, config), args.runs)
        export = median_seconds(lambda: (render_metrics_json(published), render_metrics_csv(published)), args.runs)
    print(f"metrics bench: {args.months} months x {args.categories} cost categories, "
          f"{len(data.series)} series, median of {args.runs} runs")
    print(f"  load + compute   {load * 1000:8.1f} ms")
    print(f"  publish          {publish * 1000:8.1f} ms")
    print(f"  json + csv       {export * 1000:8.1f} ms")


if __name__ == "__main__":
    main()

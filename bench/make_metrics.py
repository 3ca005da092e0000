"""Write the metrics of a real open startup into a site: five years (60 months) of every input opensite reads.

The benchmarks build posts *and* these numbers, because a real site's cold build is its dashboard as much
as its posts: 60 month pages, 5 year pages, ~60 metric pages with downloads, badges, share images and
charts. Every identity holds (the MRR bridge, the customer identity), so the build runs its checks as
it would for a founder. Deterministic for a given seed.

Usage: python bench/make_metrics.py FOLDER [MONTHS]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CATEGORIES = ("Payroll", "Hosting", "Marketing", "Software", "Office", "Legal", "Travel", "Contractors")
METRICS_YAML = """
metrics:
  currency: USD
  cost_groups:
    acquisition: [Marketing]
    cost_of_revenue: [Hosting]
  publish:
    cash: {disclosure: rounded, round_to: 10000}
  custom:
    signups: {file: growth.csv, column: signups, unit: count, label: Sign-ups}
    trials: {file: growth.csv, column: trials, unit: count, label: Trials}
    trial_rate: {formula: trials / signups, unit: ratio, label: Trial rate}
    tickets: {file: support.csv, column: tickets, unit: tickets, label: Support tickets, higher_is_better: false}
    tickets_per_customer: {formula: tickets / customers, unit: tickets, label: Tickets per customer,
                           higher_is_better: false}
team:
  salaries: bands
"""


def months_from(start_year: int, count: int) -> list[str]:
    return [f"{start_year + (i // 12)}-{i % 12 + 1:02d}" for i in range(count)]


def write_metrics(root: Path, months: int = 60, seed: int = 11) -> Path:
    """Write metrics/*.csv for `months` months ending before 2026 and append the metrics section to site.yaml."""
    rng = random.Random(seed)
    folder = root / "metrics"
    folder.mkdir(parents=True, exist_ok=True)
    names = months_from(2026 - months // 12, months)
    mrr_rows, churn_rows, cost_rows, cash_rows, growth_rows, support_rows = [], [], [], [], [], []
    mrr, customers, cash = 0, 0, 900_000.0
    for index, month in enumerate(names):
        new = rng.randint(800, 2400) + 40 * index
        expansion, contraction = rng.randint(0, 60 * index + 50), rng.randint(0, 20 * index + 20)
        churned = min(mrr - contraction, rng.randint(0, 30 * index + 20)) if mrr > contraction else 0
        reactivation = rng.randint(0, 200) if index % 5 == 0 else 0
        mrr += new + expansion + reactivation - contraction - churned
        mrr_rows.append(f"{month},{mrr},{new},{expansion},{contraction},{churned},{reactivation}")
        joined, left, back = rng.randint(20, 60) + index, rng.randint(0, 10 + index // 3), index % 5 == 0
        left = min(left, customers)
        customers += joined - left + int(back)
        churn_rows.append(f"{month},{customers},{joined},{left},{int(back)}")
        spend = 0.0
        for category in CATEGORIES:
            amount = round(rng.uniform(200, 3000) * (8 if category == "Payroll" else 1), 2)
            spend += amount
            cost_rows.append(f"{month},{category},{amount:.2f}")
        cash = cash - spend + mrr
        cash_rows.append(f"{month},{cash:.2f}")
        signups = rng.randint(300, 900)
        growth_rows.append(f"{month},{signups},{rng.randint(50, signups // 3)}")
        support_rows.append(f"{month},{rng.randint(10, 200)}")
    files = {
        "mrr.csv": ["month,mrr,new,expansion,contraction,churned,reactivation", *mrr_rows],
        "churn.csv": ["month,customers,new_customers,churned_customers,reactivated_customers", *churn_rows],
        "costs.csv": ["month,category,amount", *cost_rows],
        "cash.csv": ["month,balance", *cash_rows],
        "growth.csv": ["month,signups,trials", *growth_rows],
        "support.csv": ["month,tickets", *support_rows],
        "team.csv": ["person,role,team,start,end,location,salary", *_team(names, rng)],
    }
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (root / "site.yaml").open("a", encoding="utf-8") as config:
        config.write(METRICS_YAML)
    return root


def _team(names: list[str], rng: random.Random) -> list[str]:
    roles = ("Engineering", "Support", "Design", "Marketing")
    rows = []
    for person in range(12):
        start = names[min(len(names) - 1, person * 4)]
        end = f"{names[min(len(names) - 1, person * 4 + 20)]}-28" if person % 4 == 3 else ""
        rows.append(f"Person {person},{roles[person % 4]},Team,{start}-01,{end},Berlin,{rng.randint(60, 140) * 1000}")
    return rows


if __name__ == "__main__":
    write_metrics(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 60)

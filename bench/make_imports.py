"""Generate fictional, deterministic exports for `opensite import`: Stripe subscriptions and a Chinese P&L.

    python bench/make_imports.py examples/imports          # the examples shipped in the repo
    python bench/make_imports.py /tmp/big --subscriptions 100000

The same seed gives the same bytes. Every customer, email and name is made up (example.com).
bench_import.py uses `render_stripe_export` for its 100,000-subscription export.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

HEADER = ("id,Customer ID,Customer Email,Customer Name,Plan,Product,Status,Quantity,Interval,Interval Count,Amount,"
          "Currency,Created (UTC),Start (UTC),Current Period Start (UTC),Current Period End (UTC),Trial Start (UTC),"
          "Trial End (UTC),Canceled At (UTC),Cancel At Period End,Ended At (UTC)")
PLANS = (("Starter", "month", 1, "19.00"), ("Team", "month", 1, "49.00"), ("Team annual", "year", 1, "490.00"),
         ("Business", "month", 1, "199.00"), ("Team quarterly", "month", 3, "135.00"))
NAMES = ("Ada", "Grace", "Linus", "Mei", "Sam", "Noor", "Ivan", "Lena", "Kofi", "Yuki", "Omar", "Sofia")
START = datetime(2023, 7, 3, 9, 0)
EXPORTED = datetime(2025, 1, 14, 10, 30)


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(rng: random.Random, number: int, customer: int, plan: tuple[str, str, int, str], start: datetime,
         end: datetime | None, *, currency: str = "usd", quantity: int = 1, trial_days: int = 0,
         status: str | None = None, scheduled: bool = False) -> str:
    name, interval, count, amount = plan
    trial_end = start + timedelta(days=trial_days) if trial_days else None
    if status is None:
        status = "canceled" if end else ("trialing" if trial_end and trial_end > EXPORTED else "active")
    canceled = end - timedelta(days=rng.randint(0, 20)) if end else (EXPORTED - timedelta(days=3) if scheduled else None)
    person = f"{NAMES[customer % len(NAMES)]} Example{customer}"
    if currency == "eur":
        amount = f"{int(float(amount) * 0.9)}.00"
    return ",".join([f"sub_{number:06d}", f"cus_{customer:06d}", f"customer{customer}@example.com", person, name,
                     "Tallybird", status, str(quantity), interval, str(count), amount, currency, _stamp(start),
                     _stamp(start), _stamp(start), _stamp(start + timedelta(days=30)),
                     _stamp(start if trial_days else None), _stamp(trial_end), _stamp(canceled),
                     "true" if scheduled else "false", _stamp(end)])


def render_stripe_export(subscriptions: int = 180, seed: int = 7, first: datetime = START,
                         last: datetime = EXPORTED) -> str:
    """Return a Stripe-shaped subscriptions export: trials, annual and monthly plans, quantities,
    upgrades, cancellations, reactivations, euros, incomplete payments, a scheduled cancellation."""
    rng = random.Random(seed)
    span = (last - first).total_seconds()
    rows: list[str] = []
    customer = 0
    while len(rows) < subscriptions:
        customer += 1
        start = first + timedelta(seconds=rng.random() * span * 0.97)
        plan = rng.choice(PLANS)
        kind = rng.random()
        currency = "eur" if rng.random() < 0.15 else "usd"
        quantity = rng.choice((1, 1, 1, 2, 3, 5)) if plan[0].startswith("Team") else 1
        trial = rng.choice((0, 0, 14, 30))
        end = start + timedelta(days=rng.randint(20, 420)) if kind < 0.35 else None
        end = end if end is None or end < last else None
        number = len(rows) + 1
        if kind < 0.04:
            rows.append(_row(rng, number, customer, plan, start, None, status="incomplete_expired"))
        elif kind < 0.14 and end is None:  # an up- or downgrade: the old subscription ends as the new one starts
            switch = start + timedelta(days=rng.randint(40, 200))
            if switch < last:
                old, plan = (PLANS[0], PLANS[rng.choice((1, 3))]) if kind < 0.10 else (PLANS[3], PLANS[1])
                rows.append(_row(rng, number, customer, old, start, switch, currency=currency))
                start, trial = switch, 0
                number += 1
            rows.append(_row(rng, number, customer, plan, start, None, currency=currency, quantity=quantity))
        elif kind < 0.18 and end is not None:  # a reactivation: back after a gap, on a new subscription
            rows.append(_row(rng, number, customer, plan, start, end, currency=currency, trial_days=trial))
            back = end + timedelta(days=rng.randint(35, 120))
            if back < last:
                rows.append(_row(rng, number + 1, customer, plan, back, None, currency=currency))
        else:
            rows.append(_row(rng, number, customer, plan, start, end, currency=currency, quantity=quantity,
                             trial_days=trial, scheduled=end is None and rng.random() < 0.03))
    return HEADER + "\n" + "\n".join(rows[:subscriptions]) + "\n"


PNL_CATEGORIES = (("服务器与云服务", 6200, 400), ("工资", 68000, 4000), ("房租", 12000, 0), ("软件订阅", 1800, 300),
                  ("市场推广", 9000, 3500), ("法律与财务", 2500, 1500))


def render_pnl_sheet(seed: int = 11) -> str:
    """Return a Chinese profit-and-loss sheet in CNY: categories down, 2024年1月…12月 across, an income row
    and a total row (both skipped by the import) and a total column."""
    rng = random.Random(seed)
    months = [f"2024年{m}月" for m in range(1, 13)]
    lines = ["科目," + ",".join(months) + ",合计", "营业收入," + ",".join(f'"{rng.randint(200, 400) * 1000:,}.00"'
                                                                   for _ in months) + ","]
    totals = [0] * 12
    for name, base, spread in PNL_CATEGORIES:
        amounts = [base + rng.randint(-spread, spread) for _ in months]
        totals = [t + a for t, a in zip(totals, amounts)]
        lines.append(name + "," + ",".join(f'"{a:,}.00"' for a in amounts) + f',"{sum(amounts):,}.00"')
    lines.append("合计," + ",".join(f'"{t:,}.00"' for t in totals) + f',"{sum(totals):,}.00"')
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--subscriptions", type=int, default=180)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    (args.folder / "stripe-subscriptions.csv").write_text(render_stripe_export(args.subscriptions), encoding="utf-8")
    (args.folder / "pnl-2024-zh.csv").write_text(render_pnl_sheet(), encoding="utf-8")


if __name__ == "__main__":
    main()

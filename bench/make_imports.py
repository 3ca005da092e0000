"""Generate fictional, deterministic exports for `opensite import`: every source's, and a Chinese P&L.

    python bench/make_imports.py examples/imports          # the examples shipped in the repo
    python bench/make_imports.py /tmp/big --subscriptions 100000

The same seed gives the same bytes. Every customer, email and name is made up (example.com).
bench_import.py uses `render_stripe_export` for its 100,000-subscription export.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

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


def random_histories(subscriptions: int, seed: int = 5) -> list:
    """Return made-up subscription histories (tests/histories.py's model): trials, seats, upgrades, annual plans,
    pauses, cancellations and two currencies, started over 2023-01 to 2024-11."""
    from histories import Price, Sub  # noqa: PLC0415 - the tests' model of a history, shared with the bench

    rng = random.Random(seed)
    first = datetime(2023, 1, 2, tzinfo=timezone.utc)
    subs = []
    for number in range(subscriptions):
        start = first + timedelta(minutes=rng.randrange(0, 690 * 24 * 60))
        trial = rng.choice((0, 0, 14))
        paid = start + timedelta(days=trial)
        unit, quantity = rng.choice((1900, 2900, 4900, 9900)), rng.choice((1, 1, 1, 2, 3, 5))
        prices = [Price(paid, unit, quantity)]
        if rng.random() < 0.15:
            prices.append(Price(paid + timedelta(days=rng.randint(40, 200), hours=5), unit * 2, quantity))
        end = paid + timedelta(days=rng.randint(20, 400)) if rng.random() < 0.3 else None
        pause = None
        if end is None and rng.random() < 0.05:
            at = paid + timedelta(days=31 * rng.randint(2, 5))
            pause = (at, at + timedelta(days=rng.randint(40, 90)) if rng.random() < 0.5 else None)
        subs.append(Sub(f"sub_{number:07d}", f"cus_{number // 2 + rng.randrange(2):07d}",
                        "EUR" if rng.random() < 0.15 else "USD", start, tuple(prices),
                        "year" if rng.random() < 0.1 else "month", trial, pause, end))
    return subs


def render_wechat_export(customers: int = 40, seed: int = 13) -> bytes:
    """Return a WeChat Pay-style payments export in GBK: a title line, Chinese headers, mixed date forms,
    ￥ amounts, refunds and closed orders, and a 合计 row (imported with `source: mapped` alone)."""
    rng = random.Random(seed)
    lines = ["微信支付交易明细（2024年1月1日—2024年12月31日）,,,,,", "交易单号,支付时间,用户标识,订单金额,交易状态,商品"]
    total = 0
    for customer in range(customers):
        month, day = rng.randint(1, 9), rng.randint(1, 27)
        price = rng.choice((99, 199, 399))
        for paid in range(month, min(12, month + rng.randint(1, 12)) + 1):
            status = "已退款" if rng.random() < 0.03 else "支付成功"
            form = rng.choice(("{y}-{m:02d}-{d:02d} 10:{mm:02d}:00", "{y}/{m}/{d}", "{y}年{m}月{d}日"))
            when = form.format(y=2024, m=paid, d=day, mm=rng.randint(0, 59))
            lines.append(f"42000{customer:03d}{paid:02d},{when},oX{customer:04d}wechat,\"￥{price:,}.00\",{status},"
                         "小账本 月度会员")
            total += price
    lines.append(f'合计,,,"￥{total:,}.00",,')
    return ("\n".join(lines) + "\n").encode("gbk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--subscriptions", type=int, default=180)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    (args.folder / "stripe-subscriptions.csv").write_text(render_stripe_export(args.subscriptions), encoding="utf-8")
    (args.folder / "pnl-2024-zh.csv").write_text(render_pnl_sheet(), encoding="utf-8")
    import histories  # noqa: PLC0415 - tests/histories.py renders each vendor's exports of one history

    subs = random_histories(args.subscriptions, seed=7)
    for name, render in (("paddle-subscriptions", histories.paddle_subscriptions),
                         ("paddle-transactions", histories.paddle_transactions),
                         ("lemonsqueezy-subscriptions", histories.lemonsqueezy_subscriptions),
                         ("lemonsqueezy-invoices", histories.lemonsqueezy_invoices),
                         ("chargebee-subscriptions", histories.chargebee_subscriptions),
                         ("chargebee-invoice-lines", histories.chargebee_line_items)):
        (args.folder / f"{name}.csv").write_text(render(subs), encoding="utf-8")
    (args.folder / "wechat-2024-gbk.csv").write_bytes(render_wechat_export())


if __name__ == "__main__":
    main()

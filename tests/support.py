"""Helpers shared by tests (import as `from support import ...`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path


def read_tree(root: Path) -> dict[str, bytes]:
    """Return every file under root as {relative path: bytes}."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


STRIPE_HEADER = ("id", "Customer ID", "Customer Email", "Plan", "Status", "Quantity", "Interval", "Interval Count",
                 "Amount", "Currency", "Created (UTC)", "Start (UTC)", "Trial Start (UTC)", "Trial End (UTC)",
                 "Canceled At (UTC)", "Ended At (UTC)")


def stripe_csv(rows: Sequence[Mapping[str, str]]) -> str:
    """Return a Stripe subscriptions export; each row gives the cells it needs, others take defaults."""
    lines = [",".join(STRIPE_HEADER)]
    for number, row in enumerate(rows, 1):
        cells = {"id": f"sub_{number}", "Customer ID": f"cus_{number}", "Customer Email": f"c{number}@example.com",
                 "Plan": "Team", "Status": "active", "Quantity": "1", "Interval": "month", "Interval Count": "1",
                 "Amount": "10.00", "Currency": "usd", **row}
        cells.setdefault("Created (UTC)", cells.get("Start (UTC)", ""))
        lines.append(",".join(cells.get(name, "") for name in STRIPE_HEADER))
    return "\n".join(lines) + "\n"


def numbers_config(*rules: str) -> str:
    """Return a site.yaml for a metrics site with `cash` hidden plus the given `metrics.publish` rule lines."""
    lines = ["title: Numbers Co", "base_url: https://numbers.example/", "timezone: UTC", "metrics:", "  publish:",
             "    cash: {disclosure: hidden}", *(f"    {rule}" for rule in rules)]
    return "\n".join(lines) + "\n"

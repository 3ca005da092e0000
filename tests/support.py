"""Helpers shared by tests (import as `from support import ...`)."""

from __future__ import annotations

from pathlib import Path


def read_tree(root: Path) -> dict[str, bytes]:
    """Return every file under root as {relative path: bytes}."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def numbers_config(*rules: str) -> str:
    """Return a site.yaml for a metrics site with `cash` hidden plus the given `metrics.publish` rule lines."""
    lines = ["title: Numbers Co", "base_url: https://numbers.example/", "timezone: UTC", "metrics:", "  publish:",
             "    cash: {disclosure: hidden}", *(f"    {rule}" for rule in rules)]
    return "\n".join(lines) + "\n"

"""The `metrics:` section of site.yaml.

Placeholder until the metrics engine lands: it keeps the section as read-only data so that a
site.yaml written for a newer opensite still loads.
"""

from __future__ import annotations

from typing import Any

from generator.config.schema import Section, freeze


def parse_metrics_section(section: Section) -> Any:
    """Return the `metrics:` mapping, frozen."""
    return freeze(dict(section.items()))

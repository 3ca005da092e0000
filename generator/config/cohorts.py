"""`metrics.cohorts` in site.yaml: how small a published cohort may be, and which age the retention card shows.

```yaml
metrics:
  cohorts: {min_customers: 5, card_age: 6}
```
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.config.schema import Section

MIN_CUSTOMERS = 5


@dataclass(frozen=True)
class CohortSettings:
    """How cohorts.csv is published (generator/metrics/cohorts.py)."""

    min_customers: int = MIN_CUSTOMERS
    """A cohort with fewer customers is merged with the next ones, so no single customer can be followed."""
    card_age: int = 6
    """The dashboard card shows retention after this many months, for the latest cohort that reached it."""


def read_cohort_settings(section: Section) -> CohortSettings:
    """Read the optional `cohorts: {min_customers, card_age}` mapping of the metrics section."""
    entry = section.child("cohorts", default_empty=False)
    if entry is None:
        return CohortSettings()
    settings = CohortSettings(
        entry.get("min_customers", int, MIN_CUSTOMERS, check=_at_least(3, "so that no customer can be singled out"),
                  hint="5 is the default; smaller cohorts are merged with the next ones"),
        entry.get("card_age", int, 6, check=_at_least(1, "a card after 0 months would always read 100%")))
    entry.finish()
    return settings


def _at_least(smallest: int, why: str):  # noqa: ANN202 - a check for Section.get
    return lambda value: None if smallest <= value <= 120 else f"must be between {smallest} and 120 ({why})"

"""Billing and accounting exports to the monthly files of metrics/ (issues #10 and #21).

Pipeline: a registered source (`sources.py`: stripe, paddle, lemonsqueezy, chargebee, events, mapped,
pnl) reads its export into frozen records (paid segments, or cost rows); several sources merge into
one log; `movements` computes month-end MRR and its movements customer by customer and `cohorts` the
retention cohorts; `tables` renders the files, `changes` compares them with metrics/ and `files` writes
them, all or none. `plan` runs the stages in that order; generator/cli/importing.py is the CLI face.
"""

from generator.importers.changes import render_changes
from generator.importers.plan import ImportPlan, apply_import, plan_import

__all__ = ["ImportPlan", "apply_import", "plan_import", "render_changes"]

"""Billing and accounting exports to the monthly files of metrics/ (issue #10).

Pipeline: a source (`stripe`, `events`, `pnl`) reads its export into frozen records (paid
segments or cost rows), `movements` computes month-end MRR and its movements customer by
customer, `tables` renders the files, `changes` compares them with metrics/ and `files` writes
them, all or none. `plan` runs the stages in that order; generator/cli/importing.py is the CLI face.
"""

from generator.importers.changes import render_changes
from generator.importers.plan import SOURCES, ImportPlan, apply_import, plan_import

__all__ = ["SOURCES", "ImportPlan", "apply_import", "plan_import", "render_changes"]

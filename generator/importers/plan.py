"""The order of an import: read the site and the export, compute the months, render, compare, write.

`plan_import` does everything but write, so `--dry-run` and the restatement check see exactly
the bytes a real import would write; `apply_import` writes them, all files or none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.config.metrics import MetricsConfig
from generator.config.site import SiteConfig, load_config
from generator.errors import Diagnostic, MetricsError
from generator.importers.changes import FileChanges, compare_file
from generator.importers.events import load_events_log
from generator.importers.files import write_metric_files
from generator.importers.movements import compute_months
from generator.importers.pnl import CostLedger, load_pnl_ledger
from generator.importers.records import ImportContext, SubscriptionLog
from generator.importers.stripe import load_stripe_log
from generator.importers.summary import describe_costs, describe_subscriptions
from generator.importers.tables import (
    render_churn_csv,
    render_costs_csv,
    render_mrr_csv,
)
from generator.metrics.loader import load_rates
from generator.metrics.read.csvfile import CsvTable, load_csv
from generator.metrics.read.money import Converter

SOURCES = ("stripe", "events", "pnl")
"""The exports `opensite import` reads; stripe and events write mrr.csv and churn.csv, pnl costs.csv."""


@dataclass(frozen=True)
class ImportPlan:
    """What an import would write and what that changes; nothing is on disk yet."""

    files: Mapping[Path, bytes]
    changes: tuple[FileChanges, ...]
    summary: tuple[str, ...]

    @property
    def refused(self) -> bool:
        """True when the import would restate a month already in metrics/ (needs --force)."""
        return any(file.refused for file in self.changes)


def plan_import(source: str, export: Path, site_dir: Path, *, until: date | None = None,
                encoding: str = "utf-8") -> ImportPlan:
    """Read the site and the export and return the plan; raise GeneratorError for any bad input."""
    config = load_config(site_dir)
    settings = config.metrics or MetricsConfig()
    folder = config.metrics_folder  # metrics/, or metrics_dir: a private checkout (issue 20)
    rates, problems = load_rates(settings, _existing(folder, "fx.csv"))
    if any(p.severity == "error" for p in problems):
        raise MetricsError(diagnostics=problems)
    ctx = ImportContext(settings.currency, rates, config.zone, settings.decimal_comma, encoding)
    if source == "pnl":
        return _plan_costs(export, ctx, settings, folder)
    log = (load_stripe_log if source == "stripe" else load_events_log)(export, ctx)
    return _plan_subscriptions(log, ctx, config, settings, folder, until)


def apply_import(plan: ImportPlan, *, force: bool) -> None:
    """Write the plan's files, all or none; refuse a restatement unless forced."""
    if plan.refused and not force:
        folder = next(iter(plan.files)).parent  # the folder the import writes into
        raise MetricsError(diagnostics=[_refusal(file, folder) for file in plan.changes if file.refused])
    write_metric_files(plan.files)


def _plan_subscriptions(log: SubscriptionLog, ctx: ImportContext, config: SiteConfig, settings: MetricsConfig,
                        folder: Path, until: date | None) -> ImportPlan:
    declared = settings.file_options("mrr").currency
    if declared and declared != ctx.currency:
        raise MetricsError(f"metrics.files.mrr.currency is {declared}, but an import writes mrr.csv in the site "
                           f"currency, {ctx.currency}", settings.source, None, None,
                           "remove 'currency' under metrics.files.mrr: the import converts every amount itself")
    months = compute_months(log, ctx.zone, until)
    files = {"mrr.csv": render_mrr_csv, "churn.csv": render_churn_csv}
    rendered = {name: render(months, settings.file_options(name[:-4]), _table(folder, name, settings))
                for name, render in files.items()}
    summary = describe_subscriptions(log, months, ctx.zone, config.timezone)
    return _plan(folder, rendered, settings, summary)


def _plan_costs(export: Path, ctx: ImportContext, settings: MetricsConfig, folder: Path) -> ImportPlan:
    ledger = load_pnl_ledger(export, ctx, settings.file_options("costs").currency or ctx.currency)
    _check_rates(ledger, ctx)
    data = render_costs_csv(ledger, settings.file_options("costs"), _table(folder, "costs.csv", settings))
    return _plan(folder, {"costs.csv": data}, settings, describe_costs(ledger))


def _check_rates(ledger: CostLedger, ctx: ImportContext) -> None:
    """A cost sheet in another currency needs a rate for each of its months, as the build will."""
    converter = Converter(ctx.rates, "costs")
    for row in ledger.rows:
        converter.to_site(row.amount, row.currency, row.month,
                          lambda message, hint: Diagnostic(message, ledger.path, None, None, hint))
    if converter.problems:
        raise MetricsError(diagnostics=converter.problems)


def _plan(folder: Path, rendered: Mapping[str, bytes], settings: MetricsConfig, summary: Sequence[str]) -> ImportPlan:
    changes = tuple(compare_file(name, _existing(folder, name), data, settings.file_options(name[:-4]),
                                 settings.decimal_comma) for name, data in rendered.items())
    files = {_existing(folder, name) or folder / name: data for name, data in rendered.items()}
    return ImportPlan(files, changes, tuple(summary))


def _existing(folder: Path, name: str) -> Path | None:
    """Return metrics/<name> when it exists, matched case-insensitively as the metrics loader does."""
    if not folder.is_dir():
        return None
    return next((path for path in sorted(folder.iterdir()) if path.name.lower() == name and path.is_file()), None)


def _table(folder: Path, name: str, settings: MetricsConfig) -> CsvTable | None:
    """Return the existing file's table (to keep the columns the import does not own), if it reads."""
    path = _existing(folder, name)
    if path is None:
        return None
    table, _ = load_csv(path, name[:-4], settings.file_options(name[:-4]))
    return table


def _refusal(file: FileChanges, folder: Path) -> Diagnostic:
    path = folder / file.name
    if file.unreadable:
        first = file.unreadable[0]
        return Diagnostic(f"the existing {file.name} cannot be read, so the import cannot tell what it would "
                          f"change: {first.message}", first.path or path, first.line, first.column,
                          "fix it, or rerun with --force to replace it")
    restated = sorted({change.month for change in file.restatements})
    months = ", ".join(f"{month:%Y-%m}" for month in restated[:6]) + (", …" if len(restated) > 6 else "")
    return Diagnostic(f"the import would restate {len(restated)} month{'s' if len(restated) != 1 else ''} "
                      f"already in {file.name} ({months}): old → new values are in the table above", path, None,
                      None, "a restatement is a decision: check the numbers, then rerun with --force")


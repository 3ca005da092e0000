"""The order of an import: read the site and every export, merge, compute the months once, render, compare, write.

`plan_import` does everything but write, so `--dry-run` and the restatement check see exactly
the bytes a real import would write; `apply_import` writes them, all files or none. One source
named on the command line, or every entry of site.yaml's `imports:`, goes through the same steps:
each is read by its registered reader (generator/importers/sources.py) with its customers numbered
in its own namespace (or a shared one, `customers:`), the subscription logs are merged into one,
and the movements and cohorts are computed once over all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from generator.config.imports import ImportEntry
from generator.config.metrics import MetricsConfig
from generator.config.site import SiteConfig, load_config
from generator.errors import ConfigError, Diagnostic, MetricsError
from generator.importers.changes import FileChanges, compare_file
from generator.importers.cohorts import CohortTotals, render_cohorts_csv
from generator.importers.files import check_targets, write_metric_files
from generator.importers.movements import compute_months
from generator.importers.pnl import CostLedger
from generator.importers.records import CustomerBook, ImportContext, SubscriptionLog
from generator.importers.sources import SourceRequest, get_source
from generator.importers.summary import describe_costs, describe_sources, describe_subscriptions
from generator.importers.tables import render_churn_csv, render_costs_csv, render_mrr_csv
from generator.metrics.loader import load_rates
from generator.metrics.read.csvfile import CsvTable, load_csv
from generator.metrics.read.money import Converter, merge_fx_uses


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


def plan_import(source: str | None, files: Sequence[Path], site_dir: Path, *, until: date | None = None,
                encoding: str | None = None, now: datetime | None = None) -> ImportPlan:
    """Read the site and the exports and return the plan; raise GeneratorError for any bad input.

    Args:
        source: a source name with `files` (the command line), or None for every entry of site.yaml's `imports:`.
        files: the export files of `source` (as typed: relative to the working folder).
        until: the last month to write; events after it are not read.
        encoding: the exports' text encoding, over each entry's own.
        now: the build time (SOURCE_DATE_EPOCH or now): dates far after its month are refused as typos.
    """
    config = load_config(site_dir)
    settings = config.metrics or MetricsConfig()
    folder = config.metrics_folder  # metrics/, or metrics_dir: a private checkout (issue 20)
    rates, problems = load_rates(settings, _existing(folder, "fx.csv"))
    if any(p.severity == "error" for p in problems):
        raise MetricsError(diagnostics=problems)
    ctx = ImportContext(settings.currency, rates, config.zone, settings.decimal_comma,
                        costs_currency=settings.file_options("costs").currency, until=until, now=now)
    book = CustomerBook()
    read = [_read(entry, index, ctx, book, folder, encoding) for index, entry in
            enumerate(_entries(config, source, files))]
    logs = [(name, result) for name, result in read if isinstance(result, SubscriptionLog)]
    ledgers = [result for _, result in read if isinstance(result, CostLedger)]
    rendered: dict[str, bytes] = {}
    summary: list[str] = []
    if logs:
        summary += _plan_subscriptions(logs, len(book), ctx, config, settings, folder, until, rendered)
    if ledgers:
        summary += _plan_costs(ledgers, ctx, settings, folder, rendered)
    return _plan(folder, rendered, settings, summary)



def apply_import(plan: ImportPlan, *, force: bool) -> None:
    """Write the plan's files, all or none; refuse a restatement unless forced."""
    if plan.refused and not force:
        folder = next(iter(plan.files)).parent  # the folder the import writes into
        raise MetricsError(diagnostics=[_refusal(file, folder) for file in plan.changes if file.refused])
    write_metric_files(plan.files)


def _entries(config: SiteConfig, source: str | None, files: Sequence[Path]) -> tuple[ImportEntry, ...]:
    """Return what to import: the source and files named on the command line, or site.yaml's `imports:`."""
    if source is None:
        if not config.imports:
            raise ConfigError("site.yaml lists no imports", config.config_path, None, None,
                              "name a source and its export, e.g. 'opensite import stripe subscriptions.csv', or "
                              "list them under 'imports:' in site.yaml")
        return config.imports
    if get_source(source).site_yaml_only:
        raise ConfigError(f"the {source} source reads its settings from site.yaml", None, None, None,
                          "list the export under 'imports:' with its 'map:', then run 'opensite import'")
    if not files:
        raise ConfigError(f"'opensite import {source}' needs the export file", None, None, None,
                          f"e.g. opensite import {source} ~/Downloads/export.csv")
    return (ImportEntry(source, tuple(str(path) for path in files)),)


def _read(entry: ImportEntry, index: int, ctx: ImportContext, book: CustomerBook, folder: Path,
          encoding: str | None) -> tuple[str, object]:
    """Read one entry with its registered reader; return (its name for the summary, what the reader returned)."""
    source = get_source(entry.source)
    if len(entry.files) > 1 and not source.many_files:
        raise ConfigError(f"{entry.source} reads one export, but {len(entry.files)} files are given", None,
                          entry.line, None, "give one file, or one entry per file")
    paths = tuple(_resolve(name, folder) if entry.line is not None else Path(name).expanduser()
                  for name in entry.files)
    request = SourceRequest(entry.source, paths, replace(ctx, encoding=encoding or entry.encoding), entry, book,
                            entry.customers or f"{index}:{entry.source}")
    return entry.source, source.read(request)


def _resolve(name: str, folder: Path) -> Path:
    """Return a site.yaml path: absolute as written, else relative to the metrics folder."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else folder / path


def merge_logs(logs: Sequence[SubscriptionLog], customers: int) -> SubscriptionLog:
    """Return several sources' logs as one: their segments (customers already numbered across them), their
    latest event, what they left out, and the rates they used."""
    if len(logs) == 1:
        return replace(logs[0], customers=customers)
    skipped: Counter[str] = Counter()
    for log in logs:
        skipped.update(log.skipped)
    fx = merge_fx_uses(*({(use.currency, use.month): use for use in log.fx} for log in logs))
    return SubscriptionLog(logs[0].path, tuple(s for log in logs for s in log.segments),
                           max(log.latest_event for log in logs), sum(log.rows for log in logs), customers, "row",
                           MappingProxyType(dict(sorted(skipped.items()))), fx,
                           names=", ".join(log.names or log.path.name for log in logs))


def _plan_subscriptions(logs: Sequence[tuple[str, SubscriptionLog]], customers: int, ctx: ImportContext,
                        config: SiteConfig, settings: MetricsConfig, folder: Path, until: date | None,
                        rendered: dict[str, bytes]) -> list[str]:
    declared = settings.file_options("mrr").currency
    if declared and declared != ctx.currency:
        raise MetricsError(f"metrics.files.mrr.currency is {declared}, but an import writes mrr.csv in the site "
                           f"currency, {ctx.currency}", settings.source, None, None,
                           "remove 'currency' under metrics.files.mrr: the import converts every amount itself")
    log = merge_logs([log for _, log in logs], customers)
    totals = CohortTotals()
    months = compute_months(log, ctx.zone, until, totals.add)
    cohorts = totals.cells(months.all_months)
    for name, render in (("mrr.csv", render_mrr_csv), ("churn.csv", render_churn_csv)):
        rendered[name] = render(months, settings.file_options(name[:-4]), _table(folder, name, settings))
    rendered["cohorts.csv"] = render_cohorts_csv(cohorts)
    lines = describe_sources(logs) if len(logs) > 1 else []
    return lines + describe_subscriptions(log, months, ctx.zone, config.timezone, cohorts, single=len(logs) == 1)


def _plan_costs(ledgers: Sequence[CostLedger], ctx: ImportContext, settings: MetricsConfig, folder: Path,
                rendered: dict[str, bytes]) -> list[str]:
    tags = Counter(ledger.tag for ledger in ledgers)
    if any(count > 1 for count in tags.values()):
        raise ConfigError(f"two P&L imports write the tag {next(t for t, c in tags.items() if c > 1)!r}", None, None,
                          None, "give each pnl entry its own 'tag:' in site.yaml's imports:")
    for ledger in ledgers:
        _check_rates(ledger, ctx)
    rendered["costs.csv"] = render_costs_csv(ledgers, settings.file_options("costs"),
                                             _table(folder, "costs.csv", settings))
    return [line for ledger in ledgers for line in describe_costs(ledger)]


def _check_rates(ledger: CostLedger, ctx: ImportContext) -> None:
    """A cost sheet in another currency needs a rate for each of its months, as the build will."""
    converter = Converter(ctx.rates, "costs")
    for row in ledger.rows:
        converter.to_site(row.amount, row.currency, row.month,
                          lambda message, hint: Diagnostic(message, ledger.path, None, None, hint))
    if converter.problems:
        raise MetricsError(diagnostics=converter.problems)


def _plan(folder: Path, rendered: Mapping[str, bytes], settings: MetricsConfig, summary: Sequence[str]) -> ImportPlan:
    check_targets(_existing(folder, name) or folder / name for name in rendered)  # before reading them too
    changes = tuple(compare_file(name, _existing(folder, name), data, settings.file_options(name[:-4]),
                                 settings.decimal_comma) for name, data in rendered.items() if name != "cohorts.csv")
    files = {_existing(folder, name) or folder / name: data for name, data in rendered.items()}
    return ImportPlan(files, changes, tuple(summary))


def _existing(folder: Path, name: str) -> Path | None:
    """Return metrics/<name> when it exists, matched case-insensitively as the metrics loader does."""
    if not folder.is_dir():
        return None
    return next((path for path in sorted(folder.iterdir()) if path.name.lower() == name and path.is_file()), None)


def _table(folder: Path, name: str, settings: MetricsConfig) -> CsvTable | None:
    """Return the existing file's table (to keep the columns and rows the import does not own), if it reads."""
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

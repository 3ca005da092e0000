"""`opensite import [SOURCE FILE...]`: arguments, messages and exit codes only (the work is in generator/importers).

Error handling and exit codes are the other commands' (`handle_errors`): a bad export exits 1
with `file:line: message (hint)` and nothing written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.build import build_time_from_env
from generator.cli.common import handle_errors, metrics_dir_option, month_option, shown_path, site_dir_option
from generator.config.imports import check_source_name
from generator.config.values import check_text_encoding
from generator.importers import apply_import, plan_import, render_changes
from generator.importers.sources import Writes, get_source

IMPORT_EXAMPLES = """
Examples:

\b
  opensite import                                                 every export under imports: in site.yaml
  opensite import stripe ~/Downloads/subscriptions.csv            mrr.csv, churn.csv, cohorts.csv
  opensite import stripe subscriptions.csv invoice-lines.csv      plan changes dated by the invoices
  opensite import paddle subscriptions.csv transactions.csv
  opensite import lemonsqueezy subscriptions.csv
  opensite import chargebee subscriptions.csv
  opensite import events billing-log.csv --until 2024-12
  opensite import pnl ~/Downloads/利润表.csv --encoding gb18030    costs.csv
  opensite import stripe subscriptions.csv --dry-run              show what would change
"""


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    problem = check_text_encoding(value)
    if problem:  # rot13 or base64 are codecs too, but no CSV is written in them (issue 22)
        raise click.BadParameter(f"{problem} (e.g. utf-8, gb18030, cp1252, utf-16)")
    return value


def _source(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check SOURCE against the configured names, suggesting the closest (a typo never reaches a reader)."""
    if value is not None and check_source_name(value):
        raise click.BadParameter(check_source_name(value) or "", param_hint="SOURCE")
    return value


@click.command("import", epilog=IMPORT_EXAMPLES)
@click.argument("source", required=False, callback=_source)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@site_dir_option
@metrics_dir_option
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Allow changing months already in metrics/ (a restatement).")
@click.option("--until", metavar="YYYY-MM", callback=month_option, help="Last month to write; later events are not "
              "read  [default: the month of the export's latest event]")
@click.option("--encoding", default=None, callback=_encoding,
              help="Text encoding of the exports, e.g. gb18030 for Excel in a Chinese locale  [default: utf-8, or "
              "each imports: entry's]")
@handle_errors
def import_command(source: str | None, files: tuple[Path, ...], site_dir: Path, dry_run: bool, force: bool,
                   until: date | None, encoding: str | None) -> None:
    """Turn billing and accounting exports into metrics/ files: aggregates only, never a customer.

    SOURCE is one of: stripe, paddle, lemonsqueezy, chargebee (a vendor's subscriptions export, plus its
    invoices or transactions when given), events (date, customer, mrr rows), pnl (categories in rows,
    months across: writes costs.csv). Without SOURCE, every export listed under imports: in site.yaml
    is read (a mapped export's column map lives there) and merged into one set of numbers. The files go
    where builds read them: metrics/, or metrics_dir (site.yaml, --metrics-dir, OPENSITE_METRICS_DIR).
    Changing a month already there is refused without --force.
    """
    if until is not None and source is not None and get_source(source).writes is Writes.COSTS:
        raise click.BadParameter(f"applies to subscription sources only, not {source}", param_hint="--until")
    plan = plan_import(source, files, site_dir, until=until, encoding=encoding, now=build_time_from_env())
    click.echo("\n".join(plan.summary))
    click.echo()
    click.echo(render_changes(plan.changes), nl=False)
    if dry_run:
        click.echo("Dry run: nothing was written." + (" A real import needs --force: it restates months "
                                                       "already in metrics/." if plan.refused else ""))
        return
    apply_import(plan, force=force)
    click.echo(f"Wrote {', '.join(_shown(path, site_dir) for path in plan.files)}.")


def _shown(path: Path, site_dir: Path) -> str:
    """Return a written file as the founder knows it: metrics/mrr.csv inside the site, the full path elsewhere."""
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return shown_path(path)

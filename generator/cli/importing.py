"""`opensite import SOURCE FILE`: arguments, messages and exit codes only (the work is in generator/importers).

Error handling and exit codes are the other commands' (`handle_errors`): a bad export exits 1
with `file:line: message (hint)` and nothing written.
"""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import click

from generator.cli.common import handle_errors, metrics_dir_option, month_option, shown_path, site_dir_option
from generator.importers import SOURCES, apply_import, plan_import, render_changes

IMPORT_EXAMPLES = """
Examples:

\b
  opensite import stripe ~/Downloads/subscriptions.csv            mrr.csv and churn.csv
  opensite import events billing-log.csv --until 2024-12
  opensite import pnl ~/Downloads/利润表.csv --encoding gb18030    costs.csv
  opensite import stripe subscriptions.csv --dry-run              show what would change
"""


def _encoding(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise click.BadParameter(f"{value!r} is not a known text encoding (e.g. utf-8, gb18030, cp1252, utf-16)") \
            from None
    return value


@click.command("import", epilog=IMPORT_EXAMPLES)
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@site_dir_option
@metrics_dir_option
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Allow changing months already in metrics/ (a restatement).")
@click.option("--until", metavar="YYYY-MM", callback=month_option, help="Last month to write  [default: the month of "
              "the export's latest event]")
@click.option("--encoding", default="utf-8", show_default=True, callback=_encoding,
              help="Text encoding of FILE, e.g. gb18030 for Excel in a Chinese locale.")
@handle_errors
def import_command(source: str, file: Path, site_dir: Path, dry_run: bool, force: bool, until: date | None,
                   encoding: str) -> None:
    """Turn a billing or accounting export into metrics/ files: aggregates only, never a customer.

    SOURCE is stripe (Stripe's Subscriptions export) or events (date, customer, mrr rows): both
    write mrr.csv and churn.csv; pnl (categories in rows, months across) writes costs.csv. The files go where
    builds read them: metrics/, or metrics_dir (site.yaml, --metrics-dir, OPENSITE_METRICS_DIR).
    Changing a month already there is refused without --force.
    """
    if until is not None and source == "pnl":
        raise click.BadParameter("applies to stripe and events exports only", param_hint="--until")
    plan = plan_import(source, file, site_dir, until=until, encoding=encoding)
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

"""`opensite metrics`: print the published numbers, the ones the site shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.build import build_time_from_env
from generator.cli.common import echo_diagnostics, handle_errors, metrics_dir_option, month_option, site_dir_option
from generator.metrics import FORMATS as METRIC_FORMATS
from generator.metrics import render_metrics_table
from generator.metrics.site_data import load_open_data

METRICS_EXAMPLES = """
Examples:

\b
  opensite metrics                       the latest month, as a table
  opensite metrics --month 2024-03       one month
  opensite metrics --format csv > m.csv  every month, as the site's data/metrics.csv

Months after the build month (SOURCE_DATE_EPOCH, or now) are left out, and the month in progress is
flagged as an estimate, as in the site's downloads.
"""


@click.command("metrics", epilog=METRICS_EXAMPLES)
@site_dir_option
@metrics_dir_option
@click.option("--month", metavar="YYYY-MM", callback=month_option, help="One month  [default: the latest]")
@click.option("--format", "output_format", type=click.Choice(METRIC_FORMATS), default="table", show_default=True,
              help="table: one month for people; csv or json: the published open data.")
@handle_errors
def metrics_command(site_dir: Path, month: date | None, output_format: str) -> None:
    """Print the published metrics: the numbers the site shows, after the publishing rules, in its language."""
    config, data, info = load_open_data(site_dir, build_time_from_env())
    echo_diagnostics(data.warnings)
    click.echo(render_metrics_table(data, month=month, fmt=output_format, info=info, language=config.language,
                                    overrides=config.string_overrides), nl=False)

"""The `opensite` command: argument parsing, messages and exit codes only.

Exit codes: 0 success, 1 a site error (every problem printed as `file:line:col: error: …`),
2 a usage error (click's own), 3 an internal error (a bug: rerun with --debug for the traceback).
Each command lives in the module of its job (building: build, check, serve; authoring: init, new;
numbers: metrics) and calls the pipeline in generator.build; nothing here runs a stage itself.
"""

from __future__ import annotations

import click

from generator import __version__
from generator.cli.authoring import init, new
from generator.cli.building import build, check, clean, serve
from generator.cli.numbers import metrics_command
from generator.cli.progress import Progress

__all__ = ["Progress", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opensite")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
def main(debug: bool) -> None:
    """opensite builds an open blog and a public metrics dashboard from Markdown and CSV.

    Run `opensite build` in a folder that holds site.yaml.
    """


for _command in (build, check, serve, clean, metrics_command, init, new):
    main.add_command(_command)

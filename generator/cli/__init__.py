"""The `opensite` command: argument parsing, messages and exit codes only.

Exit codes: 0 success, 1 a site error (every problem printed as `file:line:col: error: …`),
2 a usage error (click's own), 3 an internal error (a bug: rerun with --debug for the traceback).
Each command lives in the module of its job (building: build, check, clean; previewing: serve;
authoring: init, new; numbers: metrics; importing: import) and calls the pipeline in generator.build;
nothing here runs a stage itself. A command's module is imported only when that command runs (or
help lists it), so `opensite build` does not load the preview server or the importers.
"""

from __future__ import annotations

import importlib

import click

from generator import __version__
from generator.cli.progress import Progress

__all__ = ["COMMANDS", "Progress", "main"]

COMMANDS: dict[str, str] = {
    "build": "generator.cli.building:build",
    "check": "generator.cli.building:check",
    "serve": "generator.cli.previewing:serve",
    "clean": "generator.cli.building:clean",
    "metrics": "generator.cli.numbers:metrics_command",
    "import": "generator.cli.importing:import_command",
    "init": "generator.cli.authoring:init",
    "new": "generator.cli.authoring:new",
    "fetch-remote": "generator.cli.authoring:fetch_remote",
}
"""Every command, by name, and where it is defined (click's lazy-loading group pattern)."""


class _LazyGroup(click.Group):
    """A group that imports a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, attribute = where.split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opensite")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
def main(debug: bool) -> None:
    """opensite builds an open blog and a public metrics dashboard from Markdown and CSV.

    Run `opensite build` in a folder that holds site.yaml.
    """


"""The `opensite` command: argument parsing, messages and exit codes only.

Exit codes: 0 success, 1 a site error (every problem printed as `file:line:col: error: …`),
2 a usage error (click's own), 3 an internal error (a bug: rerun with --debug for the traceback).
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.build import DEFAULT_OUTPUT, BuildResult, build_site, check_site
from generator.errors import Diagnostic, GeneratorError

EXIT_SITE_ERROR = 1
EXIT_INTERNAL_ERROR = 3

BUILD_EXAMPLES = """
Examples:

\b
  opensite build                         build ./site.yaml into ./output
  opensite build -s mysite -o public     build another folder into public/
  opensite build --drafts                include drafts and scheduled posts
  opensite build --base-url https://acme.github.io/open/
"""


def format_diagnostic(diagnostic: Diagnostic, root: Path | None = None) -> str:
    """Return a linter-style line: `file:line:col: error: message (hint)`."""
    where = diagnostic.location(root)
    text = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    return f"{where}: {diagnostic.severity}: {text}" if where else f"{diagnostic.severity}: {text}"


def echo_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics to stderr, paths relative to the current folder when possible."""
    for diagnostic in diagnostics:
        click.echo(format_diagnostic(diagnostic, Path.cwd()), err=True)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn GeneratorError into printed diagnostics and exit 1; hide tracebacks unless --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except GeneratorError as error:
            echo_diagnostics(error.diagnostics)
            count = len(error.diagnostics)
            click.echo(f"Failed: {count} error{'s' if count != 1 else ''}; nothing was written.", err=True)
            sys.exit(EXIT_SITE_ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as error:  # a bug in opensite, not in the site: say so plainly
            if debug:
                traceback.print_exc()
            click.echo(f"internal error: {type(error).__name__}: {error} "
                       "(this is a bug in opensite; rerun with --debug for the traceback)", err=True)
            sys.exit(EXIT_INTERNAL_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opensite")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
def main(debug: bool) -> None:
    """opensite builds an open blog and a public metrics dashboard from Markdown and CSV.

    Run `opensite build` in a folder that holds site.yaml.
    """


def site_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options shared by build and check."""
    command = click.option("--base-url", metavar="URL", help="Override base_url from site.yaml.")(command)
    command = click.option("--drafts", is_flag=True, help="Include drafts and scheduled posts.")(command)
    command = click.option("-s", "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path),
                           default=Path("."), show_default=True, help="Folder holding site.yaml.")(command)
    return command


@main.command(epilog=BUILD_EXAMPLES)
@site_options
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path),
              help=f"Output folder  [default: SITE/{DEFAULT_OUTPUT}]")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@handle_errors
def build(site_dir: Path, output_dir: Path | None, drafts: bool, base_url: str | None, quiet: bool) -> None:
    """Build the site into the output folder (replaced only when the build succeeds)."""
    result = build_site(site_dir, output_dir, drafts=drafts, base_url=base_url)
    if not quiet:
        echo_diagnostics(result.warnings)
        click.echo(_summary(result))


@main.command(epilog="Example:\n\n\b\n  opensite check -s mysite")
@site_options
@handle_errors
def check(site_dir: Path, drafts: bool, base_url: str | None) -> None:
    """Validate everything a build would, and write nothing."""
    result = check_site(site_dir, drafts=drafts, base_url=base_url)
    echo_diagnostics(result.warnings)
    warnings = len(result.warnings)
    click.echo(f"Checked {len(result.site.posts)} posts, {len(result.site.pages)} pages: no errors"
               + (f", {warnings} warning{'s' if warnings != 1 else ''}." if warnings else "."))


def _summary(result: BuildResult) -> str:
    seconds = sum(result.timings.values())
    where = _shown_path(result.output_dir) if result.output_dir else "-"
    return f"Built {result.page_count:,} pages in {seconds:.1f} s → {where}/"


def _shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()

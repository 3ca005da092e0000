"""What every command shares: error handling and exit codes, printing diagnostics, common options."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from generator.names import METRICS_DIR_VARIABLE
from generator.errors import Diagnostic, GeneratorError, InterruptedAfterOutput

EXIT_SITE_ERROR = 1
EXIT_INTERNAL_ERROR = 3
EXIT_BROKEN_PIPE = 141
"""The reader of stdout went away (`| head`): 128 + SIGPIPE, as a shell reports a command its pipe killed."""


def echo_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics to stderr, paths relative to the current folder when possible."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(Path.cwd(), severity=True), err=True)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn GeneratorError into printed diagnostics and exit 1; hide tracebacks unless --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            with _sigterm_interrupts():
                return command(*args, **kwargs)
        except GeneratorError as error:
            echo_diagnostics(error.diagnostics)
            count = len(error.diagnostics)
            click.echo(f"Failed with {count} error{'s' if count != 1 else ''}; no file was changed.", err=True)
            sys.exit(EXIT_SITE_ERROR)
        except InterruptedAfterOutput:
            click.echo("Interrupted after the new output was in place: it is complete; the build cache was not "
                       "saved, so the next build redoes more work.", err=True)
            sys.exit(130)
        except KeyboardInterrupt:
            click.echo("Interrupted: the previous output is untouched.", err=True)
            sys.exit(130)
        except click.ClickException:  # a usage error found inside the command: click prints it, exit 2
            raise
        except BrokenPipeError:  # `opensite import … --dry-run | head -1`: the reader has all it wanted
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as error:  # a bug in opensite, not in the site: say so plainly
            if debug:
                traceback.print_exc()
            click.echo(f"internal error: {type(error).__name__}: {error} "
                       "(this is a bug in opensite; rerun with --debug for the traceback)", err=True)
            sys.exit(EXIT_INTERNAL_ERROR)

    return wrapper


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Treat SIGTERM (`kill`, a CI runner's timeout) like Ctrl-C while a command runs, so a build stopped either
    way removes its staging folder and workers and says the previous output is untouched (issue 22)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit does not fail again (Python's documented recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's): nothing left to flush
        pass


def site_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options shared by build, check and serve."""
    command = click.option("--base-url", metavar="URL", help="Override base_url from site.yaml.")(command)
    command = click.option("--drafts", is_flag=True, help="Include drafts and scheduled posts.")(command)
    return site_dir_option(metrics_dir_option(command))


def metrics_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --metrics-dir: build, check, serve, metrics, import and new report read (or write) metrics there."""
    return click.option("--metrics-dir", metavar="DIR", expose_value=False, callback=_metrics_dir,
                        type=click.Path(file_okay=False, exists=True, path_type=Path),
                        help=f"Read metrics CSVs from DIR (e.g. a private checkout)  [env: {METRICS_DIR_VARIABLE}]"
                        )(command)


def _metrics_dir(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """Hand --metrics-dir to config loading through its environment variable, which the option overrides."""
    if value is not None:
        os.environ[METRICS_DIR_VARIABLE] = str(value.resolve())


def cache_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --no-cache and -j/--jobs, shared by build, check and serve."""
    command = click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, metavar="N",
                           help="Worker processes for a cold build  [default: the CPU count; 1: none]")(command)
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help="Ignore and keep the build cache (.opensite-cache/): parse, render and write all.")(command)


def site_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add -s/--site, the folder holding site.yaml."""
    return click.option("-s", "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True, help="Folder holding site.yaml.")(command)


def month_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        from generator.metrics import parse_month  # the metrics stage loads only for the commands that read months

        return parse_month(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def is_terminal() -> bool:
    return sys.stderr.isatty()


def shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()

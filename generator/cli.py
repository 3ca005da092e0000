"""The `opensite` command: argument parsing, messages and exit codes only.

Exit codes: 0 success, 1 a site error (every problem printed as `file:line:col: error: …`),
2 a usage error (click's own), 3 an internal error (a bug: rerun with --debug for the traceback).
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

import click

from generator import __version__
from generator.build import (
    DEFAULT_OUTPUT,
    BuildResult,
    build_site,
    check_site,
    load_site_config,
)
from generator.errors import Diagnostic, GeneratorError
from generator.linkcheck import check_rendered_site
from generator.metrics import FORMATS as METRIC_FORMATS
from generator.metrics import (
    load_metrics,
    parse_month,
    publish_metrics,
    render_metrics_table,
    select_month,
)
from generator.scaffold import (
    DEFAULT_BASE_URL,
    check_new_site_dir,
    parse_category,
    parse_tags,
    post_relpath,
    render_post,
    render_site_files,
    write_new_files,
    write_new_post,
)
from generator.scaffold.report import REPORT_CATEGORY, render_report, report_relpath
from generator.serve import DEFAULT_HOST, DEFAULT_PORT, DevServer, Rebuild

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

CHECK_EXAMPLES = """
Examples:

\b
  opensite check                         validate ./site.yaml and every link
  opensite check --strict                fail on warnings too (for CI)
  opensite check --format json           one JSON list of problems on stdout
"""

SERVE_EXAMPLES = """
Examples:

\b
  opensite serve                         preview at http://127.0.0.1:8000/
  opensite serve --drafts -p 8001        include drafts, on another port
  opensite serve --host 0.0.0.0          let phones on your network in
"""

INIT_EXAMPLES = """
Examples:

\b
  opensite init my-site
  opensite init my-site --title "Acme Open" --base-url https://acme.github.io/open/
"""

NEW_POST_EXAMPLES = """
Examples:

\b
  opensite new post "Why we raised prices" --category finances --tags pricing,revenue
  opensite new post "第一年的账本" --draft
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
            click.echo(f"Failed with {count} error{'s' if count != 1 else ''}; no file was changed.", err=True)
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
    """Add the options shared by build, check and serve."""
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
    with _Progress(enabled=not quiet and _is_terminal()) as progress:
        result = build_site(site_dir, output_dir, drafts=drafts, base_url=base_url, progress=progress)
    if not quiet:
        echo_diagnostics(result.warnings)
        click.echo(_summary(result))


@main.command(epilog=CHECK_EXAMPLES)
@site_options
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors (for CI).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one `file:line:col: severity: message` line each; json: a list on stdout.")
@handle_errors
def check(site_dir: Path, drafts: bool, base_url: str | None, strict: bool, output_format: str) -> None:
    """Validate everything a build would, then every internal link, image, #anchor and alt text.

    Also warns about posts without summary or category, and lists drafts and scheduled posts
    (with the date they go live) as notes. Writes nothing.
    """
    try:
        with _Progress(enabled=output_format == "text" and _is_terminal()) as progress:
            result = check_site(site_dir, drafts=drafts, base_url=base_url, progress=progress)
    except GeneratorError as error:
        if output_format == "text":
            raise
        click.echo(_json_diagnostics(error.diagnostics))
        sys.exit(EXIT_SITE_ERROR)
    diagnostics = check_rendered_site(result.site, result.files, result.content, result.warnings,
                                      result.site.config.root / DEFAULT_OUTPUT)
    counts = Counter(d.severity for d in diagnostics)
    if output_format == "json":
        click.echo(_json_diagnostics(diagnostics))
    else:
        echo_diagnostics(diagnostics)
        click.echo(f"Checked {_plural(len(result.site.posts), 'post')} and {_plural(len(result.site.pages), 'page')}: "
                   + ", ".join(_plural(counts[s], s) for s in ("error", "warning", "note")) + ".")
    if counts["error"] or (strict and counts["warning"]):
        if output_format == "text" and not counts["error"]:
            click.echo("Failed: --strict treats warnings as errors.", err=True)
        sys.exit(EXIT_SITE_ERROR)


METRICS_EXAMPLES = """
Examples:

\b
  opensite metrics                       the latest month, as a table
  opensite metrics --month 2024-03       one month
  opensite metrics --format csv > m.csv  every month, as the open data CSV
"""


def _month_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_month(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command("metrics", epilog=METRICS_EXAMPLES)
@click.option("-s", "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder holding site.yaml.")
@click.option("--month", metavar="YYYY-MM", callback=_month_option, help="One month  [default: the latest]")
@click.option("--format", "output_format", type=click.Choice(METRIC_FORMATS), default="table", show_default=True,
              help="table: one month for people; csv or json: the published open data.")
@handle_errors
def metrics_command(site_dir: Path, month: date | None, output_format: str) -> None:
    """Print the published metrics: the numbers the site shows, after the publishing rules."""
    config = load_site_config(site_dir)
    data = publish_metrics(load_metrics(config), config)
    echo_diagnostics(data.warnings)
    if output_format == "table" and month is None and data.months:
        month = data.months[-1]
    click.echo(render_metrics_table(data, month=month, fmt=output_format), nl=False)


@main.command(epilog=SERVE_EXAMPLES)
@site_options
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; 0.0.0.0 lets other devices on your network in.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@handle_errors
def serve(site_dir: Path, drafts: bool, base_url: str | None, host: str, port: int) -> None:
    """Preview the site: build into memory, serve it, rebuild on every save and reload open pages.

    Watches site.yaml, content/, metrics/ and templates/. Writes nothing to disk; a failed
    rebuild shows its errors in the browser and keeps the last good build. Stop with Ctrl-C.
    """
    server = DevServer(site_dir, host=host, port=port, drafts=drafts, base_url=base_url, on_rebuild=_echo_rebuild)
    try:
        server.start()
        click.echo(f"Serving {server.url} (Ctrl-C to stop)")
        server.wait()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a preview ends: not an error
    finally:
        server.stop()
    click.echo("Stopped.")


@main.command(epilog=INIT_EXAMPLES)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The site's name  [default: from DIRECTORY]")
@click.option("--base-url", metavar="URL", default=DEFAULT_BASE_URL, show_default=True, help="The public address.")
@click.option("--force", is_flag=True, help="Add to a non-empty folder (existing files are never overwritten).")
@handle_errors
def init(directory: Path, title: str | None, base_url: str, force: bool) -> None:
    """Create a new site in DIRECTORY that builds at once: config, sample posts and metrics, CI workflow."""
    check_new_site_dir(directory, force=force)
    title = title or directory.resolve().name.replace("-", " ").replace("_", " ").capitalize() or "Open startup"
    created = write_new_files(directory, render_site_files(title, base_url=base_url, today=_utc_today()))
    click.echo(f"Created {_plural(len(created.written), 'file')} in {_shown_path(directory)}/.")
    if created.kept:
        click.echo(f"Kept {_plural(len(created.kept), 'existing file')}: {', '.join(map(str, created.kept))}.")
    click.echo(f"\nNext:\n  cd {_shown_path(directory)}\n  opensite serve               preview as you write\n"
               f'  opensite new post "Title"    start a post\n'
               "  Push to GitHub, then Settings → Pages → Source: GitHub Actions to publish.")


@main.group()
def new() -> None:
    """Create a new file from a template: a post, or a monthly report."""


@new.command("post", epilog=NEW_POST_EXAMPLES)
@click.argument("title")
@click.option("-s", "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder holding site.yaml.")
@click.option("-c", "--category", metavar="SLUG", help="The post's beat, by slug or name (e.g. finances).")
@click.option("--tags", metavar="A,B", help="Comma-separated tags.")
@click.option("--draft", is_flag=True, help="Mark it a draft: built only with --drafts.")
@handle_errors
def new_post(title: str, site_dir: Path, category: str | None, tags: str | None, draft: bool) -> None:
    """Write content/posts/YYYY-MM-DD-<slug>.md with front matter, dated now, and print its path."""
    if not title.strip():
        raise click.BadParameter("the title is empty", param_hint="TITLE")
    config = load_site_config(site_dir)
    now = datetime.now(config.zone)
    slug = parse_category(category, config) if category else None
    text = render_post(title.strip(), when=now, category=slug, tags=parse_tags(tags), draft=draft)
    path = write_new_post(config.root, post_relpath(title.strip(), now.date()), text)
    click.echo(f"Created {_shown_path(path)}")


NEW_REPORT_EXAMPLES = """
Example:

\b
  opensite new report 2024-03    a draft "March 2024 in numbers", dated 2024-04-01
"""


@new.command("report", epilog=NEW_REPORT_EXAMPLES)
@click.argument("month", metavar="YYYY-MM", callback=_month_option)
@click.option("-s", "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder holding site.yaml.")
@handle_errors
def new_report(month: date, site_dir: Path) -> None:
    """Write a draft report on MONTH: finances beat, dated the 1st of the next month, with metric references."""
    config = load_site_config(site_dir)
    data = publish_metrics(load_metrics(config), config)
    select_month(data, month)  # a month without data is an error that names the months there are
    present = {s.id: s.label for s in data if (point := s.point_at(month)) is not None and point.value is not None}
    category = REPORT_CATEGORY if config.category(REPORT_CATEGORY) else None
    text = render_report(month, language=config.language, zone=config.zone, metrics=present, category=category)
    path = write_new_post(config.root, report_relpath(month, config.language, config.zone), text)
    click.echo(f"Created {_shown_path(path)} (a draft: preview it with opensite serve --drafts)")


def _echo_rebuild(rebuild: Rebuild) -> None:
    """Report one build of `serve`: its errors, or its warnings and a summary line."""
    if rebuild.errors:
        echo_diagnostics(rebuild.errors)
        click.echo(f"Build failed ({_plural(len(rebuild.errors), 'error')}); still serving the last good build.",
                   err=True)
        return
    assert rebuild.result is not None
    echo_diagnostics(rebuild.result.warnings)
    changed = ", ".join(_shown_path(p) for p in rebuild.changes[:3]) + (", …" if len(rebuild.changes) > 3 else "")
    verb = f"Rebuilt after {changed}:" if rebuild.changes else "Built"
    click.echo(f"{verb} {rebuild.result.page_count:,} pages in {rebuild.seconds:.1f} s")


def _json_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Return diagnostics as a JSON list for machines (CI annotations, editors)."""
    return json.dumps([
        {"file": _shown_path(d.path) if d.path else None, "line": d.line, "column": d.column,
         "severity": d.severity, "message": d.message, "hint": d.hint}
        for d in diagnostics
    ], ensure_ascii=False, indent=2)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _utc_today() -> date:
    """Return today's date in UTC, the time zone `init` writes, so no sample post is in the future."""
    return datetime.now(timezone.utc).date()


def _is_terminal() -> bool:
    return sys.stderr.isatty()


class _Progress:
    """Show the running stage on stderr once a build has taken a second; clear it when done.

    Only on a terminal: CI logs would fill with animation frames.
    """

    FRAMES = "|/-\\"
    LABELS = {"config": "reading site.yaml", "content": "reading posts", "metrics": "reading metrics",
              "model": "laying out pages", "charts": "drawing charts", "render": "rendering pages",
              "write": "writing output"}

    def __init__(self, *, enabled: bool, stream: IO[str] | None = None, delay: float = 1.0,
                 interval: float = 0.1) -> None:
        self.enabled = enabled
        self.stream = stream
        self.delay = delay
        self.interval = interval
        self.stage = ""
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._animate, daemon=True)
        self._shown = False

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self.enabled:
            self._thread.join()
        if self._shown:
            self._write("\r\033[K")

    def _animate(self) -> None:
        if self._done.wait(self.delay):
            return
        frame = 0
        while not self._done.is_set():
            label = self.LABELS.get(self.stage, self.stage)
            self._write(f"\r\033[K{self.FRAMES[frame % len(self.FRAMES)]} Building: {label}…")
            self._shown = True
            frame += 1
            self._done.wait(self.interval)

    def _write(self, text: str) -> None:
        stream = self.stream or click.get_text_stream("stderr")
        stream.write(text)
        stream.flush()


def _summary(result: BuildResult) -> str:
    """Return the line every build ends with: `Built 1,042 pages, 12 charts in 3.1 s → output/`."""
    seconds = sum(result.timings.values())
    where = _shown_path(result.output_dir) if result.output_dir else "-"
    charts = f", {_plural(result.chart_count, 'chart')}" if result.chart_count else ""
    return f"Built {_plural(result.page_count, 'page')}{charts} in {seconds:.1f} s → {where}/"


def _shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


from generator.importers.command import import_command  # noqa: E402 (the command imports handle_errors from here)

main.add_command(import_command)

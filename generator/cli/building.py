"""`opensite build`, `check` and `clean`: run the pipeline (generator.build) and print what it returns."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from generator.cli.common import (
    EXIT_SITE_ERROR,
    cache_options,
    echo_diagnostics,
    handle_errors,
    is_terminal,
    plural,
    shown_path,
    site_dir_option,
    site_options,
)
from generator.cli.progress import Progress, summary_line
from generator.errors import GeneratorError, render_diagnostics_json
from generator.names import DEFAULT_OUTPUT
from generator.unchanged import unchanged_build

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



@click.command(epilog=BUILD_EXAMPLES)
@site_options
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path),
              help=f"Output folder  [default: SITE/{DEFAULT_OUTPUT}]")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@cache_options
@handle_errors
def build(site_dir: Path, output_dir: Path | None, drafts: bool, base_url: str | None, quiet: bool,
          no_cache: bool, jobs: int | None) -> None:
    """Build the site into the output folder (replaced only when the build succeeds).

    Unchanged posts, pages and charts come from the build cache in .opensite-cache/, and files
    whose bytes did not change are not written again (--no-cache redoes everything).
    """
    started = time.perf_counter()
    skipped = None if no_cache else unchanged_build(site_dir, output_dir, drafts=drafts, base_url=base_url)
    if skipped is not None:  # nothing the last build read has changed: the pipeline is not even imported
        if not quiet:
            click.echo(f"Built {plural(skipped.pages, 'page')} (nothing changed){_charts(skipped.charts)} in "
                       f"{time.perf_counter() - started:.1f} s → {shown_path(skipped.output)}/")
        return
    from generator.build import build_site

    with Progress(enabled=not quiet and is_terminal()) as progress:
        result = build_site(site_dir, output_dir, drafts=drafts, base_url=base_url, progress=progress,
                            use_cache=not no_cache, jobs=jobs)
    if not quiet:
        echo_diagnostics(result.notes + result.warnings)
        click.echo(summary_line(result))


@click.command(epilog=CHECK_EXAMPLES)
@site_options
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors (for CI).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one `file:line:col: severity: message` line each; json: a list on stdout.")
@cache_options
@handle_errors
def check(site_dir: Path, drafts: bool, base_url: str | None, strict: bool, output_format: str, no_cache: bool,
          jobs: int | None) -> None:
    """Validate everything a build would, then every internal link, image, #anchor and alt text.

    Also warns about posts without summary or category, and lists drafts and scheduled posts
    (with the date they go live) as notes. Writes nothing.
    """
    from generator.build import check_site

    try:
        with Progress(enabled=output_format == "text" and is_terminal()) as progress:
            checked = check_site(site_dir, drafts=drafts, base_url=base_url, progress=progress,
                                 use_cache=not no_cache, jobs=jobs)
    except GeneratorError as error:
        if output_format == "text":
            raise
        click.echo(render_diagnostics_json(error.diagnostics, Path.cwd()))
        sys.exit(EXIT_SITE_ERROR)
    diagnostics, site = checked.diagnostics, checked.build.site
    counts = Counter(d.severity for d in diagnostics)
    if output_format == "json":
        click.echo(render_diagnostics_json(diagnostics, Path.cwd()))
    else:
        echo_diagnostics(diagnostics)
        posts, pages = (sum(len(getattr(tree, kind)) for tree in site.trees) for kind in ("posts", "pages"))
        click.echo(f"Checked {plural(posts, 'post')} and {plural(pages, 'page')}: "
                   + ", ".join(plural(counts[s], s) for s in ("error", "warning", "note")) + ".")
    if counts["error"] or (strict and counts["warning"]):
        if output_format == "text" and not counts["error"]:
            click.echo("Failed: --strict treats warnings as errors.", err=True)
        sys.exit(EXIT_SITE_ERROR)


@click.command()
@site_dir_option
@click.option("--output", "with_output", is_flag=True,
              help="Also delete the files opensite wrote in the output folder (only those).")
@click.option("-o", "--output-dir", "output_dir", type=click.Path(path_type=Path),
              help=f"The output folder  [default: SITE/{DEFAULT_OUTPUT}]")
@handle_errors
def clean(site_dir: Path, with_output: bool, output_dir: Path | None) -> None:
    """Delete the build cache (.opensite-cache/), so the next build starts from scratch.

    With --output, also the files opensite wrote in the output folder (those its .opensite-output marker
    lists): files it did not write stay, and a folder it did not make is refused.
    """
    from generator.build import clean_site

    removed, cleaned = clean_site(site_dir, output_dir=output_dir, output=with_output)
    parts = [f"{shown_path(p)}/" for p in removed]
    if cleaned is not None and (cleaned.deleted or cleaned.removed_folder):
        parts.append(f"{shown_path(cleaned.folder)}/" if cleaned.removed_folder else
                     f"{plural(cleaned.deleted, 'file')} opensite wrote in {shown_path(cleaned.folder)}/")
    click.echo("Removed " + ", ".join(parts) + "." if parts else "Nothing to remove.")
    if cleaned is not None and cleaned.kept:
        click.echo(f"Kept {plural(cleaned.kept, 'file')} in {shown_path(cleaned.folder)}/ that opensite did not write.")


def _charts(count: int) -> str:
    return f", {plural(count, 'chart')}" if count else ""

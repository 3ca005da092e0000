"""`opensite init`, `new post`, `new report` and `fetch-remote`: start a site and the files a founder writes."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import click

from generator.build import load_site_config
from generator.cli.common import (
    EXIT_SITE_ERROR,
    echo_diagnostics,
    handle_errors,
    metrics_dir_option,
    plural,
    shown_path,
    site_dir_option,
)
from generator.config.values import check_language
from generator.metrics import parse_month
from generator.metrics.site_data import load_published_metrics
from generator.scaffold import (
    DEFAULT_BASE_URL,
    check_new_site_dir,
    default_category,
    parse_category,
    parse_language,
    parse_tags,
    post_relpath,
    render_post,
    render_site_files,
    write_new_files,
    write_new_post,
)
from generator.scaffold.remote import fetch_images, find_remote_images
from generator.scaffold.report import assemble_annual_report, assemble_report

INIT_EXAMPLES = """
Examples:

\b
  opensite init my-site
  opensite init my-site --title "Acme Open" --base-url https://acme.github.io/open/
  opensite init my-site --private-numbers      numbers in a private repository (README: "Keep your numbers private")
  opensite init my-site --language zh-CN       site.yaml, sample posts and comments in Chinese
  opensite init my-site --languages zh-CN,en   Chinese at the root, English under /en/ (README: "Two languages")
"""

NEW_POST_EXAMPLES = """
Examples:

\b
  opensite new post "Why we raised prices" --category finances --tags pricing,revenue
  opensite new post "第一年的账本" --draft
  opensite new post "Our first year" --lang en    on a site in several languages: the English one
"""

NEW_REPORT_EXAMPLES = """
Examples:

\b
  opensite new report 2024-03    a draft "March 2024 in numbers", dated 2024-04-01
  opensite new report 2024       a draft "2024 in numbers", dated 2025-01-01
                                 (with fiscal_year_start: April, "Fiscal year 2024–25", dated 2025-04-01)
"""


@click.command(epilog=INIT_EXAMPLES)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The site's name  [default: from DIRECTORY]")
@click.option("--base-url", metavar="URL", default=DEFAULT_BASE_URL, show_default=True, help="The public address.")
@click.option("--force", is_flag=True, help="Add to a non-empty folder (existing files are never overwritten).")
@click.option("--private-numbers", is_flag=True, help="Keep the metrics CSVs in their own private repository: "
              "samples in private-numbers/ (git-ignored), and a workflow that checks it out with a deploy key.")
@click.option("--language", metavar="TAG", help="The site's language (en, zh-CN, …): site.yaml, the sample posts "
              "and the comments are written in it.  [default: en]")
@click.option("--languages", metavar="A,B", help="Several languages, the first at the root (zh-CN,en): sample "
              "posts in each, paired as translations.")
@handle_errors
def init(directory: Path, title: str | None, base_url: str, force: bool, private_numbers: bool,
         language: str | None, languages: str | None) -> None:
    """Create a new site in DIRECTORY that builds at once: config, sample posts and metrics, CI workflow."""
    tags = _parse_languages(language, languages)
    check_new_site_dir(directory, force=force)
    title = title or directory.resolve().name.replace("-", " ").replace("_", " ").capitalize() or "Open startup"
    created = write_new_files(directory, render_site_files(title, base_url=base_url, today=_utc_today(),
                                                           private_numbers=private_numbers, languages=tags))
    click.echo(f"Created {plural(len(created.written), 'file')} in {shown_path(directory)}/.")
    if created.kept:
        click.echo(f"Kept {plural(len(created.kept), 'existing file')}: {', '.join(map(str, created.kept))}.")
    click.echo(f"\nNext:\n  cd {shown_path(directory)}\n  opensite serve               preview as you write\n"
               f'  opensite new post "Title"    start a post\n'
               "  Push to GitHub, then Settings → Pages → Source: GitHub Actions to publish.")
    if private_numbers:
        click.echo("  private-numbers/ is your private repository of numbers: see its README.md, and opensite's "
                   "README, 'Keep your numbers private'.")


@click.group()
def new() -> None:
    """Create a new file from a template: a post, a monthly report or an annual letter."""


@new.command("post", epilog=NEW_POST_EXAMPLES)
@click.argument("title")
@site_dir_option
@click.option("-c", "--category", metavar="SLUG", help="The post's beat, by slug or name (e.g. finances).")
@click.option("--tags", metavar="A,B", help="Comma-separated tags.")
@click.option("--draft", is_flag=True, help="Mark it a draft: built only with --drafts.")
@click.option("--lang", metavar="TAG", help="The post's language when it is not the site's (its body template "
              "follows it; on a site in several languages, one of them).")
@handle_errors
def new_post(title: str, site_dir: Path, category: str | None, tags: str | None, draft: bool,
             lang: str | None) -> None:
    """Write content/posts/YYYY-MM-DD-<slug>.md with front matter, dated now, and print its path."""
    if not title.strip():
        raise click.BadParameter("the title is empty", param_hint="TITLE")
    config = load_site_config(site_dir)
    now = datetime.now(config.zone)
    slug = parse_category(category, config) if category else default_category(config)
    written = parse_language(lang, config) if lang else None
    text = render_post(title.strip(), when=now, category=slug, tags=parse_tags(tags), draft=draft,
                       language=config.language, lang=written, overrides=config.string_overrides)
    path = write_new_post(config.root, post_relpath(title.strip(), now.date()), text)
    click.echo(f"Created {shown_path(path)}")


@new.command("report", epilog=NEW_REPORT_EXAMPLES)
@click.argument("period", metavar="YYYY-MM|YYYY", callback=lambda ctx, param, value: _parse_period(value))
@site_dir_option
@metrics_dir_option
@handle_errors
def new_report(period: date | int, site_dir: Path) -> None:
    """Write a draft report on a month (YYYY-MM) or an annual letter on a year (YYYY), with metric references.

    Both are in the finances beat and dated the first day after the period: the 1st of the next month,
    or the day after the fiscal year ends (site.yaml's fiscal_year_start).
    """
    config, data = load_published_metrics(site_dir)
    if isinstance(period, int):
        relpath, text = assemble_annual_report(config, data, period, today=datetime.now(config.zone).date())
    else:
        relpath, text = assemble_report(config, data, period)
    path = write_new_post(config.root, relpath, text)
    click.echo(f"Created {shown_path(path)} (a draft: preview it with opensite serve --drafts)")


def _parse_period(value: str) -> date | int:
    """Return a year (YYYY) or a month (YYYY-MM)."""
    if re.fullmatch(r"\d{4}", value.strip()):
        return int(value)
    try:
        return parse_month(value)
    except ValueError as error:
        raise click.BadParameter(f"{error}; or write a year, e.g. 2024") from None


def _parse_languages(language: str | None, languages: str | None) -> tuple[str, ...]:
    """Return the new site's languages from --language or --languages (a BadParameter for a tag Babel lacks)."""
    if language and languages:
        raise click.BadParameter("give --language or --languages, not both", param_hint="--languages")
    tags = tuple(dict.fromkeys(t.strip() for t in (languages or language or "en").split(",") if t.strip()))
    for tag in tags:
        if check_language(tag):
            raise click.BadParameter(f"{tag!r} is not a known language tag (e.g. en, zh-CN, de, pt-BR)",
                                     param_hint="--languages" if languages else "--language")
    return tags or ("en",)


def _utc_today() -> date:
    """Return today's date in UTC, the time zone `init` writes, so no sample post is in the future."""
    return datetime.now(timezone.utc).date()


FETCH_EXAMPLES = """
Examples:

\b
  opensite fetch-remote --dry-run     list the remote images posts load, and where their copies would go
  opensite fetch-remote               copy them into content/images/remote/ and point the posts at the copies
"""


@click.command("fetch-remote", epilog=FETCH_EXAMPLES)
@site_dir_option
@click.option("--dry-run", is_flag=True, help="List what would be fetched; download and change nothing.")
@handle_errors
def fetch_remote(site_dir: Path, dry_run: bool) -> None:
    """Download the images posts hot-link from other sites into content/, so the site loads them itself.

    Each Markdown file's address is replaced by the copy's (/images/remote/<host>/…). Only PNG, JPEG,
    GIF, WebP, AVIF, BMP and icons are fetched (never SVG). A build never downloads anything: this runs
    only when you ask.
    """
    config = load_site_config(site_dir)
    images, problems = find_remote_images(config)
    echo_diagnostics(problems)
    failed = 0
    for fetched in fetch_images(config, images, dry_run=dry_run):
        where = f"{shown_path(fetched.image.source)}:{fetched.image.line or 1}"
        if fetched.problem and fetched.relpath is None:
            failed += 1
            click.echo(f"{where}: error: not fetched: {fetched.image.url} ({fetched.problem})", err=True)
        elif dry_run:
            click.echo(f"{where}: would fetch {fetched.image.url} → content/{fetched.relpath}.*")
        else:
            click.echo(f"{where}: fetched {fetched.image.url} → content/{fetched.relpath} ({fetched.size:,} bytes)")
            if fetched.problem:
                click.echo(f"{where}: warning: {fetched.problem}", err=True)
    if not images:
        click.echo("No post loads a remote image.")
    if failed or problems:
        raise SystemExit(EXIT_SITE_ERROR)

"""`opensite init`, `new post` and `new report`: start a site and the files a founder writes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import click

from generator.build import load_published_metrics, load_site_config
from generator.cli.common import handle_errors, month_option, plural, shown_path, site_dir_option
from generator.metrics import select_month
from generator.scaffold import (
    DEFAULT_BASE_URL,
    check_new_site_dir,
    default_category,
    parse_category,
    parse_tags,
    post_relpath,
    render_post,
    render_site_files,
    write_new_files,
    write_new_post,
)
from generator.scaffold.report import REPORT_CATEGORY, render_report, report_relpath

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

NEW_REPORT_EXAMPLES = """
Example:

\b
  opensite new report 2024-03    a draft "March 2024 in numbers", dated 2024-04-01
"""


@click.command(epilog=INIT_EXAMPLES)
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
    click.echo(f"Created {plural(len(created.written), 'file')} in {shown_path(directory)}/.")
    if created.kept:
        click.echo(f"Kept {plural(len(created.kept), 'existing file')}: {', '.join(map(str, created.kept))}.")
    click.echo(f"\nNext:\n  cd {shown_path(directory)}\n  opensite serve               preview as you write\n"
               f'  opensite new post "Title"    start a post\n'
               "  Push to GitHub, then Settings → Pages → Source: GitHub Actions to publish.")


@click.group()
def new() -> None:
    """Create a new file from a template: a post, or a monthly report."""


@new.command("post", epilog=NEW_POST_EXAMPLES)
@click.argument("title")
@site_dir_option
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
    slug = parse_category(category, config) if category else default_category(config)
    text = render_post(title.strip(), when=now, category=slug, tags=parse_tags(tags), draft=draft)
    path = write_new_post(config.root, post_relpath(title.strip(), now.date()), text)
    click.echo(f"Created {shown_path(path)}")


@new.command("report", epilog=NEW_REPORT_EXAMPLES)
@click.argument("month", metavar="YYYY-MM", callback=month_option)
@site_dir_option
@handle_errors
def new_report(month: date, site_dir: Path) -> None:
    """Write a draft report on MONTH: finances beat, dated the 1st of the next month, with metric references."""
    config, data = load_published_metrics(site_dir)
    select_month(data, month)  # a month without data is an error that names the months there are
    present = {s.id: s.label for s in data if (point := s.point_at(month)) is not None and point.value is not None}
    category = REPORT_CATEGORY if config.category(REPORT_CATEGORY) else None
    overrides = config.string_overrides
    text = render_report(month, language=config.language, zone=config.zone, metrics=present, category=category,
                         overrides=overrides)
    path = write_new_post(config.root, report_relpath(month, config.language, config.zone, overrides), text)
    click.echo(f"Created {shown_path(path)} (a draft: preview it with opensite serve --drafts)")


def _utc_today() -> date:
    """Return today's date in UTC, the time zone `init` writes, so no sample post is in the future."""
    return datetime.now(timezone.utc).date()

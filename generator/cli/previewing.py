"""`opensite serve`: the preview server, rebuilding on every save (imported only when it runs)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import echo_diagnostics, handle_errors, plural, shown_path, site_options
from generator.serve import DEFAULT_HOST, DEFAULT_PORT, DevServer, Rebuild

SERVE_EXAMPLES = """
Examples:

\b
  opensite serve                         preview at http://127.0.0.1:8000/
  opensite serve --drafts -p 8001        include drafts, on another port
  opensite serve --host 0.0.0.0          let phones on your network in
"""


@click.command(epilog=SERVE_EXAMPLES)
@site_options
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; 0.0.0.0 lets other devices on your network in.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@handle_errors
def serve(site_dir: Path, drafts: bool, base_url: str | None, host: str, port: int) -> None:
    """Preview the site: build into memory, serve it, rebuild on every save and reload open pages.

    Watches site.yaml, content/, metrics/ (or metrics_dir) and templates/. Writes nothing to disk; a failed
    rebuild shows its errors in the browser and keeps the last good build. Stop with Ctrl-C.
    """
    server = DevServer(site_dir, host=host, port=port, drafts=drafts, base_url=base_url, on_rebuild=_echo_rebuild)
    try:
        with server.handling_sigterm():  # `kill` and process managers stop a preview like Ctrl-C, even mid-build
            server.start()
            click.echo(f"Serving {server.url} (Ctrl-C to stop)")
            server.wait()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a preview ends: not an error
    finally:
        server.stop()
    click.echo("Stopped.")


def _echo_rebuild(rebuild: Rebuild) -> None:
    """Report one build of `serve`: its errors, or its warnings and a summary line."""
    if rebuild.errors:
        echo_diagnostics(rebuild.errors)
        click.echo(f"Build failed ({plural(len(rebuild.errors), 'error')}); still serving the last good build.",
                   err=True)
        return
    assert rebuild.result is not None
    echo_diagnostics(rebuild.result.warnings)
    changed = ", ".join(shown_path(p) for p in rebuild.changes[:3]) + (", …" if len(rebuild.changes) > 3 else "")
    verb = f"Rebuilt after {changed}:" if rebuild.changes else "Built"
    click.echo(f"{verb} {rebuild.result.page_count:,} pages in {rebuild.seconds:.1f} s")

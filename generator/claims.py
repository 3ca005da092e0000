"""Every output path claimed once: two pages, files or charts on one URL, or a file where another needs a folder.

Checked on the whole site before anything is written, so the error names both claimants (a post at its
`permalink:` line) instead of failing in the writer on a temporary folder the founder never heard of.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.config import SiteConfig
from generator.content import StaticFile
from generator.dashboard import Chart
from generator.errors import ContentError, Diagnostic
from generator.pages import Page, PostBacked

Claimant = Page | StaticFile | Chart


def check_unique_paths(renders: Sequence[Page], static_files: Sequence[StaticFile],
                        config: SiteConfig, charts: Sequence[Chart] = ()) -> None:
    """Raise one error per output file claimed twice, or needed as a folder by another, naming both claimants.

    A post with `permalink: /data/metrics.csv` is written to data/metrics.csv/index.html, so it
    needs a folder where the metrics download is a file: caught here, before the writer would fail
    on a temporary folder the founder never heard of.
    """
    claims: list[tuple[str, Claimant]] = [(page.output_path, page) for page in renders] \
        + [(s.relpath.as_posix(), s) for s in static_files] + [(c.path, c) for c in charts]
    owners: dict[str, Claimant] = {}
    problems: list[Diagnostic] = []
    for path, claimant in claims:
        if path in owners:
            problems.append(_collision(claimant, owners[path], config.root,
                                       "{} and {} both want the URL /" + path.removesuffix("index.html")))
        else:
            owners[path] = claimant
    for path, claimant in claims:
        folders = ("/".join(path.split("/")[:depth]) for depth in range(1, path.count("/") + 1))
        for folder in (f for f in folders if f in owners):
            problems.append(_collision(claimant, owners[folder], config.root,
                                       f"{{}} wants the URL /{path.removesuffix('index.html')}, which needs /{folder} "
                                       "to be a folder, but {} is written there"))
    error = ContentError.collect(problems)
    if error:
        raise error


def _collision(claimant: Claimant, other: Claimant, root: Path, message: str) -> Diagnostic:
    """Return the error for two claims on one path (`message` names both), at the post's permalink line when
    one of them is a post, else at the content file."""
    both = (claimant, other)  # the post whose front matter chose its URL first: that line is the one to change
    located = next((c for c in both if isinstance(c, PostBacked) and c.post.path_line), None) \
        or next((c for c in both if isinstance(c, PostBacked | StaticFile)), None)
    source, line = None, None
    if isinstance(located, PostBacked):
        source, line = located.post.source, located.post.path_line
    elif isinstance(located, StaticFile):
        source = located.source
    hint = "give one of them another 'slug:' or 'permalink:'" if all(isinstance(c, PostBacked) for c in both) \
        else "give the post another 'slug:' or 'permalink:'" if isinstance(located, PostBacked) \
        else "rename or move the file"
    return Diagnostic(message.format(_claimant_name(claimant, root), _claimant_name(other, root)), source, line,
                      None, hint)


def _claimant_name(claimant: Claimant, root: Path) -> str:
    if isinstance(claimant, StaticFile):
        return _shown(claimant.source, root)
    if isinstance(claimant, Chart):
        return f"the chart {claimant.id} (/{claimant.spec.path})"
    if isinstance(claimant, PostBacked):
        return _shown(claimant.post.source, root)
    if claimant.output_path.endswith(".html"):
        return f"the generated {claimant.kind.value} page"
    return f"the generated file /{claimant.output_path}"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

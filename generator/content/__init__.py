"""content/ to Posts: front matter, Markdown, slugs and URLs; drafts and scheduled posts withheld.

`load_content` reads every file, reports every problem of every file together, and returns
only what may be published, so no later stage can leak a draft by mistake. Each file's parsed form
comes from the build cache when its bytes are unchanged (generator.content.parsecache).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from generator.config import SiteConfig
from generator.content.converted import LocalReference
from generator.content.files import ContentFiles, scan_content
from generator.content.links import check_local_references, link_markdown_targets
from generator.content.parse import CONTENT_DIR
from generator.content.parsecache import SourceMemory, SourceStats, load_sources, raise_source_errors
from generator.content.post import Post, StaticFile, Withheld
from generator.content.translations import check_translations
from generator.errors import ContentError, Diagnostic

__all__ = ["CONTENT_DIR", "Content", "Post", "SourceStats", "StaticFile", "Withheld", "load_content"]


@dataclass(frozen=True)
class Content:
    """Everything publishable under content/, plus what was withheld and the warnings."""

    posts: tuple[Post, ...]
    """Published posts, newest first."""
    pages: tuple[Post, ...]
    static_files: tuple[StaticFile, ...]
    withheld: tuple[Withheld, ...]
    warnings: tuple[Diagnostic, ...]
    notes: tuple[Diagnostic, ...] = ()
    """What the reader should know but need not act on (an unreadable build cache that was rebuilt)."""
    stats: SourceStats = field(default_factory=SourceStats, compare=False)


def load_content(config: SiteConfig, *, now: datetime, drafts: bool = False, use_cache: bool = True,
                 jobs: int = 1, memory: SourceMemory | None = None) -> Content:
    """Read content/ and return what may be published at `now`; raise ContentError on any problem.

    Args:
        config: the validated site config.
        now: the build time (SOURCE_DATE_EPOCH when set); posts dated after it are scheduled.
        drafts: publish drafts and scheduled posts too (for previews).
        use_cache: reuse files parsed by an earlier build (<site>/.opensite-cache/); False parses all.
        jobs: worker processes for files that must be converted (1: none).
        memory: a long-running process's parsed files, reused while a file's stat is unchanged (`serve`).
    """
    root = config.root / CONTENT_DIR
    found = _scan(root, config.root, memory)
    error = ContentError.collect(p for p in found.problems if p.severity == "error")
    if error:  # a link leaving the site: nothing under it is read
        raise error
    markdown_files, static_files = found.markdown, found.static
    warnings = [p for p in found.problems if p.severity == "warning"]
    notes: list[Diagnostic] = []
    stats = SourceStats()
    results = load_sources(config, markdown_files, use_cache=use_cache, jobs=jobs, stats=stats, notes=notes,
                           memory=memory)
    raise_source_errors(results)
    loaded: list[Post] = []
    links: dict[Path, tuple[LocalReference, ...]] = {}
    for result in results:
        parsed = result.parsed
        assert parsed is not None and parsed.post is not None  # a file with errors raised above
        warnings.extend(p for p in parsed.problems if p.severity == "warning")
        cover = (parsed.cover,) if parsed.cover else ()
        warnings.extend(check_local_references(parsed.local_references + cover, root, parsed.post.source))
        loaded.append(parsed.post)
        links[parsed.post.source] = parsed.markdown_links
    published, withheld = _split_published(loaded, now, drafts)
    published, link_problems = link_markdown_targets(published, links, config.base_path)
    warnings.extend(link_problems)
    translations = check_translations(published, config)
    error = ContentError.collect(p for p in translations if p.severity == "error")
    if error:  # two posts in one language claim one translation: the language switch could not choose
        raise error
    warnings.extend(translations)
    posts = sorted((p for p in published if p.kind == "post"), key=_newest_first)
    pages = sorted((p for p in published if p.kind == "page"), key=lambda p: p.relpath)
    return Content(tuple(posts), tuple(pages), tuple(static_files), tuple(withheld), tuple(warnings), tuple(notes),
                   stats)


def _scan(root: Path, site_root: Path, memory: SourceMemory | None) -> ContentFiles:
    """Return what content/ holds: the last build's listing while the watcher saw only listed files change."""
    if memory is not None and memory.listing is not None and memory.listing[0] == root \
            and memory.changed is not None and all(_listed(path, root, memory.listing[1]) for path in memory.changed):
        return memory.listing[1]
    found = scan_content(root, site_root)
    if memory is not None:
        memory.listing = (root, found)
    return found


def _listed(changed: str, root: Path, listing: ContentFiles) -> bool:
    """Return True for a change the listing already holds: outside content/, or a file it lists that is still a
    file (not a folder, a link, or gone: then content/ is listed again). Paths are absolute, spelled as the
    watcher spells them (through links, not resolved), so a file in a linked folder is under content/ too."""
    folder = os.path.abspath(root)
    if os.path.commonpath((changed, folder)) != folder:
        return True
    relpath = PurePosixPath(Path(os.path.relpath(changed, folder)).as_posix())
    if any(part.startswith(".") for part in relpath.parts):  # what scan_content skips (an editor's .swp file)
        return True
    if os.path.islink(changed) or not os.path.isfile(changed):
        return False
    return relpath in listing.markdown or any(file.relpath == relpath for file in listing.static)


def _newest_first(post: Post) -> tuple[float, str]:
    return (-post.date.timestamp() if post.date else 0.0, post.relpath.as_posix())


def _split_published(posts: list[Post], now: datetime, drafts: bool) -> tuple[list[Post], list[Withheld]]:
    if drafts:
        return posts, []
    published: list[Post] = []
    withheld: list[Withheld] = []
    for post in posts:
        if post.draft:
            withheld.append(Withheld(post.relpath, post.title, "draft", post.date))
        elif post.date is not None and post.date > now:
            withheld.append(Withheld(post.relpath, post.title, "scheduled", post.date))
        else:
            published.append(post)
    return published, withheld

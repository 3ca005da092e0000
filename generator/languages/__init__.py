"""A site in several languages: the same site assembled once per language, each in its own folder (issue 23).

Hugo's model. Config, posts and metrics are loaded once; each language gets a view of the settings
(`SiteConfig.in_language`: its tag, title, folder), its own posts and pages, and the published metrics
labelled in its words (the numbers are the same); `generator.model.assemble_site` then decides its pages
as for any site, inside its folder. The first language is the site itself, at the root, and alone writes
what every language shares: the open data, the sitemap, robots.txt and the files of content/. Once every
language is assembled, each page learns its versions in the other languages (`alternates`), for the
language switch, hreflang and the sitemap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from generator.claims import check_unique_paths
from generator.config import SiteConfig
from generator.content import Content, Post
from generator.dashboard import AnnotationEntry
from generator.dashboard.restatements import PublishedRecord
from generator.languages.alternates import link_languages
from generator.memory import Recall
from generator.metrics import SourceRevision
from generator.metrics.series import PublishedMetrics, labelled_in
from generator.model import Resolution, Site, assemble_site, resolve_posts
from generator.pages import BytesFile, DataFile, Page, PageKind

SHARED_KINDS = (PageKind.SITEMAP, PageKind.ROBOTS)
"""Files one site has once whatever its languages: written by the first language only."""


def assemble_languages(config: SiteConfig, content: Content, *, build_time: datetime, metrics: PublishedMetrics,
                       annotations: Sequence[AnnotationEntry] = (), revision: SourceRevision | None = None,
                       record: PublishedRecord = PublishedRecord(), memory: Recall | None = None) -> Site:
    """Return the site in its first language, with the other languages as its `translations` (`memory`: a
    `serve` session's, which keeps each language's dashboard while its inputs are the same).

    Raises:
        ContentError: two pages claim one URL, in one language or across them (a post at /zh/ on the root).
    """
    views = {language.tag: config.in_language(language) for language in config.languages}
    contents = {tag: _content_in(content, tag) for tag in views}
    labelled = {tag: metrics if index == 0 else labelled_in(metrics, tag) for index, tag in enumerate(views)}
    notes = {tag: tuple(entry.in_language(tag) for entry in annotations) for tag in views}
    resolutions: dict[str, Resolution] = {}
    for tag, view in views.items():  # each language records its own posts' values in the one record
        resolutions[tag] = resolve_posts(view, contents[tag], labelled[tag], notes[tag], build_time, record, memory)
        record = resolutions[tag][3].record
    sites = [assemble_site(view, contents[tag], build_time=build_time, metrics=labelled[tag], annotations=notes[tag],
                           revision=revision, resolution=resolutions[tag],
                           listed=_untranslated(config, tag, resolutions))
             for tag, view in views.items()]
    sites = [sites[0], *(replace(site, renders=_own(site.renders)) for site in sites[1:])]
    check_unique_paths([page for site in sites for page in site.renders], content.static_files, config,
                       [chart for site in sites for chart in site.charts])
    first, *others = link_languages(sites, config.languages)
    return replace(first, record=record, translations=tuple(others),
                   restatements=tuple(r for resolution in resolutions.values() for r in resolution[3].restatements))


def _content_in(content: Content, tag: str) -> Content:
    """Return the posts and pages of one language (the files of content/ are every language's, and the build
    writes the first language's: once)."""
    return replace(content, posts=tuple(p for p in content.posts if p.language == tag),
                   pages=tuple(p for p in content.pages if p.language == tag))


def _untranslated(config: SiteConfig, tag: str, resolutions: Mapping[str, Resolution]) -> tuple[Post, ...]:
    """Return the posts of other languages a language lists too: those it has no translation of, each once (in the
    first language that has it), when site.yaml says `untranslated: every_language`."""
    if config.untranslated != "every_language":
        return ()
    own = {post.translation_key for post in resolutions[tag][0]}
    found: dict[str | None, Post] = {}
    for other, resolution in resolutions.items():
        for post in resolution[0]:
            if other != tag and post.translation_key not in own:
                found.setdefault(post.translation_key, replace(post, lang=post.lang or post.language))
    return tuple(found.values())


def _own(renders: Sequence[Page]) -> tuple[Page, ...]:
    """Return a language's pages without what the first language writes for all: open data, sitemap, robots.txt."""
    return tuple(page for page in renders
                 if not isinstance(page, (DataFile, BytesFile)) and page.kind not in SHARED_KINDS)


"""Each page's versions in the other languages, once every language's site is assembled (issue 23).

A post or page has the versions its translation group holds (same `translation_key:`, or file name without
the language suffix); every other page (a listing, a dashboard page, 404) has its twin at the same path in
the other language's folder, when that language has it. The links are reciprocal by construction: both
pages read one table. The switch in the header goes to a language's home page when the page has no
version in it; hreflang and the sitemap name only the versions that exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from generator import routes
from generator.config.languages import Language
from generator.model import Site
from generator.pages import LanguageLink, Page, PostBacked

Twin = tuple[str, ...]
"""What a page's versions share: ('post', kind, translation key) or ('page', path in the first language)."""


def link_languages(sites: Sequence[Site], languages: Sequence[Language]) -> list[Site]:
    """Return the sites with every HTML page knowing its version in each language (`Page.languages`)."""
    versions: dict[Twin, dict[str, str]] = defaultdict(dict)
    for site in sites:
        for page in site.renders:
            if _is_html(page):
                versions[_twin(site, page)][site.config.language] = page.path
    return [replace(site, renders=tuple(replace(page, languages=_links(versions[_twin(site, page)], site, languages))
                                        if _is_html(page) else page for page in site.renders))
            for site in sites]


def _links(found: dict[str, str], site: Site, languages: Sequence[Language]) -> tuple[LanguageLink, ...]:
    return tuple(LanguageLink(language.tag, language.name,
                              found.get(language.tag, routes.in_language(language.folder, routes.HOME)),
                              language.tag in found, language.tag == site.config.language, index == 0)
                 for index, language in enumerate(languages))


def _twin(site: Site, page: Page) -> Twin:
    if isinstance(page, PostBacked):
        return ("post", page.post.kind, page.post.translation_key or page.post.relpath.as_posix())
    return ("page", routes.outside_language(site.config.language_folder, page.path))


def _is_html(page: Page) -> bool:
    return page.output_path.endswith(".html")

"""Which posts each listing shows, and its pages: the home page, categories, tags, the archive, the feeds.

Part of the model (generator.model assembles the site from these); on a site in several languages each
language's listings live in its folder and may list posts of another language (issue 23).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from generator import routes
from generator.config import SiteConfig
from generator.content import Post
from generator.content.slugs import fallback_slug, slugify
from generator.i18n import Translator
from generator.pages import (
    ArchivePeriod,
    ArchivePeriodPage,
    FeedPage,
    Listing,
    Page,
    PageKind,
    PlainPage,
    Term,
    TermPage,
)


def tag_slug(name: str) -> str:
    return slugify(name) or fallback_slug(name, "tag")



def paginate(base: str, posts: Sequence[Post], config: SiteConfig) -> tuple[tuple[str, Listing], ...]:
    """Split posts into `base`, `base/page/2/`, … (page 1 has no /page/1/ twin)."""
    size = config.posts_per_page
    total = max(1, -(-len(posts) // size))

    def path(number: int) -> str:
        return routes.listing_page(base, number)

    return tuple(
        (path(n), Listing(tuple(posts[(n - 1) * size:n * size]), n, total,
                          path(n - 1) if n > 1 else None, path(n + 1) if n < total else None))
        for n in range(1, total + 1)
    )


def newest_first(posts: tuple[Post, ...], listed: Sequence[Post]) -> tuple[Post, ...]:
    """Return the posts with those of other languages sorted in, newest first (as content/ sorts them)."""
    if not listed:
        return posts
    return tuple(sorted((*posts, *listed), key=lambda p: (-p.date.timestamp() if p.date else 0.0,
                                                           p.relpath.as_posix())))


def categories_of(config: SiteConfig, posts: Sequence[Post]) -> tuple[Term, ...]:
    by_category: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.category:
            by_category[post.category].append(post)
    at = config.language_folder
    return tuple(
        Term("category", c.slug, c.name.get(config.language), c.description.get(config.language),
             tuple(by_category[c.slug]), routes.in_language(at, routes.category(c.slug)),
             routes.in_language(at, routes.category_feed(c.slug)))
        for c in config.categories
        if config.categories_listed or by_category[c.slug]  # default beats without posts: no page, feed or link
    )


def tags_of(posts: Sequence[Post], config: SiteConfig) -> tuple[Term, ...]:
    """Group posts by tag slug, so 'Pricing' and 'pricing' are one tag named as first written."""
    names: dict[str, str] = {}
    by_tag: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for tag in post.tags:
            slug = tag_slug(tag)
            names.setdefault(slug, tag)
            by_tag[slug].append(post)
    return tuple(Term("tag", slug, names[slug], "", tuple(by_tag[slug]),
                      routes.in_language(config.language_folder, routes.tag(slug)))
                 for slug in sorted(by_tag, key=lambda s: names[s].lower()))


def term_pages(terms: Iterable[Term], config: SiteConfig) -> tuple[TermPage, ...]:
    return tuple(TermPage(path, term.name, term, listing)
                 for term in terms for path, listing in paginate(term.path, term.posts, config))


def archive_of(posts: Sequence[Post], config: SiteConfig) -> tuple[ArchivePeriod, ...]:
    """Group posts by year and month in the site's time zone, newest first."""
    by_month: dict[tuple[int, int], list[Post]] = defaultdict(list)
    for post in posts:
        if post.date is not None:
            local = post.date.astimezone(config.zone)
            by_month[(local.year, local.month)].append(post)
    years = []
    for year in sorted({y for y, _ in by_month}, reverse=True):
        months = tuple(
            ArchivePeriod(year, month, tuple(by_month[(year, month)]),
                          routes.in_language(config.language_folder, routes.archive_month(year, month)))
            for month in sorted((m for y, m in by_month if y == year), reverse=True)
        )
        year_posts = tuple(p for m in months for p in m.posts)
        years.append(ArchivePeriod(year, None, year_posts,
                                   routes.in_language(config.language_folder, routes.archive_year(year)), months))
    return tuple(years)


def archive_pages(archive: Sequence[ArchivePeriod], t: Translator, at: str) -> tuple[Page, ...]:
    pages: list[Page] = [PlainPage(routes.in_language(at, routes.ARCHIVE), t("archive"), PageKind.ARCHIVE)]
    for year in archive:
        pages.append(ArchivePeriodPage(year.path, str(year.year), year))
        pages.extend(ArchivePeriodPage(m.path, f"{m.year}-{m.month:02d}", m) for m in year.months)
    return tuple(pages)


def feed_pages(config: SiteConfig, posts: Sequence[Post], categories: Sequence[Term],
                t: Translator) -> tuple[FeedPage, ...]:
    limit = config.feed_limit
    return (FeedPage(routes.in_language(config.language_folder, routes.FEED), config.title, tuple(posts[:limit]), None),
            *(FeedPage(c.feed_path or "", config.title + t("sep.label") + c.name, c.posts[:limit], c) for c in categories))

"""The blog's shape in site.yaml: its authors, its categories (beats) and its navigation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from generator.config.localized import read_localized
from generator.config.schema import Section
from generator.config.values import check_link
from generator.i18n.localized import LocalizedText

DEFAULT_CATEGORIES: dict[str, dict[str, str]] = {
    "finances": {"en": "Finances", "zh-CN": "财务"},
    "culture": {"en": "Culture", "zh-CN": "文化"},
    "startup-life": {"en": "Startup life", "zh-CN": "创业日常"},
}


@dataclass(frozen=True)
class Category:
    """One beat of the blog, e.g. finances."""

    slug: str
    name: LocalizedText
    description: LocalizedText


@dataclass(frozen=True)
class Author:
    """A person who writes posts; `id` is what front matter's `author:` refers to."""

    id: str
    name: str
    url: str = ""
    bio: str = ""


@dataclass(frozen=True)
class NavItem:
    """One link in the site navigation; `url` is site-relative ('/about/') or absolute."""

    title: LocalizedText
    url: str


def read_authors(top: Section) -> tuple[Mapping[str, Author], str | None]:
    """Accept `author: Name`, `author: {name, url}` or `authors: {id: {name, url, bio}}`."""
    authors: dict[str, Author] = {}
    default: str | None = None
    single = top.get("author", (str, dict), None)
    if isinstance(single, str):
        authors[_author_id(single)] = Author(_author_id(single), single)
        default = _author_id(single)
    elif isinstance(single, dict):
        one = Section(top.doc, ("author",), single)
        name = one.get("name", str) or ""
        authors[_author_id(name)] = Author(_author_id(name), name, one.get("url", str, "", check=check_link),
                                           one.get("bio", str, ""))
        default = _author_id(name)
        one.finish()
    many = top.child("authors", default_empty=False)
    if many is not None:
        for author_id, value in list(many.items()):
            entry = Section(top.doc, ("authors", author_id), value if isinstance(value, dict) else {"name": value})
            name = entry.get("name", str, author_id)
            authors[author_id] = Author(author_id, name, entry.get("url", str, "", check=check_link),
                                        entry.get("bio", str, ""))
            entry.finish()
        if default is None and authors:
            default = next(iter(authors))
    return MappingProxyType(authors), default


def _author_id(name: str) -> str:
    return re.sub(r"\s+", "-", name.strip().lower())


def read_categories(top: Section) -> tuple[Category, ...]:
    section = top.child("categories", default_empty=False)
    if section is None:
        return tuple(
            Category(slug, LocalizedText(names["en"], MappingProxyType(names)), LocalizedText(""))
            for slug, names in DEFAULT_CATEGORIES.items()
        )
    categories: list[Category] = []
    for slug, value in list(section.items()):
        if not re.fullmatch(r"[\w-]+", slug):
            top.doc.report(("categories", slug), f"category slug {slug!r} may hold only letters, digits, '-' and '_'",
                           "use a slug such as startup-life")
            continue
        if isinstance(value, (str, dict)) or value is None:
            entry = Section(top.doc, ("categories", slug), value if isinstance(value, dict) else {"name": value or slug})
        else:
            top.doc.report(("categories", slug), f"'categories.{slug}' must be a name or a mapping with name/description")
            continue
        categories.append(Category(slug, read_localized(entry, "name", slug), read_localized(entry, "description", "")))
        entry.finish()
    return tuple(categories)


def read_navigation(top: Section) -> tuple[NavItem, ...] | None:
    items = top.get("navigation", list, None)
    if items is None:
        return None
    nav: list[NavItem] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            top.doc.report(("navigation", index), f"navigation[{index}] must be a mapping with title and url",
                           "write '- {title: About, url: /about/}'")
            continue
        entry = Section(top.doc, ("navigation", index), item)
        title = read_localized(entry, "title", "")
        url = entry.get("url", str, check=check_link,
                        hint="a site path such as /about/ or a full https:// address") or "/"
        entry.finish()
        nav.append(NavItem(title, url))
    return tuple(nav)

"""What a rendered page depends on, as one hash: its templates, the site data they read, and the page's data.

A page's key covers the source of its template and of every template that template extends, includes
or imports; the `site.*` attributes those templates read (found in their syntax trees, so a theme
override that shows `site.posts` on every page makes every page depend on every post); the page's own
data (a post in full, posts it only lists by their card: title, date, summary…); the theme assets and
the render code. Two builds that compute the same key for a page render the same bytes, so the build
cache can keep the file it wrote last time instead of rendering it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FunctionType
from typing import Any

from jinja2 import Environment, TemplateError, meta, nodes

from generator.cache import source_hash
from generator.content import Post
from generator.dashboard import Chart
from generator.model import Site
from generator.pages import Page

EVERYTHING = "*"
"""Stands for a template whose use of `site` cannot be followed: it depends on all of the site."""
FULL_POST_FIELDS = frozenset({"post", "feed_posts"})
"""Fields whose posts a page shows in full (body included); other posts are shown as cards or links."""
_SITE_ATTRIBUTES = ("config", "build_time", "posts", "pages", "categories", "tags", "archive", "navigation",
                    "static_files", "renders", "extra", "metrics", "dashboard", "references")
_ALIASES = {"category": "category_names", "tag_path": "", "charts": "dashboard"}
"""Methods and properties of Site, by the data they read ('' = none; `site.category(slug)` reads no posts)."""
RENDER_CODE = source_hash(Path(__file__).parent / name for name in ("render.py", "pages.py", "i18n/__init__.py",
                                                                 "i18n/company.py", "urls.py"))


class PageKeys:
    """Computes page keys for one site and one template environment, each shared part hashed once."""

    def __init__(self, site: Site, env: Environment, assets: Mapping[str, str]) -> None:
        self.site = site
        self.env = env
        self._templates: dict[str, tuple[bytes, frozenset[str]]] = {}
        self._site_parts: dict[str, bytes] = {}
        self._posts: dict[tuple[int, bool], bytes] = {}
        self.base = _hash(RENDER_CODE.encode(), _pickled(sorted(assets.items())), self._site_part("config"))

    def key(self, page: Page) -> str | None:
        """Return the hex key of a page rendered by its template (None when a template cannot be read:
        rendering then reports the problem at its place)."""
        try:
            sources, attributes = self.closure(page.template)
        except TemplateError:  # missing, unreadable or broken template
            return None
        names = _SITE_ATTRIBUTES if EVERYTHING in attributes else sorted(attributes)
        site_part = _hash(*(name.encode() + self._site_part(name) for name in names))
        return _hash(self.base, sources, site_part, self._value(page, full=False)).hex()

    def closure(self, name: str) -> tuple[bytes, frozenset[str]]:
        """Return a hash of the sources of a template and all it pulls in, and the site attributes they read."""
        if name not in self._templates:
            walked = list(self._walk(name, set()))
            sources = [template_name.encode() + b"\0" + source.encode("utf-8") for template_name, _, source in walked]
            trees = [tree for _, tree, _ in walked]
            attributes = _site_attributes(trees) if all(t is not None for t in trees) else frozenset({EVERYTHING})
            self._templates[name] = (_hash(*sources), attributes)
        return self._templates[name]

    def _walk(self, name: str, seen: set[str]) -> Iterator[tuple[str, Any, str]]:
        if name in seen:
            return
        seen.add(name)
        source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        tree = self.env.parse(source)
        yield name, tree, source
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:  # a template name computed at render time: assume the worst
                yield f"{name}:dynamic", None, ""
                continue
            yield from self._walk(referenced, seen)

    def _site_part(self, name: str) -> bytes:
        name = _ALIASES.get(name, name)
        if name not in self._site_parts:
            if name == "category_names":
                value: Any = tuple((c.slug, c.name, c.description, c.path, c.feed_path) for c in self.site.categories)
            else:
                value = getattr(self.site, name, None) if name else b""  # an unknown name fails at render
            self._site_parts[name] = self._value(value, full=True)
        return self._site_parts[name]

    def _value(self, value: Any, *, full: bool) -> bytes:
        """Return a digest of a page's data; posts in full or as cards, by the field that holds them."""
        if isinstance(value, Post):
            return self._post(value, full)
        if isinstance(value, tuple):
            return _hash(*(self._value(item, full=full) for item in value))
        if dataclasses.is_dataclass(value) and not isinstance(value, type) and _holds_posts(value):
            return _hash(type(value).__name__.encode(), *(
                self._value(getattr(value, f.name), full=f.name in FULL_POST_FIELDS) for f in dataclasses.fields(value)))
        return _hash(self._pickled_with_cards(value))

    def _pickled_with_cards(self, value: Any) -> bytes:
        """Pickle a value with every post inside it (a dashboard month's posts, say) as its card digest."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = self._persistent_id  # type: ignore[method-assign]
        pickler.dump(value)
        return buffer.getvalue()

    def _persistent_id(self, obj: Any) -> bytes | str | None:
        if isinstance(obj, Post):
            return self._post(obj, False)
        if isinstance(obj, FunctionType):  # a metric's compute function: pages show its results, not its code
            return f"{obj.__module__}.{obj.__qualname__}"
        return None

    def _post(self, post: Post, full: bool) -> bytes:
        memo = (id(post), full)
        if memo not in self._posts:
            if full:
                references = self.site.references.get(post.source, ())
                charts = self._site_part("dashboard") if any(isinstance(r, Chart) for r in references) else b""
                self._posts[memo] = _hash(_pickled(post), _pickled(references), charts)
            else:  # a card or a link: everything but the body
                self._posts[memo] = _hash(_pickled(dataclasses.replace(post, body_html="", headings=())))
        return self._posts[memo]


def _holds_posts(value: Any) -> bool:
    """Return True for the page and listing types that carry posts (the rest are hashed whole)."""
    return isinstance(value, Page) or type(value).__name__ in ("Listing", "Term", "ArchivePeriod", "Site")


def _site_attributes(trees: list[nodes.Template]) -> frozenset[str]:
    """Return the `site.X` attributes templates read; EVERYTHING when `site` goes somewhere not followed.

    `site` may be passed to a macro of these templates whose parameter is also called `site` (the
    macro's own `site.X` are then found too); any other use of it, or a macro that renames it, means the
    templates may read anything.
    """
    found: set[str] = set()
    followed: set[int] = set()
    macros = {macro.name: [arg.name for arg in macro.args] for tree in trees for macro in tree.find_all(nodes.Macro)}
    for tree in trees:
        for node in tree.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name == "site":
                found.add(node.attr)
                followed.add(id(node.node))
        for call in tree.find_all(nodes.Call):
            followed.update(_site_passed_to_macro(call, macros))
        for macro in tree.find_all(nodes.Macro):
            followed.update(id(arg) for arg in macro.args if arg.name == "site")
    bare = [n for tree in trees for n in tree.find_all(nodes.Name) if n.name == "site" and id(n) not in followed]
    return frozenset(found | ({EVERYTHING} if bare else set()))


def _site_passed_to_macro(call: nodes.Call, macros: Mapping[str, list[str]]) -> set[int]:
    """Return the `site` arguments of a call that land in a macro parameter named `site`."""
    callee = call.node.name if isinstance(call.node, nodes.Name) else \
        call.node.attr if isinstance(call.node, nodes.Getattr) else None
    params = macros.get(callee or "")
    if params is None:
        return set()
    passed = {id(arg) for index, arg in enumerate(call.args)
              if isinstance(arg, nodes.Name) and arg.name == "site" and index < len(params) and params[index] == "site"}
    passed |= {id(kw.value) for kw in call.kwargs
               if kw.key == "site" and isinstance(kw.value, nodes.Name) and kw.value.name == "site"}
    return passed


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()

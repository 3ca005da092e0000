"""What a rendered page depends on, as one hash: its templates, the site data they read, and the page's data.

A page's key covers the source of its template and of every template that template extends, includes
or imports; the `site.*` attributes those templates read (found in their syntax trees, so a theme
override that shows `site.posts` on every page makes every page depend on every post); the page's own
data (a post in full, posts it only lists by their card: title, date, summary…); the theme assets and
the code (the package's one fingerprint, `cache.code_fingerprint`). Two builds that compute the same key for a page render the same bytes, so the build
cache can keep the file it wrote last time instead of rendering it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FunctionType
from typing import Any

from jinja2 import Environment, TemplateError, meta, nodes

from generator.cache import CacheUpdate, cache_folder, code_fingerprint, load_cache
from generator.content import Post
from generator.content.post import post_card
from generator.dashboard import Chart
from generator.memory import Digests
from generator.model import Site
from generator.pages import Page

PageDigests = dict[tuple[str, bool], tuple[Page, bytes]]
"""Pages and their digests, by (output path, in full)."""
EVERYTHING = "*"
"""Stands for a template whose use of `site` cannot be followed: it depends on all of the site."""
FULL_POST_FIELDS = frozenset({"post", "feed_posts"})
"""Fields whose posts a page shows in full (body included); other posts are shown as cards or links."""
_SITE_ATTRIBUTES = ("config", "build_time", "posts", "pages", "categories", "tags", "archive", "navigation",
                    "static_files", "renders", "extra", "metrics", "dashboard", "references", "translations")
_ALIASES = {"category": "category_names", "tag_path": "", "charts": "dashboard", "home_path": "", "feed_path": "",
            "archive_path": ""}
"""Methods and properties of Site, by the data they read ('' = none; `site.category(slug)` reads no posts)."""
TEMPLATE_FACTS: dict[tuple[str, Any], Any] = {}
"""What each template source references and what each closure of templates reads, by hash; kept for the
life of the process (`serve`) and between builds in the build cache (`load_template_facts`)."""
TEMPLATE_FACTS_FILE = "templates.pickle"


def load_template_facts(site_root: Path) -> str | None:
    """Add the template facts of earlier builds to TEMPLATE_FACTS; return a note if the file was unreadable."""
    loaded = load_cache(cache_folder(site_root) / TEMPLATE_FACTS_FILE, "templates", code_fingerprint())
    TEMPLATE_FACTS.update(loaded.entries)
    if not loaded.note and loaded.entries.keys() >= TEMPLATE_FACTS.keys():
        _FACTS_ON_DISK[site_root] = len(TEMPLATE_FACTS)
    return loaded.note


def template_facts_update(site_root: Path) -> CacheUpdate | None:
    """Return the template facts to save once the build has succeeded (None: nothing new since loading)."""
    if len(TEMPLATE_FACTS) == _FACTS_ON_DISK.get(site_root):
        return None
    _FACTS_ON_DISK[site_root] = len(TEMPLATE_FACTS)
    return CacheUpdate(cache_folder(site_root) / TEMPLATE_FACTS_FILE, "templates", code_fingerprint(), dict(TEMPLATE_FACTS))


_FACTS_ON_DISK: dict[Path, int] = {}


class KeyMemory:
    """The digests a long-running process's last build made, by object identity (`serve`, issue 24).

    Objects a rebuild reuses — a dashboard assembled from unchanged inputs, its month and metric pages —
    are not hashed again. Each entry keeps its object alive (an id is only unique while its object lives);
    after a build, only the entries that build used are kept.
    """

    def __init__(self, digests: Digests | None = None, kept: Callable[[Digests], None] | None = None) -> None:
        self.digests: Digests = digests or {}
        """Carried into this build: the last build's, or those a build's kept results came with
        (memory.StoredRecall)."""
        self._kept = kept
        """A build's: given each language's digests, and nothing is held (its next build reads them from disk)."""
        self.pages: PageDigests = {}
        """The last build's pages and their digests, by output path: a page made again from the same objects
        (`_same`) has the same digest, without hashing it again."""
        self._next_digests: Digests = {}
        self._next_pages: PageDigests = {}

    @property
    def carries_pages(self) -> bool:
        """Whether the next build looks this build's pages up (a long-running process's memory)."""
        return self._kept is None

    def keep(self, digests: Digests, pages: PageDigests) -> None:
        """Keep one language's digests of this build (a site in several languages keeps each's)."""
        if self._kept is not None:  # a build's: 14 MB of digests at 5,000 posts not held while pages are written
            self._kept(digests)
            return
        self._next_digests.update(digests)
        self._next_pages.update(pages)

    def next_build(self) -> None:
        """Carry what this build kept into the next (the rest is let go)."""
        self.digests, self.pages = self._next_digests, self._next_pages
        self._next_digests, self._next_pages = {}, {}


class PageKeys:
    """Computes page keys for one site and one template environment, each shared part hashed once."""

    def __init__(self, site: Site, env: Environment, assets: Mapping[str, str],
                 memory: KeyMemory | None = None) -> None:
        self.site = site
        self.env = env
        self._templates: dict[str, tuple[bytes, frozenset[str]]] = {}
        self._site_parts: dict[str, bytes] = {}
        self._memory = memory
        self._carried = memory.digests if memory is not None else {}
        self._last_pages = memory.pages if memory is not None else {}
        self._pages: PageDigests = {}
        self._pages_carried = memory is not None and memory.carries_pages
        """Whether the next build looks pages up by path (`serve`; 12,000 entries at 5,000 posts otherwise held)."""
        self._site_keys: dict[frozenset[str], bytes] = {}
        self._compared: dict[tuple[int, int], bool] = {}
        self._digests: Digests = {}
        """Values and posts hashed by this build, by (id, in full): kept with their object."""
        self._bound: Digests = {}
        """Those that hold a post in full with references: this build's alone."""
        self._referring = 0
        self._all_templates: str | None = None
        self.base = _hash(code_fingerprint().encode(), _pickle_digest(sorted(assets.items())), self._site_part("config"))

    def key(self, page: Page) -> str | None:
        """Return the hex key of a page rendered by its template (None when a template cannot be read:
        rendering then reports the problem at its place)."""
        try:
            sources, attributes = self.closure(page.template)
        except (TemplateError, UnicodeDecodeError):  # missing, unreadable or broken template: render reports it
            return None
        if attributes not in self._site_keys:
            names = _SITE_ATTRIBUTES if EVERYTHING in attributes else sorted(attributes)
            self._site_keys[attributes] = _hash(*(name.encode() + self._site_part(name) for name in names))
        return _hash(self.base, sources, self._site_keys[attributes], self._value(page, full=False)).hex()

    def closure(self, name: str) -> tuple[bytes, frozenset[str]]:
        """Return a hash of the sources of a template and all it pulls in, and the site attributes they read.

        What a template references and reads is remembered by the hash of its source (`TEMPLATE_FACTS`,
        saved with the build cache), so an unchanged theme is not parsed again.
        """
        if name not in self._templates:
            walked = list(self._walk(name, set()))
            closure_hash = _hash(*(f"{template}\0{digest}".encode() for template, digest, _ in walked))
            attributes = TEMPLATE_FACTS.get(("attributes", closure_hash))
            if attributes is None:
                trees = [self._tree(source) if source is not None else None for _, _, source in walked]
                attributes = _site_attributes(trees) if all(t is not None for t in trees) else frozenset({EVERYTHING})
                TEMPLATE_FACTS[("attributes", closure_hash)] = attributes
            self._templates[name] = (closure_hash, attributes)
        return self._templates[name]

    def _walk(self, name: str, seen: set[str]) -> Iterator[tuple[str, str, str | None]]:
        """Yield (name, source hash, source) of a template and of every template it pulls in."""
        if name in seen:
            return
        seen.add(name)
        source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        yield name, digest, source
        referenced = TEMPLATE_FACTS.get(("references", digest))
        if referenced is None:
            referenced = TEMPLATE_FACTS[("references", digest)] = tuple(
                meta.find_referenced_templates(self._tree(source)))
        for other in referenced:
            if other is None:  # a name computed at render time: it may be any template (issue 22)
                yield f"{name}:dynamic", self._every_template(), None
                continue
            yield from self._walk(other, seen)

    def _every_template(self) -> str:
        """Return one hash of every template the loader can find: what a computed include may pull in."""
        if self._all_templates is None:
            digest = hashlib.sha256()
            for listed in sorted(set(self.env.list_templates())):
                try:
                    source, _, _ = self.env.loader.get_source(self.env, listed)  # type: ignore[union-attr]
                except (TemplateError, UnicodeDecodeError):
                    source = "\0unreadable"
                digest.update(f"{listed}\0{hashlib.sha256(source.encode('utf-8')).hexdigest()}\0".encode())
            self._all_templates = digest.hexdigest()
        return self._all_templates

    def _tree(self, source: str) -> nodes.Template:
        return self.env.parse(source)

    def _site_part(self, name: str) -> bytes:
        name = _ALIASES.get(name, name)
        if name not in self._site_parts:
            if name == "category_names":
                value: Any = tuple((c.slug, c.name, c.description, c.path, c.feed_path) for c in self.site.categories)
            elif name == "open_data":  # what Site.open_data is made from (config is in the base): not made again
                value = (self.site.metrics, self.site.build_time, self.site.revision)
            else:
                value = getattr(self.site, name, None) if name else b""  # an unknown name fails at render
            self._site_parts[name] = self._value(value, full=True)
        return self._site_parts[name]

    def _value(self, value: Any, *, full: bool) -> bytes:
        """Return a digest of a page's data; posts in full or as cards, by the field that holds them."""
        if isinstance(value, Post):
            return self._post(value, full)
        if type(value) is str:  # paths and titles: most are made anew by each build, and cheap to hash
            return _hash(b"str", value.encode("utf-8", "surrogatepass"))
        if isinstance(value, Page):
            return self._page(value, full)
        # terms, listings and archive periods are shared by many pages: hash each once
        return self._once(value, full, lambda: self._digest(value, full))

    def _page(self, page: Page, full: bool) -> bytes:
        """Return a page's digest: the last build's when it holds the same objects (a long-running process)."""
        mine = self._digests.get((id(page), full))
        if mine is not None and mine[0] is page:  # asked again in this build (every page is in `site.renders`)
            return mine[1]
        slot = (page.output_path, full)
        last = self._last_pages.get(slot)
        if last is not None and self._same(last[0], page):
            self._digests[(id(page), full)] = (page, last[1])
            self._pages[slot] = last
            return last[1]
        digest = self._once(page, full, lambda: self._digest(page, full))
        if self._pages_carried and (id(page), full) in self._digests:  # not one showing references this build
            self._pages[slot] = (page, digest)                          # resolved (`_bound`)
        return digest

    def _once(self, value: Any, full: bool, digest: Callable[[], bytes]) -> bytes:
        memo = (id(value), full)
        found = self._digests.get(memo) or self._bound.get(memo) or self._carried.get(memo)
        if found is None or found[0] is not value:
            referring = self._referring
            found = (value, digest())  # the object is kept: an id is only unique while its object lives
            if self._referring != referring:  # it holds a post whose references this build resolved: not carried
                self._bound[memo] = found
                return found[1]
        self._digests[memo] = found
        return found[1]

    def _same(self, last: Any, new: Any) -> bool:
        """Return True when `new` is made of the very objects `last` was (equal strings, integers and bytes count
        as the same; so do tuples and dataclasses of same things, a post only when it is the same object)."""
        if last is new:
            return True
        kind = type(last)
        if kind is not type(new) or kind is Post:
            return False
        if kind in (str, int, bool, bytes):  # not floats (0.0 == -0.0) nor dates (equal instants in other zones)
            return last == new
        pair = (id(last), id(new))  # both live through this build: terms and listings are shared by many pages
        if pair not in self._compared:
            if kind is tuple:
                self._compared[pair] = len(last) == len(new) and all(map(self._same, last, new))
            else:
                names = _field_names(kind)
                self._compared[pair] = names is not None and all(
                    self._same(getattr(last, name), getattr(new, name)) for name in names)
        return self._compared[pair]

    def remember(self) -> None:
        """Keep this build's digests for the next build of a long-running process (the rest are let go)."""
        if self._memory is not None:
            self._memory.keep(self._digests, self._pages)

    def _digest(self, value: Any, full: bool) -> bytes:
        if isinstance(value, tuple):
            return _hash(*(self._value(item, full=full) for item in value))
        if dataclasses.is_dataclass(value) and not isinstance(value, type) and _holds_posts(value):
            return _hash(type(value).__name__.encode(), *(
                self._value(getattr(value, f.name), full=f.name in FULL_POST_FIELDS) for f in dataclasses.fields(value)))
        return self._pickled_with_cards(value)

    def _pickled_with_cards(self, value: Any) -> bytes:
        """Return the digest of a value pickled with every post inside it (a dashboard month's posts, say) as its
        card digest."""
        digest = _PickleDigest()
        pickler = pickle.Pickler(digest, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = self._persistent_id  # type: ignore[method-assign]
        pickler.dump(value)
        return digest.digest()

    def _persistent_id(self, obj: Any) -> bytes | str | None:
        if isinstance(obj, Post):
            return self._post(obj, False)
        if isinstance(obj, FunctionType):  # a metric's compute function: pages show its results, not its code
            return f"{obj.__module__}.{obj.__qualname__}"
        return None

    def _post(self, post: Post, full: bool) -> bytes:
        if full:
            references = self.site.references.get(post.source, ())
            if references:  # what they stand for belongs to this build: never carried by the post's identity
                self._referring += 1
                charts = self._site_part("dashboard") if any(isinstance(r, Chart) for r in references) else b""
                return _hash(_pickle_digest(post), _pickle_digest(references), charts)
            return self._once(post, True, lambda: _hash(_pickle_digest(post), _pickle_digest(()), b""))
        # a card or a link: everything but the body
        return self._once(post, False, lambda: _hash(_pickle_digest(post_card(post))))


def _field_names(kind: type) -> tuple[str, ...] | None:
    """Return the field names of a dataclass type (None for other types), looked up once per type."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) \
            else None
    return _FIELD_NAMES[kind]


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


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


class _PickleDigest:
    """A file that hashes what is written to it: a pickle hashed as it is made, never held (the whole dashboard
    pickled was 5 MiB on the peak of a cold build of 5,000 posts, issue 24)."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256(b"pickle\0")

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        return len(data)

    def digest(self) -> bytes:
        return self._digest.digest()


def _pickle_digest(value: Any) -> bytes:
    digest = _PickleDigest()
    pickle.Pickler(digest, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return digest.digest()


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()

"""The same generated corpus as sites for opensite, Pelican and Hugo, and how to build and serve each.

Each tool gets the posts of `make_corpus` (same text, dates, categories and tags) in its own format:
YAML front matter for opensite and Hugo, Pelican's `Key: value` header for Pelican. Hugo gets minimal
layouts (home, list with pagination, single, taxonomies, RSS) comparable to what the others render.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from make_corpus import make_corpus, make_post
from make_metrics import write_metrics

PELICAN_CONF = """\
AUTHOR = "Bench"
SITENAME = "Bench Co"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
CACHE_PATH = "cache"
DELETE_OUTPUT_DIRECTORY = False
"""

HUGO_CONFIG = """\
baseURL = "https://bench.example/"
title = "Bench Co"
languageCode = "en"
timeZone = "Europe/Berlin"
[pagination]
  pagerSize = 10
[taxonomies]
  category = "categories"
  tag = "tags"
[markup.highlight]
  noClasses = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
        </head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
        <nav>{{ range .Site.Taxonomies.categories }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
        </header><main>{{ block "main" . }}{{ end }}</main></body></html>
    """,
    "_default/single.html": """\
        {{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "January 2, 2006" }}</time>
        <p>{{ .ReadingTime }} min read</p>{{ .TableOfContents }}{{ .Content }}
        {{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
        {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</article>{{ end }}
    """,
    "_default/list.html": """\
        {{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2>
        <a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
        {{ template "_internal/pagination.html" . }}{{ end }}
    """,
    "index.html": """\
        {{ define "main" }}{{ range (.Paginate (where .Site.RegularPages "Type" "posts")).Pages }}<article><h2>
        <a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}
        {{ template "_internal/pagination.html" . }}{{ end }}
    """,
    "_default/terms.html": """\
        {{ define "main" }}<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">
        {{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
    """,
}


@dataclass(frozen=True)
class Peer:
    """One generator in the comparison: where its site is and how to build and serve it."""

    name: str
    site: Path
    post_folder: Path

    def build_command(self, tools: Mapping[str, str]) -> list[str]:
        """Return the command that builds this site; `tools` maps a peer's name to its executable."""
        if self.name == "opensite":
            return [sys.executable, "-m", "generator", "build", "-q", "-s", str(self.site)]
        if self.name == "pelican":
            return [tools["pelican"], str(self.site / "content"), "-o", str(self.site / "output"),
                    "-s", str(self.site / "pelicanconf.py"), "-q"]
        return [tools["hugo"], "--quiet", "-s", str(self.site), "-d", str(self.site / "public")]

    def output(self) -> Path:
        return self.site / ("public" if self.name == "hugo" else "output")

    def clean(self) -> None:
        """Remove the output and every cache, for a cold build."""
        for name in ("output", "public", "cache", ".opensite-cache", "resources"):
            shutil.rmtree(self.site / name, ignore_errors=True)


def make_peer_sites(count: int, root: Path, seed: int = 7, metrics: bool = True) -> list[Peer]:
    """Write the corpus of `count` posts three times, once per generator, under `root`.

    opensite's copy also gets five years of metrics (bench/make_metrics.py) unless `metrics` is False: its
    dashboard is part of a real site's build, and Pelican and Hugo have no equivalent to build.
    """
    opensite = make_corpus(count, root / "opensite", seed)
    if metrics:
        write_metrics(opensite)
    pelican, hugo = root / "pelican", root / "hugo"
    (pelican / "content").mkdir(parents=True, exist_ok=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    (hugo / "content/posts").mkdir(parents=True, exist_ok=True)
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, layout in HUGO_LAYOUTS.items():
        (hugo / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / name).write_text(textwrap.dedent(layout), encoding="utf-8")
    rng = random.Random(seed)
    for index in range(count):
        name, text = make_post(index, rng)
        (hugo / "content/posts" / name).write_text(_hugo_post(text), encoding="utf-8")
        (pelican / "content" / name).write_text(_pelican_post(text), encoding="utf-8")
    return [Peer("opensite", opensite, opensite / "content/posts"), Peer("pelican", pelican, pelican / "content"),
            Peer("hugo", hugo, hugo / "content/posts")]


def _hugo_post(text: str) -> str:
    """Write the date as Hugo parses it (RFC 3339: `2024-03-04T09:00:00`)."""
    return re.sub(r"^date: (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$", r"date: \1T\2:00", text, count=1, flags=re.M)


def _pelican_post(text: str) -> str:
    """Turn YAML front matter into Pelican's `Key: value` header (list values comma-separated)."""
    _, front, body = text.split("---\n", 2)
    lines = []
    for line in front.strip().splitlines():
        key, value = line.split(": ", 1)
        value = value.strip().strip('"')
        if value.startswith("["):
            value = value.strip("[]")
        lines.append(f"{key.capitalize()}: {value}")
    return "\n".join(lines) + "\n\n" + body

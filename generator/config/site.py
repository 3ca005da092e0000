"""site.yaml to a frozen SiteConfig: defaults, validation and "did you mean" in one pass."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale

from generator.config.blog import Author, Category, NavItem, read_authors, read_categories, read_navigation
from generator.config.company import TeamConfig, read_fiscal_year_start, read_team
from generator.config.dashboard import DashboardConfig, read_dashboard
from generator.config.imports import ImportEntry, read_imports
from generator.config.languages import Language, read_default_language, read_languages, read_untranslated
from generator.config.lengths import report_long_values
from generator.config.localized import read_localized
from generator.config.metrics import parse_metrics_section
from generator.config.pictures import ShareImagesConfig, read_share_images
from generator.config.schema import ConfigDocument, Section, freeze
from generator.config.strings import read_strings
from generator.config.values import (
    check_base_url,
    check_link,
    check_permalink,
    check_pygments_style,
    check_timezone,
    normalize_base_url,
    positive,
)
from generator.errors import ConfigError
from generator.i18n.localized import LocalizedText
from generator.names import METRICS_DIR_VARIABLE
from generator.plaintext import find_control_characters
from generator.urls import base_path_of

CONFIG_NAME = "site.yaml"
"""Environment variable naming the metrics folder (for CI that checks out a private repository)."""


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, validated and with defaults filled in."""

    root: Path
    """Folder holding site.yaml, content/, metrics/ and templates/."""
    title: str
    """Site name, shown in the header, feeds and page titles."""
    description: str = ""
    """One sentence about the site: meta description and feed subtitle."""
    base_url: str = "http://localhost:8000/"
    """Public address, ending in '/'; may hold a subpath such as https://acme.github.io/open/."""
    language: str = "en"
    """BCP 47 tag ('en', 'zh-CN'): chrome strings, date and number formats, <html lang>."""
    timezone: str = "UTC"
    """IANA name; naive times in front matter are read in this zone."""
    authors: Mapping[str, Author] = field(default_factory=lambda: MappingProxyType({}))
    default_author: str | None = None
    """Author id used for posts whose front matter names nobody."""
    categories: tuple[Category, ...] = ()
    categories_listed: bool = False
    """True when site.yaml lists `categories:`; else they are the defaults and only those with posts are shown."""
    navigation: tuple[NavItem, ...] | None = None
    """Header links; None means the default (categories, archive, pages)."""
    allow_remote: tuple[str, ...] = ()
    """Hosts pages may load images, players or scripts from (`allow_remote: [youtube.com]`); others are warned about."""
    posts_per_page: int = 10
    permalink: str = "/{year}/{month}/{slug}/"
    feed_limit: int = 20
    """How many newest posts each Atom feed holds."""
    highlight_light: str = "xcode"
    highlight_dark: str = "lightbulb"
    """Pygments styles for code in light and dark mode."""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Free-form values passed to templates as `site.extra`."""
    metrics: Any = None
    """The `metrics:` section (see generator.config.metrics), or None when the site has none."""
    dashboard: DashboardConfig = field(default_factory=DashboardConfig)
    """The `dashboard:` section: title, path and KPI cards of the metrics dashboard."""
    strings: Mapping[str, LocalizedText] = field(default_factory=lambda: MappingProxyType({}))
    """The site's own wording of theme strings (`strings:`), by generator.i18n key."""
    team: TeamConfig = field(default_factory=TeamConfig)
    """The `team:` section: the team page, salary disclosure and pay formula (generator.config.company)."""
    fiscal_year_start: int = 1
    """First month of the company's year (1 = January), for the year pages."""
    imports: tuple[ImportEntry, ...] = ()
    """The `imports:` list: the exports `opensite import` reads when run without arguments (issue 21)."""
    share_images: ShareImagesConfig = field(default_factory=ShareImagesConfig)
    """The `share_images:` section: the font of the share cards (generator.config.pictures)."""
    languages: tuple[Language, ...] = ()
    """`languages:`, the first the default (issue 23); () for a site that speaks one language."""
    untranslated: str = "own_language"
    """Where a post without a translation is listed: 'own_language' or 'every_language' (with a badge)."""
    language_folder: str = ""
    """Where the pages built with these settings live: '' (the root) but in another language's view
    (`in_language`), 'zh/'."""

    metrics_dir: Path | None = None
    """Where the metrics CSVs are read from when not `root/metrics` (a private checkout, say): from
    `--metrics-dir`, else the OPENSITE_METRICS_DIR environment variable, else site.yaml's `metrics_dir:`."""

    @property
    def metrics_folder(self) -> Path:
        """Return the folder the metrics CSVs (and annotations.csv) are read from."""
        return self.metrics_dir if self.metrics_dir is not None else self.root / "metrics"
    """The `dashboard:` section: title, path and KPI cards of the metrics dashboard."""

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def base_path(self) -> str:
        """Return the path part of base_url, e.g. '/open/' (always starts and ends with '/')."""
        return base_path_of(self.base_url)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language, sep="-")

    @property
    def string_overrides(self) -> dict[str, str]:
        """Return the `strings:` overrides in the site's language, for i18n.Translator."""
        return {key: text.get(self.language) for key, text in self.strings.items()}

    def category(self, slug: str) -> Category | None:
        """Return the category with this slug, or None."""
        return next((c for c in self.categories if c.slug == slug), None)

    def in_language(self, language: Language) -> SiteConfig:
        """Return the settings one language's pages are built with: its tag, title, description and folder."""
        return replace(self, language=language.tag, title=language.title, description=language.description,
                       language_folder=language.folder)

    def language_named(self, tag: str | None) -> Language | None:
        """Return the declared language with this tag (None on a one-language site, or for None)."""
        return next((language for language in self.languages if language.tag == tag), None)


def load_config(root: Path, *, base_url: str | None = None, metrics_dir: Path | None = None,
                environ: Mapping[str, str] = os.environ) -> SiteConfig:
    """Read and validate `root/site.yaml`; raise ConfigError listing every problem found.

    Args:
        root: the site folder.
        base_url: overrides site.yaml's base_url (the `--base-url` option).
        metrics_dir: overrides where metrics are read (the `--metrics-dir` option).
        environ: the environment, for METRICS_DIR_VARIABLE.
    """
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"no {CONFIG_NAME} in {root}", path,
                          hint="run opensite in a site folder, pass --site DIR, or create one with 'opensite init'")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(f"{CONFIG_NAME} is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read", path,
                          line, column, hint="save the file as UTF-8") from None
    if base_url is not None and check_base_url(base_url):
        raise ConfigError(f"--base-url {check_base_url(base_url)}",
                          hint="write the full address, e.g. https://acme.github.io/open/")
    doc = ConfigDocument.parse(path, text)
    if doc.problems:  # the YAML itself is broken: nothing below it can be trusted
        raise ConfigError(diagnostics=doc.problems)
    override = _metrics_dir_override(metrics_dir, environ)
    config = parse_config(doc, root, base_url_override=base_url, metrics_dir_override=override)
    errors = sorted((p for p in doc.problems if p.severity == "error"), key=lambda p: (p.line or 0, p.column or 0))
    if errors:
        raise ConfigError(diagnostics=errors)
    return config


def parse_config(doc: ConfigDocument, root: Path, *, base_url_override: str | None = None,
                 metrics_dir_override: Path | None = None) -> SiteConfig:
    """Turn a parsed document into SiteConfig, recording problems on `doc` instead of raising.

    `metrics_dir_override` (from --metrics-dir or the environment) replaces site.yaml's `metrics_dir:`, which is
    then not checked: in CI the private checkout sits elsewhere than on the founder's machine (issue 20).
    """
    top = doc.root()
    _report_control_characters(doc)
    report_long_values(doc)
    language = read_default_language(top)
    title = _read_title(top)
    description = read_localized(top, "description", "")
    authors, default_author = read_authors(top)
    base_url = top.get("base_url", str, "http://localhost:8000/", check=check_base_url,
                       hint="write the full address, e.g. https://acme.github.io/open/")
    config = SiteConfig(
        root=root,
        title=title.get(language),
        description=description.get(language),
        base_url=normalize_base_url(base_url_override or base_url),
        language=language,
        timezone=top.get("timezone", str, "UTC", check=check_timezone),
        authors=authors,
        default_author=default_author,
        categories=read_categories(top),
        categories_listed=isinstance(top.data.get("categories"), dict),
        navigation=read_navigation(top),
        allow_remote=tuple(h.lower().removeprefix("*.").strip(".") for h in top.get_str_list("allow_remote")),
        posts_per_page=top.get("posts_per_page", int, 10, check=positive),
        permalink=top.get("permalink", str, "/{year}/{month}/{slug}/", check=check_permalink),
        feed_limit=top.get("feed_limit", int, 20, check=positive),
        **_read_highlight(top),
        extra=freeze(_read_extra(top)),
        metrics=_read_metrics(top),
        dashboard=read_dashboard(top),
        strings=read_strings(top),
        metrics_dir=_read_metrics_dir(top, root, check=metrics_dir_override is None) or metrics_dir_override,
        team=read_team(top),
        fiscal_year_start=read_fiscal_year_start(top),
        imports=read_imports(top),
        share_images=read_share_images(top, root),
        languages=read_languages(top, title, description),
        untranslated=read_untranslated(top),
    )
    top.finish(aliases={"baseurl": "base_url", "baseURL": "base_url", "lang": "language",
                        "paginate": "posts_per_page", "params": "extra", "url": "base_url"})
    return config


def _read_title(top: Section) -> LocalizedText:
    """Read `title:`, once or per language (`title: {en: Tallybird, zh-CN: 记账鸟}`)."""
    if top.data.get("title") is None:
        return LocalizedText(top.get("title", str, hint="add 'title: Your startup' at the top of site.yaml") or "")
    return read_localized(top, "title", "")


def _read_metrics_dir(top: Section, root: Path, *, check: bool = True) -> Path | None:
    """Read `metrics_dir:` (relative to the site folder), reporting a folder that does not exist."""
    written = top.get("metrics_dir", str, None)
    if written is None or not check:
        return None
    folder = (root / Path(written).expanduser()).resolve()
    if not folder.is_dir():
        top.doc.report(("metrics_dir",), f"'metrics_dir' {written!r} is not a folder ({folder})",
                       "check the path; it is relative to the folder holding site.yaml")
        return None
    return folder


def _metrics_dir_override(given: Path | None, environ: Mapping[str, str]) -> Path | None:
    """Return `--metrics-dir`, else the environment variable, resolved; raise ConfigError if it is no folder."""
    name = "--metrics-dir" if given is not None else METRICS_DIR_VARIABLE
    written = given if given is not None else Path(environ[METRICS_DIR_VARIABLE]) \
        if environ.get(METRICS_DIR_VARIABLE, "").strip() else None
    if written is None:
        return None
    folder = written.expanduser().resolve()
    if not folder.is_dir():
        raise ConfigError(f"{name} {str(written)!r} is not a folder", hint="check the path of the metrics folder")
    return folder


def _read_extra(top: Section) -> dict[str, Any]:
    """Return `extra:`, refusing script URLs anywhere in it: templates may put any value in an href."""
    extra = top.get("extra", dict, {})
    for keypath, value in _strings(extra, ("extra",)):
        if check_link(value):
            top.doc.report(keypath, f"{'.'.join(map(str, keypath))!r} {check_link(value)}",
                           "write an https:// address or a site path")
    return extra


def _report_control_characters(doc: ConfigDocument) -> None:
    """Refuse control characters (written as YAML escapes such as "\\e"): they break every feed's XML."""
    for keypath, value in _strings(doc.data, ()):
        found = next(find_control_characters(value), None)
        if found is not None:
            doc.report(keypath, f"{'.'.join(map(str, keypath))!r} holds the control character {found.name}",
                       "remove it: feeds and pages must stay well-formed XML")


def _strings(data: Any, keypath: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Yield (key path, text) for every string value nested in `data`."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [(keypath, data)]
    while pending:
        keypath, value = pending.pop()
        if isinstance(value, dict):
            pending.extend((keypath + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((keypath + (index,), item) for index, item in enumerate(value))
        elif isinstance(value, str):
            yield keypath, value


def _read_metrics(top: Section) -> Any:
    """Read the optional `metrics:` section with its own schema (generator.config.metrics)."""
    section = top.child("metrics", default_empty=False)
    return parse_metrics_section(section) if section is not None else None


DEFAULT_HIGHLIGHT = ("xcode", "lightbulb")
"""Pygments styles whose every colour passes WCAG AA (4.5:1) on the theme's code background, light and dark."""


def _read_highlight(top: Section) -> dict[str, str]:
    section = top.child("highlight")
    light, dark = DEFAULT_HIGHLIGHT
    if section:
        light = section.get("light", str, light, check=check_pygments_style)
        dark = section.get("dark", str, dark, check=check_pygments_style)
    if section:
        section.finish()
    return {"highlight_light": light, "highlight_dark": dark}

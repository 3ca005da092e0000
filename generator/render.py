"""Site to HTML, XML and text files: the Jinja environment, its filters, and theme assets.

Templates are looked up in the site's `templates/` first and the packaged theme second; the
theme is also reachable as `default/<name>` so an override can extend what it replaces.
Markdown's HTML is marked safe in exactly one place, `PostBodies`, which also draws each
`{{ metric }}` / `{{ chart }}` placeholder with the theme's macros (`_charts.html`), the same the
dashboard uses, so a theme override changes posts and dashboard alike.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from collections import OrderedDict
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date, format_skeleton
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from jinja2 import (
    TemplateError as JinjaTemplateError,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from markupsafe import Markup, escape
from pygments.formatters import HtmlFormatter

from generator import routes
from generator.config import SiteConfig
from generator.content import Post
from generator.dashboard import Chart, MetricValue, Resolved, substitute_placeholders
from generator.errors import TemplateError
from generator.i18n import Translator
from generator.inside import is_inside
from generator.model import OutputFile, Site
from generator.numbers import NumberFormat
from generator.pages import Page, PostBacked
from generator.plaintext import strip_control_characters
from generator.textwidth import text_width
from generator.urls import absolute_url, absolute_urls_in_html, public_url

THEME_PACKAGE = "generator"
THEME_TEMPLATES = "theme/templates"

REFERENCE_MACROS = "_charts.html"
"""The theme template whose `metric_value` and `chart_figure` macros draw references in posts."""

TEMPLATES_DIR = "templates"


class TemplateOutside(JinjaTemplateError):
    """A template name or file that leads outside the template folders or the site: refused, never read."""

    def __init__(self, message: str, link: Path | None = None) -> None:
        super().__init__(message)
        self.link = link
        """The symbolic link that leaves the site, when that is the cause."""


class SiteTemplateLoader(FileSystemLoader):
    """The site's templates/, where nothing outside the template folders or the site is read.

    Jinja already refuses `..` in a name, but only as "not found", and follows symbolic links
    anywhere: `templates/x.html -> /etc/passwd` would be rendered into a page (issue #11, §1).
    A name that climbs out or is absolute, and a file whose links resolve outside the site, raise
    TemplateOutside, which the ChoiceLoader does not pass over to the theme.
    """

    def __init__(self, folder: Path, site_root: Path) -> None:
        super().__init__(folder)
        self.folder = folder
        self.site_root = site_root

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        path = self.folder.joinpath(*_contained_name(template))
        if os.path.lexists(path) and not is_inside(path, self.site_root):
            raise TemplateOutside(f"{TEMPLATES_DIR}/{template} {_leaves_site(path, self.site_root)}, outside the site: "
                                  "it is not read", path)
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        return [name for name in super().list_templates()
                if is_inside(self.folder.joinpath(*split_template_path(name)), self.site_root)]


def _contained_name(template: str) -> list[str]:
    """Return the parts of a template name; raise TemplateOutside for an absolute or climbing one."""
    if template.startswith(("/", "\\")) or "\\" in template or "\0" in template \
            or re.match(r"[A-Za-z]:[/\\]", template):
        raise TemplateOutside(f"{template!r} is an absolute path: templates are named from the template folders")
    if ".." in template.split("/"):
        raise TemplateOutside(f"{template!r} climbs out of the template folders with '..'")
    return split_template_path(template)


def _leaves_site(path: Path, root: Path) -> str:
    """Return how `path` leads outside `root`: 'is a symbolic link to …' or 'is reached through …'."""
    for part in (path, *path.parents):
        if part == root:
            break
        if part.is_symlink() and not is_inside(part, root):
            target = os.readlink(part)
            if part == path:
                return f"is a symbolic link to {target}"
            return f"is reached through {part.relative_to(root).as_posix()}, a symbolic link to {target}"
    return "resolves"


def create_environment(config: SiteConfig) -> Environment:
    """Return the Jinja environment for a site: its templates over the theme's, strict undefined."""
    theme = PackageLoader(THEME_PACKAGE, THEME_TEMPLATES)
    env = Environment(
        loader=ChoiceLoader([
            SiteTemplateLoader(config.root / TEMPLATES_DIR, config.root),
            PrefixLoader({"default": theme}),
            theme,
        ]),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    locale = config.locale
    numbers = NumberFormat(config.language, config.metrics.currency if config.metrics else "USD")
    env.filters.update(
        url=lambda path: public_url(path, config.base_path),
        absolute_url=lambda path: absolute_url(path, config.base_url),
        date=lambda value, fmt="long": format_date(_local(value, config), fmt, locale=locale),
        month_year=lambda value: format_skeleton("yMMMM", _local(value, config), locale=locale),
        isodate=lambda value: _local(value, config).isoformat(),
        rfc3339=lambda value: value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        number=lambda value, decimals=3: numbers.decimal(Decimal(str(value)), decimals),
        body=_body_filter,
        # A str, not Markup: the feed escapes the post's HTML into its <content type="html">.
        feed_html=pass_context(lambda context, post: absolute_urls_in_html(str(_body_filter(context, post)),
                                                                           config.base_url)),
        entry_id=lambda post: atom_entry_id(config, post),
        code_spans=render_code_spans,
        text_width=lambda text, size=11.0: round(text_width(str(text), size), 1),
    )
    env.globals.update(t=Translator(config.language, config.string_overrides), config=config)
    return env


_CODE_SPAN = re.compile(r"`([^`]+)`")


def render_code_spans(text: str) -> Markup:
    """Return text with `identifiers` in backticks as <code> (the `code_spans` filter); the rest is escaped.

    Registry texts mark file, column and metric ids this way, so templates show them as code in
    every language and translations need no HTML.
    """
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


BODIES_KEPT = 64
"""Final post bodies a render keeps at a time: a post shows on its page and in a few feeds, rendered close together;
keeping every post's was all of the site's text in memory again (issue 24)."""


class PostBodies:
    """The final HTML of the posts of one site, references drawn, the last `BODIES_KEPT` of them kept."""

    def __init__(self, env: Environment, site: Site) -> None:
        self.env = env
        self.site = site
        self._done: OrderedDict[Path, Markup] = OrderedDict()

    def html(self, post: Post) -> Markup:
        """Return a post's HTML as safe markup: the one place Markdown output bypasses autoescape."""
        done = self._done.get(post.source)
        if done is None:
            resolved = self.site.references.get(post.source, ())
            done = Markup(substitute_placeholders(post.body_html, {
                index: self._render_reference(item) for index, item in enumerate(resolved)}))
            self._done[post.source] = done
            if len(self._done) > BODIES_KEPT:
                self._done.popitem(last=False)
        else:
            self._done.move_to_end(post.source)
        return done

    def _render_reference(self, item: Resolved) -> str:
        macros = self.env.get_template(REFERENCE_MACROS).module
        if isinstance(item, MetricValue):
            return str(macros.metric_value(item)).strip()  # type: ignore[attr-defined]
        assert isinstance(item, Chart)
        return str(macros.chart_figure(item, self.site.dashboard)).strip()  # type: ignore[attr-defined]


@pass_context
def _body_filter(context: Context, post: Post) -> Markup:
    """Return a post's final HTML (the `body` filter), through the render's PostBodies."""
    return bodies_of(context.environment, context["site"]).html(post)


def bodies_of(env: Environment, site: Site) -> PostBodies:
    """Return the PostBodies of `site` in `env`, made on first use (one per site and environment)."""
    bodies = env.globals.get("post_bodies")
    if not isinstance(bodies, PostBodies) or bodies.site is not site:
        bodies = env.globals["post_bodies"] = PostBodies(env, site)
    return bodies


def _local(value: date | datetime, config: SiteConfig) -> date | datetime:
    return value.astimezone(config.zone) if isinstance(value, datetime) else value


def atom_entry_id(config: SiteConfig, post: Post) -> str:
    """Return a stable tag: URI for a feed entry (RFC 4151): host, first publication date, path.

    Unlike the post's URL, it survives later edits to the title, and readers never see a
    re-published entry twice.
    """
    host = urlsplit(config.base_url).hostname or "localhost"
    day = _local(post.date, config).strftime("%Y-%m-%d") if post.date else "1970-01-01"
    return f"tag:{host},{day}:{public_url(post.path, config.base_path)}"


def render_page(env: Environment, site: Site, page: Page) -> str:
    """Render one page; turn Jinja's exceptions into a TemplateError naming template and line."""
    post = page.post if isinstance(page, PostBacked) else None
    try:
        template = env.get_template(page.template)
        # A character XML forbids (from a YAML escape, a label, anywhere) would make a feed unreadable and a page
        # invalid: none is ever written (issue 22). Tab, newline and carriage return are fine.
        return strip_control_characters(template.render(site=site, page=page, post=post))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", _template_path(env, exc.filename, exc.name),
                            exc.lineno, hint="fix the Jinja syntax at that line") from None
    except TemplateNotFound as exc:
        filename, line = _template_frame(exc)
        asked_by = post.source if post is not None and post.template else None
        raise TemplateError(f"template not found: {exc.name}", Path(filename) if filename else asked_by, line,
                            hint="create it under templates/ or fix 'template:' in the front matter") from None
    except TemplateOutside as exc:
        filename, line = _template_frame(exc)
        asked_by = post.source if post is not None and post.template else exc.link
        raise TemplateError(f"{exc.message} (rendering {_page_name(page)})", Path(filename) if filename else asked_by,
                            line, hint="name templates from templates/ (default/… for the theme's); copy a shared "
                            "template into the site instead of linking to it") from None
    except JinjaTemplateError as exc:
        filename, line = _template_frame(exc)
        raise TemplateError(f"template error: {exc.message or exc}", _template_path(env, filename, None), line,
                            hint=_hint_for(exc)) from None
    except RecursionError as exc:  # {% include %} or {% extends %} of itself, directly or through others
        filename, line = _template_frame(exc)
        raise TemplateError(f"template includes or extends itself (rendering {_page_name(page)})",
                            _template_path(env, filename, page.template), line,
                            hint="remove the include or extends that leads back to this template") from None
    except UnicodeDecodeError as exc:
        raise TemplateError(f"a template is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}; rendering "
                            f"{_page_name(page)})", _template_path(env, None, page.template),
                            hint="save the template as UTF-8") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        filename, line = _template_frame(exc)
        raise TemplateError(f"template error: {type(exc).__name__}: {exc} (rendering {_page_name(page)})",
                            _template_path(env, filename, page.template), line,
                            hint="see the template at that line") from None


def _page_name(page: Page) -> str:
    """Return the page a template error broke, as its output path."""
    return str(getattr(page, "output_path", None) or getattr(page, "path", None) or page.template)


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """Return the innermost template file and line of a render error (Jinja rewrites the traceback)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")) or "/templates/" in filename:
            found = (filename, line)
    return found


def _template_path(env: Environment, filename: str | None, name: str | None) -> Path | None:
    if filename:
        return Path(filename)
    return Path(name) if name else None


def _hint_for(exc: JinjaTemplateError) -> str:
    if "undefined" in str(exc).lower():
        return "check the variable's spelling, or guard it with '{% if x is defined %}'"
    return "see the template at that line"


LANGUAGES_CSS = "theme/extra/languages.css"
"""The language switch's rules, added to style.css only on a site in several languages (issue 23)."""


def theme_assets(config: SiteConfig) -> dict[str, OutputFile]:
    """Return the theme's CSS plus code-highlighting CSS for light and dark mode."""
    static = resources.files(THEME_PACKAGE).joinpath("theme/static")
    assets: dict[str, OutputFile] = {}
    for name in sorted(_walk(static)):
        data = static.joinpath(name).read_bytes()
        if name == "style.css" and config.languages:
            data += resources.files(THEME_PACKAGE).joinpath(LANGUAGES_CSS).read_bytes()
        assets[name] = OutputFile(routes.asset(name), data)
    assets["highlight.css"] = OutputFile(routes.asset("highlight.css"), highlight_css(config).encode("utf-8"))
    return assets


def asset_links(assets: dict[str, OutputFile]) -> dict[str, str]:
    """Return what templates link for each theme asset: its path with a content hash, so browsers refetch on change."""
    return {name: f"{file.path}?v={short_hash(file.data)}" for name, file in assets.items()}


def _walk(folder: Any, prefix: str = "") -> Iterator[str]:
    for item in folder.iterdir():
        if item.name.startswith("."):
            continue
        if item.is_dir():
            yield from _walk(item, f"{prefix}{item.name}/")
        else:
            yield prefix + item.name


def highlight_css(config: SiteConfig) -> str:
    """Return Pygments CSS: the light style always, the dark one inside prefers-color-scheme."""
    light = HtmlFormatter(style=config.highlight_light).get_style_defs(".highlight")
    dark = HtmlFormatter(style=config.highlight_dark).get_style_defs(".highlight")
    dark_indented = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark_indented}\n}}\n"


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


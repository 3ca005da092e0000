"""The Jinja environment: filters, locale formatting, assets and template errors."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from conftest import BUILD_TIME

from generator.config import load_config
from generator.content import load_content
from generator.errors import TemplateError
from generator.model import assemble_site
from generator.output import render_site
from generator.render import create_environment, highlight_css


def _config(make_site, config: str = "title: T\nbase_url: https://acme.github.io/open/\n", files=None):
    return load_config(make_site(files or {}, config=config))


def test_url_filters_honour_base_path(make_site) -> None:
    env = create_environment(_config(make_site))
    assert env.from_string("{{ 'about/' | url }}").render() == "/open/about/"
    assert env.from_string("{{ '' | url }}").render() == "/open/"
    assert env.from_string("{{ 'https://x.example/' | url }}").render() == "https://x.example/"
    assert env.from_string("{{ 'about/' | absolute_url }}").render() == "https://acme.github.io/open/about/"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "March 5, 2024"), ("zh-CN", "2024年3月5日"), ("de", "5. März 2024"),
])
def test_date_filter_formats_for_the_locale(make_site, language: str, expected: str) -> None:
    env = create_environment(_config(make_site, f"title: T\nlanguage: {language}\ntimezone: UTC\n"))
    when = datetime(2024, 3, 5, 12, tzinfo=timezone.utc)
    assert env.from_string("{{ d | date }}").render(d=when) == expected


def test_date_filter_uses_site_timezone(make_site) -> None:
    env = create_environment(_config(make_site, "title: T\ntimezone: Asia/Shanghai\n"))
    late = datetime(2024, 3, 5, 20, tzinfo=timezone.utc)  # already 6 March in Shanghai
    assert env.from_string("{{ d | date }}").render(d=late) == "March 6, 2024"
    assert env.from_string("{{ d | rfc3339 }}").render(d=late) == "2024-03-05T20:00:00Z"


def test_number_filter_groups_digits_for_the_locale(make_site) -> None:
    env = create_environment(_config(make_site, "title: T\nlanguage: de\n"))
    assert env.from_string("{{ 1234567.5 | number }}").render() == "1.234.567,5"


def test_autoescape_is_on_for_strings_and_html(make_site) -> None:
    env = create_environment(_config(make_site))
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_highlight_css_has_light_and_dark_styles(make_site) -> None:
    css = highlight_css(_config(make_site, "title: T\nhighlight: {light: friendly, dark: monokai}\n"))
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    assert ".highlight" in light and ".highlight" in dark
    assert "#272822" in dark  # monokai's background


def test_undefined_variable_names_template_and_line(make_site) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n",
                      "templates/post.html": "{% extends 'default/post.html' %}\n{% block body %}\n\n{{ nope }}\n"
                                             "{% endblock %}\n"})
    config = load_config(root)
    site = assemble_site(config, load_content(config, now=BUILD_TIME), build_time=BUILD_TIME)
    with pytest.raises(TemplateError) as info:
        render_site(site)
    (diagnostic,) = info.value.diagnostics  # reported once, not once per page
    assert diagnostic.path == root / "templates" / "post.html"
    assert diagnostic.line == 4 and "'nope' is undefined" in diagnostic.message


def test_render_site_is_deterministic(make_site) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})
    config = load_config(root)
    site = assemble_site(config, load_content(config, now=BUILD_TIME), build_time=BUILD_TIME)
    assert render_site(site) == render_site(site)

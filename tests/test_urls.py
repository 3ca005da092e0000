"""Tests for generator.urls: the one place site paths, public URLs and source references are made."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from generator.urls import (
    UnsafePath,
    absolute_url,
    absolute_urls_in_html,
    base_path_of,
    contained_site_path,
    output_file_of,
    public_url,
    resolve_source_reference,
    site_path_of,
    source_dir_of,
    unsafe_scheme,
)


@pytest.mark.parametrize(("base_url", "expected"), [
    ("https://acme.example", "/"), ("https://acme.example/", "/"), ("https://acme.example/open", "/open/"),
    ("https://acme.example/open/", "/open/"),
])
def test_base_path_of_always_has_both_slashes(base_url: str, expected: str) -> None:
    assert base_path_of(base_url) == expected


@pytest.mark.parametrize(("site_path", "base_path", "expected"), [
    ("", "/", "/"),
    ("2024/03/launch/", "/open/", "/open/2024/03/launch/"),
    ("/about/", "/open/", "/open/about/"),
    ("tags/定价/", "/", "/tags/%E5%AE%9A%E4%BB%B7/"),
    ("about/#team", "/", "/about/#team"),
    ("a b/", "/", "/a%20b/"),
    ("https://x.example/a", "/open/", "https://x.example/a"),
])
def test_public_url_encodes_once_under_the_base_path(site_path: str, base_path: str, expected: str) -> None:
    assert public_url(site_path, base_path) == expected


def test_absolute_url_joins_host_and_base_path() -> None:
    assert absolute_url("2024/03/launch/", "https://acme.example/open/") == "https://acme.example/open/2024/03/launch/"
    assert absolute_url("", "https://acme.example/") == "https://acme.example/"


@pytest.mark.parametrize(("site_path", "output_file"), [
    ("", "index.html"), ("about/", "about/index.html"), ("feed.xml", "feed.xml"), ("a/b.html", "a/b.html"),
])
def test_output_file_and_site_path_are_inverse(site_path: str, output_file: str) -> None:
    assert output_file_of(site_path) == output_file
    assert site_path_of(output_file) == site_path


@pytest.mark.parametrize(("permalink", "expected"), [
    ("/about/", "about/"), ("about", "about"), ("/", ""), ("//team//page/", "team/page/"), ("/a/b.html", "a/b.html"),
])
def test_contained_site_path_normalises(permalink: str, expected: str) -> None:
    assert contained_site_path(permalink) == expected


@pytest.mark.parametrize("permalink", [
    "/../../escape/", "../" * 30 + "etc/", "/a/../../b/", "..", "/a\\..\\b/", "a\x00b/",
])
def test_contained_site_path_refuses_climbing_out(permalink: str) -> None:
    with pytest.raises(UnsafePath):
        contained_site_path(permalink)


@pytest.mark.parametrize(("url", "source_dir", "path", "tail", "outside"), [
    ("/images/a.png", "posts", "images/a.png", "", False),
    ("a.png", "posts/2024", "posts/2024/a.png", "", False),
    ("./a.png", "posts", "posts/a.png", "", False),
    ("../images/a.png", "posts", "images/a.png", "", False),
    ("deck.pdf?v=2#p3", "posts/2024", "posts/2024/deck.pdf", "?v=2#p3", False),
    ("/about/#team", "posts", "about", "#team", False),
    ("../../secret.txt", "posts", "../secret.txt", "", True),
    ("../../../etc/passwd", "posts/2024", "../etc/passwd", "", True),
])
def test_resolve_source_reference_against_the_source_folder(url: str, source_dir: str, path: str, tail: str,
                                                            outside: bool) -> None:
    target = resolve_source_reference(url, PurePosixPath(source_dir))

    assert target is not None
    assert (target.path, target.tail, target.outside) == (PurePosixPath(path), tail, outside)


@pytest.mark.parametrize("url", ["#top", "https://x.example/a.png", "//cdn.example/a.png",
                                 "data:image/png;base64,AAAA", "mailto:a@b.example", "", None, "?q=1"])
def test_resolve_source_reference_ignores_what_is_not_local(url: str | None) -> None:
    assert resolve_source_reference(url, PurePosixPath("posts")) is None


@pytest.mark.parametrize(("url", "base_path", "expected"), [
    ("a.png", "/", "/posts/a.png"),
    ("a.png", "/open/", "/open/posts/a.png"),
    ("/about/", "/open/", "/open/about/"),
    ("/", "/open/", "/open/"),
    ("/#top", "/open/", "/open/#top"),
    ("团队 照片.png", "/", "/posts/%E5%9B%A2%E9%98%9F%20%E7%85%A7%E7%89%87.png"),
    ("50%.png", "/", "/posts/50%25.png"),
])
def test_source_target_url(url: str, base_path: str, expected: str) -> None:
    target = resolve_source_reference(url, PurePosixPath("posts"))

    assert target is not None and target.url(base_path) == expected


def test_source_target_knows_markdown_links() -> None:
    assert resolve_source_reference("other.md#x", PurePosixPath("posts")).is_markdown
    assert resolve_source_reference("Other.MARKDOWN", PurePosixPath("posts")).is_markdown
    assert not resolve_source_reference("notes.md/", PurePosixPath("posts")).is_markdown
    assert not resolve_source_reference("deck.pdf", PurePosixPath("posts")).is_markdown


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"), (" JAVASCRIPT:alert(1)", "javascript"), ("java\tscript:x", "javascript"),
    ("  JavaScript:alert(1)", "javascript"), ("java\nscr\ript:x", "javascript"), ("\x00\x1f javascript:x ", "javascript"),
    ("vbscript:x", "vbscript"), ("data:text/html,x", "data"), ("data:text/html;base64,PHNjcmlwdD4=", "data"),
    ("https://x.example", None), ("/a/", None), ("mailto:hi@acme.example", None), ("about", None), (None, None),
    # WHATWG: a form feed, a space or a NUL inside the scheme is not removed, so there is no scheme at all
    # (a relative path, which runs nothing); both former checks disagreed on these (issue 18).
    ("java\x0cscript:x", None), ("java script:x", None), ("java\x00script:x", None), ("1javascript:x", None),
])
def test_unsafe_scheme_reads_the_scheme_as_the_whatwg_parser_does(url: str | None, scheme: str | None) -> None:
    assert unsafe_scheme(url) == scheme


def test_unsafe_scheme_is_the_only_script_url_check() -> None:
    """One check, used everywhere: site.yaml links and post links agree on every case above."""
    import generator.plaintext as plaintext
    from generator.config.values import check_link

    assert not hasattr(plaintext, "unsafe_url_scheme")
    assert check_link("java\tscript:x") is not None and check_link("java script:x") is None


def test_source_dir_of_returns_posix_folder() -> None:
    assert source_dir_of(PurePosixPath("posts/2024/launch.md")) == PurePosixPath("posts/2024")


def test_public_url_keeps_an_asset_query() -> None:
    assert public_url("assets/style.css?v=abc", "/") == "/assets/style.css?v=abc"


def test_absolute_url_keeps_full_urls_and_roots_site_paths() -> None:
    assert absolute_url("https://cdn.example/a.png", "https://acme.github.io/open/") == "https://cdn.example/a.png"
    assert absolute_url("/images/a.png", "https://acme.github.io/open/") == "https://acme.github.io/open/images/a.png"


def test_absolute_urls_in_html_roots_only_root_relative_attributes() -> None:
    html = '<a href="/open/a/">A</a> <img src="/open/x.png"> <a href="//cdn.example/y">Y</a> <a href="#n">N</a>'

    assert absolute_urls_in_html(html, "https://acme.example/open/") == (
        '<a href="https://acme.example/open/a/">A</a> <img src="https://acme.example/open/x.png"> '
        '<a href="//cdn.example/y">Y</a> <a href="#n">N</a>')

"""Nothing outside the template folders or the site is read as a template, in `build` and `serve` (issue 11, §1).

Each test plants a secret outside the site, points a template at it (a name that climbs out, an
absolute name, a symbolic link to a file or a folder) and checks the build fails with a located
message and the secret is in no output file and no `serve` response.
"""

from __future__ import annotations

import http.client
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import render_site_in_memory
from generator.cli import main
from generator.config import load_config
from generator.render import TemplateOutside, create_environment
from generator.serve import DevServer

POST = "---\ntitle: Hello\ndate: 2024-01-02\n---\nText.\n"
SECRET = "PLANTED-TEMPLATE-SECRET-7731"


def _post_template(pull: str) -> str:
    """Return templates/post.html extending the theme's, with `pull` on line 3."""
    return '{% extends "default/post.html" %}\n{% block body %}\n' + pull + "\n{% endblock %}\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the site, next to it, holding the secret (and a folder holding it as a template)."""
    outside = tmp_path / "outside"
    (outside / "partials").mkdir(parents=True)
    (outside / "partials/x.html").write_text(SECRET, encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    return outside / "secret.txt"


def _build(runner: CliRunner, root: Path, out: Path):
    return runner.invoke(main, ["build", "-s", str(root), "-o", str(out)])


def _no_secret_in(folder: Path) -> None:
    for path in folder.rglob("*") if folder.exists() else ():
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(("pull", "expected"), [
    ("{% include '../../outside/secret.txt' %}", "climbs out of the template folders"),
    ("{% include '../secret.txt' %}", "climbs out of the template folders"),
    ("{% include 'default/../../../../outside/secret.txt' %}", "climbs out of the template folders"),
    ("{% include '{secret}' %}", "is an absolute path"),
    ("{% import '{secret}' as x %}", "is an absolute path"),
])
def test_include_of_a_path_outside_the_template_folders_is_a_located_error(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path, pull: str, expected: str) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST,
                      "templates/post.html": _post_template(pull.replace("{secret}", str(secret)))})
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "templates/post.html:3: error: " in result.stderr and expected in result.stderr
    assert "2024/01/hello/index.html" in result.stderr, "the message names the page it broke"
    assert "Traceback" not in result.output and SECRET not in result.output
    _no_secret_in(tmp_path / "out")


@pytest.mark.parametrize("name", ["../outside/secret.txt", "{secret}"])
def test_extends_of_a_path_outside_the_template_folders_is_a_located_error(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path, name: str) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST,
                      "templates/post.html": "<!-- a theme -->\n{% extends '" + name.replace("{secret}", str(secret))
                      + "' %}\n"})
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1 and "templates/post.html:2: error: " in result.stderr, result.output
    assert SECRET not in result.output
    _no_secret_in(tmp_path / "out")


def test_template_symlink_to_a_file_outside_the_site_is_a_located_error(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST,
                      "templates/post.html": _post_template("{% include 'secret.html' %}")})
    (root / "templates/secret.html").symlink_to(secret)
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "templates/secret.html: error: secret.html is a symbolic link to " in result.stderr
    assert "outside the site: it is not read" in result.stderr and SECRET not in result.output
    _no_secret_in(tmp_path / "out")


def test_template_folder_symlink_outside_the_site_is_a_located_error(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST,
                      "templates/post.html": _post_template("{% include 'partials/x.html' %}")})
    (root / "templates/partials").symlink_to(secret.parent / "partials", target_is_directory=True)
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "templates/partials: error: partials is a symbolic link to " in result.stderr
    _no_secret_in(tmp_path / "out")


@pytest.mark.parametrize(("link", "target", "expected"), [
    ("templates/post.html", "secret.txt", "templates/post.html: error: post.html is a symbolic link to"),
    ("templates", "partials", "templates: error: templates is a symbolic link to"),
])
def test_page_template_or_templates_folder_linked_outside_the_site_is_refused(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path, link: str, target: str, expected: str) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST})
    (secret.parent / "partials/post.html").write_text(SECRET, encoding="utf-8")
    (root / link).parent.mkdir(exist_ok=True)
    (root / link).symlink_to(secret.parent / target)
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1 and expected in result.stderr, result.output
    _no_secret_in(tmp_path / "out")


def test_unused_template_symlink_outside_the_site_is_an_error_too(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST})
    (root / "templates").mkdir()
    (root / "templates/unused.html").symlink_to(secret)
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1 and "templates/unused.html: error: unused.html is a symbolic link" in result.stderr
    _no_secret_in(tmp_path / "out")


@pytest.mark.parametrize(("link", "name", "expected"), [
    ("secret.html", "secret.html", "templates/secret.html is a symbolic link to "),
    ("partials", "partials/x.html", "templates/partials/x.html is reached through templates/partials, a symbolic"),
])
def test_template_loader_refuses_links_leaving_the_site_even_if_made_after_the_check(
        make_site, secret: Path, link: str, name: str, expected: str) -> None:
    root = make_site({"templates/base.html": "<p>fine</p>"})
    (root / "templates" / link).symlink_to(secret if link.endswith(".html") else secret.parent / "partials")
    env = create_environment(load_config(root))
    with pytest.raises(TemplateOutside, match=expected):
        env.get_template(name)
    assert env.get_template("base.html").render() == "<p>fine</p>"
    assert name not in env.list_templates()


def test_front_matter_template_outside_the_folders_is_an_error_at_the_post(
        make_site, runner: CliRunner, tmp_path: Path, secret: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST.replace("date:", f"template: {secret}\ndate:")})
    result = _build(runner, root, tmp_path / "out")
    assert result.exit_code == 1 and "content/posts/2024-01-02-hello.md: error: " in result.stderr, result.output
    assert "is an absolute path" in result.stderr
    _no_secret_in(tmp_path / "out")


def test_template_symlink_that_stays_in_the_site_is_used(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST,
                      "shared/signature.html": "<p>Signed, the team.</p>",
                      "templates/post.html": _post_template("{% include 'signature.html' %}")})
    (root / "templates/signature.html").symlink_to(root / "shared/signature.html")
    result = render_site_in_memory(root, use_cache=False)
    page = next(f for f in result.files if f.path == "2024/01/hello/index.html")
    assert b"Signed, the team." in page.data


def _get(server: DevServer, path: str) -> bytes:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.read()
    finally:
        connection.close()


def test_serve_never_answers_with_a_template_from_outside_the_site(make_site, secret: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST,
                      "templates/post.html": _post_template("{% include 'partials/x.html' %}")})
    (root / "templates/partials").symlink_to(secret.parent / "partials", target_is_directory=True)
    server = DevServer(root, port=0)
    try:
        first = server.start()
        assert first.result is None and "outside the site" in first.errors[0].message
        paths = ["/", "/2024/01/hello/", "/templates/partials/x.html", "/templates/post.html",
                 "/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/feed.xml", "/404.html"]
        for path in paths:
            assert SECRET.encode() not in _get(server, path), path
        os.unlink(root / "templates/partials")  # fixed: the preview builds, and still shows no secret
        (root / "templates/post.html").write_text(_post_template("<p>Signed.</p>"), encoding="utf-8")
        server.rebuild([root / "templates"])
        assert server.snapshot.errors == ()
        for path in [*paths, *("/" + name for name in server.snapshot.files)]:
            assert SECRET.encode() not in _get(server, path), path
    finally:
        server.stop()

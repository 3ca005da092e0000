"""Every template error is a located message naming the page it broke, exit 1, never a traceback (issue 11, §3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

POST = "---\ntitle: Hello\ndate: 2024-01-02\n---\nText.\n"


@pytest.mark.parametrize(("template", "expected"), [
    ("<p>\n{{ 1 / 0 }}\n</p>\n", "templates/post.html:2: error: template error: ZeroDivisionError"),
    ("<p>\n\n{{ post.title + 1 }}\n</p>\n", "templates/post.html:3: error: template error: "),
    ("<p>\n{% include 'post.html' %}\n</p>\n", "templates/post.html:2: error: template includes or extends itself"),
    ("{% extends 'post.html' %}\n", "templates/post.html:1: error: template includes or extends itself"),
    ("<p>\n{% include 'missing.html' %}\n</p>\n", "templates/post.html:2: error: template not found: missing.html"),
])
def test_template_error_is_located_with_the_page_it_broke(make_site, runner: CliRunner, tmp_path: Path,
                                                          template: str, expected: str) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST, "templates/post.html": template})
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_template_that_is_not_utf8_is_a_located_error(make_site, runner: CliRunner, tmp_path: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST, "templates/post.html": "caf\xe9".encode("latin-1")})
    result = runner.invoke(main, ["build", "-s", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "not UTF-8" in result.stderr and "post.html" in result.stderr

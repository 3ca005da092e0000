"""content/ scanning and reading: links leaving the site, control characters, Markdown shapes that crawl."""

from __future__ import annotations

import os
import time
from pathlib import Path
from xml.dom import minidom

import pytest
from click.testing import CliRunner

from conftest import BUILD_TIME
from generator.build import build_site
from generator.cli import main
from generator.config import load_config
from generator.content import load_content
from generator.errors import ContentError, GeneratorError
from generator.limits import MARKDOWN_MAX_NESTING, MARKDOWN_MAX_OPEN_BRACKETS, MARKDOWN_MAX_PARAGRAPH_CHARS

SECRET = "planted-secret-7f3a9c"
POST = "---\ntitle: Hello\ndate: 2024-01-02\n---\nText.\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the site holding a secret file and a secret post."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "2024-01-01-secret.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    return folder


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(load_config(root), now=BUILD_TIME)
    return [d.format(root) for d in caught.value.diagnostics]


@pytest.mark.parametrize(("link", "target"), [
    ("content/images/passwd.txt", "secret.txt"),   # a file
    ("content/shared", "."),                       # a folder
    ("content/posts/2024-01-01-secret.md", "2024-01-01-secret.md"),  # a post
])
def test_link_leaving_the_site_is_a_located_error_and_nothing_of_it_is_published(
        make_site, outside: Path, tmp_path: Path, link: str, target: str) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST})
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / target if target != "." else outside, root / link)
    errors = _errors(root)
    assert len(errors) == 1 and errors[0].startswith(link + ": ") and "outside the site" in errors[0]
    output = tmp_path / "out"
    with pytest.raises(GeneratorError):
        build_site(root, output, now=BUILD_TIME)
    assert not output.exists()


def test_link_staying_inside_the_site_is_followed(make_site) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST, "shared/logo.txt": "logo"})
    os.symlink(root / "shared", root / "content" / "shared")
    content = load_content(load_config(root), now=BUILD_TIME)
    assert [s.relpath.as_posix() for s in content.static_files] == ["shared/logo.txt"]


def test_link_loop_inside_the_site_ends(make_site) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md": POST})
    os.symlink(root / "content", root / "content" / "posts" / "loop")
    content = load_content(load_config(root), now=BUILD_TIME)
    assert [p.title for p in content.posts] == ["Hello"]


def test_control_characters_are_stripped_with_a_warning_and_feeds_stay_xml(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/2024-01-02-hello.md":
                      "---\ntitle: \"Hello \\x1b[31mworld\"\ndate: 2024-01-02\n---\nA\x00B and \x0bC.\n"})
    # the title's escape stays an escape sequence in YAML text: write the raw character instead
    path = root / "content/posts/2024-01-02-hello.md"
    path.write_bytes(path.read_bytes().replace(b"\\x1b", b"\x1b"))
    content = load_content(load_config(root), now=BUILD_TIME)
    post = content.posts[0]
    assert post.title == "Hello [31mworld" and "AB and C." in post.body_html
    warning = next(w for w in content.warnings if "control character" in w.message)
    assert (warning.line, warning.column) == (2, 15) and "U+001B (escape) and 2 more" in warning.message
    build_site(root, tmp_path / "out", now=BUILD_TIME)
    feeds = sorted((tmp_path / "out").rglob("*.xml"))
    assert feeds
    for feed in feeds:
        minidom.parseString(feed.read_bytes())  # raises on a character XML forbids


def _timed_errors(make_site, body: str) -> tuple[list[str], float]:
    root = make_site({"content/posts/2024-01-02-big.md": "---\ntitle: Big\ndate: 2024-01-02\n---\n" + body})
    start = time.perf_counter()
    errors = _errors(root)
    return errors, time.perf_counter() - start


@pytest.mark.parametrize(("body", "expected"), [
    ("[a" * 2_500_000, f"the limit is {MARKDOWN_MAX_PARAGRAPH_CHARS:,}"),  # 5 MB of link openers
    ("[a" * 5_000, "5,000 unclosed or nested '['"),                         # 3.5 s in Markdown without the limit
    ("*a" * 2_500_000, f"the limit is {MARKDOWN_MAX_PARAGRAPH_CHARS:,}"),  # 5 MB of emphasis openers
    ("intro\n" + "".join("    " * i + "- x\n" for i in range(100)), f"the limit is {MARKDOWN_MAX_NESTING}"),
    ("- " * 10_000 + "x\n", f"the limit is {MARKDOWN_MAX_NESTING}"),
    ("> " * 10_000 + "x\n", f"the limit is {MARKDOWN_MAX_NESTING}"),
    ("Prices (see " * (MARKDOWN_MAX_OPEN_BRACKETS + 1), "unclosed or nested '('"),
])
def test_markdown_that_would_crawl_is_refused_at_its_line(make_site, body: str, expected: str) -> None:
    errors, _ = _timed_errors(make_site, body)
    assert len(errors) == 1 and expected in errors[0]
    line = 5 if not body.startswith("intro") else 5 + MARKDOWN_MAX_NESTING + 1  # the first line too deep
    assert errors[0].startswith(f"content/posts/2024-01-02-big.md:{line}: ")


def test_markdown_limits_leave_code_blocks_and_ordinary_brackets_alone(make_site) -> None:
    code = "```\n" + "[" * (MARKDOWN_MAX_OPEN_BRACKETS * 3) + "\n" + "x = 1\n" * 20_000 + "```\n"
    body = "See [the docs](https://x.example) (and [this](y)).\n\n" + code
    root = make_site({"content/posts/2024-01-02-ok.md": "---\ntitle: Ok\ndate: 2024-01-02\n---\n" + body})
    content = load_content(load_config(root), now=BUILD_TIME)
    assert content.posts[0].title == "Ok"


def test_build_of_a_5mb_unclosed_line_exits_1_with_the_message(make_site, runner: CliRunner) -> None:
    root = make_site({"content/posts/2024-01-02-big.md": "---\ntitle: Big\ndate: 2024-01-02\n---\n" + "[a" * 2_500_000})
    result = runner.invoke(main, ["build", "-s", str(root)])
    assert result.exit_code == 1 and "a paragraph of 5,000,001 characters" in result.stderr and "Traceback" not in result.output

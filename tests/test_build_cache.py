"""The persistent build cache and parallel builds (issue 15): always the bytes of a cold `-j 1` build.

After each edit of a sequence (a post's body, its date and draft flag, a template, site.yaml, a metrics
CSV, a deleted post, a renamed image) a cached build and a parallel build must equal a cold, single-process
build byte for byte, and the cached one must redo only what the edit touches.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from generator import output as output_module
from generator.build import build_site, render_site_in_memory
from generator.cache import CACHE_DIR, load_cache
from generator.charts import pool as chart_pool
from generator.cli import main
import generator.content as content_module
from generator.config import load_config
from generator.content import parsecache as content_sources
from generator.content.parsecache import content_key
from generator.output import PagesInMemory
from generator.write import writer as write_module

_stamp_of = content_sources._stamp

NOW = datetime(2024, 6, 15, tzinfo=timezone.utc)
MRR = "month,mrr,new,expansion,contraction,churned\n" + "".join(
    f"2024-{m:02d},{1000 + 100 * (m - 1)},{1000 if m == 1 else 100},0,0,0\n" for m in range(1, 6))


def _post(title: str, date: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategory: finances\nsummary: {title}.\n{extra}---\n{body}\n"


@pytest.fixture
def blog(make_site) -> Path:
    files = {f"content/posts/2024-0{m}-0{d}-post-{m}{d}.md": _post(f"Post {m}{d}", f"2024-0{m}-0{d}", f"Body {m}{d}.")
             for m in range(1, 5) for d in range(1, 4)}
    files |= {
        "content/posts/2024-05-01-numbers.md": _post("Numbers", "2024-05-01", "MRR was {{ metric mrr }}.\n\n"
                                                     "![Team](team.png)"),
        "content/posts/team.png": b"\x89PNG\r\n\x1a\n-one",
        "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
        "metrics/mrr.csv": MRR,
    }
    return make_site(files, config="title: Cache Co\nbase_url: https://cache.example/\ntimezone: UTC\n"
                                   "metrics:\n  bridge: warn\n")  # edits below change one month's MRR alone


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cold(site: Path, tmp_path: Path, name: str = "cold") -> dict[str, bytes]:
    target = tmp_path / name
    build_site(site, target, now=NOW, use_cache=False, jobs=1)
    return _tree(target)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("post body", lambda s: _edit(s / "content/posts/2024-02-02-post-22.md", "Body 22.", "Body 22, edited.")),
    ("front matter date", lambda s: _edit(s / "content/posts/2024-02-02-post-22.md", "date: 2024-02-02",
                                          "date: 2024-04-20")),
    ("draft flag", lambda s: _edit(s / "content/posts/2024-03-03-post-33.md", "summary:", "draft: true\nsummary:")),
    ("template", lambda s: (s / "templates").mkdir(exist_ok=True) or (s / "templates/post.html").write_text(
        '{% extends "default/post.html" %}{% block body %}{{ super() }}<p>Signed.</p>{% endblock %}')),
    ("site.yaml", lambda s: _edit(s / "site.yaml", "title: Cache Co", "title: Cache Company")),
    ("metrics csv", lambda s: _edit(s / "metrics/mrr.csv", "2024-04,1300", "2024-04,1350")),
    ("deleted post", lambda s: (s / "content/posts/2024-01-01-post-11.md").unlink()),
    ("renamed image", lambda s: ((s / "content/posts/team.png").rename(s / "content/posts/crew.png"),
                                 _edit(s / "content/posts/2024-05-01-numbers.md", "team.png", "crew.png"))),
]


def test_cached_and_parallel_builds_equal_a_cold_build_after_each_edit(blog: Path, tmp_path: Path,
                                                                      monkeypatch) -> None:
    # Make the small test site take the parallel paths too.
    monkeypatch.setattr(content_sources, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(output_module, "PARALLEL_MIN_PAGES", 2)
    monkeypatch.setattr(chart_pool, "PARALLEL_MIN_COST", 2)  # charts and share cards drawn by workers too
    cached = tmp_path / "cached"
    build_site(blog, cached, now=NOW, jobs=1)
    for name, edit in EDITS:
        edit(blog)
        expected = _cold(blog, tmp_path)
        build_site(blog, cached, now=NOW, jobs=1)
        assert _tree(cached) == expected, f"cached build differs after: {name}"
        assert not [d for d in cached.rglob("*") if d.is_dir() and not any(d.iterdir())], name  # no empty folders
        assert not list(tmp_path.glob(".cached.opensite-*")), name  # no staging or old folder left behind
        parallel = tmp_path / "parallel"
        build_site(blog, parallel, now=NOW, jobs=2, use_cache=False)
        assert _tree(parallel) == expected, f"parallel build differs after: {name}"


TOUCHED = {
    "post body": ("content/posts/2024-02-02-post-22.md",), "front matter date": ("content/posts/2024-02-02-post-22.md",),
    "draft flag": ("content/posts/2024-03-03-post-33.md",), "template": ("templates", "templates/post.html"),
    "site.yaml": ("site.yaml",), "metrics csv": ("metrics/mrr.csv",),
    "deleted post": ("content/posts/2024-01-01-post-11.md",),
    "renamed image": ("content/posts/team.png", "content/posts/crew.png", "content/posts/2024-05-01-numbers.md"),
    "added post": ("content/posts/2024-05-09-added.md",), "edited image": ("content/posts/crew.png",),
    "backup file": ("content/posts/2024-05-09-added.md~",), "renamed post": (
        "content/posts/2024-05-09-added.md", "content/posts/2024-05-10-moved.md"),
    "metrics file added": ("metrics/annotations.csv",),
}
"""What the file watcher reports for each edit: every path it touches (a rename: both names)."""
SERVE_EDITS = EDITS + [
    ("added post", lambda s: (s / "content/posts/2024-05-09-added.md").write_text(
        _post("Added", "2024-05-09", "New here."), encoding="utf-8")),
    ("edited image", lambda s: (s / "content/posts/crew.png").write_bytes(b"\x89PNG\r\n\x1a\n-two")),
    ("backup file", lambda s: (s / "content/posts/2024-05-09-added.md~").write_text("old", encoding="utf-8")),
    ("renamed post", lambda s: (s / "content/posts/2024-05-09-added.md").rename(s / "content/posts/2024-05-10-moved.md")),
    ("metrics file added", lambda s: (s / "metrics/annotations.csv").write_text(
        "month,text,metrics,url\n2024-03,Price change,mrr,\n", encoding="utf-8")),
]


@pytest.mark.parametrize("told", [False, True], ids=["stat", "watcher"])
def test_serve_rebuilds_in_memory_equal_a_cold_build_after_each_edit(blog: Path, told: bool) -> None:
    # serve keeps parsed posts, the dashboard, the charts and page digests between builds (issue 24); told the
    # watcher's event, it looks at the files named alone, listing content/ again when one is added or removed
    pages = PagesInMemory()
    render_site_in_memory(blog, now=NOW, pages=pages)
    for name, edit in SERVE_EDITS:
        edit(blog)
        pages.note_changes([blog / path for path in TOUCHED[name]] if told else None)
        kept = render_site_in_memory(blog, now=NOW, pages=pages)
        cold = render_site_in_memory(blog, now=NOW, use_cache=False, jobs=1)
        assert {f.path: f.data for f in kept.files} == {f.path: f.data for f in cold.files}, name
        assert kept.site.static_files == cold.site.static_files, name


def test_serve_told_of_one_change_looks_at_that_file_alone(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = PagesInMemory()
    render_site_in_memory(blog, now=NOW, pages=pages)
    looked: list[Path] = []
    monkeypatch.setattr(content_sources, "_stamp", lambda path: looked.append(path) or _stamp_of(path))
    monkeypatch.setattr(content_module, "scan_content", lambda *args: pytest.fail("content/ listed again"))
    _edit(blog / "content/posts/2024-02-02-post-22.md", "Body 22.", "Body 22, edited.")
    pages.note_changes([blog / "content/posts/2024-02-02-post-22.md"])
    kept = render_site_in_memory(blog, now=NOW, pages=pages)
    assert looked == [blog / "content/posts/2024-02-02-post-22.md"]
    assert "Body 22, edited." in {f.path: f.data for f in kept.files}["2024/02/post-22/index.html"].decode()


def test_metric_reference_follows_a_csv_change_with_the_post_unchanged(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    assert "$1,300" in (out / "2024/05/numbers/index.html").read_text()  # April's MRR, as of the post's month
    _edit(blog / "metrics/mrr.csv", "2024-04,1300", "2024-04,1450")
    result = build_site(blog, out, now=NOW)
    assert "$1,450" in (out / "2024/05/numbers/index.html").read_text()
    assert result.content.stats.converted == 0  # the post itself was not parsed again


def test_noop_rebuild_parses_renders_and_writes_nothing(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_site(blog, out, now=NOW)
    before, folder_time = _stamps(out), out.stat().st_mtime_ns

    again = build_site(blog, out, now=NOW)

    assert (again.content.stats.converted, again.rendered, again.written, again.charts_drawn) == (0, 0, 0, 0)
    assert first.rendered > first.page_count and first.reused == 0  # feeds, sitemap and robots.txt are pages too
    assert again.reused == first.rendered and again.page_count == first.page_count
    assert _stamps(out) == before and out.stat().st_mtime_ns == folder_time


def test_noop_rebuild_loads_no_markdown_and_no_matplotlib(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    script = ("import sys; from datetime import datetime, timezone; from generator.build import build_site; "
              f"r = build_site({str(blog)!r}, {str(out)!r}, now=datetime(2024, 6, 15, tzinfo=timezone.utc)); "
              "print(r.rendered, r.written, 'markdown' in sys.modules, 'matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.split() == ["0", "0", "False", "False"]


def test_editing_one_post_renders_it_and_what_lists_it_only(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_site(blog, out, now=NOW)
    before = _stamps(out)
    _edit(blog / "content/posts/2024-02-02-post-22.md", "Body 22.", "Body 22, longer now.")

    again = build_site(blog, out, now=NOW)

    changed = {path for path, stamp in _stamps(out).items() if before.get(path) != stamp}
    # The post, and the feeds that carry its body; its card (title, summary, date) did not change,
    # so listings, archive, tags and its neighbours keep their files.
    assert changed == {"2024/02/post-22/index.html", "feed.xml", "categories/finances/feed.xml"}
    assert again.content.stats.converted == 1 and again.rendered < first.rendered / 4


def test_a_small_change_updates_output_in_place_and_a_large_one_swaps_it(blog: Path, tmp_path: Path,
                                                                        monkeypatch) -> None:
    monkeypatch.setattr(write_module, "IN_PLACE_MAX_FILES", 10)  # this small site: 10 files count as many
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    folder = out.stat().st_ino
    _edit(blog / "content/posts/2024-02-02-post-22.md", "Body 22.", "Body 22, again.")
    build_site(blog, out, now=NOW)
    assert out.stat().st_ino == folder  # the same folder: three files replaced in it, nothing swapped
    _edit(blog / "site.yaml", "title: Cache Co", "title: Cache Corp")  # every page shows the title
    build_site(blog, out, now=NOW)
    assert out.stat().st_ino != folder and _tree(out) == _cold(blog, tmp_path)


def test_changed_template_renders_exactly_the_pages_that_use_it(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    (blog / "templates").mkdir()
    (blog / "templates/page.html").write_text('{% extends "default/page.html" %}{% block body %}<p>X</p>'
                                              '{% endblock %}')
    result = build_site(blog, out, now=NOW)
    assert result.rendered == 1  # about/, the one standalone page
    assert "<p>X</p>" in (out / "about/index.html").read_text()


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x80\x04\x95"])
def test_corrupt_cache_is_ignored_with_a_note_and_rebuilt(blog: Path, tmp_path: Path, runner: CliRunner,
                                                          damage: bytes) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    expected = _tree(out)
    for cache_file in (blog / CACHE_DIR).rglob("*.pickle"):  # the content cache's shards too
        cache_file.write_bytes(damage)

    result = runner.invoke(main, ["build", "-s", str(blog), "-o", str(out)], env={"SOURCE_DATE_EPOCH": "1718409600"})

    assert result.exit_code == 0, result.output
    assert "note: ignored the unreadable build cache" in result.stderr
    assert "Traceback" not in result.output
    assert _tree(out) == expected


def test_a_planted_cache_cannot_run_code(blog: Path, tmp_path: Path) -> None:
    class Planted:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    build_site(blog, tmp_path / "out", now=NOW)
    header = {"format": "opensite-cache", "kind": "content", "version": 1, "key": "x"}
    for shard in (blog / CACHE_DIR / "content").glob("*.pickle"):
        shard.write_bytes(pickle.dumps((header, {"a": Planted()})))

    result = build_site(blog, tmp_path / "out", now=NOW)

    assert not (tmp_path / "pwned").exists()
    assert any("refuses to load" in note.message for note in result.notes + result.content.notes)


def test_no_cache_rebuilds_everything_and_leaves_the_cache_alone(blog: Path, tmp_path: Path, runner) -> None:
    out = tmp_path / "out"
    runner.invoke(main, ["build", "-s", str(blog), "-o", str(out)])
    cache_before = _tree(blog / CACHE_DIR)

    result = runner.invoke(main, ["build", "-s", str(blog), "-o", str(out), "--no-cache", "-j", "1"])

    assert result.exit_code == 0, result.output
    assert "rendered" not in result.stdout  # every page rendered: no "(N rendered, …)" part
    assert _tree(blog / CACHE_DIR) == cache_before


def test_clean_removes_the_cache_and_with_output_the_output(blog: Path, tmp_path: Path, runner) -> None:
    runner.invoke(main, ["build", "-s", str(blog)])
    assert (blog / CACHE_DIR).is_dir() and (blog / "output").is_dir()

    result = runner.invoke(main, ["clean", "-s", str(blog)])
    assert result.exit_code == 0 and not (blog / CACHE_DIR).exists() and (blog / "output").is_dir()

    result = runner.invoke(main, ["clean", "-s", str(blog), "--output"])
    assert result.exit_code == 0 and not (blog / "output").exists()
    assert runner.invoke(main, ["clean", "-s", str(blog)]).stdout.strip() == "Nothing to remove."


def test_chart_cache_keeps_only_the_charts_of_the_last_build(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    charts = blog / CACHE_DIR / "charts"
    first = set(charts.glob("*.svg"))
    for old, new in (("1300", "1310"), ("1310", "1320"), ("1320", "1330")):
        _edit(blog / "metrics/mrr.csv", f"2024-04,{old}", f"2024-04,{new}")
        build_site(blog, out, now=NOW)
    assert first and len(set(charts.glob("*.svg"))) == len(first)


def test_failed_build_leaves_the_cache_as_it_was(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    cache_before = _tree(blog / CACHE_DIR)
    (blog / "content/posts/2024-06-01-broken.md").write_text("---\ntitle: [unclosed\n---\nX\n")

    with pytest.raises(Exception):
        build_site(blog, out, now=NOW)

    assert _tree(blog / CACHE_DIR) == cache_before


def test_a_template_included_by_a_computed_name_re_renders_its_pages_when_it_changes(blog: Path,
                                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    (blog / "templates").mkdir()
    (blog / "templates/post.html").write_text('{% extends "default/post.html" %}{% block body %}{{ super() }}'
                                              '{% set part = "sign" ~ "off.html" %}{% include part %}{% endblock %}')
    (blog / "templates/signoff.html").write_text("<p>Yours, Ada</p>")
    build_site(blog, out, now=NOW)
    (blog / "templates/signoff.html").write_text("<p>Yours, Grace</p>")

    result = build_site(blog, out, now=NOW)

    assert result.rendered >= 13  # every post page includes it
    assert "Yours, Grace" in (out / "2024/01/post-11/index.html").read_text()
    assert _tree(out) == _cold(blog, tmp_path)


@pytest.mark.parametrize("damage", ["truncate", "script"])
def test_a_poisoned_or_truncated_cached_chart_is_redrawn_with_a_note(blog: Path, tmp_path: Path, runner: CliRunner,
                                                                    damage: str) -> None:
    from generator.charts import ChartCache

    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    damaged = 0
    for chart in sorted((blog / CACHE_DIR / "charts").glob("*.svg")):  # charts, and share images (PNG)
        data = chart.read_bytes()
        poisoned = data[: len(data) // 2] if damage == "truncate" else \
            data.replace(b"</svg>", b"<script>alert(1)</script></svg>")
        chart.write_bytes(poisoned)
        damaged += poisoned != data
    ChartCache._memory.clear()  # as a new process: only the files on disk

    result = runner.invoke(main, ["build", "-s", str(blog), "-o", str(out)], env={"SOURCE_DATE_EPOCH": "1718409600"})

    assert result.exit_code == 0, result.output
    assert result.stderr.count("did not match its hash") == damaged > 0
    assert _tree(out) == _cold(blog, tmp_path)
    assert not any(b"<script>" in data for data in _tree(out).values())


def test_a_flipped_byte_in_a_cache_file_is_a_note_and_a_rebuild(blog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(blog, out, now=NOW)
    content = next(path for path in (blog / CACHE_DIR / "content").glob("*.pickle") if b"Post 11" in path.read_bytes())
    in_shard = len(load_cache(content, "content", content_key(load_config(blog))).entries)
    data = bytearray(content.read_bytes())
    at = data.index(b"Post 11")  # its title (the body is compressed)
    data[at] = ord("X")  # still a valid pickle: only the hash can tell
    content.write_bytes(bytes(data))

    result = build_site(blog, out, now=NOW)

    assert any("does not match its hash" in note.message for note in result.notes + result.content.notes)
    assert 1 <= in_shard < 14 and result.content.stats.converted == in_shard  # that shard's posts, no others
    assert _tree(out) == _cold(blog, tmp_path)


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_cache_folder_that_is_a_file_or_a_link_is_a_note_and_a_cold_build(blog: Path, tmp_path: Path,
                                                                           runner: CliRunner, kind: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if kind == "file":
        (blog / CACHE_DIR).write_text("not a folder")
    else:
        (blog / CACHE_DIR).symlink_to(elsewhere)
    out = tmp_path / "out"

    result = runner.invoke(main, ["build", "-s", str(blog), "-o", str(out)], env={"SOURCE_DATE_EPOCH": "1718409600"})

    assert result.exit_code == 0, result.output
    assert f"note: {CACHE_DIR} is a" in result.stderr and "ran without the cache" in result.stderr
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert (blog / CACHE_DIR).is_symlink() if kind == "link" else (blog / CACHE_DIR).read_text() == "not a folder"
    assert _tree(out) == _cold(blog, tmp_path)

"""A build keeps its costly results for the next one (memory.StoredRecall, issue 24).

The dashboard, the disclosure checks and the page keys' digests of what the dashboard holds are kept in
the build cache with a digest of their inputs. A build whose inputs are unchanged reuses them: these tests
hold that it then assembles no dashboard and hashes none of its pages, that what it writes is byte for byte
what a cold `-j 1 --no-cache` build writes, and that any change to an input — a post's card, a metrics file,
a string override — computes them again.
"""

from __future__ import annotations

import dataclasses
import pickle
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import memory as memory_module
from generator import model as model_module
from generator import pagekeys as pagekeys_module
from generator.build import build_site
from generator.cache import CACHE_DIR, save_cache
from generator.cache import code_fingerprint as fingerprint
from generator.dashboard.text import Formatter
from generator.metrics.publish import leaks as leaks_module

NOW = datetime(2024, 6, 15, tzinfo=timezone.utc)
MRR = "month,mrr,new,expansion,contraction,churned\n" + "".join(
    f"2024-{m:02d},{1000 + 100 * (m - 1)},{1000 if m == 1 else 100},0,0,0\n" for m in range(1, 6))
CONFIG = ("title: Kept Co\nbase_url: https://kept.example/\ntimezone: UTC\nmetrics:\n  bridge: warn\n"
          "strings:\n  all_time: Since the very start\n")


@pytest.fixture
def site(make_site) -> Path:
    files = {f"content/posts/2024-0{m}-0{d}-post-{m}{d}.md":
             f"---\ntitle: Post {m}{d}\ndate: 2024-0{m}-0{d}\nsummary: Post {m}{d}.\n---\nBody {m}{d}.\n"
             for m in range(1, 6) for d in range(1, 3)}
    return make_site(files | {"metrics/mrr.csv": MRR}, config=CONFIG)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _cold(site: Path, tmp_path: Path) -> dict[str, bytes]:
    build_site(site, tmp_path / "cold", now=NOW, use_cache=False, jobs=1)
    return _tree(tmp_path / "cold")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


class _Counted:
    """Counts the calls of a function it wraps."""

    def __init__(self, function) -> None:
        self.function, self.calls, self.arguments = function, 0, []

    def __call__(self, *args, **kwargs):
        self.calls += 1
        self.arguments.append(args)
        return self.function(*args, **kwargs)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, _Counted]:
    """The dashboard's assembly, the disclosure attacker and the page keys' pickling, counted."""
    found = {"dashboard": _Counted(model_module.assemble_dashboard),
             "recoveries": _Counted(leaks_module.find_disclosure_recoveries),
             "hashed": _Counted(pagekeys_module.PageKeys._pickled_with_cards)}
    monkeypatch.setattr(model_module, "assemble_dashboard", found["dashboard"])
    import generator.build as build_module
    monkeypatch.setattr(build_module, "find_disclosure_recoveries", found["recoveries"])
    monkeypatch.setattr(pagekeys_module.PageKeys, "_pickled_with_cards",
                        lambda self, value: found["hashed"](self, value))
    return found


def _reset(counted: dict[str, _Counted]) -> None:
    for one in counted.values():
        one.calls, one.arguments = 0, []


def test_an_edited_body_reuses_the_dashboard_and_its_digests_and_writes_a_cold_builds_bytes(
        site: Path, tmp_path: Path, counted: dict[str, _Counted]) -> None:
    first = build_site(site, now=NOW)
    assert counted["dashboard"].calls == 1 and counted["recoveries"].calls == 1
    assert (site / CACHE_DIR / memory_module.STORED_FILE).is_file()
    first_hashed = counted["hashed"].arguments
    _reset(counted)
    _append(site / "content/posts/2024-03-01-post-31.md", "\nA second paragraph.\n")  # the body: not the card
    result = build_site(site, now=NOW)
    assert counted["dashboard"].calls == 0, "the dashboard was assembled though nothing it shows changed"
    assert counted["recoveries"].calls == 0, "the disclosure attacker ran though the metrics did not change"
    parts = _parts(result.site.dashboard)
    assert [value for _, value in first_hashed if id(value) in _parts(first.site.dashboard)], "the check cannot fail"
    assert not [value for _, value in counted["hashed"].arguments if id(value) in parts], \
        "the kept dashboard's parts were hashed again"
    assert result.rendered < 10  # the post and what shows it in full (the feeds), not the dashboard's pages
    assert _tree(site / "output") == _cold(site, tmp_path)


def _parts(value: object) -> set[int]:
    """Return the ids of the dataclasses and tuples a value is made of (itself included)."""
    found: set[int] = set()
    stack = [value]
    while stack:
        one = stack.pop()
        if id(one) in found or not (isinstance(one, tuple) or dataclasses.is_dataclass(one)):
            continue
        found.add(id(one))
        stack.extend(one if isinstance(one, tuple) else (getattr(one, f.name) for f in dataclasses.fields(one)))
    return found


def test_a_kept_dashboard_keeps_the_sites_string_overrides(site: Path, tmp_path: Path) -> None:
    build_site(site, now=NOW)
    _append(site / "content/posts/2024-03-01-post-31.md", "\nMore.\n")
    build_site(site, now=NOW)
    page = (site / "output/metrics/all/index.html").read_text(encoding="utf-8")
    assert "Since the very start" in page
    assert _tree(site / "output") == _cold(site, tmp_path)


def test_a_formatter_pickles_with_its_overrides() -> None:
    formatter = Formatter("en", "USD", {"all_time": "Since the very start"})
    assert pickle.loads(pickle.dumps(formatter))("all_time") == "Since the very start"
    assert Formatter("en", "USD")("all_time") != "Since the very start"


@pytest.mark.parametrize("edit", ["title", "metrics", "strings"])
def test_a_changed_input_computes_the_dashboard_again(site: Path, tmp_path: Path, counted: dict[str, _Counted],
                                                      edit: str) -> None:
    build_site(site, now=NOW)
    _reset(counted)
    if edit == "title":  # the month page lists the post by its card
        post = site / "content/posts/2024-03-01-post-31.md"
        post.write_text(post.read_text(encoding="utf-8").replace("title: Post 31", "title: Renamed"), encoding="utf-8")
    elif edit == "metrics":
        csv = site / "metrics/mrr.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace("2024-05,1400", "2024-05,1450"), encoding="utf-8")
    else:
        (site / "site.yaml").write_text(CONFIG.replace("Since the very start", "From day one"), encoding="utf-8")
    build_site(site, now=NOW)
    assert counted["dashboard"].calls == 1
    assert counted["recoveries"].calls == (0 if edit == "title" else 1)
    assert _tree(site / "output") == _cold(site, tmp_path)


def test_a_kept_result_that_does_not_read_is_computed_again_with_a_note(site: Path, tmp_path: Path,
                                                                         counted: dict[str, _Counted]) -> None:
    build_site(site, now=NOW)
    stored = site / CACHE_DIR / memory_module.STORED_FILE
    stored.write_bytes(stored.read_bytes()[:-40])
    _reset(counted)
    _append(site / "content/posts/2024-03-01-post-31.md", "\nMore.\n")
    result = build_site(site, now=NOW)
    assert counted["dashboard"].calls == 1
    assert any(memory_module.STORED_FILE in note.message for note in result.notes)
    assert _tree(site / "output") == _cold(site, tmp_path)


class _Planted:
    def __reduce__(self):
        import os
        return (os.system, ("touch planted",))


def test_a_planted_result_cannot_run_code(site: Path, tmp_path: Path, counted: dict[str, _Counted],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept result whose file hash was made to match still goes through the restricting unpickler."""
    build_site(site, now=NOW)
    stored = site / CACHE_DIR / memory_module.STORED_FILE
    loaded = memory_module.load_cache(stored, "recall", fingerprint())
    assert loaded.entries, "the first build kept nothing"
    planted = {name: (digest, pickle.dumps(_Planted()), True) for name, (digest, _, _) in loaded.entries.items()}
    save_cache(stored, "recall", fingerprint(), planted)
    monkeypatch.chdir(tmp_path)
    _reset(counted)
    _append(site / "content/posts/2024-03-01-post-31.md", "\nMore.\n")
    build_site(site, now=NOW)
    assert not (tmp_path / "planted").exists()
    assert counted["dashboard"].calls == 1
    assert _tree(site / "output") == _cold(site, tmp_path)


def test_no_cache_keeps_nothing(site: Path) -> None:
    build_site(site, now=NOW, use_cache=False)
    assert not (site / CACHE_DIR / memory_module.STORED_FILE).exists()

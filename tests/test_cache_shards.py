"""The sharded cache (cache.ShardedCache, issue 24): an edit reads and rewrites one shard, never the whole cache;
and the layout of one cache file."""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path

from generator.cache import (
    CACHE_DIR,
    CACHE_FORMAT,
    CACHE_VERSION,
    SHARDS,
    CacheLoad,
    ShardedCache,
    load_cache,
    save_cache,
    shard_of,
)


def _saved(folder: Path, entries: dict[str, str], changed: list[str]) -> ShardedCache:
    cache = ShardedCache(folder, "test", "k")
    for name in entries:
        cache.get(name)
    cache.update(entries, changed).save()
    return cache


def _mtimes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("*.pickle")}


def test_sharded_cache_gives_back_every_entry_it_saved(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR / "shards"
    entries = {f"posts/{n}.md": f"parsed {n}" for n in range(300)}
    _saved(folder, entries, list(entries))

    cache = ShardedCache(folder, "test", "k")

    assert all(cache.get(name) == value for name, value in entries.items())
    assert 1 < len(list(folder.glob("*.pickle"))) <= SHARDS


def test_sharded_cache_rewrites_only_the_shard_of_an_edited_entry(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR / "shards"
    entries = {f"posts/{n}.md": f"parsed {n}" for n in range(300)}
    _saved(folder, entries, list(entries))
    before = _mtimes(folder)

    _saved(folder, {**entries, "posts/7.md": "edited"}, ["posts/7.md"])

    after = _mtimes(folder)
    assert {name for name in after if after[name] != before[name]} == {f"{shard_of('posts/7.md')}.pickle"}
    assert ShardedCache(folder, "test", "k").get("posts/7.md") == "edited"


def test_sharded_cache_reads_only_the_shards_asked_for(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR / "shards"
    entries = {f"posts/{n}.md": f"parsed {n}" for n in range(300)}
    _saved(folder, entries, list(entries))

    cache = ShardedCache(folder, "test", "k")
    cache.get("posts/1.md")

    assert list(cache._shards) == [shard_of("posts/1.md")]  # one shard's bytes in memory, not the whole cache


def test_sharded_cache_drops_a_deleted_entry_and_an_emptied_shard(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR / "shards"
    _saved(folder, {"a.md": "A", "b.md": "B"}, ["a.md", "b.md"])

    _saved(folder, {"a.md": "A"}, [])

    assert ShardedCache(folder, "test", "k").get("b.md") is None
    assert {path.stem for path in folder.glob("*.pickle")} == {shard_of("a.md")}


def test_sharded_cache_with_another_key_is_empty(tmp_path: Path) -> None:
    folder = tmp_path / CACHE_DIR / "shards"
    _saved(folder, {"a.md": "A"}, ["a.md"])

    assert ShardedCache(folder, "test", "other settings").get("a.md") is None


def test_a_cache_file_holds_its_entries_once_after_its_header(tmp_path: Path) -> None:
    """The entries follow the header's pickle as they are: saving and loading never hold them twice (issue 24)."""
    path = tmp_path / CACHE_DIR / "one.pickle"
    entries = {"a": "x" * 50_000, "b": (1, 2.5, None)}
    save_cache(path, "test", "k", entries)
    data = path.read_bytes()
    stream = io.BytesIO(data)
    header, digest = pickle.load(stream)
    payload = data[stream.tell():]

    assert header == {"format": CACHE_FORMAT, "kind": "test", "version": CACHE_VERSION, "key": "k"}
    assert hashlib.sha256(payload).hexdigest() == digest and pickle.loads(payload) == entries
    assert data.count(b"x" * 50_000) == 1
    assert load_cache(path, "test", "k") == CacheLoad(entries)
    assert load_cache(path, "test", "other") == CacheLoad({})  # other settings: stale, silently


def test_a_cache_file_of_the_earlier_layout_is_stale_not_broken(tmp_path: Path) -> None:
    """Version 2 kept the entries as bytes inside the header's pickle: after an upgrade it is dropped without a note."""
    path = tmp_path / CACHE_DIR / "old.pickle"
    path.parent.mkdir(parents=True)
    payload = pickle.dumps({"a": 1})
    header = {"format": CACHE_FORMAT, "kind": "test", "version": 2, "key": "k"}
    path.write_bytes(pickle.dumps((header, hashlib.sha256(payload).hexdigest(), payload)))

    assert load_cache(path, "test", "k") == CacheLoad({})


def test_a_cache_file_cut_after_its_header_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / CACHE_DIR / "cut.pickle"
    save_cache(path, "test", "k", {"a": "y" * 1000})
    path.write_bytes(path.read_bytes()[:-10])

    loaded = load_cache(path, "test", "k")

    assert loaded.entries == {} and loaded.note is not None and "does not match its hash" in loaded.note

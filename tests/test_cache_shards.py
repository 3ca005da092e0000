"""The sharded cache (cache.ShardedCache, issue 24): an edit reads and rewrites one shard, never the whole cache."""

from __future__ import annotations

from pathlib import Path

from generator.cache import CACHE_DIR, SHARDS, ShardedCache, shard_of


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

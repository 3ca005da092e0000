"""Drawing workers forked before the posts are read (charts/pool.early_drawers, issue 24).

A worker forked at the charts stage started from the whole site; matplotlib and the fonts came on top, and it was
the largest process of a cold build at 5,000 posts. A cold build now forks its drawers first and sends them the
drawings, so what they draw must be exactly what the build would draw itself, custom metrics (closures) included.
"""

from __future__ import annotations

import io
import multiprocessing
from pathlib import Path

import pytest
from conftest import BUILD_TIME

import generator.build as build_module
from generator.build import build_site
from generator.charts import pool as chart_pool
from generator.errors import GeneratorError

CONFIG = """\
title: Drawn Co
base_url: https://drawn.example/
timezone: UTC
metrics:
  custom:
    referrals: {file: growth.csv, unit: count}
    signups: {file: growth.csv, unit: count}
    referral_rate: {formula: referrals / signups, unit: ratio}
"""
FILES = {
    "metrics/mrr.csv": "month,mrr,new,expansion,contraction,churned\n2025-09,1000,1000,0,0,0\n"
                       "2025-10,1200,300,0,0,100\n2025-11,1300,200,0,0,100\n",
    "metrics/growth.csv": "month,referrals,signups\n2025-09,4,40\n2025-10,6,50\n2025-11,9,60\n",
    **{f"content/posts/2025-10-{day:02d}-note-{day}.md": f"---\ntitle: Note {day}\ndate: 2025-10-{day:02d}\n---\nText.\n"
       for day in range(1, 9)},
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def drawn_site(make_site, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(chart_pool, "PARALLEL_MIN_COST", 2)  # this small site's drawings go to the workers too
    return make_site(FILES, config=CONFIG)


def test_a_cold_build_forks_its_drawers_before_reading_the_posts_and_they_draw_what_it_would(
        drawn_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    forked, loading = build_module.early_drawers, build_module.load_content

    def drawers(jobs: int):
        events.append(f"drawers {jobs}")
        return forked(jobs)

    sent = chart_pool._sent
    monkeypatch.setattr(build_module, "early_drawers", drawers)
    monkeypatch.setattr(build_module, "load_content", lambda *a, **k: events.append("posts") or loading(*a, **k))
    monkeypatch.setattr(chart_pool, "_sent", lambda drawings: events.append("sent") or sent(drawings))

    build_site(drawn_site, tmp_path / "parallel", now=BUILD_TIME, jobs=2, use_cache=False)
    build_site(drawn_site, tmp_path / "serial", now=BUILD_TIME, jobs=1, use_cache=False)

    assert events[:2] == ["drawers 2", "posts"] and "sent" in events  # the drawings went to the early workers
    assert _files(tmp_path / "parallel") == _files(tmp_path / "serial")
    assert any(path.startswith("metrics/charts/custom-referral_rate") for path in _files(tmp_path / "parallel"))
    assert multiprocessing.active_children() == []


def test_a_build_with_its_drawings_cached_forks_no_early_drawers(drawn_site: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(drawn_site, tmp_path / "out", now=BUILD_TIME, jobs=2)
    calls: list[int] = []
    monkeypatch.setattr(build_module, "early_drawers", lambda jobs: calls.append(jobs))
    (drawn_site / "content/posts/2025-10-01-note-1.md").write_text("---\ntitle: Edited\ndate: 2025-10-01\n---\nMore.\n")

    build_site(drawn_site, tmp_path / "out", now=BUILD_TIME, jobs=2)

    assert calls == []


def test_a_failed_build_stops_its_early_drawers(drawn_site: Path, tmp_path: Path) -> None:
    (drawn_site / "content/posts/2025-10-01-note-1.md").write_text("---\ntitle: [unclosed\n---\nText.\n")

    with pytest.raises(GeneratorError):
        build_site(drawn_site, tmp_path / "out", now=BUILD_TIME, jobs=2, use_cache=False)

    assert multiprocessing.active_children() == []
    assert not (tmp_path / "out").exists()


def test_a_function_in_a_drawing_reaches_a_worker_as_a_stand_in_that_fails_loudly() -> None:
    def closure() -> int:
        return 1

    received = chart_pool._Received(io.BytesIO(chart_pool._sent([(closure, len)]))).load()

    (stand_in, builtin), = received
    assert builtin is len  # what pickle sends by reference arrives as itself
    with pytest.raises(RuntimeError, match="closure is not computed where drawings are drawn"):
        stand_in()

"""The charts stage: the kind registry, what a drawn SVG holds, and the cache.

Per the house rules these tests check the ChartSpec, the data handed to a kind, and that the SVG
parses and says what it should; they never compare an SVG with a stored one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.charts import (
    ChartCache,
    chart_key,
    chart_kind,
    chart_kinds,
    draw_chart,
    series_for,
)
from generator.charts.kinds import get_chart_kind
from generator.charts.plot import Bars
from generator.charts.svg import FONT_STACK, FOREGROUND_DARK, STYLE
from generator.dashboard import Annotation, ChartSpec
from generator.metrics import MetricPoint, MetricSeries, PublishedMetrics, Unit
from generator.registry.charts import ChartKind

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [date(2024, m, 1) for m in range(1, 7)]


def _series(metric_id: str, label: str, values, unit: Unit = Unit.CURRENCY) -> MetricSeries:
    return MetricSeries(metric_id, label, unit, tuple(
        MetricPoint(month, None if value is None else Decimal(value)) for month, value in zip(MONTHS, values, strict=True)))


DATA = PublishedMetrics(months=tuple(MONTHS), series={s.id: s for s in (
    _series("mrr", "MRR", [1000, 1200, 1500, 1700, None, 2100]),
    _series("customers", "Customers", [10, 12, 15, 18, 20, 23], Unit.COUNT),
    _series("customer_churn_rate", "Customer churn rate", ["0.02", "0.03", "0.025", "0.04", "0.03", "0.02"],
            Unit.RATIO),
    _series("new_mrr", "New MRR", [1000, 300, 400, 300, 250, 300]),
    _series("churned_mrr", "Churned MRR", [0, 100, 100, 100, 50, 0]),
    _series("net_new_mrr", "Net new MRR", [1000, 200, 300, 200, 200, 300]),
)})


def _spec(kind: str = "line", metrics=("mrr",), **changes) -> ChartSpec:
    spec = ChartSpec(id="test", kind=kind, title="Test", metrics=tuple(metrics), first_month=MONTHS[0],
                     last_month=MONTHS[-1], path="metrics/charts/test.svg", currency="USD", language="en",
                     labels=tuple(DATA.series[m].label for m in metrics + tuple(changes.get("overlay", ()))))
    return replace(spec, **changes)


def _draw(spec: ChartSpec) -> ET.Element:
    return ET.fromstring(draw_chart(spec, series_for(spec, DATA)))


def _texts(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if t.text]


def test_chart_kind_registry_draws_every_kind_and_refuses_duplicates_and_strings() -> None:
    assert set(chart_kinds()) == set(ChartKind)
    with pytest.raises(ValueError, match="chart kind 'line' is already registered"):
        chart_kind(ChartKind.LINE)(lambda ax, series, spec: None)
    with pytest.raises(TypeError, match="not a ChartKind"):
        chart_kind("stacked_bars")(lambda ax, series, spec: None)


def test_chart_spec_refuses_a_misspelt_kind() -> None:
    with pytest.raises(ValueError, match="stacked_bars"):
        _spec("stacked_bars")


def test_unknown_chart_kind_lists_the_registered_ones() -> None:
    with pytest.raises(KeyError, match="unknown chart kind 'pie'; registered: line, panels, stacked_bar"):
        get_chart_kind("pie")


def test_series_for_cuts_each_series_to_the_charts_months_bars_then_overlay() -> None:
    spec = _spec("stacked_bar", ("new_mrr",), overlay=("net_new_mrr",), first_month=MONTHS[2],
                 last_month=MONTHS[4])
    series = series_for(spec, DATA)
    assert [s.id for s in series] == ["new_mrr", "net_new_mrr"]
    assert [p.month for p in series[0].points] == MONTHS[2:5]
    assert series[1].values == (Decimal(300), Decimal(200), Decimal(200))


def test_line_chart_keeps_text_as_text_without_dates_or_glyph_outlines() -> None:
    data = draw_chart(_spec(), series_for(_spec(), DATA))
    svg = ET.fromstring(data)
    texts = _texts(svg)
    assert "Jan" in texts and "2024" in texts and "$2.4K" in texts  # month ticks and compact currency ticks
    assert b"<dc:date>" not in data and b"Matplotlib v" not in data and b"DejaVuSans-" not in data
    assert FONT_STACK.encode() in data and f"fill: {FOREGROUND_DARK} !important".encode() in data
    assert "PingFang SC" in FONT_STACK


def test_drawing_twice_gives_the_same_bytes() -> None:
    """Deterministic output (hash salt, no date), checked between two fresh drawings, not against a file."""
    spec = _spec("panels", ("customers", "customer_churn_rate"))
    series = series_for(spec, DATA)
    assert draw_chart(spec, series) == draw_chart(spec, series)


def test_small_multiples_give_each_series_its_panel_title_and_axis_in_its_unit() -> None:
    """Two units, two panels on the same months (issue 19): no second y-axis whose lines cross by accident."""
    svg = _draw(_spec("panels", ("customers", "customer_churn_rate")))
    texts = _texts(svg)
    assert "Customers" in texts and "Customer churn rate" in texts and not any("←" in t or "→" in t for t in texts)
    assert "3%" in texts and "16" in texts
    assert len(svg.findall(f".//{SVG}clipPath")) == 2
    assert texts.count("Jan") == 1  # the months once, under the lower panel


def test_stacked_bars_draw_losses_below_zero_with_the_overlay_line() -> None:
    spec = _spec("stacked_bar", ("new_mrr", "churned_mrr"), overlay=("net_new_mrr",), below=("churned_mrr",))
    (plot,) = get_chart_kind("stacked_bar")(series_for(spec, DATA), spec)
    ends = [end for mark in plot.marks if isinstance(mark, Bars) for _, bottom, height in mark.rects
            for end in (bottom, bottom + height)]
    assert (min(ends), max(ends)) == (-100, 1000)  # churned MRR (at most 100) below zero, new MRR (at most 1,000) above
    assert plot.axis.low <= -100 and plot.axis.high >= 1000
    assert [entry.label for entry in plot.legend if not entry.square] == ["Net new MRR"]
    assert {"New MRR", "Churned MRR", "Net new MRR"} <= set(_texts(_draw(spec)))


def test_month_in_progress_is_drawn_lighter_and_labelled() -> None:
    spec = _spec("stacked_bar", ("new_mrr",), in_progress=MONTHS[-1], estimate_label="estimate")
    data = draw_chart(spec, series_for(spec, DATA)).decode()
    assert ">estimate</text>" in data and "opacity: 0.4" in data
    line = draw_chart(_spec(in_progress=MONTHS[-1]), series_for(_spec(), DATA)).decode()
    assert "stroke-dasharray" in line and ">estimate</text>" in line


def test_annotations_become_circled_numbers() -> None:
    spec = _spec(annotations=(Annotation(1, MONTHS[1], "Launch"), Annotation(2, MONTHS[1], "Press"),
                              Annotation(3, MONTHS[3], "Prices")))
    texts = _texts(_draw(spec))
    assert "1,2" in texts and "3" in texts  # two notes in one month share a marker


def test_chinese_site_gets_chinese_month_ticks() -> None:
    texts = _texts(_draw(_spec(language="zh-CN", currency="CNY")))
    assert "1月" in texts and any(t.startswith("¥") or "CN¥" in t for t in texts)


def test_chart_key_changes_with_data_spec_and_not_otherwise() -> None:
    spec = _spec()
    series = series_for(spec, DATA)
    key = chart_key(spec, series)
    assert chart_key(spec, series_for(spec, DATA)) == key
    changed = replace(series[0], points=(replace(series[0].points[0], value=Decimal(999)),) + series[0].points[1:])
    assert chart_key(spec, (changed,)) != key
    assert chart_key(replace(spec, in_progress=MONTHS[-1]), series) != key
    assert "svg.fonttype" in STYLE  # the style is part of the key


def test_chart_cache_keeps_bytes_on_disk_between_processes(tmp_path: Path) -> None:
    cache = ChartCache(tmp_path / "charts")
    assert cache.get("0" * 64) is None
    cache.put("a" * 64, b"<svg/>")
    stored = (tmp_path / "charts" / ("a" * 64 + ".svg")).read_bytes()
    assert stored.endswith(b"\n<svg/>") and stored.startswith(b"opensite-chart sha256=")
    ChartCache._memory.pop("a" * 64)  # as a new process would start
    assert ChartCache(tmp_path / "charts").get("a" * 64) == b"<svg/>"


def test_chart_cache_memory_holds_the_newest_drawings_up_to_its_byte_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.charts import cache as cache_module
    monkeypatch.setattr(ChartCache, "_memory", {})
    cache = ChartCache(None)
    drawing = cache_module._MEMORY_BYTES // 5 + 1  # five of these pass the bound
    for index in range(12):
        cache.put(f"{index:064d}", bytes([index]) * drawing)
        assert sum(map(len, ChartCache._memory.values())) <= cache_module._MEMORY_BYTES
    assert cache.get(f"{11:064d}") == bytes([11]) * drawing and cache.get(f"{10:064d}") is not None
    assert cache.get(f"{0:064d}") is None  # the oldest went first
    assert len(ChartCache._memory) == 4


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b.replace(b"<svg/>", b"<svg><script/></svg>"),
                                    lambda b: b"<svg/>"])
def test_chart_cache_refuses_a_file_that_does_not_match_its_hash(tmp_path: Path, damage) -> None:
    cache = ChartCache(tmp_path / "charts")
    cache.put("b" * 64, b"<svg/>")
    path = tmp_path / "charts" / ("b" * 64 + ".svg")
    path.write_bytes(damage(path.read_bytes()))
    ChartCache._memory.pop("b" * 64)
    fresh = ChartCache(tmp_path / "charts")
    assert fresh.get("b" * 64) is None
    assert len(fresh.notes) == 1 and "did not match its hash" in fresh.notes[0]
    assert not list((tmp_path / "charts").glob(".*.tmp"))

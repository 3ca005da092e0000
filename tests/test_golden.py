"""The golden sites, byte for byte: every page kind, chart kind, metric, disclosure level and reference form.

A change that is consistent between two builds (a rounding mode, an escape lost in a helper, a page that
moved) passes every test that compares the code with itself; it fails here. When a change is intended,
refresh the expected output with `python -m pytest tests/test_golden.py --update-golden` and review
`git diff tests/golden/`.
"""

from __future__ import annotations

import pytest
from golden_site import (
    GOLDEN_SITES,
    Golden,
    describe_drawn_differences,
    describe_text_differences,
    drawing_versions,
    is_drawn,
    read_output,
    write_golden,
)


@pytest.fixture(params=sorted(GOLDEN_SITES))
def golden_name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_golden_site_text_files_match(golden_name, golden_build, request):
    files = read_output(golden_build(golden_name).output)
    if request.config.getoption("--update-golden"):
        write_golden(golden_name, files)
    expected = Golden.load(golden_name)
    actual_text = {p: d for p, d in files.items() if not is_drawn(p)}
    assert expected.text, f"tests/golden/{golden_name}/ is empty: run pytest --update-golden"
    differences = describe_text_differences(expected.text, actual_text)
    assert not differences, f"the {golden_name} site's output differs from tests/golden/{golden_name}/ " \
                            f"(refresh with --update-golden if intended):\n{differences}"


def test_golden_site_drawn_files_match(golden_name, golden_build, request):
    files = read_output(golden_build(golden_name).output)
    expected = Golden.load(golden_name)
    drawn = {p: d for p, d in files.items() if is_drawn(p)}
    assert set(drawn) == set(expected.drawn), describe_drawn_differences(expected.drawn, drawn)
    if expected.versions != drawing_versions():
        pytest.skip(f"charts were recorded with {expected.versions}, this machine has {drawing_versions()}: "
                    "their bytes are compared only with the same matplotlib and Pillow")
    differences = describe_drawn_differences(expected.drawn, drawn)
    assert not differences, differences


def test_golden_sites_cover_every_page_kind_and_chart_kind(golden_build):
    from generator.charts.kinds import chart_kinds
    from generator.pages import PageKind

    page_kinds = {page.kind for name in GOLDEN_SITES for page in golden_build(name).result.site.renders}
    missing_pages = set(PageKind) - page_kinds
    assert not missing_pages, f"no golden site has a page of kind(s) {sorted(missing_pages)}"
    drawn_kinds = {chart.spec.kind for name in GOLDEN_SITES for chart in golden_build(name).result.site.charts}
    missing_charts = set(chart_kinds()) - drawn_kinds
    assert not missing_charts, f"no golden chart is drawn as {sorted(missing_charts)}"


def test_golden_sites_cover_every_metric_and_disclosure(golden_build):
    from generator.config.metrics import Disclosure
    from generator.registry import METRIC_DEFINITIONS

    full = golden_build("full").result.site
    disclosures = {rule.disclosure for rule in full.config.metrics.publish.values()}
    assert disclosures == set(Disclosure), f"the full golden site lacks {set(Disclosure) - disclosures}"
    custom_kinds = {"formula" if m.is_formula else ("per" if m.per else "column")
                    for m in full.config.metrics.custom.values()}
    assert custom_kinds == {"formula", "per", "column"}
    pages = {page.path for page in full.renders}
    missing = [m for m in METRIC_DEFINITIONS if not any(p.endswith(f"/{m}/") for p in pages)]
    assert not missing, f"the full golden site has no page for metric(s) {missing}"

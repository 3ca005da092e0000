"""Restatements (issue 14): a post keeps the value it was published with; when the data for that month
changes, the post says "restated: now …", `check` lists it, and metrics/.published.json keeps the history."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from support import numbers_config

from generator import build_site
from generator.build import check_site
from generator.dashboard.restatements import RECORD_FILE, parse_published_record
from generator.errors import GeneratorError

NOW = datetime(2024, 4, 15, tzinfo=timezone.utc)
MRR = "month,mrr,new,expansion,contraction,churned\n2024-01,1000,1000,0,0,0\n2024-02,1200,200,0,0,0\n" \
      "2024-03,1500,300,0,0,0\n2024-04,1600,100,0,0,0\n"
CASH = "month,balance\n2024-01,987654\n2024-02,986543\n2024-03,985432\n2024-04,984321\n"
POST = ("content/posts/2024-03-05-feb.md",
        "---\ntitle: February\ndate: 2024-03-05\n---\nMRR reached {{ metric mrr }} in February.\n")
CONFIG = numbers_config()


@pytest.fixture
def numbers(make_site):
    return make_site({"metrics/mrr.csv": MRR, "metrics/cash.csv": CASH, POST[0]: POST[1]}, config=CONFIG)


def _build(root: Path, tmp_path: Path) -> str:
    build_site(root, tmp_path / "out", now=NOW)
    return (tmp_path / "out/2024/03/feb/index.html").read_text()


def test_first_build_records_the_published_value(numbers: Path, tmp_path: Path) -> None:
    html = _build(numbers, tmp_path)
    assert ">$1,200</a> in February" in html and "restated" not in html
    record = json.loads((numbers / RECORD_FILE).read_text())
    assert record["values"] == {"content/posts/2024-03-05-feb.md": {
        "mrr 2024-02": {"value": "1200.00", "text": "$1,200", "disclosure": "exact"}}}


def test_unchanged_value_is_not_a_restatement_and_leaves_the_file_alone(numbers: Path, tmp_path: Path) -> None:
    _build(numbers, tmp_path)
    before = (numbers / RECORD_FILE).stat().st_mtime_ns
    html = _build(numbers, tmp_path)
    assert "restated" not in html and (numbers / RECORD_FILE).stat().st_mtime_ns == before
    assert check_site(numbers, now=NOW).diagnostics == () or all(
        "published as" not in d.message for d in check_site(numbers, now=NOW).diagnostics)


def test_changed_value_keeps_the_published_one_with_a_note_and_check_lists_it(numbers: Path, tmp_path: Path) -> None:
    _build(numbers, tmp_path)
    (numbers / "metrics/mrr.csv").write_text(MRR.replace("2024-02,1200,200", "2024-02,1150,150").replace("2024-03,1500,300", "2024-03,1500,350"))
    html = _build(numbers, tmp_path)
    assert '>$1,200</a> <small class="restated" lang="en">(restated: now $1,150)</small>' in html
    assert 'href="/metrics/2024-02/#mrr"' in html  # the value links to the month page
    notes = [d for d in check_site(numbers, now=NOW).diagnostics if "published as" in d.message]
    assert len(notes) == 1 and notes[0].severity == "note"
    assert notes[0].line == 5 and "$1,200" in notes[0].message and "$1,150" in notes[0].message
    record = json.loads((numbers / RECORD_FILE).read_text())  # the history keeps the first published value
    assert record["values"]["content/posts/2024-03-05-feb.md"]["mrr 2024-02"]["text"] == "$1,200"


def test_hidden_metric_is_never_recorded(make_site, tmp_path: Path) -> None:
    post = ("content/posts/2024-03-05-feb.md", "---\ntitle: February\ndate: 2024-03-05\n---\n"
            "MRR {{ metric mrr }}; customers unknown.\n")
    root = make_site({"metrics/mrr.csv": MRR, "metrics/cash.csv": CASH, post[0]: post[1]}, config=CONFIG)
    _build(root, tmp_path)
    text = (root / RECORD_FILE).read_text()
    assert "cash" not in text and "987" not in text and "986" not in text


def test_record_of_a_metric_now_published_differently_is_dropped_not_shown(numbers: Path, tmp_path: Path) -> None:
    _build(numbers, tmp_path)
    (numbers / "site.yaml").write_text(CONFIG + "    mrr: {disclosure: rounded, round_to: 1000}\n")
    html = _build(numbers, tmp_path)
    assert ">≈$1,000</a>" in html and "$1,200" not in html and "restated" not in html
    assert "1200" not in (numbers / RECORD_FILE).read_text()


def test_site_without_references_gets_no_record_file(make_site, tmp_path: Path) -> None:
    root = make_site({"metrics/mrr.csv": MRR})
    build_site(root, tmp_path / "out", now=NOW)
    assert not (root / RECORD_FILE).exists()


def test_malformed_record_is_one_clear_error_and_the_output_is_untouched(numbers: Path, tmp_path: Path) -> None:
    _build(numbers, tmp_path)
    before = (tmp_path / "out/index.html").read_bytes()
    (numbers / RECORD_FILE).write_text('{"values": {\n  "x": [1,\n')
    with pytest.raises(GeneratorError) as caught:
        build_site(numbers, tmp_path / "out", now=NOW)
    message = caught.value.diagnostics[0]
    assert message.path == numbers / RECORD_FILE and message.line == 3 and "delete it" in message.hint
    assert (tmp_path / "out/index.html").read_bytes() == before


def test_parse_rejects_a_record_of_the_wrong_shape() -> None:
    with pytest.raises(GeneratorError, match="not a record"):
        parse_published_record('{"values": {"a.md": {"mrr": 5}}}', Path("x.json"))


def test_a_record_that_is_a_symbolic_link_is_refused_and_never_read_or_written(numbers: Path, make_site,
                                                                               tmp_path: Path) -> None:
    other = make_site({"metrics/mrr.csv": MRR, "metrics/cash.csv": CASH, POST[0]: POST[1]}, config=CONFIG,
                      name="other")
    build_site(other, tmp_path / "other-out", now=NOW)
    theirs = (other / RECORD_FILE).read_bytes().replace(b"1200.00", b"9999.00").replace(b"$1,200", b"$9,999")
    (other / RECORD_FILE).write_bytes(theirs)
    (numbers / RECORD_FILE).symlink_to(other / RECORD_FILE)  # another site's record: its numbers must not show

    with pytest.raises(GeneratorError) as caught:
        build_site(numbers, tmp_path / "out", now=NOW)

    message = caught.value.diagnostics[0]
    assert message.path == numbers / RECORD_FILE and "symbolic link" in message.message
    assert (other / RECORD_FILE).read_bytes() == theirs
    assert not (tmp_path / "out").exists()

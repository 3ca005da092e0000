"""The team and year pages built end to end: salary privacy, bands, fiscal years with a gap (issue #13)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import build_site

NOW = datetime(2025, 8, 15, tzinfo=timezone.utc)
MRR = "month,mrr\n" + "".join(f"{m},{v}\n" for m, v in [
    ("2024-01", 100), ("2024-02", 100), ("2024-03", 100), ("2024-04", 200), ("2024-05", 200),
    ("2024-07", 300), ("2024-08", 300), ("2024-09", 300), ("2024-10", 300), ("2024-11", 300), ("2024-12", 300),
    ("2025-01", 400), ("2025-02", 400), ("2025-03", 400), ("2025-04", 500), ("2025-05", 500), ("2025-06", 500),
    ("2025-07", 500), ("2025-08", 500)])
TEAM = ("person,role,team,start,end,location,salary\n"
        "Zebediah Quux,Engineer,Product,2024-01-01,,Berlin,87654\n"
        "Ottoline Vask,Engineer,Product,2024-01-01,,Lisbon,91234\n"
        "Pemberton Yule,Support,Customers,2024-04-01,,Leeds,52345\n"
        "Quillon Zarr,Support,Customers,2024-02-01,2024-05-20,Leeds,51111\n")
PLANTED = ("Zebediah", "Ottoline", "Pemberton", "Quillon", "87654", "87,654", "91234", "91,234", "52345", "52,345",
           "51111", "51,111", "7304", "7,304")  # 87654 / 12 = 7304.5: one salary as a month


def _site(make_site, team_yaml: str) -> Path:
    config = ("title: Co\nbase_url: https://co.example/\ntimezone: UTC\nfiscal_year_start: April\n"
              "metrics:\n  currency: USD\n" + team_yaml)
    return make_site({"metrics/mrr.csv": MRR, "metrics/team.csv": TEAM}, config=config)


def _every_file(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("salaries", ["hidden", "bands"])
def test_no_name_or_salary_reaches_any_output_file(make_site, tmp_path: Path, salaries: str) -> None:
    out = tmp_path / "out"
    build_site(_site(make_site, f"team:\n  salaries: {salaries}\n"), out, now=NOW)
    files = _every_file(out)
    assert "team/index.html" in files
    for path, data in files.items():
        for planted in PLANTED:
            assert planted.encode() not in data, f"{planted!r} leaked into {path}"


def test_bands_merge_up_and_say_so(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(_site(make_site, "team:\n  salaries: bands\n"), out, now=NOW)
    html = (out / "team/index.html").read_text()
    # Support has 1 person now, Engineer 2: merged into one band of 3, 52345..91234 rounded outward to 5000
    assert "Engineer, Support" in html and "merged: fewer than 3 people per role" in html
    assert "$50,000 – $95,000" in html


def test_exact_salaries_with_names(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(_site(make_site, "team:\n  salaries: exact\n  names: true\n  path: /people/\n"), out, now=NOW)
    html = (out / "people/index.html").read_text()
    assert "Zebediah Quux" in html and "$87,654" in html and "Quillon" not in html  # Quillon left in May 2024
    assert 'href="/people/"' in (out / "index.html").read_text()  # in the navigation


def test_fiscal_year_from_april_with_a_gap_month(make_site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(_site(make_site, ""), out, now=NOW)
    html = (out / "metrics/2024/index.html").read_text()
    # FY 2024-25 = April 2024 .. March 2025; June 2024 has no row.
    # Revenue (sum of MRR) = 200 + 200 + 300 × 6 + 400 × 3 = 3400
    assert "2024–25" in html and "$3,400" in html and "No data for: June 2024" in html
    # ARR at the start = 12 × March 2024 MRR (100) = 1,200; at the end = 12 × 400 = 4,800
    assert "$1,200" in html and "$4,800" in html
    ytd = (out / "metrics/2025/index.html").read_text()
    # year to date: April-July 2025 (August is in progress) = 500 × 4 = 2000,
    # against April-July 2024 = 200 + 200 + (June: no row) + 300 = 700
    assert "Year to date" in ytd and "$2,000" in ytd and "$700" in ytd
    listing = (out / "metrics/years/index.html").read_text()
    assert 'href="/metrics/2023/"' in listing  # January-March 2024 belong to FY 2023-24


def test_headcount_starts_at_the_teams_first_start_before_mrr(make_site, tmp_path: Path) -> None:
    team = "person,role,start,end\nA,Founder,2023-10-15,\nB,Founder,2023-11-01,\nC,Engineer,2023-12-01,2023-12-31\n"
    mrr = "month,mrr\n2024-01,100\n2024-02,150\n"
    root = make_site({"metrics/mrr.csv": mrr, "metrics/team.csv": team},
                     config="title: Co\nbase_url: https://co.example/\ntimezone: UTC\nmetrics:\n  currency: USD\n")
    out = tmp_path / "out"
    result = build_site(root, out, now=NOW)
    assert not [w for w in result.warnings if "mrr" in w.message.lower()]  # months before the first row are no gap
    rows = list(csv.DictReader(io.StringIO((out / "data/metrics.csv").read_text())))
    # Oct: A (1); Nov: A, B (2); Dec: C joins and leaves on the 31st, so 2 at month end; Jan, Feb: 2
    assert [(r["month"], r["headcount"], r["mrr"]) for r in rows] == [
        ("2023-10", "1", ""), ("2023-11", "2", ""), ("2023-12", "2", ""), ("2024-01", "2", "100.00"),
        ("2024-02", "2", "150.00")]
    assert rows[2]["attrition_rate"] == "0.5"  # 1 departure / ((2 + 2) / 2)
    team_page = (out / "team/index.html").read_text()
    assert "October 2023" in team_page or "Oct 2023" in team_page  # the chart starts with the first founder
    years = (out / "metrics/years/index.html").read_text()
    assert 'href="/metrics/2023/"' in years
    page = (out / "metrics/2023/index.html").read_text()
    assert "No data for: October 2023, November 2023, December 2023." in page  # not January to September
    assert "Hires</a></th>" in page or ">Hires<" in page


def test_the_team_page_reads_for_people_not_like_a_config_file(demo_build) -> None:
    """Issue 19: no `tier_1`, no column of level "0", no years multiplier promised and not shown."""
    page = (demo_build.output / "team/index.html").read_text(encoding="utf-8")
    assert "tier_1" not in page and "tier_2" not in page
    assert '<th scope="row">Band 1</th>' in page and "in Band 1: $96,000" in page
    assert d_level_header(page) == 0  # one level per role: no Level column
    assert "× years multiplier" not in page and "Years count from" not in page
    assert '<td class="text">Co-founder</td>' in page  # text columns read from the left


def d_level_header(page: str) -> int:
    return page.count('<th scope="col" class="text">Level</th>')


def test_bands_and_levels_take_their_names_from_site_yaml_and_the_years_table_shows(make_site, tmp_path: Path) -> None:
    team = ("team:\n  salaries: exact\n  formula:\n"
            "    base: {Engineer: {1: 80000, 2: 90000}, Support: 50000}\n"
            "    levels: {1: {en: Junior, zh-CN: 初级}, 2: Senior}\n"
            "    locations:\n      eu: {multiplier: 1.0, places: [Berlin, Lisbon], label: {en: Europe, zh-CN: 欧洲}}\n"
            "      uk: {multiplier: 0.9, places: [Leeds]}\n"
            "    years: {basis: tenure, multipliers: {0: 1.0, 2: 1.05}}\n")
    root = _site(make_site, team)
    (root / "metrics" / "team.csv").write_text(TEAM.replace("person,role,team,start,end,location,salary",
                                                            "person,role,team,start,end,location,salary,level")
                                               .replace("87654\n", "87654,1\n").replace("91234\n", "91234,2\n")
                                               .replace("52345\n", "52345,\n").replace("51111\n", "51111,\n"),
                                               encoding="utf-8")
    out = tmp_path / "out"
    build_site(root, out, now=NOW)
    page = (out / "team" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">Europe</th>' in page and '<th scope="row">Band 2</th>' in page and "eu<" not in page
    assert '<td class="text">Junior</td>' in page and '<td class="text">Senior</td>' in page
    assert "From 2 years" in page and "× years multiplier" in page and "Years count from the day" in page

"""What readers take away (issue 14): badges, open data that never runs ahead of the dashboard and says which
source revision published it, the favicon, the 404 page, code that passes contrast, and links that say where
they go."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from support import numbers_config, read_tree

from generator import build_site
from generator.config import load_config
from generator.content.markdown import focusable_code_blocks, label_empty_links
from generator.render import highlight_css

NOW = datetime(2024, 4, 15, tzinfo=timezone.utc)
"""April 2024 is in progress; March is the latest closed month; the data runs on to June."""
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
MRR = "month,mrr,new,expansion,contraction,churned\n" + "".join(
    f"{m},{1000 + 100 * i},{1000 if i == 0 else 100},0,0,0\n" for i, m in enumerate(MONTHS))
CHURN = "month,customers,new_customers,churned_customers\n" + "".join(
    f"{m},{10 + i},{10 if i == 0 else 1},0\n" for i, m in enumerate(MONTHS))
CASH = "month,balance\n" + "".join(f"{m},{987654.32 - 1111 * i:.2f}\n" for i, m in enumerate(MONTHS))
CONFIG = numbers_config("customers: {disclosure: rounded, round_to: 10}")


@pytest.fixture
def built(make_site, tmp_path: Path) -> Path:
    root = make_site({"metrics/mrr.csv": MRR, "metrics/churn.csv": CHURN, "metrics/cash.csv": CASH}, config=CONFIG)
    build_site(root, tmp_path / "out", now=NOW)
    return tmp_path / "out"


# Badges -----------------------------------------------------------------------------------------

def test_badge_shows_the_latest_closed_value_and_parses_as_svg(built: Path) -> None:
    svg = (built / "badges/mrr.svg").read_text()
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "MRR: $1,200 (March 2024)"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["MRR", "$1,200"]  # March, not the April estimate
    width = float(root.get("width"))
    assert width == float(root.get("viewBox").split()[2]) and width > 60


def test_rounded_metric_badge_shows_approx_and_hidden_metric_has_none(built: Path) -> None:
    assert "≈10" in (built / "badges/customers.svg").read_text()  # 12 customers rounded to tens
    assert not (built / "badges/cash.svg").exists()
    for data in read_tree(built).values():
        assert b"987654" not in data and b"985432" not in data


def test_metric_page_offers_the_badge_as_markdown(built: Path) -> None:
    html = (built / "metrics/mrr/index.html").read_text()
    snippet = "[![MRR: $1,200](https://numbers.example/badges/mrr.svg)](https://numbers.example/metrics/mrr/)"
    assert f'<pre class="snippet" tabindex="0"><code>{snippet}</code></pre>' in html
    assert '<img src="/badges/mrr.svg" alt="MRR: $1,200" height="20">' in html


# Open data --------------------------------------------------------------------------------------

def test_open_data_stops_at_the_month_in_progress_and_flags_it(built: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((built / "data/metrics.csv").read_text())))
    assert [r["month"] for r in rows] == ["2024-01", "2024-02", "2024-03", "2024-04"]  # never May or June
    assert [r["estimate"] for r in rows] == ["", "", "", "yes"]
    document = json.loads((built / "data/metrics.json").read_text())
    assert document["months"][-1] == "2024-04" and document["estimate_month"] == "2024-04"
    assert len(document["metrics"]["mrr"]["values"]) == 4
    per_metric = json.loads((built / "metrics/mrr/mrr.json").read_text())
    assert per_metric["months"] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert "meta" not in document and not (built / "data/VERSION").exists()  # not a git checkout


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@e", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def test_git_checkout_names_its_revision_and_builds_byte_identically(make_site, tmp_path: Path) -> None:
    root = make_site({"metrics/mrr.csv": MRR, ".gitignore": "/output*/\n"}, config=CONFIG)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "data")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    build_site(root, root / "output1", now=NOW)
    build_site(root, root / "output2", now=NOW)
    first, second = read_tree(root / "output1"), read_tree(root / "output2")
    assert first == second
    assert first["data/VERSION"] == f"{commit}\n".encode()
    for path in ("data/metrics.json", "metrics/mrr/mrr.json"):
        assert json.loads(first[path])["meta"] == {"revision": commit, "uncommitted_changes": False}
    assert not first["data/metrics.csv"].startswith(b"#")  # CSV stays plain CSV
    (root / "metrics/mrr.csv").write_text(MRR.replace("1000,1000", "1000,1000", 1) + "\n")
    build_site(root, root / "output3", now=NOW)
    assert (root / "output3/data/VERSION").read_text() == f"{commit}-dirty\n"
    assert json.loads((root / "output3/data/metrics.json").read_text())["meta"]["uncommitted_changes"] is True


# Small ones -------------------------------------------------------------------------------------

def test_favicon_is_the_themes_unless_the_site_ships_one(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\nHi.\n"})
    build_site(root, tmp_path / "a", now=NOW)
    html = (tmp_path / "a/index.html").read_text()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    assert (tmp_path / "a" / icon.split("?")[0].lstrip("/")).is_file()
    (root / "content/favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    build_site(root, tmp_path / "b", now=NOW)
    assert '<link rel="icon" href="/favicon.png">' in (tmp_path / "b/index.html").read_text()


def test_not_found_page_is_noindex_without_canonical(built: Path) -> None:
    html = (built / "404.html").read_text()
    assert '<meta name="robots" content="noindex">' in html
    assert "canonical" not in html and "og:url" not in html


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_default_code_colours_pass_aa_on_the_code_background(make_site) -> None:
    css = highlight_css(load_config(make_site()))
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    theme = (Path(__file__).parent.parent / "generator/theme/static/style.css").read_text()
    backgrounds = re.findall(r"--code-bg: (#[0-9a-f]{6})", theme)
    assert len(backgrounds) == 2
    for part, background in ((light, backgrounds[0]), (dark, backgrounds[1])):
        tokens = [line for line in part.splitlines() if line.strip().startswith(".highlight .")]  # not line numbers
        colours = set(re.findall(r"(?<!background-)color: (#[0-9a-fA-F]{6})", "\n".join(tokens)))
        assert colours
        worst = min(colours, key=lambda c: _contrast(c, background))
        assert _contrast(worst, background) >= 4.5, (worst, background)


def test_code_blocks_take_focus_once() -> None:
    assert focusable_code_blocks("<pre><code>x</code></pre>") == '<pre tabindex="0"><code>x</code></pre>'
    assert focusable_code_blocks('<pre tabindex="-1">x</pre>') == '<pre tabindex="-1">x</pre>'
    assert focusable_code_blocks("<preface>") == "<preface>"


@pytest.mark.parametrize(("html", "expected"), [
    ('<a href="https://medium.com/@x/launch-1a2b"></a>',
     '<a href="https://medium.com/@x/launch-1a2b">medium.com/@x/launch-1a2b</a>'),
    ('<a href="https://ex.com/p/"><img src="/c.png" alt=""></a>',
     '<a href="https://ex.com/p/"><img src="/c.png" alt="">ex.com/p</a>'),
    ('<a href="https://ex.com/p">Read it</a>', '<a href="https://ex.com/p">Read it</a>'),
    ('<a href="https://ex.com/p"><img src="/c.png" alt="Our card"></a>',
     '<a href="https://ex.com/p"><img src="/c.png" alt="Our card"></a>'),
])
def test_links_with_nothing_to_read_say_where_they_go(html: str, expected: str) -> None:
    assert label_empty_links(html) == expected


# Open Graph images ------------------------------------------------------------------------------

def test_dashboard_metric_and_month_pages_share_a_1200_by_630_preview(built: Path) -> None:
    import struct

    for page, image in (("metrics/", "og/metrics.png"), ("metrics/mrr/", "og/metrics/mrr.png"),
                        ("metrics/2024-03/", "og/metrics/2024-03.png")):
        html = (built / page / "index.html").read_text()
        assert f'<meta property="og:image" content="https://numbers.example/{image}">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        data = (built / image).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1200, 630)
        assert b"tEXt" not in data  # no software or date stamp
    assert '<meta property="og:image" content="https://numbers.example/og/index.png">' in \
        (built / "index.html").read_text()  # the home page has its own card (issue 19)
    assert not (built / "og/metrics/cash.png").exists()  # hidden: no page, no preview


def test_preview_bytes_are_deterministic_and_show_published_values_only(make_site, tmp_path: Path) -> None:
    from generator.charts.cards import card_text, draw_card
    from generator.charts.fonts import FontFinder
    from generator.dashboard.previews import Preview

    preview = Preview("og/x.png", "x/", "Numbers Co", "MRR", "$1,200", "MRR · March 2024", (1000.0, None, 1200.0))
    fonts = FontFinder().fonts_for(card_text(preview))
    assert draw_card(preview, fonts) == draw_card(preview, fonts)
    assert draw_card(preview, fonts) != draw_card(Preview(*[*vars(preview).values()][:4], "$1,300",
                                                          preview.caption, preview.values), fonts)
    root = make_site({"metrics/mrr.csv": MRR, "metrics/churn.csv": CHURN}, config=CONFIG)
    from generator.build import render_site_in_memory

    result = render_site_in_memory(root, now=NOW)
    previews = {p.page_path: p for p in result.site.dashboard.previews}
    assert previews["metrics/customers/"].value_text == "≈10"  # rounded as published
    assert previews["metrics/mrr/"].values == (1000.0, 1100.0, 1200.0)  # closed months only, not April's estimate

"""The dashboard on the model level and end to end: cards, pages, the as-of rule, references, annotations,
the month in progress, the chart cache, hidden metrics and the page budget.

Expected numbers are worked out by hand from the CSVs below, not read back from the code under test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO
from support import read_tree

from generator import build_site
from generator.charts import draw_chart, render_charts, series_for
from generator.config import load_config
from generator.content import load_content
from generator.dashboard import load_annotations
from generator.errors import ConfigError, ContentError, GeneratorError
from generator.metrics import load_metrics, publish_metrics
from generator.model import Site, assemble_site
from generator.render import create_environment, render_page

# 16 months, 2023-01 to 2024-04: MRR grows by 100 a month from 1,000; April 2024 is the month in progress.
MONTHS = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(16)]
MRR = "month,mrr,new,expansion,contraction,churned\n" + "".join(
    f"{m},{1000 + 100 * i},{1000 if i == 0 else 100},0,0,0\n" for i, m in enumerate(MONTHS))
# Customers start at 10 and grow by 3 new less 1 churned a month: customers = 10 + 2i.
CHURN = "month,customers,new_customers,churned_customers\n" + "".join(
    f"{m},{10 + 2 * i},{10 if i == 0 else 3},{0 if i == 0 else 1}\n" for i, m in enumerate(MONTHS))
COSTS = "month,category,amount\n" + "".join(f"{m},Hosting,300\n{m},Payroll,2000\n" for m in MONTHS)
# Distinctive balances: none of these digits may reach any output file while cash is hidden.
CASH = "month,balance\n" + "".join(f"{m},{987654.32 - 1111 * i:.2f}\n" for i, m in enumerate(MONTHS))
PLANTED = (b"987654", b"987,654", b"987.7K", b"988K", b"986543", b"986,543", b"970989", b"970,989")

CONFIG = """\
title: Numbers Co
base_url: https://numbers.example/
timezone: UTC
metrics:
  publish:
    cash: {disclosure: hidden, hide_derived: true}
    arr: {disclosure: rounded, round_to: 1000}
"""
NOW = datetime(2024, 4, 15, tzinfo=timezone.utc)
"""The build month is April 2024: March is the latest closed month, April is in progress."""


def _post(name: str, date_: str, body: str, front: str = "") -> tuple[str, str]:
    return f"content/posts/{name}.md", f"---\ntitle: {name}\ndate: {date_}\ncategory: finances\n{front}---\n{body}\n"


@pytest.fixture
def numbers(make_site):
    """Return make(posts=[...], config=..., files={...}) -> site folder with the metrics above."""
    def make(*posts: tuple[str, str], config: str = CONFIG, files: dict[str, str] | None = None) -> Path:
        return make_site({"metrics/mrr.csv": MRR, "metrics/churn.csv": CHURN, "metrics/costs.csv": COSTS,
                          "metrics/cash.csv": CASH, **dict(posts), **(files or {})}, config=config)
    return make


def _render(site: Site, path: str) -> str:
    """Render the one page at `path` (charts are not drawn)."""
    env = create_environment(site.config)
    env.globals["assets"] = {name: f"assets/{name}" for name in ("style.css", "highlight.css")}
    return render_page(env, site, next(spec for spec in site.renders if spec.path == path))


def _assemble(root: Path, now: datetime = NOW) -> Site:
    """Run the stages up to the model (no charts drawn, no pages rendered): what the dashboard decides."""
    config = load_config(root)
    return assemble_site(config, load_content(config, now=now), build_time=now,
                         metrics=publish_metrics(load_metrics(config), config), annotations=load_annotations(config))


# KPI cards ---------------------------------------------------------------------------------------

def test_cards_show_the_latest_closed_month_with_both_changes(numbers) -> None:
    site = _assemble(numbers())
    cards = {card.metric_id: card for card in site.dashboard.cards}
    mrr = cards["mrr"]
    # March 2024 is month 14: 1,000 + 14 × 100 = 2,400; February 2,300; March 2023 1,200.
    assert (mrr.month, mrr.value_text) == (date(2024, 3, 1), "$2,400")
    assert mrr.previous.difference == Decimal(100) and mrr.previous.text == "+$100 (+4.3%)"  # 100 / 2,300
    assert mrr.year.difference == Decimal(1200) and mrr.year.text == "+$1,200 (+100.0%)"  # 1,200 / 1,200
    assert mrr.previous.direction == "up" and mrr.previous_label == "vs Feb 2024"
    # Customers: 10 + 2 × 14 = 38; churn = 1 / (38 − 3 + 1) = 2.78% against 1 / 34 = 2.94% in February.
    churn = cards["customer_churn_rate"]
    assert churn.value_text == "2.8%" and churn.previous.text == "−0.2 pp" and churn.previous.direction == "down"
    assert cards["customers"].previous.text == "+2 (+5.6%)"  # 38 against 36
    # ARPU: 2,400 / 38 = 63.157… → $63.16
    assert cards["arpu"].value_text == "$63.16"


def test_rounded_card_carries_approx_on_value_and_change(numbers) -> None:
    cards = {card.metric_id: card for card in _assemble(numbers()).dashboard.cards}
    # ARR = 12 × 2,400 = 28,800 → ≈29,000; February 27,600 → ≈28,000.
    assert cards["arr"].value_text == "≈$29,000"
    assert cards["arr"].previous.text == "≈+$1,000 (+3.6%)"


def test_month_page_cards_without_a_year_ago_have_no_prior_data(numbers) -> None:
    june = next(m for m in _assemble(numbers()).dashboard.months if m.month == date(2023, 6, 1))
    mrr = next(card for card in june.cards if card.metric_id == "mrr")
    assert (mrr.value_text, mrr.previous.text, mrr.year) == ("$1,500", "+$100 (+7.1%)", None)  # no June 2022
    assert (june.previous_path, june.next_path) == ("metrics/2023-05/", "metrics/2023-07/")


def test_relative_metric_shows_an_index_and_growth_only(numbers) -> None:
    config = CONFIG.replace("    arr:", "    customers: relative\n    arr:")
    churn = "month,customers,new_customers,churned_customers\n" + "".join(  # CHURN × 20: 200 to 800 customers
        f"{m},{200 + 40 * i},{200 if i == 0 else 60},{0 if i == 0 else 20}\n" for i, m in enumerate(MONTHS))
    site = numbers(config=config, files={"metrics/churn.csv": churn})
    cards = {card.metric_id: card for card in _assemble(site).dashboard.cards}
    customers = cards["customers"]
    # Whole points of the largest value (April 2024's 800 = 100): March 2024's 760 are 95, February's 720 are 90.
    assert (customers.value_text, customers.note) == ("95", "index, Apr 2024 = 100")
    assert customers.previous.text == "+5.6%" and customers.year.text == "+171.4%"  # 5 / 90, 60 / 35
    few = {card.metric_id for card in _assemble(numbers(config=config)).dashboard.cards}
    assert "customers" not in few  # 10 to 40 customers: too few to index without giving the counts back


def test_a_chinese_site_gets_chinese_dashboard_text(numbers) -> None:
    site = _assemble(numbers(config=CONFIG.replace("timezone: UTC", "timezone: UTC\nlanguage: zh-CN")))
    mrr = site.dashboard.cards[0]
    assert (site.dashboard.title, mrr.value_text, mrr.previous_label) == ("数据", "US$2,400", "对比2024年2月")
    assert site.dashboard.months[0].title == "2024年3月数据"


def test_configured_cards_pick_and_order_metrics(numbers) -> None:
    config = CONFIG + "dashboard:\n  title: Open numbers\n  path: /numbers/\n  cards: [customers, mrr]\n"
    site = _assemble(numbers(config=config))
    assert [card.metric_id for card in site.dashboard.cards] == ["customers", "mrr"]
    assert site.dashboard.title == "Open numbers" and site.dashboard.path == "numbers/"
    assert any(spec.path == "numbers/methodology/" for spec in site.renders)


@pytest.mark.parametrize(("card", "fragment"), [
    ("mrrr", "unknown metric 'mrrr' (did you mean 'mrr'?"),
    ("cash", "'cash', which metrics.publish hides"),
    ("runway_months", "'runway_months', which metrics.publish hides"),
])
def test_configured_card_must_be_a_published_metric(numbers, card: str, fragment: str) -> None:
    config = CONFIG + f"dashboard:\n  cards:\n    - mrr\n    - {card}\n"
    with pytest.raises(ConfigError) as info:
        _assemble(numbers(config=config))
    (diagnostic,) = info.value.diagnostics
    assert fragment in diagnostic.message + " (" + diagnostic.hint
    assert diagnostic.path.name == "site.yaml" and diagnostic.line == 11
    assert "valid: " in diagnostic.hint and "customer_churn_rate" in diagnostic.hint and "cash" not in diagnostic.hint


def test_unknown_dashboard_key_is_reported_with_a_suggestion(numbers) -> None:
    with pytest.raises(ConfigError, match="unknown key 'dashboard.card'.*did you mean 'cards'"):
        _assemble(numbers(config=CONFIG + "dashboard:\n  card: [mrr]\n"))


# Pages -------------------------------------------------------------------------------------------

def test_dashboard_pages_metric_pages_month_pages_and_methodology_are_built(numbers, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build_site(numbers(), out, now=NOW)
    for path in ("metrics/index.html", "metrics/all/index.html", "metrics/methodology/index.html",
                 "metrics/mrr/index.html", "metrics/mrr/mrr.csv", "metrics/mrr/mrr.json",
                 "metrics/costs.hosting/index.html", "metrics/2023-01/index.html", "metrics/2024-03/index.html"):
        assert (out / path).is_file(), path
    assert not (out / "metrics/2024-04").exists()  # the month in progress has no page yet
    assert not (out / "metrics/cash").exists() and not (out / "metrics/runway_months").exists()
    assert ("Metrics", "metrics/") in [(link.title, link.path) for link in result.site.navigation]
    assert (out / "metrics/mrr/mrr.csv").read_text().splitlines()[:2] == ["month,mrr,estimate", "2023-01,1000.00,"]
    assert list(json.loads((out / "metrics/mrr/mrr.json").read_text())["metrics"]) == ["mrr"]
    methodology = (out / "metrics/methodology/index.html").read_text()
    assert "Published rounded to the nearest $1,000" in methodology
    assert 'href="/metrics/cash/"' not in methodology and ">Cash<" not in methodology


def test_month_page_lists_that_months_posts_and_links_its_neighbours(numbers) -> None:
    page = _render(_assemble(numbers(_post("march-news", "2024-03-20", "News."))), "metrics/2024-03/")
    assert "March 2024 in numbers" in page and 'href="/2024/03/march-news/"' in page
    assert 'rel="prev" href="/metrics/2024-02/"' in page and 'rel="next"' not in page


def test_site_without_metrics_has_no_dashboard(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n"})
    result = build_site(root, tmp_path / "out", now=NOW)
    assert result.site.dashboard is None and result.chart_count == 0
    assert all(link.path != "metrics/" for link in result.site.navigation)


# Numbers inside posts ------------------------------------------------------------------------------

def test_post_shows_the_values_of_its_as_of_month(numbers) -> None:
    """A post dated 2024-04-03 shows March 2024, though April's (estimated) row exists."""
    body = "MRR is {{ metric mrr }}, churn {{ metric customer_churn_rate }}, ARR {{ metric arr }}."
    html = _render(_assemble(numbers(_post("april", "2024-04-03", body))), "2024/04/april/")
    assert '<a class="metric-value" href="/metrics/2024-03/#mrr">$2,400</a>' in html  # not April's $2,500
    assert 'href="/metrics/2024-03/#customer_churn_rate">2.8%</a>' in html
    assert ">≈$29,000</a>" in html
    assert "data-opensite-ref" not in html


def test_post_keeps_its_numbers_when_later_months_arrive(numbers) -> None:
    post = _post("old", "2023-07-02", "MRR was {{ metric mrr }} and in March {{ metric mrr 2023-03 }}.")
    html = _render(_assemble(numbers(post)), "2023/07/old/")
    assert ">$1,500</a>" in html and ">$1,200</a>" in html  # June 2023 (month 5) and March 2023 (month 2)


def test_derived_summary_shows_the_resolved_value(numbers) -> None:
    site = _assemble(numbers(_post("april", "2024-04-03", "MRR reached {{ metric mrr }} in March.")))
    assert site.posts[0].summary == "MRR reached $2,400 in March."


def test_references_in_code_stay_literal(numbers) -> None:
    body = "Write `{{ metric mrr }}` for MRR.\n\n```\n{{ chart mrr }}\n```\n"
    html = _render(_assemble(numbers(_post("howto", "2024-04-03", body))), "2024/04/howto/")
    assert "<code>{{ metric mrr }}</code>" in html and "{{ chart mrr }}\n</code>" in html
    assert "metric-value" not in html and "<figure" not in html


@pytest.mark.parametrize(("reference", "fragments"), [
    ("{{ metric mrrr }}", ["unknown metric 'mrrr'", "did you mean 'mrr'?", "valid: "]),
    ("{{ metric cash }}", ["'cash' is hidden by the publishing rules", "valid: "]),
    ("{{ metric runway_months }}", ["'runway_months' is hidden", "valid: "]),
    ("{{ metric mrr 2022-06 }}", ["no value for MRR in 2022-06", "months with values: 2023-01 to 2024-03"]),
    ("{{ metric mrr 2024-04 }}", ["no value for MRR in 2024-04", "months with values: 2023-01 to 2024-03"]),
    ("{{ metric mrr_growth 2023-01 }}", ["no value for MRR growth in 2023-01", "2023-02 to 2024-03"]),
    ("{{ chart mrr_movments }}", ["unknown chart 'mrr_movments'", "did you mean 'mrr_movements'?"]),
    ("{{ chart cash 6 }}", ["'cash' is hidden"]),
])
def test_each_reference_error_names_file_line_and_valid_choices(numbers, reference: str, fragments) -> None:
    root = numbers(_post("bad", "2024-04-03", f"Intro.\n\n{reference}\n"))
    with pytest.raises(ContentError) as info:
        _assemble(root)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.format(root).startswith("content/posts/bad.md:8: ")
    shown = diagnostic.format(root)
    for fragment in fragments:
        assert fragment in shown
    assert "987" not in shown  # an error about a hidden metric names it, never its values


def test_a_post_older_than_the_data_is_an_error_at_its_line(numbers) -> None:
    with pytest.raises(ContentError, match=r"no value for MRR in 2022-12, the last month that ended before the "
                                           r"post's date 2023-01-20"):
        _assemble(numbers(_post("early", "2023-01-20", "{{ metric mrr }}")))


def test_all_reference_errors_are_reported_together(numbers) -> None:
    root = numbers(_post("one", "2024-04-03", "{{ metric nope }}"), _post("two", "2024-04-04", "{{ metric nada }}"))
    with pytest.raises(ContentError) as info:
        _assemble(root)
    assert len(info.value.diagnostics) == 2


def test_chart_reference_embeds_a_figure_and_feeds_link_the_svg_absolutely(numbers) -> None:
    site = _assemble(numbers(_post("charted", "2024-04-03", "Intro.\n\n{{ chart mrr 6 }}\n")))
    spec = next(c.spec for c in site.charts if c.id.startswith("post-mrr"))
    assert (spec.first_month, spec.last_month, spec.in_progress) == (date(2023, 10, 1), date(2024, 3, 1), None)
    html = _render(site, "2024/04/charted/")
    assert f'<img src="/{spec.path}" alt="MRR rose from $1,900 to $2,400 over 6 months' in html
    assert re.search(r"<details>\s*<summary>Data table</summary>", html)
    feed = ET.fromstring(_render(site, "feed.xml").encode())
    content = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content").text
    assert f'src="https://numbers.example/{spec.path}"' in content


def test_references_in_posts_render_through_the_dashboards_macros(numbers) -> None:
    site = _assemble(numbers(_post("charted", "2024-04-03", "MRR: {{ metric mrr }}.\n\n{{ chart mrr 6 }}\n")))
    post, dashboard = _render(site, "2024/04/charted/"), _render(site, "metrics/")

    post_figure = re.search(r'<figure class="chart" id="chart-post-mrr[^"]*">.*?</figure>', post, re.DOTALL).group(0)
    dashboard_figure = re.search(r'<figure class="chart" id="chart-mrr[^"]*">.*?</figure>', dashboard,
                                 re.DOTALL).group(0)
    # One macro: the same anatomy (caption classes, definition link, table) in both places; only the rows differ.
    assert set(_tags(post_figure)) == set(_tags(dashboard_figure)) - {'tr class="estimate"'}  # April: in progress
    assert '<strong class="chart-title">' in post_figure and 'href="/metrics/mrr/">' in post_figure


def test_theme_override_of_the_chart_macros_changes_posts_and_dashboard_alike(numbers) -> None:
    override = (
        '{% macro metric_value(value) %}<b class="my-value">{{ value.text }}</b>{% endmacro %}\n'
        '{% macro chart_figure(chart, dashboard) %}<figure class="my-chart">{{ chart.title }}</figure>{% endmacro %}\n'
        '{% macro kpi_card(card, dashboard) %}<li>{{ card.label }}</li>{% endmacro %}\n'
        '{% macro dashboard_nav(dashboard, page) %}{% endmacro %}\n'
        '{% macro change(c, d) %}{% endmacro %}\n')
    site = _assemble(numbers(_post("charted", "2024-04-03", "MRR: {{ metric mrr }}.\n\n{{ chart mrr 6 }}\n"),
                             files={"templates/_charts.html": override}))
    post, dashboard = _render(site, "2024/04/charted/"), _render(site, "metrics/")

    assert '<b class="my-value">$2,400</b>' in post and 'class="metric-value"' not in post
    assert '<figure class="my-chart">MRR</figure>' in post
    assert '<figure class="my-chart">' in dashboard and '<figure class="chart"' not in dashboard


def test_reference_values_are_escaped_by_the_template(numbers) -> None:
    annotations = "month,text,metrics,url\n2024-02,<script>alert(1)</script>,mrr,\n"
    site = _assemble(numbers(_post("charted", "2024-04-03", "Intro.\n\n{{ chart mrr 6 }}\n"),
                             files={"metrics/annotations.csv": annotations}))
    post = _render(site, "2024/04/charted/")

    assert "<script>alert(1)</script>" not in post
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in post


def _tags(fragment: str) -> list[str]:
    """Return the start tags of an HTML fragment with their class attributes, ignoring text and URLs."""
    return [f"{name}{cls}" for name, cls in re.findall(r'<([a-z]+)(?:[^>]*?( class="[^"]*"))?[^>]*>', fragment)]


# Annotations ---------------------------------------------------------------------------------------

ANNOTATIONS = "month,text,metrics,url\n2023-06,Hired our first engineer,costs,/about/\n2023-09,Launch week,,\n"


def test_annotations_put_numbered_markers_on_matching_charts_with_linked_legend(numbers) -> None:
    post = _post("prices", "2023-11-05", "New prices.", 'annotate: "Raised prices"\nannotate_metrics: [mrr]\n')
    site = _assemble(numbers(post, files={"metrics/annotations.csv": ANNOTATIONS}))
    charts = {chart.id: chart for chart in site.charts}
    mrr = charts["mrr-all"].spec.annotations
    assert [(a.number, a.month, a.text, a.url) for a in mrr] == [
        (1, date(2023, 9, 1), "Launch week", None), (2, date(2023, 11, 1), "Raised prices", "2023/11/prices/")]
    costs = charts["costs-all"].spec.annotations
    assert [(a.number, a.text) for a in costs] == [(1, "Hired our first engineer"), (2, "Launch week"),
                                                   (3, "Raised prices")]  # costs marks the categories' chart
    page = _render(site, "metrics/all/")
    assert '<li value="2">Nov 2023: <a href="/2023/11/prices/">Raised prices</a></li>' in page
    svg = ET.fromstring(draw_chart(charts["mrr-all"].spec, series_for(charts["mrr-all"].spec, site.metrics)))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "1" in texts and "2" in texts
    assert "2. Nov 2023: Raised prices" in charts["mrr-all"].alt


@pytest.mark.parametrize(("csv", "fragment", "line"), [
    ("month,text\n2023-13,Oops\n", "'2023-13' is not a month", 2),
    ("month,text,metrics\n2023-05,Hire,cost\n", "unknown metric 'cost' (did you mean 'costs'?", 2),
    ("month,note\n2023-05,Hire\n", "has no 'text' column", 1),
])
def test_annotation_file_errors_name_file_and_line(numbers, csv: str, fragment: str, line: int) -> None:
    root = numbers(files={"metrics/annotations.csv": csv})
    with pytest.raises(GeneratorError) as info:
        _assemble(root)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.format(root).startswith(f"metrics/annotations.csv:{line}") and fragment in diagnostic.format(root)


# The month in progress -----------------------------------------------------------------------------

def test_month_in_progress_is_drawn_distinctly_and_labelled_as_an_estimate(numbers) -> None:
    site = _assemble(numbers())
    charts = {chart.id: chart for chart in site.charts}
    mrr, movements = charts["mrr"], charts["mrr_movements"]
    # The recent view: the 12 closed months April 2023 – March 2024, plus April 2024 as an estimate.
    assert (mrr.spec.first_month, mrr.spec.last_month) == (date(2023, 4, 1), date(2024, 4, 1))
    assert mrr.spec.in_progress == date(2024, 4, 1) and mrr.rows[-1].label == "Apr 2024 (estimate)"
    assert mrr.rows[-1].estimate and mrr.rows[-1].path is None
    assert "April 2024 is drawn lighter: it is an estimate" in mrr.alt
    assert "MRR rose from $1,300 to $2,400 over 12 months (April 2023 to March 2024)." in mrr.alt
    line_svg = draw_chart(mrr.spec, series_for(mrr.spec, site.metrics)).decode()
    bar_svg = draw_chart(movements.spec, series_for(movements.spec, site.metrics)).decode()
    ET.fromstring(line_svg)
    assert ">estimate</text>" in line_svg and "stroke-dasharray" in line_svg  # a dashed last segment
    assert "opacity: 0.4" in bar_svg  # the estimate's bars are lighter
    assert charts["mrr-all"].spec.in_progress == date(2024, 4, 1)
    page = _render(site, "metrics/")
    assert "April 2024 is not over yet" in page and '<tr class="estimate">' in page


def test_a_build_after_the_data_has_no_month_in_progress(numbers) -> None:
    site = _assemble(numbers(), now=datetime(2024, 6, 2, tzinfo=timezone.utc))
    assert site.dashboard.in_progress is None and site.dashboard.latest_closed == date(2024, 4, 1)
    assert all(chart.spec.in_progress is None for chart in site.charts)


def test_rows_after_the_build_month_are_left_out(numbers) -> None:
    site = _assemble(numbers(), now=datetime(2024, 1, 10, tzinfo=timezone.utc))
    assert site.dashboard.latest_closed == date(2023, 12, 1) and site.dashboard.in_progress == date(2024, 1, 1)
    assert max(chart.spec.last_month for chart in site.charts) == date(2024, 1, 1)


# Cache, leaks, budget ------------------------------------------------------------------------------

_SECOND_BUILD = """
import sys
from datetime import datetime, timezone
from generator import build_site
result = build_site(sys.argv[1], sys.argv[2], now=datetime(2024, 4, 15, tzinfo=timezone.utc))
print(result.chart_count, result.charts_drawn, "matplotlib" in sys.modules)
"""


def test_second_build_draws_nothing_and_does_not_import_matplotlib(numbers, tmp_path: Path) -> None:
    root = numbers()
    first = build_site(root, tmp_path / "one", now=NOW)
    assert first.chart_count > 6 and (root / ".opensite-cache/charts").is_dir()
    completed = subprocess.run([sys.executable, "-c", _SECOND_BUILD, str(root), str(tmp_path / "two")],
                               capture_output=True, text=True, cwd=REPO, timeout=60, check=True)
    assert completed.stdout.split() == [str(first.chart_count), "0", "False"]
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_changed_metrics_redraw_only_the_charts_they_change(numbers, tmp_path: Path) -> None:
    root = numbers()
    render_charts(_assemble(root), tmp_path / "cache")
    (root / "metrics/costs.csv").write_text(COSTS.replace("2024-03,Hosting,300", "2024-03,Hosting,350"))
    after = render_charts(_assemble(root), tmp_path / "cache")
    assert 0 < after.drawn < len(after.files)  # the costs and burn charts, not MRR's


def test_hidden_metric_values_reach_no_output_file_including_svgs(numbers, tmp_path: Path) -> None:
    post = _post("open", "2024-04-03", "Costs {{ metric costs }}.\n\n{{ chart burn 12 }}\n")
    out = tmp_path / "out"
    result = build_site(numbers(post), out, now=NOW)
    tree = read_tree(out)
    assert any(path.endswith(".svg") for path in tree) and result.chart_count > 10
    for path, data in tree.items():
        for planted in PLANTED:
            assert planted not in data, f"hidden cash {planted!r} leaked into {path}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo site built on 23 November 2026 (its October report is out; charts come from the repo cache)."""
    out = tmp_path_factory.mktemp("demo") / "out"
    build_site(REPO, out, now=datetime(2026, 11, 23, tzinfo=timezone.utc))
    return out


@pytest.mark.parametrize("page", ["metrics/index.html", "metrics/all/index.html"])
def test_dashboard_page_stays_within_its_budget(demo: Path, page: str) -> None:
    html = (demo / page).read_text()
    assert "<script" not in html.lower()
    urls = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<img src="([^"]+)"', html)
    files = [demo / page] + [demo / url.split("?")[0].lstrip("/") for url in urls]
    assert 1 + len(urls) <= 10, urls  # the page, its stylesheets and its charts
    total = sum(f.stat().st_size for f in files)
    assert total <= 150 * 1024, f"{page}: {total:,} bytes"
    assert len(re.findall(r'<img src="[^"]+\.svg" alt="[^"]{40,}"', html)) == 7  # seven charts (acquisition: issue 13), each described


def test_demo_report_post_shows_october_2026_values(demo: Path) -> None:
    html = (demo / "2026/11/october-2026-in-numbers/index.html").read_text()
    assert '<a class="metric-value" href="/metrics/2026-10/#mrr">$46,632</a>' in html  # mrr.csv, 2026-10
    assert 'href="/metrics/2025-03/#customer_churn_rate">9.2%</a>' in html  # 47 / 510 in March 2025
    assert html.count('<figure class="chart"') == 3 and "<code>{{ metric mrr }}</code>" in html
    dashboard = (demo / "metrics/all/index.html").read_text()
    assert '<a href="/2024/09/we-are-raising-our-prices/">New prices for new customers</a>' in dashboard


def test_demo_numbers_match_the_metrics_engine(demo: Path) -> None:
    data = json.loads((demo / "data/metrics.json").read_text())
    october = data["months"].index("2026-10")
    assert data["metrics"]["mrr"]["values"][october] == 46632
    card = re.search(r'<a class="kpi-label" href="/metrics/mrr/">MRR</a>\s*<p class="kpi-value">([^<]+)</p>',
                     (demo / "metrics/index.html").read_text())
    assert card.group(1) == "$46,632"


def test_build_errors_are_generator_errors(numbers) -> None:
    with pytest.raises(GeneratorError):
        build_site(numbers(_post("x", "2024-04-03", "{{ metric nope }}")), now=NOW)


# Output size: linear in the number of cost categories (issue 11, §2) ------------------------------

def _costs(categories: int) -> str:
    return "month,category,amount\n" + "".join(f"{m},Cat {c:04d},{c + 1}\n" for m in MONTHS for c in range(categories))


def test_category_pages_show_the_shared_costs_chart_while_it_is_small(numbers) -> None:
    site = _assemble(numbers())
    hosting = site.dashboard.metric("costs.hosting")
    assert hosting.chart is not None and hosting.chart.id == "costs-all" and hosting.compare is None
    assert 'id="chart-costs-all"' in _render(site, "metrics/costs.hosting/")


def test_category_page_size_does_not_grow_with_the_number_of_categories(numbers) -> None:
    pages, charts = {}, {}
    for categories in (13, 130):
        site = _assemble(numbers(files={"metrics/costs.csv": _costs(categories)}))
        page = site.dashboard.metric("costs.cat_0000")
        assert page.chart is None and page.compare is not None
        pages[categories] = _render(site, "metrics/costs.cat_0000/")
        charts[categories] = len(site.charts)
        everything = _render(site, "metrics/all/")
        assert everything.count("<th scope=\"col\">Costs: Cat ") == categories, "the costs chart still shows all"
    assert charts[13] == charts[130], "no chart is drawn per category"
    assert abs(len(pages[130]) - len(pages[13])) < 100, "a category's page lists no other category"
    assert 'Every category side by side: <a href="/metrics/all/#chart-costs-all">' in pages[130]
    assert "Cat 0001" not in pages[130]


@pytest.mark.parametrize(("language", "words", "expected"), [
    ("en", ("New", "Expansion", "No data", "mrr.csv has no row", "Bars: New.", "MRR rose.", "Oct 2026", "estimate"),
     ("New, Expansion", "No data: mrr.csv has no row", "Bars: New. MRR rose.", "Oct 2026 (estimate)")),
    ("zh-CN", ("新增", "扩展", "无数据", "mrr.csv 没有该月的行", "柱形：新增。", "MRR 增长。", "2026年10月", "估算"),
     ("新增、扩展", "无数据：mrr.csv 没有该月的行", "柱形：新增。MRR 增长。", "2026年10月（估算）")),
])
def test_formatter_punctuates_generated_text_in_the_sites_language(language: str, words: tuple[str, ...],
                                                                   expected: tuple[str, ...]) -> None:
    from generator.dashboard.text import Formatter

    fmt = Formatter(language, "USD")
    first, second, reason, when, sentence, trend, month, note = words
    assert (fmt.join([first, second]), fmt.labelled(reason, when), fmt.sentences([sentence, trend]),
            fmt("in_brackets", text=month, note=note)) == expected

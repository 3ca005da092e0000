"""`opensite new report YYYY-MM`: a draft monthly report that builds at once."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from generator import build_site
from generator.cli import main
from generator.scaffold.report import report_date

MRR = ("month,mrr,new,expansion,contraction,churned\n2024-10,1000,1000,0,0,0\n2024-11,1200,300,0,0,100\n"
       "2024-12,1500,400,0,0,100\n")
CHURN = "month,customers,new_customers,churned_customers\n2024-10,10,10,0\n2024-11,12,3,1\n2024-12,15,4,1\n"


def _site(make_site, *, churn: bool = True, language: str = "en", extra: str = "") -> Path:
    files = {"metrics/mrr.csv": MRR, **({"metrics/churn.csv": CHURN} if churn else {})}
    return make_site(files, config=f"title: T\nbase_url: https://t.example/\nlanguage: {language}\n"
                                   "timezone: Asia/Shanghai\nmetrics:\n  currency: USD\n" + extra)


def test_report_date_is_the_first_of_the_next_month() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    assert report_date(date(2024, 11, 1), zone) == datetime(2024, 12, 1, 9, 0, tzinfo=zone)
    assert report_date(date(2024, 12, 1), zone) == datetime(2025, 1, 1, 9, 0, tzinfo=zone)


def test_new_report_writes_a_draft_with_references_for_the_month(make_site, runner: CliRunner) -> None:
    root = _site(make_site)
    result = runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)])
    assert result.exit_code == 0, result.output
    path = root / "content/posts/2024-12-01-november-2024-in-numbers.md"
    assert f"Created {path}" in result.stdout or "2024-12-01-november-2024-in-numbers.md" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert 'title: "November 2024 in numbers"' in text and "date: 2024-12-01 09:00" in text
    assert "category: finances" in text and "draft: true" in text
    for heading in ("## Revenue", "## Customers", "## What we learned"):
        assert heading in text
    assert "- MRR: {{ metric mrr 2024-11 }}" in text
    assert "{{ metric customer_churn_rate 2024-11 }}" in text and "{{ chart mrr_movements 2024-11 }}" in text
    assert "## Costs" not in text  # the site has no costs.csv: no reference that could not resolve


def test_new_report_leaves_out_metrics_without_values(make_site, runner: CliRunner) -> None:
    root = _site(make_site, churn=False)
    runner.invoke(main, ["new", "report", "2024-10", "-s", str(root)])
    text = (root / "content/posts/2024-11-01-october-2024-in-numbers.md").read_text(encoding="utf-8")
    assert "## Customers" not in text
    assert "mrr_growth" not in text  # October is the first month: growth has no previous month


def test_new_report_builds_with_every_reference_resolved(make_site, runner: CliRunner, tmp_path: Path) -> None:
    root = _site(make_site)
    runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)])
    build_site(root, tmp_path / "out", drafts=True, now=datetime(2025, 1, 15, tzinfo=ZoneInfo("UTC")))
    html = (tmp_path / "out/2024/12/november-2024-in-numbers/index.html").read_text(encoding="utf-8")
    assert "{{" not in html
    assert 'MRR: <a class="metric-value" href="/metrics/2024-11/#mrr">$1,200</a>' in html


def test_new_report_in_chinese(make_site, runner: CliRunner) -> None:
    root = _site(make_site, language="zh-CN")
    result = runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)])
    assert result.exit_code == 0, result.output
    (path,) = (root / "content/posts").glob("2024-12-01-*.md")
    text = path.read_text(encoding="utf-8")
    assert 'title: "2024年11月数据回顾"' in text and "## 收入" in text and "## 我们学到了什么" in text
    assert "- 月经常性收入：{{ metric mrr 2024-11 }}" in text  # a Chinese colon after a Chinese label


OWN_WORDS = """\
strings:
  report_title: {en: "Our {month}, in the open", zh-CN: "{month}公开账本"}
  report_revenue: {en: Money in, zh-CN: 进账}
  report_learned: Lessons
  report_write_here: {en: Tell it straight., zh-CN: 直说。}
"""


def test_new_report_uses_the_sites_strings(make_site, runner: CliRunner, tmp_path: Path) -> None:
    root = _site(make_site, extra=OWN_WORDS)
    result = runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)])
    assert result.exit_code == 0, result.output
    path = root / "content/posts/2024-12-01-our-november-2024-in-the-open.md"  # the file name follows the title
    text = path.read_text(encoding="utf-8")
    assert 'title: "Our November 2024, in the open"' in text
    assert "## Money in" in text and "## Lessons" in text and "## Revenue" not in text
    assert text.count("Tell it straight.") == 3 and "in your words" not in text  # two sections and the lessons
    assert "## Customers" in text  # a string the site leaves alone keeps the default
    build_site(root, tmp_path / "out", drafts=True, now=datetime(2025, 1, 15, tzinfo=ZoneInfo("UTC")))
    assert (tmp_path / "out/2024/12/our-november-2024-in-the-open/index.html").is_file()


def test_new_report_uses_the_sites_strings_in_its_language(make_site, runner: CliRunner) -> None:
    root = _site(make_site, language="zh-CN", extra=OWN_WORDS)
    assert runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)]).exit_code == 0
    (path,) = (root / "content/posts").glob("2024-12-01-*.md")
    text = path.read_text(encoding="utf-8")
    assert 'title: "2024年11月公开账本"' in text and "## 进账" in text and "## Lessons" in text
    assert "直说。" in text and "## 客户" in text


def test_new_report_refuses_to_overwrite(make_site, runner: CliRunner) -> None:
    root = _site(make_site)
    assert runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)]).exit_code == 0
    path = root / "content/posts/2024-12-01-november-2024-in-numbers.md"
    path.write_text("my own words", encoding="utf-8")
    again = runner.invoke(main, ["new", "report", "2024-11", "-s", str(root)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == "my own words"


def test_new_report_for_a_month_without_data(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["new", "report", "2019-01", "-s", str(_site(make_site))])
    assert result.exit_code == 1
    assert "no metrics for 2019-01 (months run from 2024-10 to 2024-12)" in result.stderr


def test_new_report_with_a_malformed_month_is_a_usage_error(make_site, runner: CliRunner) -> None:
    assert runner.invoke(main, ["new", "report", "Novembre", "-s", str(_site(make_site))]).exit_code == 2


# The annual letter: `opensite new report YYYY`.

TEAM = "person,role,start,end\nAda,Engineer,2024-10-01,\nBo,Support,2024-11-04,2024-12-20\n"


def _year_site(make_site, *, language: str = "en", fiscal: str = "") -> Path:
    files = {"metrics/mrr.csv": MRR, "metrics/churn.csv": CHURN, "metrics/team.csv": TEAM}
    return make_site(files, config=f"title: T\nbase_url: https://t.example/\nlanguage: {language}\n"
                                   f"timezone: Asia/Shanghai\n{fiscal}metrics:\n  currency: USD\n")


def test_new_report_for_a_year_writes_a_letter_on_its_last_month(make_site, runner: CliRunner) -> None:
    root = _year_site(make_site)
    result = runner.invoke(main, ["new", "report", "2024", "-s", str(root)])
    assert result.exit_code == 0, result.output
    text = (root / "content/posts/2025-01-01-2024-in-numbers.md").read_text(encoding="utf-8")
    assert 'title: "2024 in numbers"' in text and "date: 2025-01-01 09:00" in text
    assert "tags: [annual-report]" in text and "draft: true" in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Revenue", "## Customers", "## Team", "## What we learned"]  # no costs.csv: no Costs heading
    assert "- MRR: {{ metric mrr 2024-12 }}" in text and "- ARR: {{ metric arr 2024-12 }}" in text
    assert "- Headcount: {{ metric headcount 2024-12 }}" in text
    # The data covers October to December, so each chart spans those 3 months and ends in December.
    assert "{{ chart mrr 3 2024-12 }}" in text and "{{ chart headcount 3 2024-12 }}" in text
    assert "{{ chart customers 3 2024-12 }}" in text
    assert "[2024 in numbers](/metrics/2024/)" in text
    assert "payroll_monthly" not in text  # team.csv has no salaries


def test_new_report_for_a_fiscal_year_is_dated_after_it_ends(make_site, runner: CliRunner) -> None:
    root = _year_site(make_site, fiscal="fiscal_year_start: April\n")
    result = runner.invoke(main, ["new", "report", "2024", "-s", str(root)])
    assert result.exit_code == 0, result.output
    # Fiscal 2024 runs from April 2024 to March 2025: the letter is dated 1 April 2025.
    (path,) = (root / "content/posts").glob("*.md")
    assert path.name == "2025-04-01-fiscal-year-2024-25-in-numbers.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Fiscal year 2024–25 in numbers"' in text and "date: 2025-04-01 09:00" in text
    assert "{{ metric mrr 2024-12 }}" in text and "{{ chart mrr 3 2024-12 }}" in text


def test_new_report_for_a_fiscal_year_names_the_years_it_starts_in(make_site, runner: CliRunner) -> None:
    root = _year_site(make_site, fiscal="fiscal_year_start: 11\n")
    result = runner.invoke(main, ["new", "report", "2025", "-s", str(root)])
    # October 2024 belongs to the fiscal year that starts in November 2023; Nov and Dec to 2024's.
    assert result.exit_code == 1
    assert "no metrics for 2025 (years with metrics: 2023, 2024" in result.stderr
    assert runner.invoke(main, ["new", "report", "2023", "-s", str(root)]).exit_code == 0
    (path,) = (root / "content/posts").glob("*.md")
    assert path.name.startswith("2024-11-01-") and "{{ metric mrr 2024-10 }}" in path.read_text(encoding="utf-8")


def test_new_report_for_a_year_in_chinese(make_site, runner: CliRunner) -> None:
    root = _year_site(make_site, language="zh-CN")
    assert runner.invoke(main, ["new", "report", "2024", "-s", str(root)]).exit_code == 0
    (path,) = (root / "content/posts").glob("2025-01-01-*.md")
    text = path.read_text(encoding="utf-8")
    assert 'title: "2024年数据回顾"' in text and "## 收入" in text and "## 团队" in text
    assert "## 我们学到了什么" in text and "[2024 年度数据](/metrics/2024/)" in text


def test_new_report_for_a_year_without_data_names_the_years(make_site, runner: CliRunner) -> None:
    root = _year_site(make_site)
    result = runner.invoke(main, ["new", "report", "2019", "-s", str(root)])
    assert result.exit_code == 1 and "no metrics for 2019 (years with metrics: 2024)" in result.stderr
    assert not list(root.glob("content/posts/2020-*.md"))


def test_new_report_for_a_year_builds_with_every_reference_resolved(make_site, runner: CliRunner,
                                                                   tmp_path: Path) -> None:
    root = _year_site(make_site)
    assert runner.invoke(main, ["new", "report", "2024", "-s", str(root)]).exit_code == 0
    build_site(root, tmp_path / "out", drafts=True, now=datetime(2025, 2, 15, tzinfo=ZoneInfo("UTC")))
    html = (tmp_path / "out/2025/01/2024-in-numbers/index.html").read_text(encoding="utf-8")
    assert "{{" not in html
    assert 'MRR: <a class="metric-value" href="/metrics/2024-12/#mrr">$1,500</a>' in html
    assert 'Headcount: <a class="metric-value" href="/metrics/2024-12/#headcount">1</a>' in html
    assert 'href="/metrics/2024/"' in html


def test_new_report_with_a_malformed_year_is_a_usage_error(make_site, runner: CliRunner) -> None:
    result = runner.invoke(main, ["new", "report", "24", "-s", str(_year_site(make_site))])
    assert result.exit_code == 2 and "write a year, e.g. 2024" in result.output

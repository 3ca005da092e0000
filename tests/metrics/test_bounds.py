"""Metrics files that are too wide, too strange, from the future or from outside the site."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.config import load_config
from generator.config.site import METRICS_DIR_VARIABLE, SiteConfig
from generator.dashboard import load_annotations
from generator.errors import ConfigError, MetricsError
from generator.limits import CSV_MAX_CELL_CHARS, CSV_MAX_COLUMNS
from generator.metrics import load_metrics

MRR = "month,mrr\n2024-01,100\n2024-02,110\n"


def _messages(error: MetricsError, root: Path) -> list[str]:
    return [d.format(root) for d in error.diagnostics]


def test_ten_thousand_columns_is_an_error_at_the_header(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    header = "month," + ",".join(f"cat{n}" for n in range(10_000))
    row = "2024-01," + ",".join("1" for _ in range(10_000))
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "costs.csv": f"{header}\n{row}\n"}))
    assert _messages(caught.value, tmp_path) == [
        f"metrics/costs.csv:1: the header has 10,001 columns (the limit is {CSV_MAX_COLUMNS:,}) "
        "(write many cost categories in long form: month,category,amount)"]


def test_an_unclosed_quote_swallowing_the_file_is_an_error_at_its_line(make_site: Callable[..., SiteConfig],
                                                                       tmp_path: Path) -> None:
    text = MRR + '2024-03,"120\n' + "2024-04,130\n" * (CSV_MAX_CELL_CHARS // 10)
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": text}))
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/mrr.csv:4: a cell longer than") and "never closed" in message


def test_control_characters_in_a_csv_are_removed_with_a_warning(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": MRR, "costs.csv": "month,category,amount\n2024-01,Host\x1bing,5\n"}))
    assert "costs.hosting" in data.series
    [warning] = [w for w in data.warnings if "control character" in w.message]
    assert (warning.line, warning.column, warning.severity) == (2, 13, "warning")


@pytest.mark.parametrize("label", ["Subtotal", "合计", "小计", "总计", "Summe", "Total payroll", "Grand total"])
def test_total_rows_in_costs_are_errors_at_their_line(make_site: Callable[..., SiteConfig], tmp_path: Path,
                                                     label: str) -> None:
    costs = f"month,category,amount\n2024-01,Payroll,100\n2024-01,Hosting,20\n2024-01,{label},120\n"
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "costs.csv": costs}))
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/costs.csv:4:") and "looks like a total row" in message
    assert "count every cost twice" in message


def test_a_blank_category_with_an_amount_is_an_error(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    costs = "month,category,amount\n2024-01,Payroll,100\n2024-01,,100\n"
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "costs.csv": costs}))
    assert _messages(caught.value, tmp_path)[0].startswith("metrics/costs.csv:3:")


def test_rows_dated_after_the_build_month_are_a_warning_per_file_and_never_published(
        make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    config = make_site({"mrr.csv": MRR + "2024-03,120\n2024-04,130\n2024-05,140\n",
                        "costs.csv": "month,category,amount\n2024-02,Payroll,1\n2024-04,Payroll,1\n"})
    data = load_metrics(config, now=datetime(2024, 3, 31, 23, 0, tzinfo=timezone.utc))
    late = [w.format(tmp_path) for w in data.warnings if "after the build month" in w.message]
    assert late == [
        "metrics/costs.csv:3: 1 row is dated after the build month 2024-03 (2024-04): not published until those "
        "months have happened (metrics describe months that have happened: fix the year if it is a typo)",
        "metrics/mrr.csv:5: 2 rows are dated after the build month 2024-03 (2024-04 to 2024-05): not published "
        "until those months have happened (metrics describe months that have happened: fix the year if it is a "
        "typo)"]
    assert all(w.severity == "warning" for w in data.warnings if "after the build month" in w.message)
    quiet = load_metrics(config, now=datetime(2024, 5, 1, tzinfo=timezone.utc))
    assert not [w for w in quiet.warnings if "after the build month" in w.message]


@pytest.mark.parametrize("name", ["mrr.csv", "annotations.csv"])
def test_metrics_file_linking_outside_the_site_is_an_error(make_site: Callable[..., SiteConfig], tmp_path: Path,
                                                          name: str) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.csv"
    secret.write_text("month,mrr\n2024-01,987654\n", encoding="utf-8")
    config = make_site({"mrr.csv": MRR} if name != "mrr.csv" else {})
    (tmp_path / "metrics").mkdir(exist_ok=True)
    os.symlink(secret, tmp_path / "metrics" / name)
    with pytest.raises(MetricsError) as caught:
        load_metrics(config) if name == "mrr.csv" else load_annotations(config)
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith(f"metrics/{name}: {name} is a symbolic link to ") and "outside the site" in message


def test_metrics_folder_linking_outside_the_site_points_to_metrics_dir(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text("title: T\n", encoding="utf-8")
    os.symlink(private, site / "metrics")
    with pytest.raises(MetricsError) as caught:
        load_metrics(load_config(site))
    assert "metrics_dir:" in caught.value.diagnostics[0].hint


def test_annotation_with_a_script_url_is_an_error_at_its_line(make_site: Callable[..., SiteConfig],
                                                              tmp_path: Path) -> None:
    config = make_site({"mrr.csv": MRR, "annotations.csv": "month,text,url\n2024-01,Launch,javascript:alert(1)\n"})
    with pytest.raises(MetricsError) as caught:
        load_annotations(config)
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/annotations.csv:2:") and "javascript: URL" in message


def _private_site(tmp_path: Path, config: str = "title: T\n") -> tuple[Path, Path]:
    private = tmp_path / "private-numbers"
    private.mkdir()
    (private / "mrr.csv").write_text(MRR, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(config, encoding="utf-8")
    return site, private


def test_metrics_dir_in_site_yaml_reads_numbers_from_outside_the_site(tmp_path: Path) -> None:
    site, private = _private_site(tmp_path, "title: T\nmetrics_dir: ../private-numbers\n")
    config = load_config(site, environ={})
    assert config.metrics_folder == private.resolve()
    assert load_metrics(config).series["mrr"].values == (100, 110)


def test_metrics_dir_from_the_environment_and_the_option_take_precedence(tmp_path: Path) -> None:
    site, private = _private_site(tmp_path, "title: T\nmetrics_dir: nowhere-yet\n")
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(ConfigError):  # site.yaml's folder does not exist and nothing overrides it
        load_config(site, environ={})
    site.joinpath("nowhere-yet").mkdir()
    assert load_config(site, environ={METRICS_DIR_VARIABLE: str(private)}).metrics_folder == private.resolve()
    assert load_config(site, metrics_dir=other, environ={METRICS_DIR_VARIABLE: str(private)}).metrics_folder == \
        other.resolve()


def test_metrics_dir_that_is_not_a_folder_is_reported(tmp_path: Path) -> None:
    site, _ = _private_site(tmp_path, "title: T\nmetrics_dir: ../missing\n")
    with pytest.raises(ConfigError) as caught:
        load_config(site, environ={})
    assert caught.value.diagnostics[0].line == 2 and "is not a folder" in caught.value.diagnostics[0].message
    with pytest.raises(ConfigError) as caught:
        load_config(site, environ={METRICS_DIR_VARIABLE: str(tmp_path / "nope")})
    assert METRICS_DIR_VARIABLE in caught.value.diagnostics[0].message

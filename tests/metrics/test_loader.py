"""load_metrics: which files are needed, and every problem of every file reported at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from generator.config.site import SiteConfig
from generator.errors import MetricsError
from generator.metrics import load_metrics

MRR = "month,mrr\n2024-01,100\n2024-02,120\n"


def _messages(error: MetricsError, root: Path) -> list[str]:
    return [d.format(root) for d in error.diagnostics]


def test_load_metrics_without_folder_or_section_is_empty(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site())
    assert data.is_empty and data.series == {} and data.warnings == ()


def test_load_metrics_ignores_a_folder_with_only_annotations(make_site: Callable[..., SiteConfig]) -> None:
    assert load_metrics(make_site({"annotations.csv": "month,text\n2024-01,Launch\n"})).is_empty


def test_load_metrics_requires_mrr_when_the_section_exists(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site(metrics="metrics:\n  currency: EUR\n"))
    assert _messages(caught.value, tmp_path)[0].startswith("metrics/mrr.csv: site.yaml has a metrics: section")


def test_load_metrics_requires_mrr_when_other_files_exist(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"cash.csv": "month,balance\n2024-01,5\n"}))
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/mrr.csv: metrics/mrr.csv is missing (cash.csv need it")


def test_load_metrics_reports_every_problem_of_every_file(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    config = make_site({
        "mrr.csv": "month,mrr\n2024-01,100\n2024-02,oops\n2024-03,-5\n",
        "churn.csv": "month,customers,new_customers,churned_customers\n2024-01,1.5,1,0\n",
        "costs.csv": b"month,category,amount\n2024-01,\xb7\xfe\xce\xf1\xc6\xf7,1\n",
        "cash.csv": "month,balance\n2024-01,1\n2024-01,2\n",
    })
    with pytest.raises(MetricsError) as caught:
        load_metrics(config)
    assert _messages(caught.value, tmp_path) == [
        "metrics/cash.csv:3:1: month 2024-01 appears twice: lines 2 and 3 (keep one row per month)",
        "metrics/churn.csv:2:9: column 'customers': 1.5 is not a whole number (customers are counted in whole "
        "customers)",
        "metrics/costs.csv:2:9: cannot be read as utf-8: invalid byte 0xb7 (add 'encoding: gb18030' "
        "under metrics.files.costs in site.yaml if the file comes from Excel in a Chinese locale (or cp1252 for a "
        "Western one), or save it as UTF-8)",
        "metrics/mrr.csv:3:9: column 'mrr': 'oops' is not a number (write a number such as 12500, 12,500.50, $12,500 "
        "or (1,200))",
        "metrics/mrr.csv:4:9: column 'mrr': -5 is negative (mrr cannot be below 0)",
    ]
    assert "Traceback" not in str(caught.value)


def test_load_metrics_reads_gb18030_when_configured(make_site: Callable[..., SiteConfig]) -> None:
    config = make_site({"mrr.csv": MRR, "costs.csv": "month,category,amount\n2024-01,服务器,1\n".encode("gb18030")},
                       metrics="metrics:\n  files:\n    costs: {encoding: gb18030}\n")
    data = load_metrics(config)
    assert data.series["costs.服务器"].label == "Costs: 服务器"


def test_load_metrics_stops_on_a_bridge_mismatch(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    mrr = "month,mrr,new,expansion,contraction,churned\n2024-01,100,100,0,0,0\n2024-02,150,30,0,0,0\n"
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": mrr}))
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/mrr.csv:3: MRR bridge does not balance in 2024-02: expected 130.00")
    assert "actual 150.00, difference +20.00" in message


def test_load_metrics_returns_bridge_warnings_when_configured(make_site: Callable[..., SiteConfig]) -> None:
    mrr = "month,mrr,new,expansion,contraction,churned\n2024-01,100,100,0,0,0\n2024-02,150,30,0,0,0\n"
    data = load_metrics(make_site({"mrr.csv": mrr}, metrics="metrics:\n  bridge: warn\n"))
    [warning] = data.warnings
    assert warning.severity == "warning" and warning.line == 3
    assert data.series["mrr"].value_at(date(2024, 2, 1)) == 150


def test_load_metrics_returns_customer_identity_warnings(make_site: Callable[..., SiteConfig]) -> None:
    churn = "month,customers,new_customers,churned_customers\n2024-01,5,5,0\n2024-02,9,2,1\n"
    data = load_metrics(make_site({"mrr.csv": MRR, "churn.csv": churn}))
    [warning] = data.warnings
    assert "customers do not add up in 2024-02: expected 6" in warning.message


def test_load_metrics_makes_customer_identity_an_error_when_configured(make_site: Callable[..., SiteConfig]) -> None:
    churn = "month,customers,new_customers,churned_customers\n2024-01,5,5,0\n2024-02,9,2,1\n"
    with pytest.raises(MetricsError):
        load_metrics(make_site({"mrr.csv": MRR, "churn.csv": churn}, metrics="metrics:\n  customer_identity: error\n"))


def test_load_metrics_matches_file_names_case_insensitively(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"MRR.csv": MRR, "sales.csv": "x\n"}))
    assert data.series["mrr"].value_at(date(2024, 2, 1)) == 120
    [warning] = data.warnings
    assert warning.message == "sales.csv is not read by opensite" and warning.severity == "warning"


def test_load_metrics_rejects_a_publish_rule_for_an_unknown_cost_category(
        make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    config = make_site({"mrr.csv": MRR, "costs.csv": "month,category,amount\n2024-01,Software,5\n"},
                       metrics="metrics:\n  publish:\n    costs.sofware: hidden\n")
    with pytest.raises(MetricsError) as caught:
        load_metrics(config)
    [message] = _messages(caught.value, tmp_path)
    assert message == ("site.yaml:4: metrics.publish names 'costs.sofware', but costs.csv has no such category "
                       "(did you mean 'costs.software'? valid: costs.software)")


def test_load_metrics_accepts_a_header_only_file_with_a_warning(make_site: Callable[..., SiteConfig]) -> None:
    data = load_metrics(make_site({"mrr.csv": "month,mrr\n"}))
    assert data.is_empty
    [warning] = data.warnings
    assert warning.severity == "warning" and "header but no rows" in warning.message
    assert warning.path is not None and warning.path.name == "mrr.csv"


def test_load_metrics_reports_an_empty_file(make_site: Callable[..., SiteConfig], tmp_path: Path) -> None:
    with pytest.raises(MetricsError) as caught:
        load_metrics(make_site({"mrr.csv": MRR, "churn.csv": ""}))
    [message] = _messages(caught.value, tmp_path)
    assert message.startswith("metrics/churn.csv:1: the file is empty (write a header line such as")

"""The `metrics:` section of site.yaml (generator/config/metrics.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.config.metrics import (
    CheckLevel,
    Disclosure,
    FileOptions,
    MetricsConfig,
    PublishRule,
    parse_cost_category_id,
)
from generator.config.site import load_config
from generator.errors import ConfigError

FULL = """
metrics:
  currency: eur
  bridge: warn
  customer_identity: error
  ltv_churn_months: 12
  decimal_comma: true
  files:
    mrr: {encoding: utf-8, columns: {mrr: "MRR ($)", month: Monat}}
    costs: {encoding: gb18030}
  publish:
    cash: hidden
    mrr: {disclosure: rounded, round_to: 1000}
    mrr_growth: {disclosure: rounded, round_to: 0.05}
    costs.cloud_hosting: relative
    runway_months: {disclosure: hidden, hide_derived: true}
"""


def test_parse_metrics_section_reads_every_key(parse_yaml) -> None:
    config, problems = parse_yaml(FULL)
    assert problems == []
    assert config is not None
    assert (config.currency, config.bridge, config.customer_identity) == ("EUR", CheckLevel.WARN, CheckLevel.ERROR)
    assert (config.ltv_churn_months, config.decimal_comma) == (12, True)
    assert config.file_options("mrr") == FileOptions("utf-8", {"mrr": "MRR ($)", "month": "Monat"})
    assert config.file_options("costs").encoding == "gb18030"
    assert config.file_options("cash") == FileOptions()
    assert config.rule("cash") == PublishRule(Disclosure.HIDDEN, line=12)
    assert config.rule("mrr") == PublishRule(Disclosure.ROUNDED, Decimal(1000), line=13)
    assert config.rule("mrr_growth").round_to == Decimal("0.05")
    assert config.rule("costs.cloud_hosting").disclosure is Disclosure.RELATIVE
    assert config.rule("runway_months").hide_derived
    assert config.rule("arr") == PublishRule()


def test_parse_metrics_section_defaults(parse_yaml) -> None:
    config, problems = parse_yaml("metrics: {}\n")
    assert problems == []
    assert config == MetricsConfig(source=config.source)


def _problem_texts(problems, root: Path) -> list[str]:
    return [p.format(root) for p in problems]


@pytest.mark.parametrize(("yaml", "expected"), [
    ("metrics:\n  brige: warn\n",
     "site.yaml:3:3: unknown key 'metrics.brige' (did you mean 'bridge'? valid: bridge, cohorts, cost_groups, cost_names, currency, custom, "
     "customer_identity, decimal_comma, files, fx, ltv_churn_months, publish)"),
    ("metrics:\n  bridge: warning\n",
     "site.yaml:3:3: 'metrics.bridge' must be one of error, warn, found 'warning' (did you mean 'warn'? valid: error,"
     " warn)"),
    ("metrics:\n  currency: USDD\n",
     "site.yaml:3:3: 'metrics.currency' is not an ISO 4217 currency code: 'USDD' (did you mean 'USD'?)"),
    ("metrics:\n  ltv_churn_months: 0\n",
     "site.yaml:3:3: 'metrics.ltv_churn_months' must be between 1 and 60 months, found 0"),
    ("metrics:\n  decimal_comma: yes please\n",
     "site.yaml:3:3: 'metrics.decimal_comma' must be true or false, found a string ('yes please')"),
    ("metrics:\n  files:\n    sales: {encoding: utf-8}\n",
     "site.yaml:4:5: unknown key 'metrics.files.sales' (valid: cash, churn, cohorts, costs, fx, mrr, revenue, team)"),
    ("metrics:\n  files:\n    costs: {encoding: gb-18030}\n",
     "site.yaml:4:13: 'metrics.files.costs.encoding' is not a text encoding a CSV can be read in: 'gb-18030' (use a "
     "Python codec name such as utf-8, gb18030, cp1252, utf-16)"),
    ("metrics:\n  files:\n    costs: {encoding: rot13}\n",
     "site.yaml:4:13: 'metrics.files.costs.encoding' is not a text encoding a CSV can be read in: 'rot13' (use a "
     "Python codec name such as utf-8, gb18030, cp1252, utf-16)"),
    ("metrics:\n  files:\n    mrr:\n      columns: {mmr: MRR}\n",
     "site.yaml:5:17: unknown key 'metrics.files.mrr.columns.mmr' (did you mean 'mrr'? valid: churned, contraction, "
     "expansion, month, mrr, new, reactivation)"),
    ("metrics:\n  publish:\n    runway: hidden\n",
     "site.yaml:4:5: unknown metric 'metrics.publish.runway' (did you mean 'runway_months'? valid: "
     "acquisition_spend, arpu, arr, attrition_rate, attrition_rate_12m, cac, cac_3m, cac_payback_months, cash, "
     "churned_customers, churned_mrr, cmgr_12m, contraction_mrr, costs, customer_churn_rate, customers, departures, "
     "expansion_mrr, gross_margin, gross_mrr_churn_rate, grr, headcount, hires, ltv, ltv_to_cac, mrr, mrr_growth, "
     "net_burn, net_mrr_churn_rate, net_new_mrr, new_customers, new_mrr, nrr, payroll_monthly, quick_ratio, "
     "reactivation_mrr, revenue, runway_months, or costs.<category>)"),
    ("metrics:\n  publish:\n    cash: hiden\n",
     "site.yaml:4:5: 'metrics.publish.cash' must be one of exact, rounded, relative, hidden, found 'hiden' (did you "
     "mean 'hidden'? valid: exact, hidden, relative, rounded)"),
    ("metrics:\n  publish:\n    costs.Cloud Hosting: hidden\n",
     "site.yaml:4:5: unknown metric 'metrics.publish.costs.Cloud Hosting' (write 'costs.cloud_hosting': category "
     "ids are lower case, with _ for spaces and punctuation)"),
    ("metrics:\n  publish:\n    mrr: {disclosure: exact, round_to: 100}\n",
     "site.yaml:4:30: 'metrics.publish.mrr.round_to' applies only to rounded metrics, but this one is exact "
     "(remove it, or write 'disclosure: rounded')"),
    ("metrics:\n  publish:\n    mrr: {disclosure: rounded, round_to: -5}\n",
     "site.yaml:4:32: 'metrics.publish.mrr.round_to' must be above 0, found -5 (e.g. 1000 for currency, 0.01 for a "
     "ratio)"),
    ("metrics:\n  publish:\n    mrr: {disclosure: rounded, hide_derived: true}\n",
     "site.yaml:4:32: 'metrics.publish.mrr.hide_derived' applies only to hidden metrics, but this one is rounded "
     "(remove it, or write 'disclosure: hidden')"),
    ("metrics:\n  publish:\n    mrr: {disclosure: rounded, round: 5}\n",
     "site.yaml:4:32: unknown key 'metrics.publish.mrr.round' (did you mean 'round_to'? valid: disclosure, "
     "hide_derived, lift_propagation, round_to)"),
    ("metrics:\n  publish:\n    mrr: [rounded]\n",
     "site.yaml:4:5: 'metrics.publish.mrr' must be a disclosure (exact, rounded, relative, hidden) or a mapping, "
     "found a list (write e.g. 'mrr: rounded' or 'mrr: {disclosure: rounded, round_to: 1000}')"),
])
def test_parse_metrics_section_reports_mistakes_at_their_line(parse_yaml, tmp_path: Path, yaml: str,
                                                              expected: str) -> None:
    _, problems = parse_yaml(yaml)
    assert _problem_texts(problems, tmp_path) == [expected]


@pytest.mark.parametrize(("name", "expected"), [
    ("Cloud hosting", "cloud_hosting"), ("Legal & accounting", "legal_accounting"), (" Payroll ", "payroll"),
    ("服务器", "服务器"), ("!!!", ""),
])
def test_parse_cost_category_id(name: str, expected: str) -> None:
    assert parse_cost_category_id(name) == expected


def test_load_config_keeps_the_metrics_section(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: Tallybird\nmetrics:\n  currency: CNY\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert isinstance(config.metrics, MetricsConfig) and config.metrics.currency == "CNY"
    assert config.metrics.source == tmp_path / "site.yaml"


def test_load_config_without_metrics_section(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: Tallybird\n", encoding="utf-8")
    assert load_config(tmp_path).metrics is None


def test_load_config_reports_metrics_mistakes_as_config_errors(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nmetrics:\n  publish:\n    cash: secret\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.path.name) == (4, "site.yaml")
    assert "must be one of exact, rounded, relative, hidden, found 'secret'" in diagnostic.message

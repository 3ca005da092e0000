"""The site's own metrics (metrics.custom): values by hand, errors at their site.yaml line, first-class pages."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from support import read_tree

from generator import build_site
from generator.build import load_site_config
from generator.errors import GeneratorError
from generator.metrics import load_metrics, publish_metrics
from generator.registry import NullReason, Unit

MRR = "month,mrr\n2024-01,1000\n2024-02,1500\n2024-03,1800\n"
CHURN = "month,customers,new_customers,churned_customers\n2024-01,10,10,0\n2024-02,14,6,2\n2024-03,17,4,1\n"
GROWTH = "month,signups,Referred Signups\n2024-01,100,10\n2024-02,0,0\n2024-03,80,20\n"
ORDERS = "month;repeat_customers\n2024-01;2\n2024-02;7\n2024-03;0\n"
NPS = "month,score\nJan 2024,31.5\n2024年3月,40\n"

CUSTOM = """\
title: Growth Co
base_url: https://growth.example/
timezone: UTC
metrics:
  custom:
    signups: {file: growth.csv, column: signups, unit: count, label: {en: Sign-ups, zh-CN: 注册数}}
    referrals: {file: growth.csv, column: referred_signups, label: {en: Referred sign-ups, zh-CN: 推荐注册}}
    referral_rate: {formula: referrals / signups, unit: ratio, label: {en: Referral rate, zh-CN: 推荐率}}
    repeat_purchase_rate: {file: orders.csv, column: repeat_customers, per: customers, unit: ratio}
    nps: {file: nps.csv, column: score, unit: points, higher_is_better: true}
    signup_growth: {formula: (signups - prev(signups)) / prev(signups), unit: ratio}
    signups_3m: {formula: "sum(signups, 3)", unit: count}
    mrr_per_signup: {formula: mrr / signups, unit: currency}
"""
FILES = {"metrics/mrr.csv": MRR, "metrics/churn.csv": CHURN, "metrics/growth.csv": GROWTH,
         "metrics/orders.csv": ORDERS, "metrics/nps.csv": NPS}


@pytest.fixture
def write_site(tmp_path: Path):
    """Return write(files, config=...) -> the site folder, written under tmp_path (a new one per call)."""
    count = [0]

    def write(files: dict[str, str], *, config: str) -> Path:
        count[0] += 1
        root = tmp_path / f"site{count[0]}"
        for name, text in {"site.yaml": config, **files}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        return root
    return write


def _load(write_site, config: str = CUSTOM, files: dict[str, str] | None = None):
    root = write_site(files if files is not None else FILES, config=config)
    return load_metrics(load_site_config(root))


def _cells(series) -> list[Decimal | str]:
    return [p.value if p.value is not None else str(p.reason) for p in series.points]


def test_custom_metrics_compute_by_hand(write_site) -> None:
    data = _load(write_site)
    assert _cells(data.series["signups"]) == [100, 0, 80]
    assert _cells(data.series["referrals"]) == [10, 0, 20]                   # header 'Referred Signups' matched
    assert _cells(data.series["referral_rate"]) == [Decimal("0.1"), "zero_denominator", Decimal("0.25")]
    assert _cells(data.series["repeat_purchase_rate"]) == [Decimal("0.2"), Decimal("0.5"), 0]  # 2/10, 7/14, 0/17
    assert _cells(data.series["nps"]) == [Decimal("31.5"), "missing_input", 40]  # Feb has no row
    assert _cells(data.series["signup_growth"]) == ["no_previous_month", -1, "zero_denominator"]  # (0−100)/100
    assert _cells(data.series["signups_3m"]) == ["insufficient_history", "insufficient_history", 180]
    assert _cells(data.series["mrr_per_signup"]) == [10, "zero_denominator", Decimal("22.5")]  # 1800 / 80


def test_custom_metrics_follow_the_built_in_ones_in_declaration_order(write_site) -> None:
    ids = list(_load(write_site).series)
    assert ids[-8:] == ["signups", "referrals", "referral_rate", "repeat_purchase_rate", "nps", "signup_growth",
                        "signups_3m", "mrr_per_signup"]
    assert ids.index("runway_months") < ids.index("signups")


def test_custom_definitions_carry_units_labels_and_null_reasons(write_site) -> None:
    data = _load(write_site)
    nps = data.series["nps"]
    assert (nps.unit, nps.unit_text, nps.label) == (Unit.NUMBER, "points", "Nps")
    rate = data.series["referral_rate"].definition
    assert rate.formula == "referrals / signups" and rate.custom and rate.needs == ("referrals", "signups")
    assert [r for r, _ in rate.null_reasons] == [NullReason.MISSING_INPUT, NullReason.ZERO_DENOMINATOR]
    assert rate.label.get("zh-CN") == "推荐率"
    growth = data.series["signup_growth"].definition
    assert {r for r, _ in growth.null_reasons} == {NullReason.MISSING_INPUT, NullReason.NO_PREVIOUS_MONTH,
                                                    NullReason.ZERO_DENOMINATOR}
    for series in data:  # every null a custom metric gives is one its definition declares
        declared = {reason for reason, _ in series.definition.null_reasons}
        assert {p.reason for p in series.points if p.value is None} <= declared, series.id


def test_labels_follow_the_site_language(write_site) -> None:
    data = _load(write_site, CUSTOM.replace("timezone: UTC", "timezone: UTC\nlanguage: zh-CN"))
    assert (data.series["referral_rate"].label, data.series["mrr"].label) == ("推荐率", "月经常性收入")


def test_formula_may_read_a_cost_category(write_site) -> None:
    config = CUSTOM.split("  custom:")[0] + "  custom:\n    hosting_share: {formula: costs.hosting / costs, unit: ratio}\n"
    files = {"metrics/mrr.csv": MRR, "metrics/costs.csv": "month,category,amount\n2024-01,hosting,30\n"
             "2024-01,office,70\n"}
    assert _cells(_load(write_site, config, files).series["hosting_share"])[0] == Decimal("0.3")


def _error(write_site, entries: str, files: dict[str, str] | None = None) -> str:
    config = CUSTOM.split("  custom:")[0] + "  custom:\n" + entries
    root = write_site(files if files is not None else FILES, config=config)
    with pytest.raises(GeneratorError) as error:
        load_metrics(load_site_config(root))
    return "\n".join(d.format(root) for d in error.value.diagnostics)


@pytest.mark.parametrize(("entries", "expected"), [
    ("    mrr: {file: growth.csv, column: signups}\n",
     "site.yaml:6:5: custom metric 'mrr' clashes with the built-in metric of that id"),
    ("    costs.x: {file: growth.csv}\n", "site.yaml:6:5: custom metric 'costs.x' clashes with the built-in"),
    ("    Sign-ups: {file: growth.csv}\n", "site.yaml:6:5: custom metric id 'Sign-ups' may hold only lower-case"),
    ("    signups: {file: growth.csv}\n    signups: {file: growth.csv}\n",
     "site.yaml:7:5: duplicate key 'signups' (first on line 6)"),
    ("    a: {file: growth.csv, formula: signups}\n", "site.yaml:6:5: custom metric 'a' has both 'file' and 'formula'"),
    ("    a: {unit: count}\n", "site.yaml:6:5: custom metric 'a' needs 'file' (and 'column') or 'formula'"),
    ("    a: {formula: signups * 2}\n", "site.yaml:6:5: formula metric 'a' needs a unit"),
    ("    a: {formula: signups * 2, unit: percent}\n", "site.yaml:6:31: 'metrics.custom.a.unit' cannot be percent"),
    ("    a: {file: growth.csv, unit: Points!}\n", "site.yaml:6:27: 'metrics.custom.a.unit' must be currency"),
    ("    a: {file: ../secret.csv}\n", "site.yaml:6:9: 'metrics.custom.a.file' must be the name of a .csv file"),
    ("    a: {file: annotations.csv}\n", "site.yaml:6:9: 'metrics.custom.a.file' cannot be annotations.csv"),
    ("    a: {formula: signups, column: x, unit: count}\n", "site.yaml:6:27: 'column' applies only to a metric"),
    ("    a: {file: growth.csv, colum: signups}\n", "site.yaml:6:27: unknown key 'metrics.custom.a.colum' (did you "
     "mean 'column'?"),
    ("    a: 12\n", "site.yaml:6:5: 'metrics.custom.a' must be a mapping, found a whole number (12)"),
])
def test_config_mistakes_are_errors_at_their_line(write_site, entries: str, expected: str) -> None:
    assert expected in _error(write_site, entries)


@pytest.mark.parametrize(("entries", "expected"), [
    ("    rate: {formula: signups / sigups, unit: ratio}\n    signups: {file: growth.csv}\n",
     "site.yaml:6:31: metrics.custom.rate: formula reads unknown metric 'sigups' (did you mean 'signups'?)"),
    ("    rate: {formula: 'signups $ 2', unit: ratio}\n    signups: {file: growth.csv}\n",
     "site.yaml:6:30: metrics.custom.rate: formula 'signups $ 2': unexpected character '$'"),
    ("    a: {formula: b + 1, unit: count}\n    b: {formula: c * 2, unit: count}\n    c: {formula: a, unit: count}\n",
     "site.yaml:6: metrics.custom.a: the formulas form a cycle: a → b → c → a"),
    ("    a: {formula: a + 1, unit: count}\n", "site.yaml:6: metrics.custom.a: the formulas form a cycle: a → a"),
    ("    a: {file: growht.csv}\n",
     "site.yaml:6: metrics.custom.a: metrics/growht.csv does not exist (did you mean 'growth.csv'?)"),
    ("    a: {file: growth.csv, column: sign_ups}\n",
     "metrics/growth.csv:1: missing column 'sign_ups' (metrics.custom.a) (did you mean 'signups'?"),
    ("    a: {file: growth.csv, column: signups, per: custmers}\n",
     "site.yaml:6: metrics.custom.a: 'per' names unknown metric 'custmers' (did you mean 'customers'?"),
])
def test_load_mistakes_are_errors_at_their_line(write_site, entries: str, expected: str) -> None:
    assert expected in _error(write_site, entries)


def test_a_bad_cell_in_a_custom_file_is_reported_at_its_cell(write_site) -> None:
    files = {**FILES, "metrics/growth.csv": "month,signups\n2024-01,12O\n2024-01,5\n"}
    message = _error(write_site, "    signups: {file: growth.csv}\n", files)
    assert "metrics/growth.csv:2:9: column 'signups': '12O' is not a number" in message


def test_custom_files_are_not_unknown_files(write_site) -> None:
    data = _load(write_site)
    assert not [w for w in data.warnings if "not read by opensite" in w.message]


def test_hide_derived_spreads_to_formulas(write_site) -> None:
    config = CUSTOM + "  publish:\n    signups: {disclosure: hidden, hide_derived: true}\n"
    data = publish_metrics(_load(write_site, config), load_site_config(write_site(FILES, config=config)))
    assert {"signups", "referral_rate", "signup_growth", "signups_3m", "mrr_per_signup"}.isdisjoint(data.series)
    assert "referrals" in data.series


@pytest.fixture
def built(write_site, tmp_path: Path) -> Path:
    post = ("---\ntitle: Referrals\ndate: 2024-04-02\n---\nReferral rate: {{ metric referral_rate }}.\n\n"
            "{{ chart referral_rate }}\n")
    config = CUSTOM + "  publish:\n    nps: hidden\ndashboard:\n  cards: [mrr, referral_rate, repeat_purchase_rate]\n"
    root = write_site({**FILES, "content/posts/2024-04-02-referrals.md": post}, config=config)
    out = tmp_path / "out"
    build_site(root, out, now=BUILD_TIME)
    return out


def test_custom_metrics_are_first_class_in_the_build(built: Path) -> None:
    data = json.loads((built / "data/metrics.json").read_text(encoding="utf-8"))
    rate = data["metrics"]["referral_rate"]
    assert (rate["label"], rate["unit"], rate["values"], rate["reasons"]) == (
        "Referral rate", "ratio", [0.1, None, 0.25], {"2024-02": "zero_denominator"})
    assert "referral_rate" in (built / "data/metrics.csv").read_text().splitlines()[0]
    page = (built / "metrics/referral_rate/index.html").read_text(encoding="utf-8")
    assert "<h1>Referral rate</h1>" in page and "referrals / signups" in page and "25.0%" in page
    assert (built / "metrics/referral_rate/referral_rate.json").is_file()
    dashboard = (built / "metrics/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/referral_rate/">Referral rate</a>' in dashboard
    assert (built / "metrics/charts/custom-referral_rate.svg").is_file()
    month = (built / "metrics/2024-03/index.html").read_text(encoding="utf-8")
    assert 'id="repeat_purchase_rate"' in month and "0.0%" in month
    post = (built / "2024/04/referrals/index.html").read_text(encoding="utf-8")
    assert 'href="/metrics/2024-03/#referral_rate">25.0%</a>' in post
    assert 'id="chart-post-referral_rate-2023-04-2024-03"' in post or "chart-post-referral_rate" in post


def test_a_hidden_custom_metric_leaves_no_trace(built: Path) -> None:
    for name, data in read_tree(built).items():
        assert not re.search(rb"(?<![\d.])31[.,]5(?!\d)", data), name  # the value, not a coordinate like 131.5
        assert b"/metrics/nps/" not in data, name
    assert not (built / "metrics/nps").exists()


def test_unknown_metric_in_a_post_suggests_a_custom_one(write_site, tmp_path: Path) -> None:
    post = "---\ntitle: Referrals\ndate: 2024-04-02\n---\n{{ metric referal_rate }}\n"
    root = write_site({**FILES, "content/posts/2024-04-02-referrals.md": post}, config=CUSTOM)
    with pytest.raises(GeneratorError) as error:
        build_site(root, tmp_path / "out", now=BUILD_TIME)
    assert "did you mean 'referral_rate'?" in str(error.value.diagnostics[0].hint)


def test_month_of_a_custom_file_before_mrr_extends_the_months(write_site) -> None:
    files = {**FILES, "metrics/growth.csv": "month,signups\n2023-12,5\n"}
    data = _load(write_site, CUSTOM.split("  custom:")[0] + "  custom:\n    signups: {file: growth.csv}\n", files)
    assert data.months[0] == date(2023, 12, 1) and data.series["mrr"].points[0].reason == "missing_input"


def test_a_month_column_named_in_the_site_language_and_a_unit_in_any_word(write_site) -> None:
    config = CUSTOM.split("  custom:")[0] + ("  custom:\n    orders: {file: orders.csv, column: 订单, unit: 单, "
                                             "label: {en: Orders, zh-CN: 订单}}\n")
    root = write_site({"metrics/mrr.csv": MRR, "metrics/orders.csv": "月份,订单\n2024-01,12\n2024-02,15\n"}, config=config)
    data = load_metrics(load_site_config(root))
    assert _cells(data.series["orders"])[:2] == [12, 15] and data.series["orders"].unit_text == "单"


def test_a_month_column_mapped_in_site_yaml(write_site) -> None:
    config = CUSTOM.split("  custom:")[0] + ("  files:\n    signups: {columns: {month: 注册月份}}\n  custom:\n"
                                             "    signups: {file: signups.csv, column: 注册数, unit: 次}\n")
    root = write_site({"metrics/mrr.csv": MRR, "metrics/signups.csv": "注册月份,注册数\n2024年1月,40\n2024年2月,55\n"},
                      config=config)
    assert _cells(load_metrics(load_site_config(root)).series["signups"])[:2] == [40, 55]


def test_a_missing_month_column_says_how_to_name_or_map_it(write_site) -> None:
    text = _error(write_site, "    signups: {file: signups.csv, column: n}\n",
                  files={"metrics/mrr.csv": MRR, "metrics/signups.csv": "period,n\n2024-01,4\n"})
    assert "missing column 'month'" in text and "月份" in text and "metrics.files.signups" in text

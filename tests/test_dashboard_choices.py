"""A dashboard the founder chooses (issue 19): `dashboard.charts` selects and orders the charts, a formula's
inputs get no chart unless named, and a card may show the newest month a lagging metric has."""

from __future__ import annotations

import pytest
from conftest import BUILD_TIME

from generator.build import render_site_in_memory
from generator.errors import ConfigError

CONFIG = """\
title: Choices Co
base_url: https://choices.example/
timezone: UTC
{dashboard}
metrics:
  custom:
    referrals: {{file: growth.csv, unit: count}}
    signups: {{file: growth.csv, unit: count}}
    referral_rate: {{formula: referrals / signups, unit: ratio}}
    retention_30d: {{file: retention.csv, column: retention, unit: ratio}}
"""
GROWTH = "month,referrals,signups\n2025-09,4,40\n2025-10,6,50\n2025-11,9,60\n"
RETENTION = "month,retention\n2025-09,0.61\n2025-10,0.58\n"  # the newest cohort has not had its 30 days yet
MRR = "month,mrr,new,expansion,contraction,churned\n2025-09,1000,1000,0,0,0\n2025-10,1200,300,0,0,100\n" \
      "2025-11,1300,200,0,0,100\n"


def _build(make_site, dashboard: str = ""):
    root = make_site({"metrics/mrr.csv": MRR, "metrics/growth.csv": GROWTH, "metrics/retention.csv": RETENTION},
                     config=CONFIG.format(dashboard=dashboard))
    return render_site_in_memory(root, now=BUILD_TIME, use_cache=False)


def test_a_formulas_inputs_get_no_chart_by_default(make_site) -> None:
    dashboard = _build(make_site).site.dashboard
    ids = [chart.id for chart in dashboard.recent]
    assert ids == ["mrr", "mrr_movements", "custom-referral_rate", "custom-retention_30d"]  # not referrals, signups


def test_dashboard_charts_select_and_order_what_shows(make_site) -> None:
    dashboard = _build(make_site, "dashboard:\n  charts: [signups, mrr]").site.dashboard
    assert [chart.id for chart in dashboard.recent] == ["custom-signups", "mrr"]
    assert [chart.id for chart in dashboard.all_time] == ["custom-signups-all", "mrr-all"]


def test_an_unknown_chart_is_an_error_at_its_line(make_site) -> None:
    with pytest.raises(ConfigError) as error:
        _build(make_site, "dashboard:\n  charts:\n    - mrr\n    - mrr_movments")
    diagnostic = error.value.diagnostics[0]
    assert diagnostic.line == 7 and "unknown chart 'mrr_movments'" in diagnostic.message
    assert "did you mean 'mrr_movements'?" in diagnostic.hint


def test_a_card_may_show_the_latest_month_a_lagging_metric_has(make_site) -> None:
    dashboard = _build(make_site, "dashboard:\n  cards: [mrr, {metric: retention_30d, as_of: latest}, referrals]"
                       ).site.dashboard
    mrr, retention, referrals = dashboard.cards
    assert (retention.value_text, retention.as_of, retention.month.month) == ("58.0%", "as of Oct 2025", 10)
    assert (mrr.as_of, referrals.as_of) == ("", "")
    assert mrr.month.month == 11

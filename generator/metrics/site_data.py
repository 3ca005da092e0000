"""A site's published metrics and open data, for the commands that show them without building (`opensite metrics`).

What a build would publish, by the same stages in the same order (generator.build runs them for a build):
load the metrics, apply the publishing rules, select the months the open data offers.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from generator.config import SiteConfig, load_config
from generator.metrics import OpenDataInfo, load_metrics, month_of, publish_metrics, select_open_data
from generator.metrics.publish.tracked import load_source_revision
from generator.metrics.series import PublishedMetrics


def load_published_metrics(site_dir: Path | str = ".") -> tuple[SiteConfig, PublishedMetrics]:
    """Return a site's config and its metrics after the publishing rules (what the site shows)."""
    config = load_config(Path(site_dir))
    return config, publish_metrics(load_metrics(config), config)


def load_open_data(site_dir: Path | str, now: datetime) -> tuple[SiteConfig, PublishedMetrics, OpenDataInfo]:
    """Return a site's config and the open data a build at `now` would publish, with what the downloads say
    beside the numbers (the estimate month, the source revision).

    `now` is the build time (`build.build_time_from_env`); the months after it are left out and the rows dated
    after it are warned about (LoadedMetrics.warnings), as a build does.
    """
    config = load_config(Path(site_dir))
    published = publish_metrics(load_metrics(config, now=now), config)
    data, info = select_open_data(published, month_of(now, config.zone),
                                  load_source_revision(config.root, config.metrics_dir))
    return config, data, info

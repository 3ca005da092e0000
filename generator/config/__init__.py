"""site.yaml to a frozen SiteConfig (see `site.py`); the metrics section has its own schema."""

from generator.config.site import (
    CONFIG_NAME,
    Author,
    Category,
    LocalizedText,
    NavItem,
    SiteConfig,
    load_config,
)

__all__ = ["CONFIG_NAME", "Author", "Category", "LocalizedText", "NavItem", "SiteConfig", "load_config"]

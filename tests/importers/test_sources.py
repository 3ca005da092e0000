"""The registry of import sources: every configured name has exactly one reader, and nothing else registers."""

from __future__ import annotations

import pytest

from generator.config.imports import SOURCE_NAMES
from generator.errors import ConfigError
from generator.importers.sources import Writes, get_source, import_source, registered_sources


def test_every_configured_name_has_exactly_one_reader() -> None:
    assert sorted(registered_sources()) == sorted(SOURCE_NAMES)
    assert {name for name, source in registered_sources().items() if source.writes is Writes.COSTS} == {"pnl"}


def test_registering_a_name_twice_raises() -> None:
    with pytest.raises(ValueError, match="'stripe' is already registered"):
        import_source("stripe", writes=Writes.SUBSCRIPTIONS)(lambda request: None)


def test_registering_a_name_config_does_not_know_raises() -> None:
    with pytest.raises(ValueError, match="not in generator.config.imports.SOURCE_NAMES"):
        import_source("recurly", writes=Writes.SUBSCRIPTIONS)(lambda request: None)


def test_looking_up_a_typo_names_the_closest_source() -> None:
    with pytest.raises(ConfigError) as caught:
        get_source("lemonsquezy")
    assert "did you mean 'lemonsqueezy'?" in caught.value.diagnostics[0].format()

"""Text in several languages: a default and translations by language tag, picked with a fallback.

Lives at the bottom of the ladder, beside the string table, because the metric registry, site.yaml's
settings and the pages all carry such texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class LocalizedText:
    """A string with optional translations, picked by language tag ('zh-CN' falls back to 'zh')."""

    default: str
    translations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, language: str) -> str:
        """Return the text for `language`, trying 'zh-CN', then 'zh', then the default."""
        for tag in (language, language.split("-")[0]):
            if tag in self.translations:
                return self.translations[tag]
        return self.default

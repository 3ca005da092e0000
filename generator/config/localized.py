"""Text a founder may write once or per language in site.yaml: `title: Acme` or `title: {en: Acme, zh-CN: 阿克米}`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.config.schema import Section


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


def read_localized(section: Section, key: str, default: str) -> LocalizedText:
    """Read a string or a {language: string} mapping."""
    value = section.get(key, (str, dict), None)
    if value is None:
        return LocalizedText(default)
    if isinstance(value, str):
        return LocalizedText(value)
    texts = {str(lang): str(text) for lang, text in value.items() if isinstance(text, (str, int, float))}
    fallback = texts.get("en") or next(iter(texts.values()), default)
    return LocalizedText(fallback, MappingProxyType(texts))

"""Text a founder may write once or per language in site.yaml: `title: Acme` or `title: {en: Acme, zh-CN: 阿克米}`."""

from __future__ import annotations

from types import MappingProxyType

from generator.config.schema import Section
from generator.i18n.localized import LocalizedText


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

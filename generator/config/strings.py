"""`strings:` in site.yaml: the site's own wording for any reader-visible string of the theme.

```yaml
strings:
  read_more: Keep reading                              # every language
  dashboard: {en: Our numbers, zh-CN: 我们的数据}       # per language
```

Keys are those of generator.i18n.STRINGS; an unknown key is an error at its line with the closest
one. A string keeps its `{placeholders}`: an override that drops or invents one is an error too,
since the page would otherwise fail to render or lose a number.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType

from generator.config.localized import read_localized
from generator.config.schema import Section
from generator.errors import choice_hint
from generator.i18n import STRINGS
from generator.i18n.localized import LocalizedText


def read_strings(top: Section) -> Mapping[str, LocalizedText]:
    """Read the optional `strings:` mapping of string key to text (or {language: text})."""
    section = top.child("strings", default_empty=False)
    if section is None:
        return MappingProxyType({})
    known = STRINGS["en"]
    overrides: dict[str, LocalizedText] = {}
    for key, _ in list(section.items()):
        if key not in known:
            section.doc.report(section.keypath + (key,), f"unknown string {section.name(key)!r}",
                               choice_hint(key, known))
            continue
        text = read_localized(section, key, known[key])
        if _check_placeholders(section, key, text, known[key]):
            overrides[key] = text
    return MappingProxyType(overrides)


def _check_placeholders(section: Section, key: str, text: LocalizedText, original: str) -> bool:
    expected = _placeholders(original)
    for written in {text.default, *text.translations.values()}:
        try:
            found = _placeholders(written)
        except ValueError:
            found = None
        if found != expected:
            shown = ", ".join("{" + name + "}" for name in sorted(expected)) or "none"
            section.doc.report(section.keypath + (key,), f"{section.name(key)!r} must keep the placeholders of "
                               f"the original ({shown}), found {written!r}",
                               f"the original reads {original!r}; write literal braces as {{{{ and }}}}")
            return False
    return True


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

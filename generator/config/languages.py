"""`languages:` in site.yaml: the languages a site speaks, each in its own folder (issue 23).

```yaml
languages: [en, zh-CN]                  # the first is the default, at the root; zh-CN lives under /zh/
title: {en: Tallybird, zh-CN: 记账鸟}    # any text site.yaml holds may be written per language
```

or, to choose a language's folder or the name its switch shows:

```yaml
languages:
  en:
  zh-CN: {prefix: cn, name: 简体中文}
untranslated: every_language            # list untranslated posts in every language, with a badge
```

A site without `languages:` (or with one) speaks its one `language:`; nothing here changes its output.
Each language is rendered as the same site in its own folder: `SiteConfig.in_language` gives the settings a
language's pages are built with (Hugo's model).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale

from generator import routes
from generator.config.schema import Section
from generator.config.values import check_language
from generator.i18n.localized import LocalizedText

UNTRANSLATED_CHOICES = ("own_language", "every_language")
"""Where a post without a translation is listed: in its own language's listings only, or in every language's
(with a badge naming its language); it has one page, in its own language's folder, either way."""
_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*")


@dataclass(frozen=True)
class Language:
    """One language of a site that speaks several."""

    tag: str
    """BCP 47 tag as site.yaml writes it ('zh-CN')."""
    folder: str
    """Where its pages live: '' for the first language (the site's root), 'zh/' for the others."""
    name: str
    """Its name in itself ('English', '中文'), as the language switch shows it."""
    title: str
    """The site's title in this language."""
    description: str = ""


def read_languages(top: Section, title: LocalizedText, description: LocalizedText) -> tuple[Language, ...]:
    """Read `languages:` (a list of tags, or tags mapped to {prefix, name}); () for a one-language site."""
    value = top.get("languages", (list, dict), None)
    if value is None:
        return ()
    entries = _entries(top, value)
    tags = [tag for tag, _ in entries]
    if len(entries) < 2:
        return ()
    languages = []
    for index, (tag, options) in enumerate(entries):
        keypath: tuple[str | int, ...] = ("languages", tag if isinstance(value, dict) else index)
        section = Section(top.doc, keypath, options)
        written = section.get("prefix", str, None)
        name = section.get("name", str, None) or _own_name(tag, tags)
        section.finish()
        languages.append(Language(tag, _folder(top, keypath, index, tag, tags, written), name,
                                  title.get(tag), description.get(tag)))
    _report_shared_folders(top, value, languages)
    return tuple(languages)


def read_default_language(top: Section) -> str:
    """Return the site's language: `language:`, else the first of `languages:`; report the two disagreeing."""
    listed = top.data.get("languages")
    first = next(iter(listed), None) if isinstance(listed, (list, dict)) and listed else None
    first = str(first) if isinstance(first, (str, int, float)) and not isinstance(first, bool) else None
    language = top.get("language", str, None, check=check_language, hint="use a tag such as en, zh-CN, de, pt-BR")
    if language is not None and first is not None and language != first:
        top.doc.report(("language",), f"'language' is {language} but 'languages' starts with {first}: the first "
                       "of the languages is the site's default", "remove 'language:' or list that language first")
    return first if first is not None and check_language(first) is None else language or "en"


def read_untranslated(top: Section) -> str:
    """Read `untranslated:`, where a post without a translation is listed."""
    return top.get("untranslated", str, UNTRANSLATED_CHOICES[0], check=_one_of_choices,
                   hint="write untranslated: own_language (the default) or untranslated: every_language")


def match_language(written: str, languages: Sequence[Language]) -> Language | None:
    """Return the declared language a written tag names ('zh' names zh-CN; 'zh-TW' does not), or None."""
    wanted = written.strip().replace("_", "-").lower()
    exact = next((lang for lang in languages if lang.tag.lower() == wanted), None)
    if exact is not None:
        return exact
    primary = wanted.split("-")[0]
    return next((lang for lang in languages if lang.tag.lower().split("-")[0] == primary
                 and ("-" not in wanted or "-" not in lang.tag)), None)


def _entries(top: Section, value: list | dict) -> list[tuple[str, dict[str, Any]]]:
    """Return (tag, options) of each listed language, reporting bad tags, bad options and repeats."""
    items = list(value.items()) if isinstance(value, dict) else [(item, None) for item in value]
    entries: list[tuple[str, dict[str, Any]]] = []
    for index, (tag, options) in enumerate(items):
        keypath: tuple[str | int, ...] = ("languages", tag if isinstance(value, dict) else index)
        if not isinstance(tag, str) or check_language(tag):
            top.doc.report(keypath, f"'languages' names {tag!r}, which is not a known language tag",
                           "use tags such as en, zh-CN, de, pt-BR")
        elif options is not None and not isinstance(options, dict):
            top.doc.report(keypath, f"'languages.{tag}' must be a mapping with prefix and name",
                           f"write '{tag}: {{prefix: {tag.split('-')[0].lower()}}}', or nothing after the colon")
        elif any(tag.lower() == seen.lower() for seen, _ in entries):
            top.doc.report(keypath, f"'languages' names {tag} twice", "list each language once")
        else:
            entries.append((tag, options or {}))
    return entries


def _own_name(tag: str, tags: Sequence[str]) -> str:
    """Return a language's name in itself; with its territory when another listed tag has the same language."""
    locale = Locale.parse(tag, sep="-")
    shared = sum(1 for other in tags if Locale.parse(other, sep="-").language == locale.language) > 1
    name = locale.get_display_name(locale) if shared else locale.get_language_name(locale)
    name = name or tag
    return name[:1].upper() + name[1:]


def _folder(top: Section, keypath: tuple[str | int, ...], index: int, tag: str, tags: Sequence[str],
            written: str | None) -> str:
    """Return a language's folder: '' for the first; the written prefix, else its language ('zh/', 'zh-tw/')."""
    if index == 0:
        if written is not None and written.strip("/"):
            top.doc.report(keypath + ("prefix",), f"the first language, {tag}, is the site's default: its pages are "
                           "at the root", "remove its prefix, or list another language first")
        return ""
    if written is not None:
        prefix = written.strip("/").lower()
        if not _PREFIX.fullmatch(prefix):
            top.doc.report(keypath + ("prefix",), f"'prefix' of {tag} must be a folder name such as zh, found "
                           f"{written!r}", "use lowercase letters, digits, '-' and '_'")
            prefix = tag.lower()
        return routes.language_folder(prefix)
    return default_folder(tag, tags)


def default_folder(tag: str, tags: Sequence[str]) -> str:
    """Return the folder of a language that names none: its language ('zh/'), or its whole tag when another
    listed tag shares the language ('zh-tw/')."""
    primary = tag.split("-")[0].lower()
    alone = sum(1 for other in tags if other.split("-")[0].lower() == primary) == 1
    return routes.language_folder(primary if alone else tag.lower())


def _report_shared_folders(top: Section, value: list | dict, languages: Sequence[Language]) -> None:
    seen: dict[str, str] = {}
    for index, language in enumerate(languages):
        if language.folder in seen:
            top.doc.report(("languages", language.tag if isinstance(value, dict) else index),
                           f"{language.tag} and {seen[language.folder]} share the folder /{language.folder}",
                           "give one of them another 'prefix'")
        seen[language.folder] = language.tag


def _one_of_choices(value: str) -> str | None:
    return None if value in UNTRANSLATED_CHOICES else f"must be one of {', '.join(UNTRANSLATED_CHOICES)}, " \
                                                      f"found {value!r}"

"""Which language a post is written in and which posts translate each other, on a site in several languages.

A post declares its language with `lang:` in front matter or a suffix of its file name (`launch.en.md`, as
Hugo does); without either it is in the site's first language. Posts that translate each other share a
`translation_key:`, or else the file name without the language suffix (`launch.md` and `launch.en.md`).
On a site that speaks one language none of this applies: a post's `lang:` only marks the language of its
text, as before (issue 23).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from babel import Locale, UnknownLocaleError

from generator.config import SiteConfig
from generator.config.languages import Language, match_language
from generator.content.fields import FieldReader
from generator.content.post import Post
from generator.errors import Diagnostic

TRANSLATION_KEYS = ("translation_key", "translationKey")
"""Front matter keys that name a post's translation group (Hugo's spelling too)."""
_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<tag>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$")


@dataclass(frozen=True)
class Placement:
    """Where a post belongs on a site in several languages: its language, its stem, its translation group."""

    language: Language | None
    """None on a one-language site."""
    stem: str
    """The file name without extension and language suffix ('2024-03-04-launch')."""
    key: str | None = None
    """Its translation group: `translation_key:`, else its path without the language suffix."""
    key_line: int | None = None
    """The front matter line of `translation_key:` (None when the file name chose the group)."""
    lang: str | None = None
    """What `lang:` said when it names no language of the site (kept to mark the text's language)."""


def place_post(reader: FieldReader, relpath: PurePosixPath, config: SiteConfig) -> Placement:
    """Return a post's language and translation group, reporting a language the site does not declare."""
    if not config.languages:
        return Placement(None, relpath.stem)
    stem, suffix = _split_suffix(relpath.stem, config)
    written = reader.text("lang")
    language = match_language(written, config.languages) if written else None
    if written and language is None:
        reader.report("lang", f"'lang: {written}' is not a language of the site "
                      f"({', '.join(lang.tag for lang in config.languages)}): the post is listed with "
                      f"{config.languages[0].tag}", "add it to 'languages' in site.yaml, or write the tag of one "
                      "of them", "warning")
    elif written and suffix is not None and suffix is not language:
        reader.report("lang", f"'lang: {written}' and the file name's '.{suffix.tag}' name different languages: "
                      f"the post is in {language.tag if language else written}", "keep one of them", "warning")
    if suffix is None and stem != relpath.stem:
        reader.report(None, f"the file name ends in '.{relpath.stem[len(stem) + 1:]}', a language the site does not "
                      "declare: it is read as part of the name", "add the language to 'languages' in site.yaml, or "
                      "rename the file", "warning")
        stem = relpath.stem
    key_name, key = next(((name, reader.text(name)) for name in TRANSLATION_KEYS if reader.text(name)), (None, None))
    return Placement(language or suffix or config.languages[0], stem,
                     key or (relpath.parent / stem).as_posix(), reader.front.line_of(key_name) if key_name else None,
                     written if written and language is None else None)


def _split_suffix(stem: str, config: SiteConfig) -> tuple[str, Language | None]:
    """Return the stem without a language suffix and the declared language it names (None: not declared)."""
    match = _SUFFIX.match(stem)
    if match is None or not _is_language_tag(match["tag"]):
        return stem, None
    return match["stem"], match_language(match["tag"], config.languages)


def _is_language_tag(tag: str) -> bool:
    try:
        Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def check_translations(posts: Iterable[Post], config: SiteConfig) -> list[Diagnostic]:
    """Return an error per translation group with two posts in one language, a warning per `translation_key:`
    no other post shares (an unpaired translation links to nothing)."""
    if not config.languages:
        return []
    groups: dict[tuple[str, str], list[Post]] = defaultdict(list)
    for post in posts:
        if post.translation_key is not None:
            groups[(post.kind, post.translation_key)].append(post)
    problems = []
    for (_, key), members in groups.items():
        by_language: dict[str | None, Post] = {}
        for post in members:
            first = by_language.setdefault(post.language, post)
            if first is not post:
                problems.append(Diagnostic(
                    f"{_name(post, config)} and {_name(first, config)} are both in {post.language} with the "
                    f"translation key {key!r}: the language switch cannot tell them apart", post.source,
                    post.translation_line, None, "give one of them another 'translation_key:' or 'lang:'"))
        lonely = members[0]
        if len(members) == 1 and lonely.translation_line is not None:
            problems.append(Diagnostic(f"translation_key {key!r} names no other post: the post has no translation "
                                       "to link", lonely.source, lonely.translation_line, None,
                                       "give its translation the same 'translation_key:', or remove it", "warning"))
    return problems


def _name(post: Post, config: SiteConfig) -> str:
    try:
        return post.source.relative_to(config.root).as_posix()
    except ValueError:
        return post.source.name

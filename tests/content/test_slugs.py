"""Tests for generator.content.slugs: readable slugs in every script, date prefixes, fallbacks."""

from __future__ import annotations

import re

import pytest

from generator.content.slugs import fallback_slug, heading_id, slugify, split_date_prefix


@pytest.mark.parametrize(("text", "expected"), [
    ("Why we raised prices", "why-we-raised-prices"),
    ("Hello, World!", "hello-world"),
    ("Q&A: 2024 in review", "qa-2024-in-review"),
    ("  --spaces__and--dashes  ", "spaces-and-dashes"),
    ("远程团队的一年", "远程团队的一年"),
    ("远程团队：第一年，回顾！", "远程团队第一年回顾"),
    ("Our 2024 收入 report", "our-2024-收入-report"),
    ("Café Ünïcode", "café-ünïcode"),
    ("Привет мир", "привет-мир"),
    ("ＡＢＣ１２３", "abc123"),  # full-width Latin normalised (NFKC)
    ("🎉🚀!!!", ""),
    ("？！。", ""),
    ("", ""),
])
def test_slugify_keeps_letters_of_every_script(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_fallback_slug_is_stable_and_distinct() -> None:
    first = fallback_slug("posts/2024-03-01-🎉.md")

    assert re.fullmatch(r"post-[0-9a-f]{8}", first)
    assert fallback_slug("posts/2024-03-01-🎉.md") == first
    assert fallback_slug("posts/2024-03-02-🚀.md") != first


def test_fallback_slug_uses_prefix() -> None:
    assert fallback_slug("x", prefix="page").startswith("page-")


@pytest.mark.parametrize(("stem", "expected"), [
    ("2024-03-04-why-we-publish", ((2024, 3, 4), "why-we-publish")),
    ("2024-3-4-short", ((2024, 3, 4), "short")),
    ("2024-03-04_underscore", ((2024, 3, 4), "underscore")),
    ("2024-03-04 space", ((2024, 3, 4), "space")),
    ("2024-03-04-远程团队的一年", ((2024, 3, 4), "远程团队的一年")),
    ("2024-03-04", ((2024, 3, 4), "")),
    ("2024-02-30-impossible", ((2024, 2, 30), "impossible")),  # validity is the caller's business
    ("why-we-publish", (None, "why-we-publish")),
    ("20240304-compact", (None, "20240304-compact")),
    ("v2024-03-04", (None, "v2024-03-04")),
])
def test_split_date_prefix_splits_date_and_rest(stem: str, expected: tuple) -> None:
    assert split_date_prefix(stem) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Our costs", "our-costs"),
    ("我们的成本", "我们的成本"),
    ("🎉", "section"),
    ("", "section"),
])
def test_heading_id_is_never_empty(value: str, expected: str) -> None:
    assert heading_id(value, "-") == expected

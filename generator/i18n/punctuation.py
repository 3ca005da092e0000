"""Punctuation of generated text, by language: what joins a list, a label to its text, and sentences.

English writes "Bars: New, Expansion." with spaces after ASCII marks; Chinese writes "柱形：新增、扩展。"
with full-width marks and no spaces (and runs sentences together: dashboard.text.Formatter.sentences). Every sentence, caption, list and
"label: text" line the generator writes takes its marks from here (issue 12: Chinese through and
through), so site.yaml's `strings:` can change them too. Merged into generator.i18n.STRINGS.
"""

from __future__ import annotations

PUNCTUATION_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "sep.list": ", ",
        "sep.label": ": ",
        "sep.notes": "; ",
        "in_brackets": "{text} ({note})",
        "end.sentence": ".",
    },
    "zh": {
        "sep.list": "、",
        "sep.label": "：",
        "sep.notes": "；",
        "in_brackets": "{text}（{note}）",
        "end.sentence": "。",
    },
}

"""The documented bounds on input size and shape, so every input finishes quickly or fails cleanly.

Each limit is far above what a real site needs and far below what hangs a build: a YAML file
whose aliases expand a billion-fold, a CSV with ten thousand columns, a 5 MB line of unclosed
`[`, a list nested ten thousand deep. Crossing one is an error at the line where it happens,
naming the limit (issue #11, §2). `bench/bench_bounds.py` shows each case stays fast and small.
"""

from __future__ import annotations

YAML_MAX_NODES = 100_000
"""Values in site.yaml or one front matter block, counting every alias as the copy it expands to."""

YAML_MAX_DEPTH = 64
"""Mappings and lists nested inside each other in site.yaml or front matter."""

CSV_MAX_COLUMNS = 1_000
"""Columns in one metrics CSV (a wide costs.csv has one per category)."""

CSV_MAX_CELL_CHARS = 10_000
"""Characters in one CSV cell; a longer cell is a broken export (e.g. an unclosed quote)."""

MARKDOWN_MAX_PARAGRAPH_CHARS = 50_000
"""Characters in one paragraph of a post body (code blocks excepted): Markdown's inline patterns
take time growing with the square of a paragraph's length (200,000 characters of `*a` take 10 s)."""

MARKDOWN_MAX_OPEN_BRACKETS = 50
"""Unclosed or nested `[`, `(` or `<` in one paragraph: each makes Markdown rescan the rest of it
(5,000 unclosed `[` take 3.5 s, 20,000 take 30 s)."""

MARKDOWN_MAX_NESTING = 32
"""Levels of nested lists and block quotes in a post body (Python-Markdown recurses once per level
and runs out of stack near 1,000)."""

TITLE_MAX_CHARS = 300
"""Characters in a title: the site's, a post's or page's (front matter, or its first heading), a category's,
a tag's, a navigation label. Every page carries the site title, and share images draw it."""

SUMMARY_MAX_CHARS = 2_000
"""Characters in a summary or description (front matter `summary:`/`description:`, site.yaml `description:`,
an author's `bio:`)."""

LINE_MAX_CHARS = 2_000
"""Characters in any other one-line text value of site.yaml or front matter (an author, a slug, a URL, a
label in `strings:`). `extra:` is free-form and has no bound beyond the YAML limits above."""

NUMBER_MAX_DIGITS = 30
"""Digits in one number, in a metrics CSV cell or a formula: more is a typo, and Decimal arithmetic on
hundreds of digits fails far from the cell."""

IMPORT_MAX_BYTES = 200_000_000
"""Bytes in one export `opensite import` reads (a 100,000-subscription Stripe export is about 20 MB)."""

IMPORT_FUTURE_MONTHS = 12
"""Months after the build month an imported date may lie: later ones are typos (2099 for 2024)."""

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

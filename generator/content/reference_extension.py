"""The Python-Markdown extension that finds `{{ metric … }}` and `{{ chart … }}` and leaves placeholders.

Inline processors never see code spans, and fenced blocks are stashed before any processor runs,
so a reference written inside code stays literal. Imported only when a post must be converted.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from generator.content.references import (
    BLOCK_REFERENCE,
    INLINE_REFERENCE,
    REFERENCE_ATTRIBUTE,
    MetricReference,
    ReferenceProblem,
    parse_reference,
)


class _Recorder:
    """Collects the references and problems of one conversion, in the order they are found."""

    def __init__(self) -> None:
        self.references: list[MetricReference] = []
        self.problems: list[ReferenceProblem] = []

    def reset(self) -> None:
        self.references = []
        self.problems = []

    def record(self, parsed: MetricReference | ReferenceProblem) -> int | None:
        """Return the index of a parsed reference, or None (and keep the problem) when it did not parse."""
        if isinstance(parsed, ReferenceProblem):
            self.problems.append(parsed)
            return None
        self.references.append(parsed)
        return len(self.references) - 1


class _InlineReference(InlineProcessor):
    """`{{ metric mrr }}` inside a paragraph becomes <span data-opensite-ref="N"></span>."""

    def __init__(self, recorder: _Recorder, md: markdown.Markdown) -> None:
        super().__init__(INLINE_REFERENCE, md)
        self.recorder = recorder

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Python-Markdown's name)
        text = m.group(0)
        if m.group(1) == "chart":
            self.recorder.problems.append(ReferenceProblem(
                text, f"{text} is inside a paragraph", "put a chart reference on a line of its own, with blank "
                "lines around it"))
            return None, None, None
        index = self.recorder.record(parse_reference("metric", m.group(2), text))
        if index is None:
            return None, None, None
        return etree.Element("span", {REFERENCE_ATTRIBUTE: str(index)}), m.start(0), m.end(0)


class _BlockReference(BlockProcessor):
    """A paragraph that is only `{{ chart mrr 12 }}` becomes <div data-opensite-ref="N"></div>."""

    def __init__(self, recorder: _Recorder, parser) -> None:
        super().__init__(parser)
        self.recorder = recorder

    def test(self, parent: etree.Element, block: str) -> bool:
        return BLOCK_REFERENCE.fullmatch(block.strip()) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0).strip()
        match = BLOCK_REFERENCE.fullmatch(block)
        assert match is not None  # test() said so
        index = self.recorder.record(parse_reference("chart", match.group(1), block))
        if index is None:
            paragraph = etree.SubElement(parent, "p")
            paragraph.text = block
            return True
        etree.SubElement(parent, "div", {REFERENCE_ATTRIBUTE: str(index)})
        return True


class ReferenceExtension(Extension):
    """Registers both processors; `recorder` holds what the last conversion found."""

    def __init__(self) -> None:
        super().__init__()
        self.recorder = _Recorder()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After backticks (190) and escapes (180), so code spans are already stashed; before links.
        md.inlinePatterns.register(_InlineReference(self.recorder, md), "opensite_metric", 175)
        # Just above the paragraph processor (10): indented code (80) and lists see their blocks first.
        md.parser.blockprocessors.register(_BlockReference(self.recorder, md.parser), "opensite_chart", 12)

"""generator.content.references: `{{ metric … }}` / `{{ chart … }}` become placeholders, code stays literal.

Source and expected HTML side by side, as in Python-Markdown's `assertMarkdownRenders`; the
placeholders are resolved later by the model (tests/test_dashboard.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

import pytest
from conftest import BUILD_TIME

from generator.config import load_config
from generator.content import load_content
from generator.content.markdown import MarkdownConverter
from generator.content.references import (
    MetricReference,
    PostAnnotation,
    ReferenceProblem,
    locate_references,
    parse_reference,
)
from generator.errors import ContentError


def convert(source: str):
    return MarkdownConverter().convert(source, PurePosixPath("posts"))


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("MRR was {{ metric mrr }}.", '<p>MRR was <span data-opensite-ref="0"></span>.</p>', id="inline"),
    pytest.param("Churn: {{metric customer_churn_rate 2024-03}}",
                 '<p>Churn: <span data-opensite-ref="0"></span></p>', id="inline-without-spaces"),
    pytest.param("{{ chart mrr_movements 12 }}", '<div data-opensite-ref="0"></div>', id="block"),
    pytest.param("- {{ chart mrr }}", '<ul>\n<li>\n<div data-opensite-ref="0"></div>\n</li>\n</ul>', id="block-in-list"),
    pytest.param("Write `{{ metric mrr }}` in a post.", "<p>Write <code>{{ metric mrr }}</code> in a post.</p>",
                 id="code-span-stays-literal"),
    pytest.param("```\n{{ metric mrr }}\n{{ chart mrr }}\n```",
                 '<div class="highlight"><pre tabindex="0"><span></span><code>{{ metric mrr }}\n{{ chart mrr }}\n</code></pre></div>',
                 id="fenced-code-stays-literal"),
    pytest.param("Intro.\n\n    {{ chart mrr }}",
                 '<p>Intro.</p>\n<div class="highlight"><pre tabindex="0"><span></span><code>{{ chart mrr }}\n</code></pre></div>',
                 id="indented-code-stays-literal"),
    pytest.param("{{ metrics mrr }} and {{ mrr }}", "<p>{{ metrics mrr }} and {{ mrr }}</p>", id="not-a-reference"),
])
def test_convert_turns_references_into_placeholders(source: str, expected: str) -> None:
    assert convert(source).html == expected


def test_convert_records_references_in_placeholder_order() -> None:
    converted = convert("A {{ metric mrr }} b {{ metric arr 2024-03 }}.\n\n{{ chart customers 24 }}\n")
    kinds = {(r.kind, r.metric_id, r.month, r.window) for r in converted.references}
    assert kinds == {("metric", "mrr", None, None), ("metric", "arr", date(2024, 3, 1), None),
                     ("chart", "customers", None, 24)}
    for index, reference in enumerate(converted.references):
        assert f'data-opensite-ref="{index}"' in converted.html
        assert reference.text in ("{{ metric mrr }}", "{{ metric arr 2024-03 }}", "{{ chart customers 24 }}")


def test_convert_reports_a_chart_inside_a_paragraph_and_keeps_its_text() -> None:
    converted = convert("See this {{ chart mrr }} here.")
    assert converted.html == "<p>See this {{ chart mrr }} here.</p>"
    (problem,) = converted.reference_problems
    assert "inside a paragraph" in problem.message and "line of its own" in problem.hint


def test_the_converter_forgets_references_between_posts() -> None:
    converter = MarkdownConverter()
    converter.convert("{{ metric mrr }}", PurePosixPath("posts"))
    assert converter.convert("No numbers.", PurePosixPath("posts")).references == ()


@pytest.mark.parametrize(("kind", "args", "expected"), [
    ("metric", " mrr", MetricReference("metric", "mrr", text="t")),
    ("metric", " costs.hosting 2024-12", MetricReference("metric", "costs.hosting", date(2024, 12, 1), text="t")),
    ("chart", " mrr 2024-03 6", MetricReference("chart", "mrr", date(2024, 3, 1), 6, text="t")),
    ("chart", " mrr_movements 12", MetricReference("chart", "mrr_movements", None, 12, text="t")),
])
def test_parse_reference_reads_metric_month_and_window(kind, args, expected) -> None:
    assert parse_reference(kind, args, "t") == expected


@pytest.mark.parametrize(("kind", "args", "fragment"), [
    ("metric", "", "names no metric"),
    ("metric", " mrr March", "cannot read 'March'"),
    ("metric", " mrr 2024-13", "cannot read '2024-13'"),
    ("metric", " mrr 12", "cannot read '12'"),
    ("chart", " mrr 1", "2 to 120 months"),
    ("chart", " mrr 12 13", "cannot read '13'"),
])
def test_parse_reference_explains_what_it_cannot_read(kind, args, fragment) -> None:
    problem = parse_reference(kind, args, "{{ x }}")
    assert isinstance(problem, ReferenceProblem) and fragment in problem.message


def test_locate_references_skips_code_when_finding_lines() -> None:
    body = ("Literal `{{ metric mrr }}` first.\n\n```\n{{ metric mrr }}\n```\n\n    {{ metric mrr }}\n\n"
            "Real {{ metric mrr }} and {{ metric mrr }}.\n\n{{ metric mrr }}\n")
    converted = convert(body)
    located = locate_references(converted.references, body, 10)
    assert sorted(r.line for r in located) == [18, 18, 20]


def _site(make_site, body: str, front: str = ""):
    root = make_site({"content/posts/2024-04-03-report.md": f"---\ntitle: Report\n{front}---\n{body}"})
    config = load_config(root)
    return load_content(config, now=BUILD_TIME)


def test_load_content_records_each_reference_with_its_file_line(make_site) -> None:
    content = _site(make_site, "Intro.\n\nMRR: {{ metric mrr }}.\n\n{{ chart mrr 6 }}\n")
    (post,) = content.posts
    by_text = {r.text: r.line for r in post.references}
    assert by_text == {"{{ metric mrr }}": 6, "{{ chart mrr 6 }}": 8}


def test_load_content_reports_a_bad_reference_at_its_line(make_site) -> None:
    with pytest.raises(ContentError) as info:
        _site(make_site, "Intro.\n\nMRR in {{ metric mrr Mar-24 }}.\n")
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.path.name == "2024-04-03-report.md" and diagnostic.line == 6
    assert "cannot read 'Mar-24'" in diagnostic.message and "YYYY-MM" in diagnostic.hint


def test_load_content_reads_annotate_and_keeps_it_in_extra(make_site) -> None:
    content = _site(make_site, "Text.\n", 'annotate: "Raised prices"\nannotate_metrics: [mrr, arpu]\n')
    (post,) = content.posts
    assert post.annotation == PostAnnotation("Raised prices", ("mrr", "arpu"), 3)
    assert post.extra["annotate"] == "Raised prices"


def test_load_content_rejects_annotate_metrics_without_annotate(make_site) -> None:
    with pytest.raises(ContentError, match="'annotate_metrics' without 'annotate'"):
        _site(make_site, "Text.\n", "annotate_metrics: [mrr]\n")

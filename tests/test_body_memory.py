"""Post bodies in memory (issue 24): a loaded site does not hold every body as text, and rendering does not keep
every post's final HTML. Measured with tracemalloc (allocations, counted exactly), never with a clock."""

from __future__ import annotations

import gc
import random
import tracemalloc
from pathlib import Path

from conftest import BUILD_TIME

from generator.config import load_config
from generator.content import load_content
from generator.model import assemble_site
from generator.render import BODIES_KEPT, bodies_of, create_environment

WORDS = ("revenue churn runway pricing hiring invoice onboarding feedback growth investors remote team launch "
         "monthly annual expansion product retention customers freelancer").split()


def _site(make_site, posts: int, words: int) -> Path:
    rng = random.Random(24)
    files = {}
    for n in range(posts):
        paragraphs = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(80)) for _ in range(words // 80))
        files[f"content/posts/2024-01-{n % 28 + 1:02d}-post-{n}.md"] = f"---\ntitle: Post {n}\n---\n{paragraphs}\n"
    return make_site(files)


def test_loaded_posts_hold_their_bodies_in_far_less_than_their_text(make_site) -> None:
    config = load_config(_site(make_site, posts=60, words=4000))
    load_content(config, now=BUILD_TIME, use_cache=False)  # Python-Markdown imported and its converter made: not counted
    gc.collect()
    tracemalloc.start()
    try:
        content = load_content(config, now=BUILD_TIME, use_cache=False)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()

    text = sum(len(post.body_html.encode("utf-8")) for post in content.posts)
    assert text > 1_500_000
    assert held < text / 2, f"{held / 2**20:.1f} MiB held for {text / 2**20:.1f} MiB of bodies"


def test_rendering_keeps_the_last_bodies_only(make_site) -> None:
    config = load_config(_site(make_site, posts=3 * BODIES_KEPT, words=160))
    site = assemble_site(config, load_content(config, now=BUILD_TIME, use_cache=False), build_time=BUILD_TIME)
    bodies = bodies_of(create_environment(config), site)
    first = [str(bodies.html(post)) for post in site.posts]

    again = [str(bodies.html(post)) for post in site.posts]  # each made again once let go of: the same HTML

    assert len(bodies._done) == BODIES_KEPT < len(site.posts)
    assert again == first and all(html.startswith("<p>") for html in first)

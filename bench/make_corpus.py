"""Write a synthetic site of N posts (about a third in Chinese) with front matter, tables and code.

Usage: python bench/make_corpus.py N FOLDER
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

CATEGORIES = ("finances", "culture", "startup-life")
TAGS = ("pricing", "hiring", "remote", "churn", "fundraising", "product", "support", "运营", "招聘", "定价")
EN_WORDS = ("revenue customers growth churn pricing team remote hiring runway burn investors product launch "
            "feedback support onboarding retention expansion trial annual monthly invoice freelancer").split()
ZH_PHRASES = ("我们在这个月学到了很多", "客户的反馈非常重要", "收入增长比预期慢一些", "团队讨论了新的定价方案",
              "远程工作需要更多的书面沟通", "现金流是创业公司的生命线", "我们决定公开所有的数字")

SITE_YAML = """title: Bench Co
description: A synthetic open startup for benchmarks.
base_url: https://bench.example/
language: en
timezone: Europe/Berlin
posts_per_page: 10
"""


def english_paragraph(rng: random.Random) -> str:
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(40, 90))]
    return " ".join(words).capitalize() + "."


def chinese_paragraph(rng: random.Random) -> str:
    return "，".join(rng.choice(ZH_PHRASES) for _ in range(rng.randint(5, 10))) + "。"


def make_post(index: int, rng: random.Random) -> tuple[str, str]:
    """Return (file name, text) of one post of about 600 words or 1,000 characters."""
    chinese = index % 3 == 0
    day = date(2020, 1, 1) + timedelta(days=index % 2000)
    title = f"第 {index} 篇：{rng.choice(ZH_PHRASES)}" if chinese else f"Post {index}: {rng.choice(EN_WORDS)} notes"
    paragraph = chinese_paragraph if chinese else english_paragraph
    body = [paragraph(rng) for _ in range(3)]
    body += ["## " + ("数据" if chinese else "The numbers"), "| Month | MRR | Customers |", "|---|---:|---:|"]
    body += [f"| 2024-{m:02d} | {rng.randint(1000, 50000):,} | {rng.randint(10, 900)} |" for m in range(1, 7)]
    body += ["", "## " + ("代码" if chinese else "Some code"), "```python",
             "def runway(cash, burn):", "    return cash / burn if burn > 0 else None", "```", ""]
    body += [paragraph(rng) for _ in range(4)]
    body += ["### " + ("总结" if chinese else "What we learned"), paragraph(rng)]
    tags = ", ".join(rng.sample(TAGS, 2))
    front = (f"---\ntitle: \"{title}\"\ndate: {day.isoformat()} 09:00\ncategory: {CATEGORIES[index % 3]}\n"
             f"tags: [{tags}]\n---\n")
    return f"{day.isoformat()}-post-{index}.md", front + "\n\n".join(body) + "\n"


def make_corpus(count: int, root: Path, seed: int = 7) -> Path:
    """Write the site into root (replacing its content/) and return root."""
    rng = random.Random(seed)
    posts = root / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for index in range(count):
        name, text = make_post(index, rng)
        (posts / name).write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    make_corpus(int(sys.argv[1]), Path(sys.argv[2]))

"""The wording of a new site in its language (issue 23): site.yaml's comments and texts, the workflow's comments.

The packaged files (`files/`, `private/`) are written in English; each other language translates them line by
line here, keyed by the English line, so the files themselves stay one copy (a workflow step or a pinned action
is never written twice). A test fails when a commented or worded line of a packaged file has no translation in
a language listed here. The sample posts and the about page are whole files per language (`content/<tag>/`);
languages without them get the English ones. The sample metrics' cost categories are named here too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

import yaml

LINES: Mapping[str, Mapping[str, str]] = {
    "zh-CN": {
        # site.yaml
        "# Your site's settings. Every key is optional except title; the full list is in opensite's README.":
            "# 网站设置。除了 title，每一项都可以省略；完整的列表见 opensite 的 README。",
        "description: How we build our startup in the open — our story and our numbers.":
            "description: 我们怎样公开经营一家初创公司：我们的故事和我们的数字。",
        "# The public address. A GitHub Pages project site lives under a path, e.g.":
            "# 网站的公开地址。GitHub Pages 的项目网站带有一段路径，例如",
        "# https://your-name.github.io/your-repo/ — every link honours it. The publishing workflow in":
            "# https://your-name.github.io/your-repo/，所有链接都会带上它。发布工作流",
        "# .github/workflows/publish.yml passes the address GitHub Pages reports, so this can stay as is there.":
            "# .github/workflows/publish.yml 会传入 GitHub Pages 报告的地址，所以在那里这一项可以保持不变。",
        "language: en          # en, zh-CN, de, pt-BR, … (dates and numbers follow it)":
            "language: en          # en、zh-CN、de、pt-BR……（日期和数字的写法随之变化）",
        "timezone: UTC         # an IANA name such as Europe/Berlin or Asia/Shanghai":
            "timezone: UTC         # IANA 时区名，例如 Asia/Shanghai 或 Europe/Berlin",
        "# Who writes. A post names its author with `author: founder`; the first one is the default.":
            "# 作者。文章用 `author: founder` 指明作者；第一位是默认作者。",
        "    name: The Founder": "    name: 创始人",
        "    bio: Writes about what we build, earn and learn.": "    bio: 写我们做了什么、赚了多少、学到了什么。",
        "# The beats of the blog. A post picks one with `category: finances`.":
            "# 博客的栏目。文章用 `category: finances` 选择一个。",
        "    name: Finances": "    name: 财务",
        "    description: Revenue, costs, pricing and runway, with the real numbers.":
            "    description: 收入、成本、定价与资金跑道，附上真实数字。",
        "    name: Culture": "    name: 文化",
        "    description: How we hire, pay and work together.": "    description: 我们怎样招聘、定薪和一起工作。",
        "    name: Startup life": "    name: 创业日常",
        '    description: "The days in between: launches, mistakes and what we learned."':
            "    description: 日常的一天天：上线、犯错和学到的东西。",
        "# Anything under extra is passed to templates as site.extra.":
            "# extra 下的内容会以 site.extra 传给模板。",
        "# The metrics dashboard reads metrics/mrr.csv, churn.csv, costs.csv and cash.csv.":
            "# 数据面板读取 metrics/mrr.csv、churn.csv、costs.csv 和 cash.csv。",
        "  #   cash: hidden      # or rounded, relative, exact (the default)":
            "  #   cash: hidden      # 或 rounded、relative、exact（默认）",
        "# The numbers live in their own, private repository, checked out into private-numbers/ (git-ignored":
            "# 数字放在单独的私有仓库里，检出到 private-numbers/（本仓库的 .gitignore 忽略它）。",
        "# here). The workflow checks it out there and sets OPENSITE_METRICS_DIR to it; see opensite's README,":
            "# 工作流会把它检出到那里，并把 OPENSITE_METRICS_DIR 指向它；见 opensite 的 README",
        "# \"Keep your numbers private\". The dashboard reads mrr.csv, churn.csv, costs.csv and cash.csv from it.":
            "# “Keep your numbers private”。数据面板从那里读取 mrr.csv、churn.csv、costs.csv 和 cash.csv。",
        # the publishing workflows
        "# Publish the site to GitHub Pages on every push to main, and once a day so that scheduled":
            "# 每次推送到 main 时把网站发布到 GitHub Pages，并且每天发布一次，",
        "# posts go live on their date. One-time setup: Settings → Pages → Source: \"GitHub Actions\".":
            "# 让定时文章按日期上线。只需设置一次：Settings → Pages → Source: \"GitHub Actions\"。",
        "    - cron: \"17 6 * * *\"  # daily at 06:17 UTC": "    - cron: \"17 6 * * *\"  # 每天 UTC 06:17",
        "# One deployment at a time; a newer run waits instead of cancelling one that is deploying.":
            "# 同一时间只部署一次；新的运行会等待，而不是取消正在部署的那一次。",
        "      # No SOURCE_DATE_EPOCH here: the build time must be now, so scheduled posts go live.":
            "      # 这里不设 SOURCE_DATE_EPOCH：构建时间必须是现在，定时文章才会上线。",
        "      # Share images (og:image) are drawn on this machine, in a font it has: a site written in Chinese":
            "      # 分享图片（og:image）在这台机器上用它已有的字体绘制：用中文写的网站",
        "      # (its language, or any post) needs a Chinese font, or the build stops and says so.":
            "      # （网站语言或任何一篇文章）需要中文字体，否则构建会停止并说明原因。",
        "# The metrics CSVs live in a second, private repository (opensite's README, \"Keep your numbers private\"):":
            "# 数据 CSV 放在另一个私有仓库里（见 opensite 的 README，“Keep your numbers private”）：",
        "# <this repository>-numbers, checked out with a read-only deploy key kept in the secret NUMBERS_DEPLOY_KEY.":
            "# <本仓库>-numbers，用保存在密钥 NUMBERS_DEPLOY_KEY 中的只读部署密钥检出。",
        "      # opensite reads the numbers from the private checkout below, never from this public repository.":
            "      # opensite 从下面检出的私有仓库读取数字，从不读取这个公开仓库里的。",
        "      # Into private-numbers/, which .gitignore keeps out of this repository and the upload below leaves out.":
            "      # 检出到 private-numbers/：.gitignore 把它排除在本仓库之外，下面的上传也不包含它。",
        # dependabot.yml, .gitignore, requirements.txt
        "# Keeps the opensite pin in requirements.txt and the pinned actions in .github/workflows current:":
            "# 让 requirements.txt 里固定的 opensite 版本和 .github/workflows 里固定的 actions 保持最新：",
        "# one pull request per update, checked by the publishing workflow's `opensite check` before merging.":
            "# 每次更新一个拉取请求，合并之前由发布工作流的 `opensite check` 检查。",
        "# Built by `opensite build`; replaced on every build.": "# 由 `opensite build` 生成；每次构建都会替换。",
        "# Left by a build that was killed while writing (the next build removes them).":
            "# 写入时被中断的构建留下的文件夹（下一次构建会删除它们）。",
        "# opensite's build cache.": "# opensite 的构建缓存。",
        "# Your private numbers, when they live in their own repository (README: \"Keep your numbers private\").":
            "# 你的私有数字，当它们放在单独的仓库里时（README：“Keep your numbers private”）。",
        "# The opensite version this site builds with. The publishing workflow installs exactly this, so a":
            "# 构建这个网站所用的 opensite 版本。发布工作流只安装这个版本，",
        "# new opensite release never changes the site by surprise; Dependabot (.github/dependabot.yml)":
            "# 所以 opensite 的新版本不会意外地改变网站；Dependabot（.github/dependabot.yml）",
        "# proposes each upgrade as a pull request, where `opensite check` runs before you merge.":
            "# 会为每次升级发起拉取请求，合并之前 `opensite check` 会先运行。",
        # private-numbers/README.md
        "# Your numbers": "# 你的数字",
        "This folder is its own git repository, kept private: the public site repository ignores it. Make it one:":
            "这个文件夹是一个单独的、私有的 git 仓库：公开的网站仓库会忽略它。这样创建它：",
        "The site's workflow checks it out with a read-only deploy key (the secret NUMBERS_DEPLOY_KEY); see":
            "网站的工作流用只读部署密钥（密钥 NUMBERS_DEPLOY_KEY）检出它；见",
        "opensite's README, \"Keep your numbers private\".": "opensite 的 README，“Keep your numbers private”。",
    },
}
"""Each language's line for an English line of the packaged files (a line not listed stays as it is)."""

LANGUAGES_COMMENT: Mapping[str, str] = {
    "en": "# the first is the default, at the root; the others under their folder (/en/)",
    "zh-CN": "# 第一个是默认语言，在网站根目录；其他语言在各自的文件夹下（/en/）",
}
"""The comment beside `languages:` in a new site in several languages."""

COST_CATEGORIES: Mapping[str, tuple[str, str, str]] = {
    "en": ("Payroll", "Hosting", "Software"),
    "zh-CN": ("工资", "服务器", "软件"),
}
"""The sample metrics' cost categories, in the site's first language."""
CURRENCIES: Mapping[str, str] = {"en": "USD", "zh-CN": "CNY"}
"""The currency of a new site's sample numbers, by its first language."""
COST_NAMES_COMMENT: Mapping[str, str] = {
    "en": "# each cost category's name in the other languages",
    "zh-CN": "# 成本类别在其他语言中的名字",
}


def metrics_lines(languages: Sequence[str]) -> str:
    """Return the lines after `metrics:` that depend on the languages: the currency, and on a site in several,
    the cost categories' names in the others (`cost_names:`)."""
    first = languages[0]
    lines = [f"  currency: {CURRENCIES.get(first, 'USD')}"]
    if len(languages) > 1:
        lines.append(f"  cost_names:                 {COST_NAMES_COMMENT.get(first, COST_NAMES_COMMENT['en'])}")
        for index, name in enumerate(cost_categories(first)):
            names = ", ".join(f"{tag}: {cost_categories(tag)[index]}" for tag in languages[1:])
            lines.append(f"    {name}: {{{names}}}")
    return "\n".join(lines) + "\n"

_PER_LANGUAGE = re.compile(r"^(\s*)(description|name): (.+)$")
_LANGUAGE_LINE = re.compile(r"^language: en(\s+)(#.*)$")


def translate(text: str, languages: Sequence[str]) -> str:
    """Return a packaged file's text in the site's languages: its first language's lines; on a site in several,
    `languages:` instead of `language:`, and texts a site may give per language as a {language: text} mapping."""
    lines = text.split("\n")
    first = LINES.get(languages[0], {})
    out = []
    for line in lines:
        translated = first.get(line, line)
        if len(languages) > 1 and (match := _PER_LANGUAGE.match(translated)) and line.strip() != "name: The Founder":
            texts = {tag: _value(LINES.get(tag, {}).get(line, line)) for tag in languages}
            translated = f"{match[1]}{match[2]}: {{{', '.join(f'{tag}: {json.dumps(texts[tag], ensure_ascii=False)}' for tag in languages)}}}"
        elif (match := _LANGUAGE_LINE.match(translated)) is not None:
            translated = _language_line(languages, match[2])
        out.append(translated)
    return "\n".join(out)


def _language_line(languages: Sequence[str], comment: str) -> str:
    if len(languages) == 1:
        return f"{'language: ' + languages[0]:<21} {comment}"
    return f"languages: [{', '.join(languages)}]  {LANGUAGES_COMMENT.get(languages[0], LANGUAGES_COMMENT['en'])}"


def _value(line: str) -> str:
    """Return the text of a `key: value` line (YAML quotes removed)."""
    return str(yaml.safe_load(line.split(": ", 1)[1]))


def cost_categories(language: str) -> tuple[str, str, str]:
    """Return the sample cost categories in a language (English when it has none of its own)."""
    return COST_CATEGORIES.get(language, COST_CATEGORIES["en"])

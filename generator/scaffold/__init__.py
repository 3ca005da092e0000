"""New files from templates: a whole site (`opensite init`) and a post (`opensite new post`).

Both only ever create files: an existing file is never overwritten, whatever the options, because
the one thing worse than a missing sample post is a founder's real post replaced by one. The
site's files live under `files/` in this package; `dot-` at the start of a name becomes `.`
(packaging tools skip dotfiles), and `__NAME__` placeholders are filled in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from generator import __version__
from generator.config import SiteConfig
from generator.config.languages import default_folder, match_language
from generator.config.values import check_language
from generator.content.converted import MORE_MARKER
from generator.content.fields import match_category
from generator.content.slugs import fallback_slug, slugify
from generator.errors import ContentError, GeneratorError, choice_hint
from generator.i18n import Translator
from generator.scaffold.private import PRIVATE_FOLDER, private_workflow
from generator.scaffold.wording import cost_categories, metrics_lines, translate

SCAFFOLD_FILES = "files"
DEFAULT_BASE_URL = "https://example.com/"
_PLACEHOLDER = re.compile(r"__([A-Z0-9_]+)__")
_SAMPLE_MONTHS = 6


@dataclass(frozen=True)
class CreatedFiles:
    """What a scaffold wrote, and what it left alone because it was already there."""

    written: tuple[PurePosixPath, ...]
    kept: tuple[PurePosixPath, ...]


def render_site_files(title: str, *, base_url: str = DEFAULT_BASE_URL, today: date,
                      private_numbers: bool = False, languages: Sequence[str] = ("en",)) -> dict[PurePosixPath, str]:
    """Return every file of a new site, by path relative to its folder.

    Args:
        title: the site's name, written into site.yaml.
        base_url: the public address, written into site.yaml.
        today: dates the sample posts (two weeks, one week and zero days ago) and the metrics months.
        private_numbers: keep the numbers in their own repository (issue 20): the sample CSVs go to
            private-numbers/ (git-ignored), site.yaml reads them from there (`metrics_dir`), and the workflow
            checks that private repository out with a deploy key before it checks and builds.
        languages: the site's languages, the first its default (issue 23): site.yaml, the comments, the
            sample posts and the about page are written in them (several: `languages:`, a translation each).
    """
    values = {
        "TITLE": json.dumps(title, ensure_ascii=False),
        "BASE_URL": base_url,
        "VERSION": __version__,
        **{f"DATE{n}": (today - timedelta(days=7 * (3 - n))).isoformat() for n in (1, 2, 3)},
    }
    files = {_target(relpath): _fill(translate(text, languages), values) for relpath, text in _packaged_files()}
    files |= {relpath: _fill(text, values) for relpath, text in _sample_content(languages)}
    files = {PurePosixPath(_fill(str(path), values)): text for path, text in files.items()}
    site = PurePosixPath("site.yaml")
    files[site] = files[site].replace(_CURRENCY_LINE, metrics_lines(languages))
    metrics = render_sample_metrics(today, cost_categories(languages[0]))
    if not private_numbers:
        return {**files, **metrics}
    files[WORKFLOW] = translate(private_workflow(files[WORKFLOW]), languages)
    files[site] = files[site].replace(translate(_METRICS_COMMENT, languages), translate(_PRIVATE_COMMENT, languages))
    files[PurePosixPath(PRIVATE_FOLDER, "README.md")] = translate(_PRIVATE_README, languages)
    return {**files, **{PurePosixPath(PRIVATE_FOLDER, path.name): text for path, text in metrics.items()}}


SAMPLE_CONTENT = "content"
"""The sample posts and about page, a folder per language (`content/zh-CN/posts/…`); English for the others."""
_CURRENCY_LINE = "  currency: USD\n"


def _sample_content(languages: Sequence[str]) -> Iterator[tuple[PurePosixPath, str]]:
    """Yield the sample posts and about page in each language: the first's as they are, the others' with the
    language in the file name (`…-hello-world.en.md`), so each pairs with its translation."""
    root = resources.files(__name__).joinpath(SAMPLE_CONTENT)
    for index, tag in enumerate(languages):
        folder = tag if root.joinpath(tag).is_dir() else "en"
        home = default_folder(tag, languages) if index else ""
        for relpath, text in _walk(root.joinpath(folder), PurePosixPath("content")):
            name = relpath.name if not index else f"{relpath.stem}.{tag}{relpath.suffix}"
            yield relpath.with_name(name), text.replace("__HOME__", home)


WORKFLOW = PurePosixPath(".github/workflows/publish.yml")
_METRICS_COMMENT = "# The metrics dashboard reads metrics/mrr.csv, churn.csv, costs.csv and cash.csv.\n"
_PRIVATE_COMMENT = (
    "# The numbers live in their own, private repository, checked out into private-numbers/ (git-ignored\n"
    "# here). The workflow checks it out there and sets OPENSITE_METRICS_DIR to it; see opensite's README,\n"
    "# \"Keep your numbers private\". The dashboard reads mrr.csv, churn.csv, costs.csv and cash.csv from it.\n"
    f"metrics_dir: {PRIVATE_FOLDER}\n\n")
_PRIVATE_README = """# Your numbers

This folder is its own git repository, kept private: the public site repository ignores it. Make it one:

    cd private-numbers
    git init -b main && git add . && git commit -m "Our numbers"
    git remote add origin git@github.com:<you>/<site repository>-numbers.git
    git push -u origin main

The site's workflow checks it out with a read-only deploy key (the secret NUMBERS_DEPLOY_KEY); see
opensite's README, "Keep your numbers private".
"""


def _packaged_files() -> Iterator[tuple[PurePosixPath, str]]:
    root = resources.files(__name__).joinpath(SCAFFOLD_FILES)
    yield from _walk(root, PurePosixPath())


def _walk(folder: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, str]]:
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            yield from _walk(item, prefix / item.name)
        else:
            yield prefix / item.name, item.read_text(encoding="utf-8")


def _target(relpath: PurePosixPath) -> PurePosixPath:
    """Return where a packaged file goes: 'dot-github/x' -> '.github/x'."""
    return PurePosixPath(*("." + part[4:] if part.startswith("dot-") else part for part in relpath.parts))


def _fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def render_sample_metrics(today: date, categories: Sequence[str] = ("Payroll", "Hosting", "Software")
                          ) -> dict[PurePosixPath, str]:
    """Return metrics CSVs for the six months before `today` whose movements add up (costs in `categories`).

    MRR is built from its movements and cash from revenue minus costs, so the MRR bridge and
    the customer counts balance by construction, as real books should.
    """
    first = _add_months(date(today.year, today.month, 1), -_SAMPLE_MONTHS)
    months = [_add_months(first, n).strftime("%Y-%m") for n in range(_SAMPLE_MONTHS)]
    movements = [(1200, 0, 0, 0, 0), (600, 40, 0, 60, 0), (700, 80, 20, 90, 0),
                 (650, 60, 0, 110, 30), (900, 120, 40, 80, 0), (1100, 90, 30, 120, 20)]
    customers = [(40, 0, 0), (19, 2, 0), (22, 3, 0), (20, 4, 1), (28, 3, 0), (34, 4, 1)]
    costs = dict(zip(categories, (8000, 240, 180)))
    mrr_rows, churn_rows, cost_rows, cash_rows = [], [], [], []
    mrr, count, cash = 0, 0, 150000
    for month, (new, expansion, contraction, churned, back), (added, lost, returned) in zip(
            months, movements, customers):
        mrr += new + expansion - contraction - churned + back
        count += added - lost + returned
        cash += mrr - sum(costs.values())
        mrr_rows.append(f"{month},{mrr},{new},{expansion},{contraction},{churned},{back}")
        churn_rows.append(f"{month},{count},{added},{lost},{returned}")
        cost_rows.extend(f"{month},{name},{amount}" for name, amount in costs.items())
        cash_rows.append(f"{month},{cash}")
    return {
        PurePosixPath("metrics/mrr.csv"): _csv("month,mrr,new,expansion,contraction,churned,reactivation", mrr_rows),
        PurePosixPath("metrics/churn.csv"): _csv("month,customers,new_customers,churned_customers,"
                                                 "reactivated_customers", churn_rows),
        PurePosixPath("metrics/costs.csv"): _csv("month,category,amount", cost_rows),
        PurePosixPath("metrics/cash.csv"): _csv("month,balance", cash_rows),
    }


def _csv(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def check_new_site_dir(target: Path, *, force: bool) -> None:
    """Raise GeneratorError unless `target` is missing or empty (or `force` allows adding to it)."""
    if target.exists() and not target.is_dir():
        raise GeneratorError(f"{target} is a file, not a folder", target, hint="pass a folder name, e.g. my-site")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise GeneratorError(f"{target} is not empty", target,
                             hint="pick a new folder, or add --force to add the missing files "
                                  "(existing files are never overwritten)")


def write_new_files(target: Path, files: Mapping[PurePosixPath, str]) -> CreatedFiles:
    """Create each file under `target` that does not exist yet; leave existing ones untouched."""
    written: list[PurePosixPath] = []
    kept: list[PurePosixPath] = []
    for relpath, text in sorted(files.items()):
        path = target / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            kept.append(relpath)
            continue
        written.append(relpath)
    return CreatedFiles(tuple(written), tuple(kept))


def render_post(title: str, *, when: datetime, category: str | None = None, tags: tuple[str, ...] = (),
                draft: bool = False, language: str = "en", lang: str | None = None,
                overrides: Mapping[str, str] | None = None) -> str:
    """Return the Markdown of a new post: front matter (quoted so any title is valid YAML) and a stub body in
    `language` (the site's, or `lang`, written as `lang:` when it is not the site's)."""
    t = Translator(lang or language, overrides)
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"date: {when:%Y-%m-%d %H:%M}"]
    if lang:
        lines.append(f"lang: {lang}")
    if category:
        lines.append(f"category: {category}")
    if tags:
        lines.append(f"tags: {json.dumps(list(tags), ensure_ascii=False)}")
    if draft:
        lines.append("draft: true")
    # No empty `summary:` (check --strict would warn): the first paragraph, cut by <!-- more -->, is it.
    lines += ["---", t("new_post.intro"), "", MORE_MARKER, "", f"## {t('report_learned')}", "", ""]
    return "\n".join(lines)


def default_category(config: SiteConfig) -> str | None:
    """Return the category a new post gets when none is asked for: the site's first (check warns without one)."""
    return config.categories[0].slug if config.categories else None


def post_relpath(title: str, day: date) -> PurePosixPath:
    """Return content/posts/YYYY-MM-DD-<slug>.md; slugs stay readable in any script ('第一年' stays)."""
    slug = slugify(title) or fallback_slug(title)
    return PurePosixPath("content", "posts", f"{day.isoformat()}-{slug}.md")


def parse_category(value: str, config: SiteConfig) -> str:
    """Return the slug of the category named by slug or display name; raise ContentError if none is."""
    slug = match_category(value, config)
    if slug is None:
        raise ContentError(f"unknown category {value!r}", config.config_path,
                           hint=choice_hint(value, [c.slug for c in config.categories]))
    return slug


def parse_language(value: str, config: SiteConfig) -> str | None:
    """Return the `lang:` a new post writes for `--lang`: None for the site's (first) language; on a site in
    several, one of them (a ContentError names them otherwise)."""
    if config.languages:
        found = match_language(value, config.languages)
        if found is None:
            raise ContentError(f"--lang {value}: the site's languages are "
                               f"{', '.join(lang.tag for lang in config.languages)}", config.config_path,
                               hint="pick one, or add the language to 'languages' in site.yaml")
        return None if found.tag == config.language else found.tag
    if check_language(value):
        raise ContentError(f"--lang {value}: not a known language tag", hint="use a tag such as en or zh-CN")
    return None if value == config.language else value


def parse_tags(value: str | None) -> tuple[str, ...]:
    """Return the tags of '--tags a, b,c' without blanks or repeats."""
    tags = (t.strip() for t in (value or "").split(","))
    return tuple(dict.fromkeys(t for t in tags if t))


def write_new_post(root: Path, relpath: PurePosixPath, text: str) -> Path:
    """Create the post file; raise ContentError if it exists (a post is never overwritten)."""
    created = write_new_files(root, {relpath: text})
    path = root / relpath
    if created.kept:
        raise ContentError("a post with this file name already exists", path,
                           hint="pick another title, or edit the existing post")
    return path

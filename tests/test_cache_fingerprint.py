"""One code fingerprint for every cache (issue 18): editing any file of the package invalidates them all.

The package is copied, built from twice (the second build reuses everything), one string of
`i18n/punctuation.py` is edited, and the next build must re-parse every post, redraw every chart,
re-render every page and forget the template facts, and equal a `--no-cache` build of the edited copy.
Each build runs in a fresh interpreter whose `generator` is the copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from generator.cache import OUTPUT_LIBRARIES, code_fingerprint, fingerprint_package

MRR = "month,mrr,new,expansion,contraction,churned\n" + "".join(
    f"2024-{m:02d},{1000 + 100 * (m - 1)},{1000 if m == 1 else 100},0,0,0\n" for m in range(1, 6))

_BUILD = """
import json, sys
from datetime import datetime, timezone
from pathlib import Path
import generator
from generator import pagekeys
from generator.build import build_site
root, out, use_cache = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "cache"
pagekeys.load_template_facts(root)
facts = len(pagekeys.TEMPLATE_FACTS)
r = build_site(root, out, now=datetime(2024, 6, 15, tzinfo=timezone.utc), use_cache=use_cache, jobs=1)
print(json.dumps({"package": generator.__file__, "facts": facts, "converted": r.content.stats.converted,
                  "drawn": r.charts_drawn, "charts": r.chart_count, "rendered": r.rendered, "reused": r.reused}))
"""


def _build(package_parent: Path, site: Path, output: Path, *, cache: bool = True) -> dict:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    done = subprocess.run([sys.executable, "-c", _BUILD, str(site), str(output), "cache" if cache else "cold"],
                          cwd=package_parent, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_editing_one_module_of_the_package_invalidates_every_cache(make_site, tmp_path: Path) -> None:
    posts = {f"content/posts/2024-0{m}-01-post-{m}.md":
             f"---\ntitle: Post {m}\ndate: 2024-0{m}-01\ncategory: {c}\ntags: [a, b]\nsummary: S {m}.\n---\nBody.\n"
             for m, c in ((1, "finances"), (2, "culture"), (3, "startup-life"))}
    site = make_site({**posts, "metrics/mrr.csv": MRR})
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))

    first = _build(copy, site, tmp_path / "out")
    assert first["package"].startswith(str(copy)), "the build must run the copied package"
    warm = _build(copy, site, tmp_path / "out")
    assert (warm["converted"], warm["drawn"], warm["rendered"]) == (0, 0, 0) and warm["facts"] > 0  # caches work

    punctuation = copy / "generator" / "i18n" / "punctuation.py"
    punctuation.write_text(punctuation.read_text(encoding="utf-8").replace('"sep.list": ", "', '"sep.list": " · "'),
                           encoding="utf-8")
    edited = _build(copy, site, tmp_path / "out")
    assert edited["converted"] == 3, "the content cache kept posts parsed by the old code"
    assert edited["drawn"] >= edited["charts"] > 0, "the chart cache kept charts drawn by the old code"
    assert edited["reused"] == 0 and edited["rendered"] > 0, "pages (the output manifest) kept old renders"
    assert edited["facts"] == 0, "the template facts made by the old code were reused"

    _build(copy, site, tmp_path / "cold", cache=False)
    assert _tree(tmp_path / "out") == _tree(tmp_path / "cold")
    assert any(" · ".encode() in data for data in _tree(tmp_path / "cold").values())


def test_fingerprint_package_changes_with_any_file_of_the_package(tmp_path: Path) -> None:
    """No hand-kept list: a template, a static file or a scaffold file counts as much as a module."""
    copy = tmp_path / "generator"
    shutil.copytree(REPO / "generator", copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert fingerprint_package(copy) == fingerprint_package(REPO / "generator") == code_fingerprint()
    seen = {fingerprint_package(copy)}
    for relpath in ("theme/templates/base.html", "theme/static/style.css", "scaffold/files/site.yaml", "limits.py"):
        with (copy / relpath).open("ab") as handle:
            handle.write(b"\n")
        seen.add(fingerprint_package(copy))
    (copy / "theme" / "templates" / "new.html").write_text("x", encoding="utf-8")
    seen.add(fingerprint_package(copy))
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "limits.cpython-311.pyc").write_bytes(b"compiled")
    seen.add(fingerprint_package(copy))  # compiled files are not the code: no new fingerprint
    assert len(seen) == 6
    assert {"markdown", "pygments", "jinja2", "babel", "matplotlib", "pillow", "pyyaml"} <= set(OUTPUT_LIBRARIES)

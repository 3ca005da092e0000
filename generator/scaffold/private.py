"""The publishing workflow of a site whose numbers live in a private repository (`opensite init --private-numbers`).

It is the public workflow plus three additions, made here from the public one, so the two cannot drift: a
step added to the public workflow (the Chinese font, say) is in the private one too.
"""

from __future__ import annotations

PRIVATE_FOLDER = "private-numbers"
"""Where that repository is checked out, locally and in CI; the site's .gitignore leaves it out."""

_HEADER = """\
# The metrics CSVs live in a second, private repository (opensite's README, "Keep your numbers private"):
# <this repository>-numbers, checked out with a read-only deploy key kept in the secret NUMBERS_DEPLOY_KEY.
"""
_ENV = f"""\
    env:
      # opensite reads the numbers from the private checkout below, never from this public repository.
      OPENSITE_METRICS_DIR: ${{{{ github.workspace }}}}/{PRIVATE_FOLDER}
"""
_CHECKOUT = f"""\
      # Into {PRIVATE_FOLDER}/, which .gitignore keeps out of this repository and the upload below leaves out.
      - name: Check out the private numbers
        uses: CHECKOUT_ACTION
        with:
          repository: ${{{{ github.repository }}}}-numbers
          ssh-key: ${{{{ secrets.NUMBERS_DEPLOY_KEY }}}}
          path: {PRIVATE_FOLDER}
          persist-credentials: false
"""


def private_workflow(public: str) -> str:
    """Return the public workflow with the private checkout: after the header, the job's runner, its checkout.

    Raises:
        ValueError: the public workflow lost a line these additions go after (a test catches it).
    """
    lines = public.splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    runner = _index(lines, "    runs-on: ")
    checkout = _index(lines, "      - uses: actions/checkout@")
    uses = lines[checkout].split("- uses: ", 1)[1].rstrip("\n")
    additions = {header: _HEADER, runner + 1: _ENV, checkout + 1: _CHECKOUT.replace("CHECKOUT_ACTION", uses)}
    out = []
    for index, line in enumerate(lines + [""]):
        out.append(additions.get(index, ""))
        out.append(line)
    return "".join(out)


def _index(lines: list[str], start: str) -> int:
    found = next((i for i, line in enumerate(lines) if line.startswith(start)), None)
    if found is None:
        raise ValueError(f"the publishing workflow has no line starting {start.strip()!r}")
    return found

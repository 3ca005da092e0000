"""opensite: an open blog plus a public metrics dashboard, built from Markdown and CSV.

The whole public Python API is `build_site()` (and `check_site()`, which runs every stage, writes
nothing and checks the rendered site) plus `__version__`.
"""

__version__ = "0.1.0"

from generator.build import BuildResult, CheckResult, build_site, check_site  # noqa: E402 (cli reads __version__)

__all__ = ["BuildResult", "CheckResult", "build_site", "check_site", "__version__"]

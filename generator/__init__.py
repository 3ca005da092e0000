"""opensite: an open blog plus a public metrics dashboard, built from Markdown and CSV.

The whole public Python API is `build_site()` (and `check_site()`, which runs every stage, writes
nothing and checks the rendered site) plus `__version__`. The pipeline is imported on first use, so a
command that needs less of it (a no-op `opensite build`) loads only what it needs (issue 24).
"""

from typing import Any

__version__ = "0.1.0"

__all__ = ["BuildResult", "CheckResult", "build_site", "check_site", "__version__"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from generator import build

        return getattr(build, name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")

"""The `share_images:` section of site.yaml: how the share cards (og:image) are drawn.

```yaml
share_images:
  font: fonts/NotoSansSC-Regular.otf   # a font file, relative to the site folder; tried first
```

Without it, the share cards use the first font on the machine that has every character of the card
(generator/charts/fonts.py), and a build fails at this section's line when none has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config.schema import Section

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class ShareImagesConfig:
    """The `share_images:` section."""

    font: Path | None = None
    """A font file the site names for its share cards (absolute), tried before the system's fonts."""
    line: int | None = None
    """The line of `share_images:` (or of `language:` when absent): where a missing-font error points."""
    source: Path | None = None


def read_share_images(top: Section, root: Path) -> ShareImagesConfig:
    """Read the optional `share_images: {font}` section; a font file that does not exist is an error at its line."""
    section = top.child("share_images", default_empty=False)
    line = top.doc.where(("share_images",))[0] or top.doc.where(("language",))[0] or top.doc.where(("title",))[0]
    if section is None:
        return ShareImagesConfig(line=line, source=top.doc.path)
    font = section.get("font", str, None, check=lambda name: _check_font(root, name),
                       hint="name a .ttf, .otf or .ttc file, relative to the folder of site.yaml")
    section.finish()
    return ShareImagesConfig((root / font).resolve() if font else None, line, top.doc.path)


def _check_font(root: Path, name: str) -> str | None:
    if not name.lower().endswith(FONT_SUFFIXES):
        return f"must name a font file ({', '.join(FONT_SUFFIXES)}), found {name!r}"
    if not (root / name).is_file():
        return f"names {name!r}, which is not a file under {root}"
    return None

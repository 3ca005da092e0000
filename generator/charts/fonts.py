"""Which font draws a share card: the first one on the machine that has every character of the card.

A share card is a PNG, so its text is drawn here, in a font this machine has, not in the reader's: a
font without Chinese draws every Chinese character as the same box ("tofu"), and nothing would say so
(issue 19). So each card's characters are looked up in the candidates, in order: the font site.yaml names
(`share_images.font`), DejaVu Sans (which matplotlib installs, so every machine has it), then the
system's fonts, the common CJK families first for a Chinese, Japanese or Korean site. A character is in a
font when the font draws it as something other than its missing-glyph box (.notdef). When no candidate
has them all, the caller reports the missing characters and how to install a font.

`OPENSITE_FONT_DIRS` (folders separated by the path separator) replaces the system's font folders: CI
and tests use it to build with a known font set.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.dashboard.previews import Preview
from generator.errors import Diagnostic, GeneratorError
from generator.names import FONT_DIRS_VARIABLE

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_SYSTEM_DIRS = {
    "linux": ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts"),
    "darwin": ("/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts"),
    "win32": ("C:/Windows/Fonts", "~/AppData/Local/Microsoft/Windows/Fonts"),
}
_CJK_FIRST = ("notosanscjk", "sourcehansans", "notosanssc", "notosanstc", "notosansjp", "notosanskr", "pingfang",
              "hiragino", "msyh", "yahei", "simhei", "wqy", "droidsansfallback", "arialuni")
"""File-name stems of the common sans-serif CJK fonts, tried first for text with Chinese, Japanese or Korean."""
_FACE_OF_LANGUAGE = {"zh-tw": "TC", "zh-hk": "HK", "zh": "SC", "ja": "JP", "ko": "KR"}
"""Which face of a CJK collection (Noto Sans CJK, Source Han Sans) writes the site's language."""
_PROBE_SIZE = 24
_IDENTITY_BYTES = 1 << 16


@dataclass(frozen=True)
class FontFace:
    """One face of a font file: where it is, which face of a collection, and what identifies its version."""

    path: str
    index: int
    name: str
    identity: str
    """A hash of the file's size and first 64 KiB (its header, names and version): part of the cache key."""


@dataclass(frozen=True)
class CardFonts:
    """The faces one card is drawn with."""

    regular: FontFace
    bold: FontFace


def font_dirs(environ: Mapping[str, str] = os.environ) -> tuple[Path, ...]:
    """Return the folders searched for fonts: OPENSITE_FONT_DIRS when set, else the system's."""
    if FONT_DIRS_VARIABLE in environ:
        return tuple(Path(p).expanduser() for p in environ[FONT_DIRS_VARIABLE].split(os.pathsep) if p)
    platform = "win32" if sys.platform.startswith("win") else sys.platform if sys.platform == "darwin" else "linux"
    return tuple(Path(p).expanduser() for p in _SYSTEM_DIRS[platform])


def bundled_font(bold: bool = False) -> Path | None:
    """Return matplotlib's DejaVu Sans (found without importing matplotlib), or None."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / name
    return path if path.is_file() else None


class FontFinder:
    """Finds, for a text, the first candidate face that has all its characters (and that face's bold)."""

    def __init__(self, preferred: Path | None = None, dirs: Sequence[Path] | None = None, language: str = "en"):
        self.preferred = preferred
        self.dirs = tuple(dirs) if dirs is not None else font_dirs()
        self.language = language.lower()
        self._faces: list[FontFace] | None = None
        self._bold: dict[FontFace, FontFace] = {}

    def fonts_for(self, text: str) -> CardFonts | frozenset[str]:
        """Return the faces that draw `text`, or the characters no candidate has."""
        needed = drawn_characters(text)
        missing: frozenset[str] | None = None
        for face in self.faces():
            lacking = needed - _covered(face, needed)
            if not lacking:
                if face not in self._bold:  # looked up once a build: a thousand cards, one regular face
                    self._bold[face] = _bold_of(face)
                bold = self._bold[face]
                return CardFonts(face, bold if _covered(bold, needed) == needed else face)
            missing = lacking if missing is None or len(lacking) < len(missing) else missing
        return missing if missing is not None else needed

    def faces(self) -> list[FontFace]:
        """Return every candidate face in the order tried."""
        if self._faces is None:
            files = [p for p in (self.preferred, bundled_font()) if p is not None]
            files += _ordered(_font_files(self.dirs), cjk_first=True)
            self._faces = [face for path in dict.fromkeys(files) for face in self._faces_of(path)]
        return self._faces

    def _faces_of(self, path: Path) -> list[FontFace]:
        faces = list(_faces(str(path)))
        wanted = next((face for prefix, face in _FACE_OF_LANGUAGE.items() if self.language.startswith(prefix)), "")
        # The site's own writing first (Noto Sans CJK SC for zh-CN), proportional faces before monospaced ones.
        return sorted(faces, key=lambda f: (wanted not in f.name.split(), "Mono" in f.name, f.index))


def drawn_characters(text: str) -> frozenset[str]:
    """Return the characters a font must draw: not spaces, controls or format marks (they draw nothing)."""
    return frozenset(c for c in text if unicodedata.category(c) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn"))


def _font_files(dirs: Iterable[Path]) -> list[Path]:
    found = []
    for folder in dirs:
        if folder.is_dir():
            for root, _, names in os.walk(folder, followlinks=True):
                found += [Path(root) / n for n in names if n.lower().endswith(FONT_SUFFIXES)]
    return sorted(found)


def _ordered(files: Sequence[Path], cjk_first: bool) -> list[Path]:
    """Return sans-serif CJK families first, then regular weights, then the rest by path (a stable order)."""
    def rank(path: Path) -> tuple[int, int, str]:
        stem = path.stem.lower().replace("-", "").replace("_", "").replace(" ", "")
        cjk = next((i for i, name in enumerate(_CJK_FIRST) if stem.startswith(name)), len(_CJK_FIRST))
        plain = 0 if not any(w in stem for w in ("bold", "black", "heavy", "light", "thin", "italic", "oblique",
                                                     "condensed", "mono", "serif", "extralight", "medium")) else 1
        return (cjk if cjk_first else 0, plain, str(path))
    return sorted(files, key=rank)


@lru_cache(maxsize=256)
def _faces(path: str) -> tuple[FontFace, ...]:
    """Return the faces of a font file (several in a .ttc collection); none when Pillow cannot read it."""
    from PIL import ImageFont

    identity = _identity(path)
    faces = []
    for index in range(64):
        try:
            font = ImageFont.truetype(path, _PROBE_SIZE, index=index, layout_engine=ImageFont.Layout.BASIC)
        except OSError:
            break
        family, style = font.getname()
        faces.append(FontFace(path, index, f"{family} {style}".strip(), identity))
        if not path.lower().endswith((".ttc", ".otc")):
            break
    return tuple(faces)


def _identity(path: str) -> str:
    with open(path, "rb") as file:
        head = file.read(_IDENTITY_BYTES)
    return hashlib.sha256(head + str(os.path.getsize(path)).encode()).hexdigest()[:16]


_COVERAGE: dict[tuple[str, int, str], dict[str, bool]] = {}


def _covered(face: FontFace, characters: Iterable[str]) -> frozenset[str]:
    """Return the characters the face draws as something other than its missing-glyph box."""
    known = _COVERAGE.setdefault((face.path, face.index, face.identity), {})
    for char in characters:
        if char not in known:
            known[char] = _draws(face, char)
    return frozenset(c for c in characters if known[c])


def _draws(face: FontFace, char: str) -> bool:
    font = load_font(face, _PROBE_SIZE)
    missing = _notdef(face)
    mask = font.getmask(char)
    return (mask.size, bytes(mask)) != missing


@lru_cache(maxsize=64)
def _notdef(face: FontFace) -> tuple[tuple[int, int], bytes]:
    """Return how the face draws a character it lacks (U+FFFF is never a character of any font)."""
    mask = load_font(face, _PROBE_SIZE).getmask("\uffff")
    return mask.size, bytes(mask)


@lru_cache(maxsize=24)
def load_font(face: FontFace, size: int):  # -> ImageFont.FreeTypeFont
    """Return the face at `size` px, laid out without Raqm, so the bytes drawn do not depend on it."""
    from PIL import ImageFont

    return ImageFont.truetype(face.path, size, index=face.index, layout_engine=ImageFont.Layout.BASIC)


def _bold_of(face: FontFace) -> FontFace:
    """Return the bold face beside a regular one (NotoSansCJK-Bold.ttc, DejaVuSans-Bold.ttf), or the face itself."""
    path = Path(face.path)
    for name in (path.name.replace("Regular", "Bold"), f"{path.stem}-Bold{path.suffix}", f"{path.stem}Bold{path.suffix}"):
        candidate = path.with_name(name)
        if candidate != path and candidate.is_file():
            faces = _faces(str(candidate))
            same = next((f for f in faces if f.index == face.index), None)
            if same is not None:
                return same
    return face


class MissingFontError(GeneratorError):
    """No font on this machine has every character of a share card."""


INSTALL_HINT = ("install a font that has them (on Debian and Ubuntu: apt-get install fonts-noto-cjk; the workflow "
                "`opensite init` writes installs it for a Chinese site), or name a font file in site.yaml: "
                "share_images: {font: fonts/YourFont.ttf}")


def missing_fonts(previews: Sequence[Preview], chosen: Mapping[str, CardFonts | frozenset[str]]) -> None:
    """Raise one located error per source file whose text no font draws, naming the characters and the cards."""
    by_source: dict[tuple[Path | None, int | None], tuple[set[str], list[str]]] = {}
    for preview in previews:
        found = chosen[preview.path]
        if isinstance(found, frozenset):
            characters, cards = by_source.setdefault((preview.source, preview.line), (set(), []))
            characters |= found
            cards.append(preview.path)
    problems = []
    for (source, line), (characters, cards) in by_source.items():
        shown = "".join(sorted(characters))
        listing = ", ".join(cards[:3]) + (f" and {len(cards) - 3} more" if len(cards) > 3 else "")
        problems.append(Diagnostic(f"no font on this machine has the characters {shown[:40]!r}"
                                   f"{' (and more)' if len(shown) > 40 else ''} of the share image(s) {listing}",
                                   source, line, None, INSTALL_HINT))
    error = MissingFontError.collect(problems)
    if error:
        raise error

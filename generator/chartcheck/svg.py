"""A chart SVG as a reader's eye takes it in: plot areas (clip rectangles), marks with their colours, texts.

Nothing here knows how the chart was drawn: it reads matplotlib's SVG as written (paths, point markers,
texts, clip paths), so the checks compare what a reader sees with the data.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.8
"""Points a mark may sit from where its value belongs (coordinates are written to a tenth of a point)."""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def holds(self, x: float, y: float, slack: float = TOLERANCE) -> bool:
        return self.x - slack <= x <= self.x + self.w + slack and self.y - slack <= y <= self.y + self.h + slack


@dataclass(frozen=True)
class Mark:
    """A path, or a point marker, with its colours, clip and geometry (subpaths of vertices)."""

    fill: str
    stroke: str
    width: float
    clip: Rect | None
    subpaths: tuple[tuple[tuple[float, float], ...], ...]
    point: bool = False
    opacity: float = 1.0


@dataclass(frozen=True)
class Text:
    content: str
    x: float
    y: float
    anchor: str
    size: float


@dataclass(frozen=True)
class Drawing:
    """What an SVG shows: its size, marks (clipped or not), and texts."""

    width: float
    height: float
    marks: tuple[Mark, ...]
    texts: tuple[Text, ...]


def read_svg(data: bytes) -> Drawing:
    """Return the marks and texts of a chart SVG, each with the clip rectangle it is drawn in."""
    root = ET.fromstring(data)
    width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split()[2:])
    clips = {c.get("id"): _rect(c.find(f"{SVG}rect")) for c in root.iter(f"{SVG}clipPath")}
    symbols = {p.get("id"): p.get("d", "") for p in root.iter(f"{SVG}path") if p.get("id")}
    marks: list[Mark] = []
    texts: list[Text] = []
    _walk(root, None, clips, symbols, marks, texts, in_defs=False)
    return Drawing(width, height, tuple(marks), tuple(texts))


def _rect(element: ET.Element | None) -> Rect | None:
    if element is None:
        return None
    return Rect(*(float(element.get(k, "0")) for k in ("x", "y", "width", "height")))


def _walk(element: ET.Element, clip: Rect | None, clips: Mapping[str | None, Rect | None], symbols: Mapping,
          marks: list[Mark], texts: list[Text], in_defs: bool) -> None:
    reference = re.match(r"url\(#([^)]+)\)", element.get("clip-path", ""))
    clip = clips.get(reference.group(1)) if reference else clip
    tag = element.tag.removeprefix(SVG)
    style = _style(element.get("style", ""))
    if tag in ("defs", "clipPath"):
        in_defs = True
    elif tag == "path" and not in_defs and not element.get("id"):
        marks.append(Mark(style.get("fill", "#000000"), style.get("stroke", "none"),
                          float(style.get("stroke-width", "1").removesuffix("px")) if style.get("stroke") else 0.0,
                          clip, _subpaths(element.get("d", "")), opacity=float(style.get("opacity", "1"))))
    elif tag == "use":
        x, y = float(element.get("x", "0")), float(element.get("y", "0"))
        marks.append(Mark(style.get("fill", "#000000"), style.get("stroke", "none"), 1.0, clip, (((x, y),),), True))
    elif tag == "text" and element.text:
        texts.append(_text(element, style))
    for child in element:
        _walk(child, clip, clips, symbols, marks, texts, in_defs)


def _style(text: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in (part.partition(":") for part in text.split(";")) if v.strip()}


def _subpaths(d: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Return the vertices of each subpath (M … L … C … z), curves by their end points."""
    result: list[list[tuple[float, float]]] = []
    for command, numbers in re.findall(r"([MLCQZz])([^MLCQZz]*)", d):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            result.append([])
        if command in "MLCQ" and len(values) >= 2:
            if not result:
                result.append([])
            result[-1].append((values[-2], values[-1]))
    return tuple(tuple(points) for points in result if points)


def _text(element: ET.Element, style: Mapping[str, str]) -> Text:
    moved = re.match(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", element.get("transform", ""))
    x, y = (float(moved.group(1)), float(moved.group(2))) if moved else \
        (float(element.get("x", "0")), float(element.get("y", "0")))
    size = float(style.get("font-size", "11").removesuffix("px"))
    return Text(element.text or "", x, y, style.get("text-anchor", "start"), size)


def legend_colours(drawing: Drawing) -> dict[str, str]:
    """Return {label: colour} of the legend entries: a text with a swatch (an unclipped mark) just left of it."""
    found = {}
    for text in drawing.texts:
        middle = text.y - text.size * 0.37
        swatches = [m for m in drawing.marks if m.clip is None and not m.point and m.subpaths and _beside(m, text, middle)]
        if text.anchor == "start" and swatches:
            swatch = min(swatches, key=lambda m: text.x - max(x for x, _ in m.subpaths[0]))
            found[text.content] = swatch.fill if swatch.fill not in ("none", "") else swatch.stroke
    return found


def _beside(mark: Mark, text: Text, middle: float) -> bool:
    xs = [x for x, _ in mark.subpaths[0]]
    ys = [y for _, y in mark.subpaths[0]]
    return text.x - 30 <= max(xs) <= text.x and min(ys) - 3 <= middle <= max(ys) + 3 and max(ys) - min(ys) < 14



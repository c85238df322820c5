"""The network figure's geometry: where each circle, line, label and legend entry goes.

The figure is inline SVG drawn by ``templates/figure.svg.j2`` from a :class:`Drawing`: matplotlib is
not a dependency, the figure needs only circles, lines and text, and an inline vector figure prints
sharply and keeps the HTML a single file. Placing labels so that they do not overlap is the only
real work, and it is done here, in numbers, so the template only writes elements out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from graph.schema import ROLE_LABELS
from graph.words import role_name, t
from reports.model import Figure, FigureNode
from reports.palette import OTHER_COLOUR, ROLE_COLOURS

__all__ = ["Drawing", "draw", "text_width"]

LABEL_SIZE: Final = 9.0
LEGEND_SIZE: Final = 8.5
ISOLATE_STEP: Final = 9.0


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    colour: str
    dashed: bool


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class LegendEntry:
    x: float
    y: float
    colour: str
    dashed: bool
    text: str


@dataclass(frozen=True)
class Drawing:
    """Everything the SVG template writes, in SVG user units."""

    width: float
    height: float
    pad: float
    lines: tuple[tuple[float, float, float, float], ...]
    circles: tuple[Circle, ...]
    labels: tuple[Label, ...]
    band_top: float | None
    band_caption: str
    isolates: tuple[Circle, ...]
    legend_top: float
    legend: tuple[LegendEntry, ...]
    title: str
    empty: bool


def text_width(text: str, size: float) -> float:
    """Rough rendered width (the server has no font metrics): CJK glyphs are about one em wide, Latin
    ones a little over half. The printed figure and the map's SVG export both place names by it."""
    return sum(size if ord(ch) > 0x2E80 else 0.56 * size for ch in text)


def _colour(node: FigureNode) -> str:
    return ROLE_COLOURS.get(node.role or "", OTHER_COLOUR)


def _legend(nodes: list[FigureNode], lang: str, width: float) -> tuple[tuple[LegendEntry, ...], float]:
    """Legend entries left to right, wrapping; returns them and the height they take."""
    present = [r for r in ROLE_LABELS if any(n.role == r for n in nodes)]
    entries = [(ROLE_COLOURS[r], role_name(r, lang), False) for r in present]
    if any(n.synthetic for n in nodes):
        entries.append(("#ffffff", t("doc.legend.synthetic", lang), True))
    placed: list[LegendEntry] = []
    x = y = 0.0
    for colour, label, dashed in entries:
        w = 24 + text_width(label, LEGEND_SIZE)
        if x and x + w > width - 20:
            x, y = 0.0, y + 14
        placed.append(LegendEntry(x, y, colour, dashed, label))
        x += w
    return tuple(placed), y + 16


def _labels(
    nodes: tuple[FigureNode, ...],
    xy: dict[str, tuple[float, float]],
    radius: dict[str, float],
    lang: str,
    width: float,
    bottom: float,
) -> tuple[Label, ...]:
    """Hub names next to their circles; a name that would overlap one already placed tries the
    other side, above and below, and is left out if all collide (the hubs table names it anyway)."""
    size = LABEL_SIZE
    boxes: list[Box] = []
    out: list[Label] = []
    for n in sorted((n for n in nodes if n.name), key=lambda n: -n.degree):
        assert n.name is not None
        label = n.name[lang]
        label = label if len(label) <= 22 else label[:21] + "…"
        w = text_width(label, size)
        x, y = xy[n.id]
        r = radius[n.id] + 2
        for lx, ly in ((x + r, y - size / 2), (x - r - w, y - size / 2), (x - w / 2, y - r - size), (x - w / 2, y + r)):
            box = (lx - 1, ly - 1, lx + w + 1, ly + size + 1)
            if _fits(box, width, bottom, boxes):
                boxes.append(box)
                out.append(Label(lx, ly + size * 0.85, label))
                break
    return tuple(out)


Box = tuple[float, float, float, float]


def _fits(box: Box, width: float, bottom: float, boxes: list[Box]) -> bool:
    """A label's box lies inside the drawing and overlaps none already placed."""
    inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= bottom
    return inside and all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes)


def draw(figure: Figure, lang: str, *, width: float = 680, height: float = 440, labels: bool = True) -> Drawing:
    """Lay out ``figure`` in a ``width`` × ``height`` box: the tied network on top, a band of untied
    organisations below it, and the legend at the bottom."""
    pad = 12.0
    every = [*figure.nodes, *figure.isolates]
    legend, legend_h = _legend(every, lang, width - 2 * pad)
    per_row = int((width - 2 * pad) // ISOLATE_STEP)
    isolates = figure.isolates
    band_h = (24.0 + ISOLATE_STEP * math.ceil(len(isolates) / per_row)) if isolates else 0.0
    plot_w, plot_h = width - 2 * pad, height - 2 * pad - legend_h - band_h
    max_deg = max((n.degree for n in figure.nodes), default=0) or 1
    xy = {n.id: (pad + n.x * plot_w, pad + (1 - n.y) * plot_h) for n in figure.nodes}
    radius = {n.id: 2.4 + 6.5 * math.sqrt(n.degree / max_deg) for n in figure.nodes}
    lines = tuple((*xy[u], *xy[v]) for u, v in figure.edges if u in xy and v in xy)
    circles = tuple(
        Circle(*xy[n.id], radius[n.id], _colour(n), n.synthetic)
        for n in sorted(figure.nodes, key=lambda n: n.degree)  # hubs last, so on top
    )
    top = pad + plot_h
    band = tuple(
        Circle(
            pad + 4 + (i % per_row) * ISOLATE_STEP, top + 27 + (i // per_row) * ISOLATE_STEP, 3, _colour(n), n.synthetic
        )
        for i, n in enumerate(isolates)
    )
    return Drawing(
        width=width,
        height=height,
        pad=pad,
        lines=lines,
        circles=circles,
        labels=_labels(figure.nodes, xy, radius, lang, width, top) if labels else (),
        band_top=top if isolates else None,
        band_caption=t("doc.figure.isolates", lang, n=len(isolates)),
        isolates=band,
        legend_top=top + band_h + 12,
        legend=legend,
        title=t("doc.sec.figure", lang),
        empty=not every,
    )

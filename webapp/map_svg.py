"""The map's SVG export, drawn on the server from the map's own elements and what the browser shows.

Why on the server: the browser's vector export (cytoscape-svg) comes only in dash-cytoscape's
extra bundle, which made every map visit parse 1.4 MB of JavaScript for a button few press. The
browser now sends only what it alone knows — each drawn node's position in model units, where the
label script placed its name at the fitted view (or that it has none), the on-screen zoom of that
view, and the classes of a selection (faded, focus, path) — as a :class:`MapView`; the server has
the elements (the same cached :func:`webapp.pages.map.map_result`) and writes the figure: title,
subtitle, the graph (edges, node shapes and colours, labels) and the legend, 2,400 px wide.

Node and edge styles are read from the map's one stylesheet (:func:`webapp.elements.base_stylesheet`)
by the element's classes and data, so the export draws what cytoscape draws without a second table
of colours. Words come from :mod:`graph.words` through the export spec.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from graph.exports import ExportError
from graph.words import t
from reports.figure import text_width

__all__ = ["MapView", "NodeView", "draw_map_svg", "element_style", "parse_view"]

WIDTH: Final = 2400
PAD: Final = 48
LEGEND_WIDTH: Final = 520
GRAPH_TOP: Final = 168
FONT: Final = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
#: On-screen font size per label tier and the label script's places, as in ``assets/map.js``.
TIER_PX: Final = (12.0, 12.0, 11.0)
PLACES: Final = (
    ("bottom", "center"),
    ("top", "center"),
    ("center", "right"),
    ("center", "left"),
    ("bottom", "right"),
    ("top", "right"),
    ("bottom", "left"),
    ("top", "left"),
)
#: The browser-side classes a selection sets; the only classes the view may add to an element.
VIEW_CLASSES: Final = frozenset({"faded", "focus", "path"})
#: Unit polygons of cytoscape's node shapes (fitted to the node's box, y downwards).
SHAPES: Final[dict[str, tuple[tuple[float, float], ...]]] = {
    "triangle": ((0, -1), (1, 1), (-1, 1)),
    "diamond": ((0, -1), (1, 0), (0, 1), (-1, 0)),
    "hexagon": ((-0.5, -1), (0.5, -1), (1, 0), (0.5, 1), (-0.5, 1), (-1, 0)),
    "tag": ((-1, -1), (0.5, -1), (1, 0), (0.5, 1), (-1, 1)),
    "rectangle": ((-1, -1), (1, -1), (1, 1), (-1, 1)),
    "star": tuple(
        (
            round(math.cos(-math.pi / 2 + i * math.pi / 5) * (1 if i % 2 == 0 else 0.38), 3),
            round(math.sin(-math.pi / 2 + i * math.pi / 5) * (1 if i % 2 == 0 else 0.38), 3),
        )
        for i in range(10)
    ),
}
_SELECTOR = re.compile(r"^(node|edge)((?:\.[\w-]+)*)(?:\[(\w+)\])?$")
_DATA = re.compile(r"^data\((\w+)\)$")


@dataclass(frozen=True)
class NodeView:
    """One drawn node as the browser shows it: model position, label place (-1: no label), label
    width on screen (px), and the selection's classes."""

    x: float
    y: float
    place: int = -1
    width: float = 150.0
    classes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MapView:
    """What the browser shows at the fitted view: the zoom (screen px per model unit) and each node."""

    zoom: float
    nodes: dict[str, NodeView]
    edges: dict[str, frozenset[str]] = field(default_factory=dict)


def _bad(name: str, lang: str) -> ExportError:
    return ExportError(t("svg.bad_view", lang, field=name))


def _number(value: Any, name: str, lang: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(name, lang)
    return float(value)


def _classes(value: Any, name: str, lang: str) -> frozenset[str]:
    if not isinstance(value, str):
        raise _bad(name, lang)
    return frozenset(value.split()) & VIEW_CLASSES


def _node_view(node: str, row: Any, lang: str) -> NodeView:
    if not isinstance(row, list) or len(row) != 5:
        raise _bad(f"nodes.{node}", lang)
    x, y, place, width = (_number(v, f"nodes.{node}", lang) for v in row[:4])
    if int(place) != place or not -1 <= place < len(PLACES):
        raise _bad(f"nodes.{node}.place", lang)
    return NodeView(x, y, int(place), max(width, 0.0), _classes(row[4], f"nodes.{node}", lang))


def parse_view(raw: Any, lang: str = "ja") -> MapView:
    """The browser's :class:`MapView` from its JSON (``{"zoom", "nodes": {id: [x, y, place, width,
    classes]}, "edges": {id: classes}}``); anything else is an :class:`ExportError` naming the field."""
    if not isinstance(raw, dict) or not isinstance(raw.get("nodes"), dict):
        raise _bad("nodes", lang)
    zoom = _number(raw.get("zoom"), "zoom", lang)
    if zoom <= 0:
        raise _bad("zoom", lang)
    nodes = {str(node): _node_view(str(node), row, lang) for node, row in raw["nodes"].items()}
    edges_raw = raw.get("edges", {})
    if not isinstance(edges_raw, dict):
        raise _bad("edges", lang)
    edges = {str(edge): _classes(value, f"edges.{edge}", lang) for edge, value in edges_raw.items()}
    return MapView(zoom, nodes, edges)


# --- styles from the map's stylesheet -----------------------------------------------------------
def _matches(selector: str, group: str, classes: set[str], data: Mapping[str, Any]) -> bool:
    """Whether a cytoscape selector of the stylesheet's simple forms (``node``, ``edge.a.b``,
    ``node[color]``) selects the element; other forms (``:selected``) never do in a drawing."""
    found = _SELECTOR.match(selector)
    if not found or found.group(1) != group:
        return False
    wanted = {c for c in found.group(2).split(".") if c}
    return wanted <= classes and (found.group(3) is None or data.get(found.group(3)) is not None)


def element_style(
    element: Mapping[str, Any], stylesheet: Sequence[Mapping[str, Any]], extra: Iterable[str] = ()
) -> dict[str, Any]:
    """The element's style as cytoscape computes it: the matching rules in order, ``data(x)`` read
    from the element's data. ``extra`` are classes the browser added (the selection's)."""
    data = element.get("data", {})
    group = "edge" if "source" in data else "node"
    classes = set(str(element.get("classes", "")).split()) | set(extra)
    style: dict[str, Any] = {}
    for rule in stylesheet:
        if _matches(str(rule.get("selector", "")), group, classes, data):
            style.update(rule.get("style", {}))
    for key, value in list(style.items()):
        mapped = _DATA.match(value) if isinstance(value, str) else None
        if mapped:
            style[key] = data.get(mapped.group(1))
    return style


# --- geometry -----------------------------------------------------------------------------------
def fitted(text: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to ``width`` at ``size`` (cytoscape's ``text-wrap: ellipsis``)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _shape(kind: str, x: float, y: float, r: float) -> str:
    """The SVG element's name and geometry for a node shape of radius ``r`` at ``(x, y)``."""
    points = SHAPES.get(kind)
    if points is None:
        return f'circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"'
    joined = " ".join(f"{_num(x + px * r)},{_num(y + py * r)}" for px, py in points)
    return f'polygon points="{joined}"'


def _stroke(style: Mapping[str, Any], scale: float = 1.0) -> str:
    width = float(style.get("border-width") or 0) * scale
    dash = ' stroke-dasharray="4 3"' if style.get("border-style") == "dashed" else ""
    colour = html.escape(str(style.get("border-color") or "#333333"))
    return f' stroke="{colour}" stroke-width="{_num(width)}"{dash}'


@dataclass(frozen=True)
class _Label:
    """A node's name, placed where the browser placed it, in model units."""

    x: float
    y: float
    anchor: str
    text: str
    size: float
    bold: bool


def _label(element: Mapping[str, Any], node: NodeView, radius: float, zoom: float, style: Mapping[str, Any]) -> _Label:
    data = element["data"]
    tier = data.get("tier", 0 if data.get("aggregate") else 2)
    size = TIER_PX[tier if isinstance(tier, int) and 0 <= tier < len(TIER_PX) else 2] / zoom
    text = fitted(str(data.get("short") or data.get("label") or ""), size, node.width / zoom)
    valign, halign = PLACES[node.place]
    gap = 2 / zoom
    x = node.x + {"center": 0.0, "right": radius + gap, "left": -radius - gap}[halign]
    y = node.y + {"bottom": radius + size, "top": -radius - 0.3 * size, "center": 0.35 * size}[valign]
    if halign == "center" or valign == "center":
        anchor = {"center": "middle", "right": "start", "left": "end"}[halign]
    else:
        anchor = "start" if halign == "right" else "end"
    return _Label(x, y, anchor, text, size, style.get("font-weight") == "bold" or "focus" in node.classes)


def _label_box(label: _Label) -> tuple[float, float, float, float]:
    width = text_width(label.text, label.size)
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    return left, label.y - label.size, left + width, label.y + 0.3 * label.size


# --- the drawing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Drawn:
    """The graph's parts in model units: node marks, edge lines, labels, and their bounding box."""

    nodes: list[str]
    edges: list[str]
    labels: list[_Label]
    box: tuple[float, float, float, float]


def _node_parts(
    elements: Sequence[Mapping[str, Any]], view: MapView, stylesheet: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[_Label], list[tuple[float, float, float, float]]]:
    marks, labels, boxes = [], [], []
    for element in elements:
        data = element["data"]
        node = view.nodes.get(str(data.get("id")))
        if "source" in data or node is None:
            continue
        style = element_style(element, stylesheet, node.classes)
        radius = float(style.get("width") or 26) / 2
        fill = html.escape(str(style.get("background-color") or "#7F7F7F"))
        opacity = float(style.get("opacity", 1))
        marks.append(
            f'<{_shape(str(style.get("shape") or "ellipse"), node.x, node.y, radius)} class="node" '
            f'data-id="{html.escape(str(data["id"]))}" fill="{fill}"{_stroke(style)}'
            + (f' opacity="{_num(opacity)}"' if opacity < 1 else "")
            + "/>"
        )
        boxes.append((node.x - radius, node.y - radius, node.x + radius, node.y + radius))
        if node.place >= 0 and (data.get("short") or data.get("label")):
            labels.append(_label(element, node, radius, view.zoom, style))
            boxes.append(_label_box(labels[-1]))
    return marks, labels, boxes


def _edge_parts(
    elements: Sequence[Mapping[str, Any]], view: MapView, stylesheet: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[_Label]]:
    lines, labels = [], []
    for element in elements:
        data = element["data"]
        a, b = view.nodes.get(str(data.get("source"))), view.nodes.get(str(data.get("target")))
        if "source" not in data or a is None or b is None:
            continue
        style = element_style(element, stylesheet, view.edges.get(str(data.get("id")), frozenset()))
        colour = html.escape(str(style.get("line-color") or "#9a9a9a"))
        dash = ' stroke-dasharray="6 4"' if style.get("line-style") == "dashed" else ""
        lines.append(
            f'<line x1="{_num(a.x)}" y1="{_num(a.y)}" x2="{_num(b.x)}" y2="{_num(b.y)}" stroke="{colour}" '
            f'stroke-width="{_num(float(style.get("width") or 1))}" '
            f'stroke-opacity="{_num(float(style.get("opacity", 1)))}"{dash}/>'
        )
        if style.get("label"):
            size = 10 / view.zoom
            text = str(style["label"])
            labels.append(_Label((a.x + b.x) / 2, (a.y + b.y) / 2, "middle", text, size, False))
    return lines, labels


def _drawn(elements: Sequence[Mapping[str, Any]], view: MapView, stylesheet: Sequence[Mapping[str, Any]]) -> _Drawn:
    marks, labels, boxes = _node_parts(elements, view, stylesheet)
    lines, edge_labels = _edge_parts(elements, view, stylesheet)
    if not boxes:
        boxes = [(0.0, 0.0, 1.0, 1.0)]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return _Drawn(marks, lines, edge_labels + labels, box)


def _text(label: _Label) -> str:
    weight = ' font-weight="bold"' if label.bold else ""
    halo = _num(label.size * 0.25)
    return (
        f'<text x="{_num(label.x)}" y="{_num(label.y)}" font-size="{label.size:.2f}" text-anchor="{label.anchor}"'
        f'{weight} stroke="#ffffff" stroke-width="{halo}" stroke-opacity="0.85" paint-order="stroke">'
        f"{html.escape(label.text)}</text>"
    )


def _legend(spec: Mapping[str, Any], x: float) -> list[str]:
    """The legend column: its title, then one shape and one line of words per item."""
    top = GRAPH_TOP + 40  # below the subtitle, which may run across the whole width
    heading = html.escape(str(spec["legendTitle"]))
    out = [f'<text x="{_num(x)}" y="{top}" font-size="34" font-weight="bold">{heading}</text>']
    for i, item in enumerate(spec.get("items", [])):
        y = top + 56 + i * 52
        style = {"border-width": 2, "border-color": "#333333", "border-style": item.get("border", "solid")}
        fill = html.escape(str(item.get("color") or "#ffffff"))
        out.append(
            f'<{_shape(str(item.get("shape") or "ellipse"), x + 16, y - 10, 15)} class="legend-item" '
            f'fill="{fill}"{_stroke(style)}/>'
            f'<text x="{_num(x + 44)}" y="{y}" font-size="30">{html.escape(str(item.get("label", "")))}</text>'
        )
    return out


def draw_map_svg(
    elements: Sequence[Mapping[str, Any]],
    view: MapView,
    spec: Mapping[str, Any],
    stylesheet: Sequence[Mapping[str, Any]],
    lang: str = "ja",
) -> str:
    """The print-ready SVG of the map: title and subtitle above, the graph as the browser shows it
    (every node of ``view`` that ``elements`` holds, one mark each), the legend beside it."""
    drawn = _drawn(elements, view, stylesheet)
    x1, y1, x2, y2 = drawn.box
    graph_width = WIDTH - 2 * PAD - LEGEND_WIDTH
    scale = graph_width / max(x2 - x1, 1.0)
    height = GRAPH_TOP + max((y2 - y1) * scale, 56 + 52 * (len(spec.get("items", [])) + 1)) + PAD
    title = html.escape(str(spec["title"]))
    subtitle = str(spec.get("subtitle", ""))
    # a long subtitle (English, many filters) is set smaller rather than cut at the page's edge
    subtitle_size = min(30.0, 30.0 * (WIDTH - 2 * PAD) / max(text_width(subtitle, 30.0), 1.0))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{round(height)}" '
        f'viewBox="0 0 {WIDTH} {round(height)}" font-family="{FONT}" fill="#1a1a1a" role="img" '
        f'aria-label="{html.escape(t("svg.label", lang, title=spec["title"]))}">'
    )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            head,
            f"<title>{title}</title>",
            '<rect width="100%" height="100%" fill="#ffffff"/>',
            f'<text x="{PAD}" y="104" font-size="56" font-weight="bold" class="title">{title}</text>',
            f'<text x="{PAD}" y="152" font-size="{subtitle_size:.1f}" fill="#555555" class="subtitle">'
            f"{html.escape(subtitle)}</text>",
            f'<g class="graph" transform="translate({PAD} {GRAPH_TOP}) scale({scale:.5f}) '
            f'translate({_num(-x1)} {_num(-y1)})">',
            '<g class="edges">',
            *drawn.edges,
            '</g><g class="nodes">',
            *drawn.nodes,
            '</g><g class="labels">',
            *(_text(label) for label in drawn.labels),
            "</g></g>",
            '<g class="legend">',
            *_legend(spec, WIDTH - LEGEND_WIDTH),
            "</g>",
            "</svg>",
        ]
    )

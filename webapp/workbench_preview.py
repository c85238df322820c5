"""The upload preview's map: the touched region(s) as they would be after the commit, additions marked.

Why: a table of 10^4 rows does not show where the new records land in the network. The preview
applies the draft's records to a copy of the organisations around them (nothing is written),
draws them with the map's own elements (:func:`webapp.elements.graph_elements`) and layout
(:func:`webapp.layout.spring_positions`), and marks each added organisation or tie with the class
``wb-added`` and each changed one with ``wb-changed``. Only the regions the upload touches are drawn,
and at most :data:`PREVIEW_NODES` organisations (the touched ones first); the caption says when
more were left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import dash_cytoscape as cyto
import networkx as nx
from dash import html

from graph.changes import ChangeDraft, RecordChange
from graph.scope import organisation_regions, region_id, region_subgraph
from graph.words import t
from webapp.elements import base_stylesheet, graph_elements
from webapp.layout import spring_positions

__all__ = ["PREVIEW_NODES", "PreviewMap", "preview_graph", "preview_map"]

#: Organisations drawn at most: past a few hundred a small map is a hairball (the caption says so).
PREVIEW_NODES: Final = 150
MARKS: Final = {"added": "wb-added", "changed": "wb-changed"}


@dataclass(frozen=True)
class PreviewMap:
    """The organisations to draw, each touched record's mark, the regions drawn, and what was left out."""

    graph: nx.MultiDiGraph
    marks: dict[str, str]
    regions: tuple[str, ...]
    total: int


def _apply(graph: nx.MultiDiGraph, changes: Iterable[RecordChange]) -> dict[str, str]:
    """Write the draft's records into ``graph`` (a copy); the mark of each node id and edge element id."""
    marks: dict[str, str] = {}
    for change in changes:
        ref, after, mark = change.ref, change.after, MARKS.get(change.action)
        if after is None or mark is None:
            continue
        if ref.kind == "node":
            graph.add_node(ref.id, **{**graph.nodes.get(ref.id, {}), **after.props, "labels": list(after.labels)})
            marks[ref.id] = mark
        else:
            graph.add_edge(
                ref.id,
                ref.target,
                key=ref.key or f"{ref.type}|{ref.id}|{ref.target}",
                **{**after.props, "type": ref.type},
            )
            marks.setdefault(f"{ref.id}|{ref.type}|{ref.target}", mark)
    return marks


def _touched_regions(graph: nx.MultiDiGraph, marks: dict[str, str]) -> tuple[str, ...]:
    ends = {part for key in marks for part in (key.split("|")[::2] if "|" in key else [key])}
    return tuple(sorted({r for n in ends if n in graph for r in organisation_regions(graph, n)}))


def _organisations(view: nx.MultiDiGraph) -> list[str]:
    return [n for n, labels in view.nodes(data="labels") if "Organization" in (labels or ())]


def preview_graph(graph: nx.MultiDiGraph, draft: ChangeDraft, *, limit: int = PREVIEW_NODES) -> PreviewMap:
    """The touched regions after ``draft``, organisations only, capped at ``limit`` (touched ones first)."""
    after = graph.copy()
    marks = _apply(after, draft.effective())
    regions = _touched_regions(after, marks)
    views = [region_subgraph(after, r) for r in regions]
    orgs = sorted({n for view in views for n in _organisations(view)})
    degree = {n: after.degree(n) for n in orgs}
    ordered = sorted(orgs, key=lambda n: (n not in marks, -degree[n], n))
    kept = ordered[:limit]
    drawn = nx.MultiDiGraph(after.subgraph(kept))
    for view in views:  # in_region as the region's view says (context bodies drawn pale, as on the map)
        for n in kept:
            if n in view and view.nodes[n].get("in_region"):
                drawn.nodes[n]["in_region"] = True
    return PreviewMap(drawn, marks, regions, len(orgs))


def _region_name(graph: nx.MultiDiGraph, key: str, lang: str) -> str:
    attrs = graph.nodes.get(region_id(key), {})
    return str((attrs.get("name_en") if lang == "en" else None) or attrs.get("name") or key)


def _marked(elements: list[dict[str, Any]], marks: dict[str, str]) -> list[dict[str, Any]]:
    for element in elements:
        mark = marks.get(str(element["data"]["id"]))
        if mark:
            element["classes"] = f"{element.get('classes', '')} {mark}".strip()
    return elements


def _stylesheet() -> list[dict[str, Any]]:
    return [
        *base_stylesheet(),
        {"selector": "node.wb-added", "style": {"border-width": 5, "border-color": "#1B9E77"}},
        {"selector": "edge.wb-added", "style": {"line-color": "#1B9E77", "target-arrow-color": "#1B9E77", "width": 5}},
        {
            "selector": "node.wb-changed",
            "style": {"border-width": 4, "border-style": "dashed", "border-color": "#D95F02"},
        },
        {"selector": "edge.wb-changed", "style": {"line-color": "#D95F02", "line-style": "dashed", "width": 4}},
    ]


def _legend(lang: str) -> html.Ul:
    return html.Ul(
        [
            html.Li(t("wb.map.added", lang), className="wb-legend-added", style={"color": "#1B9E77"}),
            html.Li(t("wb.map.changed", lang), className="wb-legend-changed", style={"color": "#D95F02"}),
        ],
        className="wb-map-legend",
    )


def preview_map(graph: nx.MultiDiGraph, draft: ChangeDraft, lang: str) -> html.Div | str:
    """The map beside the preview table: caption, legend and a small cytoscape view (none if nothing is drawn)."""
    shown = preview_graph(graph, draft)
    if shown.graph.number_of_nodes() == 0:
        return ""
    elements = _marked(graph_elements(shown.graph, lang), shown.marks)
    positions = spring_positions(shown.graph)
    for element in elements:
        if "source" not in element["data"]:
            x, y = positions[element["data"]["id"]]
            element["position"] = {"x": x, "y": y}
    regions = ", ".join(_region_name(graph, r, lang) for r in shown.regions)
    drawn = shown.graph.number_of_nodes()
    caption = t("wb.map.title", lang, regions=regions)
    if drawn < shown.total:
        caption += " " + t("wb.map.capped", lang, shown=drawn, total=shown.total)
    return html.Div(
        [
            html.P(caption, id="wb-map-caption"),
            _legend(lang),
            cyto.Cytoscape(
                id="wb-preview-map",
                elements=elements,
                layout={"name": "preset", "fit": True},
                stylesheet=_stylesheet(),
                style={"width": "100%", "height": "420px", "border": "1px solid #ccc"},
            ),
        ],
        className="wb-preview-map",
    )

"""The map's SVG export drawn on the server (webapp.map_svg) from a tiny graph with known answers.

Two organisations and a region: the firm's name holds XML's special characters, the tie is a
SUPPORTS line, the browser has placed the firm's name under it and none for the others. The
drawing must be well-formed XML with one mark per drawn node at the browser's positions, the
stylesheet's colours and shapes, the escaped names, the title, the subtitle and the legend; a view
that is not what the browser sends is an export error naming the field.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.exports import ExportError
from reports.palette import KIND_COLOURS
from webapp.elements import base_stylesheet, graph_elements
from webapp.map_svg import MapView, NodeView, draw_map_svg, element_style, fitted, parse_view

SVG = "{http://www.w3.org/2000/svg}"
SPEC = {
    "title": "神戸市の知財エコシステム <test>",
    "subtitle": "3 nodes & 2 ties",
    "legendTitle": "凡例",
    "items": [
        {"color": KIND_COLOURS["Company"], "label": "企業", "shape": "ellipse"},
        {"color": "#ffffff", "label": "破線 = 合成データ", "shape": "ellipse", "border": "dashed"},
    ],
    "filename": "ipeco-kobe",
}


def tiny_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("org:a", labels=["Organization", "Company"], name="A&B <製作所>")
    g.add_node("org:s", labels=["Organization", "SupportOrganization"], name="支援センター", synthetic=True)
    g.add_node("region:kobe", labels=["Region"], name="神戸市")
    g.add_edge("org:s", "org:a", key="SUPPORTS|1", type="SUPPORTS")
    g.add_edge("org:a", "region:kobe", key="LOCATED_IN|1", type="LOCATED_IN")
    return g


def elements() -> list[dict[str, Any]]:
    return graph_elements(tiny_graph(), "ja")


VIEW = MapView(
    zoom=1.0,
    nodes={
        "org:a": NodeView(0.0, 0.0, place=0, width=150.0),
        "org:s": NodeView(100.0, 0.0),
        "region:kobe": NodeView(50.0, 80.0),
    },
)


def drawn(view: MapView = VIEW) -> tuple[str, ET.Element]:
    text = draw_map_svg(elements(), view, SPEC, base_stylesheet(), "ja")
    return text, ET.fromstring(text.encode("utf-8"))  # well-formed, or this raises


def marks(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("data-id", ""): e for e in root.iter() if e.get("class") == "node"}


def test_one_mark_per_drawn_node_at_the_browsers_positions() -> None:
    _, root = drawn()
    nodes = marks(root)
    assert set(nodes) == {"org:a", "org:s", "region:kobe"}
    firm = nodes["org:a"]
    assert firm.tag == f"{SVG}circle"
    size = element_style(elements()[0], base_stylesheet())["width"]
    assert (firm.get("cx"), firm.get("cy"), float(firm.get("r", 0))) == ("0", "0", size / 2)
    assert firm.get("fill") == KIND_COLOURS["Company"]
    # the region is a star (a polygon around its position), the support body is dashed (synthetic)
    assert nodes["region:kobe"].tag == f"{SVG}polygon"
    assert nodes["org:s"].get("stroke-dasharray")
    assert nodes["org:s"].get("fill") == KIND_COLOURS["SupportOrganization"]


def test_ties_are_lines_between_the_positions_in_the_ties_colour() -> None:
    _, root = drawn()
    lines = [e for e in root.iter(f"{SVG}line")]
    supports = [e for e in lines if (e.get("x1"), e.get("x2")) == ("100", "0")]
    assert len(lines) == 2 and len(supports) == 1
    assert supports[0].get("stroke") == "#0072B2"  # edge.SUPPORTS in the map's stylesheet
    assert supports[0].get("stroke-dasharray") is None


def test_names_are_escaped_and_only_the_placed_ones_drawn() -> None:
    text, root = drawn()
    labels = [e.text for e in root.iter(f"{SVG}text") if e.get("text-anchor")]
    assert labels == ["A&B <製作所>"]
    assert "A&amp;B &lt;製作所&gt;" in text
    assert "<製作所>" not in text and "<test>" not in text


def test_title_subtitle_and_legend() -> None:
    _, root = drawn()
    texts = {e.get("class"): e.text for e in root.iter(f"{SVG}text") if e.get("class")}
    assert texts == {"title": SPEC["title"], "subtitle": SPEC["subtitle"]}
    legend = next(e for e in root.iter(f"{SVG}g") if e.get("class") == "legend")
    words = [e.text for e in legend.iter(f"{SVG}text")]
    assert words == ["凡例", "企業", "破線 = 合成データ"]
    swatches = [e for e in legend.iter() if e.get("class") == "legend-item"]
    assert len(swatches) == 2 and swatches[1].get("stroke-dasharray")
    assert root.get("width") == "2400"


def test_the_selection_is_drawn_faded_and_focused() -> None:
    faded = MapView(1.0, {**VIEW.nodes, "org:s": NodeView(100.0, 0.0, classes=frozenset({"faded"}))})
    nodes = marks(drawn(faded)[1])
    assert nodes["org:s"].get("opacity") == "0.2"  # node.faded: 0.18
    assert nodes["org:a"].get("opacity") is None


def test_a_node_the_browser_does_not_show_is_not_drawn() -> None:
    only = MapView(1.0, {"org:a": VIEW.nodes["org:a"]})
    _, root = drawn(only)
    assert set(marks(root)) == {"org:a"}
    assert list(root.iter(f"{SVG}line")) == []


def test_long_names_are_cut_with_an_ellipsis() -> None:
    assert fitted("支援センター", 12, 100) == "支援センター"
    assert fitted("公益財団法人ひょうご産業活性化センター", 12, 60) == "公益財団…"
    assert fitted("Hyogo", 10, 0) == "…"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (None, "nodes"),
        ({"zoom": 1, "nodes": []}, "nodes"),
        ({"zoom": 0, "nodes": {}}, "zoom"),
        ({"zoom": "1", "nodes": {}}, "zoom"),
        ({"zoom": 1, "nodes": {"a": [0, 0, 0, 150]}}, "nodes.a"),
        ({"zoom": 1, "nodes": {"a": [0, "y", 0, 150, ""]}}, "nodes.a"),
        ({"zoom": 1, "nodes": {"a": [0, 0, 9, 150, ""]}}, "nodes.a.place"),
        ({"zoom": 1, "nodes": {"a": [0, 0, 0, 150, 3]}}, "nodes.a"),
        ({"zoom": 1, "nodes": {}, "edges": []}, "edges"),
    ],
)
def test_a_view_that_is_not_the_browsers_is_an_error_naming_the_field(raw: Any, field: str) -> None:
    with pytest.raises(ExportError, match=f"\\({field}\\)"):
        parse_view(raw, "en")


def test_the_browsers_view_is_read_with_its_selection_classes_only() -> None:
    view = parse_view({"zoom": 0.5, "nodes": {"a": [1, 2.5, 3, 84, "faded hacked"]}, "edges": {"e": "path"}})
    assert view == MapView(0.5, {"a": NodeView(1.0, 2.5, 3, 84.0, frozenset({"faded"}))}, {"e": frozenset({"path"})})


_json = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(raw=st.dictionaries(st.sampled_from(["zoom", "nodes", "edges"]), _json))
def test_any_json_is_a_view_or_an_export_error(raw: dict[str, Any]) -> None:
    with contextlib.suppress(ExportError):
        parse_view(raw)


_coordinate = st.floats(min_value=-1e5, max_value=1e5, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    points=st.lists(st.tuples(_coordinate, _coordinate, st.integers(-1, 7)), min_size=3, max_size=3),
    zoom=st.floats(min_value=0.01, max_value=10),
)
def test_any_positions_draw_well_formed_svg_with_every_node(
    points: list[tuple[float, float, int]], zoom: float
) -> None:
    view = MapView(
        zoom, {n: NodeView(x, y, place) for n, (x, y, place) in zip(sorted(VIEW.nodes), points, strict=True)}
    )
    _, root = drawn(view)
    assert set(marks(root)) == set(VIEW.nodes)

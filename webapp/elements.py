"""From a region's graph to what dash-cytoscape draws: filters, styling, aggregation, positions.

All of it is plain functions over NetworkX graphs and :class:`webapp.state.MapState`, so the map
callback is a thin shell around :func:`build_map` and its logic is tested without a browser.

Two budgets shape the output. The browser never receives more than :data:`MAX_ELEMENTS` nodes
plus edges: above that the view is aggregated into one node per role or community (drill-down by
clicking a group), and a group that is itself too large shows its best-connected members. And
any view whose positions the server computes (aggregates, concentric, preset) uses cytoscape's
``preset`` layout, so the browser does no layout work on large graphs.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from analytics.layout import spring_positions as network_layout
from graph.schema import ROLE_LABELS
from graph.words import fiscal_year, ip_kind_name, label_for_kind, t
from reports.palette import KIND_COLOURS, OKABE_ITO
from webapp.data import display_name, node_kind, org_tie_graph
from webapp.layout import Point, label_ranks, positions_for
from webapp.state import MapState

__all__ = [
    "KIND_COLOURS",
    "MAX_ELEMENTS",
    "OKABE_ITO",
    "MapResult",
    "base_stylesheet",
    "build_map",
    "filter_options",
    "filter_view",
    "map_stylesheet",
    "merge_graphs",
]

#: Hard cap on nodes + edges sent to the browser (issue 5: cytoscape stays fluid below it).
MAX_ELEMENTS = 2000

KIND_SHAPES: dict[str, str] = {
    "Region": "star",
    "Programme": "diamond",
    "Network": "hexagon",
    "TechField": "triangle",
    "IPRight": "tag",
}
KIND_SIZES: dict[str, int] = {
    "Region": 56,
    "SupportOrganization": 34,
    "GovernmentBody": 34,
    "Programme": 30,
    "IPRight": 16,
}
KINDS: tuple[str, ...] = (*ROLE_LABELS, "Region", "Programme", "Network", "TechField", "IPRight")

#: Sequential, colour-blind-safe bins (viridis) for colouring by a measure, low → high.
SEQUENTIAL = ("#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725")
MIN_SIZE, MAX_SIZE = 18, 60


@dataclass
class MapResult:
    """What the map callback sends: elements, the cytoscape layout, a legend and a notice."""

    elements: list[dict[str, Any]]
    layout: dict[str, Any]
    legend: list[dict[str, str]]
    notice: str
    aggregated: bool = False
    truncated: bool = False
    total_elements: int = 0
    node_ids: list[str] = field(default_factory=list)


# --- filtering ----------------------------------------------------------------------------------
def _year_matches(data: Mapping[str, Any], years: set[int]) -> bool:
    """A tie matches when its fiscal year, or its since–until span, meets one of ``years``."""
    if data.get("fiscal_year") is not None:
        return int(data["fiscal_year"]) in years
    since, until = data.get("since"), data.get("until")
    if since is None and until is None:
        return True
    low, high = int(since or -(10**6)), int(until or 10**6)
    return any(low <= y <= high for y in years)


#: Ties that only say "seated in / serving this region": in a region's own map every organisation
#: has one, so drawing them adds a hub with hundreds of spokes that swamps the force layout.
PLACING_TIES = frozenset({"LOCATED_IN", "SERVES"})


def without_region_spokes(view: nx.MultiDiGraph, ties: set[str]) -> nx.MultiDiGraph:
    """``view`` without the placing ties to its own Region node, unless those ties are asked for.

    The Region node itself stays as the anchor (and legend entry) of the picture.
    """
    region = view.graph.get("region")
    if region not in view or PLACING_TIES & ties:
        return view
    return nx.subgraph_view(view, filter_edge=lambda u, v, k: v != region or k.split("|")[0] not in PLACING_TIES)


@dataclass(frozen=True)
class _Filters:
    """The state's filter choices as sets, with the node and tie tests ``filter_view`` applies.

    Built once per call so the per-node and per-tie tests do not rebuild sets.
    """

    data: str
    roles: set[str]
    phases: set[str]
    programmes: set[str]
    years: set[int]
    ties: set[str]

    @classmethod
    def of(cls, state: MapState) -> _Filters:
        return cls(
            data=state.data,
            roles=set(state.roles),
            phases=set(state.phases),
            programmes=set(state.programmes),
            years={int(y) for y in state.years if str(y).isdigit()},
            ties=set(state.ties),
        )

    def node_ok(self, attrs: Mapping[str, Any]) -> bool:
        if self.data == "real" and attrs.get("synthetic"):
            return False
        kind = node_kind(attrs)
        if self.roles and kind not in self.roles and kind != "Region":
            return False
        if kind == "Programme":
            if self.phases and not self.phases & set(attrs.get("phases") or []):
                return False
            if self.programmes and attrs.get("id") not in self.programmes:
                return False
        return True

    def edge_ok(self, data: Mapping[str, Any]) -> bool:
        if self.data == "real" and data.get("synthetic"):
            return False
        if self.data == "synthetic" and not data.get("synthetic"):
            return False
        if self.ties and data.get("type") not in self.ties:
            return False
        if self.phases and data.get("phase") and data["phase"] not in self.phases:
            return False
        if self.programmes and data.get("type") == "SUPPORTS" and data.get("programme") not in self.programmes:
            return False
        return not (self.years and not _year_matches(data, self.years))

    @property
    def active(self) -> bool:
        """Whether any filter is set (else the view is drawn as it is)."""
        return bool(self.roles or self.phases or self.programmes or self.years or self.ties or self.data != "all")

    @property
    def on_ties(self) -> bool:
        """Whether the filters select ties (then a node stays only while a kept tie reaches it)."""
        return bool(self.ties or self.phases or self.programmes or self.years or self.data == "synthetic")

    def shows(self, node: str, attrs: Mapping[str, Any], touched: set[str]) -> bool:
        """Whether a node that passed :meth:`node_ok` is drawn, given the nodes kept ties reach."""
        if node in touched:
            return True
        if node_kind(attrs) == "Region":
            return self.data != "synthetic" or bool(attrs.get("synthetic"))
        in_region = attrs.get("in_region", True)
        return in_region and not self.on_ties and (self.data != "synthetic" or bool(attrs.get("synthetic")))


def without_rights(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``view`` without its ``IPRight`` nodes (the map's 知財 layer off); ``view`` itself when it has none."""
    rights = [n for n, d in view.nodes(data=True) if "IPRight" in d.get("labels", ())]
    if not rights:
        return view
    out = view.copy()
    out.remove_nodes_from(rights)
    return out


def filter_view(view: nx.MultiDiGraph, state: MapState) -> nx.MultiDiGraph:
    """The part of ``view`` that passes the state's filters.

    Ties carrying a phase / programme / fiscal year are kept only when they match; ties without
    that attribute are not dated or phased and stay. Nodes outside the region (context nodes) are
    shown only while a remaining tie reaches them, so filtering ties also tidies the picture.
    """
    f = _Filters.of(state)
    view = without_region_spokes(view, f.ties)
    if not state.ip:
        view = without_rights(view)
    if not f.active:
        return view  # nothing to filter: skip copying a graph that may hold 50,000 organisations
    kept = {n for n, d in view.nodes(data=True) if f.node_ok({**d, "id": n})}
    edges = _kept_edges(view, kept, f)
    touched = {u for u, *_ in edges} | {v for _, v, *_ in edges}
    out = nx.MultiDiGraph()
    out.graph.update(view.graph)
    out.add_nodes_from((node, view.nodes[node]) for node in kept if f.shows(node, view.nodes[node], touched))
    out.add_edges_from((u, v, k, d) for u, v, k, d in edges if u in out and v in out)
    return out


def _kept_edges(view: nx.MultiDiGraph, kept: set[str], f: _Filters) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The ties between kept nodes that pass the tie filters, as ``(u, v, key, data)``."""
    between = [(u, v, k, d) for u, v, k, d in view.edges(keys=True, data=True) if u in kept and v in kept]
    return [edge for edge in between if f.edge_ok(edge[3])]


def merge_graphs(base: nx.MultiDiGraph, extras: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """``base`` plus the nodes and ties of ``extras`` (expanded neighbourhoods), as context nodes."""
    out = base.copy()
    for extra in extras:
        for node, attrs in extra.nodes(data=True):
            if node not in out:
                out.add_node(node, **attrs, in_region=False)
        for u, v, k, d in extra.edges(keys=True, data=True):
            if not out.has_edge(u, v, k):
                out.add_edge(u, v, key=k, **d)
    return out


def filter_options(view: nx.MultiDiGraph, lang: str) -> dict[str, list[dict[str, str]]]:
    """Choices for the filter menus, taken from what the region actually contains."""
    kinds = Counter(node_kind(d) for _, d in view.nodes(data=True))
    programmes = sorted(
        ((n, display_name(d, lang, n)) for n, d in view.nodes(data=True) if node_kind(d) == "Programme"),
        key=lambda p: p[1],
    )
    years: set[int] = set()
    types: Counter[str] = Counter()
    for _, _, d in view.edges(data=True):
        types[d.get("type", "")] += 1
        if d.get("fiscal_year") is not None:
            years.add(int(d["fiscal_year"]))
    return {
        "roles": [{"label": f"{label_for_kind(k, lang)} ({kinds[k]})", "value": k} for k in KINDS if kinds[k]],
        "programmes": [{"label": name, "value": node} for node, name in programmes],
        "years": [{"label": fiscal_year(y, lang), "value": str(y)} for y in sorted(years)],
        "ties": [{"label": t(f"tie.{k}", lang), "value": k} for k in sorted(types) if k],
    }


# --- measures, colours, sizes -------------------------------------------------------------------
def _scale(values: Mapping[str, float]) -> dict[str, float]:
    """Min–max to 0..1 (all equal → 0.5), so any measure maps onto the same size and colour range."""
    clean = {k: float(v) for k, v in values.items() if isinstance(v, int | float) and math.isfinite(v)}
    if not clean:
        return {}
    low, high = min(clean.values()), max(clean.values())
    if high == low:
        return dict.fromkeys(clean, 0.5)
    return {k: (v - low) / (high - low) for k, v in clean.items()}


def _measure(graph: nx.MultiDiGraph, measures: Mapping[str, Mapping[str, Any]], name: str) -> dict[str, float]:
    """``name`` of each drawn node that has it: the analysis service's numbers, never recomputed here.

    Only the region's organisations have measures; context nodes keep their kind's size.
    """
    return {n: measures[n][name] for n in graph if n in measures and measures[n].get(name) is not None}


#: Measures copied into a node element's data (the map's own record of the numbers it shows).
ELEMENT_MEASURES = ("degree", "betweenness", "community")


def _community_of(measures: Mapping[str, Mapping[str, Any]], node: str) -> int | None:
    value = measures.get(node, {}).get("community")
    return int(value) if isinstance(value, int | float) else None


# --- elements -----------------------------------------------------------------------------------
#: Legal-form words that open many Japanese names and carry no meaning on a map label (the detail
#: panel keeps the full name): 公益財団法人ひょうご産業活性化センター → ひょうご産業活性化センター.
LEGAL_FORMS = re.compile(
    r"^(?:公益|一般)?(?:財団|社団)法人|^(?:独立行政|国立研究開発|地方独立行政|国立大学|公立大学|学校|社会福祉|特定非営利活動|NPO)法人"
    r"|^株式会社|^有限会社|^合同会社|株式会社$|（株）|\(株\)"
)


def short_label(name: str) -> str:
    """``name`` without its legal form, for the map's label (never empty)."""
    short = LEGAL_FORMS.sub("", name).strip(" 　")
    return short or name


def _node_element(node: str, attrs: Mapping[str, Any], lang: str, ip_mark: str = "") -> dict[str, Any]:
    kind = node_kind(attrs)
    label = display_name(attrs, lang, node)
    synthetic = bool(attrs.get("synthetic"))
    if synthetic:
        label += f" [{t('badge.synthetic', lang)}]"
    if kind == "IPRight":  # a right's label says what it is (特許, 地域団体商標, GI, ...) unless its name does
        what = ip_kind_name(str(attrs.get("kind") or ""), lang)
        label = label if label.startswith(what) else t("form.labelled", lang, label=what, text=label)
    classes = [kind, *([f"ip-{ip_mark}"] if ip_mark else [])]
    if synthetic:
        classes.append("synthetic")
    if not attrs.get("in_region", True):
        classes.append("context")
    # colour, shape and size come from the kind's class in the stylesheet (:func:`base_stylesheet`);
    # the element carries only what the browser reads (the label script, a tap, the tests' selectors)
    data: dict[str, Any] = {"id": node, "label": label, "kind": kind}
    short = short_label(label)
    if short != label:
        data["short"] = short
    return {"data": data, "classes": " ".join(classes)}


def _edge_elements(graph: nx.MultiDiGraph, lang: str) -> list[dict[str, Any]]:
    """One edge per (source, target, type): repeated engagements become one thicker line."""
    grouped: dict[tuple[str, str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for u, v, d in graph.edges(data=True):
        grouped[(u, v, d.get("type", ""))].append(d)
    out = []
    for (u, v, rel), items in grouped.items():
        synthetic = all(d.get("synthetic") for d in items)
        # the tie's type is its class (colour in the stylesheet); a repeated tie is drawn thicker
        data: dict[str, Any] = {"id": f"{u}|{rel}|{v}", "source": u, "target": v}
        if len(items) > 1:
            data["width"] = 1.5 + min(len(items), 6) * 0.75
        out.append({"data": data, "classes": f"{rel}{' synthetic' if synthetic else ''}"})
    return out


def graph_elements(graph: nx.MultiDiGraph, lang: str) -> list[dict[str, Any]]:
    """The map's own node and edge elements of ``graph``, unstyled by measures (for small side views)."""
    nodes = [_node_element(str(n), attrs, lang) for n, attrs in graph.nodes(data=True)]
    return nodes + _edge_elements(graph, lang)


def _element_count(graph: nx.MultiDiGraph) -> int:
    return graph.number_of_nodes() + len({(u, v, d.get("type")) for u, v, d in graph.edges(data=True)})


def _group_key(node: str, attrs: Mapping[str, Any], by: str, measures: Mapping[str, Mapping[str, Any]]) -> str:
    if by == "community":
        community = _community_of(measures, node)
        if community is not None:
            return f"c{community}"
    return node_kind(attrs)


def _group_label(key: str, lang: str) -> str:
    if key.startswith("c") and key[1:].isdigit():
        return f"{t('measure.community', lang)} {key[1:]}"
    return label_for_kind(key, lang)


def _scaled_positions(graph: nx.Graph, *, weight: str | None = None, seed: int = 7) -> dict[str, dict[str, float]]:
    """Spring-layout positions in pixels, spread in proportion to √n so larger graphs look larger."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph)): {"x": 0.0, "y": 0.0}}
    pos = network_layout(graph, seed=seed, weight=weight)
    spread = 120 * math.sqrt(graph.number_of_nodes())
    return {str(n): {"x": round(float(x) * spread, 1), "y": round(float(y) * spread, 1)} for n, (x, y) in pos.items()}


def _cap(graph: nx.MultiDiGraph, limit: int) -> nx.MultiDiGraph:
    """The best-connected nodes whose nodes + distinct ties fit in ``limit`` elements."""
    simple = org_tie_graph(graph)
    order = sorted(graph, key=lambda n: (-simple.degree(n), n))
    chosen: set[str] = set()
    used = 0
    for node in order:
        cost = 1 + sum(1 for other in simple[node] if other in chosen)
        if used + cost > limit:
            continue
        chosen.add(node)
        used += cost
        if used >= limit:
            break
    sub = graph.subgraph(chosen).copy()
    while _element_count(sub) > limit:  # parallel typed ties may exceed the simple-graph estimate
        sub.remove_node(min(sub, key=lambda n: (sub.degree(n), n)))
    return sub


def _style_nodes(
    elements: list[dict[str, Any]],
    graph: nx.MultiDiGraph,
    state: MapState,
    measures: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> list[dict[str, str]]:
    """Set ``size`` and ``color`` on node elements per the state; return the legend entries."""
    nodes = [e for e in elements if "source" not in e["data"]]
    for e in nodes:
        mine = measures.get(e["data"]["id"]) or {}
        e["data"].update({k: mine[k] for k in ELEMENT_MEASURES if mine.get(k) is not None})
    _size_nodes(nodes, graph, state, measures)
    if state.color == "role":
        return _role_legend(nodes, lang)
    if state.color == "community":
        return _colour_by_community(nodes, measures, lang)
    return _colour_by_measure(nodes, _measure(graph, measures, state.color), lang)


def _size_nodes(
    nodes: list[dict[str, Any]], graph: nx.MultiDiGraph, state: MapState, measures: Mapping[str, Mapping[str, Any]]
) -> None:
    if state.size == "uniform":
        for e in nodes:
            e["data"]["size"] = 26
    if state.size in ("role", "uniform"):
        return
    scaled = _scale(_measure(graph, measures, state.size))
    for e in nodes:
        if e["data"]["kind"] != "Region" and e["data"]["id"] in scaled:
            e["data"]["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * scaled[e["data"]["id"]], 1)


def _role_legend(nodes: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    present = {e["data"]["kind"] for e in nodes}
    return [
        {"color": KIND_COLOURS[k], "label": label_for_kind(k, lang), "shape": KIND_SHAPES.get(k, "ellipse")}
        for k in KINDS
        if k in present
    ]


def _colour_by_community(
    nodes: list[dict[str, Any]], measures: Mapping[str, Mapping[str, Any]], lang: str
) -> list[dict[str, str]]:
    seen: set[int] = set()
    for e in nodes:
        community = _community_of(measures, e["data"]["id"])
        if community is not None:
            e["data"]["color"] = OKABE_ITO[community % len(OKABE_ITO)]
            seen.add(community % len(OKABE_ITO))
    return [
        {
            "color": OKABE_ITO[c],
            "label": f"{t('measure.community', lang)} {c}" + ("+" if c == len(OKABE_ITO) - 1 else ""),
            "shape": "ellipse",
        }
        for c in sorted(seen)
    ]


def _colour_by_measure(nodes: list[dict[str, Any]], values: Mapping[str, float], lang: str) -> list[dict[str, str]]:
    scaled = _scale(values)
    for e in nodes:
        if e["data"]["id"] in scaled:
            e["data"]["color"] = SEQUENTIAL[min(int(scaled[e["data"]["id"]] * len(SEQUENTIAL)), len(SEQUENTIAL) - 1)]
    if not values:
        return []
    low, high = min(values.values()), max(values.values())
    return [
        {"color": SEQUENTIAL[0], "label": f"{t('legend.low', lang)} {low:.3g}", "shape": "ellipse"},
        {"color": SEQUENTIAL[-1], "label": f"{t('legend.high', lang)} {high:.3g}", "shape": "ellipse"},
    ]


#: Every view is drawn at positions computed on the server: the browser never runs a layout.
PRESET_LAYOUT: dict[str, Any] = {"name": "preset", "fit": True, "padding": 40, "animate": False}


def _place(
    elements: list[dict[str, Any]],
    graph: nx.MultiDiGraph,
    state: MapState,
    measures: Mapping[str, Mapping[str, Any]],
    positions: Mapping[str, Point] | None,
) -> None:
    """Set each node element's ``position`` and its label ``rank``/``tier`` (see :mod:`webapp.layout`).

    ``positions`` are the region's cached positions; a view holding a node they lack (a drill-down,
    an expanded neighbourhood) is laid out on its own.
    """
    key = state.size if state.size not in ("role", "uniform") else "degree"
    values = _measure(graph, measures, key)
    if positions is None or any(n not in positions for n in graph):
        positions = positions_for(graph, state.layout, values)
    ranks = label_ranks(graph, values)
    for e in elements:
        node = e["data"]["id"]
        if "source" in e["data"]:
            continue
        x, y = positions.get(node, (0.0, 0.0))
        e["position"] = {"x": x, "y": y}
        e["data"]["rank"], e["data"]["tier"] = ranks.get(node, (len(ranks), 2))


def build_map(
    view: nx.MultiDiGraph,
    state: MapState,
    measures: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    limit: int = MAX_ELEMENTS,
    positions: Mapping[str, Point] | None = None,
    ip_marks: Mapping[str, str] | None = None,
) -> MapResult:
    """Elements, layout, legend and notice for one map view (after :func:`filter_view`).

    ``positions`` are the region's positions (:func:`webapp.layout.positions_for` of the unfiltered
    region, cached by the page), so a filter hides nodes without moving the others.

    ``measures`` (node → {measure: value}, from the analysis service) size and colour nodes, order
    the concentric layout and aggregate by community; degree, betweenness and community are also
    copied into each node's element data. ``ip_marks`` (node → ``holder`` or ``body``, from the
    service's IP layer) mark IP holders and IP support bodies when the state's 知財 layer is on.
    """
    lang = state.lang
    measures = measures or {}
    total = _element_count(view)
    aggregated = truncated = False
    notice_parts: list[str] = []
    graph = view
    if state.group:
        members = [n for n, d in view.nodes(data=True) if _group_key(n, d, state.agg, measures) == state.group]
        graph = view.subgraph(members).copy()
        notice_parts.append(t("notice.group", lang, name=_group_label(state.group, lang)))
    if not state.group and total > limit:
        return _aggregated(view, state, measures, limit, total)
    if _element_count(graph) > limit:
        full = graph.number_of_nodes()
        graph = _cap(graph, limit)
        truncated = True
        notice_parts.append(t("notice.truncated", lang, shown=f"{graph.number_of_nodes():,}", total=f"{full:,}"))
    marks = ip_marks or {}
    elements = [_node_element(n, d, lang, marks.get(n, "")) for n, d in graph.nodes(data=True)]
    elements += _edge_elements(graph, lang)
    legend = _style_nodes(elements, graph, state, measures, lang)
    if state.ip:
        legend += _ip_legend(marks, lang)
    _place(elements, graph, state, measures, None if (state.group or truncated) else positions)
    _unlabelled(elements)
    nodes, edges = graph.number_of_nodes(), len(elements) - graph.number_of_nodes()
    notice_parts.append(t("notice.counts", lang, nodes=f"{nodes:,}", edges=f"{edges:,}"))
    return MapResult(
        elements,
        dict(PRESET_LAYOUT),
        legend,
        " ".join(notice_parts),
        aggregated,
        truncated,
        total,
        sorted(graph),
    )


def _aggregated(
    view: nx.MultiDiGraph, state: MapState, measures: Mapping[str, Mapping[str, Any]], limit: int, total: int
) -> MapResult:
    """The view of too many elements as groups (:func:`_aggregate`), with the notice saying so."""
    lang = state.lang
    result = _aggregate(view, state, measures, limit)
    by = t(f"aggregate.{state.agg}", lang)
    result.notice = t("notice.aggregated", lang, total=f"{total:,}", limit=f"{limit:,}", by=by)
    result.total_elements = total
    _unlabelled(result.elements)
    return result


def _unlabelled(elements: list[dict[str, Any]]) -> None:
    """Every node arrives without its name shown: the label script names those that fit (assets/map.js)."""
    for e in elements:
        if "source" not in e["data"]:
            e["classes"] = f"{e.get('classes', '')} nolabel".strip()


def _ip_legend(marks: Mapping[str, str], lang: str) -> list[dict[str, str]]:
    """Legend entries of the 知財 layer's marks that the view uses."""
    used = set(marks.values())
    return [
        {"color": "#ffffff", "label": t(f"legend.ip_{mark}", lang), "shape": "ellipse"}
        for mark in ("holder", "body")
        if mark in used
    ]


def _aggregate(
    view: nx.MultiDiGraph, state: MapState, measures: Mapping[str, Mapping[str, Any]], limit: int
) -> MapResult:
    """One node per role (or community), edges weighted by the ties between groups."""
    lang = state.lang
    key_of = {n: _group_key(n, d, state.agg, measures) for n, d in view.nodes(data=True)}
    sizes = Counter(key_of.values())
    synthetic = Counter(key_of[n] for n, d in view.nodes(data=True) if d.get("synthetic"))
    between: Counter[tuple[str, str]] = Counter()
    for u, v in view.edges():
        a, b = key_of[u], key_of[v]
        if a != b:
            between[tuple(sorted((a, b)))] += 1  # type: ignore[index]
    groups = nx.Graph()
    groups.add_nodes_from(sizes)
    for (a, b), count in between.items():
        groups.add_edge(a, b, weight=math.log1p(count))
    pos = _scaled_positions(groups, weight="weight")
    biggest = max(sizes.values())
    elements = [
        _group_element(key, count, synthetic[key] == count, biggest, pos.get(key, {"x": 0.0, "y": 0.0}), lang)
        for key, count in sizes.most_common()
    ]
    elements += [_group_edge(a, b, count) for (a, b), count in between.most_common(max(0, limit - len(elements)))]
    legend = [
        {"color": e["data"]["color"], "label": _group_label(e["data"]["group"], lang), "shape": e["data"]["shape"]}
        for e in elements
        if "source" not in e["data"]
    ]
    return MapResult(
        elements,
        dict(PRESET_LAYOUT),
        legend,
        "",
        aggregated=True,
        node_ids=[e["data"]["id"] for e in elements if "source" not in e["data"]],
    )


def _group_colour(key: str) -> str:
    """A role's colour, a community's from the Okabe–Ito palette, grey for anything else."""
    if key in KIND_COLOURS:
        return KIND_COLOURS[key]
    if key[1:].isdigit():
        return OKABE_ITO[int(key[1:]) % len(OKABE_ITO)]
    return "#7F7F7F"


def _group_element(
    key: str, count: int, all_synthetic: bool, biggest: int, position: Mapping[str, float], lang: str
) -> dict[str, Any]:
    """A group's node: sized by its share of the largest group, marked when all of it is synthetic."""
    label = f"{_group_label(key, lang)} ({count:,})" + (f" [{t('badge.synthetic', lang)}]" if all_synthetic else "")
    return {
        "data": {
            "id": f"group:{key}",
            "label": label,
            "short": label,
            "kind": "group",
            "group": key,
            "aggregate": 1,
            "count": count,
            "color": _group_colour(key),
            "shape": KIND_SHAPES.get(key, "ellipse"),
            "size": round(30 + 70 * math.sqrt(count / biggest), 1),
            "synthetic": int(all_synthetic),
        },
        "classes": "aggregate" + (" synthetic" if all_synthetic else ""),
        "position": position,
    }


def _group_edge(a: str, b: str, count: int) -> dict[str, Any]:
    """The ties between two groups as one edge labelled and widened by their count."""
    return {
        "data": {
            "id": f"group:{a}|group:{b}",
            "source": f"group:{a}",
            "target": f"group:{b}",
            "count": count,
            "label": f"{count:,}",
            "width": round(1 + 2 * math.log10(1 + count), 2),
            "type": "aggregate",
        },
        "classes": "aggregate",
    }


# --- stylesheets --------------------------------------------------------------------------------
def base_stylesheet() -> list[dict[str, Any]]:
    """Cytoscape styles shared by every view (colour, size and shape come from element data).

    Label sizes here are a starting point: the map's script (``assets/map.js``) keeps labels at one
    on-screen size and hides, with ``nolabel``, those that would overlap a more important one. The
    selection, its faded surroundings and a shortest path are classes that the script sets
    (``focus``, ``faded``, ``path``), so a click never sends a new stylesheet to the browser.
    """
    return [*_node_styles(), *_edge_styles(), *_focus_styles()]


def map_stylesheet() -> list[dict[str, Any]]:
    """The map's stylesheet: :func:`base_stylesheet` with names cut by the map's label script.

    On the map every name arrives hidden (class ``nolabel``, see :func:`build_map`) and
    ``assets/map.js`` shows the ones that fit, already cut to their place's width: cytoscape's own
    ``ellipsis`` measures a name once per character at every zoom, a sizeable share of the first draw.
    """
    return [*base_stylesheet(), {"selector": "node", "style": {"text-wrap": "none"}}]


def _node_styles() -> list[dict[str, Any]]:
    return [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "background-color": "#7F7F7F",
                "shape": "ellipse",
                "width": 26,
                "height": 26,
                "font-size": 12,
                "color": "#1a1a1a",
                "text-valign": "bottom",
                "text-halign": "center",
                "text-margin-y": 2,
                "text-wrap": "ellipsis",
                "text-max-width": 170,
                "border-width": 1,
                "border-color": "#333333",
                "text-background-color": "#ffffff",
                "text-background-opacity": 0.85,
                "text-background-padding": 1,
                "text-background-shape": "roundrectangle",
            },
        },
        {"selector": "node[short]", "style": {"label": "data(short)"}},
        *_kind_styles(),
        # a colour or size of its own (by a measure, a community, a group) wins over the kind's
        {"selector": "node[color]", "style": {"background-color": "data(color)"}},
        {"selector": "node[shape]", "style": {"shape": "data(shape)"}},
        {"selector": "node[size]", "style": {"width": "data(size)", "height": "data(size)"}},
        {"selector": "node.nolabel", "style": {"label": ""}},
        {"selector": "node.context", "style": {"opacity": 0.75, "border-color": "#8c8c8c"}},
        {
            "selector": "node.synthetic",
            "style": {"border-style": "dashed", "border-width": 2, "border-color": "#000000"},
        },
        {
            "selector": "node.aggregate",
            "style": {"border-style": "double", "border-width": 6, "font-weight": "bold"},
        },
        {"selector": "node.ip-holder", "style": {"border-width": 5, "border-color": "#8B6508"}},
        {"selector": "node.ip-body", "style": {"border-width": 6, "border-style": "double", "border-color": "#8B6508"}},
        {"selector": "node.IPRight", "style": {"font-size": 10}},
    ]


def _kind_styles() -> list[dict[str, Any]]:
    """Each kind's colour, shape and size, by its class: sent once with the page, not per element."""
    out = []
    for kind in KINDS:
        style: dict[str, Any] = {"background-color": KIND_COLOURS.get(kind, "#7F7F7F")}
        if kind in KIND_SHAPES:
            style["shape"] = KIND_SHAPES[kind]
        if kind in KIND_SIZES:
            style.update(width=KIND_SIZES[kind], height=KIND_SIZES[kind])
        out.append({"selector": f"node.{kind}", "style": style})
    return out


def _edge_styles() -> list[dict[str, Any]]:
    return [
        {
            "selector": "edge",
            "style": {
                "width": 2.25,
                "line-color": "#9a9a9a",
                "curve-style": "haystack",
                "haystack-radius": 0,
                "opacity": 0.35,
            },
        },
        {"selector": "edge[width]", "style": {"width": "data(width)"}},
        {"selector": "edge.synthetic", "style": {"line-style": "dashed"}},
        # a tie that first appears in the fiscal year the map's slider shows (webapp.timeline, issue 21)
        {"selector": "edge.time-new", "style": {"line-color": "#D55E00", "width": 4, "opacity": 1}},
        {
            "selector": "edge.aggregate",
            "style": {"label": "data(label)", "font-size": 10, "opacity": 0.7},
        },
        {"selector": "edge.SUPPORTS", "style": {"line-color": "#0072B2"}},
        {"selector": "edge.COLLABORATES_WITH", "style": {"line-color": "#009E73"}},
        {"selector": "edge.FINANCES", "style": {"line-color": "#CC79A7"}},
        {"selector": "edge.REFERS_TO", "style": {"line-color": "#D55E00"}},
        {"selector": "edge.HOLDS", "style": {"line-color": "#C9A227", "opacity": 0.6}},
    ]


def _focus_styles() -> list[dict[str, Any]]:
    """The selection and the path, last so that they win over the kinds' borders and colours."""
    return [
        {"selector": "node.faded", "style": {"opacity": 0.18}},
        {"selector": "edge.faded", "style": {"opacity": 0.05}},
        {"selector": "node.path", "style": {"border-width": 5, "border-color": "#D55E00"}},
        {"selector": "edge.path", "style": {"line-color": "#D55E00", "width": 5, "opacity": 1}},
        {
            "selector": "node.focus",
            "style": {"border-width": 6, "border-color": "#D55E00", "font-weight": "bold", "z-index": 10},
        },
        {"selector": "node:selected", "style": {"border-width": 5, "border-color": "#D55E00"}},
    ]

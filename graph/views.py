"""Views of a stored graph shared by every store: a region's view, real data only, counts.

Both stores read the whole graph and apply these functions, so the Neo4j and embedded stores
return identical views and counts by construction (the contract tests check it).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from graph.errors import NotFoundError

__all__ = ["graph_counts", "real_subgraph", "region_id", "region_organisations", "region_subgraph"]

#: Ties that place an organisation in a region (seat, or service without a seat).
PLACING_TYPES = ("LOCATED_IN", "SERVES")


def region_id(region: str) -> str:
    """Accept ``aomori`` or ``region:aomori`` and return the node id ``region:aomori``."""
    return region if region.startswith("region:") else f"region:{region}"


def region_organisations(graph: nx.MultiDiGraph, region: str) -> set[str]:
    """Organisations seated in (``LOCATED_IN``) or serving (``SERVES``) the region."""
    rid = region_id(region)
    if rid not in graph:
        msg = f"unknown region {region!r}; known regions: {', '.join(sorted(known_regions(graph))) or 'none'}"
        raise NotFoundError(msg)
    return {u for u, _, data in graph.in_edges(rid, data=True) if data.get("type") in PLACING_TYPES}


def known_regions(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(n.removeprefix("region:") for n, d in graph.nodes(data=True) if "Region" in d.get("labels", ()))


def model_regions(graph: nx.MultiDiGraph) -> list[str]:
    """The JPO model regions in the graph (Region nodes with ``model_region_fy``), by JIS code."""
    keys = [k for k in known_regions(graph) if graph.nodes[region_id(k)].get("model_region_fy") is not None]
    return sorted(keys, key=lambda k: (str(graph.nodes[region_id(k)].get("jis_code", "")), k))


def region_view(graph: nx.MultiDiGraph, region: str | None = None, *, real_only: bool = False) -> nx.MultiDiGraph:
    """The graph, or one region's view of it, optionally real data only (what ``Store.read_graph`` returns)."""
    if region is not None:
        graph = region_subgraph(graph, region)
    return real_subgraph(graph) if real_only else graph


def region_subgraph(graph: nx.MultiDiGraph, region: str) -> nx.MultiDiGraph:
    """The region's organisations, their ties, and what those ties point at.

    Nodes: the Region node, the organisations seated in or serving it (``in_region: True``), and
    every node one of them is tied to except other regions (context nodes, ``in_region: False``:
    a national programme a local firm took part in, a Tokyo firm it co-applies with). Edges: every
    relationship with at least one endpoint among the region's organisations.
    """
    rid = region_id(region)
    core = region_organisations(graph, region)
    keep: set[str] = {rid, *core}
    edges: list[tuple[str, str, Any]] = []
    for node in core:
        for u, v, key in [*graph.out_edges(node, keys=True), *graph.in_edges(node, keys=True)]:
            other = v if u == node else u
            if "Region" in graph.nodes[other].get("labels", ()) and other != rid:
                continue
            keep.add(other)
            edges.append((u, v, key))
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph, region=rid)
    # Sorted, so a view's node and edge order never depends on string hashing (PYTHONHASHSEED):
    # seeded analytics on it must give the same answer in every process.
    for node in sorted(keep):
        view.add_node(node, **graph.nodes[node], in_region=node in core or node == rid)
    for u, v, key in sorted(set(edges)):
        view.add_edge(u, v, key=key, **graph.edges[u, v, key])
    return view


def real_subgraph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Leave out synthetic nodes and relationships (and ties to synthetic nodes)."""
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph)
    view.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if not d.get("synthetic"))
    view.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in graph.edges(keys=True, data=True)
        if not d.get("synthetic") and u in view and v in view
    )
    return view


def graph_counts(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Totals and counts by label and relationship type, keys sorted for stable JSON."""
    by_label: Counter[str] = Counter(lab for _, d in graph.nodes(data=True) for lab in d.get("labels", ()))
    by_type: Counter[str] = Counter(d.get("type", "") for _, _, d in graph.edges(data=True))
    return {
        "total_nodes": graph.number_of_nodes(),
        "total_relationships": graph.number_of_edges(),
        "nodes_by_label": dict(sorted(by_label.items())),
        "relationships_by_type": dict(sorted(by_type.items())),
    }

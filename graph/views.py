"""Views of a stored graph shared by every store: a region's view, real data only, counts.

The region's view itself is defined in :mod:`graph.scope` (re-exported here for old importers).

Both stores read the whole graph and apply these functions, so the Neo4j and embedded stores
return identical views and counts by construction (the contract tests check it).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from graph.scope import known_regions, model_regions, region_id, region_organisations, region_subgraph

__all__ = [
    "graph_counts",
    "known_regions",
    "model_regions",
    "real_subgraph",
    "region_id",
    "region_organisations",
    "region_subgraph",
    "region_view",
]


def region_view(graph: nx.MultiDiGraph, region: str | None = None, *, real_only: bool = False) -> nx.MultiDiGraph:
    """The graph, or one region's view of it (:mod:`graph.scope`), optionally real data only.

    What ``Store.read_graph`` returns; real-only is applied after the region's scope, so a region
    keeps the same organisations whether or not the synthetic layer is shown.
    """
    if region is not None:
        graph = region_subgraph(graph, region)
    return real_subgraph(graph) if real_only else graph


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

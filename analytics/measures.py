# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Per-organisation measures of one region, composed into the ``ipeco analyze`` JSON document."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np

from analytics.brokerage import BROKERAGE_ROLES, brokerage_roles, constraint, effective_size
from analytics.centrality import degree, eigenvector, pagerank, path_centralities, weighted_degree
from analytics.communities import louvain, membership, modularity, participation_coefficient, partition_stability
from analytics.fast import paused_gc
from analytics.orggraph import organisation_graph, shared_edge_arrays
from analytics.structure import core_number, cut_structure
from graph.views import region_id, region_subgraph

__all__ = ["LARGE_GRAPH", "analyze_region", "region_view"]

#: Above this many organisations the cheaper settings apply: 2 stability seeds instead of 10 and
#: 20 brokerage permutations instead of 100 (each is reported in ``indicators``).
LARGE_GRAPH = 20_000


def region_view(G: nx.MultiDiGraph, region: str) -> nx.MultiDiGraph:
    """``G`` itself when it already is the region's view, else ``graph.views.region_subgraph``."""
    if G.graph.get("region") == region_id(region):
        return G
    return region_subgraph(G, region)


#: Leaf types :func:`clean` passes through unchanged (finite floats are checked inline).
_PLAIN: frozenset[type] = frozenset({str, int, bool, type(None)})


def clean(value: Any) -> Any:
    """Plain JSON values: NaN/inf → None, numpy scalars → Python, tuples and sets → lists, recursively.

    Plain leaves (str, int, bool, None, finite float) are kept inline without a recursive call:
    gaps and analyses carry 10^5–10^6 of them at 5×10^4 organisations.
    """
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:
        return {
            (k if type(k) in (str, int) else str(k)): (
                v if type(v) in _PLAIN or (type(v) is float and math.isfinite(v)) else clean(v)
            )
            for k, v in value.items()
        }
    if kind in (list, tuple, set):
        return [v if type(v) in _PLAIN or (type(v) is float and math.isfinite(v)) else clean(v) for v in value]
    if hasattr(value, "item"):
        return clean(value.item())
    return value


@paused_gc()
def analyze_region(
    G: nx.MultiDiGraph,
    region: str,
    *,
    exact_threshold: int = 5000,
    k: int = 500,
    seed: int = 42,
    weighted: bool = False,
    stability_seeds: int | None = None,
    permutations: int | None = None,
    H: nx.Graph | None = None,
) -> dict[str, Any]:
    """Every per-organisation measure of a region on its undirected organisation graph.

    Parameters
    ----------
    G
        The stored graph, or the region's view (``graph.views.region_subgraph``).
    region
        ``aomori`` or ``region:aomori``.
    exact_threshold, k, seed
        Betweenness and harmonic closeness are exact up to ``exact_threshold`` organisations and
        estimated from ``k`` seeded sources above (see :func:`analytics.centrality.path_centralities`).
    weighted
        Use tie counts (or tie ``weight`` sums) as edge weights in PageRank and Burt's measures;
        unweighted by default (issue 4). Weighted degree always sums the weights.
    stability_seeds, permutations
        Louvain seeds for the stability estimate (default 10; 2 above :data:`LARGE_GRAPH`) and
        label permutations for brokerage z-scores (default 100; 20 above).
    H
        The region's organisation graph when the caller has built it already
        (``organisation_graph(view, weighted=weighted)``), so that analyze, gaps and compare share
        one build; built here when None.

    Returns
    -------
    dict
        ``{"region", "nodes": {id: {"degree", "weighted_degree", "betweenness", "pagerank",
        "harmonic", "eigenvector", "constraint", "effective_size", "core_number", "community",
        "participation", "brokerage": {role: count, "total", "z": {role: z}}}},
        "articulation_points": [id, ...], "bridges": [[u, v], ...],
        "communities": [{"id", "members", "size"}], "indicators": {...}}``, JSON-serialisable with
        no NaN (``constraint`` is None for isolates).
    """
    view = region_view(G, region)
    H = organisation_graph(view, weighted=weighted) if H is None else H
    n = H.number_of_nodes()
    large = n > LARGE_GRAPH
    n_seeds = stability_seeds if stability_seeds is not None else (2 if large else 10)
    n_perm = permutations if permutations is not None else (20 if large else 100)
    w = "weight" if weighted else None

    # H is only read from here on: its edge listing is made once and shared by every measure.
    with shared_edge_arrays(H):
        paths = path_centralities(H, exact_threshold=exact_threshold, k=k, seed=seed)
        deg = degree(H)
        wdeg = weighted_degree(H)
        pr = pagerank(H, weight=w)
        eig = eigenvector(H)
        con = constraint(H, weight=w)
        esize = effective_size(H, weight=w)
        cores = core_number(H)
        cuts = cut_structure(H)
        comms = louvain(H, seed=seed, weight=w)
        member = membership(comms)
        part = participation_coefficient(H, comms)
        broker = brokerage_roles(H, permutations=n_perm, seed=seed)
        stability = partition_stability(H, seeds=[seed + i for i in range(n_seeds)], weight=w, known={seed: comms})
        modularity_q = modularity(H, comms, weight=w)

    # JSON values per measure in one vectorised pass (numpy ``tolist`` gives Python floats; NaN/inf
    # and missing values become None), instead of :func:`clean` walking 5×10^4 row dicts value by value.
    order = list(H)
    columns = {
        "degree": _ints(deg, order),
        "weighted_degree": _floats(wdeg, order),
        "betweenness": _floats(paths.betweenness, order),
        "pagerank": _floats(pr, order, default=0.0),
        "harmonic": _floats(paths.harmonic, order),
        "eigenvector": _floats(eig, order),
        "constraint": _floats(con, order),
        "effective_size": _floats(esize, order),
        "core_number": _ints(cores, order),
        "community": _ints(member, order),
        "participation": _floats(part, order),
    }
    names = list(columns)
    # brokerage rows are plain Python already (ints and finite floats, see analytics.brokerage).
    nodes = {
        (node if type(node) in (str, int) else str(node)): {
            **dict(zip(names, row, strict=True)),
            "brokerage": broker[node],
        }
        for node, row in zip(order, zip(*columns.values(), strict=True), strict=True)
    }
    components = nx.number_connected_components(H) if n else 0
    indicators = {
        "organisations": n,
        "ties": H.number_of_edges(),
        "density": nx.density(H) if n > 1 else 0.0,
        "components": components,
        "largest_component": max(cuts.component_size.values(), default=0),
        "communities": len(comms),
        "modularity": modularity_q,
        "community_stability": stability,
        "max_core": max(cores.values(), default=0),
        "articulation_points": len(cuts.articulation_points),
        "bridges": len(cuts.bridges),
        "brokerage_totals": {role: sum(b[role] for b in broker.values()) for role in BROKERAGE_ROLES},
        "betweenness_method": paths.method,
        "brokerage_permutations": n_perm,
        "weighted": weighted,
        "seed": seed,
    }
    out = clean(
        {
            "region": region_id(region).removeprefix("region:"),
            "articulation_points": sorted(cuts.articulation_points, key=str),
            "bridges": sorted((sorted((u, v), key=str) for u, v in cuts.bridges), key=lambda e: (str(e[0]), str(e[1]))),
            "communities": [
                {"id": i, "members": sorted(group, key=str), "size": len(group)} for i, group in enumerate(comms)
            ],
            "indicators": indicators,
        }
    )
    return {"region": out["region"], "nodes": nodes, **{key: v for key, v in out.items() if key != "region"}}


def _floats(values: dict[Any, Any], order: list[Any], default: float | None = None) -> list[float | None]:
    """``values[node]`` for each node of ``order`` as Python floats, non-finite or missing → None."""
    raw = [values.get(node, default) for node in order]
    arr = np.array([math.nan if x is None else x for x in raw], dtype=np.float64)
    out = arr.tolist()
    bad = np.flatnonzero(~np.isfinite(arr))
    for i in bad.tolist():
        out[i] = None
    return out


def _ints(values: dict[Any, Any], order: list[Any]) -> list[int]:
    """``values[node]`` for each node of ``order`` as Python ints (numpy ``tolist``)."""
    return np.fromiter((values[node] for node in order), dtype=np.int64, count=len(order)).tolist()

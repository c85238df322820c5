# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Per-organisation measures of one region, composed into the ``ipeco analyze`` JSON document."""

from __future__ import annotations

import math
from dataclasses import dataclass
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
        return _clean_dict(value)
    if kind in (list, tuple, set):
        return _clean_items(value)
    if hasattr(value, "item"):
        return clean(value.item())
    return value


def _clean_dict(value: dict[Any, Any]) -> dict[Any, Any]:
    """:func:`clean` of a dict: keys that are not str or int become strings; plain values are kept inline."""
    return {
        (k if type(k) in (str, int) else str(k)): (
            v if type(v) in _PLAIN or (type(v) is float and math.isfinite(v)) else clean(v)
        )
        for k, v in value.items()
    }


def _clean_items(value: Any) -> list[Any]:
    """:func:`clean` of a list, tuple or set: a list, plain values kept inline."""
    return [v if type(v) in _PLAIN or (type(v) is float and math.isfinite(v)) else clean(v) for v in value]


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
        The region's ``organisation_graph(view, weighted=weighted)`` when already built (analyze,
        gaps and compare share one build); built here when None.

    Returns
    -------
    dict
        ``{"region", "nodes": {id: {<each measure of _node_rows>, "brokerage": {role: count,
        "total", "z": {role: z}}}}, "articulation_points": [id, ...], "bridges": [[u, v], ...],
        "communities": [{"id", "members", "size"}], "indicators": {...}}``, JSON-serialisable with
        no NaN (``constraint`` is None for isolates).
    """
    view = region_view(G, region)
    H = organisation_graph(view, weighted=weighted) if H is None else H
    large = H.number_of_nodes() > LARGE_GRAPH
    n_seeds = stability_seeds if stability_seeds is not None else (2 if large else 10)
    n_perm = permutations if permutations is not None else (20 if large else 100)
    m = _measure(H, _Settings(exact_threshold, k, seed, weighted, n_seeds, n_perm))
    cuts, comms = m.cuts, m.comms  # articulation points, bridges and communities, sorted for JSON:
    out = clean(
        {
            "region": region_id(region).removeprefix("region:"),
            "articulation_points": sorted(cuts.articulation_points, key=str),
            "bridges": sorted((sorted((u, v), key=str) for u, v in cuts.bridges), key=lambda e: (str(e[0]), str(e[1]))),
            "communities": [
                {"id": i, "members": sorted(group, key=str), "size": len(group)} for i, group in enumerate(comms)
            ],
            "indicators": _region_indicators(H, m, n_perm, weighted, seed),
        }
    )
    return {"region": out["region"], "nodes": _node_rows(H, m), **{key: v for key, v in out.items() if key != "region"}}


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


@dataclass(frozen=True)
class _Settings:
    """How :func:`analyze_region` measures (its parameters, with the size-dependent defaults resolved)."""

    exact_threshold: int
    k: int
    seed: int
    weighted: bool
    stability_seeds: int
    permutations: int


@dataclass(frozen=True)
class _Measures:
    """Every measure of one organisation graph, as the measuring functions return them."""

    paths: Any
    deg: dict[Any, Any]
    wdeg: dict[Any, Any]
    pr: dict[Any, Any]
    eig: dict[Any, Any]
    con: dict[Any, Any]
    esize: dict[Any, Any]
    cores: dict[Any, Any]
    cuts: Any
    comms: list[Any]
    member: dict[Any, Any]
    part: dict[Any, Any]
    broker: dict[Any, Any]
    stability: Any
    modularity_q: Any


def _measure(H: nx.Graph, s: _Settings) -> _Measures:
    """Every measure of ``H``; ``H`` is only read, so its edge listing is made once and shared."""
    w = "weight" if s.weighted else None
    with shared_edge_arrays(H):
        paths = path_centralities(H, exact_threshold=s.exact_threshold, k=s.k, seed=s.seed)
        deg = degree(H)
        wdeg = weighted_degree(H)
        pr = pagerank(H, weight=w)
        eig = eigenvector(H)
        con = constraint(H, weight=w)
        esize = effective_size(H, weight=w)
        cores = core_number(H)
        cuts = cut_structure(H)
        comms = louvain(H, seed=s.seed, weight=w)
        member = membership(comms)
        part = participation_coefficient(H, comms)
        broker = brokerage_roles(H, permutations=s.permutations, seed=s.seed)
        seeds = [s.seed + i for i in range(s.stability_seeds)]
        stability = partition_stability(H, seeds=seeds, weight=w, known={s.seed: comms})
        modularity_q = modularity(H, comms, weight=w)
    return _Measures(
        paths, deg, wdeg, pr, eig, con, esize, cores, cuts, comms, member, part, broker, stability, modularity_q
    )


def _node_rows(H: nx.Graph, m: _Measures) -> dict[Any, dict[str, Any]]:
    """Each organisation's measures as JSON values.

    One vectorised pass per measure (numpy ``tolist`` gives Python floats; NaN/inf and missing values
    become None), instead of :func:`clean` walking 5×10^4 row dicts value by value.
    """
    order = list(H)
    columns = {
        "degree": _ints(m.deg, order),
        "weighted_degree": _floats(m.wdeg, order),
        "betweenness": _floats(m.paths.betweenness, order),
        "pagerank": _floats(m.pr, order, default=0.0),
        "harmonic": _floats(m.paths.harmonic, order),
        "eigenvector": _floats(m.eig, order),
        "constraint": _floats(m.con, order),
        "effective_size": _floats(m.esize, order),
        "core_number": _ints(m.cores, order),
        "community": _ints(m.member, order),
        "participation": _floats(m.part, order),
    }
    names = list(columns)
    # brokerage rows are plain Python already (ints and finite floats, see analytics.brokerage).
    return {
        (node if type(node) in (str, int) else str(node)): {
            **dict(zip(names, row, strict=True)),
            "brokerage": m.broker[node],
        }
        for node, row in zip(order, zip(*columns.values(), strict=True), strict=True)
    }


def _region_indicators(H: nx.Graph, m: _Measures, n_perm: int, weighted: bool, seed: int) -> dict[str, Any]:
    """The region-level figures of :func:`analyze_region` (size, cohesion, communities, brokerage)."""
    n = H.number_of_nodes()
    return {
        "organisations": n,
        "ties": H.number_of_edges(),
        "density": nx.density(H) if n > 1 else 0.0,
        "components": nx.number_connected_components(H) if n else 0,
        "largest_component": max(m.cuts.component_size.values(), default=0),
        "communities": len(m.comms),
        "modularity": m.modularity_q,
        "community_stability": m.stability,
        "max_core": max(m.cores.values(), default=0),
        "articulation_points": len(m.cuts.articulation_points),
        "bridges": len(m.cuts.bridges),
        "brokerage_totals": {role: sum(b[role] for b in m.broker.values()) for role in BROKERAGE_ROLES},
        "betweenness_method": m.paths.method,
        "brokerage_permutations": n_perm,
        "weighted": weighted,
        "seed": seed,
    }

# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""The organisation graph: the undirected tie network that every measure in ``analytics`` reads.

A region view (``graph.views.region_subgraph``) is a ``MultiDiGraph`` of organisations, the
programmes, networks and technology fields they point at, and the Region node. Most measures are
defined on organisations and the ties *between* them only, so this module collapses the
``ORG_TIE_TYPES`` relationships (SUPPORTS, REFERS_TO, COLLABORATES_WITH, FINANCES, PART_OF) into one
simple undirected ``nx.Graph``. It also holds the small helpers every module needs: an
organisation's role label, its technology fields, and the graph in compressed sparse row form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.gc_pause import paused_gc
from graph.schema import ORG_TIE_TYPES, ROLE_LABELS

__all__ = [
    "SUPPORT_ROLES",
    "adjacency_matrix",
    "display_name",
    "edge_array",
    "is_organisation",
    "organisation_graph",
    "organisations",
    "programme_key",
    "role_of",
    "shared_edge_arrays",
    "tech_fields_of",
]

#: Roles whose organisations deliver support rather than receive it (used by gaps and recommend).
SUPPORT_ROLES: tuple[str, ...] = ("SupportOrganization", "GovernmentBody", "FinancialInstitution", "ProfessionalBody")


def is_organisation(attrs: Mapping[str, Any]) -> bool:
    """True when a node's ``labels`` contain ``Organization``."""
    return "Organization" in attrs.get("labels", ())


def role_of(attrs: Mapping[str, Any]) -> str | None:
    """The organisation role label (``Company``, ``University``, ...) of a node, or None."""
    return next((label for label in attrs.get("labels", ()) if label in ROLE_LABELS), None)


def display_name(G: nx.Graph, node: Any) -> str:
    """The node's ``name`` (falling back to ``name_en`` and then the id) for explanations."""
    attrs = G.nodes[node] if node in G else {}
    return str(attrs.get("name") or attrs.get("name_en") or node)


def english_name(G: nx.Graph, node: Any) -> str:
    """The node's ``name_en`` where the data has one, else :func:`display_name`: for English explanations.

    An English sentence that names a body by its Japanese name when its English name is recorded
    reads as half-translated; a name not yet translated stays Japanese rather than be invented.
    """
    attrs = G.nodes[node] if node in G else {}
    return str(attrs.get("name_en") or display_name(G, node))


def programme_key(node: Any, attrs: Mapping[str, Any] | None = None) -> str:
    """The catalogue key of a Programme node: ``programme:ip_window`` → ``ip_window``.

    Stored ids may carry a namespace prefix; the catalogue key (``reference/programmes.md``) is the
    part after the last colon, or the node's ``key`` property when it has one.
    """
    if attrs and attrs.get("key"):
        return str(attrs["key"])
    return str(node).rsplit(":", 1)[-1]


def organisations(G: nx.Graph, *, in_region_only: bool = True) -> list[Any]:
    """Organisation node ids of ``G`` in graph order.

    When ``in_region_only`` and any node carries an ``in_region`` attribute (a region view), only
    organisations with ``in_region: True`` are returned; otherwise every organisation.
    """
    orgs = [n for n, d in G.nodes(data=True) if is_organisation(d)]
    if in_region_only and any("in_region" in d for _, d in G.nodes(data=True)):
        orgs = [n for n in orgs if G.nodes[n].get("in_region")]
    return orgs


def tech_fields_of(G: nx.Graph, node: Any) -> set[str]:
    """Technology fields of an organisation: its ``tech_fields`` list and its ``ACTIVE_IN`` targets.

    A TechField node is named by its ``code`` property when present, otherwise by the part of its id
    after the last colon (``tech:G06N`` → ``G06N``), so both sources agree on one code.
    """
    fields = {str(f) for f in (G.nodes[node].get("tech_fields") or ())}
    if not G.is_directed():
        return fields
    if G.is_multigraph():
        # The adjacency dict directly: gaps and recommend ask for 10^5 organisations, and the
        # ``out_edges`` view cost more than the lookup itself.
        targets = (t for t, keyed in G._succ[node].items() for d in keyed.values() if d.get("type") == "ACTIVE_IN")
    else:
        targets = (t for _, t, d in G.out_edges(node, data=True) if d.get("type") == "ACTIVE_IN")
    for target in targets:
        attrs = G.nodes[target]
        fields.add(str(attrs.get("code") or str(target).rsplit(":", 1)[-1]))
    return fields


@paused_gc()
def organisation_graph(
    G: nx.MultiDiGraph,
    *,
    weighted: bool = False,
    in_region_only: bool = True,
    tie_types: Iterable[str] = ORG_TIE_TYPES,
) -> nx.Graph:
    """Collapse organisation-to-organisation ties into a simple undirected graph.

    Parameters
    ----------
    G
        A graph in the store's shape (``labels`` on nodes, ``type`` on edges), usually a region view.
    weighted
        When False (default) an edge's ``weight`` is the number of ties between the pair (so
        weighted degree counts ties, degree counts partners). When True it is the sum of the ties'
        own ``weight`` property, a tie without one counting 1.
    in_region_only
        Keep only ``in_region: True`` organisations when the graph is a region view (see
        :func:`organisations`). Ties to context organisations outside the region are dropped.
    tie_types
        Relationship types that count as ties (default ``graph.schema.ORG_TIE_TYPES``).

    Returns
    -------
    networkx.Graph
        Nodes are organisation ids with attributes ``role``, ``name``, ``support_kind``,
        ``startup``, ``synthetic``. Edges carry ``weight``, ``count`` (number of ties) and
        ``types`` (sorted relationship types). Self-ties are ignored.

    Notes
    -----
    Direction is dropped: a SUPPORTS engagement and a REFERS_TO referral both become one undirected
    tie, which is what the undirected measures (betweenness, constraint, Louvain) assume. Measures
    that need direction (Gould–Fernandez roles) say what collapses.
    """
    keep = organisations(G, in_region_only=in_region_only)
    H = nx.Graph()
    nodes = G.nodes
    H.add_nodes_from((node, _org_attrs(node, nodes[node])) for node in keep)
    ties = _collapsed_ties(G, keep, set(tie_types), weighted=weighted)
    H.add_edges_from((u, v, data) for (u, v), data in ties.items())
    return H


def _org_attrs(node: Any, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes an organisation keeps in the organisation graph."""
    return {
        "role": role_of(attrs),
        "name": attrs.get("name") or attrs.get("name_en") or str(node),
        "support_kind": attrs.get("support_kind"),
        "startup": bool(attrs.get("startup")),
        "synthetic": bool(attrs.get("synthetic")),
    }


def _collapsed_ties(
    G: nx.MultiDiGraph, keep: list[Any], types: set[str], *, weighted: bool
) -> dict[tuple[Any, Any], dict[str, Any]]:
    """One record per pair of kept organisations: summed ``weight``, ``count`` of ties, sorted ``types``."""
    ties: dict[tuple[Any, Any], dict[str, Any]] = {}
    for u, v, data in _org_edges(G, keep, set(keep)):
        kind = data.get("type")
        if kind not in types or u == v:
            continue
        raw = data.get("weight") if weighted else None
        w = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else 1.0
        pair = (u, v) if (v, u) not in ties else (v, u)
        edge = ties.get(pair)
        if edge is None:
            ties[pair] = {"weight": w, "count": 1, "types": {kind}}
        else:
            edge["weight"] += w
            edge["count"] += 1
            edge["types"].add(kind)
    for edge in ties.values():
        edge["types"] = sorted(edge["types"])
    return ties


#: Edge arrays shared while a :func:`shared_edge_arrays` block runs: id(H) → (H, {weight: arrays}).
_EDGE_ARRAYS: dict[int, tuple[nx.Graph, dict[str | None, tuple[np.ndarray, np.ndarray]]]] = {}


@contextmanager
def shared_edge_arrays(H: nx.Graph) -> Iterator[None]:
    """Within the block, :func:`edge_array` reads ``H``'s adjacency once per weight and shares it.

    ``analyze_region`` asks for the same graph's edges about ten times (adjacency matrices for
    paths, eigenvector, Burt's measures and brokerage; modularity; igraph copies for Leiden and
    cores), and each listing is 0.2 s of Python at 5×10^4 organisations. ``H`` must not change
    inside the block: the shared arrays are read-only and dropped when it ends. Nested blocks on
    the same graph share the outer one's arrays.
    """
    key = id(H)
    if key in _EDGE_ARRAYS:
        yield
        return
    _EDGE_ARRAYS[key] = (H, {})
    try:
        yield
    finally:
        _EDGE_ARRAYS.pop(key, None)


def edge_array(
    H: nx.Graph, nodes: list[Any] | None = None, *, weight: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every edge of an undirected graph once, in ``H.edges()`` order, as positions in ``nodes``.

    Returns an (m × 2) int64 array of endpoint positions and the m edge weights (``weight``, 1.0
    when missing or when ``weight`` is None). Read straight from the adjacency dicts and masked in
    numpy: NetworkX's edge view yields edge by edge with a ``seen`` test. The order is the edge
    view's — an edge listed at the endpoint met first in node order, self-loops once — because
    seeded igraph routines (Leiden, rewiring) depend on the order edges are given in. Inside
    :func:`shared_edge_arrays` the listing is shared (the arrays are then read-only).
    """
    if H.is_directed() or H.is_multigraph():
        return _edges_listed(H, nodes, weight)
    ends, values = _shared_or_listed(H, weight)
    if nodes is not None:
        ends = _repositioned(H, nodes, ends)
    return ends, values


def _edges_listed(H: nx.Graph, nodes: list[Any] | None, weight: str | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`edge_array` of a directed or multi graph, through NetworkX's edge view."""
    pairs = list(H.edges(data=True))
    index = {node: i for i, node in enumerate(H if nodes is None else nodes)}
    ends = np.array([(index[u], index[v]) for u, v, _ in pairs], dtype=np.int64).reshape(-1, 2)
    values = np.array([float(d.get(weight, 1.0)) if weight else 1.0 for _, _, d in pairs], dtype=np.float64)
    return ends, values


def _shared_or_listed(H: nx.Graph, weight: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The edge listing of ``H`` in graph order: the shared, read-only one inside :func:`shared_edge_arrays`."""
    shared = _EDGE_ARRAYS.get(id(H))
    if shared is None or shared[0] is not H:
        return _edges_in_graph_order(H, weight)
    if weight not in shared[1]:
        shared[1][weight] = _edges_in_graph_order(H, weight)
        for array in shared[1][weight]:
            array.flags.writeable = False
    return shared[1][weight]


def _repositioned(H: nx.Graph, nodes: list[Any], ends: np.ndarray) -> np.ndarray:
    """Endpoint positions in graph order mapped to positions in ``nodes`` (a ``KeyError`` for a missing one)."""
    index = {node: i for i, node in enumerate(nodes)}
    position = np.fromiter((index.get(node, -1) for node in H._adj), dtype=np.int64, count=len(H._adj))
    if np.array_equal(position, np.arange(len(position))):
        return ends
    ends = position[ends]
    if ends.size and ends.min() < 0:
        msg = "an edge of the graph has an endpoint that is not in nodes"
        raise KeyError(msg)
    return ends


def _edges_in_graph_order(H: nx.Graph, weight: str | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`edge_array` with positions in ``list(H)`` order (the adjacency's own)."""
    adj = H._adj
    order = {node: i for i, node in enumerate(adj)}
    n = len(order)
    lens = np.fromiter((len(nbrs) for nbrs in adj.values()), dtype=np.int64, count=n)
    total = int(lens.sum())
    own = np.repeat(np.arange(n, dtype=np.int64), lens)
    other = np.array([order[v] for nbrs in adj.values() for v in nbrs], dtype=np.int64).reshape(total)
    first = other >= own
    if weight is None:
        values = np.ones(int(first.sum()), dtype=np.float64)
    else:
        every = np.array(
            [float(d.get(weight, 1.0)) for nbrs in adj.values() for d in nbrs.values()], dtype=np.float64
        ).reshape(total)
        values = every[first]
    return np.stack([own[first], other[first]], axis=1), values


def _org_edges(G: nx.MultiDiGraph, keep: list[Any], keep_set: set[Any]) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
    """Edges between kept organisations with data, in ``G.edges`` order.

    On a ``MultiDiGraph`` only the kept organisations' adjacency is read, and a target outside
    the organisations (Region, TechField, Programme: about 40 % of a view's edges) is dropped
    before its edge data is looked at; ``keep`` is in graph order, so the order is unchanged.
    """
    if G.is_multigraph() and G.is_directed():
        succ = G._succ
        for u in keep:
            for v, keyed in succ[u].items():
                if v in keep_set:
                    for data in keyed.values():
                        yield u, v, data
        return
    for u, v, data in G.edges(data=True):
        if u in keep_set and v in keep_set:
            yield u, v, data


def adjacency_matrix(H: nx.Graph, nodes: list[Any] | None = None, *, weight: str | None = None) -> sp.csr_array:
    """Symmetric CSR adjacency of an undirected graph in ``nodes`` order (1.0 per edge when unweighted).

    A self-loop is entered once per direction, i.e. with twice its weight (as before).
    """
    nodes = list(H) if nodes is None else nodes
    n = len(nodes)
    pairs, vals = edge_array(H, nodes, weight=weight)
    rows, cols = pairs[:, 0], pairs[:, 1]
    A = sp.coo_array(
        (np.concatenate([vals, vals]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n)
    )
    return sp.csr_array(A)

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

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.schema import ORG_TIE_TYPES, ROLE_LABELS

__all__ = [
    "SUPPORT_ROLES",
    "adjacency_matrix",
    "display_name",
    "is_organisation",
    "organisation_graph",
    "organisations",
    "programme_key",
    "role_of",
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
    if G.is_directed():
        for _, target, data in G.out_edges(node, data=True):
            if data.get("type") == "ACTIVE_IN":
                attrs = G.nodes[target]
                fields.add(str(attrs.get("code") or str(target).rsplit(":", 1)[-1]))
    return fields


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
    keep_set = set(keep)
    types = set(tie_types)
    H = nx.Graph()
    nodes = G.nodes
    H.add_nodes_from(
        (
            node,
            {
                "role": role_of(nodes[node]),
                "name": nodes[node].get("name") or nodes[node].get("name_en") or str(node),
                "support_kind": nodes[node].get("support_kind"),
                "startup": bool(nodes[node].get("startup")),
                "synthetic": bool(nodes[node].get("synthetic")),
            },
        )
        for node in keep
    )
    ties: dict[tuple[Any, Any], dict[str, Any]] = {}
    for u, v, data in G.edges(data=True):
        kind = data.get("type")
        if kind not in types or u == v or u not in keep_set or v not in keep_set:
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
    H.add_edges_from((u, v, data) for (u, v), data in ties.items())
    return H


def adjacency_matrix(H: nx.Graph, nodes: list[Any] | None = None, *, weight: str | None = None) -> sp.csr_array:
    """Symmetric CSR adjacency of an undirected graph in ``nodes`` order (1.0 per edge when unweighted)."""
    nodes = list(H) if nodes is None else nodes
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    # One pass of index lookups into a flat list, converted by numpy at once (numpy element
    # assignment per edge cost ~3x more on 1.25×10^5 edges).
    flat = [index[x] for edge in H.edges() for x in edge]
    pairs = np.array(flat, dtype=np.int64).reshape(-1, 2)
    rows, cols = pairs[:, 0], pairs[:, 1]
    if weight is None:
        vals = np.ones(len(pairs), dtype=np.float64)
    else:
        vals = np.array([float(d.get(weight, 1.0)) for _, _, d in H.edges(data=True)], dtype=np.float64)
    A = sp.coo_array(
        (np.concatenate([vals, vals]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n)
    )
    return sp.csr_array(A)

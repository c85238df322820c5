"""The region scope: which organisations, ties and context nodes are region R's. Defined here once.

Every surface that shows "region R" (map, gaps, comparison, suggestions, ``ipeco export --region``,
``ipeco stats --region``, reports) reads R through :func:`region_subgraph`, so they all show the
same organisations and the same ties.

The definition:

* **R's organisations** are the organisations seated in R (``LOCATED_IN``) and the bodies that
  serve R from outside (``SERVES``: a METI bureau, INPIT, the JPO for its model regions). They
  carry ``in_region: True``.
* **R's ties** between organisations are the ties whose two ends are both R's organisations. A
  national body that serves every region (INPIT) therefore appears in R's view with its ties to
  R's organisations only; its engagements with firms of other regions are not R's ties.
* **No organisation of another region** is pulled in: an organisation that neither sits in nor
  serves R is not in R's view, even when one of R's organisations is tied to it (a co-applicant in
  Tokyo, the national HQ of a local branch). Its tie is a fact about both organisations, but not
  about R's network; it shows in the other organisation's own region, and in the whole graph.
* **Context nodes** (Programme, Network, TechField) appear when one of R's organisations is tied
  to them, with those ties only, and carry ``in_region: False``. A context node that belongs to
  another region (its ``region`` property names another region: 500 KOBE ACCELERATOR, Aomori's
  regional network) is left out, so a national body's membership of another region's network or
  its operation of another region's programme does not leak into R.
* The Region node R is kept (``in_region: True``) with the placing ties of R's organisations to
  it; other Region nodes, and ties to them, are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import NotFoundError

__all__ = [
    "MIN_SEATED",
    "PLACING_TYPES",
    "RegionScope",
    "known_regions",
    "listed_regions",
    "model_regions",
    "organisation_regions",
    "region_id",
    "region_key",
    "region_organisations",
    "region_scope",
    "region_subgraph",
]

#: Ties that place an organisation in a region (seat, or service without a seat).
PLACING_TYPES = ("LOCATED_IN", "SERVES")


def region_id(region: str) -> str:
    """Accept ``aomori`` or ``region:aomori`` and return the node id ``region:aomori``."""
    return region if region.startswith("region:") else f"region:{region}"


def region_key(region: str) -> str:
    """Accept ``aomori`` or ``region:aomori`` and return the key ``aomori``."""
    return region.removeprefix("region:")


def known_regions(graph: nx.MultiDiGraph) -> list[str]:
    """Keys of every Region node of ``graph``, sorted."""
    return sorted(region_key(n) for n, d in graph.nodes(data=True) if "Region" in d.get("labels", ()))


def model_regions(graph: nx.MultiDiGraph) -> list[str]:
    """The JPO model regions in the graph (Region nodes with ``model_region_fy``), by JIS code."""
    keys = [k for k in known_regions(graph) if graph.nodes[region_id(k)].get("model_region_fy") is not None]
    return sorted(keys, key=lambda k: (str(graph.nodes[region_id(k)].get("jis_code", "")), k))


#: A region that is not a model region is offered once this many organisations sit in it; below
#: that it is an address (the seat of a few national bodies), not a network to look at.
MIN_SEATED = 5
#: Dataset ids of the bundled seed (the real layer ``seed:real`` and the demo layer ``seed``).
BUNDLED_SOURCES: tuple[str, ...] = ("seed",)


def listed_regions(graph: nx.MultiDiGraph) -> list[str]:
    """The one list of regions every surface offers (issue 20): the JPO model regions first, by JIS
    code, then the other regions by JIS code — each region a user loaded, and each bundled one where
    at least :data:`MIN_SEATED` organisations sit (below that the bundled seed names it only as the
    seat of a few outside bodies: an address, not a network to look at).

    The map's and the console's region menus, ``ipeco compare`` and the reports all use it, so a
    region is offered everywhere or nowhere.
    """
    models = model_regions(graph)
    others = []
    for key in known_regions(graph):
        seated = sum(1 for _, _, d in graph.in_edges(region_id(key), data=True) if d.get("type") in PLACING_TYPES)
        if key in models or not seated:
            continue
        bundled = str(graph.nodes[region_id(key)].get("source") or "").startswith(BUNDLED_SOURCES)
        if seated >= MIN_SEATED or not bundled:
            others.append(key)
    others.sort(key=lambda k: (str(graph.nodes[region_id(k)].get("jis_code", "")), k))
    return [*models, *others]


@dataclass(frozen=True)
class RegionScope:
    """Region R's organisations: ``seated`` in R (``LOCATED_IN``) and ``serving`` R (``SERVES`` only)."""

    region: str
    seated: frozenset[str]
    serving: frozenset[str]

    @property
    def organisations(self) -> frozenset[str]:
        return self.seated | self.serving

    def __contains__(self, node: object) -> bool:
        return node in self.seated or node in self.serving


def region_scope(graph: nx.MultiDiGraph, region: str) -> RegionScope:
    """R's organisations, split by how they belong to R; ``KeyError`` naming the known regions."""
    rid = region_id(region)
    if rid not in graph:
        msg = f"unknown region {region!r}; known regions: {', '.join(known_regions(graph)) or 'none'}"
        raise NotFoundError(msg)
    seated: set[str] = set()
    serving: set[str] = set()
    for u, _, data in graph.in_edges(rid, data=True):
        if data.get("type") == "LOCATED_IN":
            seated.add(u)
        elif data.get("type") == "SERVES":
            serving.add(u)
    return RegionScope(rid, frozenset(seated), frozenset(serving - seated))


def region_organisations(graph: nx.MultiDiGraph, region: str) -> set[str]:
    """Organisations seated in (``LOCATED_IN``) or serving (``SERVES``) the region."""
    return set(region_scope(graph, region).organisations)


def organisation_regions(graph: nx.MultiDiGraph, node: Any) -> tuple[str, ...]:
    """Keys of the regions an organisation sits in, then those it serves (each once, in that order)."""
    seated: list[str] = []
    serving: list[str] = []
    for _, target, data in graph.out_edges(node, data=True):
        if data.get("type") == "LOCATED_IN":
            seated.append(region_key(str(target)))
        elif data.get("type") == "SERVES":
            serving.append(region_key(str(target)))
    return tuple(dict.fromkeys(sorted(seated) + sorted(serving)))


def _is_organisation(attrs: dict[str, Any]) -> bool:
    return "Organization" in attrs.get("labels", ())


def _belongs_elsewhere(attrs: dict[str, Any], key: str) -> bool:
    """A context node whose own ``region`` property names a region other than ``key``."""
    own = attrs.get("region")
    return bool(own) and region_key(str(own)) != key


def region_subgraph(graph: nx.MultiDiGraph, region: str) -> nx.MultiDiGraph:
    """Region R's view of ``graph`` (the module docstring defines it); ``graph.graph["region"]`` names R."""
    scope = region_scope(graph, region)
    rid, key = scope.region, region_key(scope.region)
    members = scope.organisations
    keep: set[str] = {rid, *members}
    edges: list[tuple[str, str, Any]] = []
    nodes = graph.nodes
    for node in members:
        # Every tie leaves an organisation (schema: all relationship types start at one), so a
        # member's out-edges plus its in-edges from other members cover each of R's ties once.
        for _, target, edge_key in graph.out_edges(node, keys=True):
            attrs = nodes[target]
            if target == rid or target in members:
                edges.append((node, target, edge_key))
            elif _is_organisation(attrs) or "Region" in attrs.get("labels", ()):
                continue
            elif not _belongs_elsewhere(attrs, key):
                keep.add(target)
                edges.append((node, target, edge_key))
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph, region=rid)
    # Sorted, so a view's node and edge order never depends on string hashing (PYTHONHASHSEED):
    # seeded analytics on it must give the same answer in every process.
    for node in sorted(keep):
        view.add_node(node, **nodes[node], in_region=node in members or node == rid)
    for u, v, edge_key in sorted(set(edges)):
        view.add_edge(u, v, key=edge_key, **graph.edges[u, v, edge_key])
    return view

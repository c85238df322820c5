# ruff: noqa: N803, N806  (H: the organisation graph, as in analytics.gaps)
"""What changed in a region between two fiscal years, item by item, each with its page (issue 21).

Given the region's view as of FY A and as of FY B (both from :func:`graph.snapshots.snapshot`, then
:func:`graph.scope.region_subgraph`), :func:`region_changes` lists:

* ``new_organisation`` — an organisation of B's view not in A's;
* ``new_tie`` / ``ended_tie`` — a tie of B not in A (by type and ``kind``), a tie of A not in B
  (an ``until`` reached, or one end merged into its successor);
* ``new_bridge`` — an organisation tie that is a bridge of B's organisation graph (its loss would
  split the network, leaving at least :data:`MIN_SIDE` organisations on each side) and was not one
  in A; ``new_broker`` likewise for an articulation point (DESIGN §4.4: the brokers the network
  hangs on);
* ``communities_merged`` / ``community_split`` — seeded Louvain communities of A and B compared on
  the organisations present in both: a B community that took at least two members from each of two
  or more A communities, an A community whose members went, at least two each, to two or more B
  communities; only when ties explain it (new ties across the old communities for a merge, ended
  or new ties across the new ones for a split), since a partition may reshuffle without any change;
* ``first_support`` — a firm with a SUPPORTS tie in B and none in A.

Every item names its organisations by id and carries the ``evidence`` (the page URLs) of the ties
or organisations it rests on; nothing here is a sentence (front-ends render the codes).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analytics.communities import louvain, membership
from analytics.orggraph import is_organisation, organisation_graph, organisations, role_of
from analytics.structure import cut_structure
from graph.snapshots import tie_start

__all__ = ["CHANGE_KINDS", "Change", "RegionChanges", "region_changes"]

#: Kinds of change, in the order every surface lists them.
CHANGE_KINDS: tuple[str, ...] = (
    "new_organisation",
    "new_tie",
    "ended_tie",
    "new_bridge",
    "new_broker",
    "communities_merged",
    "community_split",
    "first_support",
)

#: A bridge or broker counts when what it holds together has at least this many organisations on
#: each side: every tie to a lone newcomer is a bridge, which says nothing about the network.
MIN_SIDE = 2

_PLACING = frozenset({"LOCATED_IN", "SERVES"})


@dataclass(frozen=True)
class Change:
    """One change: its ``kind`` (:data:`CHANGE_KINDS`), the organisations it concerns, its pages.

    ``tie_type``/``tie_kind`` say which tie for tie items; ``year`` is the fiscal year the change is
    dated to (None for structural items read from the whole network); ``synthetic`` marks an item
    resting only on generated demo data.
    """

    kind: str
    subjects: tuple[str, ...]
    names: tuple[str, ...]
    evidence: tuple[str, ...]
    tie_type: str = ""
    tie_kind: str = ""
    year: int | None = None
    synthetic: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subjects": list(self.subjects),
            "names": list(self.names),
            "evidence": list(self.evidence),
            "tie_type": self.tie_type,
            "tie_kind": self.tie_kind,
            "year": self.year,
            "synthetic": self.synthetic,
        }


@dataclass(frozen=True)
class RegionChanges:
    """The changes of one region from ``from_year`` to ``to_year``; ``undated_ties`` were not placed."""

    region: str
    from_year: int
    to_year: int
    items: tuple[Change, ...]
    undated_ties: int

    def of_kind(self, kind: str) -> tuple[Change, ...]:
        return tuple(item for item in self.items if item.kind == kind)

    def counts(self) -> dict[str, int]:
        """Items per kind, every kind present (0 when none), in :data:`CHANGE_KINDS` order."""
        counted = Counter(item.kind for item in self.items)
        return {kind: counted.get(kind, 0) for kind in CHANGE_KINDS}

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco changes --json`` document."""
        return {
            "region": self.region,
            "from": self.from_year,
            "to": self.to_year,
            "counts": self.counts(),
            "undated_ties": self.undated_ties,
            "items": [item.as_dict() for item in self.items],
        }


def _urls(values: Iterable[Any]) -> tuple[str, ...]:
    """Distinct page addresses, in order (an evidence field may hold several, space separated)."""
    out: dict[str, None] = {}
    for value in values:
        for part in str(value or "").split():
            out.setdefault(part, None)
    return tuple(out)


def _name(G: nx.MultiDiGraph, node: Any) -> str:
    attrs = G.nodes[node] if node in G else {}
    return str(attrs.get("name") or attrs.get("name_en") or node)


def _org_ties(G: nx.MultiDiGraph) -> dict[tuple[Any, Any, Any], Mapping[str, Any]]:
    """Ties of G that leave one of its region's organisations, placing ties excepted."""
    members = {n for n, d in G.nodes(data=True) if d.get("in_region") and is_organisation(d)}
    return {
        (u, v, k): d
        for u, v, k, d in G.edges(keys=True, data=True)
        if u in members and d.get("type") not in _PLACING and G.nodes[v].get("in_region", True)
    }


def _tie_items(A: nx.MultiDiGraph, B: nx.MultiDiGraph) -> list[Change]:
    before, after = _org_ties(A), _org_ties(B)
    items = []
    for kind, source, ties, G in (("new_tie", after, before, B), ("ended_tie", before, after, A)):
        for (u, v, k), data in source.items():
            if (u, v, k) in ties:
                continue
            items.append(
                Change(
                    kind,
                    (str(u), str(v)),
                    (_name(G, u), _name(G, v)),
                    _urls([data.get("evidence")]),
                    tie_type=str(data.get("type", "")),
                    tie_kind=str(data.get("kind") or ""),
                    year=tie_start(data) if kind == "new_tie" else None,
                    synthetic=bool(data.get("synthetic")),
                )
            )
    return items


def _pair_evidence(G: nx.MultiDiGraph, u: Any, v: Any) -> tuple[list[Any], bool]:
    datas = [d for a, b in ((u, v), (v, u)) if G.has_edge(a, b) for d in G.get_edge_data(a, b).values()]
    datas = [d for d in datas if d.get("type") not in _PLACING]
    return [d.get("evidence") for d in datas], bool(datas) and all(d.get("synthetic") for d in datas)


def _node_evidence(G: nx.MultiDiGraph, node: Any) -> tuple[list[Any], bool]:
    attrs = G.nodes[node]
    return [attrs.get("evidence")], bool(attrs.get("synthetic"))


def _structure_items(A: nx.MultiDiGraph, B: nx.MultiDiGraph, HA: nx.Graph, HB: nx.Graph) -> list[Change]:
    cuts_a, cuts_b = cut_structure(HA), cut_structure(HB)
    old_bridges = {frozenset(e) for e in cuts_a.bridges}
    items = []
    for (u, v), sides in sorted(cuts_b.bridges.items(), key=lambda e: tuple(map(str, e[0]))):
        if frozenset((u, v)) in old_bridges or min(sides) < MIN_SIDE:
            continue
        pages, synthetic = _pair_evidence(B, u, v)
        items.append(
            Change("new_bridge", (str(u), str(v)), (_name(B, u), _name(B, v)), _urls(pages), synthetic=synthetic)
        )
    brokers = {n for n, pieces in cuts_b.articulation_points.items() if len(pieces) > 1 and pieces[1] >= MIN_SIDE}
    for node in sorted(brokers - set(cuts_a.articulation_points), key=str):
        pages, synthetic = _node_evidence(B, node)
        items.append(Change("new_broker", (str(node),), (_name(B, node),), _urls(pages), synthetic=synthetic))
    return items


def _groups(left: Mapping[Any, int], right: Mapping[Any, int]) -> dict[int, Counter[int]]:
    """For each community of ``right``: how many of its members came from each community of ``left``."""
    out: dict[int, Counter[int]] = defaultdict(Counter)
    for node, community in right.items():
        if node in left:
            out[community][left[node]] += 1
    return out


def _pages_not_in(G: nx.MultiDiGraph, other: nx.MultiDiGraph, pairs: Iterable[tuple[Any, Any]]) -> list[Any]:
    """Pages of G's ties between the pairs where ``other`` has no tie between the pair."""
    pages: list[Any] = []
    for u, v in pairs:
        if u in other and v in other and (other.has_edge(u, v) or other.has_edge(v, u)):
            continue
        pages += _pair_evidence(G, u, v)[0]
    return pages


def _pairs(G: nx.MultiDiGraph, members: Iterable[Any], apart: Mapping[Any, int]) -> list[tuple[Any, Any]]:
    """Tied pairs of ``members`` (in G) that ``apart`` puts in different communities."""
    inside = set(members)
    return [(u, v) for u in inside for v in G[u] if v in inside and str(u) < str(v) and apart[u] != apart[v]]


def _community_items(A: nx.MultiDiGraph, B: nx.MultiDiGraph, HA: nx.Graph, HB: nx.Graph, seed: int) -> list[Change]:
    """Merges and splits that ties explain: a merge with new ties across the old communities, a split
    with ended ties or new ties across the new ones (a reshuffle of the partition alone is no change)."""
    in_a = membership(louvain(HA, seed=seed))
    in_b = membership(louvain(HB, seed=seed))
    items = []
    for kind, left, right in (("communities_merged", in_a, in_b), ("community_split", in_b, in_a)):
        for community, sources in sorted(_groups(left, right).items()):
            if sum(1 for count in sources.values() if count >= 2) < 2:
                continue
            members = sorted((n for n, c in right.items() if c == community and n in left), key=str)
            if kind == "communities_merged":
                pages = _pages_not_in(B, A, _pairs(B, members, in_a))
            else:
                pages = _pages_not_in(A, B, _pairs(A, members, in_b)) + _pages_not_in(B, A, _pairs(B, members, in_b))
            if not pages:
                continue
            G = B if kind == "communities_merged" else A
            synthetic = all(G.nodes[n].get("synthetic") for n in members)
            names = tuple(_name(G, n) for n in members)
            items.append(Change(kind, tuple(map(str, members)), names, _urls(pages), synthetic=synthetic))
    return items


def _first_support_items(A: nx.MultiDiGraph, B: nx.MultiDiGraph) -> list[Change]:
    def supported(G: nx.MultiDiGraph) -> dict[Any, list[Mapping[str, Any]]]:
        out: dict[Any, list[Mapping[str, Any]]] = defaultdict(list)
        for _, v, data in G.edges(data=True):
            if data.get("type") == "SUPPORTS" and role_of(G.nodes[v]) == "Company" and G.nodes[v].get("in_region"):
                out[v].append(data)
        return out

    before, after = supported(A), supported(B)
    items = []
    for firm in sorted(set(after) - set(before), key=str):
        ties = sorted(after[firm], key=lambda d: (tie_start(d) or 0, str(d.get("evidence") or "")))
        first = ties[0]
        items.append(
            Change(
                "first_support",
                (str(firm),),
                (_name(B, firm),),
                _urls([first.get("evidence")]),
                year=tie_start(first),
                synthetic=bool(first.get("synthetic")),
            )
        )
    return items


def region_changes(
    before: nx.MultiDiGraph,
    after: nx.MultiDiGraph,
    *,
    region: str,
    from_year: int,
    to_year: int,
    undated_ties: int = 0,
    seed: int = 42,
) -> RegionChanges:
    """The changes of a region from its view ``before`` (FY ``from_year``) to ``after`` (FY ``to_year``).

    Both are region views (``in_region`` on nodes) of :func:`graph.snapshots.snapshot` graphs.
    Items are ordered by kind (:data:`CHANGE_KINDS`), then as each kind's finder lists them.
    """
    HA, HB = organisation_graph(before), organisation_graph(after)
    old = set(organisations(before))
    items = []
    for node in sorted((n for n in organisations(after) if n not in old), key=str):
        pages, synthetic = _node_evidence(after, node)
        items.append(Change("new_organisation", (str(node),), (_name(after, node),), _urls(pages), synthetic=synthetic))
    items += _tie_items(before, after)
    items += _structure_items(before, after, HA, HB)
    items += _community_items(before, after, HA, HB, seed)
    items += _first_support_items(before, after)
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    items.sort(key=lambda item: order[item.kind])
    return RegionChanges(region, from_year, to_year, tuple(items), undated_ties)

"""Where each node of the map goes, computed once on the server (no physics in the browser).

Why here and not in cytoscape: a force layout of 300 nodes blocks the browser for seconds, gives a
different picture at every visit and drifts isolates to the edge of the canvas. The map instead
draws ``preset`` positions from these plain functions, cached per region and data version by the
page, so switching a filter only hides nodes and never moves the others.

The default picture (``clustered``) is the structure a producer reads first: every organisation that
is not a firm (support bodies, universities, 公設試, government, banks, programmes) is a *hub*; each
firm sits in the cluster of the hub it has most ties with (its main support body), laid out as a
sunflower around it, best-connected firms nearest; hubs are spread by a small seeded spring layout
of the hub graph and then pushed apart until no two clusters (nor their labels) overlap; isolates
are packed in a tidy grid under the picture. Everything is deterministic: the same graph always
gives the same positions, and a few hundred nodes lay out in milliseconds.

The other layouts (``layered`` for 階層, ``spring``, ``concentric``) use the same isolate grid.
Positions are in cytoscape model units: a firm's node is about 20 units wide.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from analytics.layout import spring_positions as network_layout
from webapp.data import node_kind

__all__ = [
    "HUB_ORDER",
    "LABELLED_KINDS",
    "Point",
    "clustered_positions",
    "concentric_positions",
    "label_ranks",
    "layered_positions",
    "positions_for",
    "spring_positions",
]

Point = tuple[float, float]

#: Kinds a firm is clustered around, most preferred first (a firm tied to a support body and a bank
#: belongs to the support body's cluster).
HUB_ORDER: tuple[str, ...] = (
    "SupportOrganization",
    "University",
    "ResearchInstitute",
    "GovernmentBody",
    "FinancialInstitution",
    "ProfessionalBody",
    "Network",
    "Programme",
    "TechField",
    "Region",
)

#: Kinds whose names are shown at the opening zoom, in the order labels are placed.
LABELLED_KINDS: tuple[str, ...] = (
    "SupportOrganization",
    "University",
    "ResearchInstitute",
    "GovernmentBody",
    "FinancialInstitution",
)

FIRM_KINDS = frozenset({"Company", "Organization"})
#: Distance between neighbouring firms in a cluster, and the gap kept between clusters.
STEP = 34.0
GAP = 24.0
#: Above this many clusters they are packed in rows instead of relaxed (relaxing costs n² a round).
MAX_RELAXED = 200
#: Gravity per axis while packing: a stronger vertical pull gives a landscape picture that fills a
#: screen (and a printed page) better than a round one.
ASPECT_PULL = np.array([0.6, 1.4])
#: Room a hub's label needs (model units) so neighbouring clusters leave it free.
LABEL_ROOM = 70.0


@dataclass(frozen=True)
class _Cluster:
    hub: str
    firms: tuple[str, ...]

    @property
    def radius(self) -> float:
        return STEP * (0.9 + math.sqrt(len(self.firms))) if self.firms else 20.0


def _simple(graph: nx.Graph | nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph with a ``weight`` = number of ties between two nodes."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes)
    for u, v in graph.edges():
        if u == v:
            continue
        if out.has_edge(u, v):
            out[u][v]["weight"] += 1
        else:
            out.add_edge(u, v, weight=1)
    return out


def _kinds(graph: nx.Graph | nx.MultiDiGraph) -> dict[str, str]:
    return {n: node_kind(d) for n, d in graph.nodes(data=True)}


def _order_key(degree: Mapping[str, float], node: str) -> tuple[float, str]:
    return (-degree.get(node, 0.0), node)


def _isolate_grid(nodes: list[str], top: float, left: float, width: float) -> dict[str, Point]:
    """Isolates in rows under the picture, as wide as the picture (at least 6 to a row)."""
    if not nodes:
        return {}
    cell = 70.0
    per_row = max(6, int(width // cell) or 6)
    return {
        node: (left + (i % per_row) * cell, top + GAP + (i // per_row) * cell * 0.75) for i, node in enumerate(nodes)
    }


def _with_isolates(pos: dict[str, Point], isolates: list[str]) -> dict[str, Point]:
    if not pos:
        return _isolate_grid(isolates, 0.0, 0.0, 600.0)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    return {**pos, **_isolate_grid(isolates, max(ys) + GAP, min(xs), max(xs) - min(xs))}


def _split_isolates(simple: nx.Graph, kinds: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(connected, isolated) nodes; the Region node is never an isolate (it anchors the picture)."""
    isolated = sorted(n for n in simple if simple.degree(n) == 0 and kinds[n] != "Region")
    gone = set(isolated)
    return [n for n in simple if n not in gone], isolated


def _assign_firms(simple: nx.Graph, kinds: Mapping[str, str], degree: Mapping[str, float]) -> dict[str, str]:
    """Each connected firm's hub: the hub it has most ties with, else the hub of its nearest firm."""
    firms = [n for n in simple if kinds[n] in FIRM_KINDS and simple.degree(n) > 0]
    owner = _tied_to_hubs(simple, kinds, degree, firms)
    _adopt_through_firms(simple, degree, owner, [f for f in firms if f not in owner])
    for firm, hub in list(owner.items()):
        if owner.get(hub) is not None and hub != firm:  # a firm chosen as hub is its own centre
            owner[firm] = owner[hub] if owner[hub] != hub else hub
    return owner


def _tied_to_hubs(
    simple: nx.Graph, kinds: Mapping[str, str], degree: Mapping[str, float], firms: list[str]
) -> dict[str, str]:
    """Firms with a tie to a hub: the hub with the heaviest tie (then by kind and degree)."""
    rank = {k: i for i, k in enumerate(HUB_ORDER)}
    owner: dict[str, str] = {}
    for firm in firms:
        hubs = [h for h in simple[firm] if kinds[h] not in FIRM_KINDS]
        if hubs:
            owner[firm] = min(
                hubs,
                key=lambda h: (-simple[firm][h]["weight"], rank.get(kinds[h], 99), *_order_key(degree, h)),
            )
    return owner


def _adopt_through_firms(
    simple: nx.Graph, degree: Mapping[str, float], owner: dict[str, str], pending: list[str]
) -> None:
    """Firms tied only to firms join the cluster of a neighbour that has one (in place)."""
    while pending:
        progressed = False
        for firm in pending:
            known = sorted(owner[n] for n in simple[firm] if n in owner)
            if known:
                owner[firm] = Counter(known).most_common(1)[0][0]
                progressed = True
        pending = [f for f in pending if f not in owner]
        if not progressed:
            # firm-only components: each one's best-connected firm is its hub (components found once)
            for component in nx.connected_components(simple.subgraph(pending)):
                hub = min(component, key=lambda n: _order_key(degree, n))
                owner.update(dict.fromkeys(component, hub))
            return


def _separate(centres: np.ndarray, radii: np.ndarray, iterations: int = 0) -> np.ndarray:
    """Pack discs: pull them towards their centroid and push overlapping pairs apart (vectorised).

    The first two thirds of the rounds pull and push (a compact picture without holes); the last
    third only pushes, so no two discs overlap at the end. Deterministic: no random numbers.
    """
    pts = centres.copy()
    n = len(pts)
    if n < 2:
        return pts
    iterations = iterations or 240
    need = radii[:, None] + radii[None, :] + GAP
    idx = np.arange(n)
    angle = (idx[:, None] - idx[None, :]) * 2.399
    fallback = np.stack([np.cos(angle), np.sin(angle)], -1)
    weight = radii[None, :] / (radii[:, None] + radii[None, :])  # small discs move more
    for step in range(iterations):
        if step < iterations * 2 // 3:
            pts -= 0.04 * (pts - pts.mean(0)) * ASPECT_PULL
        delta = pts[:, None, :] - pts[None, :, :]
        dist = np.sqrt((delta**2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if step >= iterations * 2 // 3 and (overlap <= 0.5).all():
            break
        direction = np.where(
            (dist < 1e-6)[..., None], fallback, delta / np.where(np.isinf(dist), 1.0, np.maximum(dist, 1e-6))[..., None]
        )
        pts += (direction * (overlap * weight)[..., None] * 0.5).sum(1)
    return pts


def _shelves(radii: np.ndarray) -> np.ndarray:
    """Discs packed left to right in rows (biggest first), for views with too many clusters to relax.

    Linear in the number of clusters: a drill-down into hundreds of small firm groups stays fast.
    """
    order = np.argsort(-radii, kind="stable")
    width = float(np.sqrt(((2 * radii + GAP) ** 2).sum())) * 1.3
    pts = np.zeros((len(radii), 2))
    x = y = row_height = 0.0
    for i in order:
        d = 2 * radii[i] + GAP
        if x > 0 and x + d > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        pts[i] = (x + d / 2, y + d / 2)
        x += d
        row_height = max(row_height, d)
    return pts - pts.mean(0)


def _sunflower(count: int, start: float) -> list[Point]:
    """``count`` points on a sunflower (Vogel) spiral: even density, the first ones nearest the centre."""
    golden = math.pi * (3 - math.sqrt(5))
    return [
        (
            (start + STEP * math.sqrt(i + 0.5)) * math.cos(i * golden),
            (start + STEP * math.sqrt(i + 0.5)) * math.sin(i * golden),
        )
        for i in range(count)
    ]


def clustered_positions(
    graph: nx.Graph | nx.MultiDiGraph, degree: Mapping[str, float] | None = None, *, seed: int = 7
) -> dict[str, Point]:
    """Firms clustered around their main hub; hubs spread without overlap; isolates in a grid."""
    kinds = _kinds(graph)
    simple = _simple(graph)
    degree = degree or {n: float(d) for n, d in simple.degree()}
    connected, isolated = _split_isolates(simple, kinds)
    owner = _assign_firms(simple, kinds, degree)
    hubs = sorted((n for n in connected if n not in owner or owner[n] == n), key=lambda n: _order_key(degree, n))
    clusters = _clusters(hubs, owner, degree)
    if not clusters:
        return _with_isolates({}, isolated)
    hub_graph = _hub_graph(simple, hubs, owner)
    radii = np.array([max(c.radius, _label_room(kinds[c.hub])) for c in clusters])
    if len(clusters) > MAX_RELAXED:
        return _with_isolates(_placed(clusters, _shelves(radii)), isolated)
    scale = float(np.sqrt((radii**2).sum())) * 1.2
    start = nx.circular_layout(hubs, scale=scale)
    first = nx.spring_layout(hub_graph, pos=start, seed=seed, iterations=60, weight="weight", scale=scale)
    centres = _separate(np.array([first[h] for h in hubs], dtype=float), radii)
    return _with_isolates(_placed(clusters, centres), isolated)


def _clusters(hubs: list[str], owner: Mapping[str, str], degree: Mapping[str, float]) -> list[_Cluster]:
    """Each hub with its firms, both in degree order."""
    members: dict[str, list[str]] = defaultdict(list)
    for firm, hub in owner.items():
        if firm != hub:
            members[hub].append(firm)
    return [_Cluster(h, tuple(sorted(members.get(h, []), key=lambda n: _order_key(degree, n)))) for h in hubs]


def _hub_graph(simple: nx.Graph, hubs: list[str], owner: Mapping[str, str]) -> nx.Graph:
    """The hubs, tied by their direct ties plus the ties between their clusters (summed weights)."""
    hub_of = {h: h for h in hubs} | {f: h for f, h in owner.items()}
    hub_graph = nx.Graph()
    hub_graph.add_nodes_from(hubs)
    for u, v, d in simple.edges(data=True):
        a, b = hub_of.get(u), hub_of.get(v)
        if a and b and a != b:
            w = hub_graph[a][b]["weight"] if hub_graph.has_edge(a, b) else 0.0
            hub_graph.add_edge(a, b, weight=w + d["weight"])
    return hub_graph


def _label_room(kind: str) -> float:
    """The radius a hub of ``kind`` keeps free for its name (support bodies' names are long)."""
    if kind not in LABELLED_KINDS:
        return 0.0
    return LABEL_ROOM * (2.2 if kind == "SupportOrganization" else 1.0)


def _placed(clusters: list[_Cluster], centres: np.ndarray) -> dict[str, Point]:
    """Each hub at its centre and its firms on a sunflower around it."""
    pos: dict[str, Point] = {}
    for cluster, (cx, cy) in zip(clusters, centres, strict=True):
        pos[cluster.hub] = (float(cx), float(cy))
        for firm, (dx, dy) in zip(cluster.firms, _sunflower(len(cluster.firms), STEP * 0.9), strict=True):
            pos[firm] = (float(cx + dx), float(cy + dy))
    return _rounded(pos)


def layered_positions(graph: nx.Graph | nx.MultiDiGraph, degree: Mapping[str, float] | None = None) -> dict[str, Point]:
    """階層: rows by kind (region and government, support bodies, knowledge and money, firms).

    Wide rows wrap into several lines, and each row is ordered by the mean position of its
    neighbours in the rows above (one barycentre sweep), so ties mostly run downwards.
    """
    kinds = _kinds(graph)
    simple = _simple(graph)
    degree = degree or {n: float(d) for n, d in simple.degree()}
    connected, isolated = _split_isolates(simple, kinds)
    tier_of = {
        "Region": 0,
        "GovernmentBody": 0,
        "SupportOrganization": 1,
        "Network": 1,
        "Programme": 2,
        "University": 3,
        "ResearchInstitute": 3,
        "FinancialInstitution": 3,
        "ProfessionalBody": 3,
        "TechField": 3,
    }
    tiers: dict[int, list[str]] = defaultdict(list)
    for node in connected:
        tiers[tier_of.get(kinds[node], 4)].append(node)
    per_line = max(12, int(math.sqrt(len(connected)) * 2))
    cell, line_gap, tier_gap = 110.0, 70.0, 150.0
    pos: dict[str, Point] = {}
    y = 0.0
    for tier in sorted(tiers):
        nodes = sorted(tiers[tier], key=lambda n: _order_key(degree, n))
        placed_above = [m for m in pos]

        def barycentre(node: str, above: list[str] = placed_above) -> float:
            xs = [pos[m][0] for m in simple[node] if m in pos and m in above]
            return sum(xs) / len(xs) if xs else math.inf

        nodes.sort(key=lambda n: (barycentre(n), *_order_key(degree, n)))
        step = cell if tier < 4 else cell * 0.55  # firms are unlabelled at first: pack them tighter
        width = min(len(nodes), per_line if tier < 4 else per_line * 2)
        for i, node in enumerate(nodes):
            row, col = divmod(i, width)
            in_row = min(width, len(nodes) - row * width)
            x = (col - (in_row - 1) / 2) * step
            offset = (step / 2) if row % 2 else 0.0  # stagger wrapped lines so labels do not stack
            pos[node] = (x + offset, y + row * line_gap)
        y += (math.ceil(len(nodes) / width) - 1) * line_gap + tier_gap
    return _with_isolates(_rounded(pos), isolated)


def spring_positions(graph: nx.Graph | nx.MultiDiGraph, *, seed: int = 7) -> dict[str, Point]:
    """A seeded force layout of the connected part (kept for 力学 CoSE), isolates in a grid."""
    kinds = _kinds(graph)
    simple = _simple(graph)
    connected, isolated = _split_isolates(simple, kinds)
    sub = simple.subgraph(connected)
    if sub.number_of_nodes() == 0:
        return _with_isolates({}, isolated)
    raw = network_layout(sub, seed=seed)
    spread = 45 * math.sqrt(sub.number_of_nodes())
    scaled = {str(n): (float(x) * spread, float(y) * spread) for n, (x, y) in raw.items()}
    return _with_isolates(_rounded(scaled), isolated)


def concentric_positions(order: list[str]) -> dict[str, Point]:
    """Rings from the centre outwards, highest measure first; ring i holds 6·i nodes."""
    pos: dict[str, Point] = {}
    ring, index, capacity = 0, 0, 1
    for node in order:
        radius = ring * 90.0
        angle = 2 * math.pi * index / capacity
        pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
        index += 1
        if index >= capacity:
            ring, index = ring + 1, 0
            capacity = 6 * ring
    return _rounded(pos)


def _rounded(pos: Mapping[str, Point]) -> dict[str, Point]:
    return {str(n): (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def positions_for(
    graph: nx.Graph | nx.MultiDiGraph, layout: str, measure: Mapping[str, float] | None = None
) -> dict[str, Point]:
    """Positions of ``graph`` for a map layout name (see :data:`webapp.state.LAYOUTS`).

    ``measure`` (the analysis service's numbers) orders the concentric rings and the clusters.
    """
    measure = measure or {}
    if layout == "breadthfirst":
        return layered_positions(graph, measure or None)
    if layout == "cose":
        return spring_positions(graph)
    if layout == "concentric":
        return concentric_positions(sorted(graph, key=lambda n: (-float(measure.get(n, 0.0)), n)))
    return clustered_positions(graph, measure or None)


def label_ranks(
    graph: nx.Graph | nx.MultiDiGraph, measure: Mapping[str, float], *, top_firms: int = 10
) -> dict[str, tuple[int, int]]:
    """``{node: (rank, tier)}``: the order in which the browser places labels, and their tier.

    Tier 0 (shown at the opening zoom when there is room): support bodies, universities, 公設試,
    government, banks, then the top ``top_firms`` organisations by the size measure. Tier 1:
    programmes, networks, the region and other hubs. Tier 2: every other firm, named only once the
    user has zoomed in. Within a tier, the larger measure comes first.
    """
    kinds = _kinds(graph)
    kind_rank = {k: i for i, k in enumerate(LABELLED_KINDS)}

    def value(node: str) -> float:
        return float(measure.get(node, 0.0))

    firms = sorted((n for n in graph if kinds[n] in FIRM_KINDS), key=lambda n: (-value(n), n))
    top = set(firms[:top_firms])

    def key(node: str) -> tuple[int, int, float, str]:
        kind = kinds[node]
        if kind in kind_rank:
            return (0, kind_rank[kind], -value(node), node)
        if node in top:
            return (0, len(kind_rank), -value(node), node)
        if kind not in FIRM_KINDS:
            return (1, 0, -value(node), node)
        return (2, 0, -value(node), node)

    ordered = sorted(graph, key=key)
    return {node: (i, key(node)[0]) for i, node in enumerate(ordered)}

# ruff: noqa: N803  (G, H, A, P: graph and matrix names as in the literature)
"""Communities of organisations: Louvain partition, its stability across seeds, participation.

The Louvain method here is the algorithm of ``networkx.community.louvain_communities`` (Blondel,
Guillaume, Lambiotte & Lefebvre 2008, doi:10.1088/1742-5468/2008/10/P10008: local moving in a
seeded random order, then aggregation, until modularity stops rising by more than ``threshold``)
written over integer-indexed adjacency lists. NetworkX's own implementation took over two minutes
on a 5×10^4-node graph on the project machine; this one takes seconds. Tie-breaking differs, so
the partition for a seed is not NetworkX's, but its modularity is of the same quality; the tests
check it against python-igraph's modularity of the same partition and its multilevel optimum.

Above :data:`analytics.fast.IGRAPH_THRESHOLD` organisations the partition comes from python-igraph's C
core: ``Graph.community_leiden`` with the modularity objective and 2 iterations (Traag, Waltman & van
Eck 2019, doi:10.1038/s41598-019-41695-z: Louvain's local moving and aggregation plus a refinement
step that guarantees connected communities), seeded through ``analytics.fast.seeded``. The Python
version took about 10 s per run at 5×10^4 nodes, and igraph 1.0's ``community_multilevel`` 9–25 s
on the same graphs on this machine, against under 2 s for Leiden, whose modularity is also higher
(0.43 vs 0.40 on the 5×10^4 bench region). Stability needs several runs, so this matters.
Participation, ARI/NMI and modularity stay here (numpy, linear time).
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np

from analytics.fast import IGRAPH_THRESHOLD, seeded, to_igraph
from analytics.orggraph import edge_array

__all__ = [
    "adjusted_rand_index",
    "louvain",
    "membership",
    "modularity",
    "normalized_mutual_information",
    "participation_coefficient",
    "partition_stability",
]


def louvain(
    H: nx.Graph,
    *,
    seed: int = 42,
    resolution: float = 1.0,
    weight: str | None = None,
    threshold: float = 1e-7,
) -> list[set[Any]]:
    """Louvain communities (Blondel et al. 2008), largest first, ties broken by smallest member id.

    Isolates form singleton communities. ``weight=None`` counts every edge as 1. The same ``seed``
    always returns the same partition.
    """
    nodes = list(H)
    n = len(nodes)
    if n == 0:
        return []
    if n > IGRAPH_THRESHOLD:
        return _louvain_igraph(H, nodes, seed=seed, resolution=resolution, weight=weight)
    adj = _adjacency(H, nodes, weight)
    strength = [sum(a.values()) for a in adj]
    if sum(strength) == 0:
        return _sorted_partition([{node} for node in nodes])
    node_to_comm = _levels(adj, strength, random.Random(seed), resolution, threshold)
    groups: dict[int, set[Any]] = {}
    for node, c in zip(nodes, node_to_comm, strict=True):
        groups.setdefault(c, set()).add(node)
    return _sorted_partition(list(groups.values()))


def _louvain_igraph(
    H: nx.Graph, nodes: list[Any], *, seed: int, resolution: float, weight: str | None
) -> list[set[Any]]:
    """Leiden (modularity objective, a refined Louvain) in igraph's C core, seeded via :func:`analytics.fast.seeded`.

    ``community_multilevel`` was 5–15× slower on the bench graphs with igraph 1.0; see the module docstring.
    """
    g, _ = to_igraph(H, nodes, weight=weight)
    if g.ecount() == 0:
        return _sorted_partition([{node} for node in nodes])
    with seeded(seed):
        clustering = g.community_leiden(
            objective_function="modularity",
            weights="weight" if weight else None,
            resolution=resolution,
            n_iterations=2,
        )
    groups: dict[int, set[Any]] = {}
    for node, c in zip(nodes, clustering.membership, strict=True):
        groups.setdefault(c, set()).add(node)
    return _sorted_partition(list(groups.values()))


def _adjacency(H: nx.Graph, nodes: list[Any], weight: str | None) -> list[dict[int, float]]:
    """Neighbour positions and summed edge weights per node position (self-loops dropped)."""
    index = {node: i for i, node in enumerate(nodes)}
    adj: list[dict[int, float]] = [{} for _ in nodes]
    for u, v, data in H.edges(data=True):
        if u == v:
            continue
        w = float(data.get(weight, 1.0)) if weight else 1.0
        i, j = index[u], index[v]
        adj[i][j] = adj[i].get(j, 0.0) + w
        adj[j][i] = adj[j].get(i, 0.0) + w
    return adj


def _levels(
    adj: list[dict[int, float]], strength: list[float], rng: random.Random, resolution: float, threshold: float
) -> list[int]:
    """Louvain's passes: move nodes, aggregate communities, repeat while modularity gains more than
    ``threshold``; the community of each original node position."""
    n = len(adj)
    two_m = sum(strength)
    node_to_comm = list(range(n))
    mod = _modularity_from(adj, strength, list(range(n)), two_m, resolution)
    while True:
        comm, moved = _one_level(adj, strength, two_m, resolution, rng)
        if not moved:
            break
        labels = {c: i for i, c in enumerate(dict.fromkeys(comm))}
        comm = [labels[c] for c in comm]
        new_mod = _modularity_from(adj, strength, comm, two_m, resolution)
        node_to_comm = [comm[c] for c in node_to_comm]
        adj, strength = _aggregate(adj, strength, comm, len(labels))
        if new_mod - mod <= threshold:
            break
        mod = new_mod
    return node_to_comm


def _one_level(
    adj: list[dict[int, float]], strength: list[float], two_m: float, resolution: float, rng: random.Random
) -> tuple[list[int], bool]:
    """Local moving until no node gains by moving, visiting nodes from a queue (Traag 2015).

    Every node is queued once in seeded random order; a node that moves queues its neighbours
    outside its new community. This reaches the same kind of local optimum as repeated full passes
    (Blondel et al.) in far fewer visits (Traag 2015, doi:10.1103/PhysRevE.92.032801).
    """
    n = len(adj)
    comm = list(range(n))
    tot = list(strength)
    order = list(range(n))
    rng.shuffle(order)
    queue = deque(order)
    queued = bytearray(b"\x01") * n
    moved_any = False
    factor = resolution / two_m
    while queue:
        i = queue.popleft()
        queued[i] = 0
        ci = comm[i]
        ki = strength[i]
        links: dict[int, float] = {}
        for j, w in adj[i].items():
            if j != i:
                cj = comm[j]
                links[cj] = links.get(cj, 0.0) + w
        tot[ci] -= ki
        best = ci
        best_gain = links.get(ci, 0.0) - tot[ci] * ki * factor
        for c, w in links.items():
            gain = w - tot[c] * ki * factor
            if gain > best_gain:
                best, best_gain = c, gain
        tot[best] += ki
        if best != ci:
            comm[i] = best
            moved_any = True
            for j in adj[i]:
                if not queued[j] and comm[j] != best:
                    queued[j] = 1
                    queue.append(j)
    return comm, moved_any


def _aggregate(
    adj: list[dict[int, float]], strength: list[float], comm: list[int], size: int
) -> tuple[list[dict[int, float]], list[float]]:
    new_adj: list[dict[int, float]] = [{} for _ in range(size)]
    new_strength = [0.0] * size
    for i, nbrs in enumerate(adj):
        ci = comm[i]
        new_strength[ci] += strength[i]
        row = new_adj[ci]
        for j, w in nbrs.items():
            cj = comm[j]
            row[cj] = row.get(cj, 0.0) + w
    return new_adj, new_strength


def _modularity_from(
    adj: list[dict[int, float]], strength: list[float], comm: list[int], two_m: float, resolution: float
) -> float:
    internal: dict[int, float] = {}
    total: dict[int, float] = {}
    for i, nbrs in enumerate(adj):
        ci = comm[i]
        total[ci] = total.get(ci, 0.0) + strength[i]
        for j, w in nbrs.items():
            if comm[j] == ci:
                internal[ci] = internal.get(ci, 0.0) + w
    return sum(internal.get(c, 0.0) / two_m - resolution * (t / two_m) ** 2 for c, t in total.items())


def _sorted_partition(groups: Iterable[set[Any]]) -> list[set[Any]]:
    return sorted(groups, key=lambda g: (-len(g), min(str(x) for x in g)))


def membership(communities: Sequence[Iterable[Any]]) -> dict[Any, int]:
    """Map each node to the index of its community in ``communities``."""
    return {node: i for i, group in enumerate(communities) for node in group}


def modularity(H: nx.Graph, communities: Sequence[Iterable[Any]], *, weight: str | None = None) -> float:
    """Newman–Girvan modularity Q of a partition (Newman & Girvan 2004, doi:10.1103/PhysRevE.69.026113).

    ``Q = Σ_c [L_c / m − (K_c / 2m)^2]`` with L_c the edges inside c and K_c its total degree; 0.0
    for an edgeless graph (NetworkX would divide by zero).
    """
    if H.number_of_edges() == 0:
        return 0.0
    if weight is not None:
        return float(nx.community.modularity(H, communities, weight=weight))
    member = membership(communities)
    size = len(communities)
    nodes = list(H)
    # Per-community edge counts in numpy over the edge array (the per-edge Python loop took about
    # a second per call at 5×10^4 organisations, and analyze calls this three times). The counts
    # are the same integers, so Q is the same float.
    ends, _ = edge_array(H, nodes)
    label = np.fromiter((member[node] for node in nodes), dtype=np.int64, count=len(nodes))
    cu, cv = label[ends[:, 0]], label[ends[:, 1]]
    total = (np.bincount(cu, minlength=size) + np.bincount(cv, minlength=size)).astype(np.float64)
    inside = (cu == cv) & (ends[:, 0] != ends[:, 1])
    internal = np.bincount(cu[inside], minlength=size).astype(np.float64)
    m = len(ends)
    return float((internal / m - (total / (2 * m)) ** 2).sum())


def participation_coefficient(H: nx.Graph, communities: Sequence[Iterable[Any]]) -> dict[Any, float]:
    """Participation coefficient (Guimerà & Amaral 2005, doi:10.1038/nature03288).

    ``P_i = 1 − Σ_s (k_is / k_i)^2`` where k_is counts i's neighbours in community s: 0 when all
    ties stay in one community, approaching 1 when they spread evenly over many. Isolates are 0.
    """
    member = membership(communities)
    out: dict[Any, float] = {}
    for node in H:
        k = H.degree(node)
        if k == 0:
            out[node] = 0.0
            continue
        counts: dict[int, int] = {}
        for nb in H[node]:
            if nb != node:
                counts[member[nb]] = counts.get(member[nb], 0) + 1
        out[node] = float(1.0 - sum((c / k) ** 2 for c in counts.values()))
    return out


def _encode(labels: Sequence[Any]) -> np.ndarray:
    lookup: dict[Any, int] = {}
    return np.array([lookup.setdefault(x, len(lookup)) for x in labels], dtype=np.int64)


def _contingency(a: Sequence[Any], b: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """The non-zero cells of the contingency table of two labelings, in row-major order.

    Returns ``(rows, cols, counts, n_rows, n_cols)``. Sparse because isolates are singleton
    communities: a 5×10^4-organisation region has about 5×10^3 communities, so the dense table
    was 2.7×10^7 cells (and 4×10^8 at 2×10^5 organisations) with one non-zero cell per row.
    """
    x, y = _encode(a), _encode(b)
    if not len(x):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, 0, 0
    n_rows, n_cols = int(x.max()) + 1, int(y.max()) + 1
    codes, counts = np.unique(x * n_cols + y, return_counts=True)
    return codes // n_cols, codes % n_cols, counts.astype(np.int64), n_rows, n_cols


def adjusted_rand_index(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985, doi:10.1007/BF01908075).

    1.0 for identical partitions (also when both put everything in one group), about 0 for chance.
    """
    n = len(a)
    if n < 2:
        return 1.0
    _, _, counts, _, _ = _contingency(a, b)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) // 2).sum())

    # Integer sums, so leaving out the empty cells changes nothing; the margins are label counts.
    index = pairs(counts)
    rows, cols = pairs(np.bincount(_encode(a))), pairs(np.bincount(_encode(b)))
    total = n * (n - 1) / 2
    expected = rows * cols / total
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def _dense_margin(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int], axis: int
) -> np.ndarray:
    """``table.sum(axis=axis)`` of the dense table with these cells, to the last bit.

    A margin entry with one cell is that cell exactly. Entries with more are summed from a dense
    block that numpy reduces as it reduces the full table: along a row (``axis=1``) pairwise over
    the full row length, so the block keeps every column; down a column (``axis=0``) row by row,
    so the block keeps every row and at least two columns (a single column would be summed
    pairwise instead).
    """
    keep, other = (rows, cols) if axis == 1 else (cols, rows)
    size = shape[0] if axis == 1 else shape[1]
    out = np.zeros(size)
    per = np.bincount(keep, minlength=size)
    single = per[keep] == 1
    out[keep[single]] = values[single]
    multi = np.flatnonzero(per > 1)
    if len(multi) == 0:
        return out
    slot = np.full(size, -1, dtype=np.int64)
    slot[multi] = np.arange(len(multi))
    pick = slot[keep] >= 0
    if axis == 1:
        block = np.zeros((len(multi), shape[1]))
        block[slot[keep[pick]], other[pick]] = values[pick]
    else:
        block = np.zeros((shape[0], max(len(multi), 2) if shape[1] > 1 else 1))
        block[other[pick], slot[keep[pick]]] = values[pick]
    out[multi] = block.sum(axis=axis)[: len(multi)]
    return out


def normalized_mutual_information(a: Sequence[Any], b: Sequence[Any]) -> float:
    """NMI with the arithmetic-mean normalisation (Danon et al. 2005, doi:10.1088/1742-5468/2005/09/P09008).

    ``I(A; B) / ((H(A) + H(B)) / 2)``; 1.0 when both labelings have zero entropy. Computed over the
    non-empty cells of the contingency table only, with the same floating-point sums (and so the
    same value) as over the dense table.
    """
    n = len(a)
    if n == 0:
        return 1.0
    rows, cols, counts, n_rows, n_cols = _contingency(a, b)
    cell = counts.astype(np.float64) / n
    pa = _dense_margin(rows, cols, cell, (n_rows, n_cols), axis=1)
    pb = _dense_margin(rows, cols, cell, (n_rows, n_cols), axis=0)
    mi = float((cell * np.log(cell / (pa[rows] * pb[cols]))).sum())
    ha = float(-(pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = float(-(pb[pb > 0] * np.log(pb[pb > 0])).sum())
    if ha + hb == 0:
        return 1.0
    return max(0.0, min(1.0, 2 * mi / (ha + hb)))


def partition_stability(
    H: nx.Graph,
    *,
    seeds: Sequence[int] = tuple(range(10)),
    weight: str | None = None,
    known: dict[int, list[set[Any]]] | None = None,
) -> dict[str, Any]:
    """How much the Louvain partition depends on the seed.

    Runs :func:`louvain` once per seed and reports the mean pairwise adjusted Rand index and NMI
    (1.0 = every seed finds the same communities), the modularity range, and the seeds used
    (``known`` passes partitions already computed, by seed, so they are not recomputed). A low
    value warns that community membership of individual organisations should not be over-read.
    """
    nodes = list(H)
    known = known or {}
    runs = [known[s] if s in known else louvain(H, seed=s, weight=weight) for s in seeds]
    members = [membership(run) for run in runs]
    labelings = [[member[node] for node in nodes] for member in members]
    aris = [adjusted_rand_index(x, y) for x, y in combinations(labelings, 2)]
    nmis = [normalized_mutual_information(x, y) for x, y in combinations(labelings, 2)]
    mods = [modularity(H, run, weight=weight) for run in runs]
    return {
        "seeds": list(seeds),
        "mean_ari": float(np.mean(aris)) if aris else 1.0,
        "mean_nmi": float(np.mean(nmis)) if nmis else 1.0,
        "modularity_min": float(min(mods)) if mods else 0.0,
        "modularity_max": float(max(mods)) if mods else 0.0,
    }


def _finite(x: float) -> float:
    return x if math.isfinite(x) else 0.0

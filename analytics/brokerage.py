# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Brokerage: Burt's structural holes (constraint, effective size) and Gould–Fernandez roles.

All functions take the undirected organisation graph. Burt's measures are computed with sparse
matrix products restricted to existing ties, because ``networkx.constraint`` recomputes neighbour
sums per pair and does not finish on regions with hub support bodies.
"""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analytics.orggraph import adjacency_matrix

__all__ = ["BROKERAGE_ROLES", "brokerage_roles", "constraint", "effective_size", "triangles"]

#: Gould–Fernandez roles on an undirected graph, in output order.
BROKERAGE_ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative_gatekeeper", "liaison")


def _proportions(H: nx.Graph, nodes: list[Any], weight: str | None) -> tuple[sp.csr_array, sp.csr_array]:
    """Binary adjacency A and Burt's proportional tie strengths P (row-normalised mutual weights)."""
    W = adjacency_matrix(H, nodes, weight=weight)
    A = W.copy()
    A.data[:] = 1.0
    strength = np.asarray(W.sum(axis=1)).ravel()
    inv = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
    P = sp.csr_array(sp.diags_array(inv) @ W)
    return A, P


def _masked_product(X: sp.csr_array, Y: sp.csr_array, mask: sp.csr_array, rows: int = 20_000) -> sp.csr_array:
    """``(X @ Y) ⊙ mask`` computed in row blocks so hub two-step products never fill memory."""
    blocks = []
    for start in range(0, X.shape[0], rows):
        stop = min(start + rows, X.shape[0])
        blocks.append(sp.csr_array((X[start:stop] @ Y).multiply(mask[start:stop])))
    return sp.csr_array(sp.vstack(blocks)) if blocks else sp.csr_array(mask.shape)


def constraint(H: nx.Graph, *, weight: str | None = None) -> dict[Any, float | None]:
    """Burt's (1992) aggregate constraint, *Structural Holes*, Harvard UP, ch. 2.

    ``c_i = Σ_{j ∈ N(i)} (p_ij + Σ_{q ≠ i, j} p_iq p_qj)^2`` with ``p_ij`` the share of i's ties
    (or tie weight) that go to j. Low constraint = ties into otherwise unconnected contacts
    (brokerage opportunity); 1 = a single contact; a closed triangle gives 1.125. Values equal
    ``networkx.constraint``. Isolates have no contacts and get ``None`` (NetworkX returns NaN).
    """
    nodes = list(H)
    if not nodes:
        return {}
    A, P = _proportions(H, nodes, weight)
    indirect = _masked_product(P, P, A)
    total = (P + indirect).power(2)
    values = np.asarray(total.sum(axis=1)).ravel()
    degree = np.asarray(A.sum(axis=1)).ravel()
    return {node: (float(v) if d > 0 else None) for node, v, d in zip(nodes, values, degree, strict=True)}


def effective_size(H: nx.Graph, *, weight: str | None = None) -> dict[Any, float]:
    """Burt's (1992) effective size of the ego network: contacts minus their redundancy.

    ``e_i = Σ_{j ∈ N(i)} (1 − Σ_{q ≠ i, j} p_iq m_jq)`` with ``m_jq`` j's tie to q divided by j's
    strongest tie. Unweighted, this is Borgatti's (1997) ``deg − 2t/deg`` (t = ties among the
    contacts). Equals ``networkx.effective_size(H, nodes=..., weight=...)`` (its per-node
    definition), except that isolates get 0.0 instead of NaN. Caveat: NetworkX 3.6's all-nodes fast
    path for *weighted* graphs divides by the column maximum instead of j's own strongest tie and so
    disagrees with its own per-node result; this function follows the definition.
    """
    nodes = list(H)
    if not nodes:
        return {}
    A, P = _proportions(H, nodes, weight)
    W = adjacency_matrix(H, nodes, weight=weight)
    strongest = W.max(axis=1).toarray().ravel()
    inv = np.divide(1.0, strongest, out=np.zeros_like(strongest), where=strongest > 0)
    M = sp.csr_array(sp.diags_array(inv) @ W)
    # redundancy[i, j] = Σ_q p_iq m_jq = (P @ M.T)[i, j], needed only where i–j is a tie.
    redundancy = _masked_product(P, sp.csr_array(M.T), A)
    degree = np.asarray(A.sum(axis=1)).ravel()
    values = degree - np.asarray(redundancy.sum(axis=1)).ravel()
    return {node: float(v) if d > 0 else 0.0 for node, v, d in zip(nodes, values, degree, strict=True)}


def triangles(H: nx.Graph) -> np.ndarray:
    """All triangles as an (t × 3) array of node positions in ``list(H)`` order (degree-ordered listing)."""
    nodes = list(H)
    index = {node: i for i, node in enumerate(nodes)}
    rank = {node: (H.degree(node), index[node]) for node in nodes}
    higher = {node: {nb for nb in H[node] if nb != node and rank[nb] > rank[node]} for node in nodes}
    found: list[tuple[int, int, int]] = []
    for u in nodes:
        hu = higher[u]
        for v in hu:
            for w in hu & higher[v]:
                found.append((index[u], index[v], index[w]))
    return np.array(found, dtype=np.int64).reshape(-1, 3)


def _role_counts(A: sp.csr_array, groups: np.ndarray, n_groups: int, tri: np.ndarray) -> np.ndarray:
    """Open two-paths centred on each node, by Gould–Fernandez role (n × 4)."""
    n = A.shape[0]
    onehot = sp.csr_array((np.ones(n), (np.arange(n), groups)), shape=(n, n_groups))
    by_group = (A @ onehot).toarray()  # neighbours of each node per group
    own = by_group[np.arange(n), groups]
    other = by_group.sum(axis=1) - own
    other_sq = (by_group**2).sum(axis=1) - own**2
    same_other = (other_sq - other) / 2  # pairs of neighbours in one and the same foreign group
    counts = np.stack(
        [own * (own - 1) / 2, same_other, own * other, (other**2 - other_sq) / 2],
        axis=1,
    )
    if len(tri):
        # A closed pair (a, b) around v is no brokerage: subtract it from v's role for that pair.
        for centre, a, b in ((0, 1, 2), (1, 0, 2), (2, 0, 1)):
            v, x, y = tri[:, centre], tri[:, a], tri[:, b]
            gv, gx, gy = groups[v], groups[x], groups[y]
            role = np.where(
                (gx == gv) & (gy == gv),
                0,
                np.where(gx == gy, 1, np.where((gx == gv) | (gy == gv), 2, 3)),
            )
            np.subtract.at(counts, (v, role), 1)
    return counts


def brokerage_roles(
    H: nx.Graph, *, attribute: str = "role", permutations: int = 100, seed: int = 42
) -> dict[Any, dict[str, Any]]:
    """Gould & Fernandez (1989) brokerage roles by role label, with permutation z-scores.

    For every open two-path a – v – b (a and b not tied to each other), v brokers between a and b.
    With groups A(·) given by ``attribute`` (the organisation's role label):

    - *coordinator*: A(a) = A(v) = A(b);
    - *itinerant* (consultant): A(a) = A(b) ≠ A(v);
    - *representative* / *gatekeeper*: exactly one of a, b shares v's group;
    - *liaison*: all three groups differ.

    Gould & Fernandez (1989), *Sociological Methodology* 19: 89–126, doi:10.2307/270949.

    **What collapses when ties are undirected.** Representative (a → v → b with A(a) = A(v)) and
    gatekeeper (A(v) = A(b)) differ only in the direction of flow. On the undirected organisation
    graph a – v – b and b – v – a are the same two-path, so the two are reported together as
    ``representative_gatekeeper``; coordinator, itinerant and liaison are unaffected. Each
    unordered pair {a, b} counts once.

    z-scores compare the observed counts with ``permutations`` seeded random reassignments of the
    group labels over the nodes (group sizes fixed, the simulation form of Gould and Fernandez's
    expectation): ``z = (observed − mean) / sd``, 0.0 when the null has no variance.

    Returns
    -------
    dict
        ``{node: {"coordinator": int, "itinerant": int, "representative_gatekeeper": int,
        "liaison": int, "total": int, "z": {role: float}}}``.
    """
    nodes = list(H)
    n = len(nodes)
    if n == 0:
        return {}
    labels = [str(H.nodes[node].get(attribute)) for node in nodes]
    lookup: dict[str, int] = {}
    groups = np.array([lookup.setdefault(label, len(lookup)) for label in labels], dtype=np.int64)
    A = adjacency_matrix(H, nodes)
    A.data[:] = 1.0
    tri = triangles(H)
    observed = _role_counts(A, groups, len(lookup), tri)
    z = _permutation_z(A, groups, len(lookup), tri, observed, permutations, seed)
    return _rows(nodes, observed, z)


def _permutation_z(
    A: Any, groups: np.ndarray, k: int, tri: Any, observed: np.ndarray, permutations: int, seed: int
) -> np.ndarray:
    """z-scores of the observed counts against ``permutations`` seeded shuffles of the group labels."""
    rng = np.random.default_rng(random.Random(seed).getrandbits(64))
    total = np.zeros_like(observed)
    total_sq = np.zeros_like(observed)
    for _ in range(permutations):
        counts = _role_counts(A, rng.permutation(groups), k, tri)
        total += counts
        total_sq += counts**2
    if not permutations:
        return np.zeros_like(observed)
    mean = total / permutations
    var = np.maximum(total_sq / permutations - mean**2, 0.0)
    sd = np.sqrt(var)
    return np.divide(observed - mean, sd, out=np.zeros_like(observed), where=sd > 1e-12)


def _rows(nodes: list[Any], observed: np.ndarray, z: np.ndarray) -> dict[Any, dict[str, Any]]:
    """Each node's role counts, their total and their z-scores, as plain Python values.

    Counts are whole numbers held in floats: rint (half to even, as round) and tolist give the
    same Python ints and floats as per-cell round(float(...)), in one pass over 10^5 rows.
    """
    counts = np.rint(observed).astype(np.int64).tolist()
    out: dict[Any, dict[str, Any]] = {}
    for node, count, zrow in zip(nodes, counts, z.tolist(), strict=True):
        row: dict[str, Any] = dict(zip(BROKERAGE_ROLES, count, strict=True))
        row["total"] = sum(count)
        row["z"] = dict(zip(BROKERAGE_ROLES, zrow, strict=True))
        out[node] = row
    return out


def _brute_force_roles(H: nx.Graph, attribute: str = "role") -> dict[Any, dict[str, int]]:
    """Reference count by enumeration (tests only; O(Σ deg^2))."""
    out = {}
    for v in H:
        row = dict.fromkeys(BROKERAGE_ROLES, 0)
        gv = H.nodes[v].get(attribute)
        for a, b in combinations([x for x in H[v] if x != v], 2):
            if H.has_edge(a, b):
                continue
            ga, gb = H.nodes[a].get(attribute), H.nodes[b].get(attribute)
            if ga == gv == gb:
                row["coordinator"] += 1
            elif ga == gb:
                row["itinerant"] += 1
            elif gv in (ga, gb):
                row["representative_gatekeeper"] += 1
            else:
                row["liaison"] += 1
        out[v] = row
    return out

# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Centrality of organisations: degree, PageRank, harmonic closeness, eigenvector, betweenness.

Every function takes the undirected organisation graph (:func:`analytics.orggraph.organisation_graph`)
and returns a plain ``dict`` keyed by node id with Python floats. Shortest-path measures
(betweenness, harmonic closeness) share one breadth-first pass per source, run in batches of sources
with sparse matrix products (the batched form of Brandes' algorithm used by GraphBLAS, Buluç &
Gilbert 2011), so that a 5×10^4-organisation region is measured in seconds rather than the minutes a
pure-Python traversal takes. Above ``exact_threshold`` nodes, ``k`` sources are sampled with the
same seeded draw as ``networkx.betweenness_centrality(G, k=k, seed=seed)``, and the results equal
NetworkX's to rounding.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from analytics.orggraph import adjacency_matrix

__all__ = [
    "PathSample",
    "betweenness",
    "degree",
    "eigenvector",
    "harmonic_closeness",
    "pagerank",
    "path_centralities",
    "weighted_degree",
]

#: Dense working arrays per batch are kept near this many cells (n × batch), about 32 MB each.
_BATCH_CELLS = 4_000_000


def degree(H: nx.Graph) -> dict[Any, int]:
    """Number of distinct tie partners of each organisation (unnormalised degree)."""
    return {node: int(d) for node, d in H.degree()}


def weighted_degree(H: nx.Graph, weight: str = "weight") -> dict[Any, float]:
    """Sum of the ``weight`` of each organisation's edges (the number of ties when unweighted).

    Called *strength* by Barrat et al. (2004), doi:10.1073/pnas.0400087101.
    """
    return {node: float(d) for node, d in H.degree(weight=weight)}


def pagerank(
    H: nx.Graph, *, alpha: float = 0.85, weight: str | None = None, personalization: dict | None = None
) -> dict[Any, float]:
    """PageRank (Page, Brin, Motwani & Winograd 1999, Stanford InfoLab 1999-66).

    On the undirected organisation graph each edge is followed both ways; dangling (isolated) nodes
    teleport uniformly (or to ``personalization``). Values sum to 1. ``weight=None`` treats every
    edge alike. An empty graph returns ``{}``.
    """
    if H.number_of_nodes() == 0:
        return {}
    scores = nx.pagerank(H, alpha=alpha, weight=weight, personalization=personalization, tol=1e-12, max_iter=1000)
    return {node: float(v) for node, v in scores.items()}


def eigenvector(H: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality (Bonacich 1972), the principal eigenvector of the adjacency matrix.

    Normalised to unit Euclidean length and made non-negative, as
    ``networkx.eigenvector_centrality_numpy`` does. Caveat: on a disconnected graph the principal
    eigenvector lives on the component with the largest spectral radius, so organisations in
    smaller components score 0 — which is the definition, not an error; compare them within a
    component by degree or PageRank instead. Computed with a symmetric eigensolver (dense for fewer
    than 500 nodes, ARPACK above), so it never fails to converge the way power iteration can.
    Edgeless graphs score 0 everywhere.
    """
    nodes = list(H)
    n = len(nodes)
    if n == 0:
        return {}
    if H.number_of_edges() == 0:
        return dict.fromkeys(nodes, 0.0)
    A = adjacency_matrix(H, nodes)
    if n < 500:
        _, vecs = np.linalg.eigh(A.toarray())
        vec = vecs[:, -1]
    else:
        v0 = np.ones(n) / np.sqrt(n)
        _, vecs = spla.eigsh(A.astype(np.float64), k=1, which="LA", v0=v0, tol=1e-10)
        vec = vecs[:, 0]
    vec = np.abs(vec)
    vec[vec < 1e-12] = 0.0
    norm = float(np.linalg.norm(vec)) or 1.0
    return {node: float(x / norm) for node, x in zip(nodes, vec, strict=True)}


@dataclass(frozen=True)
class PathSample:
    """Shortest-path measures from one batched breadth-first pass.

    ``betweenness`` is normalised as NetworkX normalises it; ``harmonic`` is harmonic closeness
    divided by ``n - 1``; ``sources`` is None when every node was a source (exact).
    """

    betweenness: dict[Any, float]
    harmonic: dict[Any, float]
    sources: list[Any] | None
    method: str


def path_centralities(H: nx.Graph, *, exact_threshold: int = 5000, k: int = 500, seed: int = 42) -> PathSample:
    """Betweenness and harmonic closeness from one batched Brandes pass (exact or sampled).

    Parameters
    ----------
    H
        Undirected organisation graph; edges are unweighted hops.
    exact_threshold
        Graphs with at most this many nodes use every node as a source (exact values).
    k
        Number of sampled sources above the threshold (Brandes & Pich 2007).
    seed
        Seed of the source sample: ``random.Random(seed).sample(list(H), k)``, the draw NetworkX
        makes for ``betweenness_centrality(H, k=k, seed=seed)``.
    """
    nodes = list(H)
    n = len(nodes)
    if n == 0:
        return PathSample({}, {}, None, "exact")
    if n <= exact_threshold or k >= n:
        sources: list[Any] | None = None
        src_idx = np.arange(n)
        method = "exact"
    else:
        sources = random.Random(seed).sample(nodes, k)
        index = {node: i for i, node in enumerate(nodes)}
        src_idx = np.array([index[s] for s in sources], dtype=np.int64)
        method = f"sampled k={k} seed={seed}"
    A = adjacency_matrix(H, nodes)
    # Sampled estimates carry an error of order 1/sqrt(k); single precision (relative rounding
    # about 1e-7) halves the cost without changing that. Exact values stay in double precision.
    raw_bc, raw_h = _batched_brandes(A, src_idx, np.float64 if sources is None else np.float32)
    bc = _rescale_like_networkx(raw_bc, n, src_idx if sources is not None else None)
    if n > 1:
        # Harmonic: each sampled source s contributes 1/d(s, v) to v; scale the sample up to all n
        # sources, then normalise by the n - 1 possible partners.
        scale = (n / len(src_idx)) / (n - 1)
        harm = raw_h * scale
    else:
        harm = np.zeros(n)
    return PathSample(
        {node: float(x) for node, x in zip(nodes, bc, strict=True)},
        {node: float(x) for node, x in zip(nodes, harm, strict=True)},
        sources,
        method,
    )


def betweenness(H: nx.Graph, *, exact_threshold: int = 5000, k: int = 500, seed: int = 42) -> dict[Any, float]:
    """Shortest-path betweenness (Freeman 1977, doi:10.2307/3033543; Brandes 2001, doi:10.1080/0022250X.2001.9732).

    Normalised exactly as ``networkx.betweenness_centrality(H, normalized=True)``: the sum over
    ordered pairs (s, t), s ≠ t ≠ v, of the share of shortest s–t paths through v, divided by
    (n − 1)(n − 2). Above ``exact_threshold`` nodes only ``k`` seeded sources are used and the sum
    is rescaled as NetworkX does for ``k`` (sources by 1/((k − 1)(n − 2)), others by
    1/(k(n − 2))): an unbiased estimate whose error shrinks as 1/√k (Brandes & Pich 2007).
    Graphs with fewer than 3 nodes score 0.
    """
    return path_centralities(H, exact_threshold=exact_threshold, k=k, seed=seed).betweenness


def harmonic_closeness(H: nx.Graph, *, exact_threshold: int = 5000, k: int = 500, seed: int = 42) -> dict[Any, float]:
    """Harmonic closeness (Marchiori & Latora 2000; Boldi & Vigna 2014, doi:10.1080/15427951.2013.865686).

    ``sum(1 / d(v, u) for u != v) / (n - 1)`` with 1/∞ = 0, so disconnected graphs are fine; it
    equals ``networkx.harmonic_centrality(H)[v] / (n - 1)``. Above ``exact_threshold`` nodes the sum
    runs over ``k`` seeded sources and is scaled by n/k (unbiased; the same sample as betweenness).
    """
    return path_centralities(H, exact_threshold=exact_threshold, k=k, seed=seed).harmonic


def _batched_brandes(A: sp.csr_array, src_idx: np.ndarray, dtype: type = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """Sum of Brandes dependencies and of 1/d over the given sources, for every node.

    Sources are processed in batches; a level's frontier is a dense (n × batch) block, and only the
    rows of ``A`` whose node is in some frontier are multiplied (``A`` is symmetric, so the rows
    stand for the columns), which keeps the thin first and last levels cheap.
    """
    n = A.shape[0]
    A = A.astype(dtype)
    bc = np.zeros(n)
    harm = np.zeros(n)
    batch = max(1, min(256, _BATCH_CELLS // max(n, 1)))

    def spread(block: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if rows.size > n // 3:
            return A @ block
        return A[rows].T @ block[rows]

    for start in range(0, len(src_idx), batch):
        srcs = src_idx[start : start + batch]
        b = len(srcs)
        first = srcs * b + np.arange(b)  # flat positions of the (source, column) cells
        sigma = np.zeros(n * b, dtype=dtype)
        sigma[first] = 1.0
        visited = np.zeros(n * b, dtype=bool)
        visited[first] = True
        frontier = sigma.reshape(n, b).copy()
        levels = [first]
        rows_of = [np.unique(srcs)]
        while True:
            nxt = spread(frontier, rows_of[-1]).reshape(-1)
            np.copyto(nxt, 0.0, where=visited)
            reached = np.flatnonzero(nxt)
            if reached.size == 0:
                break
            levels.append(reached)
            per_row = np.bincount(reached // b, minlength=n)  # one count serves the rows and harmonic
            rows_of.append(np.flatnonzero(per_row))
            visited[reached] = True
            sigma[reached] = nxt[reached]
            harm += per_row / (len(levels) - 1)
            frontier = nxt.reshape(n, b)
        # Backward sweep: each (node, source) cell sits in exactly one level, so gathering by
        # level keeps the element-wise work O(n·b) and leaves the sparse products as the cost.
        delta = np.zeros(n * b, dtype=dtype)
        coeff = np.zeros(n * b, dtype=dtype)
        for d in range(len(levels) - 1, 0, -1):
            cur, prev = levels[d], levels[d - 1]
            coeff[cur] = (1.0 + delta[cur]) / sigma[cur]
            pulled = spread(coeff.reshape(n, b), rows_of[d]).reshape(-1)
            coeff[cur] = 0.0
            delta[prev] += sigma[prev] * pulled[prev]
        delta[first] = 0.0
        bc += delta.reshape(n, b).sum(axis=1, dtype=np.float64)
    return bc, harm


def _rescale_like_networkx(raw: np.ndarray, n: int, sampled: np.ndarray | None) -> np.ndarray:
    """NetworkX 3.5+ normalisation of node betweenness with ``endpoints=False``."""
    big_n = n - 1
    if big_n < 2:
        return np.zeros(n)
    if sampled is None:
        return raw / (big_n * (big_n - 1))
    k = len(sampled)
    out = raw / (k * (big_n - 1))
    if k > 1:
        out[sampled] = raw[sampled] / ((k - 1) * (big_n - 1))
    else:
        out[sampled] = 0.0
    return out

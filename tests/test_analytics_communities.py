# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""Louvain communities, stability, modularity and participation; checked against python-igraph."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from analytics.communities import (
    adjusted_rand_index,
    louvain,
    membership,
    modularity,
    normalized_mutual_information,
    participation_coefficient,
    partition_stability,
)
from analytics.orggraph import organisation_graph
from seeds.synthetic_region import synthetic_region


def two_triangles() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])


class TestLouvain:
    def test_two_triangles(self) -> None:
        G = two_triangles()
        parts = louvain(G, seed=1)
        assert parts == [{"a", "b", "c"}, {"d", "e", "f"}]
        assert modularity(G, parts) == pytest.approx(2 * (3 / 7 - 0.25))

    def test_isolates_are_singletons_and_empty_graph(self) -> None:
        G = nx.Graph()
        G.add_nodes_from(["x", "y"])
        assert louvain(G) == [{"x"}, {"y"}]
        assert modularity(G, [{"x"}, {"y"}]) == 0.0
        assert louvain(nx.Graph()) == []

    def test_seed_fixes_the_partition(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=1))
        assert louvain(H, seed=3) == louvain(H, seed=3)

    def test_modularity_against_igraph(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=5))
        nodes = list(H)
        parts = louvain(H, seed=42)
        member = membership(parts)
        g = ig.Graph.from_networkx(nx.convert_node_labels_to_integers(H, ordering="default"))
        ours = modularity(H, parts)
        assert g.modularity([member[v] for v in nodes]) == pytest.approx(ours, abs=1e-12)
        assert ours >= g.community_multilevel().modularity - 0.02


class TestParticipation:
    def test_two_triangles(self) -> None:
        G = two_triangles()
        p = participation_coefficient(G, louvain(G, seed=1))
        assert p["c"] == pytest.approx(1 - (4 / 9 + 1 / 9))
        assert p["a"] == 0.0

    def test_isolate_is_zero(self) -> None:
        G = nx.Graph()
        G.add_node("x")
        assert participation_coefficient(G, [{"x"}]) == {"x": 0.0}


class TestStability:
    def test_indices(self) -> None:
        assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
        assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
        assert normalized_mutual_information([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.8)
        assert normalized_mutual_information([0, 0, 0], [1, 1, 1]) == 1.0

    def test_two_triangles_are_stable(self) -> None:
        st = partition_stability(two_triangles(), seeds=range(5))
        assert st["mean_ari"] == 1.0
        assert st["mean_nmi"] == 1.0
        assert st["seeds"] == [0, 1, 2, 3, 4]


def _dense_ari_nmi(a: list[int], b: list[int]) -> tuple[float, float]:
    """The dense-table formulas the sparse ones replaced (reference for bit-for-bit equality)."""

    def encode(labels: list[int]) -> np.ndarray:  # codes by first appearance, as the module does
        lookup: dict[int, int] = {}
        return np.array([lookup.setdefault(v, len(lookup)) for v in labels], dtype=np.int64)

    x, y = encode(a), encode(b)
    table = np.zeros((x.max() + 1, y.max() + 1), dtype=np.int64)
    np.add.at(table, (x, y), 1)
    n = len(a)

    def pairs(t: np.ndarray) -> float:
        return float((t * (t - 1) // 2).sum())

    index, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = n * (n - 1) / 2
    expected, maximum = rows * cols / total, (rows + cols) / 2
    ari = 1.0 if maximum == expected else float((index - expected) / (maximum - expected))
    p = table.astype(np.float64) / n
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())
    ha = float(-(pa[pa > 0] * np.log(pa[pa > 0])).sum())
    hb = float(-(pb[pb > 0] * np.log(pb[pb > 0])).sum())
    nmi = 1.0 if ha + hb == 0 else max(0.0, min(1.0, 2 * mi / (ha + hb)))
    return ari, nmi


class TestSparseContingency:
    def test_equals_the_dense_table_to_the_last_bit(self) -> None:
        rng = np.random.default_rng(1)
        for t in range(200):
            n = int(rng.integers(2, 3000))
            a = rng.integers(0, int(rng.integers(1, 300)), n).tolist()
            b = rng.integers(0, int(rng.integers(1, 300)), n).tolist()
            if t % 2:  # singleton communities, as isolates give
                a = [x if rng.random() < 0.5 else 10_000 + i for i, x in enumerate(a)]
            assert (adjusted_rand_index(a, b), normalized_mutual_information(a, b)) == _dense_ari_nmi(a, b)

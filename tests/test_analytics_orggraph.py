# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""The organisation graph's array forms: edge order and adjacency equal NetworkX's own."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from analytics.orggraph import _org_edges, adjacency_matrix, edge_array, organisation_graph, organisations
from seeds.synthetic_region import synthetic_region


def weighted_graph_with_loops() -> nx.Graph:
    H = nx.gnm_random_graph(300, 900, seed=1)
    nx.set_edge_attributes(H, {e: float(i % 5) for i, e in enumerate(H.edges())}, "weight")
    H.add_edge(5, 5)
    H.add_edge(7, 7, weight=3.0)
    return H


class TestEdgeArray:
    def test_order_and_weights_are_the_edge_views(self) -> None:
        H = weighted_graph_with_loops()
        nodes = list(H)
        random.Random(2).shuffle(nodes)
        index = {node: i for i, node in enumerate(nodes)}
        ends, weights = edge_array(H, nodes, weight="weight")
        assert ends.tolist() == [[index[u], index[v]] for u, v in H.edges()]
        assert weights.tolist() == [float(d.get("weight", 1.0)) for _, _, d in H.edges(data=True)]

    def test_missing_endpoint_raises(self) -> None:
        H = nx.path_graph(3)
        with pytest.raises(KeyError):
            edge_array(H, [0, 1])

    def test_adjacency_counts_a_loop_twice(self) -> None:
        H = weighted_graph_with_loops()
        A = adjacency_matrix(H, weight="weight").toarray()
        expected = nx.to_numpy_array(H, weight="weight")
        expected[np.diag_indices_from(expected)] *= 2
        assert np.array_equal(A, expected)


def test_organisation_edges_come_in_the_views_order() -> None:
    G = synthetic_region(300, seed=4)
    keep = organisations(G)
    keep_set = set(keep)
    fast = list(_org_edges(G, keep, keep_set))
    assert fast == [(u, v, d) for u, v, d in G.edges(data=True) if u in keep_set and v in keep_set]
    assert organisation_graph(G).number_of_edges() > 0

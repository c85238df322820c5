# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""k-cores, articulation points and bridges with the sizes they cut off."""

from __future__ import annotations

import networkx as nx

from analytics.fast import IGRAPH_THRESHOLD
from analytics.structure import core_number, cut_structure


def two_triangles() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])


class TestCoreNumber:
    def test_two_triangles_path_isolate(self) -> None:
        G = two_triangles()
        G.add_edge("f", "g")
        G.add_node("h")
        assert core_number(G) == {"a": 2, "b": 2, "c": 2, "d": 2, "e": 2, "f": 2, "g": 1, "h": 0}


class TestCutStructure:
    def test_two_triangles_joined_by_a_bridge(self) -> None:
        cs = cut_structure(two_triangles())
        assert cs.articulation_points == {"c": [3, 2], "d": [3, 2]}
        assert cs.bridges == {("c", "d"): (3, 3)}

    def test_path_and_star(self) -> None:
        cs = cut_structure(nx.path_graph(4))
        assert cs.articulation_points == {1: [2, 1], 2: [2, 1]}
        assert cs.bridges == {(0, 1): (1, 3), (1, 2): (2, 2), (2, 3): (3, 1)}
        star = cut_structure(nx.star_graph(3))
        assert star.articulation_points == {0: [1, 1, 1]}
        assert star.component_size == {0: 4, 1: 4, 2: 4, 3: 4}

    def test_cycle_has_none(self) -> None:
        cs = cut_structure(nx.cycle_graph(5))
        assert cs.articulation_points == {}
        assert cs.bridges == {}

    def test_matches_networkx_on_random_graphs(self) -> None:
        for G in (nx.gnp_random_graph(300, 0.006, seed=3), nx.powerlaw_cluster_graph(300, 1, 0.3, seed=2)):
            cs = cut_structure(G)
            assert set(cs.articulation_points) == set(nx.articulation_points(G))
            assert {frozenset(e) for e in cs.bridges} == {frozenset(e) for e in nx.bridges(G)}
            for (u, v), sizes in cs.bridges.items():
                R = G.copy()
                R.remove_edge(u, v)
                assert sizes == (len(nx.node_connected_component(R, u)), len(nx.node_connected_component(R, v)))


def test_core_number_in_igraph_above_the_threshold_equals_networkx() -> None:
    H = nx.gnm_random_graph(IGRAPH_THRESHOLD + 500, 4 * IGRAPH_THRESHOLD, seed=7)
    H.add_node("isolate")
    assert core_number(H) == {node: int(k) for node, k in nx.core_number(H).items()}

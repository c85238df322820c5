# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""Centrality on tiny graphs with hand-computed answers, and against NetworkX and python-igraph."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import pytest

from analytics.centrality import (
    betweenness,
    degree,
    eigenvector,
    harmonic_closeness,
    pagerank,
    path_centralities,
    weighted_degree,
)
from analytics.orggraph import organisation_graph
from seeds.synthetic_region import synthetic_region

PROV = {"synthetic": False, "source": "test", "evidence": ""}


def org_graph(orgs: dict[str, str], ties: list[tuple[str, str, str]], region: bool = True) -> nx.MultiDiGraph:
    """A region view: ``orgs`` id → role, ``ties`` (u, v, type); every org LOCATED_IN region:r."""
    G = nx.MultiDiGraph(region="region:r")
    G.add_node("region:r", labels=["Region"], name="r", in_region=True, **PROV)
    for node, role in orgs.items():
        G.add_node(node, labels=["Organization", role], name=node.upper(), in_region=True, **PROV)
        G.add_edge(node, "region:r", key="LOCATED_IN|", type="LOCATED_IN", **PROV)
    for i, (u, v, kind) in enumerate(ties):
        G.add_edge(u, v, key=f"{kind}|{i}", type=kind, fiscal_year=2024, **PROV)
    return G


def path5() -> nx.Graph:
    return organisation_graph(
        org_graph({x: "Company" for x in "abcde"}, [(u, v, "COLLABORATES_WITH") for u, v in ("ab", "bc", "cd", "de")])
    )


class TestOrganisationGraph:
    def test_collapses_ties_and_keeps_only_regional_organisations(self) -> None:
        G = org_graph({"s": "SupportOrganization", "f": "Company"}, [("s", "f", "SUPPORTS"), ("s", "f", "SUPPORTS")])
        G.add_node("x", labels=["Organization", "Company"], name="X", in_region=False, **PROV)
        G.add_edge("f", "x", key="COLLABORATES_WITH|", type="COLLABORATES_WITH", **PROV)
        G.add_node("t", labels=["TechField"], code="A23L", in_region=False, **PROV)
        G.add_edge("f", "t", key="ACTIVE_IN|", type="ACTIVE_IN", **PROV)
        H = organisation_graph(G)
        assert sorted(H) == ["f", "s"]
        assert H.edges["s", "f"] == {"weight": 2.0, "count": 2, "types": ["SUPPORTS"]}
        assert degree(H) == {"s": 1, "f": 1}
        assert weighted_degree(H) == {"s": 2.0, "f": 2.0}
        assert sorted(organisation_graph(G, in_region_only=False)) == ["f", "s", "x"]

    def test_weighted_sums_tie_weights(self) -> None:
        G = org_graph({"a": "Company", "b": "University"}, [])
        G.add_edge("a", "b", key="COLLABORATES_WITH|joint", type="COLLABORATES_WITH", weight=2.5, **PROV)
        G.add_edge("a", "b", key="COLLABORATES_WITH|contract", type="COLLABORATES_WITH", **PROV)
        assert organisation_graph(G, weighted=True).edges["a", "b"]["weight"] == 3.5


class TestBetweenness:
    def test_path(self) -> None:
        bc = betweenness(path5())
        assert bc == pytest.approx({"a": 0.0, "b": 0.5, "c": 4 * 2 / 12, "d": 0.5, "e": 0.0})

    def test_star_centre_is_one(self) -> None:
        bc = betweenness(nx.star_graph(4))
        assert bc[0] == pytest.approx(1.0)
        assert bc[1] == 0.0

    def test_tiny_graphs_are_zero(self) -> None:
        assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
        assert betweenness(nx.Graph()) == {}

    def test_exact_equals_networkx(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=3))
        ref = nx.betweenness_centrality(H)
        ours = betweenness(H)
        assert max(abs(ours[v] - ref[v]) for v in H) < 1e-12

    def test_sampled_equals_networkx_k_sampling(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=3))
        ref = nx.betweenness_centrality(H, k=40, seed=7)
        ours = path_centralities(H, exact_threshold=100, k=40, seed=7)
        assert ours.method == "sampled k=40 seed=7"
        assert len(ours.sources) == 40
        assert max(abs(ours.betweenness[v] - ref[v]) for v in H) < 1e-6


class TestHarmonic:
    def test_path_of_three(self) -> None:
        assert harmonic_closeness(nx.path_graph(3)) == pytest.approx({0: 0.75, 1: 1.0, 2: 0.75})

    def test_disconnected_and_isolate(self) -> None:
        G = nx.Graph([(0, 1)])
        G.add_node(2)
        assert harmonic_closeness(G) == pytest.approx({0: 0.5, 1: 0.5, 2: 0.0})

    def test_equals_networkx_divided_by_n_minus_1(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=3))
        ref = nx.harmonic_centrality(H)
        ours = harmonic_closeness(H)
        assert max(abs(ours[v] - ref[v] / 299) for v in H) < 1e-12


class TestPageRankAndEigenvector:
    def test_pagerank_star(self) -> None:
        # centre x, leaves y: x = 0.15/4 + 0.85·3y, y = 0.15/4 + 0.85·x/3
        pr = pagerank(nx.star_graph(3))
        assert pr[0] == pytest.approx(0.133125 / 0.2775)
        assert pr[1] == pytest.approx((1 - 0.133125 / 0.2775) / 3)

    def test_eigenvector_star(self) -> None:
        ev = eigenvector(nx.star_graph(4))
        assert ev[0] == pytest.approx(1 / math.sqrt(2))
        assert ev[1] == pytest.approx(1 / math.sqrt(8))

    def test_eigenvector_disconnected_does_not_crash(self) -> None:
        G = nx.complete_graph(4)
        G.add_edge("x", "y")
        G.add_node("iso")
        ev = eigenvector(G)
        assert ev[0] == pytest.approx(0.5)
        assert ev["x"] == 0.0
        assert ev["iso"] == 0.0
        assert eigenvector(nx.empty_graph(3)) == {0: 0.0, 1: 0.0, 2: 0.0}


class TestAgainstIgraph:
    def test_betweenness_and_pagerank(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=5))
        nodes = list(H)
        g = ig.Graph.from_networkx(nx.convert_node_labels_to_integers(H, ordering="default"))
        n = len(nodes)
        raw = g.betweenness(directed=False)
        ours = betweenness(H)
        for i, node in enumerate(nodes):
            assert ours[node] == pytest.approx(2 * raw[i] / ((n - 1) * (n - 2)), abs=1e-12)
        pr = g.pagerank(damping=0.85, directed=False)
        ours_pr = pagerank(H)
        for i, node in enumerate(nodes):
            assert ours_pr[node] == pytest.approx(pr[i], abs=1e-6)

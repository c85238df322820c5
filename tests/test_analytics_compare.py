# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""Region comparison indicators, null models and triple-helix synergy on hand-computed graphs."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest

from analytics.compare import (
    average_clustering,
    compare_regions,
    degree_centralisation,
    mean_path_length,
    rewire,
    role_assortativity,
    triple_helix,
)
from analytics.measures import analyze_region
from analytics.orggraph import organisation_graph
from graph.words import t
from seeds.synthetic_region import synthetic_region

PROV = {"synthetic": False, "source": "test", "evidence": ""}


def star_region(name: str, leaves: int) -> nx.MultiDiGraph:
    """One よろず body supporting ``leaves`` firms in the ideation phase."""
    rid = f"region:{name}"
    G = nx.MultiDiGraph(region=rid)
    G.add_node(rid, labels=["Region"], name=name, in_region=True, **PROV)
    G.add_node(
        "s", labels=["Organization", "SupportOrganization"], name="S", support_kind="chamber", in_region=True, **PROV
    )
    G.add_edge("s", rid, key="LOCATED_IN|", type="LOCATED_IN", **PROV)
    for i in range(leaves):
        G.add_node(f"f{i}", labels=["Organization", "Company"], name=f"F{i}", in_region=True, **PROV)
        G.add_edge(f"f{i}", rid, key="LOCATED_IN|", type="LOCATED_IN", **PROV)
        G.add_edge("s", f"f{i}", key="SUPPORTS|", type="SUPPORTS", phase="ideation", fiscal_year=2024, **PROV)
    return G


class TestIndicators:
    def test_star(self) -> None:
        H = nx.star_graph(3)
        assert degree_centralisation(H) == 1.0
        assert average_clustering(H) == 0.0
        assert mean_path_length(H) == pytest.approx(1.5)
        assert degree_centralisation(nx.cycle_graph(5)) == 0.0

    def test_clustering_and_path_length_equal_networkx(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=4))
        assert average_clustering(H) == pytest.approx(nx.average_clustering(H), abs=1e-12)
        lcc = H.subgraph(max(nx.connected_components(H), key=len))
        assert mean_path_length(H) == pytest.approx(nx.average_shortest_path_length(lcc), abs=1e-12)

    def test_role_assortativity(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=4))
        assert role_assortativity(H) == pytest.approx(nx.attribute_assortativity_coefficient(H, "role"), abs=1e-12)
        bip = nx.Graph([(0, 1), (2, 3)])
        nx.set_node_attributes(bip, {0: "A", 1: "B", 2: "A", 3: "B"}, "role")
        assert role_assortativity(bip) == -1.0
        same = nx.Graph([(0, 1)])
        nx.set_node_attributes(same, "A", "role")
        assert role_assortativity(same) is None

    def test_rewire_keeps_degrees(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=4))
        R, done = rewire(H, swaps_per_edge=3, seed=1)
        assert dict(R.degree()) == dict(H.degree())
        assert done > 0
        assert nx.number_of_selfloops(R) == 0
        assert rewire(nx.star_graph(4), seed=1)[1] == 0


class TestTripleHelix:
    def test_hand_computed(self) -> None:
        # events: U1 sees {I}, F1 sees {U, G}, G1 sees {I}: every entropy is h(1/3), so T = h(1/3).
        H = nx.Graph([("u1", "f1"), ("f1", "g1")])
        nx.set_node_attributes(H, {"u1": "University", "f1": "Company", "g1": "SupportOrganization"}, "role")
        out = triple_helix(H, bootstrap=50, seed=1)
        h = -(1 / 3) * math.log2(1 / 3) - (2 / 3) * math.log2(2 / 3)
        assert out["t_bits"] == pytest.approx(h)
        assert out["event_counts"]["-I-"] == 2 and out["event_counts"]["U-G"] == 1
        assert out["ci95"][0] <= out["t_bits"] + 1e-9

    def test_constant_dimension_is_zero(self) -> None:
        assert triple_helix(nx.star_graph(3), bootstrap=0)["t_bits"] == 0.0


class TestCompareRegions:
    def test_two_stars(self) -> None:
        out = compare_regions({"a": star_region("a", 3), "b": star_region("b", 5)}, null_models=3, bootstrap=20)
        json.dumps(out, allow_nan=False, ensure_ascii=False)
        table = {row["key"]: row for row in out["indicators"]}
        assert out["regions"] == ["a", "b"]
        assert table["n"]["values"] == {"a": 4, "b": 6}
        assert table["m"]["values"] == {"a": 3, "b": 5}
        assert table["mean_degree"]["values"] == {"a": 1.5, "b": pytest.approx(10 / 6)}
        assert table["degree_centralisation"]["values"] == {"a": 1.0, "b": 1.0}
        assert table["mean_path_length"]["values"]["a"] == pytest.approx(1.5)
        assert table["supported_firm_share"]["values"] == {"a": 1.0, "b": 1.0}
        assert table["phase_coverage"]["values"]["a"] == {"ideation": 1.0, "launch": 1.0, "expansion": 0.0}
        assert table["top_brokers"]["values"]["a"][0]["id"] == "s"
        assert table["size_by_role"]["values"]["b"]["Company"] == 5
        assert table["clustering"]["null"]["a"] == {"observed": 0.0, "null_mean": 0.0, "null_sd": 0.0, "z": None}
        assert out["null_models"]["a"]["swaps_done"] == 0
        # The analysis returns keys and values; every key is named and defined in the vocabulary.
        assert all(set(row) <= {"key", "values", "null"} for row in out["indicators"])
        for row in out["indicators"]:
            for word in (f"indicator.{row['key']}", f"indicator.{row['key']}.def"):
                assert t(word, "ja") and t(word, "en") and t(word, "ja") != t(word, "en"), word

    def test_reuses_analysis_and_rewires_real_graphs(self) -> None:
        G = synthetic_region(300, seed=6)
        analysis = analyze_region(G, "synth")
        out = compare_regions({"synth": G}, null_models=4, bootstrap=50, analyses={"synth": analysis})
        table = {row["key"]: row for row in out["indicators"]}
        assert table["modularity"]["values"]["synth"] == analysis["indicators"]["modularity"]
        null = table["clustering"]["null"]["synth"]
        assert null["z"] == pytest.approx((null["observed"] - null["null_mean"]) / null["null_sd"])
        assert out["null_models"]["synth"]["count"] == 4
        assert out["null_models"]["synth"]["modularity_compared"] is True


def test_igraph_null_measures_equal_the_scipy_ones_above_the_threshold() -> None:
    """Path lengths from igraph closeness (exact integer sums) equal scipy's distance sums."""
    from analytics.compare import _igraph_measures
    from analytics.fast import to_igraph

    H = nx.connected_watts_strogatz_graph(6000, 4, 0.1, seed=1)
    g, _ = to_igraph(H)
    ours = _igraph_measures(g, [0] * 6000, exact_threshold=5000, seed=3)
    assert ours["mean_path_length"] == mean_path_length(H, exact_threshold=5000, seed=3)
    assert ours["clustering"] == pytest.approx(average_clustering(H))

# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""``analyze_region``: the JSON document of per-organisation measures on a known graph."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from analytics.measures import analyze_region
from seeds.synthetic_region import synthetic_region

PROV = {"synthetic": False, "source": "test", "evidence": ""}


def two_triangles() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("region:r", labels=["Region"], name="R", **PROV)
    roles = {
        "a": "Company",
        "b": "Company",
        "c": "SupportOrganization",
        "d": "SupportOrganization",
        "e": "University",
        "f": "Company",
    }
    for node, role in roles.items():
        G.add_node(node, labels=["Organization", role], name=node.upper(), **PROV)
        G.add_edge(node, "region:r", key="LOCATED_IN|", type="LOCATED_IN", **PROV)
    for i, (u, v) in enumerate(["ab", "bc", "ac", "cd", "de", "ef", "df"]):
        G.add_edge(u, v, key=f"REFERS_TO|{i}", type="REFERS_TO", **PROV)
    G.add_node("x", labels=["Organization", "Company"], name="X", **PROV)  # elsewhere: not in the view
    return G


def test_two_triangles_document() -> None:
    out = analyze_region(two_triangles(), "r")
    json.dumps(out, allow_nan=False)
    assert set(out) == {"region", "nodes", "articulation_points", "bridges", "communities", "indicators"}
    assert out["region"] == "r"
    assert sorted(out["nodes"]) == list("abcdef")
    c = out["nodes"]["c"]
    assert c["degree"] == 3 and c["weighted_degree"] == 3.0
    assert c["betweenness"] == pytest.approx(12 / 20)
    assert c["harmonic"] == pytest.approx((1 + 1 + 1 + 0.5 + 0.5) / 5)
    assert c["core_number"] == 2
    assert c["constraint"] == pytest.approx(nx.constraint(nx.barbell_graph(3, 0))[2])
    assert c["participation"] == pytest.approx(4 / 9)
    assert c["brokerage"]["total"] == 2
    assert out["nodes"]["a"]["betweenness"] == 0.0
    assert out["articulation_points"] == ["c", "d"]
    assert out["bridges"] == [["c", "d"]]
    assert [(x["members"], x["size"]) for x in out["communities"]] == [(["a", "b", "c"], 3), (["d", "e", "f"], 3)]
    ind = out["indicators"]
    assert ind["organisations"] == 6 and ind["ties"] == 7 and ind["components"] == 1
    assert ind["modularity"] == pytest.approx(2 * (3 / 7 - 0.25))
    assert ind["community_stability"]["mean_ari"] == 1.0
    assert ind["betweenness_method"] == "exact"


def test_sampled_above_threshold_and_isolates() -> None:
    out = analyze_region(synthetic_region(300, seed=2), "synth", exact_threshold=100, k=50, permutations=5)
    assert out["indicators"]["betweenness_method"] == "sampled k=50 seed=42"
    isolates = [row for row in out["nodes"].values() if row["degree"] == 0]
    assert isolates and all(row["constraint"] is None and row["effective_size"] == 0.0 for row in isolates)
    json.dumps(out, allow_nan=False)

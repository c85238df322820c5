# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""Burt's constraint and effective size, Gould–Fernandez roles: hand-computed tiny graphs."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from analytics.brokerage import BROKERAGE_ROLES, _brute_force_roles, brokerage_roles, constraint, effective_size


def roled(edges: list[tuple[str, str]], roles: dict[str, str]) -> nx.Graph:
    H = nx.Graph(edges)
    H.add_nodes_from(roles)
    nx.set_node_attributes(H, roles, "role")
    return H


class TestConstraint:
    def test_triangle(self) -> None:
        assert constraint(nx.complete_graph(3)) == pytest.approx({0: 1.125, 1: 1.125, 2: 1.125})

    def test_star_and_isolate(self) -> None:
        G = nx.star_graph(3)
        G.add_node("iso")
        c = constraint(G)
        assert c[0] == pytest.approx(1 / 3)
        assert c[1] == pytest.approx(1.0)
        assert c["iso"] is None

    def test_equals_networkx(self) -> None:
        G = nx.powerlaw_cluster_graph(200, 2, 0.3, seed=3)
        rnd = random.Random(1)
        for u, v in G.edges:
            G.edges[u, v]["weight"] = rnd.randint(1, 3)
        for weight in (None, "weight"):
            ours, ref = constraint(G, weight=weight), nx.constraint(G, weight=weight)
            assert max(abs(ours[v] - ref[v]) for v in G) < 1e-12


class TestEffectiveSize:
    def test_star_triangle_isolate(self) -> None:
        G = nx.star_graph(3)
        G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c")])
        G.add_node("iso")
        e = effective_size(G)
        assert e[0] == 3.0
        assert e["a"] == pytest.approx(1.0)  # 2 − 2·1/2
        assert e["iso"] == 0.0
        assert not any(math.isnan(x) for x in e.values())

    def test_weighted_follows_the_definition(self) -> None:
        G = nx.Graph()
        G.add_weighted_edges_from([(0, 1, 2), (0, 2, 1), (1, 2, 3), (2, 3, 1)])
        # node 1: p_10 = 2/5, p_12 = 3/5; m_02 = 1/2, m_20 = 1/3 → 2 − (3/5·1/2 + 2/5·1/3)
        assert effective_size(G, weight="weight")[1] == pytest.approx(2 - 0.3 - 2 / 15)
        assert effective_size(G, weight="weight") == pytest.approx(nx.effective_size(G, nodes=list(G), weight="weight"))


class TestGouldFernandez:
    def test_each_role(self) -> None:
        H = roled(
            [("f1", "s"), ("s", "f2"), ("f3", "f4"), ("f4", "u"), ("u2", "g"), ("g", "b"), ("c1", "c2"), ("c2", "c3")],
            {
                "f1": "Company",
                "s": "SupportOrganization",
                "f2": "Company",
                "f3": "Company",
                "f4": "Company",
                "u": "University",
                "u2": "University",
                "g": "GovernmentBody",
                "b": "FinancialInstitution",
                "c1": "Company",
                "c2": "Company",
                "c3": "Company",
            },
        )
        out = brokerage_roles(H, permutations=0)
        assert {r: out["s"][r] for r in BROKERAGE_ROLES} == dict(zip(BROKERAGE_ROLES, [0, 1, 0, 0], strict=True))
        assert out["f4"]["representative_gatekeeper"] == 1
        assert out["g"]["liaison"] == 1
        assert out["c2"]["coordinator"] == 1
        assert out["c2"]["total"] == 1
        assert out["f1"]["total"] == 0

    def test_closed_triangle_is_no_brokerage(self) -> None:
        H = roled([("a", "b"), ("b", "c"), ("a", "c")], {"a": "Company", "b": "SupportOrganization", "c": "Company"})
        assert brokerage_roles(H, permutations=10)["b"]["total"] == 0

    def test_matches_enumeration_and_is_seeded(self) -> None:
        G = nx.powerlaw_cluster_graph(150, 3, 0.4, seed=2)
        rnd = random.Random(4)
        nx.set_node_attributes(G, {v: rnd.choice(["Company", "University", "SupportOrganization"]) for v in G}, "role")
        out = brokerage_roles(G, permutations=30, seed=9)
        ref = _brute_force_roles(G)
        assert all(out[v][r] == ref[v][r] for v in G for r in BROKERAGE_ROLES)
        assert out == brokerage_roles(G, permutations=30, seed=9)
        assert all(math.isfinite(z) for v in G for z in out[v]["z"].values())

    def test_zero_variance_gives_zero_z(self) -> None:
        H = roled([("a", "b"), ("b", "c")], {"a": "Company", "b": "Company", "c": "Company"})
        assert brokerage_roles(H, permutations=20)["b"]["z"] == dict.fromkeys(BROKERAGE_ROLES, 0.0)

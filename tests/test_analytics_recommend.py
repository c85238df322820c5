# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Partner, support and programme suggestions, personalised PageRank and the time-split test."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from analytics.orggraph import adjacency_matrix, organisation_graph
from analytics.phases import PhaseIndex
from analytics.recommend import PartnerScorer, evaluate_time_split, personalized_pagerank, recommend
from graph.embedded import EmbeddedStore
from graph.scope import model_regions, region_subgraph
from graph.words import reasons_text
from seeds import seed_batch
from seeds.synthetic_region import synthetic_region

PROV = {"synthetic": True, "source": "test", "evidence": ""}


def region() -> nx.MultiDiGraph:
    """F1 supported by chamber S; S supports F2; F2 works with U1; U2 isolated; JETRO J operates 海外出願支援."""
    G = nx.MultiDiGraph(region="region:r")
    G.add_node("region:r", labels=["Region"], name="R", in_region=True, **PROV)
    orgs = {
        "F1": ("Company", {"tech_fields": ["A23L"]}),
        "F2": ("Company", {}),
        "S": ("SupportOrganization", {"support_kind": "chamber"}),
        "J": ("SupportOrganization", {"support_kind": "jetro"}),
        "U1": ("University", {"tech_fields": ["A23L"]}),
        "U2": ("ResearchInstitute", {"tech_fields": ["A23L"]}),
    }
    for node, (role, attrs) in orgs.items():
        G.add_node(node, labels=["Organization", role], name=f"{node}名", in_region=True, **attrs, **PROV)
        G.add_edge(node, "region:r", key="LOCATED_IN|", type="LOCATED_IN", **PROV)
    G.add_node(
        "programme:overseas_filing",
        labels=["Programme"],
        name="海外出願支援",
        phases=["expansion"],
        in_region=False,
        **PROV,
    )
    G.add_edge("S", "F1", key="SUPPORTS|1", type="SUPPORTS", phase="ideation", fiscal_year=2023, **PROV)
    G.add_edge("S", "F2", key="SUPPORTS|2", type="SUPPORTS", phase="launch", fiscal_year=2023, **PROV)
    G.add_edge(
        "F2",
        "U1",
        key="COLLABORATES_WITH|joint_research",
        type="COLLABORATES_WITH",
        kind="joint_research",
        fiscal_year=2023,
        **PROV,
    )
    G.add_edge("J", "programme:overseas_filing", key="OPERATES|", type="OPERATES", **PROV)
    return G


class TestRecommend:
    def test_partners_support_and_programmes(self) -> None:
        out = recommend(region(), "F1", top=5)
        json.dumps(out, allow_nan=False, ensure_ascii=False)
        assert [p["id"] for p in out["partners"]] == ["U1", "U2", "F2"]
        scores = {p["id"]: p["score"] for p in out["partners"]}
        assert scores["U2"] == pytest.approx(0.3)  # same fields (keywords part 0.3 × 1), no near path
        assert scores["F2"] == pytest.approx(0.25)  # nearest (2 steps, through S), nothing else in common
        assert 0.3 < scores["U1"] < 0.55  # same fields and near
        u1 = out["partners"][0]
        assert u1["shared_fields"] == ["A23L"] and u1["reason_kinds"] == ["tech_fields", "near"]
        said = {lang: reasons_text(u1["reasons"], lang) for lang in ("ja", "en")}  # codes, said by the words
        assert "S名, F2名" in said["en"] and "who can introduce you" in said["en"]
        assert "A23L" in said["ja"]
        assert out["uncovered_phases"] == ["expansion"]
        assert [(s["id"], s["phase"]) for s in out["support"]] == [("J", "expansion")]
        assert [(p["id"], p["score"]) for p in out["programmes"]] == [("programme:overseas_filing", 0.3667)]
        assert "J名" in reasons_text(out["programmes"][0]["reasons"], "ja")
        assert out["empty"] == {}

    def test_unknown_organisation(self) -> None:
        with pytest.raises(KeyError, match="unknown organisation"):
            recommend(region(), "nope")


def _prebuilt(G: nx.MultiDiGraph) -> dict[str, object]:
    H = organisation_graph(G)
    return {"H": H, "scorer": PartnerScorer(G, H), "index": PhaseIndex(G)}


class TestPrebuiltInputs:
    """The service passes a region's organisation graph, scorer and phase index built once: same answers."""

    def test_synthetic_region(self) -> None:
        G = synthetic_region(300, seed=8)
        inputs = _prebuilt(G)
        orgs = sorted(n for n in G if "Organization" in G.nodes[n].get("labels", ()))[:40]
        for org in orgs:  # the same inputs reused for organisation after organisation, as on the map
            assert recommend(G, org, top=10, **inputs) == recommend(G, org, top=10)

    def test_seeded_regions(self, tmp_path: Path) -> None:
        with EmbeddedStore(tmp_path / "ipeco.sqlite") as store:
            store.write_batch(seed_batch())
            whole = store.read_graph_all()
        checked = 0
        for key in model_regions(whole):
            view = region_subgraph(whole, key)
            inputs = _prebuilt(view)
            for org in sorted(inputs["H"], key=str)[::7]:
                assert recommend(view, org, **inputs) == recommend(view, org)
                checked += 1
        assert checked > 30

    def test_inputs_of_another_graph_are_refused(self) -> None:
        G, other = region(), region()
        inputs = _prebuilt(other)
        with pytest.raises(ValueError, match="scorer"):
            recommend(G, "F1", H=organisation_graph(G), scorer=inputs["scorer"])
        with pytest.raises(ValueError, match="phase index"):
            recommend(G, "F1", index=inputs["index"])
        whole = nx.MultiDiGraph(G)
        whole.graph.pop("region")
        with pytest.raises(ValueError, match="region's view"):
            recommend(whole, "F1", **_prebuilt(whole))


class TestPersonalisedPageRank:
    def test_equals_networkx(self) -> None:
        H = organisation_graph(synthetic_region(300, seed=8))
        nodes = list(H)
        ours = personalized_pagerank(adjacency_matrix(H, nodes), np.array([0, 5]))
        for col, src in enumerate((0, 5)):
            ref = nx.pagerank(H, personalization={nodes[src]: 1.0}, weight=None, tol=1e-12, max_iter=1000)
            assert max(abs(ours[i, col] - ref[v]) for i, v in enumerate(nodes)) < 1e-8


class TestTimeSplit:
    def test_hand_built(self) -> None:
        G = region()
        G.add_edge(
            "F1",
            "U2",
            key="COLLABORATES_WITH|x",
            type="COLLABORATES_WITH",
            kind="joint_research",
            fiscal_year=2024,
            **PROV,
        )
        out = evaluate_time_split(G)
        assert out["test_year"] == 2024
        assert out["firms"] == 1
        # candidates of F1 in training: U1 (score > 0.6), U2 (0.6), F2 (0.4); the hidden partner is U2.
        assert out["scores"]["blend"] == {"auc": 0.5, "precision_at_10": 0.1}
        assert out["scores"]["random"]["precision_at_10"] == pytest.approx(1 / 3)

    def test_synthetic_beats_chance(self) -> None:
        out = evaluate_time_split(synthetic_region(600, seed=2))
        assert out["test_year"] == 2024
        assert out["scores"]["blend"]["auc"] > out["scores"]["random"]["auc"]

    def test_baselines_and_intervals_come_from_the_same_run(self) -> None:
        G = region()
        G.add_edge("F1", "U2", key="COLLABORATES_WITH|x", type="COLLABORATES_WITH", fiscal_year=2024, **PROV)
        out = evaluate_time_split(G, resamples=50)
        scores = out["scores"]
        assert set(scores) >= {"blend", "common_neighbours", "adamic_adar", "preferential_attachment", "random"}
        # F1's training neighbours: S. F2 shares S; U1 and U2 share nothing: the hidden U2 ties with U1, below F2.
        assert scores["common_neighbours"]["auc"] == pytest.approx(0.25)
        assert scores["preferential_attachment"]["auc"] == 0.0  # U2 has no training tie: degree 0, the lowest
        for key, ci in out["ci95"].items():
            lo, hi = ci["auc"]
            assert lo <= scores[key]["auc"] <= hi, key  # one firm: the interval is the point itself

    def test_a_year_with_enough_firms_is_chosen(self) -> None:
        G = region()
        G.add_edge("F1", "U2", key="COLLABORATES_WITH|x", type="COLLABORATES_WITH", date="2024-05-01", **PROV)
        assert evaluate_time_split(G, min_firms=1)["test_year"] == 2024  # a tie's date counts as its year
        assert evaluate_time_split(G, min_firms=2)["test_year"] == 2023  # two firms gain a partner from 2023 on

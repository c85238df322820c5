# ruff: noqa: N803, N806  (G, H: graph names as in the literature)
"""The analytics on the bundled seed: every planted gap is found, and igraph agrees on the measures.

The seed (``seeds.seed_batch()``: the real skeleton plus the synthetic layer) is written to an
embedded store once per module and each region's view is read back, exactly as ``ipeco gaps`` does.
``seeds.synthetic.PLANTED_GAPS`` lists what the synthetic layer planted; every item must appear in
``find_gaps``. The measures are cross-checked against python-igraph computing the same thing on the
same organisation graph (betweenness exact on these sizes, PageRank, modularity of our partition).
"""

from __future__ import annotations

import json
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from analytics.gaps import GAP_KINDS, find_gaps
from analytics.measures import analyze_region, region_view
from analytics.orggraph import organisation_graph
from graph.embedded import EmbeddedStore
from graph.words import gaps_caveat
from graph.words.gaps import explain
from seeds.synthetic import PLANTED_GAPS
from tests.conftest import seeded_store_file

REGIONS = ("aomori", "ishikawa", "kobe")
#: PLANTED_GAPS' names for missing roles → the ``EXPECTED_ROLES`` key find_gaps reports.
ROLE_KEYS = {"jetro": "jetro", "ip_finance": "ip_finance_bank"}


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nx.MultiDiGraph]:
    store = EmbeddedStore(seeded_store_file(tmp_path_factory, "seed"))
    return {region: store.read_graph(region) for region in REGIONS}


@pytest.fixture(scope="module")
def reports(views: dict[str, nx.MultiDiGraph]) -> dict[str, dict[str, Any]]:
    return {region: find_gaps(view, region) for region, view in views.items()}


def region_of(org_id: str) -> str:
    """``org:syn-aomori-00003`` → ``aomori``."""
    return org_id.removeprefix("org:syn-").split("-")[0]


def gaps_of(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [g for g in report["gaps"] if g["kind"] == kind]


class TestPlantedGaps:
    def test_no_expansion_support(self, reports: dict) -> None:
        missed = [
            firm
            for firm in PLANTED_GAPS["no_expansion_support"]
            if not any(
                g["subjects"] == [firm] and g["phase"] == "expansion"
                for g in gaps_of(reports[region_of(firm)], "phase_coverage")
            )
        ]
        assert PLANTED_GAPS["no_expansion_support"] and missed == []

    def test_liaison(self, reports: dict) -> None:
        assert PLANTED_GAPS["liaison_gaps"]
        for planted in PLANTED_GAPS["liaison_gaps"]:
            found = gaps_of(reports[planted["region"]], "liaison")
            assert any(set(planted["between"]) <= set(g["subjects"]) for g in found), planted
            gap = next(g for g in found if set(planted["between"]) <= set(g["subjects"]))
            assert gap["score"] == 0.9  # the deck's pair: よろず ↔ INPIT window

    def test_liaison_pair_present_elsewhere(self, reports: dict) -> None:
        """Ishikawa and Kobe refer both ways: no よろず ↔ window gap there."""
        for region in ("ishikawa", "kobe"):
            assert not [g for g in gaps_of(reports[region], "liaison") if g["score"] == 0.9], region

    def test_missing_roles(self, reports: dict, views: dict) -> None:
        assert PLANTED_GAPS["missing_roles"]
        for region, missing in PLANTED_GAPS["missing_roles"].items():
            found = {g["subjects"][0]: g for g in gaps_of(reports[region], "missing_role")}
            for role in missing:
                assert ROLE_KEYS[role] in found, (region, role)
        # ジェトロ青森 exists in Aomori, tied only to its parent (PART_OF): named as present but untied.
        jetro = {g["subjects"][0]: g for g in gaps_of(reports["aomori"], "missing_role")}["jetro"]
        assert jetro["phase"] == "expansion"
        assert "org:jetro-aomori" in jetro["subjects"]
        assert all("ジェトロ青森" in explain(jetro["explanation"], lang) for lang in ("ja", "en"))
        # Kobe's JETRO office is tied to its firms: no JETRO gap there.
        assert "jetro" not in {g["subjects"][0] for g in gaps_of(reports["kobe"], "missing_role")}

    def test_isolated(self, reports: dict) -> None:
        assert PLANTED_GAPS["isolated"]
        for firm in PLANTED_GAPS["isolated"]:
            assert any(g["subjects"] == [firm] for g in gaps_of(reports[region_of(firm)], "isolated")), firm

    def test_fragile_bridges(self, reports: dict) -> None:
        assert PLANTED_GAPS["fragile_bridges"]
        for planted in PLANTED_GAPS["fragile_bridges"]:
            found = gaps_of(reports[planted["region"]], "fragile_bridge")
            points = {g["subjects"][0] for g in found if len(g["subjects"]) == 1}
            assert set(planted["articulation_points"]) <= points
            bridge = next(g for g in found if set(g["subjects"]) == set(planted["bridge"]))
            assert bridge["evidence"] and bridge["evidence"][0]["type"] == "SUPPORTS"
            chamber = next(g for g in found if g["subjects"] == [planted["articulation_points"][0]])
            assert len(planted["cluster"]) in chamber["evidence"][0]["pieces"][1:]  # the Noto cluster is cut off

    def test_unmet_matches(self, reports: dict) -> None:
        assert PLANTED_GAPS["unmet_matches"]
        for planted in PLANTED_GAPS["unmet_matches"]:
            found = gaps_of(reports[planted["region"]], "unmet_match")
            gap = next((g for g in found if g["subjects"] == [planted["firm"], planted["partner"]]), None)
            assert gap is not None, planted
            assert planted["field"] in gap["evidence"][0]["shared_fields"]


class TestReportQuality:
    def test_explanations_bilingual(self, reports: dict) -> None:
        for region, report in reports.items():
            assert report["gaps"], region
            for gap in report["gaps"]:
                assert set(gap["explanation"]) == {"code", "values"}  # codes and values, never sentences
                text = {lang: explain(gap["explanation"], lang) for lang in ("ja", "en")}
                assert text["ja"].strip() and text["en"].strip()
                assert any("\u3040" <= ch <= "\u9fff" for ch in text["ja"]), text["ja"]
                assert any(ch.isascii() and ch.isalpha() for ch in text["en"]), text["en"]

    def test_first_screen_is_a_mix(self, reports: dict) -> None:
        """The first screen (10 gaps) shows at least four kinds, though unmet matches are the most."""
        for region, report in reports.items():
            counts = report["counts"]
            assert max(counts, key=counts.get) == "unmet_match", region
            present = sum(1 for kind in GAP_KINDS if counts[kind])
            assert len({g["kind"] for g in report["gaps"][:10]}) >= min(4, present), region
            assert [g["rank"] for g in report["gaps"]] == list(range(1, len(report["gaps"]) + 1))
            json.dumps(report, allow_nan=False, ensure_ascii=False)

    def test_completeness_stated(self, reports: dict) -> None:
        for report in reports.values():
            c = report["completeness"]
            assert 0 < c["tied_share"] <= 1 and 0 < c["synthetic_node_share"] < 1
            assert "caveat" not in c  # a sentence is the surfaces' (graph.words.gaps_caveat), not the analysis'
            assert gaps_caveat(c, "ja") and gaps_caveat(c, "en")


def to_igraph(H: nx.Graph) -> tuple[ig.Graph, list[Any]]:
    nodes = list(H)
    index = {node: i for i, node in enumerate(nodes)}
    return ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()], directed=False), nodes


@pytest.mark.parametrize("region", REGIONS)
def test_igraph_cross_check(region: str, views: dict) -> None:
    """Betweenness (exact, NetworkX normalisation), PageRank and modularity agree with python-igraph."""
    view = views[region]
    H = organisation_graph(region_view(view, region))
    result = analyze_region(view, region)
    assert result["indicators"]["betweenness_method"].startswith("exact")
    g, nodes = to_igraph(H)
    n = len(nodes)
    assert set(result["nodes"]) == set(nodes)

    scale = 2.0 / ((n - 1) * (n - 2))  # undirected, normalised as NetworkX does
    bet = g.betweenness(directed=False)
    for node, value in zip(nodes, bet, strict=True):
        assert result["nodes"][node]["betweenness"] == pytest.approx(value * scale, abs=1e-9), node

    pr = g.pagerank(damping=0.85, directed=False)
    for node, value in zip(nodes, pr, strict=True):
        assert result["nodes"][node]["pagerank"] == pytest.approx(value, abs=1e-6), node
    assert sum(pr) == pytest.approx(1.0)

    index = {node: i for i, node in enumerate(nodes)}
    membership = [0] * n
    for community in result["communities"]:
        for member in community["members"]:
            membership[index[member]] = community["id"]
    assert sorted(index[m] for c in result["communities"] for m in c["members"]) == list(range(n))
    assert result["indicators"]["modularity"] == pytest.approx(g.modularity(membership), abs=1e-9)
    # The partition is a good one: igraph's own Louvain finds nothing much better.
    best = max(g.community_multilevel().modularity for _ in range(3))
    assert result["indicators"]["modularity"] >= best - 0.05

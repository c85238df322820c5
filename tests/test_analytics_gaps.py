# ruff: noqa: N806  (G, H, A, P: graph and matrix names as in the literature)
"""All six gap kinds of DESIGN §4 on one hand-built region, with exact scores and ranks."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from analytics.gaps import _top_columns, find_gaps
from analytics.measures import clean
from analytics.phases import PhaseIndex
from graph.words import gaps_caveat
from graph.words.gaps import explain
from seeds.synthetic_region import synthetic_region

REAL = {"synthetic": False, "source": "seed:real", "evidence": "https://example.org"}
SYN = {"synthetic": True, "source": "seed:synthetic", "evidence": ""}


def region() -> nx.MultiDiGraph:
    """W window, C chamber, Y yorozu, B bank, U university; firms F1..F6 (synthetic).

    Ties: W→C referral; C supports F1 (ideation) and F4 (launch); B finances F1;
    F1–F4, F4–F5, F5–F6 collaborate; Y supports F3; F5 and W share network N; F2 and U have none.
    """
    G = nx.MultiDiGraph(region="region:r")
    G.add_node("region:r", labels=["Region"], name="R", in_region=True, **REAL)
    orgs = {
        "W": ("SupportOrganization", {"support_kind": "ip_window_operator", "name": "窓口W"}),
        "C": ("SupportOrganization", {"support_kind": "chamber", "name": "商工会議所C"}),
        "Y": ("SupportOrganization", {"support_kind": "yorozu", "name": "よろずY"}),
        "B": ("FinancialInstitution", {"name": "銀行B"}),
        "U": ("University", {"name": "大学U", "tech_fields": ["A23L", "G06N"]}),
    }
    for node, (role, attrs) in orgs.items():
        G.add_node(node, labels=["Organization", role], in_region=True, **attrs, **REAL)
    for i in range(1, 7):
        fields = ["A23L"] if i == 1 else []
        G.add_node(
            f"F{i}", labels=["Organization", "Company"], name=f"企業{i}", tech_fields=fields, in_region=True, **SYN
        )
    for node in G.nodes:
        if node != "region:r":
            G.add_edge(node, "region:r", key="LOCATED_IN|", type="LOCATED_IN", **REAL)
    G.add_node("N", labels=["Network"], name="ネットワーク", in_region=False, **REAL)
    G.add_node(
        "programme:overseas_filing",
        labels=["Programme"],
        name="海外出願支援",
        phases=["expansion"],
        in_region=False,
        **REAL,
    )
    G.add_node("tech:G06N", labels=["TechField"], code="G06N", in_region=False, **REAL)

    def tie(u: str, v: str, rel: str, prov: dict = SYN, **props: object) -> None:
        G.add_edge(u, v, key=f"{rel}|{len(G.edges)}", type=rel, **props, **prov)

    tie("W", "C", "REFERS_TO")
    tie("C", "F1", "SUPPORTS", phase="ideation", fiscal_year=2024)
    tie("C", "F4", "SUPPORTS", phase="launch", fiscal_year=2024)
    tie("B", "F1", "FINANCES", kind="loan")
    tie("F1", "F4", "COLLABORATES_WITH", kind="contract")
    tie("F4", "F5", "COLLABORATES_WITH", kind="contract")
    tie("F5", "F6", "COLLABORATES_WITH", kind="contract")
    tie("Y", "F3", "SUPPORTS", phase="launch", fiscal_year=2024)
    tie("F5", "N", "MEMBER_OF")
    tie("W", "N", "MEMBER_OF", REAL)
    tie("F2", "tech:G06N", "ACTIVE_IN", patents=3)
    return G


@pytest.fixture(scope="module")
def report() -> dict:
    return find_gaps(region(), "r")


def gaps_of(report: dict, kind: str) -> list[dict]:
    return [g for g in report["gaps"] if g["kind"] == kind]


class TestPhaseIndex:
    def test_coverage_routes(self) -> None:
        index = PhaseIndex(region())
        assert index.phases_served("C") == {"ideation": "support_kind chamber", "launch": "support_kind chamber"}
        assert set(index.coverage("F1")) == {"ideation", "launch"}
        assert index.coverage("F4") == {p: {"body": "C", "via": "SUPPORTS"} for p in ("launch", "ideation")}
        assert index.engagement_phases({"programme": "overseas_filing"}) == ("expansion",)
        assert index.coverage("F5") == {
            p: {"body": "W", "via": "MEMBER_OF"} for p in ("ideation", "launch", "expansion")
        }
        assert index.coverage("F2") == {}


class TestFindGaps:
    def test_counts(self, report: dict) -> None:
        assert report["counts"] == {
            "missing_role": 4,
            "liaison": 1,
            "fragile_bridge": 2,
            "phase_coverage": 8,
            "isolated": 2,
            "unmet_match": 2,
        }
        json.dumps(report, allow_nan=False, ensure_ascii=False)

    def test_missing_roles(self, report: dict) -> None:
        found = {g["subjects"][0]: (g["subjects"][1:], g["phase"], g["score"]) for g in gaps_of(report, "missing_role")}
        assert found == {
            "jetro": ([], "expansion", 1.0),
            "patent_attorney": ([], "ideation", 1.0),
            "ip_finance_bank": (["B"], "ideation", 0.8),
            "research_partner": (["U"], "launch", 0.8),
        }

    def test_liaison_names_both_bodies(self, report: dict) -> None:
        (gap,) = gaps_of(report, "liaison")
        assert gap["subjects"] == ["Y", "W"]
        assert gap["score"] == 0.9
        assert "よろずY" in explain(gap["explanation"], "ja") and "窓口W" in explain(gap["explanation"], "ja")
        assert "よろずY" in explain(gap["explanation"], "en")

    def test_fragile_bridges(self, report: dict) -> None:
        found = sorted((g["subjects"], g["score"]) for g in gaps_of(report, "fragile_bridge"))
        assert found == [(["F4"], round(0.5 + 0.5 * 2 / 11, 6)), (["F4", "F5"], round(0.5 + 0.5 * 2 / 11, 6))]
        bridge = next(g for g in gaps_of(report, "fragile_bridge") if len(g["subjects"]) == 2)
        assert bridge["evidence"][0]["type"] == "COLLABORATES_WITH"

    def test_phase_coverage(self, report: dict) -> None:
        found = sorted((g["subjects"][0], g["phase"], g["score"]) for g in gaps_of(report, "phase_coverage"))
        assert found == [
            ("F1", "expansion", 0.6),
            *[("F2", p, 1.0) for p in ("expansion", "ideation", "launch")],
            ("F4", "expansion", 0.6),
            *[("F6", p, 1.0) for p in ("expansion", "ideation", "launch")],
        ]
        f1 = next(g for g in gaps_of(report, "phase_coverage") if g["subjects"] == ["F1"])
        assert "商工会議所C" in explain(f1["explanation"], "ja") and "事業拡大" in explain(f1["explanation"], "ja")

    def test_isolated(self, report: dict) -> None:
        assert sorted((g["subjects"][0], g["score"]) for g in gaps_of(report, "isolated")) == [("F2", 0.7), ("U", 0.7)]

    def test_unmet_matches(self, report: dict) -> None:
        found = sorted((tuple(g["subjects"]), g["score"]) for g in gaps_of(report, "unmet_match"))
        assert found == [(("F1", "U"), 0.55), (("F2", "U"), 0.75)]

    def test_ranking(self, report: dict) -> None:
        ranks = [g["rank"] for g in report["gaps"]]
        assert ranks == list(range(1, 20))
        # Round 1: the best of every kind, by score; then round 2, …; a firm's repeat waits its turn.
        assert [(g["kind"], g["subjects"][0]) for g in report["gaps"][:6]] == [
            ("missing_role", "jetro"),
            ("phase_coverage", "F2"),
            ("liaison", "Y"),
            ("unmet_match", "F2"),
            ("isolated", "F2"),
            ("fragile_bridge", "F4"),
        ]
        assert [g["kind"] for g in report["gaps"][6:11]] == [
            "missing_role",
            "phase_coverage",
            "isolated",
            "fragile_bridge",
            "unmet_match",
        ]
        assert [(g["subjects"][0], g["phase"]) for g in report["gaps"][-4:]] == [
            ("F2", "ideation"),
            ("F6", "ideation"),
            ("F2", "launch"),
            ("F6", "launch"),
        ]

    def test_completeness(self, report: dict) -> None:
        c = report["completeness"]
        assert c["organisations"] == 11
        assert c["tied_share"] == pytest.approx(9 / 11)
        assert c["untied_by_role"] == {"Company": 1, "University": 1}
        assert c["synthetic_node_share"] == pytest.approx(6 / 15)
        assert "caveat" not in c  # codes and values only: the surfaces say it
        assert "missing data" in gaps_caveat(c, "en") and "データ" in gaps_caveat(c, "ja")
        assert "82%" in gaps_caveat(c, "en") and "82%" in gaps_caveat(c, "ja")  # the tied share, quoted


def test_synthetic_region_has_every_kind_but_missing_roles() -> None:
    out = find_gaps(synthetic_region(400, seed=2), "synth")
    assert all(out["counts"][k] > 0 for k in ("liaison", "phase_coverage", "isolated", "unmet_match"))
    json.dumps(out, allow_nan=False)


class TestSpeedPathsKeepResults:
    """The fast paths of ``find_gaps`` (see its module) give what the plain ones gave."""

    def test_top_columns_equal_a_stable_argsort(self) -> None:
        rng = np.random.default_rng(0)
        for _ in range(300):
            r, c = int(rng.integers(1, 30)), int(rng.integers(1, 12))
            scores = rng.integers(0, 4, size=(r, c)) / rng.integers(1, 4, size=(r, c))  # many ties
            scores[rng.random((r, c)) < 0.3] = 0.0
            k = int(rng.integers(0, 14))
            rows, cols = _top_columns(scores, k)
            expected = [
                (i, j) for i in range(r) for j in np.argsort(-scores[i], kind="stable")[:k].tolist() if scores[i, j] > 0
            ]
            assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == expected

    def test_gaps_are_plain_json_without_clean(self) -> None:
        G = synthetic_region(400, seed=2)
        untied = "org:synth:com319"  # the last tenth of the firms has no tie
        G.nodes[untied]["source"] = float("nan")  # a store value that must still come out as None
        out = find_gaps(G, "synth")
        assert clean(out) == out
        isolated = next(g for g in out["gaps"] if g["kind"] == "isolated" and g["subjects"] == [untied])
        assert isolated["evidence"][0]["source"] is None
        json.dumps(out, allow_nan=False)

        def leaves(x: object) -> set[type]:
            if isinstance(x, dict):
                return {t for v in x.values() for t in leaves(v)}
            if isinstance(x, list):
                return {t for v in x for t in leaves(v)}
            return {type(x)}

        assert leaves(out) <= {str, int, float, bool, type(None)}

    def test_shared_phase_index_gives_the_same_report(self) -> None:
        G = synthetic_region(400, seed=3)
        index = PhaseIndex(G)
        assert find_gaps(G, "synth", index=index) == find_gaps(G, "synth")
        firm = next(iter(index._coverage_cache))
        first = index.coverage(firm)
        first.clear()  # a caller's copy: the memo is untouched
        assert index.coverage(firm) == PhaseIndex(G).coverage(firm)

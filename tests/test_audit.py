"""The provenance audit (``graph.audit``, ``ipeco audit``): tiny graphs with known findings."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.audit import audit_findings, findings_by_kind, tie_kind

URL = "https://www.example.go.jp/press/2024/0401.html"


def org(graph: nx.MultiDiGraph, node: str, **props: object) -> None:
    graph.add_node(node, labels=("Organization", "Company"), evidence=URL, **props)


@pytest.fixture
def clean() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    org(graph, "org:a", corporate_number="1000011000005")
    org(graph, "org:b")
    graph.add_node("region:x", labels=("Region",), evidence=URL)
    graph.add_edge("org:a", "region:x", key="", type="LOCATED_IN")
    graph.add_edge(
        "org:a",
        "org:b",
        key="partnership_agreement",
        type="COLLABORATES_WITH",
        kind="partnership_agreement",
        evidence=URL,
        date="2024-04-01",
        since=2024,
    )
    return graph


def test_a_sourced_graph_has_no_finding(clean: nx.MultiDiGraph) -> None:
    assert audit_findings(clean) == []


def test_each_kind_of_finding_is_named_with_its_place(clean: nx.MultiDiGraph) -> None:
    org(clean, "org:c", corporate_number="2000011000005")  # check digit must be 1
    clean.nodes["org:b"]["evidence"] = ""
    clean.add_edge("org:b", "org:c", key="", type="SUPPORTS", evidence="deck:slide-3", since=2024)
    clean.add_edge("org:c", "org:a", key="", type="REFERS_TO", evidence=URL)
    # the same agreement entered again, from the other side
    clean.add_edge(
        "org:b",
        "org:a",
        key="partnership_agreement",
        type="COLLABORATES_WITH",
        kind="partnership_agreement",
        evidence=URL,
        date="2024-04-01",
        since=2024,
    )
    findings = audit_findings(clean)
    by_kind = {(f.kind, f.ref) for f in findings}
    assert by_kind == {
        ("no_evidence", "org:b"),
        ("bad_corporate_number", "org:c"),
        ("evidence_not_url", "org:b -[SUPPORTS]-> org:c"),
        ("no_date", "org:c -[REFERS_TO]-> org:a"),
        ("duplicate", "org:b -[COLLABORATES_WITH]-> org:a"),
    }
    assert findings_by_kind(findings) == {
        "no_evidence": 1,
        "evidence_not_url": 1,
        "no_date": 1,
        "duplicate": 1,
        "bad_corporate_number": 1,
    }


def test_a_renewed_agreement_is_not_a_duplicate(clean: nx.MultiDiGraph) -> None:
    clean.add_edge(
        "org:b",
        "org:a",
        key="partnership_agreement",
        type="COLLABORATES_WITH",
        kind="partnership_agreement",
        evidence=URL,
        date="2027-04-01",
        since=2027,
    )
    assert audit_findings(clean) == []


def test_synthetic_data_makes_no_claim_and_is_not_audited(clean: nx.MultiDiGraph) -> None:
    clean.add_node("org:demo", labels=("Organization", "Company"), synthetic=True)
    clean.add_edge("org:demo", "org:a", key="", type="SUPPORTS", synthetic=True)
    assert audit_findings(clean) == []


def test_tie_kind_uses_the_stated_kind_then_the_type() -> None:
    assert tie_kind("COLLABORATES_WITH", {"kind": "joint_research"}) == "joint_research"
    assert tie_kind("SUPPORTS", {}) == "supported_firm"
    assert tie_kind("SUPPORTS", {"kind": "award_support"}) == "award_support"
    assert tie_kind("MEMBER_OF", {}) == "membership"

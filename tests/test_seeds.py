"""The bundled seed: the real skeleton is sourced, the synthetic layer is flagged, deterministic,
scalable, and its planted gaps are really in the data; the seed loads into both stores idempotently."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
import pytest

from graph.batch import Batch, RelRecord, validate_batch
from graph.schema import ORG_TIE_TYPES, ROLE_LABELS, SUPPORT_KINDS, role_label
from graph.store import Store
from graph.views import region_organisations
from seeds import real_seed_batch, seed_batch
from seeds.synthetic import REGION_PROFILES, planted_gaps, synthetic_batch

REGIONS = ("aomori", "ishikawa", "kobe")
#: The FY2025 model regions (METI press release 2025-04-08): region id → (level, JIS code).
FY2025_REGIONS = {"aichi": ("prefecture", "23"), "yamaguchi": ("prefecture", "35"), "kumamoto": ("city", "43100")}
ENGAGEMENT_TYPES = ("SUPPORTS", "REFERS_TO", "FINANCES", "PARTICIPATES_IN", "ACTIVE_IN")


@cache
def real() -> Batch:
    return real_seed_batch()


@cache
def full() -> Batch:
    return seed_batch()


def as_graph(batch: Batch) -> nx.MultiDiGraph:
    """The batch in the stores' read shape (``labels`` on nodes, ``type`` on edges), without a store."""
    graph = nx.MultiDiGraph()
    for node in batch.nodes:
        graph.add_node(node.id, labels=list(node.labels), **node.props)
    for rel in batch.relationships:
        graph.add_edge(rel.source, rel.target, type=rel.type, **rel.props)
    return graph


def is_web_evidence(value: object) -> bool:
    """Evidence a reader can open: one or more http(s) addresses separated by spaces."""
    parts = str(value or "").split()
    return bool(parts) and all(urlsplit(p).scheme in ("http", "https") and urlsplit(p).netloc for p in parts)


def seed_folder(record: object) -> str:
    return Path(record.origin.file).parent.name  # type: ignore[attr-defined]


def fingerprint(batch: Batch) -> tuple[list[object], list[object]]:
    return (
        [(n.id, n.labels, sorted(n.props.items(), key=str)) for n in batch.nodes],
        [(r.type, r.source, r.target, sorted(r.props.items(), key=str)) for r in batch.relationships],
    )


# --- the real skeleton -------------------------------------------------------------------------------


class TestRealSkeleton:
    def test_is_valid_on_its_own(self) -> None:
        assert validate_batch(real()) == []
        assert all(r.props.get("source") == "seed:real" for r in [*real().nodes, *real().relationships])
        assert not any(r.props.get("synthetic") for r in [*real().nodes, *real().relationships])

    def test_every_organisation_has_a_role_and_a_region_tie(self) -> None:
        placed = {r.source for r in real().relationships if r.type in ("LOCATED_IN", "SERVES")}
        for node in real().nodes:
            if "Organization" in node.labels:
                assert role_label(node.labels) in ROLE_LABELS, node.id
                assert node.id in placed, f"{node.id} has no LOCATED_IN / SERVES tie"

    def test_every_real_fact_shows_the_page_that_states_it(self) -> None:
        """A real node or tie is ``src`` (the page states it) or ``likely`` (the page implies it); either
        way its evidence is that page's web address. Only ``LOCATED_IN`` rows, which seat an
        organisation, rest on the organisation's own source."""
        checked = 0
        for record in [*real().nodes, *real().relationships]:
            assert record.props.get("confidence") in ("src", "likely"), record
            if isinstance(record, RelRecord) and record.type == "LOCATED_IN":
                continue
            evidence = record.props.get("evidence")
            assert is_web_evidence(evidence), f"{record.origin}: evidence {evidence!r}"
            checked += 1
        assert checked > 400

    def test_ties_between_organisations_carry_their_date(self) -> None:
        orgs = {n.id for n in real().nodes if "Organization" in n.labels}
        for rel in real().relationships:
            # PART_OF states a standing structure, not an event (as the provenance audit holds)
            if rel.type == "PART_OF" or not {rel.source, rel.target} <= orgs:
                continue
            assert rel.props.get("date") or rel.props.get("since") is not None, f"{rel.origin}: no date nor since"

    def test_model_regions_and_catalogue(self) -> None:
        nodes = {n.id: n.props for n in real().nodes}
        assert (
            nodes["region:aomori"].items() >= {"level": "prefecture", "jis_code": "02", "model_region_fy": 2024}.items()
        )
        assert nodes["region:ishikawa"]["jis_code"] == "17"
        assert nodes["region:kobe"]["level"] == "city" and nodes["region:kobe"]["jis_code"] == "28100"
        assert nodes["prog:overseas_filing"]["phases"] == ["expansion"]
        assert nodes["prog:model_region"]["phases"] == ["ideation", "launch"]
        programmes = [n for n in real().nodes if n.labels == ("Programme",)]
        assert len(programmes) >= 20
        assert {"net:ip-management-support", "net:aomori-regional", "net:kobe-producer-team"} <= set(nodes)

    def test_ties_stated_by_sources(self) -> None:
        ties = {(r.source, r.type, r.target): r.props for r in real().relationships}
        members = {s for s, t, g in ties if t == "MEMBER_OF" and g == "net:ip-management-support"}
        assert members == {"org:jpo", "org:inpit", "org:jpaa", "org:jcci", "org:sme-agency"}
        assert ties["org:sme-agency", "MEMBER_OF", "net:ip-management-support"]["since"] == 2024
        merger = ties["org:michinoku-bank", "SUCCEEDED_BY", "org:aomori-michinoku-bank"]
        assert merger["date"] == "2025-01-01" and merger["confidence"] == "src"
        assert ("org:aomori-bank", "SUCCEEDED_BY", "org:aomori-michinoku-bank") in ties
        assert ("org:inpit-kansai", "SERVES", "region:kobe") in ties
        assert ("org:inpit-kansai", "PART_OF", "org:inpit") in ties
        assert ("org:meti-chubu", "SERVES", "region:ishikawa") in ties
        for chapter, region in (("tohoku", "aomori"), ("hokuriku", "ishikawa"), ("kansai", "kobe")):
            assert (f"org:jpaa-{chapter}", "PART_OF", "org:jpaa") in ties
            assert (f"org:jpaa-{chapter}", "SERVES", f"region:{region}") in ties
        assert ties["org:inpit", "OPERATES", "prog:ip_window"]["confidence"] == "src"

    def test_engagements_between_real_bodies_are_sourced(self) -> None:
        """Support, finance and participation ties between real bodies exist only as a page states them
        (an award, a programme cohort, a fund's investors): each has its page, its year and its kind."""
        engagements = [r for r in real().relationships if r.type in ENGAGEMENT_TYPES]
        assert len([r for r in engagements if r.type == "SUPPORTS"]) >= 20
        for rel in engagements:
            assert is_web_evidence(rel.props.get("evidence")), f"{rel.origin}: {rel.type} without a web source"
            assert rel.props.get("since") is not None or rel.props.get("fiscal_year") is not None, rel.origin
            if rel.type == "SUPPORTS":
                assert rel.props.get("kind") in SUPPORT_KINDS, rel.origin

    def test_fy2025_model_regions(self) -> None:
        nodes = {n.id: n for n in real().nodes}
        graph = as_graph(real())
        model_regions = {i: n.props["model_region_fy"] for i, n in nodes.items() if n.props.get("model_region_fy")}
        assert model_regions == {
            **{f"region:{r}": 2024 for r in REGIONS},
            **{f"region:{r}": 2025 for r in FY2025_REGIONS},
        }
        for region, (level, code) in FY2025_REGIONS.items():
            props = nodes[f"region:{region}"].props
            assert (props["level"], props["jis_code"], props["model_region_fy"]) == (level, code, 2025)
            assert is_web_evidence(props["evidence"])
            assert {f"net:{region}-regional", f"net:{region}-producer-team"} <= set(nodes)
            owners = [
                r
                for r in real().relationships
                if r.type == "MEMBER_OF" and r.target == f"net:{region}-regional" and r.props.get("role") == "owner"
            ]
            assert len(owners) == 1, region
            local = region_organisations(graph, region)
            assert "org:jpo" in local and "org:inpit" in local
            roles = {role_label(nodes[o].labels) for o in local}
            assert {"GovernmentBody", "University", "FinancialInstitution", "SupportOrganization"} <= roles, region
            programme_ties = {(r.source, r.target) for r in real().relationships if r.type == "COLLABORATES_WITH"}
            assert any(s == "org:jpo" and t in local for s, t in programme_ties), region


# --- the synthetic layer -------------------------------------------------------------------------------


class TestSynthetic:
    def test_everything_is_flagged(self) -> None:
        layer = synthetic_batch(real())
        assert layer.source == "seed:synthetic"
        for record in [*layer.nodes, *layer.relationships]:
            assert record.props["synthetic"] is True and record.props["source"] == "seed:synthetic", record

    def test_is_valid_with_the_real_skeleton(self) -> None:
        assert validate_batch(full()) == []

    def test_every_region_has_every_role(self) -> None:
        graph = as_graph(full())
        for region in REGIONS:
            roles = {role_label(graph.nodes[o]["labels"]) for o in region_organisations(graph, region)}
            assert roles == set(ROLE_LABELS), (region, set(ROLE_LABELS) - roles)

    def test_deterministic(self) -> None:
        assert fingerprint(synthetic_batch(real())) == fingerprint(synthetic_batch(real()))
        assert fingerprint(synthetic_batch(real(), seed=7)) != fingerprint(synthetic_batch(real()))

    def test_sizes_and_scale(self) -> None:
        def firms(batch: Batch) -> dict[str, int]:
            counts: dict[str, int] = defaultdict(int)
            for node in batch.nodes:
                if node.id.startswith("org:syn-"):
                    counts[node.id.split("-")[1]] += 1
            return dict(counts)

        assert firms(synthetic_batch(real())) == {r: p.firms for r, p in REGION_PROFILES.items()}
        assert firms(synthetic_batch(real(), scale=3)) == {r: 3 * p.firms for r, p in REGION_PROFILES.items()}
        tiny = synthetic_batch(real(), scale=0.01)
        assert (
            validate_batch(Batch("t", [*real().nodes, *tiny.nodes], [*real().relationships, *tiny.relationships])) == []
        )
        with pytest.raises(ValueError, match="scale"):
            synthetic_batch(real(), scale=0)

    def test_engagements_come_from_real_support_bodies_of_the_region(self) -> None:
        graph = as_graph(full())
        for region in REGIONS:
            local = region_organisations(graph, region)
            for u, v, data in graph.edges(data=True):
                if data["type"] == "SUPPORTS" and v.startswith(f"org:syn-{region}-"):
                    assert u in local and not graph.nodes[u].get("synthetic"), (u, v)
                    programme = graph.nodes[data["programme"]]
                    assert data["phase"] in programme["phases"] and 2022 <= data["fiscal_year"] <= 2025


# --- the planted gaps are in the data --------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return as_graph(full())


@pytest.fixture(scope="module")
def gaps() -> dict[str, object]:
    return planted_gaps(real())


class TestPlantedGaps:
    def test_module_constant_matches(self, gaps: dict[str, object]) -> None:
        from seeds.synthetic import PLANTED_GAPS

        assert gaps == PLANTED_GAPS

    def test_no_expansion_support(self, graph: nx.MultiDiGraph, gaps: dict[str, list[str]]) -> None:
        assert len(gaps["no_expansion_support"]) >= 30
        for firm in gaps["no_expansion_support"]:
            supporters = {u for u, _, d in graph.in_edges(firm, data=True) if d["type"] == "SUPPORTS"}
            # nothing reachable through SUPPORTS then REFERS_TO serves expansion
            reach = set(supporters)
            for body in supporters:
                reach |= nx.descendants(
                    nx.subgraph_view(graph, filter_edge=lambda u, v, k: graph.edges[u, v, k]["type"] == "REFERS_TO"),
                    body,
                )
            for body in reach:
                phases = {d.get("phase") for _, _, d in graph.out_edges(body, data=True) if d["type"] == "SUPPORTS"}
                assert "expansion" not in phases, (firm, body)

    def test_liaison_gap_only_in_aomori(self, graph: nx.MultiDiGraph, gaps: dict[str, list[dict[str, object]]]) -> None:
        assert gaps["liaison_gaps"] == [{"region": "aomori", "between": ["org:21aomori", "org:aomori-jiii"]}]
        refers = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "REFERS_TO"}
        assert ("org:21aomori", "org:aomori-jiii") not in refers and ("org:aomori-jiii", "org:21aomori") not in refers
        assert {("org:hyogo-ip-center", "org:niro"), ("org:niro", "org:hyogo-ip-center")} <= refers

    def test_missing_roles(self, graph: nx.MultiDiGraph, gaps: dict[str, dict[str, list[str]]]) -> None:
        assert gaps["missing_roles"] == {"aomori": ["jetro"], "ishikawa": ["ip_finance"]}
        jetro_ties = [d["type"] for u, v, d in graph.edges(data=True) if "org:jetro-aomori" in (u, v)]
        assert jetro_ties == ["LOCATED_IN", "PART_OF"]
        kobe_jetro = [d for u, _, d in graph.edges(data=True) if u == "org:jetro-kobe" and d["type"] == "SUPPORTS"]
        assert kobe_jetro and all(d["phase"] == "expansion" for d in kobe_jetro)
        reports = [v for _, v, d in graph.edges(data=True) if d.get("kind") == "ip_finance_report"]
        assert reports and not [v for v in reports if v.startswith("org:syn-ishikawa-")]

    def test_isolated(self, graph: nx.MultiDiGraph, gaps: dict[str, list[str]]) -> None:
        assert len(gaps["isolated"]) == 6
        for firm in gaps["isolated"]:
            types = {d["type"] for _, _, d in graph.out_edges(firm, data=True)}
            types |= {d["type"] for _, _, d in graph.in_edges(firm, data=True)}
            assert types <= {"LOCATED_IN", "ACTIVE_IN"}, (firm, types)

    def test_fragile_bridge(self, graph: nx.MultiDiGraph, gaps: dict[str, list[dict[str, object]]]) -> None:
        (bridge,) = gaps["fragile_bridges"]
        chamber = bridge["bridge"][0]
        assert bridge["region"] == "ishikawa" and graph.nodes[chamber].get("support_kind") == "chamber"
        ties = nx.Graph()
        local = region_organisations(graph, "ishikawa")
        ties.add_edges_from(
            (u, v) for u, v, d in graph.edges(data=True) if d["type"] in ORG_TIE_TYPES and u in local and v in local
        )
        assert set(bridge["articulation_points"]) <= set(nx.articulation_points(ties))
        assert tuple(bridge["bridge"]) in {*nx.bridges(ties), *((v, u) for u, v in nx.bridges(ties))}
        without = ties.copy()
        without.remove_node(chamber)
        assert set(nx.node_connected_component(without, bridge["cluster"][0])) == set(bridge["cluster"])

    def test_unmet_matches(self, graph: nx.MultiDiGraph, gaps: dict[str, list[dict[str, str]]]) -> None:
        assert {m["region"] for m in gaps["unmet_matches"]} == set(REGIONS)
        for match in gaps["unmet_matches"]:
            firm, partner, field = match["firm"], match["partner"], match["field"]
            assert graph.has_edge(firm, f"tech:{field}") and graph.has_edge(partner, f"tech:{field}")
            assert not graph.has_edge(firm, partner) and not graph.has_edge(partner, firm)


# --- both stores -----------------------------------------------------------------------------------------


def test_seed_loads_into_the_store_and_twice_changes_nothing(store: Store) -> None:
    batch = full()
    first = store.write_batch(batch)
    assert first.nodes_created == len({n.id for n in batch.nodes})
    counts = store.counts()
    assert counts["total_relationships"] == len(batch.relationships)
    second = store.write_batch(seed_batch())
    assert second.nodes_created == second.nodes_updated == 0
    assert second.relationships_created == second.relationships_updated == 0
    assert store.counts() == counts
    for region in REGIONS:
        labels = store.counts(region)["nodes_by_label"]
        assert all(labels.get(role) for role in ROLE_LABELS), (region, labels)
    real_only = store.counts(real_only=True)
    assert real_only["total_nodes"] == len(real().nodes)
    assert real_only["total_relationships"] == len(real().relationships)

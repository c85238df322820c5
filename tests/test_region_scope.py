# ruff: noqa: N806  (G: graph name as in the literature)
"""The one region scope (``graph.scope``): a national body that ties firms of two regions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.scope import organisation_regions, region_scope, region_subgraph
from graph.store import Store
from tests.cli_support import ipeco
from tests.conftest import seed_home

PROV = {"source": "test", "evidence": "", "synthetic": False}


def two_regions() -> nx.MultiDiGraph:
    """INPIT serves A and B and supports a firm in each; a Tokyo firm co-applies with A's firm.

    Also: the JETRO HQ (Tokyo, serving nobody) parents A's JETRO office; a programme and a network
    that belong to B (``region: b``), to which INPIT is tied; a national programme INPIT operates.
    """
    G = nx.MultiDiGraph()
    for key in ("a", "b", "tokyo"):
        G.add_node(f"region:{key}", labels=["Region"], name=key.upper(), **PROV)
    orgs = {
        "org:inpit": ("SupportOrganization", "tokyo", ["a", "b"]),
        "org:firm-a": ("Company", "a", []),
        "org:firm-b": ("Company", "b", []),
        "org:window-a": ("SupportOrganization", "a", []),
        "org:tokyo-firm": ("Company", "tokyo", []),
        "org:jetro": ("SupportOrganization", "tokyo", []),
        "org:jetro-a": ("SupportOrganization", "a", []),
    }
    for node, (role, seat, serves) in orgs.items():
        G.add_node(node, labels=["Organization", role], name=node, **PROV)
        G.add_edge(node, f"region:{seat}", key="LOCATED_IN|", type="LOCATED_IN", **PROV)
        for region in serves:
            G.add_edge(node, f"region:{region}", key="SERVES|", type="SERVES", **PROV)
    G.add_node("prog:window", labels=["Programme"], name="窓口", phases=["ideation"], **PROV)
    G.add_node("prog:b-only", labels=["Programme"], name="B accelerator", phases=["launch"], region="b", **PROV)
    G.add_node("net:b", labels=["Network"], name="B network", region="b", **PROV)
    ties = [
        ("org:inpit", "org:firm-a", "SUPPORTS"),
        ("org:inpit", "org:firm-b", "SUPPORTS"),
        ("org:inpit", "org:window-a", "REFERS_TO"),
        ("org:firm-a", "org:tokyo-firm", "COLLABORATES_WITH"),
        ("org:jetro-a", "org:jetro", "PART_OF"),
        ("org:inpit", "prog:window", "OPERATES"),
        ("org:window-a", "prog:window", "OPERATES"),
        ("org:inpit", "prog:b-only", "OPERATES"),
        ("org:inpit", "net:b", "MEMBER_OF"),
    ]
    for u, v, kind in ties:
        G.add_edge(u, v, key=f"{kind}|", type=kind, **PROV)
    return G


class TestRegionScope:
    def test_members_are_seated_or_serving(self) -> None:
        scope = region_scope(two_regions(), "a")
        assert scope.seated == {"org:firm-a", "org:window-a", "org:jetro-a"}
        assert scope.serving == {"org:inpit"}

    def test_national_body_brings_only_its_ties_to_the_region(self) -> None:
        view = region_subgraph(two_regions(), "a")
        assert "org:inpit" in view and view.nodes["org:inpit"]["in_region"]
        assert "org:firm-b" not in view  # INPIT's firm in B is not A's
        inpit_ties = {(v, d["type"]) for _, v, d in view.out_edges("org:inpit", data=True)}
        assert inpit_ties == {
            ("org:firm-a", "SUPPORTS"),
            ("org:window-a", "REFERS_TO"),
            ("prog:window", "OPERATES"),
            ("region:a", "SERVES"),
        }

    def test_no_organisation_of_another_region(self) -> None:
        view = region_subgraph(two_regions(), "a")
        orgs = {n for n, d in view.nodes(data=True) if "Organization" in d["labels"]}
        assert orgs == {"org:inpit", "org:firm-a", "org:window-a", "org:jetro-a"}
        assert all(view.nodes[n]["in_region"] for n in orgs)
        assert not any("region:b" in (u, v) or "region:tokyo" in (u, v) for u, v in view.edges())

    def test_context_nodes_of_another_region_stay_out(self) -> None:
        view = region_subgraph(two_regions(), "a")
        assert "prog:window" in view and view.nodes["prog:window"]["in_region"] is False
        assert "prog:b-only" not in view and "net:b" not in view
        b = region_subgraph(two_regions(), "b")
        assert "prog:b-only" in b and "net:b" in b and "org:firm-a" not in b

    def test_each_tie_of_a_view_joins_two_of_its_members_or_a_member_and_context(self) -> None:
        graph = two_regions()
        for region in ("a", "b"):
            view = region_subgraph(graph, region)
            members = region_scope(graph, region).organisations
            for u, v in view.edges():
                assert u in members, (region, u, v)
                assert v in members or not view.nodes[v]["in_region"] or v == f"region:{region}"

    def test_where_an_organisation_is(self) -> None:
        graph = two_regions()
        assert organisation_regions(graph, "org:inpit") == ("tokyo", "a", "b")
        assert organisation_regions(graph, "org:firm-a") == ("a",)

    def test_unknown_region(self) -> None:
        with pytest.raises(KeyError, match="unknown region 'nowhere'; known regions: a, b, tokyo"):
            region_subgraph(two_regions(), "nowhere")


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory, "seeded")


@pytest.fixture(scope="module")
def seeded(seeded_home: Path) -> nx.MultiDiGraph:
    with EmbeddedStore(seeded_home / "ipeco.sqlite") as store:
        return store.read_graph_all()


@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe"])
def test_seeded_views_hold_no_organisation_of_another_region(seeded: nx.MultiDiGraph, region: str) -> None:
    """The issue's case: INPIT serves all three regions and must not drag the others' firms in."""
    view = region_subgraph(seeded, region)
    for node, attrs in view.nodes(data=True):
        if "Organization" in attrs["labels"]:
            assert region in organisation_regions(seeded, node), (region, node)
    inpit = {v for _, v in view.out_edges("org:inpit") if "Organization" in view.nodes[v]["labels"]}
    assert all(region in organisation_regions(seeded, v) for v in inpit)


def test_export_of_a_region_holds_only_its_organisations(seeded_home: Path, seeded: nx.MultiDiGraph) -> None:
    """``ipeco export --region kobe`` (the issue's Done-when), run as a user runs it."""
    env = {**os.environ, "IPECO_HOME": str(seeded_home), "IPECO_STORE": "embedded"}
    out = seeded_home / "kobe.json"
    done = ipeco("export", "--format", "node-link-json", "--region", "kobe", "-o", str(out), env=env)
    assert done.returncode == 0, done.stderr
    nodes = json.loads(out.read_text(encoding="utf-8"))["nodes"]
    orgs = [n["id"] for n in nodes if "Organization" in n.get("labels", ())]
    assert len(orgs) > 200
    assert all("kobe" in organisation_regions(seeded, org) for org in orgs)
    assert "org:isico" not in orgs and "org:21aomori" not in orgs


def test_data_version_changes_after_each_write(store: Store) -> None:
    from tests.conftest import tiny_batch

    first = store.data_version()
    assert store.data_version() == first  # reading does not change it
    store.write_batch(tiny_batch())
    second = store.data_version()
    assert second != first
    store.write_batch(tiny_batch())  # an unchanged reload still writes (the counter says so)
    third = store.data_version()
    assert third != second
    store.write_node_properties({"org:a": {"score_degree": 1}})
    fourth = store.data_version()
    assert fourth != third
    store.clear()
    assert store.data_version() not in (first, second, third, fourth)
    assert store.read_graph().number_of_nodes() == 0  # the bookkeeping is never read back as data

"""The store contract: every test runs unchanged against the embedded store and the real Neo4j."""

from __future__ import annotations

import pytest

from graph.batch import Batch, BatchError, NodeRecord, Origin, RelRecord
from graph.store import RelRow, Store, prepared_rows
from tests.conftest import tiny_batch


def test_write_then_read_round_trips_properties(store: Store) -> None:
    summary = store.write_batch(tiny_batch())
    assert (summary.nodes_created, summary.relationships_created) == (6, 7)
    graph = store.read_graph()
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 7
    a = graph.nodes["org:a"]
    assert a["labels"] == ["Organization", "Company"]
    assert a["name"] == "株式会社エー" and a["corporate_number"] == "4010801014350"
    assert a["source"] == "test" and a["synthetic"] is False and a["evidence"] == "" and a["loaded_at"]
    assert graph.nodes["prog:ipas"]["phases"] == ["ideation"]
    edges = graph.get_edge_data("org:b", "org:a")
    assert {d["phase"] for d in edges.values()} == {"ideation", "launch"}
    assert {d["fiscal_year"] for d in edges.values()} == {2024, 2025}
    collab = next(iter(graph.get_edge_data("org:a", "org:c").values()))
    assert collab == {**collab, "type": "COLLABORATES_WITH", "kind": "joint_research", "weight": 2.0, "synthetic": True}


def test_counts_by_label_and_type(store: Store) -> None:
    store.write_batch(tiny_batch())
    counts = store.counts()
    assert counts == {
        "total_nodes": 6,
        "total_relationships": 7,
        "nodes_by_label": {
            "Company": 1,
            "Organization": 3,
            "Programme": 1,
            "Region": 2,
            "SupportOrganization": 1,
            "University": 1,
        },
        "relationships_by_type": {"COLLABORATES_WITH": 1, "LOCATED_IN": 3, "OPERATES": 1, "SUPPORTS": 2},
    }


def test_region_view_and_real_only(store: Store) -> None:
    store.write_batch(tiny_batch())
    aomori = store.counts("aomori")
    # a, b seated in Aomori and the programme b operates. c (Kobe) is not Aomori's, although a
    # collaborates with it: a region's view holds no organisation of another region (graph.scope).
    assert aomori["total_nodes"] == 4
    assert aomori["relationships_by_type"] == {"LOCATED_IN": 2, "OPERATES": 1, "SUPPORTS": 2}
    kobe = store.counts("kobe")
    assert kobe["total_nodes"] == 2 and kobe["relationships_by_type"] == {"LOCATED_IN": 1}
    real = store.counts("kobe", real_only=True)  # c and its seat are synthetic
    assert real["total_nodes"] == 1 and real["total_relationships"] == 0
    with pytest.raises(KeyError, match="unknown region 'atlantis'"):
        store.counts("atlantis")


def test_loading_twice_changes_nothing(store: Store) -> None:
    store.write_batch(tiny_batch())
    before = store.read_graph()
    summary = store.write_batch(tiny_batch())
    assert summary.nodes_unchanged == 6 and summary.relationships_unchanged == 7
    assert summary.nodes_created == summary.nodes_updated == summary.relationships_created == 0
    after = store.read_graph()
    assert dict(after.nodes(data=True)) == dict(before.nodes(data=True))
    assert list(after.edges(keys=True, data=True)) == list(before.edges(keys=True, data=True))


def test_changed_values_update_in_place(store: Store) -> None:
    store.write_batch(tiny_batch())
    batch = Batch("test", [NodeRecord("org:a", ("Organization", "Company"), {"name": "株式会社エー", "employees": 12})])
    summary = store.write_batch(batch)
    assert summary.nodes_updated == 1
    node = store.read_graph().nodes["org:a"]
    assert node["employees"] == 12 and node["corporate_number"] == "4010801014350"


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        (
            NodeRecord("org:x", ("Organization", "Dragon"), {"name": "x"}, Origin("bad.csv", 7)),
            "label",
            "unknown label 'Dragon'",
        ),
        (NodeRecord("org:x", ("Organization", "Company"), {}, Origin("bad.csv", 7)), "name", "required"),
        (NodeRecord("", ("Organization", "Company"), {"name": "x"}, Origin("bad.csv", 7)), "id", "required"),
        (
            NodeRecord(
                "org:x",
                ("Organization", "Company"),
                {"name": "x", "corporate_number": "1000011000006"},
                Origin("bad.csv", 7),
            ),
            "corporate_number",
            "check digit",
        ),
        (RelRecord("SUPPORTS", "org:b", "org:nowhere", {}, Origin("bad.csv", 7)), "target", "'org:nowhere' is neither"),
        (RelRecord("SUPPORTS", "org:b", "org:a", {"phase": "retirement"}, Origin("bad.csv", 7)), "phase", "not one of"),
        (RelRecord("LIKES", "org:b", "org:a", {}, Origin("bad.csv", 7)), "type", "unknown relationship type"),
    ],
)
def test_one_bad_row_writes_nothing(store: Store, bad: NodeRecord | RelRecord, field: str, message: str) -> None:
    store.write_batch(tiny_batch())
    before = store.counts()
    batch = tiny_batch("second")
    batch.nodes.append(NodeRecord("org:new", ("Organization", "Company"), {"name": "新しい会社"}))
    (batch.nodes if isinstance(bad, NodeRecord) else batch.relationships).append(bad)
    with pytest.raises(BatchError) as caught:
        store.write_batch(batch)
    text = str(caught.value)
    assert f"bad.csv line 7: field '{field}'" in text and message in text
    assert store.counts() == before


def test_failure_inside_the_transaction_rolls_back(store: Store) -> None:
    """A write that fails half-way (after validation passed) leaves the store as it was."""
    store.write_batch(tiny_batch())
    before = store.counts()
    batch = Batch("x", [NodeRecord(f"org:n{i}", ("Organization", "Company"), {"name": f"n{i}"}) for i in range(50)])
    nodes, rels = prepared_rows(batch, "2026-01-01T00:00:00+00:00")
    # Bypass validation: the last row points at a node that does not exist, so the write fails late.
    dangling = RelRow("REFERS_TO", "org:n0", "org:ghost", "", {"synthetic": False}, ("x", "2026-01-01T00:00:00+00:00"))
    with pytest.raises(Exception, match=r"org:ghost|FOREIGN KEY"):
        store._write_rows(nodes, [*rels, dangling])
    assert store.counts() == before


def test_write_node_properties_and_clear(store: Store) -> None:
    store.write_batch(tiny_batch())
    assert store.write_node_properties({"org:a": {"pagerank": 0.25}, "org:missing": {"pagerank": 1.0}}) == 1
    assert store.read_graph().nodes["org:a"]["pagerank"] == 0.25
    # a reload of the same data keeps computed scores
    store.write_batch(tiny_batch())
    assert store.read_graph().nodes["org:a"]["pagerank"] == 0.25
    store.clear()
    assert store.counts()["total_nodes"] == 0


def test_relationship_to_node_loaded_earlier(store: Store) -> None:
    store.write_batch(tiny_batch())
    batch = Batch("later", relationships=[RelRecord("REFERS_TO", "org:b", "org:a", {}, Origin("later.csv", 2))])
    assert store.write_batch(batch).relationships_created == 1
    wrong = Batch("later", relationships=[RelRecord("LOCATED_IN", "org:a", "prog:ipas", {}, Origin("later.csv", 3))])
    with pytest.raises(BatchError, match="LOCATED_IN needs a Region target, 'prog:ipas' is a Programme"):
        store.write_batch(wrong)


def test_one_load_mixing_new_changed_and_unchanged_ties(store: Store) -> None:
    """New endpoints (CREATE), new ties between stored nodes (MERGE), changed and unchanged ties at once."""
    store.write_batch(tiny_batch())
    o = Origin("more.csv", 2)
    support = {"programme": "prog:ipas", "phase": "ideation", "fiscal_year": 2024}
    batch = Batch(
        "test",
        [NodeRecord("org:d", ("Organization", "Company"), {"name": "株式会社ディー"}, o)],
        [
            RelRecord("SUPPORTS", "org:b", "org:d", support, o),  # endpoint created by this load
            RelRecord("REFERS_TO", "org:b", "org:c", {}, o),  # both ends stored, tie absent
            RelRecord("SUPPORTS", "org:b", "org:a", {**support, "evidence": "面談記録 2024-06"}, o),  # changed
            RelRecord("LOCATED_IN", "org:a", "region:aomori", {}, o),  # unchanged
        ],
    )
    summary = store.write_batch(batch)
    assert (summary.nodes_created, summary.relationships_created) == (1, 2)
    assert (summary.relationships_updated, summary.relationships_unchanged) == (1, 1)
    graph = store.read_graph()
    assert graph.number_of_edges() == 7 + 2
    ties = graph.get_edge_data("org:b", "org:a")
    assert ties["SUPPORTS|prog:ipas|ideation|2024"]["evidence"] == "面談記録 2024-06"
    again = store.write_batch(batch)
    assert again.relationships_unchanged == 4 and again.relationships_created == again.relationships_updated == 0

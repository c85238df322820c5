"""The Neo4j write path at the server's rate: per-key SET on created entities, no id lookups on a first load.

Created nodes and ties set one property at a time (the map form ``SET r = row.props`` cost the
server most at commit); only plain names reach the query text, anything else keeps the map form.
The loads stay what they were: the same graph as the embedded store, idempotent on a second load.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.neo4j_store import _PLAIN_KEY, Neo4jStore, _set_clause
from tests.conftest import tiny_batch


def test_set_clause_names_each_plain_key_once_in_order() -> None:
    assert _set_clause("r", ["b", "a", "a"]) == "SET r.`a` = row.props.`a`, r.`b` = row.props.`b`"


def test_set_clause_keeps_the_map_form_for_no_keys() -> None:
    assert _set_clause("n", []) == "SET n = row.props"


@given(st.lists(st.text(min_size=0, max_size=12), max_size=6))
def test_no_name_but_a_plain_one_reaches_the_query_text(keys: list[str]) -> None:
    clause = _set_clause("r", keys)
    if keys and all(_PLAIN_KEY.match(k) for k in keys):
        assert clause.count(" = row.props.`") == len(set(keys))
    else:
        assert clause == "SET r = row.props"


def _with_extras() -> Batch:
    """tiny_batch plus a tie and a node carrying a property the schema does not know."""
    batch = tiny_batch()
    o = Origin("extra.csv", 2)
    batch.nodes.append(
        NodeRecord("org:x", ("Organization", "Company"), {"name": "株式会社エックス", "note_x": "備考"}, o)
    )
    support = {"programme": "prog:ipas", "phase": "launch", "fiscal_year": 2025, "memo_y": 3}
    batch.relationships.append(RelRecord("SUPPORTS", "org:b", "org:x", support, o))
    return batch


@pytest.mark.neo4j
def test_first_load_equals_the_embedded_store_and_a_second_changes_nothing(
    neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    first = neo4j_store.write_batch(_with_extras())
    embedded = EmbeddedStore(tmp_path / "e.sqlite")
    try:
        embedded.write_batch(_with_extras())
        expected = embedded.read_graph_all()
    finally:
        embedded.close()
    got = neo4j_store.read_graph_all()

    def plain(graph: object) -> tuple[object, object]:
        nodes = {n: {k: v for k, v in d.items() if k != "loaded_at"} for n, d in graph.nodes(data=True)}  # type: ignore[attr-defined]
        edges = sorted(
            (u, v, k, tuple(sorted((a, b) for a, b in d.items() if a != "loaded_at")))
            for u, v, k, d in graph.edges(keys=True, data=True)  # type: ignore[attr-defined]
        )
        return nodes, edges

    assert plain(got) == plain(expected)
    assert got.nodes["org:x"]["note_x"] == "備考"
    second = neo4j_store.write_batch(_with_extras())
    assert (second.nodes_created, second.nodes_updated, second.relationships_created) == (0, 0, 0)
    assert second.nodes_unchanged == first.nodes_created
    assert second.relationships_unchanged == first.relationships_created


@pytest.mark.neo4j
def test_known_labels_of_an_empty_store_and_after_a_load(neo4j_store: Neo4jStore) -> None:
    assert neo4j_store.known_labels(["org:a", "region:aomori"]) == {}
    neo4j_store.write_batch(tiny_batch())
    assert neo4j_store.known_labels(["org:a", "region:aomori", "org:nope"]) == {
        "org:a": "Organization",
        "region:aomori": "Region",
    }

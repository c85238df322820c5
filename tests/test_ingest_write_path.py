"""The Neo4j write path at the server's rate: per-key SET on created entities, no id lookups on a first load.

Created nodes and ties set one property at a time (the map form ``SET r = row.props`` cost the
server most at commit); only plain names reach the query text, anything else keeps the map form.
The loads stay what they were: the same graph as the embedded store, idempotent on a second load.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import graph.neo4j_store
from bench.bench_ingest import ends, server_only_in_transactions_seconds, server_only_seconds, synthetic_batch
from graph.batch import Batch, BatchError, NodeRecord, Origin, RelRecord, validate_batch
from graph.embedded import EmbeddedStore
from graph.neo4j_store import _PLAIN_KEY, Neo4jStore, _Columns, _prefetched, _set_clause
from graph.schema import REL_SPECS, relationship_key
from graph.server import LocalNeo4j
from tests.conftest import open_test_neo4j, tiny_batch


def _decoded(columns: _Columns) -> list[dict[str, object]]:
    """What the server sets on each row's entity from ``columns`` (null sets nothing)."""
    out = []
    for row in columns.rows:
        props = dict(columns.constant)
        props.update(zip(columns.varying, row[columns.lead :], strict=True))
        out.append({k: v for k, v in props.items() if v is not None})
    return out


def test_columns_send_a_value_shared_by_every_row_once() -> None:
    shared = "2026-01-01T00:00:00+00:00"
    props = [{"at": shared, "fy": 2020, "flag": True}, {"at": shared, "fy": 2021, "flag": 1}]
    columns = _Columns.of([["a", "b"], ["c", "d"]], props, {"content_hash": ["h1", "h2"]})
    assert columns is not None
    assert columns.constant == {"at": shared}
    assert columns.varying == ("content_hash", "flag", "fy")  # True and 1 are not the same value
    assert columns.rows == [["a", "c", "h1", True, 2020], ["b", "d", "h2", 1, 2021]]
    assert _set_clause("r", columns) == (
        "SET r.`at` = $c.`at`, r.`content_hash` = row[2], r.`flag` = row[3], r.`fy` = row[4]"
    )


def test_columns_of_one_row_keep_the_row() -> None:
    columns = _Columns.of([], [{"id": "org:a", "gone": None}], {})
    assert columns is not None
    assert (columns.constant, columns.varying, columns.rows) == ({"id": "org:a"}, (), [[]])
    assert _set_clause("n", columns) == "SET n.`id` = $c.`id`"


def test_a_name_that_is_not_plain_keeps_the_map_form() -> None:
    assert _Columns.of([], [{"bad name": 1}], {}) is None
    assert _set_clause("n", None) == "SET n = row.props"


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "y"]), st.floats(0, 1))


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c_1"]), _VALUES, max_size=3), min_size=1, max_size=6))
def test_columns_set_exactly_each_rows_own_values(props: list[dict[str, object]]) -> None:
    columns = _Columns.of([[str(i) for i in range(len(props))]], props, {})
    assert columns is not None
    assert [row[0] for row in columns.rows] == [str(i) for i in range(len(props))]
    decoded = _decoded(columns)
    for got, want in zip(decoded, props, strict=True):
        want = {k: v for k, v in want.items() if v is not None}
        assert got == want
        assert all(type(got[k]) is type(want[k]) for k in want)


@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=6))
def test_no_name_but_a_plain_one_reaches_the_query_text(keys: list[str]) -> None:
    columns = _Columns.of([], [dict.fromkeys(keys, 1), dict.fromkeys(keys, 2)], {})
    if all(_PLAIN_KEY.match(k) for k in keys):
        assert columns is not None
        assert _set_clause("r", columns).count(" = row[") == len(set(keys))
    else:
        assert columns is None


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


def _stored(store: Neo4jStore) -> tuple[list[object], list[object]]:
    """Every stored node and tie with all its properties, internal ones too, as comparable tuples.

    ``loaded_at`` is the load's clock and the content hash a digest the ceiling cannot compute:
    the one is left out, the other compared by its length (what it costs to store).
    """

    def plain(props: dict[str, object]) -> tuple[tuple[str, object], ...]:
        props = {k: v for k, v in props.items() if k != "loaded_at"}
        props["content_hash"] = len(str(props["content_hash"]))
        return tuple(sorted(props.items()))

    with store.driver.session(database=store.database) as session:
        nodes = session.run("MATCH (n) WHERE n.id IS NOT NULL RETURN labels(n) AS l, properties(n) AS p").data()
        ties = session.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p").data()
    return (
        sorted((sorted(n["l"]), plain(n["p"])) for n in nodes),
        sorted((t["a"], t["t"], t["b"], plain(t["p"])) for t in ties),
    )


@pytest.mark.neo4j
@pytest.mark.parametrize("size", [10, 250])
def test_the_server_only_ceiling_writes_what_the_load_writes(neo4j_store: Neo4jStore, size: int) -> None:
    """The bench's ceiling is honest: the same nodes, ties and properties as the load, nothing less."""
    neo4j_store.write_batch(synthetic_batch(size))
    loaded = _stored(neo4j_store)
    neo4j_store.clear()
    server_only_seconds(neo4j_store, size)
    assert _stored(neo4j_store) == loaded
    assert len(loaded[1]) == size
    neo4j_store.clear()
    server_only_in_transactions_seconds(neo4j_store, size, rows=7)  # the 10^6 line's ceiling, in pieces
    assert _stored(neo4j_store) == loaded


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=2, max_value=10**5))
def test_synthetic_ends_are_two_distinct_companies(i: int, companies: int) -> None:
    a, b = ends(i, companies)
    assert a != b
    assert 0 <= a < companies
    assert 0 <= b < companies


_ODD_VALUES = st.sampled_from([True, False, 1, 0, 1.0, "1", "true", 2020, 2020.5, "", None, "launch", "x" * 70])


@given(st.lists(st.tuples(_ODD_VALUES, _ODD_VALUES, _ODD_VALUES), min_size=1, max_size=8))
def test_remembered_verdicts_judge_every_row_as_if_alone(values: list[tuple[object, object, object]]) -> None:
    """Validation remembers verdicts of repeated values; ``True``, ``1`` and ``1.0`` are still judged apart."""
    nodes = [NodeRecord(f"org:{c}", ("Organization", "Company"), {"name": c}) for c in "ab"]

    def tie(i: int, synthetic: object, year: object, phase: object) -> RelRecord:
        props = {"programme": f"prog:{i}", "synthetic": synthetic, "fiscal_year": year, "phase": phase}
        return RelRecord("SUPPORTS", "org:a", "org:b", props, Origin("t.csv", i + 2))

    ties = [tie(i, *row) for i, row in enumerate(values)]
    together = validate_batch(Batch("t", nodes, ties))
    alone = [v for rel in ties for v in validate_batch(Batch("t", nodes, [rel]))]
    assert together == alone


@pytest.mark.neo4j
def test_nodes_stored_after_the_store_looked_empty_are_not_created_twice(
    neo4j_store: Neo4jStore, neo4j_server: LocalNeo4j
) -> None:
    """A first load reads no stored hashes; another load that stored the same nodes meanwhile is caught."""
    other = open_test_neo4j(neo4j_server)
    looked = neo4j_store.known_labels

    def empty_then_filled(ids: Iterable[str]) -> dict[str, str]:
        found = looked(ids)
        other.write_batch(tiny_batch())  # between this load's look at the store and its write
        return found

    try:
        neo4j_store.known_labels = empty_then_filled  # type: ignore[method-assign]
        summary = neo4j_store.write_batch(tiny_batch())
    finally:
        other.close()
    assert summary.nodes_created == 0
    assert summary.nodes_unchanged == len({n.id for n in tiny_batch().nodes})
    assert summary.relationships_created == 0
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        twins = session.run("MATCH (n) WHERE n.id IS NOT NULL WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN id")
        assert twins.values() == []


@given(
    st.sampled_from([*REL_SPECS, "NOT_A_TYPE"]),
    st.dictionaries(
        st.sampled_from(["programme", "phase", "fiscal_year", "kind", "title", "other"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)),
    ),
)
def test_a_ties_key_is_the_schemas_relationship_key(rel_type: str, props: dict[str, object]) -> None:
    expected = relationship_key(rel_type, props) if rel_type in REL_SPECS else ""
    assert RelRecord(rel_type, "a", "b", props).key == expected


def _encode(chunk: list[int]) -> tuple[str, dict[str, object]]:
    if -1 in chunk:
        raise ValueError(f"cannot prepare {chunk}")
    return "q", {"rows": [v * 2 for v in chunk]}


@given(st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=3), max_size=7))
def test_prepared_chunks_come_in_order_each_with_its_own_parameters(chunks: list[list[int]]) -> None:
    got = list(_prefetched(_encode, chunks))  # type: ignore[arg-type]
    assert got == [(chunk, _encode(chunk)) for chunk in chunks]


@pytest.mark.parametrize("bad", [0, 1, 4])
def test_an_error_in_the_producer_surfaces_at_its_chunk_and_leaves_no_thread(bad: int) -> None:
    chunks = [[i] for i in range(6)]
    chunks[bad] = [-1]
    threads = threading.active_count()
    seen = []
    with pytest.raises(ValueError, match=r"cannot prepare \[-1\]"):
        for chunk, _ in _prefetched(_encode, chunks):  # type: ignore[arg-type]
            seen.append(chunk)
    assert seen == chunks[:bad]
    assert threading.active_count() == threads


def test_leaving_early_stops_the_producer() -> None:
    threads = threading.active_count()
    for _ in _prefetched(_encode, [[i] for i in range(50)]):  # type: ignore[arg-type]
        break
    assert threading.active_count() == threads


@pytest.mark.neo4j
def test_a_failure_while_preparing_a_later_chunk_rolls_back_and_names_the_row(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tie the producer thread cannot prepare (its hash refuses a 70-bit integer) in the fourth chunk:
    the chunks already sent are rolled back and the error is validation's, with file, line and field."""
    monkeypatch.setattr(graph.neo4j_store, "CHUNK", 2)
    neo4j_store.write_batch(tiny_batch())
    before = (_stored(neo4j_store), neo4j_store.data_version())
    batch = synthetic_batch(8)
    bad = batch.relationships[-1]
    bad.props["fiscal_year"] = 2**70
    bad.origin = Origin("ties.csv", 9)
    with pytest.raises(BatchError) as caught:
        neo4j_store.write_batch(batch)
    assert "ties.csv line 9: field 'fiscal_year'" in str(caught.value)
    assert "out of range" in str(caught.value)
    assert (_stored(neo4j_store), neo4j_store.data_version()) == before


def _company(i: str) -> NodeRecord:
    return NodeRecord(f"org:{i}", ("Organization", "Company"), {"name": f"会社{i}", "synthetic": True})


def _tie(a: str, b: str, year: int) -> RelRecord:
    return RelRecord("SUPPORTS", f"org:{a}", f"org:{b}", {"phase": "launch", "fiscal_year": year, "synthetic": True})


def _mixed_loads() -> tuple[Batch, Batch]:
    """A first load, then one whose ties join new to new, new to stored and stored to stored ends."""
    first = Batch("mixed", [_company(f"s{i}") for i in range(4)], [_tie("s0", "s1", 2020)])
    second = Batch(
        "mixed",
        [_company(f"n{i}") for i in range(5)] + [_company("s0")],
        [
            *[_tie("n0", "n1", 2021), _tie("n2", "n4", 2022), _tie("n1", "n0", 2023)],  # both ends new
            *[_tie("n3", "s2", 2024), _tie("s3", "n0", 2025)],  # one end new
            *[_tie("s0", "s1", 2020), _tie("s1", "s2", 2026)],  # stored ends: one unchanged, one new
        ],
    )
    return first, second


@pytest.mark.neo4j
def test_ties_between_nodes_made_in_the_load_find_them_by_element_id(neo4j_store: Neo4jStore) -> None:
    """Both ends created in this transaction: two element-id seeks, no index seek and no scan."""
    query = graph.neo4j_store._rel_query(
        "SUPPORTS", create=True, columns=_Columns(2, {}, ("phase",), []), by_element_id=True
    )
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        plan = session.run("EXPLAIN " + query, rows=[], c={}).consume().plan
    assert plan is not None

    def operators(step: dict[str, object]) -> list[str]:
        children = step.get("children", [])
        assert isinstance(children, list)
        return [str(step["operatorType"]).split("@")[0]] + [op for child in children for op in operators(child)]

    found = operators(plan)
    assert found.count("NodeByElementIdSeek") == 2, found
    assert not {"NodeIndexSeek", "NodeUniqueIndexSeek", "NodeIndexScan", "NodeByLabelScan", "AllNodesScan"} & set(found)


@pytest.mark.neo4j
@pytest.mark.parametrize("chunk", [2, 10_000])
def test_new_and_stored_ends_give_the_embedded_stores_graph(
    neo4j_store: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Element ids carry ties between new nodes across node chunks; the rest still go by ``id``."""
    monkeypatch.setattr(graph.neo4j_store, "CHUNK", chunk)
    first, second = _mixed_loads()
    neo4j_store.write_batch(first)
    summary = neo4j_store.write_batch(second)
    assert (summary.nodes_created, summary.nodes_unchanged) == (5, 1)
    assert (summary.relationships_created, summary.relationships_unchanged) == (6, 1)
    embedded = EmbeddedStore(tmp_path / "e.sqlite")
    try:
        embedded.write_batch(first)
        embedded.write_batch(second)
        expected = embedded.read_graph_all()
    finally:
        embedded.close()
    got = neo4j_store.read_graph_all()

    def ties(graph: object) -> list[tuple[object, ...]]:
        edges = graph.edges(keys=True, data=True)  # type: ignore[attr-defined]
        return sorted((u, v, k, d["fiscal_year"], d["source"]) for u, v, k, d in edges)

    assert ties(got) == ties(expected)
    assert sorted(got.nodes) == sorted(expected.nodes)
    again = neo4j_store.write_batch(second)
    assert (again.nodes_created, again.relationships_created, again.relationships_unchanged) == (0, 0, 7)

"""The columnar check and the columnar rows: never a different verdict, hash or graph, only less time.

``quick_check`` may send a batch to the record-by-record validation whenever it likes, but it may
never call a batch clean that ``batch_violations`` refuses (``checked`` is the two in turn);
``content_columns`` must hash every row exactly as the row-by-row ``_LazyContent`` does, or a reload
would see every record as changed.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.bench_ingest import synthetic_batch
from graph.batch import Batch, NodeRecord, Origin, RelRecord, batch_violations, validate_batch
from graph.content_columns import _ESCAPED, content_columns
from graph.identifiers import is_valid_corporate_number
from graph.neo4j_store import Neo4jStore
from graph.store import RelRow, Store, prepared_rows
from graph.validation_fast import _corporate_number_ok, checked, quick_check

LOADED_AT = "2026-01-01T00:00:00+00:00"

#: Values a loader may hand over, good and bad: the schema's types, their edges, and what no store takes.
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, 1, 2.5, float("nan"), float("inf"), "", " ", "ideation", "launch", "nowhere"]),
    st.sampled_from(["2024-01-31", "2024-13-01", "02", "2", "12345", "１２３４５", "prog:ipas", [], ["A23L"], [1]]),
    st.sampled_from(["5010401089406", "1234567890123", "x" * 2_001, "\x00", 'a"b', "a\\b", "é", "名"]),
    st.text(max_size=8),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=3), max_size=2),
)
_NODE_NAMES = st.sampled_from(
    ["name", "employees", "founded", "startup", "tech_fields", "prefecture_code", "corporate_number", "extra",
     "labels", "bad-name", "level", "capital", "id"]
)  # fmt: skip
_REL_NAMES = st.sampled_from(["programme", "phase", "fiscal_year", "kind", "synthetic", "weight", "key", "note"])
_LABELS = st.sampled_from(
    [("Organization", "Company"), ("Company",), ("Region",), ("Organization",), ("Region", "Company"), ["Company"]]
)


@st.composite
def batches(draw: st.DrawFn) -> tuple[Batch, dict[str, str]]:
    """Small batches over a few ids, so that repeats, clashes and missing ends all happen."""
    ids = st.sampled_from(["org:a", "org:b", "org:c", "region:r", "", " ", "x" * 2_100])
    nodes = [
        NodeRecord(draw(ids), draw(_LABELS), draw(st.dictionaries(_NODE_NAMES, _VALUES, max_size=4)), Origin("n", i))
        for i in range(draw(st.integers(0, 5)))
    ]
    for node in nodes:  # mostly organisations with a name, so that many batches are clean
        if draw(st.booleans()):
            node.labels, node.props["name"] = ("Organization", "Company"), draw(st.sampled_from(["企業", "a", ""]))
    rels = [
        RelRecord(
            draw(st.sampled_from(["SUPPORTS", "LOCATED_IN", "NOPE"])),
            draw(ids),
            draw(ids),
            draw(st.dictionaries(_REL_NAMES, _VALUES, max_size=3)),
            Origin("r", i),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    known = draw(st.dictionaries(ids, st.sampled_from(["Organization", "Region"]), max_size=2))
    return Batch("test", nodes, rels), known


@settings(max_examples=600, deadline=None)
@given(batches())
def test_a_batch_called_clean_is_one_the_full_validation_accepts(case: tuple[Batch, dict[str, str]]) -> None:
    batch, known = case
    clean = quick_check(batch, known)
    assert checked(batch, known) == batch_violations(batch, known) == validate_batch(batch, known)
    if clean is None:
        return
    assert batch_violations(batch, known) == []
    assert clean.rel_keys == [rel.key for rel in batch.relationships]
    assert prepared_rows(batch, LOADED_AT, clean) == prepared_rows(batch, LOADED_AT)


def test_the_usual_load_is_clean_by_columns() -> None:
    batch = synthetic_batch(2_000)
    clean = quick_check(batch, {})
    assert clean is not None
    nodes, rels = prepared_rows(batch, LOADED_AT, clean)
    assert (nodes, rels) == prepared_rows(batch, LOADED_AT)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.nodes[1].props.update(employees=2**64), "employees"),
        (lambda b: b.relationships[3].props.update(phase="later"), "phase"),
        (lambda b: setattr(b.relationships[4], "target", "org:nowhere"), "target"),
        (lambda b: b.nodes.append(NodeRecord("org:b1", ("Organization", "Company"), {"name": "別"})), "employees"),
    ],
)
def test_a_bad_record_is_left_to_the_full_validation(change: Any, field: str) -> None:
    batch = synthetic_batch(200)
    change(batch)
    assert quick_check(batch, {}) is None
    assert [v.field for v in validate_batch(batch, {})] == [field]
    assert checked(batch, {}) == batch_violations(batch, {})


def test_a_known_id_of_another_label_is_not_clean() -> None:
    batch = synthetic_batch(200)
    assert quick_check(batch, {"org:b3": "Organization"}) is not None
    assert quick_check(batch, {"org:b3": "Region"}) is None


def test_orjson_escapes_exactly_what_the_columns_do_not_copy() -> None:
    for code in (c for c in range(0x110000) if not 0xD800 <= c < 0xE000):
        char = chr(code)
        copied = orjson.dumps(char) == f'"{char}"'.encode()
        assert copied is not bool(_ESCAPED.search(char)), hex(code)


_ROW_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=6),
    st.lists(st.text(max_size=3), max_size=3),
    st.sampled_from([0, 1, 1.0, True, "", "a,b", 'say "hi"', "tab\there", "名前"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["phase", "fiscal_year", "source", "synthetic", "a_b", "z9"]), min_size=0, max_size=4),
    st.data(),
)
def test_columns_hash_each_row_as_the_row_does(names: list[str], data: st.DataObject) -> None:
    names = list(dict.fromkeys(names))
    shared = data.draw(_ROW_VALUES)
    rows = [
        {name: shared if data.draw(st.booleans()) else data.draw(_ROW_VALUES) for name in names}
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    columns = content_columns(rows, ("SUPPORTS",), ("test", LOADED_AT), {})
    assert columns is not None
    by_row = [RelRow("SUPPORTS", "a", "b", "", row, ("test", LOADED_AT)) for row in rows]
    assert columns.hashes == [row.hash for row in by_row]
    for i, row in enumerate(by_row):
        assert {**columns.constant, **{k: v[i] for k, v in columns.varying.items()}} == row.props


def test_rows_of_another_shape_are_left_to_the_rows() -> None:
    assert content_columns([{"a": 1}, {"b": 1}], ("T",), ("s", LOADED_AT), {}) is None
    assert content_columns([{"a": None}], ("T",), ("s", LOADED_AT), {}) is None
    assert content_columns([{"loaded_at": "x"}], ("T",), ("s", LOADED_AT), {}) is None
    assert content_columns([{"bad name": 1}], ("T",), ("s", LOADED_AT), {}) is None
    assert content_columns([{"a": "\ud800"}], ("T",), ("s", LOADED_AT), {}) is None


@pytest.mark.neo4j
def test_a_load_written_by_columns_reloads_unchanged(neo4j_store: Neo4jStore) -> None:
    """The second load compares the stored (column-made) hashes with row-made ones: all unchanged."""
    _reload_is_unchanged(neo4j_store)


def test_the_embedded_store_reloads_unchanged(embedded_store: Store) -> None:
    _reload_is_unchanged(embedded_store)


def _reload_is_unchanged(store: Store) -> None:
    batch = synthetic_batch(300)
    first = store.write_batch(batch)
    assert (first.nodes_created, first.relationships_created) == (len(batch.nodes), len(batch.relationships))
    again = store.write_batch(batch)
    assert (again.nodes_unchanged, again.relationships_unchanged) == (len(batch.nodes), len(batch.relationships))
    assert again.nodes_created == again.relationships_created == again.nodes_updated == 0


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1000011000005", True),  # 国立国会図書館
        ("8000020130001", True),  # 東京都
        ("4010801014350", True),
        ("5010801014350", False),  # the check digit one off
        ("401080101435", False),  # twelve digits
        ("４010801014350", False),  # a full-width digit
        ("", False),
    ],
)
def test_corporate_number_by_byte_sums(value: str, valid: bool) -> None:
    assert _corporate_number_ok(value) is valid is is_valid_corporate_number(value)


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_corporate_number_by_byte_sums_is_the_rule(value: str) -> None:
    assert _corporate_number_ok(value) == is_valid_corporate_number(value)

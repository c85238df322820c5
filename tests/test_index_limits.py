"""One limit for both stores: what Neo4j cannot index is refused before any write (issue 26, item 2).

An organisation name of 3,000 kanji (9 KB of UTF-8) or an id of 9,000 characters passed
``--dry-run`` on Neo4j and then killed the load with "Property value is too large to index", while
the embedded store took it. Validation now draws Neo4j's line in both stores, with the limit in
the message; right under the line, both stores take the value.
"""

from __future__ import annotations

import re

import pytest

from graph.batch import MAX_INDEXED_BYTES, Batch, BatchError, NodeRecord, Origin
from graph.neo4j_store import constraint_statements
from graph.schema import INDEXED_PROPERTIES
from graph.store import Store
from tests.conftest import tiny_batch

ORIGIN = Origin("big.csv", 4)


def org(node_id: str, name: str) -> Batch:
    return Batch("t", [NodeRecord(node_id, ("Organization", "Company"), {"name": name}, ORIGIN)])


@pytest.mark.parametrize(
    ("node_id", "name", "field", "size"),
    [
        ("org:kanji", "漢" * 3000, "name", 9000),
        ("o" * 9000, "株式会社", "id", 9000),
        ("org:" + "𠮷" * 2000, "株式会社", "id", 8004),
    ],
)
def test_too_large_to_index_is_refused_by_dry_run_and_load_in_both_stores(
    store: Store, node_id: str, name: str, field: str, size: int
) -> None:
    store.write_batch(tiny_batch())
    before = store.counts()
    expected = rf"big.csv line 4: field '{field}': is {size:,} bytes of UTF-8 .* at most {MAX_INDEXED_BYTES:,} bytes"
    for dry_run in (True, False):
        with pytest.raises(BatchError, match=expected):
            store.write_batch(org(node_id, name), dry_run=dry_run)
    assert store.counts() == before


def test_right_under_the_limit_both_stores_take_it(store: Store) -> None:
    name = "漢" * (MAX_INDEXED_BYTES // 3)  # 7,998 bytes
    node_id = "o" * MAX_INDEXED_BYTES
    store.write_batch(org(node_id, name))
    assert store.read_graph().nodes[node_id]["name"] == name
    with pytest.raises(BatchError, match="is 8,001 bytes"):
        store.write_batch(org("org:over", name + "a" * 3), dry_run=True)


def test_every_index_of_the_neo4j_store_is_covered_by_the_limit() -> None:
    """A new index on a property the limit does not cover would bring the disagreement back."""
    indexed = set()
    for statement in constraint_statements():
        match = re.search(r"FOR \(\w+:(\w+)\) (?:REQUIRE|ON) \(?\w+\.(\w+)\)?", statement)
        if match and match.group(1) != "IpecoMeta":
            indexed.add(match.group(2))
    assert indexed and indexed <= INDEXED_PROPERTIES

"""The load path's id lookups stay index seeks even when Neo4j's statistics are stale.

Once, right after a 10^5-tie load into an emptied database, Neo4j's ``id`` index selectivity read
0 (not yet resampled) and it planned the plain tie lookup as a full scan of that index per row:
the reload ran for over ten minutes. Whether that state arises depends on when Neo4j resamples,
so it cannot be produced on demand; hence a static check that every id lookup carries its
``USING INDEX SEEK`` hint, plus the real plans (``EXPLAIN``) after a load into an emptied
database.
"""

from __future__ import annotations

import re
from typing import Any, LiteralString

import pytest

from graph.batch import Batch, NodeRecord, RelRecord
from graph.neo4j_store import (
    Neo4jStore,
    _Columns,
    _differing_ties,
    _node_hashes_query,
    _rel_changes_query,
    _rel_query,
)
from graph.schema import NODE_SPECS, REL_SPECS
from graph.store import RelRow, prepared_rows

SCANS = {"NodeIndexScan", "NodeByLabelScan", "AllNodesScan"}

#: The tie lookup as it was written before the hints.
UNHINTED: LiteralString = """
UNWIND $rows AS row
MATCH (a:Organization {id: row.s})-[r:SUPPORTS {rel_key: row.k}]->(b:Organization {id: row.t})
RETURN row.i AS i, r.content_hash AS hash"""


def _operators(plan: dict[str, Any]) -> list[str]:
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


def _plan(store: Neo4jStore, query: LiteralString, **params: Any) -> list[str]:
    with store.driver.session(database=store.database) as session:
        summary = session.run("EXPLAIN " + query, **params).consume()
    assert summary.plan is not None
    return _operators(summary.plan)


def _companies_and_ties(companies: int = 400, ties: int = 2_000) -> Batch:
    nodes = [
        NodeRecord(f"org:c{i}", ("Organization", "Company"), {"name": f"会社{i}", "synthetic": True})
        for i in range(companies)
    ]
    rels = [
        RelRecord(
            "SUPPORTS",
            f"org:c{i % companies}",
            f"org:c{(i * 7 + 1) % companies}",
            {"phase": "launch", "fiscal_year": 2000 + i, "synthetic": True},
        )
        for i in range(ties)
    ]
    return Batch("plans", nodes, rels)


LOAD_QUERIES = {
    "node-hashes": _node_hashes_query("Organization"),
    "tie-changes": _rel_changes_query("SUPPORTS"),
    "tie-create": _rel_query("SUPPORTS", create=True),
    "tie-create-columns": _rel_query("SUPPORTS", create=True, columns=_Columns(2, {}, ("phase",), [])),
    "tie-merge": _rel_query("SUPPORTS", create=False),
}


@pytest.fixture
def stale_statistics(neo4j_store: Neo4jStore) -> Neo4jStore:
    """A database emptied, then loaded: the state in which the un-hinted lookup was once planned as a scan."""
    neo4j_store.write_batch(_companies_and_ties())
    return neo4j_store


def test_every_id_lookup_carries_an_index_seek_hint() -> None:
    queries = [_node_hashes_query(label) for label in NODE_SPECS]
    for rel_type in REL_SPECS:
        queries += [_rel_changes_query(rel_type), _rel_query(rel_type, create=True), _rel_query(rel_type, create=False)]
        queries.append(_rel_query(rel_type, create=True, columns=_Columns(2, {}, ("phase",), [])))
    for query in queries:
        lookups = len(re.findall(r"\{id: row(\.[st]|\[[01]\])\}", query)) + query.count(".id IN $ids")
        assert lookups and query.count("USING INDEX SEEK") == lookups, query
    assert "USING INDEX SEEK" not in UNHINTED


@pytest.mark.parametrize("query", LOAD_QUERIES.values(), ids=LOAD_QUERIES.keys())
def test_load_queries_seek_ids_with_stale_statistics(stale_statistics: Neo4jStore, query: LiteralString) -> None:
    operators = _plan(stale_statistics, query, rows=[], ids=[])
    assert not SCANS & set(operators), operators
    assert any(op.startswith("NodeUniqueIndexSeek") for op in operators), operators


def test_tie_lookup_expands_between_two_bound_ends(stale_statistics: Neo4jStore) -> None:
    """Expand(Into) walks the end with fewer ties, never a hub's thousands per row."""
    operators = _plan(stale_statistics, _rel_changes_query("SUPPORTS"), rows=[])
    assert "OptionalExpand(Into)" in operators
    assert not [op for op in operators if op.endswith("Expand(All)")], operators


def test_reload_right_after_a_load_into_an_empty_database_is_unchanged(stale_statistics: Neo4jStore) -> None:
    summary = stale_statistics.write_batch(_companies_and_ties())
    assert (summary.relationships_created, summary.relationships_unchanged) == (0, 2_000)
    assert (summary.nodes_created, summary.nodes_unchanged) == (0, 400)


def test_a_tie_whose_end_has_vanished_comes_back_absent(neo4j_store: Neo4jStore) -> None:
    """Not counted as unchanged: the write path then refuses it (``_expect_endpoints``)."""
    neo4j_store.write_batch(_companies_and_ties(companies=10, ties=20))
    _, rels = prepared_rows(_companies_and_ties(companies=10, ties=20), "2026-01-01T00:00:00+00:00")
    ghost = RelRow("SUPPORTS", "org:c1", "org:ghost", "launch|2999", {"phase": "launch"}, ("x", "2026"))
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        differing = session.execute_read(lambda tx: _differing_ties(tx, "SUPPORTS", [*rels, ghost]))
    assert differing == {len(rels): None}

"""The read-only Cypher guard against the real local Neo4j: an attack corpus, cuts, saved queries.

Every attack is refused (or cut by the timeout / row cap) and the whole graph — every node and
relationship with all its properties, plus indexes, constraints and users — hashes the same before
and after. Nothing here is mocked: the guard asks the real server to plan each query.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from typing import Any, LiteralString, cast

import pytest
from neo4j import Query

from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.query import (
    ALLOWED_PROCEDURES,
    QueryError,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    QueryUnavailable,
    load_saved_queries,
    parse_params,
    run_readonly,
    run_saved,
    saved_queries,
    saved_query,
)
from graph.server import LocalNeo4j
from tests.conftest import neo4j_holding, tiny_batch

R, E = QueryRefused, QueryError

#: (id, query, expected exception, regex its message must match). QueryError for plain syntax errors:
#: the server could not even parse the trick, so nothing ran; QueryRefused for everything judged.
ATTACKS: list[tuple[str, str, type[QueryError], str]] = [
    # --- writes --------------------------------------------------------------------------------
    ("create", "CREATE (n:Organization:Company {id: 'org:evil', name: 'x'})", R, "writes to the graph"),
    ("create-return", "CREATE (n:Region {id: 'region:evil'}) RETURN n", R, "writes to the graph"),
    ("merge", "MERGE (n:Region {id: 'region:evil'}) RETURN n", R, "writes to the graph"),
    (
        "merge-existing",
        "MERGE (n:Region {id: 'region:kobe'}) ON MATCH SET n.name = 'x' RETURN n",
        R,
        "writes to the graph",
    ),
    ("set-prop", "MATCH (n {id: 'org:a'}) SET n.name = 'pwned' RETURN n", R, "writes to the graph"),
    ("set-label", "MATCH (n {id: 'org:a'}) SET n:Evil", R, "writes to the graph"),
    ("set-map", "MATCH (n) SET n = {}", R, "writes to the graph"),
    ("remove-prop", "MATCH (n {id: 'org:a'}) REMOVE n.name", R, "writes to the graph"),
    ("remove-label", "MATCH (n:Company) REMOVE n:Company", R, "writes to the graph"),
    ("delete-rel", "MATCH ()-[r]->() DELETE r", R, "writes to the graph"),
    ("delete-node", "MATCH (n:Programme) DELETE n", R, "writes to the graph"),
    ("detach-delete", "MATCH (n) DETACH DELETE n", R, "writes to the graph"),
    ("foreach-create", "FOREACH (x IN range(1, 3) | CREATE (:Region {id: toString(x)}))", R, "FOREACH"),
    ("foreach-set", "MATCH (n) FOREACH (x IN [1] | SET n.pwned = true)", R, "FOREACH"),
    ("subquery-write", "MATCH (n) CALL (n) { SET n.x = 1 } RETURN count(*)", R, "writes to the graph"),
    ("union-write", "MATCH (n) RETURN n.id AS x UNION CREATE (m:Region {id: 'r'}) RETURN m.id AS x", R, "write"),
    (
        "in-transactions-write",
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
        R,
        "DELETE|TRANSACTIONS",
    ),
    ("in-transactions-read", "CALL () { MATCH (n) RETURN n } IN TRANSACTIONS RETURN count(n)", R, "TRANSACTIONS"),
    # --- files and URLs ------------------------------------------------------------------------
    ("load-csv-file", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", R, "LOAD CSV"),
    ("load-csv-http", "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row", R, "LOAD CSV"),
    ("load-csv-https-write", "LOAD CSV FROM 'https://example.org/x.csv' AS r CREATE (:Region {id: r[0]})", R, "LOAD"),
    ("load-csv-in-subquery", "CALL () { LOAD CSV FROM 'file:///etc/hosts' AS r RETURN r } RETURN r", R, "LOAD CSV"),
    # --- procedures ----------------------------------------------------------------------------
    ("dbms-create-user", "CALL dbms.security.createUser('mallory', 'secret', false)", R, "not a Neo4j Community"),
    ("dbms-set-config", "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')", R, "dbms.setConfigValue"),
    ("dbms-kill-query", "CALL dbms.killQuery('query-1')", R, "dbms.killQuery"),
    ("dbms-list-config", "CALL dbms.listConfig()", R, "refused"),
    ("dbms-components", "CALL dbms.components()", R, "refused"),
    ("db-create-label", "CALL db.createLabel('Evil')", R, "db.createLabel"),
    ("db-create-property", "CALL db.createProperty('evil')", R, "db.createProperty"),
    ("db-create-reltype", "CALL db.createRelationshipType('EVIL')", R, "db.createRelationshipType"),
    (
        "db-fulltext-create",
        "CALL db.index.fulltext.createNodeIndex('x', ['Region'], ['name'])",
        R,
        "not a Neo4j Community",
    ),
    ("db-clear-caches", "CALL db.clearQueryCaches()", R, "refused"),
    ("backticked-procedure", "CALL `db`.`createLabel`('Evil')", R, "db.createLabel"),
    ("yield-then-write", "CALL db.labels() YIELD label CALL db.createLabel(label + 'X') RETURN 1", R, "refused"),
    ("apoc-iterate", "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})", R, "APOC"),
    ("apoc-load-json", "CALL apoc.load.json('file:///etc/passwd')", R, "APOC"),
    ("apoc-run-write", "CALL apoc.cypher.runWrite('CREATE (n)', {})", R, "apoc.cypher.runWrite"),
    ("apoc-function", "RETURN apoc.text.join(['a'], ',') AS x", R, "function `apoc.text.join`"),
    # --- other databases, users, roles, schema, server -----------------------------------------
    ("use-system-match", "USE system MATCH (n) RETURN n", R, "USE switches"),
    ("use-system-call", "USE system CALL dbms.components()", R, "USE switches"),
    ("use-system-labels", "USE system CALL db.labels()", R, "USE switches"),
    ("use-system-show", "USE system SHOW USERS", R, "administers the DBMS|inspects or controls the server|USE"),
    ("show-users", "SHOW USERS", R, "administers the DBMS|inspects or controls the server|USE"),
    ("show-databases", "SHOW DATABASES", R, "administers the DBMS|inspects or controls the server|USE"),
    (
        "create-user",
        "CREATE USER mallory SET PASSWORD 'secret123' CHANGE NOT REQUIRED",
        R,
        "administers the DBMS|inspects or controls the server|USE",
    ),
    ("create-role", "CREATE ROLE evil", R, "administers the DBMS|inspects or controls the server|USE"),
    ("grant", "GRANT ROLE admin TO mallory", R, "administers the DBMS|inspects or controls the server|USE"),
    (
        "alter-user",
        "ALTER USER neo4j SET PASSWORD 'changed-by-attacker'",
        R,
        "administers the DBMS|inspects or controls the server|USE",
    ),
    ("create-database", "CREATE DATABASE evil", R, "administers the DBMS|inspects or controls the server|USE"),
    ("stop-database", "STOP DATABASE neo4j", R, "administers the DBMS|inspects or controls the server|USE"),
    ("create-index", "CREATE INDEX evil FOR (n:Organization) ON (n.evil)", R, "CREATE INDEX|administration"),
    ("drop-index", "DROP INDEX ipeco_org_name", R, "DROP INDEX|administration"),
    ("create-constraint", "CREATE CONSTRAINT evil FOR (n:Region) REQUIRE n.name IS UNIQUE", R, "CONSTRAINT|admin"),
    ("drop-constraint", "DROP CONSTRAINT ipeco_region_id", R, "CONSTRAINT|administration"),
    ("show-transactions", "SHOW TRANSACTIONS", R, "SHOW TRANSACTIONS"),
    ("terminate", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", R, "TERMINATE TRANSACTIONS"),
    ("show-settings", "SHOW SETTINGS", R, "SHOW SETTINGS"),
    # --- unicode, comments and other tricks ----------------------------------------------------
    ("block-comment", "/* MATCH (n) RETURN n */ CREATE (:Region {id: 'region:evil'})", R, "writes to the graph"),
    ("comment-inside", "MATCH (n) /* RETURN n */ DETACH DELETE n", R, "writes to the graph"),
    ("line-comment", "// only reading\nMATCH (n) SET n.x = 1 RETURN n", R, "writes to the graph"),
    (
        "line-comment-newline",
        "MATCH (n) RETURN n.id AS id //\nUNION CREATE (m) RETURN 'x' AS id",
        R,
        "writes to the graph",
    ),
    ("lowercase", "create (n:Region {id: 'region:evil'})", R, "writes to the graph"),
    ("mixed-case", "mAtCh (n) dEtAcH dElEtE n", R, "writes to the graph"),
    ("full-width", "ＣＲＥＡＴＥ (n:Region {id: 'region:evil'})", E, "syntax error at line 1 column 1"),
    ("zero-width-keyword", "CR\u200beATE (n:Region {id: 'region:evil'})", E, "syntax error"),
    ("zero-width-space", "MATCH (n)\u200b DETACH DELETE n", E, "syntax error"),
    ("two-statements", "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", E, "syntax error|one statement"),
    ("explain-prefixed-write", "EXPLAIN MATCH (n) DETACH DELETE n", R, "writes to the graph"),
    ("profile-write", "PROFILE MATCH (n) SET n.x = 1", R, "SET writes to the graph"),
    ("cypher-options", "CYPHER runtime=slotted MATCH (n) DETACH DELETE n", R, "CYPHER options"),
    ("string-escape", "RETURN 'x' AS a\nCREATE (n:Region {id: '\\u0027 DETACH DELETE n'})", R, "CREATE writes"),
]


def graph_hash(store: Neo4jStore) -> str:
    """A content hash of everything the guard must leave alone.

    Nodes (labels + all properties, the store's bookkeeping included), relationships (type,
    endpoints, all properties), index and constraint names, users and databases; sorted so
    the order of the server's answers does not matter.
    """

    def fetch(query: str, database: str | None = None) -> list[Any]:
        records, _, _ = store.driver.execute_query(
            Query(cast(LiteralString, query)), database_=database or store.database
        )
        return sorted(json.dumps(record.data(), sort_keys=True, default=str) for record in records)

    parts = {
        "nodes": fetch("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"),
        "rels": fetch(
            "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, elementId(b) AS b, properties(r) AS props"
        ),
        "indexes": fetch("SHOW INDEXES YIELD name RETURN name"),
        "constraints": fetch("SHOW CONSTRAINTS YIELD name RETURN name"),
        "users": fetch("SHOW USERS YIELD user, roles RETURN user, roles", "system"),
        "databases": fetch("SHOW DATABASES YIELD name RETURN name", "system"),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def sample_batch() -> Batch:
    """Kobe around tiny_batch's region node: enough ties for every saved query to return rows."""
    o = Origin("sample.csv", 1)

    def org(node_id: str, role: str, **props: Any) -> NodeRecord:
        return NodeRecord(node_id, ("Organization", role), {"synthetic": True, **props}, o)

    nodes = [
        org("org:kobe-yorozu", "SupportOrganization", name="兵庫県よろず支援拠点", support_kind="yorozu"),
        org("org:inpit-hyogo", "SupportOrganization", name="INPIT兵庫県知財総合支援窓口", support_kind="ip_window"),
        org("org:fbri", "SupportOrganization", name="医療産業都市推進機構", support_kind="cluster"),
        org("org:kobe-bank", "FinancialInstitution", name="みなと銀行"),
        org("org:kobe-u", "University", name="神戸大学大学院"),
        org("org:firm1", "Company", name='=HYPERLINK("http://x")食品', employees=40),
        org("org:firm2", "Company", name="神戸バイオ株式会社", startup=True, employees=8),
        org("org:firm3", "Company", name="孤立工業株式会社", employees=120),
        NodeRecord("tf:A23L", ("TechField",), {"scheme": "IPC", "code": "A23L", "name": "A23L"}, o),
        NodeRecord("prog:window", ("Programme",), {"name": "知財総合支援窓口", "phases": ["ideation", "launch"]}, o),
        NodeRecord("prog:overseas", ("Programme",), {"name": "海外出願支援", "phases": ["expansion"]}, o),
    ]
    located = ["org:kobe-yorozu", "org:fbri", "org:kobe-bank", "org:kobe-u", "org:firm1", "org:firm2", "org:firm3"]
    rels = [RelRecord("LOCATED_IN", n, "region:kobe", {}, o) for n in located]
    rels += [
        RelRecord("SERVES", "org:inpit-hyogo", "region:kobe", {}, o),
        RelRecord("OPERATES", "org:inpit-hyogo", "prog:window", {}, o),
        RelRecord("OPERATES", "org:kobe-yorozu", "prog:overseas", {}, o),
        RelRecord("SUPPORTS", "org:kobe-yorozu", "org:firm1", {"phase": "ideation", "fiscal_year": 2024}, o),
        RelRecord("SUPPORTS", "org:fbri", "org:firm2", {"phase": "launch", "fiscal_year": 2024}, o),
        RelRecord("REFERS_TO", "org:kobe-yorozu", "org:fbri", {"weight": 1.0}, o),
        RelRecord("COLLABORATES_WITH", "org:fbri", "org:kobe-u", {"kind": "consortium"}, o),
        RelRecord("COLLABORATES_WITH", "org:firm1", "org:kobe-u", {"kind": "co_application", "weight": 3.0}, o),
        RelRecord("FINANCES", "org:kobe-bank", "org:firm1", {"kind": "loan", "amount": 1.5e7, "fiscal_year": 2024}, o),
        RelRecord("ACTIVE_IN", "org:firm1", "tf:A23L", {"patents": 4}, o),
        RelRecord("ACTIVE_IN", "org:kobe-u", "tf:A23L", {"patents": 12}, o),
    ]
    return Batch("sample", nodes, rels)


def load_scored_sample(store: Neo4jStore) -> None:
    store.write_batch(tiny_batch())
    store.write_batch(sample_batch())
    store.write_node_properties({"org:fbri": {"pagerank": 0.31}, "org:kobe-u": {"pagerank": 0.22}})


#: The name of :func:`load_scored_sample`'s data for :func:`tests.conftest.neo4j_holding`: the guard
#: corpus (``tests/test_query_guard_corpus.py``) reads the same data, so the file run after this one
#: finds it loaded instead of clearing and loading its own.
SCORED_SAMPLE = "tiny+sample+scores"


@pytest.fixture
def loaded(neo4j_server: LocalNeo4j) -> Iterator[Neo4jStore]:
    """The sample with two scores, loaded once for the tests that leave it untouched (a write reloads)."""
    yield from neo4j_holding(neo4j_server, SCORED_SAMPLE, load_scored_sample)


# --- the corpus --------------------------------------------------------------------------------
def test_corpus_is_large_enough() -> None:
    assert len(ATTACKS) >= 40
    assert len({a[0] for a in ATTACKS}) == len(ATTACKS)


@pytest.mark.neo4j
def test_attack_corpus_is_refused_and_graph_unchanged(loaded: Neo4jStore) -> None:
    """One load, every attack in turn, one hash before and after (the issue's acceptance test)."""
    before = graph_hash(loaded)
    failures = []
    for attack_id, query, expected, pattern in ATTACKS:
        try:
            result = run_readonly(loaded, query, timeout=5)
        except expected as exc:
            message = str(exc)
            if not re.search(pattern, message):
                failures.append(f"{attack_id}: message {message!r} does not match {pattern!r}")
            if "\n" in message.strip():
                failures.append(f"{attack_id}: message is not one line: {message!r}")
        except QueryError as exc:
            failures.append(f"{attack_id}: raised {type(exc).__name__} ({exc}), expected {expected.__name__}")
        else:
            failures.append(f"{attack_id}: ran and returned {result.rows[:3]!r}")
    assert not failures, "\n".join(failures)
    assert graph_hash(loaded) == before


@pytest.mark.neo4j
def test_parameters_carrying_cypher_stay_data(loaded: Neo4jStore) -> None:
    before = graph_hash(loaded)
    for value in ["x'}) DETACH DELETE n //", '"}) CREATE (:Region {id: "evil"}) //', "'; CALL db.createLabel('X') //"]:
        result = run_readonly(loaded, "MATCH (n:Organization) WHERE n.name = $name RETURN n.id AS id", {"name": value})
        assert result.rows == []
        echoed = run_readonly(loaded, "RETURN $name AS name", {"name": value})
        assert echoed.rows == [[value]]
    assert graph_hash(loaded) == before


@pytest.mark.neo4j
def test_cartesian_product_is_cut_by_the_timeout(loaded: Neo4jStore) -> None:
    before = graph_hash(loaded)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"^the query ran longer than 1\.5 s and was stopped$"):
        run_readonly(loaded, "MATCH (a), (b), (c), (d) UNWIND range(1, 10000000) AS i RETURN count(*)", timeout=1.5)
    assert time.monotonic() - started < 15
    assert graph_hash(loaded) == before


@pytest.mark.neo4j
def test_millions_of_rows_are_cut_at_the_row_cap(loaded: Neo4jStore) -> None:
    started = time.monotonic()
    result = run_readonly(loaded, "UNWIND range(1, 10000000) AS i RETURN i")
    assert time.monotonic() - started < 15
    assert result.truncated and len(result.rows) == 5000 and result.rows[-1] == [5000]
    assert result.notice == "showing the first 5,000 rows: the result has more (row cap 5,000)"
    small = run_readonly(loaded, "UNWIND range(1, 10) AS i RETURN i", row_limit=10)
    assert not small.truncated and len(small.rows) == 10 and small.notice is None
    cut = run_readonly(loaded, "UNWIND range(1, 11) AS i RETURN i", row_limit=10)
    assert cut.truncated and len(cut.rows) == 10


# --- what is allowed -----------------------------------------------------------------------
@pytest.mark.neo4j
def test_reads_return_json_friendly_nodes_relationships_and_paths(loaded: Neo4jStore) -> None:
    result = run_readonly(
        loaded,
        "MATCH p = (a:Company {id: $id})-[r:COLLABORATES_WITH]->(u) RETURN a, r, p, u.name AS name, "
        "date('2025-01-01') AS d, [1, 2.5, null] AS xs, {k: 'v'} AS m",
        {"id": "org:a"},
    )
    assert result.columns == ["a", "r", "p", "name", "d", "xs", "m"]
    (row,) = result.rows
    node, rel, path, name, day, xs, mapping = row
    assert node["id"] == "org:a" and node["labels"] == ["Organization", "Company"]
    assert node["properties"]["name"] == "株式会社エー" and "content_hash" not in node["properties"]
    assert rel["type"] == "COLLABORATES_WITH" and (rel["start"], rel["end"]) == ("org:a", "org:c")
    assert rel["properties"]["kind"] == "joint_research" and "rel_key" not in rel["properties"]
    assert [item.get("id", item.get("type")) for item in path] == ["org:a", "COLLABORATES_WITH", "org:c"]
    assert (name, day, xs, mapping) == ("神戸大学", "2025-01-01", [1, 2.5, None], {"k": "v"})
    json.dumps(result.as_dict())  # JSON-friendly through and through
    assert result.elapsed_ms > 0 and not result.truncated
    assert result.to_csv().splitlines()[0] == "a,r,p,name,d,xs,m"


@pytest.mark.neo4j
def test_allowed_procedures_and_show_commands_run(loaded: Neo4jStore) -> None:
    labels = run_readonly(loaded, "CALL db.labels() YIELD label RETURN label ORDER BY label")
    assert ["Organization"] in labels.rows and ["Region"] in labels.rows
    needs_args = {"db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships"}
    for proc in sorted(ALLOWED_PROCEDURES - needs_args):
        run_readonly(loaded, f"CALL {proc}()")
    indexes = run_readonly(loaded, "SHOW INDEXES YIELD name RETURN name")
    assert ["ipeco_org_name"] in indexes.rows


@pytest.mark.neo4j
def test_errors_are_one_clear_sentence(loaded: Neo4jStore) -> None:
    with pytest.raises(QueryError, match=r"^syntax error at line 2 column 1: Invalid input 'RETRUN'"):
        run_readonly(loaded, "MATCH (n)\nRETRUN n")
    with pytest.raises(QueryError, match=r"^the query failed: / by zero"):
        run_readonly(loaded, "UNWIND [1, 0] AS x RETURN 1 / x AS y")
    with pytest.raises(QueryError, match="the query is empty"):
        run_readonly(loaded, "  ")
    with pytest.raises(QueryError, match=r"parameter"):
        run_readonly(loaded, "RETURN $nope AS x")


def test_parse_params_reads_json_else_strings() -> None:
    assert parse_params(["n=3", "x=2.5", "ok=true", 'ids=["a","b"]', "region=kobe", "q=x'}) DETACH DELETE n //"]) == {
        "n": 3,
        "x": 2.5,
        "ok": True,
        "ids": ["a", "b"],
        "region": "kobe",
        "q": "x'}) DETACH DELETE n //",
    }
    assert parse_params(['s="3"', "e="]) == {"s": "3", "e": ""}
    with pytest.raises(QueryError, match="name=value"):
        parse_params(["novalue"])
    with pytest.raises(QueryError, match="name=value"):
        parse_params(["bad name=1"])


def test_embedded_store_says_how_to_switch(embedded_store: EmbeddedStore) -> None:
    with pytest.raises(QueryUnavailable) as info:
        run_readonly(embedded_store, "MATCH (n) RETURN n")
    message = str(info.value)
    assert "ipeco db start && ipeco --store neo4j seed" in message and "\n" not in message


# --- saved queries -------------------------------------------------------------------------
def test_saved_queries_are_complete() -> None:
    queries = saved_queries()
    ids = {q.id for q in queries}
    assert {
        "firms_without_phase_support",
        "university_sme_bridges",
        "referrals_in_region",
        "co_applicants_in_field",
        "support_bodies_by_phase",
        "programmes_by_phase",
        "synthetic_vs_real",
        "top_by_score",
    } <= ids
    for query in queries:
        assert query.title_ja and query.title_en and query.description_ja and query.description_en
        assert all(p.description_en for p in query.params)
    with pytest.raises(QueryError, match="no saved query 'nope'; saved queries: firms_without_phase_support"):
        saved_query("nope")
    with pytest.raises(QueryError, match="has no parameter 'regoin'"):
        saved_query("referrals_in_region").bind({"regoin": "kobe"})


def test_saved_query_file_errors_name_the_query(tmp_path: Any) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text(
        "queries:\n  - id: x\n    title_ja: a\n    title_en: b\n    description_ja: c\n    cypher: RETURN 1\n"
    )
    with pytest.raises(QueryError, match=r"q.yaml query 'x': field 'description_en'"):
        load_saved_queries(bad)


#: Saved query → (parameters, rows the sample graph must give: a column and the values it holds).
SAVED_EXPECTATIONS: dict[str, tuple[dict[str, Any], str, set[Any]]] = {
    "firms_without_phase_support": ({}, "id", {"org:firm1", "org:firm3"}),
    "university_sme_bridges": ({}, "id", {"org:fbri"}),
    "referrals_in_region": ({}, "referee_id", {"org:fbri"}),
    "co_applicants_in_field": ({}, "b_id", {"org:kobe-u"}),
    "support_bodies_by_phase": ({}, "id", {"org:inpit-hyogo", "org:kobe-yorozu", "org:fbri"}),
    "programmes_by_phase": ({"phase": "launch"}, "id", {"prog:window"}),
    "synthetic_vs_real": (
        {},
        "kind",
        {
            "Organization",
            "Region",
            "Programme",
            "TechField",
            "LOCATED_IN",
            "SUPPORTS",
            "REFERS_TO",
            "COLLABORATES_WITH",
            "FINANCES",
            "ACTIVE_IN",
            "OPERATES",
            "SERVES",
        },
    ),
    "top_by_score": ({"region": "kobe"}, "id", {"org:fbri", "org:kobe-u"}),
    # org:c's one tie is to org:a of Aomori: not a tie of Kobe's (graph/scope.py), so it is isolated there.
    "isolated_actors": ({}, "id", {"org:firm3", "org:c"}),
    "liaison_gaps": ({}, "b_id", {"org:inpit-hyogo"}),
    # the sample holds no rights; tests/test_ip_layer.py runs both on its IP fixture region
    "ip_holders_without_ip_support": ({}, "id", set()),
    "ip_rights_by_kind": ({}, "kind", set()),
}


@pytest.mark.neo4j
def test_every_saved_query_passes_the_guard_and_finds_its_rows(loaded: Neo4jStore) -> None:
    before = graph_hash(loaded)
    assert {q.id for q in saved_queries()} == set(SAVED_EXPECTATIONS), "add an expectation for each saved query"
    for query in saved_queries():
        params, column, expected = SAVED_EXPECTATIONS[query.id]
        result: QueryResult = run_saved(loaded, query.id, params)
        values = {record[column] for record in result.records()}
        assert values == expected, f"{query.id}: {column} = {values}"
    top = run_saved(loaded, "top_by_score", {"region": "kobe"}).records()
    assert [r["id"] for r in top] == ["org:fbri", "org:kobe-u"]
    counts = {
        (r["element"], r["kind"]): (r["real"], r["synthetic"]) for r in run_saved(loaded, "synthetic_vs_real").records()
    }
    assert counts[("node", "Region")] == (2, 0) and counts[("node", "Organization")] == (2, 9)
    assert run_saved(loaded, "referrals_in_region", {"region": "region:aomori"}).rows == []
    assert graph_hash(loaded) == before

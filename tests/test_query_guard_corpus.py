"""The guard of issue 14 against the real local Neo4j: nested attacks, the server's own wall, deadlines.

- A hostile corpus: every attack class of the issue (files, URLs, the query collector, server
  state, writes, runaway expressions, plugins) in every nesting the grammar offers (``COLLECT``,
  ``COUNT``, ``EXISTS`` subqueries, ``CASE``, list and pattern comprehensions, ``reduce``,
  quantifiers, map projections, ``CALL { … }``, ``UNION``, ``PROFILE``). A canary file sits in the
  server's import folder and an HTTP listener on loopback records any request; afterwards the graph,
  the server's settings, the collector and the listener must be untouched, and no canary text may
  appear in anything returned.
- The server's wall: the same file and URL reads as the admin straight through the driver (the
  guard bypassed) fail on the server, and the collector keeps no query text or parameter.
- A TCK-style read set (``tests/guard_reads.py``): false refusals at most 1 %.
- Runaways through the CLI, two at a time: each ends within 15 s, and 5 s after its deadline nothing
  of it runs on the server (``SHOW TRANSACTIONS`` as the admin, looked at until empty or those 5 s pass).
- The payload cap and the guard's overhead against a direct driver call.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import READ_ACCESS
from neo4j.exceptions import ClientError

from graph.hardening import hardening_gaps
from graph.neo4j_store import Neo4jStore
from graph.query import QueryError, QueryRefused, QueryResult, QueryTimeout, run_readonly
from graph.server import LocalNeo4j
from tests.conftest import TEST_ENV, neo4j_holding
from tests.guard_reads import READ_PARAMS, read_set
from tests.runaway_support import left_running_at
from tests.test_query_guard import SCORED_SAMPLE, graph_hash, load_scored_sample

CANARY_FILE = "ipeco-canary.csv"


class Listener:
    """An HTTP server on loopback that answers with a canary and records every request it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.canary = f"HTTP-CANARY-{uuid.uuid4().hex}"
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.hits.append(self.path)
                body = f"a,b\n{listener.canary},1\n".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def canary(neo4j_server: LocalNeo4j) -> Iterator[str]:
    text = f"FILE-CANARY-{uuid.uuid4().hex}"
    path = neo4j_server.home / "import" / CANARY_FILE
    path.write_text(f"a,b\n{text},1\n")
    yield text
    path.unlink(missing_ok=True)


@pytest.fixture
def loaded(neo4j_server: LocalNeo4j) -> Iterator[Neo4jStore]:
    """The tiny and sample batches with two scores, the data of ``tests/test_query_guard.py``: loaded once
    for both files' tests that leave it untouched (a write, even of the schema, reloads it)."""
    yield from neo4j_holding(neo4j_server, SCORED_SAMPLE, load_scored_sample)


# --- the hostile corpus ------------------------------------------------------------------------
def attack_bodies(port: int) -> dict[str, str]:
    """Subquery bodies that each return one column ``x``: every attack class of the issue."""
    url = f"http://127.0.0.1:{port}"
    return {
        "file": f"LOAD CSV FROM 'file:///{CANARY_FILE}' AS l RETURN l AS x",
        "file-headers": f"LOAD CSV WITH HEADERS FROM 'file:///{CANARY_FILE}' AS l RETURN l.a AS x",
        "file-traversal": "LOAD CSV FROM 'file:///../../../../etc/passwd' AS l RETURN l AS x",
        "url": f"LOAD CSV FROM '{url}/hit' AS l RETURN l AS x",
        "url-headers": f"LOAD CSV WITH HEADERS FROM '{url}/h' AS l FIELDTERMINATOR ',' RETURN l.a AS x",
        "url-computed": f"WITH '{url}' + '/c' AS u LOAD CSV FROM u AS l RETURN l AS x",
        "stats-retrieve": "CALL db.stats.retrieve('QUERIES') YIELD data RETURN data.query AS x",
        "stats-all": "CALL db.stats.retrieveAllAnonymized('g') YIELD data RETURN data AS x",
        "stats-collect": "CALL db.stats.collect('QUERIES') YIELD success RETURN success AS x",
        "stats-stop": "CALL db.stats.stop('QUERIES') YIELD success RETURN success AS x",
        "stats-clear": "CALL db.stats.clear('QUERIES') YIELD success RETURN success AS x",
        "resample": "CALL db.resampleOutdatedIndexes() RETURN 1 AS x",
        "replanning": "CALL db.prepareForReplanning() RETURN 1 AS x",
        "clear-caches": "CALL db.clearQueryCaches() YIELD value RETURN value AS x",
        "list-config": "CALL dbms.listConfig() YIELD name, value RETURN name + value AS x",
        "connections": "CALL dbms.listConnections() YIELD connectionId RETURN connectionId AS x",
        "kill": "CALL dbms.killConnections(['bolt-1']) YIELD connectionId RETURN connectionId AS x",
        "jmx": "CALL dbms.queryJmx('*:*') YIELD name RETURN name AS x",
        "set-metadata": "CALL tx.setMetaData({app: 'x'}) RETURN 1 AS x",
        "create-label": "CALL db.createLabel('Evil') RETURN 1 AS x",
        "create": "CREATE (n:Evil) RETURN 1 AS x",
        "set": "MATCH (n) SET n.pwned = true RETURN 1 AS x",
        "delete": "MATCH (n) DETACH DELETE n RETURN 1 AS x",
        "merge": "MERGE (n:Evil {id: 'x'}) RETURN 1 AS x",
        "foreach": "FOREACH (i IN [1] | CREATE (:Evil)) RETURN 1 AS x",
        "apoc": "CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value AS x",
        "regex": "RETURN 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ '(.*a){12}' AS x",
        "regex-alt": "RETURN 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ '(a|aa)+$' AS x",
        "reduce-range": "RETURN reduce(s = 0, i IN range(1, 1000000000) | s + i) AS x",
        "range-computed": "WITH 1000 AS k RETURN size([i IN range(1, k * k * k) | i]) AS x",
        "nested-ranges": "RETURN size([a IN range(1, 10000) | [b IN range(1, 10000) | a * b]]) AS x",
        "load-csv-functions": "RETURN file() + toString(linenumber()) AS x",
    }


#: How each body is nested: top level, and in every expression or clause that can hold a subquery.
WRAPPERS: dict[str, str] = {
    "top": "{body}",
    "collect": "RETURN COLLECT {{ {body} }} AS r",
    "count": "RETURN COUNT {{ {body} }} AS r",
    "exists": "WITH 1 AS i WHERE EXISTS {{ {body} }} RETURN i AS r",
    "case": "RETURN CASE WHEN true THEN COLLECT {{ {body} }} ELSE [] END AS r",
    "list-comprehension": "RETURN [i IN [1] | COLLECT {{ {body} }}] AS r",
    "pattern-comprehension": "MATCH (n) RETURN [(n)--(m) | COUNT {{ {body} }}] AS r",
    "reduce": "RETURN reduce(acc = [], i IN [1] | acc + COLLECT {{ {body} }}) AS r",
    "quantifier": "RETURN any(i IN [1] WHERE COUNT {{ {body} }} > 0) AS r",
    "map-projection": "MATCH (n) RETURN n {{.id, r: COLLECT {{ {body} }}}} AS r",
    "call": "CALL () {{ {body} }} RETURN x AS r",
    "call-legacy": "CALL {{ {body} }} RETURN x AS r",
    "union": "RETURN 1 AS r UNION ALL RETURN COLLECT {{ {body} }} AS r",
    "profile": "PROFILE {body}",
}


def hostile_corpus(port: int) -> list[tuple[str, str]]:
    return [
        (f"{kind}/{where}", wrapper.format(body=body))
        for kind, body in attack_bodies(port).items()
        for where, wrapper in WRAPPERS.items()
    ]


def server_state(store: Neo4jStore) -> str:
    """Settings and collector state, as the admin sees them."""
    with store.driver.session(database=store.database) as session:
        settings = session.run("SHOW SETTINGS YIELD name, value RETURN name, value ORDER BY name").values()
        collector = session.run("CALL db.stats.status()").values()
        held = session.run("CALL db.stats.retrieve('QUERIES') YIELD data RETURN data").values()
    return hashlib.sha256(json.dumps([settings, collector, held], default=str).encode()).hexdigest()


def test_the_corpus_covers_every_attack_class_nested() -> None:
    corpus = hostile_corpus(9)
    assert len(corpus) >= 150
    assert len({query for _, query in corpus}) == len(corpus)


@pytest.mark.neo4j
def test_hostile_corpus_leaves_everything_untouched(loaded: Neo4jStore, listener: Listener, canary: str) -> None:
    """Every query refused before it reaches the server, and nothing anywhere has changed."""
    before = (graph_hash(loaded), server_state(loaded))
    corpus = hostile_corpus(listener.port)
    outcomes: dict[str, str] = {}
    returned: list[str] = []
    for name, query in corpus:
        try:
            result = run_readonly(loaded, query, timeout=5)
        except QueryRefused as exc:
            outcomes[name] = "refused"
            assert str(exc).startswith("refused: ") and exc.ja.startswith("拒否しました: "), name
            assert "\n" not in str(exc), name
        except QueryError as exc:
            outcomes[name] = f"error: {exc}"
        else:
            outcomes[name] = "ran"
            returned.append(json.dumps(result.as_dict(), ensure_ascii=False, default=str))
    not_refused = {name: outcome for name, outcome in outcomes.items() if outcome != "refused"}
    assert not not_refused, not_refused
    assert listener.hits == []
    assert not any(canary in text or listener.canary in text for text in returned)
    assert (graph_hash(loaded), server_state(loaded)) == before
    print(f"\nhostile corpus: tried {len(corpus)}, refused {len(corpus) - len(not_refused)}, ran {len(returned)}")


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("RETURN CASE WHEN true THEN COLLECT { LOAD CSV FROM 'file:///x.csv' AS l RETURN l } END", "LOAD CSV"),
        ("RETURN [x IN [1] | COUNT { CALL db.stats.retrieve('QUERIES') YIELD data RETURN data }]", "db.stats.retrieve"),
        ("RETURN 'aaaa!' =~ '(.*a){12}'", "nested quantifiers"),
        ("RETURN reduce(s = 0, x IN range(1, 1000000000) | s + x)", "over the limit of 1,000,000"),
        ("SHOW TRANSACTIONS", "SHOW TRANSACTIONS"),
        ("CREATE INDEX x FOR (n:Region) ON (n.name)", "CREATE INDEX"),
        ("CALL dbms.security.createUser('m', 'p', false)", "not a Neo4j Community 5.26 procedure"),
        ("CALL apoc.help('x')", "plugin"),
        ("RETURN apoc.text.join(['a'], ',')", "not a Neo4j built-in function"),
        ("MATCH (n) RETURN n.name =~ n.pattern", "must be a string literal or a string parameter"),
    ],
)
def test_refusals_name_what_and_why_in_both_languages(loaded: Neo4jStore, query: str, words: str) -> None:
    with pytest.raises(QueryRefused) as caught:
        run_readonly(loaded, query)
    assert words in str(caught.value)
    assert caught.value.ja.startswith("拒否しました: ") and caught.value.ja != f"拒否しました: {caught.value}"


# --- the server's own wall -----------------------------------------------------------------------
@pytest.mark.neo4j
def test_the_server_blocks_files_urls_and_the_collector_even_for_the_admin(
    loaded: Neo4jStore, listener: Listener, canary: str
) -> None:
    """The guard bypassed: the admin's own session, straight through the driver."""
    url = f"http://127.0.0.1:{listener.port}/admin"
    attempts = {
        "file": (f"LOAD CSV FROM 'file:///{CANARY_FILE}' AS l RETURN l", "allow_csv_import_from_file_urls"),
        "url": (f"LOAD CSV FROM '{url}' AS l RETURN l", "internal.dbms.cypher_ip_blocklist"),
        "nested-url": (f"RETURN COLLECT {{ LOAD CSV FROM '{url}' AS l RETURN l }}", "cypher_ip_blocklist"),
        "localhost": (f"LOAD CSV FROM 'http://localhost:{listener.port}/' AS l RETURN l", "cypher_ip_blocklist"),
    }
    with loaded.driver.session(database=loaded.database) as session:
        for name, (query, setting) in attempts.items():
            with pytest.raises(ClientError) as caught:
                session.run(query).consume()  # type: ignore[arg-type]
            assert setting in (caught.value.message or ""), name
        secret = f"secret-{uuid.uuid4().hex}"
        session.run("MATCH (n) WHERE n.id = $secret RETURN n", secret=secret).consume()
        held = session.run("CALL db.stats.retrieve('QUERIES') YIELD data RETURN data").values()
    assert listener.hits == []
    assert secret not in json.dumps(held, default=str)
    assert not [row for row in held if row != [{}]]


# --- what analysts need -------------------------------------------------------------------------
@pytest.mark.neo4j
def test_the_read_set_runs_with_at_most_one_percent_false_refusals(loaded: Neo4jStore) -> None:
    reads = read_set()
    assert len(reads) >= 200
    refused: dict[str, str] = {}
    failed: dict[str, str] = {}
    for query in reads:
        try:
            run_readonly(loaded, query, READ_PARAMS)
        except QueryRefused as exc:
            refused[query] = str(exc)
        except QueryError as exc:
            failed[query] = str(exc)
    assert len(refused) <= len(reads) // 100, refused
    assert not failed, failed
    print(f"\nread set: tried {len(reads)}, ran {len(reads) - len(refused)}, false refusals {len(refused)}")


@pytest.mark.neo4j
def test_profile_and_explain_return_the_plan(loaded: Neo4jStore) -> None:
    profiled = run_readonly(loaded, "PROFILE MATCH (n:Company) RETURN n.id AS id ORDER BY id")
    assert profiled.rows and profiled.plan and "db_hits=" in profiled.plan
    explained = run_readonly(loaded, "EXPLAIN MATCH (n:Company) RETURN n")
    assert explained.columns == ["plan"] and "NodeByLabelScan" in (explained.plan or "")


# --- limits -------------------------------------------------------------------------------------
@pytest.mark.neo4j
def test_the_payload_cap_cuts_while_streaming(loaded: Neo4jStore) -> None:
    query = "UNWIND range(1, 100000) AS i RETURN i, '" + "x" * 1000 + "' AS pad"
    result = run_readonly(loaded, query, max_bytes=200_000)
    assert result.cut_bytes and not result.truncated
    assert 150 < len(result.rows) < 200 and result.payload_bytes <= 200_000
    assert result.notice and result.notice.startswith(f"result cut at {len(result.rows):,} rows")
    assert (result.notice_ja() or "").startswith(f"結果を {len(result.rows):,} 行")
    whole = run_readonly(loaded, "UNWIND range(1, 10) AS i RETURN i", max_bytes=200_000)
    assert not whole.cut_bytes and whole.notice is None and whole.payload_bytes > 0


def _analyst_transactions(store: Neo4jStore) -> list[dict[str, Any]]:
    with store.driver.session(database=store.database) as session:
        return session.run(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery, metaData WHERE metaData.app = 'ipeco-query' "
            "RETURN transactionId, currentQuery"
        ).data()


RUNAWAYS = [
    "UNWIND range(1, 1000000000) AS i RETURN sum(i)",
    "MATCH (a), (b), (c), (d) UNWIND range(1, 100000000) AS i RETURN count(*)",
    "RETURN COUNT { UNWIND range(1, 1000000000) AS i RETURN i } AS c",
    "RETURN [x IN [1] | COLLECT { UNWIND range(1, 1000000000) AS i WITH i WHERE i < 0 RETURN i }] AS c",
    "RETURN 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' =~ '(.*a){12}' AS m",
    "RETURN reduce(s = 0, i IN range(1, 1000000000) | s + i) AS total",
]


@pytest.mark.neo4j
def test_runaways_end_within_15_s_through_the_cli_and_leave_nothing_running(loaded: Neo4jStore) -> None:
    """Three kinds through the CLI, on two lanes: the one that runs into its deadline beside the two
    that are refused one after the other (each CLI starts Python, the driver and the parser JVM; three
    starts at once on a shared 2-core machine would measure the machine, not the guard)."""
    env = {**os.environ, **TEST_ENV, "IPECO_STORE": "neo4j"}
    env.pop("NEO4J_URI", None)
    cli = [str(Path(sys.executable).with_name("ipeco")), "query", "--lang", "en", "--timeout", "10"]
    ran: dict[str, tuple[subprocess.CompletedProcess[str], float]] = {}

    def lane(queries: tuple[str, ...]) -> None:
        for query in queries:
            started = time.monotonic()
            done = subprocess.run([*cli, query], env=env, capture_output=True, text=True, timeout=60, check=False)
            ran[query] = (done, time.monotonic() - started)

    lanes = [threading.Thread(target=lane, args=(q,)) for q in ((RUNAWAYS[0],), (RUNAWAYS[3], RUNAWAYS[4]))]
    for thread in lanes:
        thread.start()
    for thread in lanes:
        thread.join(150)
    assert set(ran) == {RUNAWAYS[0], RUNAWAYS[3], RUNAWAYS[4]}
    for query, (done, wall) in ran.items():
        last = done.stderr.strip().splitlines()[-1:]
        assert done.returncode == 1, (query, done.stderr)
        assert wall < 15, (query, wall)  # --timeout 10 bounds the whole command, start-up included
        assert last and ("ran longer than 10 s" in last[0] or last[0].startswith("error: refused")), (query, last)
    assert left_running_at(lambda: _analyst_transactions(loaded), time.monotonic() + 5) == []


@pytest.mark.neo4j
def test_every_runaway_ends_by_its_deadline_and_nothing_runs_5_s_later(loaded: Neo4jStore) -> None:
    """All the runaways at once, through the same runner the CLI and the console use."""
    outcomes: dict[str, tuple[str, float]] = {}

    def run(query: str) -> None:
        began = time.monotonic()
        try:
            run_readonly(loaded, query, timeout=4)
            outcome = "ran"
        except QueryTimeout:
            outcome = "timeout"
        except QueryRefused:
            outcome = "refused"
        outcomes[query] = (outcome, time.monotonic() - began)

    threads = [threading.Thread(target=run, args=(query,)) for query in RUNAWAYS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert set(outcomes) == set(RUNAWAYS)
    for query, (outcome, wall) in outcomes.items():
        assert outcome in ("timeout", "refused"), (query, outcome)
        assert wall < 4 + 2.5, (query, wall)
    assert left_running_at(lambda: _analyst_transactions(loaded), time.monotonic() + 5) == []


# --- overhead -----------------------------------------------------------------------------------
@pytest.mark.neo4j
def test_guard_overhead_against_a_direct_driver_call(loaded: Neo4jStore, tmp_path: Path) -> None:
    query, params = "MATCH (n:Organization {id: $id}) RETURN n.name AS name", {"id": "org:a"}

    def direct() -> list[Any]:
        with loaded.driver.session(database=loaded.database, default_access_mode=READ_ACCESS) as session:
            tx = session.begin_transaction(timeout=10)
            rows = [record.values() for record in tx.run(query, params)]
            tx.close()
            return rows

    def guarded() -> QueryResult:
        return run_readonly(loaded, query, params)

    assert direct() == guarded().rows  # the same answer
    timings: dict[str, list[float]] = {"direct": [], "guarded": []}
    for _ in range(200):
        for name, call in (("direct", direct), ("guarded", guarded)):
            began = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - began) * 1000)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"\nmedian per query over 200 reads: direct {medians['direct']:.1f} ms, guarded {medians['guarded']:.1f} ms")
    assert medians["guarded"] < medians["direct"] + 250  # EXPLAIN is one more round trip; the parser ~1-3 ms


@pytest.mark.neo4j
def test_db_status_finds_the_local_server_hardened(loaded: Neo4jStore) -> None:
    assert hardening_gaps(loaded) == []


# --- full-text indexes (last: the index it makes and drops is a write) ---------------------------


@pytest.mark.neo4j
def test_full_text_queries_run_nested_or_not(loaded: Neo4jStore) -> None:
    """Last of the file: its index is a commit, which would cost the next test of ``loaded`` a reload."""
    with loaded.driver.session(database=loaded.database) as session:
        session.run("CREATE FULLTEXT INDEX guard_names IF NOT EXISTS FOR (n:Organization) ON EACH [n.name]").consume()
        session.run("CALL db.awaitIndexes(60)").consume()
    try:
        top = run_readonly(loaded, "CALL db.index.fulltext.queryNodes('guard_names', '神戸') YIELD node RETURN node.id")
        nested = run_readonly(
            loaded,
            "RETURN COLLECT { CALL db.index.fulltext.queryNodes('guard_names', '神戸') YIELD node "
            "RETURN node.id } AS ids",
        )
        assert top.rows and sorted(row[0] for row in top.rows) == sorted(nested.rows[0][0])
    finally:
        with loaded.driver.session(database=loaded.database) as session:
            session.run("DROP INDEX guard_names IF EXISTS").consume()

"""Ingest rate into the local Neo4j and the embedded store, against naive one-query-per-row MERGE.

For each size (10^4, 10^5, 10^6 relationships of a synthetic graph with one company per five
relationships) the batch is written by the real store code (validation beside one transaction of
pipelined ``UNWIND … CREATE/MERGE`` chunks, or ``executemany``), timed end to end. The baseline is
what a straightforward loader does: one auto-committed ``MERGE`` per row. It is run in the same
process on the first ``BASELINE_ROWS`` relationships of the same data (running it on 10^6 rows
would take hours) and its rate is the ratio's denominator. For Neo4j the table also shows the
server-only rate (:func:`server_only_rate`): the same ties made by one Cypher statement with no
client at all, i.e. the ceiling on this machine, and the load's share of it ("of ceiling"). That
ceiling leaves out the nodes the load also creates (one per five ties) and the validation the load
runs beside its write, so 100% is out of reach by construction. Figures are printed, never asserted.

Run: ``make bench`` (starts the test Neo4j), or ``python bench/bench_ingest.py [--sizes 10000,100000]``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import LiteralString

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neo4j.exceptions import Neo4jError

from graph.batch import Batch, NodeRecord, RelRecord
from graph.embedded import EmbeddedStore
from graph.neo4j_store import _BUMP_VERSION, _MEMORY_LIMIT_CODES, Neo4jStore
from graph.server import LocalNeo4j
from graph.settings import Settings
from graph.store import LoadTooLarge

BASELINE_ROWS = 2_000
PHASES = ("ideation", "launch", "expansion")


def ends(i: int, companies: int) -> tuple[int, int]:
    """The endpoints of tie ``i``: arithmetic the server-only Cypher repeats exactly (:data:`_CEILING_TIES`)."""
    a, b = i * 7919 % companies, (i * 104729 + 1) % companies
    return a, (b + 1) % companies if a == b else b


def synthetic_batch(relationships: int) -> Batch:
    """Companies and SUPPORTS ties with unique identities, flagged synthetic, one company per five ties."""
    n = max(100, relationships // 5)
    nodes = [NodeRecord("region:bench", ("Region",), {"name": "bench", "level": "prefecture", "synthetic": True})]
    nodes += [
        NodeRecord(f"org:b{i}", ("Organization", "Company"), {"name": f"企業{i}", "synthetic": True, "employees": i})
        for i in range(n)
    ]
    rels: list[RelRecord] = []
    for i in range(relationships):
        a, b = ends(i, n)
        props = {"programme": "prog:ipas", "phase": PHASES[i % 3], "fiscal_year": 1000 + i, "synthetic": True}
        rels.append(RelRecord("SUPPORTS", f"org:b{a}", f"org:b{b}", props))
    return Batch("bench", nodes, rels)


def naive_neo4j_rate(store: Neo4jStore, batch: Batch, rows: int = BASELINE_ROWS) -> float:
    """Rows per second of one auto-committed MERGE per node and per relationship."""
    rels = batch.relationships[:rows]
    ids = {r.source for r in rels} | {r.target for r in rels}
    began = time.perf_counter()
    with store.driver.session(database=store.database) as session:
        for node_id in ids:
            session.run("MERGE (n:Organization {id: $id}) SET n:Company", id=node_id).consume()
        for rel in rels:
            session.run(
                "MATCH (a:Organization {id: $s}) MATCH (b:Organization {id: $t}) "
                "MERGE (a)-[r:SUPPORTS {rel_key: $k}]->(b) SET r += $props",
                s=rel.source,
                t=rel.target,
                k=rel.key,
                props=rel.props,
            ).consume()
    return len(rels) / (time.perf_counter() - began)


#: One content hash's length (12 bytes in hex): the ceiling stores a string as long as the load's.
_HASH = "0123456789abcdef01234567"
_LOADED_AT = "2026-01-01T00:00:00+00:00"
_CEILING_NODES: LiteralString = (
    "CREATE (:Region {id: 'region:bench', name: 'bench', level: 'prefecture', synthetic: true, source: 'bench', "
    "evidence: '', loaded_at: $at, content_hash: $h}) "
    "WITH 1 AS one UNWIND range(0, $m - 1) AS i "
    "CREATE (n:Organization:Company) SET n.id = 'org:b' + i, n.name = '企業' + i, n.synthetic = true, "
    "n.employees = i, n.source = 'bench', n.evidence = '', n.loaded_at = $at, n.content_hash = $h"
)
_CEILING_TIES: LiteralString = (
    "UNWIND range(0, $n - 1) AS i "
    "WITH i, i * 7919 % $m AS a, (i * 104729 + 1) % $m AS b "
    "WITH i, a, CASE WHEN a = b THEN (b + 1) % $m ELSE b END AS b, $phases[i % 3] AS phase "
    "MATCH (x:Organization {id: 'org:b' + a}) USING INDEX SEEK x:Organization(id) "
    "MATCH (y:Organization {id: 'org:b' + b}) USING INDEX SEEK y:Organization(id) "
    "CREATE (x)-[r:SUPPORTS]->(y) SET r.programme = 'prog:ipas', r.phase = phase, r.fiscal_year = 1000 + i, "
    "r.synthetic = true, r.source = 'bench', r.evidence = '', r.loaded_at = $at, "
    "r.rel_key = 'prog:ipas|' + phase + '|' + (1000 + i), r.content_hash = $h"
)


def server_only_seconds(store: Neo4jStore, relationships: int) -> float:
    """Seconds the server alone takes to write what ``synthetic_batch(relationships)`` loads.

    One transaction, as the load: the region and the companies created with the same labels and
    properties (the uniqueness constraints checked the same way), then the same ties between the
    same ends, found by the same index seeks, with the same nine properties (the content hash a
    string of the same length), then the data version bumped. Cypher generates every row itself,
    so no client, network, parameter or validation time is in it.
    """
    companies = max(100, relationships // 5)
    params = {"n": relationships, "m": companies, "at": _LOADED_AT, "h": _HASH, "phases": list(PHASES)}
    began = time.perf_counter()
    with store.driver.session(database=store.database) as session, session.begin_transaction() as tx:
        tx.run(_CEILING_NODES, params).consume()
        tx.run(_CEILING_TIES, params).consume()
        tx.run(_BUMP_VERSION).consume()
        tx.commit()
    return time.perf_counter() - began


def naive_sqlite_rate(path: Path, batch: Batch, rows: int = BASELINE_ROWS) -> float:
    """Rows per second of one committed INSERT-or-UPDATE per row, the way a naive loader writes."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS r (s TEXT, t TEXT, k TEXT, props TEXT, PRIMARY KEY (s, t, k))")
    rels = batch.relationships[:rows]
    began = time.perf_counter()
    for rel in rels:
        conn.execute(
            "INSERT INTO r VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET props = excluded.props",
            (rel.source, rel.target, rel.key, str(rel.props)),
        )
        conn.commit()
    conn.close()
    return len(rels) / (time.perf_counter() - began)


@dataclass
class Row:
    """One line of the table: medians over the runs, and why a line has no figure."""

    store: str
    size: int
    seconds: float | None
    naive: float
    ceiling: float | None = None
    of_ceiling: float | None = None
    note: str = ""


def _timed_load(store: Neo4jStore, batch: Batch) -> float:
    store.clear()
    began = time.perf_counter()
    summary = store.write_batch(batch)
    elapsed = time.perf_counter() - began
    assert summary.relationships_created == len(batch.relationships), summary
    store.clear()
    return elapsed


def _timed_ceiling(store: Neo4jStore, size: int) -> float | None:
    """The server-only seconds, or None when even the server alone cannot hold it in one transaction."""
    try:
        return server_only_seconds(store, size)
    except Neo4jError as exc:
        if exc.code not in _MEMORY_LIMIT_CODES:
            raise
        return None
    finally:
        store.clear()


def neo4j_row(server: LocalNeo4j, size: int, runs: int, baseline_rows: int) -> Row:
    """Load and ceiling alternated ``runs`` times (so both see the same machine), then the naive baseline."""
    batch = synthetic_batch(size)
    store = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
    loads: list[float] = []
    ratios: list[float] = []
    ceilings: list[float] = []
    note = ""
    try:
        for _ in range(runs):
            loads.append(_timed_load(store, batch))
            ceiling = _timed_ceiling(store, size)
            if ceiling is not None:
                ceilings.append(ceiling)
                ratios.append(ceiling / loads[-1])
    except LoadTooLarge:
        ceiling = _timed_ceiling(store, size)
        ceilings += [ceiling] if ceiling is not None else []
        note = "one transaction does not fit this heap" + ("" if ceilings else " (nor the server-only one)")
    naive = naive_neo4j_rate(store, batch, baseline_rows)
    store.clear()
    store.close()
    return Row(
        "neo4j",
        size,
        median(loads) if loads else None,
        naive,
        size / median(ceilings) if ceilings else None,
        median(ratios) if ratios else None,
        note,
    )


def embedded_row(size: int, baseline_rows: int) -> Row:
    batch = synthetic_batch(size)
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedStore(Path(tmp) / "bench.sqlite")
        began = time.perf_counter()
        summary = embedded.write_batch(batch)
        elapsed = time.perf_counter() - began
        assert summary.relationships_created == size, summary
        embedded.close()
        baseline = naive_sqlite_rate(Path(tmp) / "naive.sqlite", batch, baseline_rows)
    return Row("embedded", size, elapsed, baseline)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--stores", default="neo4j,embedded")
    parser.add_argument("--runs", type=int, default=3, help="Neo4j loads and ceilings per size (medians)")
    parser.add_argument("--baseline-rows", type=int, default=BASELINE_ROWS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    stores = args.stores.split(",")
    server = LocalNeo4j(Settings.from_env("neo4j"))
    rows: list[Row] = []
    if "neo4j" in stores:
        server.start()
        # The test database is shared with the test suite: hold its lock while we clear and load.
        lock = (server.home / "tests.lock").open("w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Warm the server's JIT and caches once, untimed, so the first size is not a cold-start figure.
        warm = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
        _timed_load(warm, synthetic_batch(20_000))
        _timed_ceiling(warm, 20_000)
        warm.close()
    for size in sizes:
        if "neo4j" in stores:
            rows.append(neo4j_row(server, size, args.runs, args.baseline_rows))
        if "embedded" in stores:
            rows.append(embedded_row(size, args.baseline_rows))
        print_table(rows)
    return 0


def print_table(rows: list[Row]) -> None:
    """The figures, with the load's share of the same runs' server-only rate (the ceiling)."""
    head = f"{'store':9} {'relationships':>13} {'seconds':>8} {'rels/s':>9} {'naive rels/s':>12} {'ratio':>7}"
    print(f"\n{head} {'server-only rels/s':>18} {'of ceiling':>10}")
    for row in rows:
        ceiling = f"{row.ceiling:>18,.0f}" if row.ceiling else f"{'—':>18}"
        share = f"{row.of_ceiling:>10.0%}" if row.of_ceiling else f"{'—':>10}"
        if row.seconds is None:
            figures = f"{'—':>8} {'—':>9} {row.naive:>12,.0f} {'—':>7}"
        else:
            rate = row.size / row.seconds
            figures = f"{row.seconds:>8.1f} {rate:>9,.0f} {row.naive:>12,.0f} {rate / row.naive:>6.0f}x"
        note = f"  {row.note}" if row.note else ""
        print(f"{row.store:9} {row.size:>13,} {figures} {ceiling} {share}{note}")
    sys.stdout.flush()


if __name__ == "__main__":
    os.environ.setdefault("IPECO_NEO4J_BOLT_PORT", "17687")
    sys.exit(main())

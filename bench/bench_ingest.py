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
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.batch import Batch, NodeRecord, RelRecord
from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.server import LocalNeo4j
from graph.settings import Settings

BASELINE_ROWS = 2_000
PHASES = ("ideation", "launch", "expansion")


def synthetic_batch(relationships: int, seed: int = 7) -> Batch:
    """Companies and SUPPORTS/COLLABORATES_WITH ties with unique identities, flagged synthetic."""
    rng = random.Random(seed)
    n = max(100, relationships // 5)
    nodes = [NodeRecord("region:bench", ("Region",), {"name": "bench", "level": "prefecture", "synthetic": True})]
    nodes += [
        NodeRecord(f"org:b{i}", ("Organization", "Company"), {"name": f"企業{i}", "synthetic": True, "employees": i})
        for i in range(n)
    ]
    rels: list[RelRecord] = []
    for i in range(relationships):
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b:
            b = (b + 1) % n
        props = {"programme": "prog:ipas", "phase": PHASES[i % 3], "fiscal_year": 1000 + i, "synthetic": True}
        rels.append(RelRecord("SUPPORTS", f"org:b{a}", f"org:b{b}", props))
    return Batch("bench", nodes, rels)


def naive_neo4j_rate(store: Neo4jStore, batch: Batch) -> float:
    """Rows per second of one auto-committed MERGE per node and per relationship."""
    rels = batch.relationships[:BASELINE_ROWS]
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


def server_only_rate(store: Neo4jStore, batch: Batch) -> float:
    """Rows per second of the server alone creating the same ties in one transaction.

    One Cypher statement generates the rows itself (same endpoints' index seeks, same nine
    properties, same commit), so no client, network or validation time is in it: the ceiling that
    any loader of this data, through Cypher in one transaction, can reach on this machine.
    """
    n = len(batch.relationships)
    companies = max(100, n // 5)
    with store.driver.session(database=store.database) as session:
        session.run(
            "UNWIND range(0, $m - 1) AS i CREATE (:Organization:Company {id: 'org:b' + i, name: '企業' + i})",
            m=companies,
        ).consume()
        began = time.perf_counter()
        with session.begin_transaction() as tx:
            tx.run(
                "UNWIND range(0, $n - 1) AS i "
                "MATCH (a:Organization {id: 'org:b' + (i * 7919 % $m)}) "
                "MATCH (b:Organization {id: 'org:b' + ((i * 104729 + 1) % $m)}) "
                "CREATE (a)-[r:SUPPORTS]->(b) SET r.programme = 'prog:ipas', r.phase = 'ideation', "
                "r.fiscal_year = 1000 + i, r.synthetic = true, r.source = 'bench', r.evidence = '', "
                "r.loaded_at = '2026-01-01T00:00:00+00:00', r.rel_key = 'prog:ipas|ideation|' + (1000 + i), "
                "r.content_hash = '0123456789abcdef01234567'",
                n=n,
                m=companies,
            ).consume()
            tx.commit()
        return n / (time.perf_counter() - began)


def naive_sqlite_rate(path: Path, batch: Batch) -> float:
    """Rows per second of one committed INSERT-or-UPDATE per row, the way a naive loader writes."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS r (s TEXT, t TEXT, k TEXT, props TEXT, PRIMARY KEY (s, t, k))")
    rels = batch.relationships[:BASELINE_ROWS]
    began = time.perf_counter()
    for rel in rels:
        conn.execute(
            "INSERT INTO r VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET props = excluded.props",
            (rel.source, rel.target, rel.key, str(rel.props)),
        )
        conn.commit()
    conn.close()
    return len(rels) / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--stores", default="neo4j,embedded")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    stores = args.stores.split(",")
    settings = Settings.from_env("neo4j")
    server = LocalNeo4j(settings)
    rows: list[tuple[str, int, float, float, float, float | None]] = []
    if "neo4j" in stores:
        server.start()
        # The test database is shared with the test suite: hold its lock while we clear and load.
        lock = (server.home / "tests.lock").open("w")
        fcntl.flock(lock, fcntl.LOCK_EX)
    if "neo4j" in stores:
        # Warm the server's JIT and caches once, untimed, so the first size is not a cold-start figure.
        warm = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
        warm.clear()
        warm.write_batch(synthetic_batch(20_000, seed=1))
        warm.clear()
        warm.close()
    for size in sizes:
        batch = synthetic_batch(size)
        if "neo4j" in stores:
            server.start()
            store = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
            store.clear()
            began = time.perf_counter()
            summary = store.write_batch(batch)
            elapsed = time.perf_counter() - began
            assert summary.relationships_created == size, summary
            store.clear()
            ceiling = server_only_rate(store, batch)
            store.clear()
            baseline = naive_neo4j_rate(store, batch)
            store.clear()
            store.close()
            rows.append(("neo4j", size, elapsed, size / elapsed, baseline, ceiling))
        if "embedded" in stores:
            with tempfile.TemporaryDirectory() as tmp:
                embedded = EmbeddedStore(Path(tmp) / "bench.sqlite")
                began = time.perf_counter()
                summary = embedded.write_batch(batch)
                elapsed = time.perf_counter() - began
                assert summary.relationships_created == size, summary
                embedded.close()
                baseline = naive_sqlite_rate(Path(tmp) / "naive.sqlite", batch)
            rows.append(("embedded", size, elapsed, size / elapsed, baseline, None))
        print_table(rows)
    return 0


def print_table(rows: list[tuple[str, int, float, float, float, float | None]]) -> None:
    """The figures, with the load's rate as a share of the same run's server-only rate (the ceiling)."""
    head = f"{'store':9} {'relationships':>13} {'seconds':>8} {'rels/s':>9} {'naive rels/s':>12} {'ratio':>7}"
    print(f"\n{head} {'server-only rels/s':>18} {'of ceiling':>10}")
    for store, size, elapsed, rate, baseline, ceiling in rows:
        tail = f"{ceiling:>18,.0f} {rate / ceiling:>10.0%}" if ceiling else f"{'—':>18} {'—':>10}"
        print(f"{store:9} {size:>13,} {elapsed:>8.1f} {rate:>9,.0f} {baseline:>12,.0f} {rate / baseline:>6.0f}x {tail}")
    sys.stdout.flush()


if __name__ == "__main__":
    os.environ.setdefault("IPECO_NEO4J_BOLT_PORT", "17687")
    sys.exit(main())

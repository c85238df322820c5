"""Ingest rate into the local Neo4j and the embedded store, against naive one-query-per-row MERGE.

For each size (10^4, 10^5, 10^6 relationships of a synthetic graph with one company per five
relationships) the batch is written by the real store code (validation beside one transaction of
pipelined ``UNWIND … CREATE/MERGE`` chunks, or ``executemany``), timed end to end. The baseline is
what a straightforward loader does: one auto-committed ``MERGE`` per row. It is run in the same
process on the first ``BASELINE_ROWS`` relationships of the same data (running it on 10^6 rows
would take hours) and its rate is the ratio's denominator.

For Neo4j the table also shows the server-only rate (:func:`server_only_seconds`), the ceiling, and
the load's share of it ("of ceiling"). The ceiling does the load's work and nothing less: in one
transaction, the same region and companies with the same labels and properties (uniqueness
constraints checked the same way), then the same ties between the same ends (:func:`ends` is
arithmetic the Cypher repeats), found by the same ``USING INDEX SEEK`` lookups, with the same
nine properties (the content hash a string of the same length), then the data-version bump, then
the commit. Cypher generates every row itself, so what the ratio leaves out is exactly the load's
own overhead: Python building and encoding the rows, the parameters' transfer and decoding,
validation, the read of what is stored, round trips. A test (tests/test_ingest_write_path.py)
checks that both write the same graph. The load finds the ends of a tie between two nodes it has
just created by their element ids (returned by its nodes' ``CREATE``), which a statement that
generates its rows cannot know without doing the same; the ceiling keeps the ``id`` index seeks
that any writer of ties between stored nodes does, so at 10^5 ties its statements cost the server
about 0.4 CPU-s more than the load's (the commit, most of the work, is the same for both).

Both sides run on the same warm server: an untimed load and
an untimed ceiling of the same size come first, then ``--runs`` pairs (5 up to 10^4, 3 above), the
order inside a pair alternating (load first, then ceiling first), and the share is the median of the
pair-by-pair shares, so both see the same machine and neither always follows the other.

The machine's two cores are shared, so wall-clock shares move with whatever else runs; the second
table gives CPU seconds of the same runs (the server's from its process, the client's including
the forked validation), which do not.

10^6 relationships fit no single transaction at the default 2 GiB heap (its per-transaction limit
is 1 GiB; a tie with nine properties takes ~2.0 KB of tracked transaction state, a node ~2.4 KB:
a load of this graph with 1.5×10^5 ties fits, one with 2×10^5 fails at commit), neither the load's
nor the server-only one. So that line pairs the two fastest ways each side has at that heap, and
prints what each is. The load is what ``ipeco load`` does with a batch of that size (more records
than :func:`graph.bulk.staged_threshold` allows one transaction): the staged path through its public
function :func:`graph.bulk.bulk_load`, all-or-nothing, its phases printed. The ceiling is the server
writing the same graph by Cypher alone in ``CALL {…} IN TRANSACTIONS OF`` :data:`CEILING_TX_ROWS`
rows (:func:`server_only_in_transactions_seconds`). This is the fair pair: both write the same
nodes and ties with the same properties, at the same heap, each as fast as it can, and neither is
given a heap the user does not have. The ceiling is not all-or-nothing (a failure leaves the
batches it committed), which the load must be; what the share leaves out is therefore the price of
that guarantee plus the load's own work. One run of each (the staged load of 10^6 ties takes
minutes).

Run: ``make bench`` (starts the test Neo4j), or ``python bench/bench_ingest.py [--sizes 10000,100000]``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import LiteralString

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neo4j import Query
from neo4j.exceptions import Neo4jError

from graph.batch import Batch, NodeRecord, RelRecord
from graph.bulk import BulkSummary, bulk_load, staged_threshold
from graph.embedded import EmbeddedStore
from graph.neo4j_store import _MEMORY_LIMIT_CODES, BUMP_VERSION, Neo4jStore
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
#: One tie ``i`` of the ceiling, from its two ends to its nine properties (shared by both ceilings).
_CEILING_TIE: LiteralString = (
    "WITH i, i * 7919 % $m AS a, (i * 104729 + 1) % $m AS b "
    "WITH i, a, CASE WHEN a = b THEN (b + 1) % $m ELSE b END AS b, $phases[i % 3] AS phase "
    "MATCH (x:Organization {id: 'org:b' + a}) USING INDEX SEEK x:Organization(id) "
    "MATCH (y:Organization {id: 'org:b' + b}) USING INDEX SEEK y:Organization(id) "
    "CREATE (x)-[r:SUPPORTS]->(y) SET r.programme = 'prog:ipas', r.phase = phase, r.fiscal_year = 1000 + i, "
    "r.synthetic = true, r.source = 'bench', r.evidence = '', r.loaded_at = $at, "
    "r.rel_key = 'prog:ipas|' + phase + '|' + (1000 + i), r.content_hash = $h"
)
_CEILING_TIES: LiteralString = "UNWIND range(0, $n - 1) AS i " + _CEILING_TIE

#: Ties of this synthetic graph that one transaction holds at the default 2 GiB heap (measured:
#: 1.5×10^5 fit, 2×10^5 fail at commit). Up to here the one-transaction write path is measured,
#: even where ``ipeco load``'s more cautious estimate (:func:`graph.bulk.staged_threshold`) would
#: already go staged: that path is what this bench is about.
ONE_TRANSACTION_TIES = 150_000

#: Rows per inner transaction of the ceiling that does not fit one (1.5×10^5 ties fit the default heap).
CEILING_TX_ROWS = 100_000
_CEILING_REGION: LiteralString = (
    "CREATE (:Region {id: 'region:bench', name: 'bench', level: 'prefecture', synthetic: true, source: 'bench', "
    "evidence: '', loaded_at: $at, content_hash: $h})"
)
_CEILING_COMPANIES_IN_TX: LiteralString = (
    "UNWIND range(0, $m - 1) AS i CALL (i) { "
    "CREATE (n:Organization:Company) SET n.id = 'org:b' + i, n.name = '企業' + i, n.synthetic = true, "
    "n.employees = i, n.source = 'bench', n.evidence = '', n.loaded_at = $at, n.content_hash = $h "
    "} IN TRANSACTIONS OF $rows ROWS"
)
_CEILING_TIES_IN_TX: LiteralString = (
    "UNWIND range(0, $n - 1) AS i CALL (i) { " + _CEILING_TIE + " } IN TRANSACTIONS OF $rows ROWS"
)


def _ceiling_params(relationships: int) -> dict[str, object]:
    companies = max(100, relationships // 5)
    return {"n": relationships, "m": companies, "at": _LOADED_AT, "h": _HASH, "phases": list(PHASES)}


def server_only_seconds(store: Neo4jStore, relationships: int) -> float:
    """Seconds the server alone takes to write what ``synthetic_batch(relationships)`` loads.

    One transaction, as the load: the region and the companies created with the same labels and
    properties (the uniqueness constraints checked the same way), then the same ties between the
    same ends, found by the same index seeks, with the same nine properties (the content hash a
    string of the same length), then the data version bumped. Cypher generates every row itself,
    so no client, network, parameter or validation time is in it.
    """
    params = _ceiling_params(relationships)
    began = time.perf_counter()
    with store.driver.session(database=store.database) as session, session.begin_transaction() as tx:
        tx.run(_CEILING_NODES, params).consume()
        tx.run(_CEILING_TIES, params).consume()
        tx.run(BUMP_VERSION).consume()
        tx.commit()
    return time.perf_counter() - began


def server_only_in_transactions_seconds(store: Neo4jStore, relationships: int, rows: int = CEILING_TX_ROWS) -> float:
    """Seconds the server alone takes to write the same graph in transactions of ``rows`` rows.

    The same region, companies and ties as :func:`server_only_seconds` (the same Cypher per row),
    for a graph that fits no single transaction: ``CALL {…} IN TRANSACTIONS`` commits every
    ``rows`` companies and then every ``rows`` ties, then the data version is bumped.
    """
    params = {**_ceiling_params(relationships), "rows": rows}
    began = time.perf_counter()
    with store.driver.session(database=store.database) as session:
        session.run(Query(_CEILING_REGION, timeout=0), params).consume()
        session.run(Query(_CEILING_COMPANIES_IN_TX, timeout=0), params).consume()
        session.run(Query(_CEILING_TIES_IN_TX, timeout=0), params).consume()
        session.run(BUMP_VERSION).consume()
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


@dataclass(frozen=True)
class Spent:
    """What one timed write cost: wall seconds, and CPU seconds of the server and of this client.

    The CPU seconds do not depend on what else the machine runs (its two cores are shared): the
    client's include the validation child's, the server's are read from its process.
    """

    wall: float
    server_cpu: float
    client_cpu: float


def _cpu_of(pid: int | None) -> float:
    """User and system CPU seconds of process ``pid`` so far (0 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _spent(server_pid: int | None, work: Callable[[], object]) -> Spent:
    server, client, began = _cpu_of(server_pid), _own_cpu(), time.perf_counter()
    work()
    return Spent(time.perf_counter() - began, _cpu_of(server_pid) - server, _own_cpu() - client)


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
    loads: list[Spent] = field(default_factory=list)
    ceilings: list[Spent] = field(default_factory=list)

    def settle(self) -> None:
        """The medians of the runs: load seconds, ceiling rate, and the ceiling's share run by run."""
        if self.loads:
            self.seconds = median(s.wall for s in self.loads)
        if self.ceilings:
            self.ceiling = self.size / median(s.wall for s in self.ceilings)
        if self.loads and len(self.ceilings) == len(self.loads):
            self.of_ceiling = median(c.wall / s.wall for s, c in zip(self.loads, self.ceilings, strict=True))


def _timed_load(store: Neo4jStore, batch: Batch, server_pid: int | None = None) -> Spent:
    store.clear()

    def load() -> None:
        summary = store.write_batch(batch)
        assert summary.relationships_created == len(batch.relationships), summary

    spent = _spent(server_pid, load)
    store.clear()
    return spent


def _timed_ceiling(store: Neo4jStore, size: int, server_pid: int | None = None) -> Spent | None:
    """The server-only cost, or None when even the server alone cannot hold it in one transaction."""
    try:
        return _spent(server_pid, lambda: server_only_seconds(store, size))
    except Neo4jError as exc:
        if exc.code not in _MEMORY_LIMIT_CODES:
            raise
        return None
    finally:
        store.clear()


#: Largest size measured with :data:`SMALL_RUNS` pairs: its runs take a second or two each.
SMALL_SIZE = 10_000
SMALL_RUNS = 5


def neo4j_row(server: LocalNeo4j, size: int, runs: int | None, baseline_rows: int) -> Row:
    """Load and ceiling in ``runs`` pairs on a server warmed by both, each pair in the other order.

    Fair to both sides: an untimed load and an untimed ceiling of this very size come first (the
    server's plans, JIT and caches warm for both queries alike, whatever ran before), and the pairs
    alternate which goes first, so neither always runs right after the other's work. ``runs``
    defaults to :data:`SMALL_RUNS` up to :data:`SMALL_SIZE` (cheap, and the noisiest) and 3 above.
    A batch larger than one transaction holds at the default heap (:data:`ONE_TRANSACTION_TIES`),
    which ``ipeco load`` sends down the staged path, is measured there (:func:`staged_row`).
    """
    batch = synthetic_batch(size)
    if size > ONE_TRANSACTION_TIES and len(batch.nodes) + len(batch.relationships) > staged_threshold(
        server.settings.heap
    ):
        return staged_row(server, batch, baseline_rows)
    runs = runs or (SMALL_RUNS if size <= SMALL_SIZE else 3)
    store = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
    pid = server.pid()
    row = Row("neo4j", size, None, 0.0)
    try:
        _timed_load(store, batch)
        _timed_ceiling(store, size)
        for run in range(runs):
            if run % 2:
                ceiling = _timed_ceiling(store, size, pid)
                row.loads.append(_timed_load(store, batch, pid))
            else:
                row.loads.append(_timed_load(store, batch, pid))
                ceiling = _timed_ceiling(store, size, pid)
            if ceiling is not None:
                row.ceilings.append(ceiling)
    except LoadTooLarge:
        row.ceilings += [c for c in [_timed_ceiling(store, size, pid)] if c is not None]
        row.note = "one transaction does not fit this heap" + ("" if row.ceilings else " (nor the server-only one)")
    row.naive = naive_neo4j_rate(store, batch, baseline_rows)
    store.clear()
    store.close()
    row.settle()
    return row


def _phases(summary: BulkSummary) -> str:
    """The staged load's phases, and the switch's own steps (the staged path's split, for whoever speeds it up)."""
    phases = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in summary.seconds.items())
    steps = ", ".join(f"{name} {seconds:.0f}" for name, seconds in summary.switch_seconds.items())
    return f"{phases}; switch: {steps}" if steps else phases


def staged_row(server: LocalNeo4j, batch: Batch, baseline_rows: int) -> Row:
    """One staged load (``ipeco load``'s way at this size) against the ceiling in transactions, one run each.

    The staged load restarts the server (its switch), so the store is opened again after it, and
    no CPU seconds are read (the server's process changes).
    """
    size = len(batch.relationships)
    store = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
    store.clear()
    ceiling = server_only_in_transactions_seconds(store, size)
    store.clear()
    store.close()
    began = time.perf_counter()
    summary = bulk_load(server.settings, batch, staged=True)
    seconds = time.perf_counter() - began
    assert summary.relationships_total == size, summary
    store = Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")
    store.clear()
    row = Row("neo4j", size, seconds, naive_neo4j_rate(store, batch, baseline_rows), size / ceiling, ceiling / seconds)
    store.clear()
    store.close()
    row.note = (
        f"load: the staged path, all-or-nothing ({_phases(summary)}); "
        f"ceiling: Cypher alone in transactions of {CEILING_TX_ROWS:,} rows"
    )
    return row


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
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help=f"Neo4j load/ceiling pairs per size ({SMALL_RUNS} up to 10^4, 3 above)",
    )
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
        # Each size warms the server for both sides first (``neo4j_row``).
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
    print_cpu(rows)
    sys.stdout.flush()


def print_cpu(rows: list[Row]) -> None:
    """CPU seconds (medians) of the same runs: what the load costs beyond the server's own work."""
    paired = [row for row in rows if row.loads and len(row.ceilings) == len(row.loads)]
    if not paired:
        return
    head = f"{'relationships':>13} {'load: server':>12} {'client':>7} {'ceiling: server':>15} {'ceiling / load':>14}"
    print(f"\nCPU seconds, median (the client's include validation beside the write)\n{head}")
    for row in paired:
        server = median(s.server_cpu for s in row.loads)
        client = median(s.client_cpu for s in row.loads)
        ceiling = median(c.server_cpu for c in row.ceilings)
        share = median(
            c.server_cpu / (s.server_cpu + s.client_cpu) for s, c in zip(row.loads, row.ceilings, strict=True)
        )
        print(f"{row.size:>13,} {server:>12.2f} {client:>7.2f} {ceiling:>15.2f} {share:>14.0%}")


if __name__ == "__main__":
    os.environ.setdefault("IPECO_NEO4J_BOLT_PORT", "17687")
    sys.exit(main())

"""Bulk and staged loads into the local Neo4j: build the next database off line, then one switch.

Why: a normal load is one transaction, and Neo4j holds a transaction's state on its heap (10^6
relationships need a 12 GiB heap), so a whole registry cannot be loaded that way, and a first load
through Cypher runs far below what ``neo4j-admin database import`` writes. Both ``ipeco load
--bulk`` (an empty database) and ``--staged`` (a live one) therefore go the same way:

1. **validate** the load whole (the loaders' records, :func:`graph.batch.validate_batch` against the
   live graph's ids) and merge it into the live graph streamed out by read-only Cypher
   (:mod:`graph.bulk_graph`);
2. **csv**: write that next graph as neo4j-admin CSV (:mod:`graph.bulk_csv`: the files of ``ipeco
   export --format csv``, with the store's ``content_hash`` and ``rel_key`` so later loads recognise
   every record). Validation runs beside the merge and the CSV (a forked child on the other core,
   where that is safe) and its verdict closes this step: bad input stops the load here, with file,
   line and field, before anything is imported. Steps 1 and 2 run with the cyclic garbage collector
   paused (millions of records, no cycle: a collection walks them all and frees nothing);
3. **import** it with ``neo4j-admin database import full`` into a staging data folder beside the live
   one (never the live folder: its config differs in the data folder alone);
4. **switch** (:meth:`graph.server.LocalNeo4j.switch_database`): refused if the live data version
   moved since step 1; else the server stops, the folders are swapped, it starts, the constraints
   and indexes are created as every start does and the counts are checked. The data version comes
   bumped with the import (its bookkeeping node is written one write on), so no write follows.
   On any failure the previous folders come back and the server starts on them.

Until step 4 nothing of the live database changes, so a load killed at any point before it (a
``kill -9`` of the CLI; the importer dies with it) leaves the database as it was; the next load
clears the abandoned staging folder. A kill during step 4 is undone by the next start. Each load
works in its own staging folder under the server's home; a second load at the same time is refused.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TypeVar

from neo4j import NotificationDisabledClassification, Query

from graph.batch import Batch, BatchError, Violation
from graph.bulk_columns import write_batch_columns
from graph.bulk_csv import write_admin_csv
from graph.bulk_graph import NextGraph, stream_live
from graph.bulk_import import ImportReport, import_report
from graph.errors import ServiceError
from graph.exports import import_command
from graph.gc_pause import paused_gc
from graph.neo4j_store import META_LABEL, Neo4jStore
from graph.server import LocalNeo4j, process_alive
from graph.settings import Settings
from graph.store import LoadSummary, prepared_rows
from graph.validation_worker import violations_beside
from graph.words import t

__all__ = [
    "BYTES_PER_TX_RECORD",
    "PHASES",
    "BulkRefused",
    "BulkSummary",
    "bulk_load",
    "checkpoint",
    "staged_threshold",
]

#: The phases of a bulk or staged load, in order (their words: ``load.phase.<name>``).
PHASES: Final = ("validate", "csv", "import", "switch")
#: Transaction memory one record takes in a one-transaction load, measured at the default 2 GiB heap
#: (1 GiB per transaction, ``graph.server.TRANSACTION_MEMORY_SHARE``) with bench_ingest's graph (a
#: company per five SUPPORTS ties, nine properties each): 1.5×10^5 ties (180,001 records) commit,
#: 2×10^5 (240,001) fail at commit. The largest cost per record those two allow is 1 GiB / 180,001:
#: the estimate takes it, so that it never credits a transaction with more than was seen to fit.
#: (The old figure, 10^6 ties per 12 GiB heap, said ~3.2 KB and sent 10^5-tie loads staged: 65 s
#: instead of 20 s in one transaction.)
BYTES_PER_TX_RECORD: Final = -(-(2**30) // 180_001)  # rounded up
#: A normal load goes staged above this share of what one transaction was seen to hold: a real
#: organisation carries more properties than the bench's (a 法人番号 record ~12 against 8), and a
#: third more bytes per record still fits. At 2g: 134,982 records, so a 10^5-tie load (1.2×10^5
#: records) stays one transaction.
STAGED_MARGIN: Final = 0.75
_T = TypeVar("_T")
_VERSION: Final = Query("MATCH (m:IpecoMeta {key: 'data'}) RETURN m.epoch AS epoch, m.writes AS writes")
_SIZE_UNITS: Final = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
#: Two plain counts, each answered from the count store at once; one query holding both (a COUNT
#: subquery beside an aggregation) was planned as a scan of every node (measured 13.7 s of a
#: 2×10^5-organisation switch).
_NODE_COUNT: Final = Query("MATCH (n) RETURN count(n) AS n")
_REL_COUNT: Final = Query("MATCH ()-[r]->() RETURN count(r) AS n")


class BulkRefused(ServiceError):
    """A bulk or staged load was refused or failed before its switch; the database is as it was."""


@dataclass
class BulkSummary:
    """What a bulk or staged load did (counted as a normal load counts) and how long each phase took."""

    mode: str
    load: LoadSummary
    nodes_total: int
    relationships_total: int
    seconds: dict[str, float] = field(default_factory=dict)
    #: The switch's own steps (stop, swap, start, schema, count): what its seconds are made of.
    switch_seconds: dict[str, float] = field(default_factory=dict)
    #: The importer's own stages (:mod:`graph.bulk_import`) and how its JVM compiled.
    importer: ImportReport = field(default_factory=ImportReport)
    #: True when the CSV was written by columns from the batch (:mod:`graph.bulk_columns`), not merged.
    by_columns: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.load.as_dict(),
            "mode": self.mode,
            "nodes_total": self.nodes_total,
            "relationships_total": self.relationships_total,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "switch_seconds": {k: round(v, 3) for k, v in self.switch_seconds.items()},
            "import_seconds": {k: round(v, 3) for k, v in self.importer.seconds.items()},
            "import_jvm": self.importer.jvm,
            "csv_by_columns": self.by_columns,
        }


def checkpoint(phase: str) -> None:
    """Called as each phase begins (and once the importer runs, as ``importing``). Does nothing.

    It is the one place where a test stops a load at a known point to ``kill -9`` it there.
    """


def staged_threshold(heap: str) -> int:
    """Records above which a Neo4j load on a server with ``heap`` goes staged (3/4 of what one transaction held).

    Linear in the heap: the per-transaction limit is a fixed share of it.
    """
    text = heap.strip().lower().removesuffix("b")
    unit = text[-1:] if text[-1:] in _SIZE_UNITS else ""
    try:
        heap_bytes = int(text.removesuffix(unit)) * _SIZE_UNITS[unit]
    except ValueError:
        heap_bytes = 2 * 2**30
    return int(heap_bytes / 2 / BYTES_PER_TX_RECORD * STAGED_MARGIN)


@contextlib.contextmanager
def _phase(seconds: dict[str, float], name: str, notify: Callable[[str], None]) -> Iterator[None]:
    notify(t(f"load.phase.{name}", "en"))
    checkpoint(name)
    start = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - start


def bulk_load(
    settings: Settings, batch: Batch, *, staged: bool, notify: Callable[[str], None] = lambda _: None
) -> BulkSummary:
    """Load ``batch`` into the local Neo4j by import and switch (see the module docstring)."""
    server = LocalNeo4j(settings)
    if settings.neo4j_uri or settings.store != "neo4j":
        raise BulkRefused(t("load.bulk.not_local", "en"))
    server.undo_switch(notify)  # a switch a killed load left unfinished
    if server.pid() is None:
        raise BulkRefused(t("load.bulk.not_running", "en"))
    work = _workdir(server)
    try:
        summary = _build_and_switch(server, batch, work, staged=staged, notify=notify)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary


def _build_and_switch(
    server: LocalNeo4j, batch: Batch, work: Path, *, staged: bool, notify: Callable[[str], None]
) -> BulkSummary:
    seconds: dict[str, float] = {}
    steps: dict[str, float] = {}
    store = _open(server)
    try:
        with paused_gc():
            built = _built(store, batch, work, staged=staged, seconds=seconds, notify=notify)
        version = built.version
        with _phase(seconds, "import", notify):
            _refuse_if_moved(store, version)  # a write since step 1 would be lost: no need to import
            importer = _import(server, built.files, work)
        with _phase(seconds, "switch", notify):
            _refuse_if_moved(store, version)
            store.close()
            expected = (built.nodes, built.rels)
            server.switch_database(work / "data", lambda: _answers(server, expected, steps), notify, steps)
    finally:
        store.close()
    mode = "staged" if staged else "bulk"
    nodes, rels = built.keyed_nodes, built.rels
    return BulkSummary(mode, built.summary, nodes, rels, seconds, steps, importer, built.by_columns)


@dataclass(frozen=True)
class _Built:
    """Steps 1 and 2 done: the live data version they started from, the CSV files and what they hold."""

    version: str
    files: list[Path]
    summary: LoadSummary
    #: Nodes and ties the next database holds (the switch checks them), and its nodes with an ``id``.
    nodes: int
    rels: int
    keyed_nodes: int
    by_columns: bool = False


def _built(
    store: Neo4jStore,
    batch: Batch,
    work: Path,
    *,
    staged: bool,
    seconds: dict[str, float],
    notify: Callable[[str], None],
) -> _Built:
    """Steps 1 and 2: the next graph written as CSV while the batch is validated beside it.

    Validation runs in a forked child where that is safe (:func:`graph.validation_worker.violations_beside`:
    the other core), and its verdict is awaited before anything is imported: bad input still stops
    the load with file, line and field before any write to a database. What is built meanwhile is
    only memory and the load's own staging folder, removed on the way out. A bulk load (an empty
    database) writes the batch by columns (:mod:`graph.bulk_columns`) where it can; a staged one,
    or a batch the columns do not take, merges it into the live graph first.
    """
    with contextlib.ExitStack() as stack:
        with _phase(seconds, "validate", notify):
            version, live = _live(store, staged=staged)
            _bump_version(live)
            violations = stack.enter_context(violations_beside(batch, live.known_labels()))
            loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
            if staged:
                summary = _guarded(lambda: live.merge(*prepared_rows(batch, loaded_at)), violations)
        with _phase(seconds, "csv", notify):
            built = None if staged else _guarded(lambda: _columns(live, batch, loaded_at, work), violations)
            if built is None:
                if not staged:  # a batch the columns do not take: merged as a staged load merges it
                    summary = _guarded(lambda: live.merge(*prepared_rows(batch, loaded_at)), violations)
                built = _guarded(lambda: _merged_files(live, summary, work), violations)
            if found := violations():
                raise BatchError(found)
    return dataclasses.replace(built, version=version)


def _bump_version(live: NextGraph) -> None:
    """The next graph's data version one write on from the live one: what ``BUMP_VERSION`` would make of it.

    Why in the import and not by a write after the switch: that write cost 4.7 s of a 3×10^5-record
    switch (the freshly started server busy populating its indexes). The bookkeeping node is
    carried over with ``writes`` plus one, or made as ``BUMP_VERSION`` makes it on a database never
    written (a new epoch, one write), so every cache of derived results refreshes all the same.
    """
    for key, (labels, props) in live.nodes.items():
        if META_LABEL in labels and props.get("key") == "data":
            live.nodes[key] = (labels, {**props, "writes": int(props.get("writes") or 0) + 1})
            return
    live.nodes["~ipeco-data-version"] = ((META_LABEL,), {"key": "data", "epoch": uuid.uuid4().hex[:12], "writes": 1})


def _columns(live: NextGraph, batch: Batch, loaded_at: str, work: Path) -> _Built | None:
    """A bulk load's files by columns: the batch's, and the live bookkeeping nodes' beside them."""
    written = write_batch_columns(batch, loaded_at, work / "csv")
    if written is None:
        return None
    files = write_admin_csv(live.nodes, live.rels, work / "csv" / "live") + written.files
    summary = LoadSummary(nodes_created=written.nodes, relationships_created=written.relationships)
    rels = len(live.rels) + written.relationships
    return _Built("", files, summary, len(live.nodes) + written.nodes, rels, written.nodes, by_columns=True)


def _merged_files(live: NextGraph, summary: LoadSummary, work: Path) -> _Built:
    """The files of a next graph merged record by record (:mod:`graph.bulk_csv`)."""
    files = write_admin_csv(live.nodes, live.rels, work / "csv")
    return _Built("", files, summary, len(live.nodes), len(live.rels), live.keyed_nodes())


def _guarded(step: Callable[[], _T], violations: Callable[[], list[Violation]]) -> _T:
    """``step()``; should it fail, the batch's violations (what made it fail) are raised in its place."""
    try:
        return step()
    except Exception:
        if found := violations():
            raise BatchError(found) from None
        raise


def _refuse_if_moved(store: Neo4jStore, version: str) -> None:
    """Refuse the switch when the live data changed since it was streamed out (that write would be lost).

    What is left between this check and the server's stop is the time to close one connection.
    """
    now = _data_version(store)
    if now != version:
        raise BulkRefused(t("load.staged.moved", "en", before=version, now=now))


def _open(server: LocalNeo4j) -> Neo4jStore:
    return Neo4jStore(server.uri, "neo4j", server.password() or "", server.settings.neo4j_database)


def _data_version(store: Neo4jStore) -> str:
    """``store.data_version()`` without the server's "no such property yet" notes of a database never written."""
    with store.driver.session(
        database=store.database,
        notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
    ) as session:
        record = session.run(_VERSION).single()
    return f"{record['epoch']}:{record['writes']}" if record else "new:0"


def _live(store: Neo4jStore, *, staged: bool) -> tuple[str, NextGraph]:
    """The live data version and graph; a bulk load refuses a database that holds any organisation."""
    version = _data_version(store)
    live = stream_live(store.driver, store.database)
    if not staged and live.keyed_nodes():
        raise BulkRefused(t("load.bulk.not_empty", "en", nodes=f"{live.keyed_nodes():,}"))
    return version, live


def _import(server: LocalNeo4j, files: list[Path], work: Path) -> ImportReport:
    """``neo4j-admin database import full`` into ``work/data``; :class:`BulkRefused` with its words when it fails.

    Run ``--verbose``: its log then times each of the importer's stages (what the summary reports).
    """
    args = import_command(files, server.settings.neo4j_database, report_file=work / "import.report")
    args.insert(-1, "--verbose")  # the database name stays last
    log = work / "import.log"
    launched = time.time()
    proc = server.admin_process(*args, data_dir=work / "data", output=log)
    checkpoint("importing")
    code = proc.wait()
    text = log.read_text(errors="replace")
    if code != 0:
        said = [line for line in text.strip().splitlines() if not line.lstrip().startswith(("at ", "... "))]
        tail = "\n".join(said[-12:])  # its own words, not the stack trace --verbose adds
        raise BulkRefused(t("load.bulk.import_failed", "en", code=code, tail=tail))
    return import_report(text, launched, time.time())


def _answers(server: LocalNeo4j, expected: tuple[int, int], steps: dict[str, float]) -> None:
    """The switched-in database answers with what was built (its data version already bumped); constraints made.

    Opening the store creates the constraints and indexes (``Neo4jStore.ensure_schema``), as a
    normal start does.
    """
    start = time.perf_counter()
    store = _open(server)
    steps["schema"] = time.perf_counter() - start
    try:
        found = (_count(store, _NODE_COUNT), _count(store, _REL_COUNT))
        steps["count"] = time.perf_counter() - start - steps["schema"]
        if found != expected:
            nodes, rels = expected
            raise BulkRefused(
                t("load.bulk.check_failed", "en", found=found[0], nodes=nodes, found_rels=found[1], rels=rels)
            )
    finally:
        store.close()


def _count(store: Neo4jStore, query: Query) -> int:
    records, _, _ = store.driver.execute_query(query, database_=store.database)
    return int(records[0]["n"])


def _workdir(server: LocalNeo4j) -> Path:
    """A new staging folder of this process; abandoned ones (their load died) are removed first."""
    root = server.staging_root
    root.mkdir(parents=True, exist_ok=True)
    for folder in sorted(root.iterdir()):
        owner = _owner(folder)
        if owner is not None and owner != os.getpid() and process_alive(owner):
            raise BulkRefused(t("load.bulk.busy", "en", pid=owner))
        shutil.rmtree(folder, ignore_errors=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    work = root / f"{stamp}-{os.getpid()}"
    work.mkdir()
    (work / "owner").write_text(f"{os.getpid()}\n")
    return work


def _owner(folder: Path) -> int | None:
    try:
        return int((folder / "owner").read_text().strip())
    except (OSError, ValueError):
        return None

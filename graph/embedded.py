"""The embedded store: one SQLite file, zero setup, the same semantics as Neo4j.

SQLite (standard library) gives what the store contract needs and no hand-written storage:
ACID transactions (a failed load leaves the file unchanged) and a primary key per node and per
relationship identity so that loads MERGE idempotently. Properties are kept as JSON.
"""

from __future__ import annotations

import contextlib
import errno
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from graph.reserved import ReservedOnRead
from graph.schema import ordered_labels
from graph.store import DEFAULT_LOCK_WAIT, DiskFull, LoadSummary, NodeRow, RelRow, Store, StoreBusy, StoreUnavailable

__all__ = ["EmbeddedStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY,
    primary_label TEXT NOT NULL,
    labels TEXT NOT NULL,
    props TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relationships (
    source TEXT NOT NULL REFERENCES nodes(id),
    type TEXT NOT NULL,
    target TEXT NOT NULL REFERENCES nodes(id),
    rel_key TEXT NOT NULL,
    props TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (source, type, target, rel_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
# No index on relationships(target): no query reads ties by target, and the foreign-key check it
# would serve (deleting a node) only happens in ``clear``, after the ties are gone. Files written
# before keep theirs; it costs a quarter of the insert time of a large load.


class EmbeddedStore(Store):
    """A property graph in a single SQLite file."""

    name = "embedded"

    def __init__(self, path: Path | str, *, lock_wait: float = DEFAULT_LOCK_WAIT) -> None:
        self.path = Path(path)
        self.lock_wait = lock_wait
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Readers and a committing writer wait as long as a load may wait for the write lock:
            # a 5 s busy timeout (the default) threw away minutes of parsing for a lock held by a
            # load that was about to finish.
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=max(lock_wait, 5.0))
            self._conn.executescript(_SCHEMA)
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA cache_size = -131072")
        except (OSError, sqlite3.Error) as exc:
            if _disk_full(exc):
                raise DiskFull(f"disk full at {self.path.parent}, nothing was written") from exc
            msg = f"cannot open the embedded store at {self.path}: {exc}"
            raise StoreUnavailable(msg) from exc

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[sqlite3.Cursor]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``: wait for another writer, roll back on failure, say why.

        The write lock is taken only here, after the batch was parsed and prepared, so a wait never
        throws parsing away. When another writer holds it, the user is told once and the load waits
        up to ``lock_wait`` seconds. SQLite rolls a transaction back by itself on a full disk; the
        rollback here then has nothing to do, and the error says what happened instead of
        "cannot rollback - no transaction is active".
        """
        cur = self._conn.cursor()
        self._begin_immediate(cur)
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | OSError) and _disk_full(exc):
                raise DiskFull(f"disk full at {self.path.parent}, nothing was written") from exc
            if isinstance(exc, sqlite3.OperationalError) and _locked(exc):
                raise self._busy() from exc
            raise

    def _begin_immediate(self, cur: sqlite3.Cursor) -> None:
        self._conn.execute("PRAGMA busy_timeout = 200")
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise
            self.notify(
                f"another load is writing to {self.path}; waiting up to {self.lock_wait:.0f} s for it to finish "
                "(IPECO_LOCK_WAIT or --wait sets the limit)"
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(self.lock_wait * 1000)}")
            began = time.monotonic()
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as again:
                if _locked(again):
                    raise self._busy() from again
                raise
            self.notify(f"the other load finished after {time.monotonic() - began:.0f} s; writing now")
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(max(self.lock_wait, 5.0) * 1000)}")

    def _busy(self) -> StoreBusy:
        msg = (
            f"another load kept {self.path} locked for more than {self.lock_wait:.0f} s, so nothing was written; "
            "run this load again when it has finished, or wait longer with --wait SECONDS"
        )
        return StoreBusy(msg)

    def known_labels(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(_rows_where_in(self._conn.cursor(), "SELECT id, primary_label FROM nodes WHERE id IN ({})", ids))

    def _write_rows(
        self, nodes: list[NodeRow], rels: list[RelRow], before_commit: Callable[[], None] = lambda: None
    ) -> LoadSummary:
        """Bulk MERGE: read the stored hashes of the rows' keys, then insert new and update changed rows."""
        summary = LoadSummary()
        with self._write_transaction() as cur:
            existing = self._existing_nodes(cur, [n.id for n in nodes])
            inserts, updates = [], []
            for row in nodes:
                old = existing.get(row.id)
                if old is None:
                    inserts.append((row.id, row.primary, json.dumps(list(row.labels)), _dumps(row.props), row.hash))
                elif old[2] != row.hash:
                    labels = ordered_labels({*orjson.loads(old[0]), *row.labels})
                    props = {**orjson.loads(old[1]), **row.props}
                    updates.append((json.dumps(labels), _dumps(props), row.hash, row.id))
            inserts.sort(key=itemgetter(0))
            cur.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)", inserts)
            cur.executemany("UPDATE nodes SET labels = ?, props = ?, content_hash = ? WHERE id = ?", updates)
            summary.nodes_created, summary.nodes_updated = len(inserts), len(updates)
            summary.nodes_unchanged = len(nodes) - len(inserts) - len(updates)

            # A node this load creates has no stored ties yet: only the other sources are looked up.
            created = {row[0] for row in inserts}
            stored = self._existing_relationships(cur, {r.source for r in rels if r.source not in created})
            new_by_source: dict[str, list[tuple[str, ...]]] = {}
            rel_updates = []
            for rel in rels:
                ident = (rel.source, rel.type, rel.target, rel.key)
                old_rel = stored.get(ident)
                if old_rel is None:
                    new_by_source.setdefault(rel.source, []).append((*ident, _dumps(rel.props), rel.hash))
                elif old_rel[1] != rel.hash:
                    props = {**orjson.loads(old_rel[0]), **rel.props}
                    rel_updates.append((_dumps(props), rel.hash, *ident))
            # In primary-key order (here: grouped by source, sources in order), B-tree inserts append
            # instead of landing on random pages, so a 10^6-tie load is bound by the page cache, not by
            # seeks into a table larger than it. Grouping costs ~0.5 s at 10^6; sorting the identity
            # tuples cost ~8 s.
            rel_inserts = [row for source in sorted(new_by_source) for row in new_by_source[source]]
            cur.executemany("INSERT INTO relationships VALUES (?, ?, ?, ?, ?, ?)", rel_inserts)
            cur.executemany(
                "UPDATE relationships SET props = ?, content_hash = ? "
                "WHERE source = ? AND type = ? AND target = ? AND rel_key = ?",
                rel_updates,
            )
            summary.relationships_created, summary.relationships_updated = len(rel_inserts), len(rel_updates)
            summary.relationships_unchanged = len(rels) - len(rel_inserts) - len(rel_updates)
            before_commit()
            _bump_version(cur)
        return summary

    @staticmethod
    def _existing_nodes(cur: sqlite3.Cursor, ids: list[str]) -> dict[str, tuple[str, str, str]]:
        query = "SELECT id, labels, props, content_hash FROM nodes WHERE id IN ({})"
        return {row[0]: (row[1], row[2], row[3]) for row in _rows_where_in(cur, query, ids)}

    @staticmethod
    def _existing_relationships(
        cur: sqlite3.Cursor, sources: set[str]
    ) -> dict[tuple[str, str, str, str], tuple[str, str]]:
        query = "SELECT source, type, target, rel_key, props, content_hash FROM relationships WHERE source IN ({})"
        return {row[:4]: (row[4], row[5]) for row in _rows_where_in(cur, query, sources)}

    def read_graph_all(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        reserved = ReservedOnRead()
        for node_id, labels, props in self._conn.execute("SELECT id, labels, props FROM nodes ORDER BY id"):
            attrs = reserved.node(node_id, orjson.loads(props))
            graph.add_node(node_id, **attrs, labels=ordered_labels(orjson.loads(labels)))
        query = "SELECT source, type, target, rel_key, props FROM relationships ORDER BY source, type, target, rel_key"
        for source, rel_type, target, key, props in self._conn.execute(query):
            attrs = reserved.edge(f"{source} -{rel_type}-> {target}", orjson.loads(props))
            graph.add_edge(source, target, key=f"{rel_type}|{key}", **attrs, type=rel_type)
        reserved.report(self.notify)
        return graph

    def write_node_properties(self, values: Mapping[str, Mapping[str, Any]]) -> int:
        touched = 0
        with self._write_transaction() as cur:
            for node_id, new in values.items():
                row = cur.execute("SELECT props FROM nodes WHERE id = ?", (node_id,)).fetchone()
                if row is None:
                    continue
                props = {**orjson.loads(row[0]), **{k: v for k, v in new.items() if v is not None}}
                cur.execute("UPDATE nodes SET props = ? WHERE id = ?", (_dumps(props), node_id))
                touched += 1
            _bump_version(cur)
        return touched

    def clear(self) -> None:
        with self._write_transaction() as cur:
            cur.execute("DELETE FROM relationships")
            cur.execute("DELETE FROM nodes")
            _bump_version(cur)

    def data_version(self) -> str:
        rows = dict(self._conn.execute("SELECT key, value FROM meta WHERE key IN ('epoch', 'writes')"))
        return f"{rows.get('epoch', 'new')}:{rows.get('writes', '0')}"

    def close(self) -> None:
        self._conn.close()


def _bump_version(cur: sqlite3.Cursor) -> None:
    """Count one more write (inside the caller's transaction); draw the epoch on the first one."""
    cur.execute("INSERT OR IGNORE INTO meta VALUES ('epoch', ?)", (uuid.uuid4().hex[:12],))
    cur.execute(
        "INSERT INTO meta VALUES ('writes', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
    )


def _rows_where_in(cur: sqlite3.Cursor, query: str, values: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """Rows of ``query`` (one ``IN ({})`` slot) for all ``values``, in chunks under SQLite's variable limit."""
    wanted = list(set(values))
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        yield from cur.execute(query.format(",".join("?" * len(chunk))), chunk)


def _dumps(props: Mapping[str, Any]) -> str:
    """Properties as JSON text (orjson: the embedded store's load and read time is mostly JSON)."""
    return orjson.dumps(props, option=orjson.OPT_SORT_KEYS).decode()


def _locked(exc: sqlite3.OperationalError) -> bool:
    return "database is locked" in str(exc) or "database is busy" in str(exc)


def _disk_full(exc: BaseException) -> bool:
    """SQLITE_FULL ("database or disk is full"), or ENOSPC / EFBIG from the file system."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EFBIG)
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)

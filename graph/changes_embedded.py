"""The embedded store's half of the change sets (:mod:`graph.changes`): one SQLite table beside the data.

A change set is applied in the store's own write transaction (``BEGIN IMMEDIATE``), so the check
that every record is still in its ``before`` state, the writes, the log entry and the data version
commit together or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import orjson

from graph.changes import (
    ChangeConflict,
    ChangeDraft,
    ChangeSet,
    RecordChange,
    RecordRef,
    RecordState,
    check_befores,
    record_hash,
)
from graph.embedded import EmbeddedStore, _bump_version, _dumps, _rows_where_in
from graph.errors import NotFoundError
from graph.schema import primary_label

__all__ = ["EmbeddedChangeLog"]

_TABLE = """
CREATE TABLE IF NOT EXISTS change_sets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    summary TEXT NOT NULL,
    undoes TEXT NOT NULL,
    undone_by TEXT NOT NULL,
    changes TEXT NOT NULL
)
"""
_COLUMNS = "seq, kind, author, at, summary, undoes, undone_by, changes"


class EmbeddedChangeLog:
    """Change sets of an :class:`graph.embedded.EmbeddedStore`."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self._conn: sqlite3.Connection = store._conn
        self._conn.execute(_TABLE)

    def read(self, refs: Iterable[RecordRef]) -> dict[RecordRef, RecordState]:
        return _read(self._conn.cursor(), refs)

    def apply(self, draft: ChangeDraft) -> ChangeSet:
        effective = draft.effective()
        with self.store._write_transaction() as cur:
            check_befores(draft, _read(cur, [c.ref for c in effective]))
            _write(cur, effective)
            changes = orjson.dumps([c.as_dict() for c in effective]).decode()
            cur.execute(
                f"INSERT INTO change_sets ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, '', ?)",
                (draft.kind, draft.author, draft.at, draft.summary, draft.undoes, changes),
            )
            new_id = str(cur.lastrowid)
            if draft.undoes:
                cur.execute("UPDATE change_sets SET undone_by = ? WHERE seq = ?", (new_id, int(draft.undoes)))
            _bump_version(cur)
        return ChangeSet(new_id, draft.kind, draft.author, draft.at, draft.summary, effective, draft.undoes)

    def history(self, limit: int = 100) -> list[ChangeSet]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM change_sets ORDER BY seq DESC LIMIT ?", (limit,))
        return [_change_set(row) for row in rows]

    def get(self, change_id: str) -> ChangeSet:
        row = None
        if change_id.isdigit():
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM change_sets WHERE seq = ?", (int(change_id),)).fetchone()
        if row is None:
            msg = f"there is no change set {change_id!r}; `ipeco history` lists them"
            raise NotFoundError(msg)
        return _change_set(row)

    def forget_all(self) -> None:
        with self.store._write_transaction() as cur:
            cur.execute("DELETE FROM change_sets")
            cur.execute("DELETE FROM sqlite_sequence WHERE name = 'change_sets'")


def _write(cur: sqlite3.Cursor, changes: tuple[RecordChange, ...]) -> None:
    """Ties removed first and written last, so that no tie ever points at a missing node."""
    rels = [c for c in changes if c.ref.kind == "rel"]
    nodes = [c for c in changes if c.ref.kind == "node"]
    _delete_rels(cur, [c.ref for c in rels if c.after is None])
    _delete_nodes(cur, [c.ref for c in nodes if c.after is None])
    _upsert_nodes(cur, [c for c in nodes if c.after is not None])
    _upsert_rels(cur, [c for c in rels if c.after is not None])


def _change_set(row: tuple[Any, ...]) -> ChangeSet:
    seq, kind, author, at, summary, undoes, undone_by, changes = row
    records = tuple(RecordChange.from_dict(c) for c in orjson.loads(changes))
    return ChangeSet(str(seq), kind, author, at, summary, records, undoes, undone_by)


def _read(cur: sqlite3.Cursor, refs: Iterable[RecordRef]) -> dict[RecordRef, RecordState]:
    wanted = set(refs)
    out: dict[RecordRef, RecordState] = {}
    node_ids = [r.id for r in wanted if r.kind == "node"]
    for node_id, labels, props in _rows_where_in(cur, "SELECT id, labels, props FROM nodes WHERE id IN ({})", node_ids):
        out[RecordRef("node", node_id)] = RecordState(tuple(orjson.loads(labels)), orjson.loads(props))
    sources = {r.id for r in wanted if r.kind == "rel"}
    query = "SELECT source, type, target, rel_key, props FROM relationships WHERE source IN ({})"
    for source, rel_type, target, key, props in _rows_where_in(cur, query, sources):
        ref = RecordRef("rel", source, rel_type, target, key)
        if ref in wanted:
            out[ref] = RecordState((), orjson.loads(props))
    return out


def _delete_rels(cur: sqlite3.Cursor, refs: list[RecordRef]) -> None:
    cur.executemany(
        "DELETE FROM relationships WHERE source = ? AND type = ? AND target = ? AND rel_key = ?",
        [(r.id, r.type, r.target, r.key) for r in refs],
    )


def _delete_nodes(cur: sqlite3.Cursor, refs: list[RecordRef]) -> None:
    """Delete nodes no relationship points at any more; refuse (:class:`ChangeConflict`) otherwise."""
    if not refs:
        return
    gone = {r.id for r in refs}
    tied = {end for row in cur.execute("SELECT source, target FROM relationships") for end in row if end in gone}
    if tied:
        raise ChangeConflict("has_ties", sorted(RecordRef("node", n) for n in tied))
    cur.executemany("DELETE FROM nodes WHERE id = ?", [(r.id,) for r in refs])


def _upsert_nodes(cur: sqlite3.Cursor, changes: list[RecordChange]) -> None:
    rows = []
    for change in changes:
        after = change.after
        assert after is not None
        primary = primary_label(after.labels) or "Organization"
        props = _dumps(after.props)
        rows.append(
            (change.ref.id, primary, orjson.dumps(list(after.labels)).decode(), props, record_hash(change.ref, after))
        )
    cur.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "primary_label = excluded.primary_label, labels = excluded.labels, props = excluded.props, "
        "content_hash = excluded.content_hash",
        rows,
    )


def _upsert_rels(cur: sqlite3.Cursor, changes: list[RecordChange]) -> None:
    rows = []
    for change in changes:
        ref, after = change.ref, change.after
        assert after is not None
        rows.append((ref.id, ref.type, ref.target, ref.key, _dumps(after.props), record_hash(ref, after)))
    try:
        cur.executemany(
            "INSERT INTO relationships VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source, type, target, rel_key) "
            "DO UPDATE SET props = excluded.props, content_hash = excluded.content_hash",
            rows,
        )
    except sqlite3.IntegrityError as exc:  # an end was removed since the draft was read
        raise ChangeConflict("changed_since", [c.ref for c in changes]) from exc

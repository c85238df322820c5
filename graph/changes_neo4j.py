"""The Neo4j store's half of the change sets (:mod:`graph.changes`): ``IpecoMeta`` nodes beside the data.

A change set is one managed write transaction: read the records, check that each is still in its
``before`` state, write, log and bump the data version; a :class:`graph.changes.ChangeConflict`
raised inside it rolls everything back. The log entries are ``IpecoMeta`` nodes (key
``changeset:N``): they have no ``id``, so the graph reads, exports and analyses never see them, and
a clear of the data keeps them, as the embedded store keeps its table. Labels and types reach the
query text only after a check against ``graph.schema``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, LiteralString, cast

import orjson
from neo4j import ManagedTransaction, RoutingControl, unit_of_work

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
from graph.errors import NotFoundError
from graph.neo4j_store import _NO_TIMEOUT, BUMP_VERSION, INTERNAL_PROPS, Neo4jStore, _check_identifier
from graph.schema import NODE_SPECS, REL_SPECS, ROLE_LABELS, primary_label

__all__ = ["Neo4jChangeLog"]

_NEXT_ID: LiteralString = (
    "MERGE (c:IpecoMeta {key: 'changesets'}) ON CREATE SET c.last = 0 SET c.last = c.last + 1 RETURN c.last AS seq"
)
_LOG: LiteralString = (
    "CREATE (m:IpecoMeta {key: 'changeset:' + toString($seq), seq: $seq, kind: $kind, author: $author, at: $at, "
    "summary: $summary, undoes: $undoes, undone_by: '', changes: $changes})"
)
_MARK_UNDONE: LiteralString = "MATCH (m:IpecoMeta {key: 'changeset:' + $undoes}) SET m.undone_by = toString($seq)"
_FIELDS: LiteralString = (
    "m.seq AS seq, m.kind AS kind, m.author AS author, m.at AS at, m.summary AS summary, "
    "m.undoes AS undoes, m.undone_by AS undone_by, m.changes AS changes"
)


class Neo4jChangeLog:
    """Change sets of a :class:`graph.neo4j_store.Neo4jStore`."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def read(self, refs: Iterable[RecordRef]) -> dict[RecordRef, RecordState]:
        with self.store.driver.session(database=self.store.database) as session:
            return session.execute_read(lambda tx: _read(tx, refs))

    def apply(self, draft: ChangeDraft) -> ChangeSet:
        effective = draft.effective()

        def work(tx: ManagedTransaction) -> str:
            check_befores(draft, _read(tx, [c.ref for c in effective]))
            _write_records(tx, effective)
            return _log(tx, draft, effective)

        with self.store.driver.session(database=self.store.database) as session:
            new_id = session.execute_write(unit_of_work(timeout=_NO_TIMEOUT)(work))
        return ChangeSet(new_id, draft.kind, draft.author, draft.at, draft.summary, effective, draft.undoes)

    def history(self, limit: int = 100) -> list[ChangeSet]:
        query = cast(
            LiteralString,
            f"MATCH (m:IpecoMeta) WHERE m.key STARTS WITH 'changeset:' "
            f"RETURN {_FIELDS} ORDER BY m.seq DESC LIMIT $limit",
        )
        return [_change_set(r) for r in self.store._run(query, limit=limit)]

    def get(self, change_id: str) -> ChangeSet:
        records = []
        if change_id.isdigit():
            query = cast(LiteralString, f"MATCH (m:IpecoMeta {{key: 'changeset:' + $id}}) RETURN {_FIELDS}")
            records = self.store._run(query, id=str(int(change_id)))
        if not records:
            msg = f"there is no change set {change_id!r}; `ipeco history` lists them"
            raise NotFoundError(msg)
        return _change_set(records[0])

    def forget_all(self) -> None:
        self.store._run("MATCH (m:IpecoMeta) WHERE m.key STARTS WITH 'changeset' DETACH DELETE m", RoutingControl.WRITE)


def _change_set(record: Any) -> ChangeSet:
    changes = tuple(RecordChange.from_dict(c) for c in orjson.loads(record["changes"]))
    return ChangeSet(
        str(record["seq"]),
        record["kind"],
        record["author"],
        record["at"],
        record["summary"],
        changes,
        record["undoes"] or "",
        record["undone_by"] or "",
    )


def _stored(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in INTERNAL_PROPS}


def _read(tx: ManagedTransaction, refs: Iterable[RecordRef]) -> dict[RecordRef, RecordState]:
    wanted = set(refs)
    out: dict[RecordRef, RecordState] = {}
    node_ids = [r.id for r in wanted if r.kind == "node"]
    if node_ids:
        for label in NODE_SPECS:
            query = cast(
                LiteralString,
                f"MATCH (n:{label}) USING INDEX SEEK n:{label}(id) WHERE n.id IN $ids "
                "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
            )
            for r in tx.run(query, ids=node_ids):
                out[RecordRef("node", r["id"])] = RecordState(tuple(r["labels"]), _stored(r["props"]))
    by_type: dict[str, list[RecordRef]] = defaultdict(list)
    for ref in wanted:
        if ref.kind == "rel":
            by_type[ref.type].append(ref)
    for rel_type, rels in by_type.items():
        rows = [{"s": r.id, "t": r.target, "k": r.key} for r in rels]
        for r in tx.run(
            _rel_match(rel_type, "RETURN row.s AS s, row.t AS t, row.k AS k, properties(r) AS props"), rows=rows
        ):
            out[RecordRef("rel", r["s"], rel_type, r["t"], r["k"])] = RecordState((), _stored(r["props"]))
    return out


def _rel_match(rel_type: str, tail: str) -> LiteralString:
    spec = REL_SPECS[_check_identifier(rel_type, REL_SPECS)]
    text = (
        f"UNWIND $rows AS row MATCH (a:{spec.source} {{id: row.s}}) USING INDEX SEEK a:{spec.source}(id) "
        f"MATCH (b:{spec.target} {{id: row.t}}) USING INDEX SEEK b:{spec.target}(id) "
        f"MATCH (a)-[r:{spec.type} {{rel_key: row.k}}]->(b) {tail}"
    )
    return cast(LiteralString, text)


def _delete_rels(tx: ManagedTransaction, refs: list[RecordRef]) -> None:
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for ref in refs:
        by_type[ref.type].append({"s": ref.id, "t": ref.target, "k": ref.key})
    for rel_type, rows in by_type.items():
        tx.run(_rel_match(rel_type, "DELETE r"), rows=rows).consume()


def _delete_nodes(tx: ManagedTransaction, ids: list[str]) -> None:
    """Delete nodes no relationship points at any more; refuse (:class:`ChangeConflict`) otherwise."""
    if not ids:
        return
    tied = [r["id"] for r in tx.run("UNWIND $ids AS id MATCH (n {id: id}) WHERE EXISTS { (n)--() } RETURN id", ids=ids)]
    if tied:
        raise ChangeConflict("has_ties", sorted(RecordRef("node", n) for n in tied))
    for label in NODE_SPECS:
        query = cast(LiteralString, f"MATCH (n:{label}) USING INDEX SEEK n:{label}(id) WHERE n.id IN $ids DELETE n")
        tx.run(query, ids=ids).consume()


def _upsert_nodes(tx: ManagedTransaction, changes: list[RecordChange]) -> None:
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for change in changes:
        after = change.after
        assert after is not None
        primary = primary_label(after.labels) or "Organization"
        roles = tuple(label for label in after.labels if label in ROLE_LABELS)
        props = {**after.props, "content_hash": record_hash(change.ref, after)}
        groups[(primary, roles)].append({"id": change.ref.id, "props": props})
    for (primary, roles), rows in groups.items():
        label = _check_identifier(primary, NODE_SPECS)
        extra = "".join(f", n:{_check_identifier(r, ROLE_LABELS)}" for r in roles)
        query = cast(LiteralString, f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props{extra}")
        tx.run(query, rows=rows).consume()


def _upsert_rels(tx: ManagedTransaction, changes: list[RecordChange]) -> None:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for change in changes:
        ref, after = change.ref, change.after
        assert after is not None
        props = {**after.props, "rel_key": ref.key, "content_hash": record_hash(ref, after)}
        by_type[ref.type].append({"s": ref.id, "t": ref.target, "k": ref.key, "props": props})
    for rel_type, rows in by_type.items():
        spec = REL_SPECS[_check_identifier(rel_type, REL_SPECS)]
        query = cast(
            LiteralString,
            f"UNWIND $rows AS row MATCH (a:{spec.source} {{id: row.s}}) USING INDEX SEEK a:{spec.source}(id) "
            f"MATCH (b:{spec.target} {{id: row.t}}) USING INDEX SEEK b:{spec.target}(id) "
            f"MERGE (a)-[r:{spec.type} {{rel_key: row.k}}]->(b) SET r = row.props RETURN count(r) AS written",
        )
        written = tx.run(query, rows=rows).single(strict=True)["written"]
        if written != len(rows):  # an end was removed since the draft was read
            raise ChangeConflict("changed_since", [c.ref for c in changes])


def _write_records(tx: ManagedTransaction, effective: Sequence[RecordChange]) -> None:
    """The change set's records as they are after it: removals first (ties before nodes), then upserts."""
    _delete_rels(tx, [c.ref for c in effective if c.ref.kind == "rel" and c.after is None])
    _delete_nodes(tx, [c.ref.id for c in effective if c.ref.kind == "node" and c.after is None])
    _upsert_nodes(tx, [c for c in effective if c.ref.kind == "node" and c.after is not None])
    _upsert_rels(tx, [c for c in effective if c.ref.kind == "rel" and c.after is not None])


def _log(tx: ManagedTransaction, draft: ChangeDraft, effective: Sequence[RecordChange]) -> str:
    """Number the change set, keep it in the history (marking what it undoes) and bump the data version."""
    seq = tx.run(_NEXT_ID).single(strict=True)["seq"]
    changes = orjson.dumps([c.as_dict() for c in effective]).decode()
    tx.run(
        _LOG,
        seq=seq,
        kind=draft.kind,
        author=draft.author,
        at=draft.at,
        summary=draft.summary,
        undoes=draft.undoes,
        changes=changes,
    ).consume()
    if draft.undoes:
        tx.run(_MARK_UNDONE, undoes=draft.undoes, seq=seq).consume()
    tx.run(BUMP_VERSION).consume()
    return str(seq)

"""The Neo4j store, through the official ``neo4j`` driver (py2neo is end-of-life).

Writes follow the driver team's advice: batched ``UNWIND $rows … MERGE`` on
uniqueness-constrained ``id`` keys, the database named explicitly, and one managed write
transaction per load whose function is idempotent, because the driver may retry it. Labels and
relationship types cannot be parameters in Cypher, so they are written into the query text, but
only after validation has checked them against ``graph.schema``: no user text reaches a query
except through parameters.

Every id lookup on the load path carries ``USING INDEX SEEK``. Without it, right after a load into
an emptied database (before Neo4j resamples the id index, whose selectivity then reads 0), the
planner chose a full scan of the index per row: a 10^5-tie reload ran for over ten minutes
instead of seconds. ``tests/test_neo4j_plans.py`` checks that every lookup carries its hint and
reads the real plans after a load into an emptied database.
"""

from __future__ import annotations

import contextlib
import operator
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, Final, LiteralString, TypeVar, cast

import networkx as nx
from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    Query,
    Result,
    RoutingControl,
    Session,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.batch import Batch
from graph.content_columns import ContentColumns, content_columns
from graph.reserved import ReservedOnRead
from graph.schema import NODE_SPECS, REL_SPECS, ROLE_LABELS, ordered_labels
from graph.store import (
    DEFAULT_LOCK_WAIT,
    DiskFull,
    LoadSummary,
    LoadTooLarge,
    NodeRow,
    RelRow,
    Store,
    StoreBusy,
    StoreUnavailable,
)

__all__ = ["INTERNAL_PROPS", "Neo4jStore", "constraint_statements"]

#: Bookkeeping properties the store keeps on the database side and never hands back.
INTERNAL_PROPS = ("content_hash", "rel_key")

_T = TypeVar("_T")

#: Errors of a transaction that outgrew its memory limit (global pool, per-transaction limit).
_MEMORY_LIMIT_CODES = (
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
)

#: Label of the one bookkeeping node that holds the data version (it has no ``id``, so reads skip it).
META_LABEL = "IpecoMeta"
BUMP_VERSION: LiteralString = (
    "MERGE (m:IpecoMeta {key: 'data'}) ON CREATE SET m.epoch = left(replace(randomUUID(), '-', ''), 12), m.writes = 0 "
    "SET m.writes = m.writes + 1"
)

#: The store's own work (loads, clears, the app's reads) asks for no time limit: the server's
#: ``db.transaction.timeout`` is the backstop for clients that set none (Neo4j Browser), and a
#: nationwide load is one long transaction. 0 means "no timeout" to the driver and the server.
_NO_TIMEOUT: Final = 0

#: One stored node with an id, if any: a first load into an empty store needs no id lookups.
_ANY_NODE: Final = Query("MATCH (n) WHERE n.id IS NOT NULL RETURN 1 AS found LIMIT 1", timeout=_NO_TIMEOUT)

#: Times a load is run again after another load created one of its new nodes first (see ``_write_rows``).
_TWIN_RETRIES = 5

#: Rows per UNWIND; large enough to amortise round trips, small enough for a 1 GiB heap.
CHUNK = 10_000


def constraint_statements() -> list[str]:
    """Uniqueness constraints on every primary label's ``id`` and lookup indexes, from the schema."""
    statements = [
        f"CREATE CONSTRAINT ipeco_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_SPECS
    ]
    statements += [
        f"CREATE CONSTRAINT ipeco_meta_key IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.key IS UNIQUE",
        "CREATE INDEX ipeco_org_corporate_number IF NOT EXISTS FOR (n:Organization) ON (n.corporate_number)",
        "CREATE INDEX ipeco_org_name IF NOT EXISTS FOR (n:Organization) ON (n.name)",
    ]
    return statements


def _check_identifier(name: str, allowed: Iterable[str]) -> str:
    if name not in set(allowed):
        msg = f"{name!r} is not in the schema"
        raise ValueError(msg)
    return name


def _node_query(primary: str, roles: tuple[str, ...]) -> LiteralString:
    """MERGE nodes that may exist (their stored hash differs): labels added, properties merged."""
    label = _check_identifier(primary, NODE_SPECS)
    extra = "".join(f":{_check_identifier(r, ROLE_LABELS)}" for r in roles)
    set_roles = f"n{extra}, " if extra else ""
    text = f"""
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
SET {set_roles}n += row.props
RETURN count(n) AS written"""
    return cast(LiteralString, text)


def _node_create_query(primary: str, roles: tuple[str, ...], columns: _Columns | None = None) -> LiteralString:
    """CREATE nodes proved absent; the uniqueness constraint still refuses a concurrent twin."""
    labels = ":".join([_check_identifier(primary, NODE_SPECS), *(_check_identifier(r, ROLE_LABELS) for r in roles)])
    text = f"""
UNWIND $rows AS row
CREATE (n:{labels})
{_set_clause("n", columns)}
RETURN count(n) AS written, collect([n.id, elementId(n)]) AS made"""
    return cast(LiteralString, text)


#: A property name that may be written into a query's text (backquoted): what validation accepts.
_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class _Columns:
    """One chunk of created entities as it travels: a value shared by every row once, the rest by position.

    Measured at 10^5 ties: a row as a map of its properties (``{s, t, props: {…nine…}}``) cost the
    client a dict per row to build and both sides a key string per value to encode and decode,
    while four of the nine values (source, evidence, loaded_at, synthetic) are the same in every
    row of a load. Here a row is a list (its ends first, then the values that vary) and the
    shared values travel once, in ``$c``. A value counts as shared only when it is the very same
    object in every row (``is``): never ``1`` for ``True`` or ``1.0``, and cheap to check.
    """

    #: Leading fields of every row before the varying values (a tie's two ends; a node has none).
    lead: int
    constant: dict[str, Any]
    varying: tuple[str, ...]
    rows: list[list[Any]]

    @classmethod
    def of_content(cls, lead: list[list[Any]], content: ContentColumns, extra: dict[str, list[Any]]) -> _Columns:
        """The chunk's columns from :func:`graph.content_columns.content_columns` (built and hashed by columns)."""
        varying = {**content.varying, **extra}
        names = sorted(varying)
        rows = list(zip(*lead, *(varying[name] for name in names), strict=True))
        return cls(len(lead), content.constant, tuple(names), cast(list[list[Any]], rows))

    @classmethod
    def of(cls, lead: list[list[Any]], props: list[dict[str, Any]], extra: dict[str, list[Any]]) -> _Columns | None:
        """The chunk's columns, or None when a name may not reach the query text (the map form is used)."""
        names = sorted(set().union(*props, extra))
        if not all(_PLAIN_KEY.match(name) for name in names):
            return None
        constant: dict[str, Any] = {}
        varying: list[str] = []
        columns: list[list[Any]] = list(lead)
        for name in names:
            # map over C functions rather than a comprehension: a column costs no Python frame per row.
            column = extra[name] if name in extra else list(map(dict.get, props, repeat(name)))
            first = column[0]
            if all(map(operator.is_, column, repeat(first))):
                if first is not None:  # a name no row has sets nothing
                    constant[name] = first
            else:
                varying.append(name)
                columns.append(column)
        rows = list(map(list, zip(*columns, strict=True))) if columns else [[] for _ in props]
        return cls(len(lead), constant, tuple(varying), rows)


def _set_clause(var: str, columns: _Columns | None) -> str:
    """``SET`` one property at a time for a created entity, or the whole map when that is not possible.

    Measured at 10^5 ties (same server, same run): ``SET r = row.props`` ran at 1.9k ties/s where
    one ``SET r.`k` = …`` per key ran at 2.5k/s, the rate of the server alone writing literal
    values; most of the difference was in the commit. Only plain names (letters, digits, ``_``,
    what validation lets through) are written into the text, backquoted (:class:`_Columns`);
    anything else, which validation will refuse anyway, keeps the map form so that no user text
    reaches a query. On a created entity a value that is null sets nothing: both forms agree.
    """
    if columns is None:
        return f"SET {var} = row.props"
    shared = [f"{var}.`{name}` = $c.`{name}`" for name in sorted(columns.constant)]
    varying = [f"{var}.`{name}` = row[{columns.lead + i}]" for i, name in enumerate(columns.varying)]
    return "SET " + ", ".join(shared + varying) if shared or varying else ""


def _node_hashes_query(primary: str) -> LiteralString:
    label = _check_identifier(primary, NODE_SPECS)
    text = (
        f"MATCH (n:{label}) USING INDEX SEEK n:{label}(id) WHERE n.id IN $ids RETURN n.id AS id, n.content_hash AS hash"
    )
    return cast(LiteralString, text)


def _rel_query(
    rel_type: str, *, create: bool, columns: _Columns | None = None, by_element_id: bool = False
) -> LiteralString:
    """Write relationships: CREATE those proved new, MERGE (on ``rel_key``) the rest.

    CREATE is only used for a relationship with an endpoint created in this very transaction: no
    other transaction can see that node, so no twin can exist. MERGE does an expand over the
    source's relationships per row, which is what makes it slow on hub nodes (a よろず支援拠点
    with thousands of engagements). Created ties travel as :class:`_Columns` (a row is a list, its
    ends first), merged ones as maps.

    ``by_element_id``: both ends were created in this transaction, and each row leads with their
    element ids (returned by the node's CREATE), so each end is one ``NodeByElementIdSeek``
    rather than a seek in the ``id`` index (measured at 10^5 ties: 1.7 against 2.1 server CPU-s
    for the statements).
    """
    spec = REL_SPECS[_check_identifier(rel_type, REL_SPECS)]
    source, target = ("row[0]", "row[1]") if create and columns is not None else ("row.s", "row.t")
    write = (
        f"CREATE (a)-[r:{spec.type}]->(b) {_set_clause('r', columns)}"
        if create
        else f"MERGE (a)-[r:{spec.type} {{rel_key: row.props.rel_key}}]->(b) SET r += row.props"
    )
    if by_element_id and create and columns is not None:
        ends = f"MATCH (a) WHERE elementId(a) = {source}\nMATCH (b) WHERE elementId(b) = {target}"
    else:
        ends = (
            f"MATCH (a:{spec.source} {{id: {source}}}) USING INDEX SEEK a:{spec.source}(id)\n"
            f"MATCH (b:{spec.target} {{id: {target}}}) USING INDEX SEEK b:{spec.target}(id)"
        )
    text = f"""
UNWIND $rows AS row
{ends}
{write}
RETURN count(r) AS written"""
    return cast(LiteralString, text)


def _rel_changes_query(rel_type: str) -> LiteralString:
    """The ties of ``$rows`` that are absent (``stored`` null) or whose stored hash is not ``row.h``.

    Both ends are found by index seek; the subquery receives them bound, so its match is an
    Expand(Into), which walks the end with fewer ties: a hub with thousands of engagements (or a
    region with every organisation ``LOCATED_IN`` it) is never walked per row. A plain ``WITH`` is
    not enough: the planner merges it away and, on stale statistics, expanded from either end.
    The hashes are compared on the server, so an unchanged reload sends nothing back (measured
    at 10^5 unchanged ties: 3.2–4.3 s instead of 5.7–6.5 s for returning every stored hash). The
    ends are optional so that a tie whose end has vanished since validation (a concurrent
    ``clear``) comes back absent and the write then refuses it, instead of passing as unchanged.
    """
    spec = REL_SPECS[_check_identifier(rel_type, REL_SPECS)]
    text = f"""
UNWIND $rows AS row
OPTIONAL MATCH (a:{spec.source} {{id: row.s}}) USING INDEX SEEK a:{spec.source}(id)
OPTIONAL MATCH (b:{spec.target} {{id: row.t}}) USING INDEX SEEK b:{spec.target}(id)
CALL (row, a, b) {{
  OPTIONAL MATCH (a)-[r:{spec.type} {{rel_key: row.k}}]->(b)
  RETURN r.content_hash AS stored
}}
WITH row, stored WHERE stored IS NULL OR stored <> row.h
RETURN row.i AS i, stored"""
    return cast(LiteralString, text)


def _differing_ties(tx: ManagedTransaction, rel_type: str, rows: list[RelRow]) -> dict[int, str | None]:
    """Index in ``rows`` → stored hash (None: absent) of every tie that is new or changed."""
    differing: dict[int, str | None] = {}
    encode = _as_maps(_rel_changes_query(rel_type), _change_params)
    for result, _ in _pipelined(tx, encode, list(enumerate(rows))):
        differing.update((record["i"], record["stored"]) for record in result)
    return differing


def _node_params(row: NodeRow) -> dict[str, Any]:
    return {"id": row.id, "props": {**row.props, "content_hash": row.hash}}


def _rel_params(rel: RelRow) -> dict[str, Any]:
    return {"s": rel.source, "t": rel.target, "props": {**rel.props, "rel_key": rel.key, "content_hash": rel.hash}}


def _change_params(item: tuple[int, RelRow]) -> dict[str, Any]:
    i, rel = item
    return {"i": i, "s": rel.source, "t": rel.target, "k": rel.key, "h": rel.hash}


def _chunks(rows: list[_T]) -> Iterable[list[_T]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


#: A chunk's query text and the parameters that write it.
_Encoded = tuple[LiteralString, dict[str, Any]]
#: One chunk of rows → the query text and parameters that write it.
_Encode = Callable[[list[_T]], _Encoded]


def _as_maps(query: LiteralString, params: Callable[[_T], dict[str, Any]]) -> _Encode[_T]:
    """Rows as ``$rows``, one map each, for a fixed query."""
    return lambda chunk: (query, {"rows": [params(row) for row in chunk]})


def _created_nodes(primary: str, roles: tuple[str, ...]) -> _Encode[NodeRow]:
    """New nodes as :class:`_Columns` (their ``id`` is one of their properties)."""

    def encode(chunk: list[NodeRow]) -> tuple[LiteralString, dict[str, Any]]:
        columns = _by_content(chunk, [], {"id": [row.id for row in chunk]}) or _Columns.of(
            [], [row.props for row in chunk], {"content_hash": [row.hash for row in chunk]}
        )
        if columns is None:
            return _node_create_query(primary, roles), {"rows": [_node_params(row) for row in chunk]}
        return _node_create_query(primary, roles, columns), {"rows": columns.rows, "c": columns.constant}

    return encode


def _created_ties(rel_type: str, made: Mapping[str, str] | None = None) -> _Encode[RelRow]:
    """New ties as :class:`_Columns`, their two ends leading each row.

    With ``made`` (the element id of each node created in this transaction, which holds both ends
    of every tie in the chunk) the ends lead as element ids (:func:`_rel_query`'s ``by_element_id``).
    """

    def encode(chunk: list[RelRow]) -> tuple[LiteralString, dict[str, Any]]:
        sources, targets = list(map(_SOURCE, chunk)), list(map(_TARGET, chunk))
        lead = [sources, targets]
        if made is not None:
            lead = [list(map(made.__getitem__, ends)) for ends in lead]
        columns = _by_content(chunk, lead, {}, {"rel_key": [rel.key for rel in chunk]})
        if columns is None:
            extra = {"rel_key": [rel.key for rel in chunk], "content_hash": [rel.hash for rel in chunk]}
            columns = _Columns.of(lead, [rel.props for rel in chunk], extra)
        if columns is None:  # the map form names ends by their ids
            return _rel_query(rel_type, create=True), {"rows": [_rel_params(rel) for rel in chunk]}
        query = _rel_query(rel_type, create=True, columns=columns, by_element_id=made is not None)
        return query, {"rows": columns.rows, "c": columns.constant}

    return encode


def _by_content(
    chunk: list[NodeRow] | list[RelRow],
    lead: list[list[Any]],
    own: dict[str, list[Any]],
    extra: dict[str, list[Any]] | None = None,
) -> _Columns | None:
    """A chunk of one label set (or type) as columns made and hashed by columns, None when it cannot be.

    Its rows' lazy contents are never built (:func:`graph.content_columns.content_columns`).
    """
    first = chunk[0]
    if isinstance(first, NodeRow):
        kinds = set(map(_LABELS, chunk))
        labels = first.labels
    else:
        kinds = set(map(_TYPE, chunk))
        labels = (first.type,)
    if len(kinds) != 1:
        return None
    content = content_columns(list(map(_LOADED, chunk)), labels, first.provenance, own)
    if content is None:
        return None
    return _Columns.of_content(lead, content, {**(extra or {}), "content_hash": content.hashes})


_LOADED = operator.attrgetter("loaded")
_SOURCE = operator.attrgetter("source")
_TARGET = operator.attrgetter("target")
_LABELS = operator.attrgetter("labels")
_TYPE = operator.attrgetter("type")


#: Chunks the producer thread prepares ahead of the one being sent (each holds one chunk's parameters).
_AHEAD = 2


def _prefetched(encode: _Encode[_T], chunks: list[list[_T]]) -> Iterator[tuple[list[_T], _Encoded]]:
    """Each chunk with its query and parameters, prepared by a producer thread up to :data:`_AHEAD` ahead.

    Preparing a chunk (its rows' properties and content hashes, then the columns the driver
    encodes) is the client's Python work. The transaction's thread spends most of a load blocked on
    the socket, which releases the GIL, so a second thread preparing the next chunks meanwhile runs
    beside the server instead of between its queries. The queue is bounded: at most ``_AHEAD``
    chunks' parameters are held at once. An error in the producer is raised here, in the
    transaction function, so the transaction rolls back and the caller sees the same error as when
    chunks were prepared inline; leaving early cancels what is queued and waits for the chunk in hand.
    """
    if len(chunks) < 2:
        yield from ((chunk, encode(chunk)) for chunk in chunks)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipeco-prepare") as pool:
        queued: deque[Future[_Encoded]] = deque(pool.submit(encode, chunk) for chunk in chunks[:_AHEAD])
        try:
            for i, chunk in enumerate(chunks):
                encoded = queued.popleft().result()
                if i + _AHEAD < len(chunks):
                    queued.append(pool.submit(encode, chunks[i + _AHEAD]))
                yield chunk, encoded
        finally:
            for future in queued:
                future.cancel()


def _pipelined(tx: ManagedTransaction, encode: _Encode[_T], rows: list[_T]) -> Iterator[tuple[Result, list[_T]]]:
    """Run ``rows`` in chunks, each sent while the server still executes the one before.

    ``tx.run`` returns once the server has accepted the query (Bolt pipelines RUN and PULL), and
    the chunks are prepared ahead by :func:`_prefetched`, so the Python work of turning rows into
    parameters overlaps the database's work instead of adding to it. Each chunk's result and rows
    are yielded once the next chunk is sent.
    """
    pending: tuple[Result, list[_T]] | None = None
    for chunk, (query, params) in _prefetched(encode, list(_chunks(rows))):
        result = tx.run(query, params)
        if pending is not None:
            yield pending
        pending = (result, chunk)
    if pending is not None:
        yield pending


def _run_pipelined(
    tx: ManagedTransaction, encode: _Encode[_T], rows: list[_T], check: Callable[[int, list[_T]], None]
) -> None:
    """Write ``rows`` through :func:`_pipelined`; ``check`` sees each chunk's ``written`` count."""
    for result, chunk in _pipelined(tx, encode, rows):
        check(result.single(strict=True)["written"], chunk)


def _expect_all(label: str) -> Callable[[int, list[NodeRow]], None]:
    def check(written: int, chunk: list[NodeRow]) -> None:
        if written != len(chunk):
            msg = f"wrote {written} of {len(chunk)} {label} nodes; nothing was written"
            raise ValueError(msg)

    return check


def _expect_endpoints(tx: ManagedTransaction, rel_type: str) -> Callable[[int, list[RelRow]], None]:
    def check(written: int, chunk: list[RelRow]) -> None:
        if written != len(chunk):
            missing = _first_missing_endpoint(tx, rel_type, chunk)
            msg = f"{rel_type} points at a node that is not in the store ({missing}); nothing was written"
            raise ValueError(msg)

    return check


def _first_missing_endpoint(tx: ManagedTransaction, rel_type: str, rows: list[RelRow]) -> str:
    spec = REL_SPECS[rel_type]
    ids = [row.source for row in rows] + [row.target for row in rows]
    query = cast(
        LiteralString,
        f"UNWIND $ids AS id OPTIONAL MATCH (n:{spec.source}|{spec.target} {{id: id}}) "
        "WITH id, n WHERE n IS NULL RETURN id LIMIT 1",
    )
    record = tx.run(query, ids=ids).single()
    return record["id"] if record else "unknown"


@dataclass
class _Groups:
    """A load's rows grouped the way they are written: nodes by labels, ties by type."""

    nodes: dict[tuple[str, tuple[str, ...]], list[NodeRow]]
    rels: dict[str, list[RelRow]]

    @classmethod
    def of(cls, nodes: list[NodeRow], rels: list[RelRow]) -> _Groups:
        node_groups: dict[tuple[str, tuple[str, ...]], list[NodeRow]] = defaultdict(list)
        for row in nodes:
            node_groups[(row.primary, tuple(lab for lab in row.labels if lab in ROLE_LABELS))].append(row)
        rel_groups: dict[str, list[RelRow]] = defaultdict(list)
        for rel in rels:
            rel_groups[rel.type].append(rel)
        return cls(node_groups, rel_groups)


def _write_all(
    tx: ManagedTransaction, groups: _Groups, before_commit: Callable[[], None], *, lookups: bool = True
) -> LoadSummary:
    """Write every group in ``tx``; ``before_commit`` may still refuse the load (validation's verdict).

    The stored content hashes are read first and only new or changed rows are written: unchanged
    rows cost one index seek, new ones are CREATEd (no per-row expand, no Eager barrier). Without
    ``lookups`` (the store had no node a moment ago) every node is taken as new: a node stored
    since then makes its CREATE fail on the uniqueness constraint, and the load runs again with them.
    """
    summary = LoadSummary()
    made: dict[str, str] = {}
    for (primary, roles), rows in groups.nodes.items():
        made.update(_write_nodes(tx, primary, roles, rows, summary, lookups=lookups))
    for rel_type, ties in groups.rels.items():
        _write_ties(tx, rel_type, ties, made, summary)
    before_commit()
    tx.run(BUMP_VERSION).consume()
    return summary


def _stored_hashes(tx: ManagedTransaction, primary: str, rows: list[NodeRow]) -> dict[str, str]:
    stored: dict[str, str] = {}
    for chunk in _chunks([row.id for row in rows]):
        stored.update((r["id"], r["hash"]) for r in tx.run(_node_hashes_query(primary), ids=chunk))
    return stored


def _write_nodes(
    tx: ManagedTransaction,
    primary: str,
    roles: tuple[str, ...],
    rows: list[NodeRow],
    summary: LoadSummary,
    *,
    lookups: bool = True,
) -> dict[str, str]:
    """CREATE the new nodes of one label group, MERGE the changed ones; return the created ones' element ids by id."""
    stored = _stored_hashes(tx, primary, rows) if lookups else {}
    new = [row for row in rows if row.id not in stored]
    changed = [row for row in rows if row.id in stored and stored[row.id] != row.hash]
    summary.nodes_created += len(new)
    summary.nodes_updated += len(changed)
    summary.nodes_unchanged += len(rows) - len(new) - len(changed)
    check = _expect_all(primary)
    made: dict[str, str] = {}
    for result, chunk in _pipelined(tx, _created_nodes(primary, roles), new):
        record = result.single(strict=True)
        check(record["written"], chunk)
        made.update(record["made"])
    _run_pipelined(tx, _as_maps(_node_query(primary, roles), _node_params), changed, check)
    return made


def _write_ties(
    tx: ManagedTransaction, rel_type: str, ties: list[RelRow], made: Mapping[str, str], summary: LoadSummary
) -> None:
    """CREATE the ties with an end created in this transaction, MERGE the other new or changed ones.

    A tie whose two ends were both created here (``made``: their element ids) finds them by element
    id; one with a single new end finds both by the ``id`` index.
    """
    inner = [r for r in ties if r.source in made and r.target in made]
    edge = [r for r in ties if (r.source in made) != (r.target in made)]
    maybe = [r for r in ties if r.source not in made and r.target not in made]
    differing = _differing_ties(tx, rel_type, maybe)
    absent = [maybe[i] for i, stored in differing.items() if stored is None]
    changed = [maybe[i] for i, stored in differing.items() if stored is not None]
    summary.relationships_created += len(inner) + len(edge) + len(absent)
    summary.relationships_updated += len(changed)
    summary.relationships_unchanged += len(maybe) - len(absent) - len(changed)
    check = _expect_endpoints(tx, rel_type)
    _run_pipelined(tx, _created_ties(rel_type, made), inner, check)
    _run_pipelined(tx, _created_ties(rel_type), edge, check)
    _run_pipelined(tx, _as_maps(_rel_query(rel_type, create=False), _rel_params), absent + changed, check)


class Neo4jStore(Store):
    """The property graph in a Neo4j database (local server, Docker, cluster or Aura)."""

    name = "neo4j"
    #: The local server's data folder (``ipeco db start``), whose free space a load checks first;
    #: None for a server elsewhere (NEO4J_URI), whose disk this process cannot see.
    data_dir: Path | None = None
    #: :meth:`known_labels` found no node: the next write may skip reading stored hashes once.
    _seen_empty: bool = False

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        lock_wait: float = DEFAULT_LOCK_WAIT,
        timeout: float | None = None,
    ) -> None:
        self.uri = uri
        self.database = database
        self.lock_wait = lock_wait
        # ``timeout`` bounds connecting (TCP and the Bolt handshake) and taking a connection from the
        # pool: a frozen server (a long GC pause, a hung disk) accepts the TCP connection and then says
        # nothing, and the driver's defaults (30 s, 60 s) would hold the caller that long. The web app
        # passes a few seconds; loads keep the defaults.
        limits: dict[str, Any] = {}
        if timeout is not None:
            limits = {"connection_timeout": timeout, "connection_acquisition_timeout": timeout}
        try:
            # A second load waits on the first one's locks inside the server, for as long as that
            # takes; the driver retries what surfaces as transient (a deadlock between the two) for
            # its 30 s, and a twin node is retried below. ``lock_wait`` bounds the embedded store's wait.
            self._auth, self._limits = (user, password), limits
            self._driver: Driver = GraphDatabase.driver(uri, auth=self._auth, **limits)
            self._driver.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            msg = f"cannot reach Neo4j at {uri}: is it running? (`ipeco db start` runs a local one)"
            raise StoreUnavailable(msg) from exc
        except AuthError as exc:
            msg = f"Neo4j at {uri} refused the user {user!r}: check NEO4J_USER / NEO4J_PASSWORD"
            raise StoreUnavailable(msg) from exc
        except Neo4jError as exc:  # a server whose disk is full fails even the connectivity check
            if _critical(exc) or _disk_full(exc):
                raise StoreUnavailable(_critical_message(uri)) from exc
            raise
        self.ensure_schema()

    def preflight(self, batch: Batch) -> None:
        """Refuse a load whose transaction would not fit the local server's disk (``graph.dumps``)."""
        if self.data_dir is not None:
            from graph.dumps import check_free_space  # dumps imports the server manager: only local loads pay

            check_free_space(self.data_dir, len(batch.nodes) + len(batch.relationships))

    @property
    def driver(self) -> Driver:
        return self._driver

    def own_driver(self) -> Driver:
        """A new driver to the same server, user and limits, for one guarded call (graph.query) to own.

        The shared :attr:`driver` cannot close one call's connection without closing everyone's. A call
        that owns its driver can: once its deadline has passed, closing the driver says GOODBYE on its
        connections and the server ends the transactions they hold, even one whose client thread never
        reads the server's answer again (a terminated transaction waits for its client, for ever).
        The new connection costs a call about 3 ms (``RETURN 1``: 4.8 ms p50 pooled, 7.3-8.3 ms own; loopback).
        """
        return GraphDatabase.driver(self.uri, auth=self._auth, **self._limits)

    def _run(self, query: LiteralString, routing: RoutingControl = RoutingControl.READ, **params: Any) -> list[Any]:
        try:
            records, _, _ = self._driver.execute_query(
                Query(query, timeout=_NO_TIMEOUT), parameters_=params, database_=self.database, routing_=routing
            )
        except (ServiceUnavailable, SessionExpired) as exc:
            msg = f"lost the connection to Neo4j at {self.uri}: {exc}"
            raise StoreUnavailable(msg) from exc
        except Neo4jError as exc:
            if _critical(exc) or _disk_full(exc):
                raise StoreUnavailable(_critical_message(self.uri)) from exc
            raise
        return records

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (idempotent)."""
        for statement in constraint_statements():
            self._run(cast(LiteralString, statement), RoutingControl.WRITE)

    def _load_session(self) -> Session:
        """A session for the load path that does not ask the server for UNRECOGNIZED notifications.

        On a first load into an empty database every query names labels and properties
        (``content_hash``) that do not exist yet; the server then sends one multi-line "property
        key does not exist" warning per label and query, which says nothing to a user (issue 13).
        Other categories (performance, hints, deprecations) stay visible.
        """
        return self._driver.session(
            database=self.database,
            notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
        )

    def known_labels(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored primary label of each of ``ids`` that is in the store.

        A store with no node yet (a first load) answers at once: one ``LIMIT 1`` scan instead of one
        lookup of every id per label (measured at 2×10^4 ids: 1.8–4.6 s of a 10^5-tie first load).
        """
        wanted = list(set(ids))
        found: dict[str, str] = {}
        try:
            with self._load_session() as session:
                self._seen_empty = session.run(_ANY_NODE).single() is None
                if self._seen_empty:
                    return found
                for label in NODE_SPECS:
                    records = session.run(Query(_node_hashes_query(label), timeout=_NO_TIMEOUT), ids=wanted)
                    found.update((r["id"], label) for r in records)
        except (ServiceUnavailable, SessionExpired) as exc:
            msg = f"lost the connection to Neo4j at {self.uri}: {exc}"
            raise StoreUnavailable(msg) from exc
        except Neo4jError as exc:
            if _critical(exc) or _disk_full(exc):
                raise StoreUnavailable(_critical_message(self.uri)) from exc
            raise
        return found

    def _write_rows(
        self, nodes: list[NodeRow], rels: list[RelRow], before_commit: Callable[[], None] = lambda: None
    ) -> LoadSummary:
        """Write the rows in one managed transaction (see :func:`_write_all`), retried on a twin node.

        Right after :meth:`known_labels` found the store empty (a first load), the first attempt
        reads no stored hashes: there is none to read (measured: one index seek per node saved).
        """
        groups = _Groups.of(nodes, rels)
        lookups = [not self._seen_empty]
        self._seen_empty = False

        def work(tx: ManagedTransaction) -> LoadSummary:
            try:
                return _write_all(tx, groups, before_commit, lookups=lookups[0])
            except TransientError as exc:
                final = self._final_transient(exc, len(nodes), len(rels))
                if final is None:
                    raise
                raise final from exc

        # Two loads that both create the same new node: the second one's CREATE waits on the
        # uniqueness constraint until the first commits, then fails with a ConstraintError. The
        # driver does not retry client errors, but this one is transient: run again, the node is
        # now stored, so the load reads its hash and MERGEs (idempotent) instead of creating it.
        for attempt in range(_TWIN_RETRIES + 1):
            try:
                with self._load_session() as session:
                    return session.execute_write(unit_of_work(timeout=_NO_TIMEOUT)(work))
            except ConstraintError as exc:
                if attempt == _TWIN_RETRIES:
                    msg = (
                        f"other loads kept creating the same nodes as this one ({_TWIN_RETRIES + 1} tries); "
                        "nothing was written: run this load again when they have finished"
                    )
                    raise StoreBusy(msg) from exc
                lookups[0] = True
                self.notify("another load created some of the same nodes first; writing this load again")
            except (ServiceUnavailable, SessionExpired, Neo4jError) as exc:
                failure = self._load_failure(exc)
                if failure is None:
                    raise
                raise failure from exc
        raise AssertionError("unreachable")

    def _final_transient(self, exc: TransientError, nodes: int, rels: int) -> Exception | None:
        """The error for a "transient" failure that retrying cannot cure (None: let the driver retry).

        The driver would try again for 30 s: a transaction over the memory limit, or a database that
        panicked (a full disk), fails the same way every time.
        """
        if _critical(exc) or _disk_full(exc):
            return self._load_failure(exc)
        if exc.code not in _MEMORY_LIMIT_CODES:
            return None
        size = f" ({nodes:,} nodes, {rels:,} relationships)" if nodes or rels else ""
        msg = (
            f"this load{size} needs more transaction "
            "memory than Neo4j allows; nothing was written. Give the server a larger heap "
            "(IPECO_NEO4J_HEAP, then `ipeco db stop && ipeco db start`) or load the file in parts"
        )
        return LoadTooLarge(msg)

    def _load_failure(self, exc: Exception) -> Exception | None:
        """The error a failed load reports for ``exc`` (None: re-raise ``exc`` as it is).

        Every mapped failure says nothing was written: the load runs in one transaction.
        """
        if isinstance(exc, (ServiceUnavailable, SessionExpired)):
            return StoreUnavailable(
                f"lost the connection to Neo4j at {self.uri} during the load; nothing was written: {exc}"
            )
        if isinstance(exc, Neo4jError) and _disk_full(exc):
            where = f"its data folder {self.data_dir}" if self.data_dir else "the server's disk"
            return DiskFull(
                f"Neo4j at {self.uri} ran out of disk space writing its transaction log ({where}); nothing was "
                f"written. {_RESTART_ADVICE}"
            )
        if isinstance(exc, Neo4jError) and _critical(exc):
            return StoreUnavailable(_critical_message(self.uri))
        if isinstance(exc, TransientError) and exc.code in _MEMORY_LIMIT_CODES:
            return self._final_transient(exc, 0, 0)  # surfaced at commit, past the transaction function
        if isinstance(exc, TransientError):
            return StoreBusy(
                f"Neo4j at {self.uri} stayed busy with other transactions ({exc.code}); "
                "nothing was written: run this load again when they have finished"
            )
        return None

    def read_graph_all(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        reserved = ReservedOnRead()
        nodes = self._run(
            "MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
        )
        for record in sorted(nodes, key=lambda r: r["id"]):
            props = reserved.node(record["id"], {k: v for k, v in record["props"].items() if k not in INTERNAL_PROPS})
            graph.add_node(record["id"], **props, labels=ordered_labels(record["labels"]))
        rels = self._run(
            "MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS type, b.id AS t, r.rel_key AS k, properties(r) AS props"
        )
        for record in sorted(rels, key=lambda r: (r["s"], r["type"], r["t"], r["k"] or "")):
            where = f"{record['s']} -{record['type']}-> {record['t']}"
            props = reserved.edge(where, {k: v for k, v in record["props"].items() if k not in INTERNAL_PROPS})
            graph.add_edge(
                record["s"], record["t"], key=f"{record['type']}|{record['k'] or ''}", **props, type=record["type"]
            )
        reserved.report(self.notify)
        return graph

    def write_node_properties(self, values: Mapping[str, Mapping[str, Any]]) -> int:
        labels = self.known_labels(values)
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node_id, props in values.items():
            if node_id in labels:
                groups[labels[node_id]].append(
                    {"id": node_id, "props": {k: v for k, v in props.items() if v is not None}}
                )

        def work(tx: ManagedTransaction) -> int:
            touched = 0
            for label, rows in groups.items():
                query = cast(
                    LiteralString,
                    f"UNWIND $rows AS row MATCH (n:{_check_identifier(label, NODE_SPECS)} {{id: row.id}}) "
                    "SET n += row.props RETURN count(n) AS c",
                )
                for chunk in _chunks(rows):
                    touched += tx.run(query, rows=chunk).single(strict=True)["c"]
            tx.run(BUMP_VERSION).consume()
            return touched

        with self._driver.session(database=self.database) as session:
            return session.execute_write(unit_of_work(timeout=_NO_TIMEOUT)(work))

    def clear(self) -> None:
        with self._driver.session(database=self.database) as session:
            session.run(
                Query(
                    "MATCH (n) WHERE NOT n:IpecoMeta CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
                    timeout=_NO_TIMEOUT,
                )
            ).consume()
        self._run(BUMP_VERSION, RoutingControl.WRITE)

    def data_version(self) -> str:
        records = self._run("MATCH (m:IpecoMeta {key: 'data'}) RETURN m.epoch AS epoch, m.writes AS writes")
        return f"{records[0]['epoch']}:{records[0]['writes']}" if records else "new:0"

    def close(self) -> None:
        """Close the driver; a connection still held by a stopped query's worker thread may not close cleanly.

        After a guarded query times out (graph.query), its worker thread can still be reading from its
        socket when the command ends. Closing that connection under it raises ``BufferError`` (the read
        buffer is exported to the socket) or a driver error; the process is ending and the server has been
        told to terminate the transaction, so those are not the user's problem.
        """
        close_quietly(self._driver)


def close_quietly(driver: Driver) -> None:
    """Close ``driver``; a connection still read by another thread may not close cleanly (``BufferError``:
    the read buffer is exported to the socket; or a driver error). Its GOODBYE has been sent by then,
    which is what makes the server end the connection's transaction."""
    with contextlib.suppress(BufferError, DriverError, OSError):
        driver.close()


#: What to do once the server has panicked (a full disk, a torn log): said by every such error.
_RESTART_ADVICE = (
    "Free space under Neo4j's data folder, then restart it: `ipeco db stop && ipeco db start`; if it cannot "
    "recover, `ipeco db restore` puts back the last dump (`ipeco db dump` takes one; a large load takes one first)"
)

#: Words of Neo4j's failures when its disk fills up, and of the OS's own ENOSPC. Seen on 5.26 with
#: the data folder on a full tmpfs: every query, reads too, fails with "java.io.IOException: Exception
#: in the page eviction thread" (the server's log adds "No space left on device"); a load that
#: cannot append to its log fails with a ``TransactionLogError`` that speaks of the log, not the disk.
_DISK_FULL_WORDS = (
    "no space left on device",
    "exception in the page eviction thread",
    "disk is full",
    "disk space",
    "transactionlogerror",
    "could not append transaction",
    "could not append to the transaction log",
    "error writing transaction log",
)
#: Words of a database that panicked and refuses work until the server restarts.
_CRITICAL_WORDS = ("critical error", "needs to be restarted", "database panic", "kernel has encountered")


def _text_of(exc: Neo4jError) -> str:
    return f"{exc.code} {exc.message or ''} {exc} {exc.__cause__ or ''}".lower()


def _disk_full(exc: Neo4jError) -> bool:
    """Neo4j's own wording when its store or transaction-log disk is full (the database then panics)."""
    text = _text_of(exc)
    return any(words in text for words in _DISK_FULL_WORDS)


def _critical(exc: Neo4jError) -> bool:
    """The database panicked ("encountered a critical error, and needs to be restarted")."""
    text = _text_of(exc)
    return any(words in text for words in _CRITICAL_WORDS)


def _critical_message(uri: str) -> str:
    return (
        f"Neo4j at {uri} hit a critical error and refuses work until it is restarted (most often its disk "
        f"filled up). {_RESTART_ADVICE}"
    )

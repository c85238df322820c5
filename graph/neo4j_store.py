"""The Neo4j store, through the official ``neo4j`` driver (py2neo is end-of-life).

Writes follow the driver team's advice: batched ``UNWIND $rows … MERGE`` on
uniqueness-constrained ``id`` keys, the database named explicitly, and one managed write
transaction per load whose function is idempotent, because the driver may retry it. Labels and
relationship types cannot be parameters in Cypher, so they are written into the query text, but
only after validation has checked them against ``graph.schema``: no user text reaches a query
except through parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, LiteralString, cast

import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction, Query, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph.schema import NODE_SPECS, REL_SPECS, ROLE_LABELS, ordered_labels
from graph.store import LoadSummary, NodeRow, RelRow, Store, StoreUnavailable

__all__ = ["INTERNAL_PROPS", "Neo4jStore", "constraint_statements"]

#: Bookkeeping properties the store keeps on the database side and never hands back.
INTERNAL_PROPS = ("content_hash", "rel_key")

#: Rows per UNWIND; large enough to amortise round trips, small enough for a 1 GiB heap.
CHUNK = 10_000

def constraint_statements() -> list[str]:
    """Uniqueness constraints on every primary label's ``id`` and lookup indexes, from the schema."""
    statements = [
        f"CREATE CONSTRAINT ipeco_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_SPECS
    ]
    statements += [
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
    label = _check_identifier(primary, NODE_SPECS)
    extra = "".join(f":{_check_identifier(r, ROLE_LABELS)}" for r in roles)
    set_roles = f"n{extra}, " if extra else ""
    text = f"""
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
SET {set_roles}n += row.props, n.content_hash = row.hash
RETURN count(n) AS written"""
    return cast(LiteralString, text)


def _node_hashes_query(primary: str) -> LiteralString:
    label = _check_identifier(primary, NODE_SPECS)
    return cast(LiteralString, f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, n.content_hash AS hash")


def _rel_query(rel_type: str) -> LiteralString:
    spec = REL_SPECS[_check_identifier(rel_type, REL_SPECS)]
    text = f"""
UNWIND $rows AS row
MATCH (a:{spec.source} {{id: row.s}})
MATCH (b:{spec.target} {{id: row.t}})
MERGE (a)-[r:{spec.type} {{rel_key: row.k}}]->(b)
SET r += row.props, r.content_hash = row.hash
RETURN count(r) AS written"""
    return cast(LiteralString, text)


def _rel_hashes_query(rel_type: str) -> LiteralString:
    spec = REL_SPECS[_check_identifier(rel_type, REL_SPECS)]
    text = f"""
UNWIND $rows AS row
MATCH (a:{spec.source} {{id: row.s}})-[r:{spec.type} {{rel_key: row.k}}]->(b:{spec.target} {{id: row.t}})
RETURN row.i AS i, r.content_hash AS hash"""
    return cast(LiteralString, text)


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _first_missing_endpoint(tx: ManagedTransaction, rel_type: str, rows: list[dict[str, Any]]) -> str:
    spec = REL_SPECS[rel_type]
    ids = [row["s"] for row in rows] + [row["t"] for row in rows]
    query = cast(
        LiteralString,
        f"UNWIND $ids AS id OPTIONAL MATCH (n:{spec.source}|{spec.target} {{id: id}}) "
        "WITH id, n WHERE n IS NULL RETURN id LIMIT 1",
    )
    record = tx.run(query, ids=ids).single()
    return record["id"] if record else "unknown"


class Neo4jStore(Store):
    """The property graph in a Neo4j database (local server, Docker, cluster or Aura)."""

    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri = uri
        self.database = database
        try:
            self._driver: Driver = GraphDatabase.driver(uri, auth=(user, password))
            self._driver.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            msg = f"cannot reach Neo4j at {uri}: is it running? (`ipeco db start` runs a local one)"
            raise StoreUnavailable(msg) from exc
        except AuthError as exc:
            msg = f"Neo4j at {uri} refused the user {user!r}: check NEO4J_USER / NEO4J_PASSWORD"
            raise StoreUnavailable(msg) from exc
        self.ensure_schema()

    @property
    def driver(self) -> Driver:
        return self._driver

    def _run(self, query: LiteralString, routing: RoutingControl = RoutingControl.READ, **params: Any) -> list[Any]:
        try:
            records, _, _ = self._driver.execute_query(
                query, parameters_=params, database_=self.database, routing_=routing
            )
        except (ServiceUnavailable, SessionExpired) as exc:
            msg = f"lost the connection to Neo4j at {self.uri}: {exc}"
            raise StoreUnavailable(msg) from exc
        return records

    def ensure_schema(self) -> None:
        """Create the constraints and indexes (idempotent)."""
        for statement in constraint_statements():
            self._run(cast(LiteralString, statement), RoutingControl.WRITE)

    def known_labels(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = list(set(ids))
        found: dict[str, str] = {}
        for label in NODE_SPECS:
            query = cast(LiteralString, f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id")
            found.update((r["id"], label) for r in self._run(query, ids=wanted))
        return found

    def _write_rows(self, nodes: list[NodeRow], rels: list[RelRow]) -> LoadSummary:
        node_groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
        for row in nodes:
            roles = tuple(lab for lab in row.labels if lab in ROLE_LABELS)
            node_groups[(row.primary, roles)].append({"id": row.id, "props": row.props, "hash": row.hash})
        rel_groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rel in rels:
            rel_groups[rel.type].append(
                {"s": rel.source, "t": rel.target, "k": rel.key, "props": rel.props, "hash": rel.hash}
            )

        def work(tx: ManagedTransaction) -> LoadSummary:
            # Read the stored content hashes first and write only new or changed rows: unchanged
            # rows cost one index seek, and the write statements need no Eager read/set barrier.
            summary = LoadSummary()
            for (primary, roles), rows in node_groups.items():
                stored: dict[str, str] = {}
                for chunk in _chunks(rows):
                    ids = [row["id"] for row in chunk]
                    stored.update((r["id"], r["hash"]) for r in tx.run(_node_hashes_query(primary), ids=ids))
                todo = [row for row in rows if stored.get(row["id"]) != row["hash"]]
                created = sum(1 for row in todo if row["id"] not in stored)
                summary.nodes_created += created
                summary.nodes_updated += len(todo) - created
                summary.nodes_unchanged += len(rows) - len(todo)
                query = _node_query(primary, roles)
                for chunk in _chunks(todo):
                    tx.run(query, rows=chunk).consume()
            for rel_type, rows in rel_groups.items():
                rel_stored: dict[int, str] = {}
                indexed = [{**row, "i": i} for i, row in enumerate(rows)]
                for chunk in _chunks(indexed):
                    slim = [{"i": row["i"], "s": row["s"], "t": row["t"], "k": row["k"]} for row in chunk]
                    rel_stored.update((r["i"], r["hash"]) for r in tx.run(_rel_hashes_query(rel_type), rows=slim))
                todo = [row for row in indexed if rel_stored.get(row["i"]) != row["hash"]]
                created = sum(1 for row in todo if row["i"] not in rel_stored)
                summary.relationships_created += created
                summary.relationships_updated += len(todo) - created
                summary.relationships_unchanged += len(rows) - len(todo)
                query = _rel_query(rel_type)
                for chunk in _chunks(todo):
                    written = tx.run(query, rows=chunk).single(strict=True)["written"]
                    if written != len(chunk):
                        missing = _first_missing_endpoint(tx, rel_type, chunk)
                        msg = f"{rel_type} points at a node that is not in the store ({missing}); nothing was written"
                        raise ValueError(msg)
            return summary

        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            msg = f"lost the connection to Neo4j at {self.uri} during the load; nothing was written: {exc}"
            raise StoreUnavailable(msg) from exc

    def read_graph_all(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        nodes = self._run(
            "MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
        )
        for record in sorted(nodes, key=lambda r: r["id"]):
            props = {k: v for k, v in record["props"].items() if k not in INTERNAL_PROPS}
            graph.add_node(record["id"], **props, labels=ordered_labels(record["labels"]))
        rels = self._run(
            "MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS type, b.id AS t, r.rel_key AS k, properties(r) AS props"
        )
        for record in sorted(rels, key=lambda r: (r["s"], r["type"], r["t"], r["k"] or "")):
            props = {k: v for k, v in record["props"].items() if k not in INTERNAL_PROPS}
            graph.add_edge(
                record["s"], record["t"], key=f"{record['type']}|{record['k'] or ''}", **props, type=record["type"]
            )
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
            return touched

        with self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    def clear(self) -> None:
        with self._driver.session(database=self.database) as session:
            session.run(Query("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")).consume()

    def close(self) -> None:
        self._driver.close()

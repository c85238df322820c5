"""The next graph of a bulk or staged load: the live graph streamed out, merged with a load's rows.

Why a whole graph: ``neo4j-admin database import full`` builds a database from nothing, so the
database a staged load switches to must hold everything the live one holds (the bookkeeping nodes
too: the data version, the change log) plus what the load adds, merged exactly as the normal
load's Cypher would merge it (``graph.neo4j_store``):

- a node is identified by its ``id``; a new one is created with the row's properties and content
  hash; a stored one with the same content hash is left as it is (its ``loaded_at`` too); a stored
  one with another hash gets the row's properties over its own (``SET n += props``) and the row's
  labels beside its own;
- a relationship is identified by (start, type, end, ``rel_key``), with the same three cases.

So loading the same file twice changes nothing, whichever way each load went. Nodes without an
``id`` (only the store's ``IpecoMeta`` bookkeeping) are carried over under their element id, which
the import does not store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
from neo4j import READ_ACCESS, Query

from graph.schema import ordered_labels, primary_label
from graph.store import LoadSummary, NodeRow, RelRow

__all__ = ["NextGraph", "RelIdentity", "stream_live"]

#: (start id, type, end id, rel_key): what makes a relationship the same one in every store.
RelIdentity = tuple[str, str, str, str]

#: Every node, keyed by its ``id`` or, lacking one, by a marked element id (never a valid ``id``).
_NODES: Final = Query(
    "MATCH (n) RETURN coalesce(n.id, '~' + elementId(n)) AS key, labels(n) AS labels, properties(n) AS props",
    timeout=0,
)
_RELS: Final = Query(
    "MATCH (a)-[r]->(b) RETURN coalesce(a.id, '~' + elementId(a)) AS s, type(r) AS type, "
    "coalesce(b.id, '~' + elementId(b)) AS t, properties(r) AS props",
    timeout=0,
)


@dataclass
class NextGraph:
    """Nodes (key → labels and stored properties) and relationships (identity → stored properties).

    Stored properties include the store's bookkeeping (``content_hash``, ``rel_key``), which the
    import must write so that later normal loads recognise every record.
    """

    nodes: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=dict)
    rels: dict[RelIdentity, dict[str, Any]] = field(default_factory=dict)

    def known_labels(self) -> dict[str, str]:
        """Primary label of every stored node with an ``id`` (what validation checks ties against)."""
        known = {}
        for key, (labels, _) in self.nodes.items():
            label = primary_label(labels)
            if label is not None and not key.startswith("~"):
                known[key] = label
        return known

    def keyed_nodes(self) -> int:
        """Nodes with an ``id`` (the graph's nodes; bookkeeping nodes left out)."""
        return sum(1 for key in self.nodes if not key.startswith("~"))

    def merge(self, nodes: Iterable[NodeRow], rels: Iterable[RelRow]) -> LoadSummary:
        """Merge a load's rows in as the normal load would write them; what it did, counted the same way.

        The rows are consumed: a new node or tie keeps its row's own property dict (no copy per record).
        """
        summary = LoadSummary()
        for row in nodes:
            stored = self.nodes.get(row.id)
            if stored is None:
                props = row.props
                props["content_hash"] = row.hash
                self.nodes[row.id] = (row.labels, props)
                summary.nodes_created += 1
            elif stored[1].get("content_hash") == row.hash:
                summary.nodes_unchanged += 1
            else:
                labels = tuple(ordered_labels((*stored[0], *row.labels)))
                self.nodes[row.id] = (labels, {**stored[1], **row.props, "content_hash": row.hash})
                summary.nodes_updated += 1
        for rel in rels:
            identity = (rel.source, rel.type, rel.target, rel.key)
            live = self.rels.get(identity)
            if live is not None and live.get("content_hash") == rel.hash:
                summary.relationships_unchanged += 1
                continue
            props = rel.props if live is None else {**live, **rel.props}
            props["rel_key"] = rel.key
            props["content_hash"] = rel.hash
            self.rels[identity] = props
            if live is None:
                summary.relationships_created += 1
            else:
                summary.relationships_updated += 1
        return summary

    def as_networkx(self) -> nx.MultiDiGraph:
        """The graph in the shape ``graph.exports`` writes as neo4j-admin CSV (edge keys ``"TYPE|rel_key"``)."""
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((key, {**props, "labels": list(labels)}) for key, (labels, props) in self.nodes.items())
        graph.add_edges_from(
            (s, t, f"{rel_type}|{key}", {**{k: v for k, v in props.items() if k != "rel_key"}, "type": rel_type})
            for (s, rel_type, t, key), props in self.rels.items()
        )
        return graph


def stream_live(driver: Any, database: str) -> NextGraph:
    """The whole live graph through read-only Cypher (a read session: it cannot write, whatever happens)."""
    graph = NextGraph()
    nodes, rels = graph.nodes, graph.rels
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        # A record unpacks to its values in the query's order; each ``props`` is a new dict of its own.
        for key, labels, props in session.run(_NODES):
            nodes[key] = (tuple(labels), props)
        for start, rel_type, end, props in session.run(_RELS):
            rels[(start, rel_type, end, str(props.get("rel_key") or ""))] = props
    return graph

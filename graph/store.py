"""The store interface shared by the Neo4j and embedded stores, and the store factory.

Both stores hold the same property graph (``graph.schema``) with the same semantics: a load is
validated whole, written in one transaction, and idempotent (content-hashed MERGE); the graph is
read back as a NetworkX ``MultiDiGraph`` whose node and edge attributes are exactly the stored
properties plus ``labels`` (nodes) and ``type`` (edges).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from graph.batch import Batch, BatchError, content_hash, validate_batch
from graph.views import graph_counts, region_view

__all__ = ["LoadSummary", "Store", "StoreUnavailable", "prepared_rows"]


class StoreUnavailable(RuntimeError):
    """The store cannot be reached (Neo4j down, wrong password, unreadable file)."""


@dataclass
class LoadSummary:
    """What a load did: created / updated / unchanged nodes and relationships."""

    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class NodeRow:
    """A node ready to write: provenance filled in and its content hash computed."""

    id: str
    primary: str
    labels: tuple[str, ...]
    props: dict[str, Any]
    hash: str


@dataclass(frozen=True)
class RelRow:
    """A relationship ready to write."""

    type: str
    source: str
    target: str
    key: str
    props: dict[str, Any]
    hash: str


def _with_provenance(props: Mapping[str, Any], source: str, loaded_at: str) -> dict[str, Any]:
    out = {k: v for k, v in props.items() if v is not None}
    out.setdefault("source", source)
    out.setdefault("evidence", "")
    out.setdefault("synthetic", False)
    out["loaded_at"] = loaded_at
    return out


def prepared_rows(batch: Batch, loaded_at: str) -> tuple[list[NodeRow], list[RelRow]]:
    """Fill in provenance, default role-less labels, de-duplicate identical records."""
    nodes: dict[str, NodeRow] = {}
    for node in batch.nodes:
        if node.id in nodes:
            continue
        labels = node.labels if node.primary_label else ("Organization", *node.labels)
        props = _with_provenance(node.props, batch.source, loaded_at)
        props["id"] = node.id
        primary = node.primary_label or "Organization"
        nodes[node.id] = NodeRow(node.id, primary, tuple(labels), props, content_hash(labels, props))
    rels: dict[tuple[str, str, str, str], RelRow] = {}
    for rel in batch.relationships:
        if rel.identity in rels:
            continue
        props = _with_provenance(rel.props, batch.source, loaded_at)
        rels[rel.identity] = RelRow(rel.type, rel.source, rel.target, rel.key, props, content_hash((rel.type,), props))
    return list(nodes.values()), list(rels.values())


class Store(ABC):
    """What every store offers. Subclasses implement the storage primitives."""

    name: str = "store"

    # --- primitives -------------------------------------------------------------------------
    @abstractmethod
    def known_labels(self, ids: Iterable[str]) -> dict[str, str]:
        """Primary label of each of ``ids`` already stored (absent ids are left out)."""

    @abstractmethod
    def _write_rows(self, nodes: list[NodeRow], rels: list[RelRow]) -> LoadSummary:
        """Write all rows in one transaction; raise and write nothing on any failure."""

    @abstractmethod
    def read_graph_all(self) -> nx.MultiDiGraph:
        """The whole stored graph."""

    @abstractmethod
    def write_node_properties(self, values: Mapping[str, Mapping[str, Any]]) -> int:
        """Set computed properties on existing nodes (e.g. analytics scores); returns nodes touched."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship."""

    @abstractmethod
    def close(self) -> None: ...

    # --- shared behaviour -------------------------------------------------------------------
    def validate(self, batch: Batch) -> None:
        """Raise :class:`BatchError` listing every violation of ``batch``."""
        ids = {n.id for n in batch.nodes}
        ids.update(end for r in batch.relationships for end in (r.source, r.target))
        violations = validate_batch(batch, self.known_labels(ids))
        if violations:
            raise BatchError(violations)

    def write_batch(self, batch: Batch, *, dry_run: bool = False) -> LoadSummary:
        """Validate ``batch`` and write it whole in one transaction (or, dry run, only validate)."""
        self.validate(batch)
        if dry_run:
            return LoadSummary(dry_run=True)
        loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
        nodes, rels = prepared_rows(batch, loaded_at)
        return self._write_rows(nodes, rels)

    def read_graph(self, region: str | None = None, *, real_only: bool = False) -> nx.MultiDiGraph:
        """The graph, or one region's view of it, optionally real data only (``graph.views.region_view``)."""
        return region_view(self.read_graph_all(), region, real_only=real_only)

    def counts(self, region: str | None = None, *, real_only: bool = False) -> dict[str, Any]:
        """``{"total_nodes", "total_relationships", "nodes_by_label", "relationships_by_type"}``."""
        return graph_counts(self.read_graph(region, real_only=real_only))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


"""The store interface shared by the Neo4j and embedded stores, and the store factory.

Both stores hold the same property graph (``graph.schema``) with the same semantics: a load is
validated whole, written in one transaction, and idempotent (content-hashed MERGE); the graph is
read back as a NetworkX ``MultiDiGraph`` whose node and edge attributes are exactly the stored
properties plus ``labels`` (nodes) and ``type`` (edges).
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import repeat
from operator import attrgetter
from typing import Any, cast

import networkx as nx

from graph.batch import Batch, BatchError, payload_hash
from graph.errors import ServiceError
from graph.gc_pause import paused_gc
from graph.validation_fast import Clean, checked, quick_check
from graph.validation_worker import violations_beside
from graph.views import graph_counts, region_view

__all__ = [
    "DiskFull",
    "LoadSummary",
    "LoadTooLarge",
    "Store",
    "StoreBusy",
    "StoreUnavailable",
    "prepared_rows",
]

#: Seconds a load waits for another writer before giving up (``IPECO_LOCK_WAIT``, ``ipeco load --wait``).
DEFAULT_LOCK_WAIT = 600.0


class StoreUnavailable(ServiceError):
    """The store cannot be reached (Neo4j down, wrong password, unreadable file)."""


def _silent(message: str) -> None:
    """The default :attr:`Store.notify`: a library call says nothing."""


class StoreBusy(StoreUnavailable):
    """Another writer held the store longer than this load was allowed to wait; nothing was written."""


class DiskFull(StoreUnavailable):
    """The disk under the store filled up during a write; the transaction was rolled back."""


class LoadTooLarge(ServiceError):
    """One load needs more transaction memory than the database allows; nothing was written."""


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


class _LazyContent:
    """Stored properties and content hash of a row, computed together when first asked.

    Laziness lets a store start sending the first rows while later ones are still being prepared
    (and while validation runs beside it, see :meth:`Store.write_batch`). Slots and ``None``
    checks rather than ``functools.cached_property``, whose per-access lock cost a second per
    10^5 rows. Both come from one pass over the loaded values: the hashed payload is the stored
    properties before ``loaded_at`` is added (:func:`graph.batch.content_hash`'s definition).
    """

    __slots__ = ()
    _props: dict[str, Any] | None
    _hash: str | None
    loaded: Mapping[str, Any]
    provenance: tuple[str, str]

    def _hash_labels(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _own_props(self, content: dict[str, Any]) -> None:
        """Add the row's own stored properties (a node's ``id``)."""

    def _build(self) -> None:
        source, loaded_at = self.provenance
        loaded = self.loaded
        if "loaded_at" in loaded or any(map(operator.is_, loaded.values(), repeat(None))):
            content = {k: v for k, v in loaded.items() if v is not None and k != "loaded_at"}
        else:  # the usual row: copied in C instead of a comprehension's frame per row (same keys, same order)
            content = dict(loaded)
        content.setdefault("source", source)
        content.setdefault("evidence", "")
        content.setdefault("synthetic", False)
        self._own_props(content)
        self._hash = payload_hash(self._hash_labels(), content)  # type: ignore[misc]  # slot of the subclass
        content["loaded_at"] = loaded_at
        self._props = content  # type: ignore[misc]  # slot of the subclass

    @property
    def props(self) -> dict[str, Any]:
        if self._props is None:
            self._build()
        return cast(dict[str, Any], self._props)

    @property
    def hash(self) -> str:
        if self._hash is None:
            self._build()
        return cast(str, self._hash)


@dataclass(slots=True)
class NodeRow(_LazyContent):
    """A node ready to write."""

    id: str
    primary: str
    labels: tuple[str, ...]
    loaded: Mapping[str, Any]
    provenance: tuple[str, str]
    _props: dict[str, Any] | None = None
    _hash: str | None = None

    def _own_props(self, content: dict[str, Any]) -> None:
        content["id"] = self.id

    def _hash_labels(self) -> tuple[str, ...]:
        return self.labels


@dataclass(slots=True)
class RelRow(_LazyContent):
    """A relationship ready to write."""

    type: str
    source: str
    target: str
    key: str
    loaded: Mapping[str, Any]
    provenance: tuple[str, str]
    _props: dict[str, Any] | None = None
    _hash: str | None = None

    def _hash_labels(self) -> tuple[str, ...]:
        return (self.type,)


def _batch_ids(batch: Batch) -> set[str]:
    """Every node id a batch names, as a node or as a relationship's end."""
    ids = {n.id for n in batch.nodes}
    ids.update(end for r in batch.relationships for end in (r.source, r.target))
    return ids


def prepared_rows(batch: Batch, loaded_at: str, clean: Clean | None = None) -> tuple[list[NodeRow], list[RelRow]]:
    """Rows to write: provenance attached, role-less labels defaulted, identical records once.

    A batch :func:`graph.validation_fast.quick_check` found ``clean`` repeats no id and no tie,
    and comes with each node's labels and each tie's key: its rows are made by C-level maps.
    """
    provenance = (batch.source, loaded_at)
    if clean is not None:
        return _clean_rows(batch, clean, provenance)
    nodes: dict[str, NodeRow] = {}
    for node in batch.nodes:
        if node.id in nodes:
            continue
        primary = node.primary_label
        labels = tuple(node.labels) if primary else ("Organization", *node.labels)
        nodes[node.id] = NodeRow(node.id, primary or "Organization", labels, node.props, provenance)
    rels: dict[tuple[str, str, str, str], RelRow] = {}
    for rel in batch.relationships:
        identity = rel.identity
        if identity not in rels:
            rels[identity] = RelRow(rel.type, rel.source, rel.target, identity[3], rel.props, provenance)
    return list(nodes.values()), list(rels.values())


def _clean_rows(batch: Batch, clean: Clean, provenance: tuple[str, str]) -> tuple[list[NodeRow], list[RelRow]]:
    labels = clean.node_labels
    nodes = list(
        map(
            NodeRow,
            map(attrgetter("id"), batch.nodes),
            map(operator.itemgetter(0), labels),
            map(operator.itemgetter(1), labels),
            map(attrgetter("props"), batch.nodes),
            repeat(provenance),
        )
    )
    rels = batch.relationships
    ends = map(attrgetter("type"), rels), map(attrgetter("source"), rels), map(attrgetter("target"), rels)
    return nodes, list(map(RelRow, *ends, clean.rel_keys, map(attrgetter("props"), rels), repeat(provenance)))


class Store(ABC):
    """What every store offers. Subclasses implement the storage primitives."""

    name: str = "store"
    #: Seconds a write waits for another writer's lock before :class:`StoreBusy`.
    lock_wait: float = DEFAULT_LOCK_WAIT
    #: Told about a wait (another writer holds the lock); the CLI sets it to print on stderr.
    notify: Callable[[str], None] = staticmethod(_silent)

    # --- primitives -------------------------------------------------------------------------
    @abstractmethod
    def known_labels(self, ids: Iterable[str]) -> dict[str, str]:
        """Primary label of each of ``ids`` already stored (absent ids are left out)."""

    @abstractmethod
    def _write_rows(
        self, nodes: list[NodeRow], rels: list[RelRow], before_commit: Callable[[], None] = lambda: None
    ) -> LoadSummary:
        """Write all rows in one transaction; call ``before_commit`` last (it may raise to roll back).

        Raise and write nothing on any failure.
        """

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
    def data_version(self) -> str:
        """A cheap token that changes whenever the stored data changes (any write, score or clear).

        Each store keeps a write counter, bumped inside the writing transaction itself (so a failed
        load leaves it unchanged), next to a random epoch drawn when the counter is first created:
        a store emptied by hand and written again cannot repeat an earlier token. Caches of derived
        results (``analytics.service``) are keyed on it. Writes that bypass the store (Cypher typed
        into Neo4j Browser, ``neo4j-admin import``) do not bump it.
        """

    @abstractmethod
    def close(self) -> None: ...

    # --- shared behaviour -------------------------------------------------------------------
    def validate(self, batch: Batch) -> None:
        """Raise :class:`BatchError` listing every violation of ``batch``."""
        violations = checked(batch, self.known_labels(_batch_ids(batch)))
        if violations:
            raise BatchError(violations)

    def write_batch(self, batch: Batch, *, dry_run: bool = False) -> LoadSummary:
        """Validate ``batch`` and write it whole in one transaction (or, dry run, only validate).

        A batch proved clean by its columns (:func:`graph.validation_fast.quick_check`, the usual
        case) is written at once. Any other is validated in full (pure Python) beside the write, in a
        forked child where that is safe (:mod:`graph.validation_worker`), while the rows already
        stream into the open transaction; the transaction commits only once validation has found
        nothing. A bad batch therefore still writes nothing, and its violations are what the caller
        sees even when the database failed on the bad rows first.
        """
        if dry_run:
            self.validate(batch)
            self.preflight(batch)
            return LoadSummary(dry_run=True)
        self.preflight(batch)
        known = self.known_labels(_batch_ids(batch))
        loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
        with paused_gc():
            clean = quick_check(batch, known)
            if clean is not None:
                nodes, rels = prepared_rows(batch, loaded_at, clean)
                return self._write_rows(nodes, rels)
        with paused_gc(), violations_beside(batch, known) as violations:

            def refuse_if_invalid() -> None:
                if found := violations():
                    raise BatchError(found)

            try:
                nodes, rels = prepared_rows(batch, loaded_at)
                return self._write_rows(nodes, rels, refuse_if_invalid)
            except BatchError:
                raise
            except Exception:
                refuse_if_invalid()
                raise

    def preflight(self, batch: Batch) -> None:  # noqa: B027  (a hook: a store with nothing to check keeps it)
        """Refuse ``batch`` before any write for what the store can tell in advance (its disk space).

        Called by both ``--dry-run`` and a load, so that a dry run catches what the load would hit.
        """

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

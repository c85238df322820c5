"""Change sets: every write from the workbench (an upload, an edit, an undo) with who, when and what.

Why a change set and not a plain write: producers correct the region's data by hand, and a
wrong upload must be taken back as a whole. A change set holds the state of every record it
touched before and after (:class:`RecordChange`), so that

* **undo** is another change set with before and after swapped, written in one transaction;
* **conflicts** are found the same way everywhere: a change set is applied only when every record
  is still in its ``before`` state (compare-and-set). An editor whose record was changed since they
  opened it gets :class:`ChangeConflict` and nothing is written; an undo whose records were
  changed by a later change set is refused the same way, naming the later set.

The store-specific halves (reading records, applying in one transaction, keeping the log) live in
:mod:`graph.changes_embedded` and :mod:`graph.changes_neo4j`; :func:`graph.change_logs.change_log` picks one. The
change sets are kept beside the data (a table, or ``IpecoMeta`` nodes in Neo4j), so a clear of the
data keeps the history, and undoing a set whose records were cleared is refused as a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Literal, Protocol

from graph.batch import Batch, payload_hash
from graph.errors import InputError

__all__ = [
    "ChangeConflict",
    "ChangeDraft",
    "ChangeLog",
    "ChangeSet",
    "FieldChange",
    "RecordChange",
    "RecordRef",
    "RecordState",
    "plan_batch",
    "plan_undo",
    "record_hash",
    "stamp",
]

Kind = Literal["node", "rel"]

#: Properties that say when a record was written, not what it says: left out of "changed?".
_CLOCK = ("loaded_at",)


@dataclass(frozen=True, order=True)
class RecordRef:
    """A node (``kind='node'``, ``id``) or a relationship (its source ``id``, ``type``, ``target``, ``key``)."""

    kind: Kind
    id: str
    type: str = ""
    target: str = ""
    key: str = ""

    def as_list(self) -> list[str]:
        return [self.kind, self.id, self.type, self.target, self.key]

    @classmethod
    def from_list(cls, raw: Sequence[str]) -> RecordRef:
        kind: Kind = "node" if raw[0] == "node" else "rel"
        return cls(kind, *raw[1:5])

    def __str__(self) -> str:
        return self.id if self.kind == "node" else f"{self.id} -{self.type}-> {self.target}"


@dataclass(frozen=True)
class RecordState:
    """A stored record: its labels (nodes; empty for relationships) and its stored properties."""

    labels: tuple[str, ...]
    props: Mapping[str, Any]

    def content(self) -> dict[str, Any]:
        """The properties that say something (no clock, no empty values): what "changed" compares."""
        return {k: v for k, v in self.props.items() if k not in _CLOCK and v is not None}

    def as_dict(self) -> dict[str, Any]:
        return {"labels": list(self.labels), "props": dict(self.props)}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> RecordState | None:
        return None if raw is None else cls(tuple(raw["labels"]), dict(raw["props"]))


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, before and after (None: absent)."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RecordChange:
    """One record's state before and after a change set (None: the record does not exist)."""

    ref: RecordRef
    before: RecordState | None
    after: RecordState | None

    @cached_property
    def action(self) -> str:
        """``added``, ``removed``, ``changed`` or ``unchanged`` (asked often: computed once)."""
        if self.before is None:
            return "unchanged" if self.after is None else "added"
        if self.after is None:
            return "removed"
        same = self.before.content() == self.after.content() and set(self.before.labels) == set(self.after.labels)
        return "unchanged" if same else "changed"

    def fields(self) -> tuple[FieldChange, ...]:
        """The fields that differ, by name (the clock left out)."""
        old = self.before.content() if self.before else {}
        new = self.after.content() if self.after else {}
        return tuple(FieldChange(n, old.get(n), new.get(n)) for n in sorted({*old, *new}) if old.get(n) != new.get(n))

    def inverse(self) -> RecordChange:
        return RecordChange(self.ref, self.after, self.before)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref.as_list(),
            "before": self.before.as_dict() if self.before else None,
            "after": self.after.as_dict() if self.after else None,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> RecordChange:
        return cls(
            RecordRef.from_list(raw["ref"]), RecordState.from_dict(raw["before"]), RecordState.from_dict(raw["after"])
        )


@dataclass(frozen=True)
class ChangeDraft:
    """A change set before it is written: the store gives it its id when it commits.

    ``kind`` is ``upload``, ``edit``, ``engagement`` or ``undo``; ``summary`` is the user's words or a
    file name (shown as given); ``undoes`` names the set an undo takes back.
    """

    kind: str
    author: str
    summary: str
    changes: tuple[RecordChange, ...]
    at: str = field(default_factory=lambda: stamp())
    undoes: str = ""

    def effective(self) -> tuple[RecordChange, ...]:
        """The changes that write something (unchanged records are previewed, not written)."""
        return tuple(c for c in self.changes if c.action != "unchanged")

    def counts(self) -> dict[str, int]:
        """Records by action, for the preview and the history."""
        out = dict.fromkeys(("added", "changed", "removed", "unchanged"), 0)
        for change in self.changes:
            out[change.action] += 1
        return out


@dataclass(frozen=True)
class ChangeSet:
    """A written change set: its id (a number, as text), what it did, and whether it was undone."""

    id: str
    kind: str
    author: str
    at: str
    summary: str
    changes: tuple[RecordChange, ...]
    undoes: str = ""
    undone_by: str = ""

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("added", "changed", "removed", "unchanged"), 0)
        for change in self.changes:
            out[change.action] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco history --json`` record (changes by count; ``changes`` in full)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "author": self.author,
            "at": self.at,
            "summary": self.summary,
            "counts": self.counts(),
            "undoes": self.undoes,
            "undone_by": self.undone_by,
            "changes": [c.as_dict() for c in self.changes],
        }


class ChangeConflict(InputError):
    """A record is no longer what the change set expected; nothing was written.

    ``code`` says why for the pages' words: ``changed_since`` (someone changed it since it was
    opened), ``later_change`` (an undo whose records a later change set touched; ``later`` names
    it), ``has_ties`` (removing a node that other records still point at), ``already_undone``.
    """

    def __init__(self, code: str, refs: Sequence[RecordRef], later: str = "") -> None:
        self.code = code
        self.refs = tuple(refs)
        self.later = later
        shown = ", ".join(str(r) for r in self.refs[:5]) + (" …" if len(self.refs) > 5 else "")
        reasons = {
            "changed_since": f"changed since you opened it: {shown}; nothing was written, reload and edit again",
            "later_change": f"change set {later} changed the same records later ({shown}); undo it first",
            "has_ties": f"other records still point at {shown}; nothing was written",
            "already_undone": f"this change set was already undone by change set {later}",
        }
        super().__init__(reasons.get(code, f"conflict on {shown}; nothing was written"))


class ChangeLog(Protocol):
    """What each store's half offers (:mod:`graph.changes_embedded`, :mod:`graph.changes_neo4j`)."""

    def read(self, refs: Iterable[RecordRef]) -> dict[RecordRef, RecordState]:
        """The stored state of each of ``refs`` that exists."""

    def apply(self, draft: ChangeDraft) -> ChangeSet:
        """Write ``draft`` in one transaction when every record is in its ``before`` state.

        Raise :class:`ChangeConflict` otherwise (nothing written). The data version moves.
        """

    def history(self, limit: int = 100) -> list[ChangeSet]:
        """The latest change sets, newest first."""

    def get(self, change_id: str) -> ChangeSet:
        """One change set; :class:`graph.errors.NotFoundError` when there is none of that id."""

    def forget_all(self) -> None:
        """Erase the history (a store emptied for a fresh start); the numbering starts again at 1."""


def stamp() -> str:
    """Now, UTC, to the second (ISO 8601): the time of a change set and the ``loaded_at`` it writes."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_hash(ref: RecordRef, state: RecordState) -> str:
    """The content hash the stores keep for ``state`` (:func:`graph.batch.content_hash`'s definition)."""
    labels = state.labels if ref.kind == "node" else (ref.type,)
    return payload_hash(labels, state.content())


def plan_batch(log: ChangeLog, batch: Batch, *, author: str, summary: str, kind: str = "upload") -> ChangeDraft:
    """What writing ``batch`` would change, record by record, as a draft to preview and commit.

    The same merge as a load (:meth:`graph.store.Store.write_batch`): a stored record keeps the
    properties the batch does not name and gains its labels; provenance defaults are the load's.
    The ``before`` states are those read now, so a commit after someone else's write conflicts
    instead of overwriting it.
    """
    from graph.store import prepared_rows  # the store module imports the stores' base: keep this one light

    at = stamp()
    nodes, rels = prepared_rows(batch, at)
    wanted = [RecordRef("node", n.id) for n in nodes] + [
        RecordRef("rel", r.source, r.type, r.target, r.key) for r in rels
    ]
    stored = log.read(wanted)
    changes = []
    for ref, labels, props in (
        *((RecordRef("node", n.id), n.labels, n.props) for n in nodes),
        *((RecordRef("rel", r.source, r.type, r.target, r.key), (), r.props) for r in rels),
    ):
        changes.append(_merged_change(ref, stored.get(ref), labels, props))
    return ChangeDraft(kind, author, summary, tuple(changes), at=at)


def _merged_change(
    ref: RecordRef, before: RecordState | None, labels: tuple[str, ...], props: Mapping[str, Any]
) -> RecordChange:
    if before is None:
        return RecordChange(ref, None, RecordState(_ordered(labels), dict(props)))
    merged = {**before.props, **props}
    after = RecordState(_ordered((*before.labels, *labels)), merged)
    if RecordChange(ref, before, after).action == "unchanged":
        return RecordChange(ref, before, before)
    return RecordChange(ref, before, after)


def _ordered(labels: Iterable[str]) -> tuple[str, ...]:
    from graph.schema import ordered_labels

    return tuple(ordered_labels(labels))


def plan_undo(log: ChangeLog, change_id: str, *, author: str) -> ChangeDraft:
    """The change set that takes ``change_id`` back, refused when a later set depends on it.

    Refused (:class:`ChangeConflict`) when it was undone already, or when a later change set that
    is still in force touched one of its records: undo that one first. A write outside the
    workbench (a CLI load) is caught when the undo is applied (its records are no longer in their
    ``after`` state).
    """
    original = log.get(change_id)
    if original.undone_by:
        raise ChangeConflict("already_undone", [], later=original.undone_by)
    for later in log.history(limit=10_000):
        if int(later.id) > int(original.id) and not later.undone_by and not later.undoes:
            touched = _depends(original, later)
            if touched:
                raise ChangeConflict("later_change", touched, later=later.id)
    inverse = tuple(c.inverse() for c in reversed(original.changes) if c.action != "unchanged")
    return ChangeDraft("undo", author, original.summary, inverse, undoes=original.id)


def _depends(original: ChangeSet, later: ChangeSet) -> list[RecordRef]:
    """The records of ``original`` that ``later`` changed, or the nodes it added that ``later`` tied to."""
    mine = {c.ref for c in original.changes if c.action != "unchanged"}
    theirs = {c.ref for c in later.changes if c.action != "unchanged"}
    added = {c.ref.id for c in original.changes if c.ref.kind == "node" and c.action == "added"}
    tied = {RecordRef("node", end) for r in theirs if r.kind == "rel" for end in (r.id, r.target) if end in added}
    return sorted((mine & theirs) | tied)


def state_equal(a: RecordState | None, b: RecordState | None) -> bool:
    """Whether two stored states are the same record content (labels as a set, every property)."""
    if a is None or b is None:
        return a is b
    return set(a.labels) == set(b.labels) and _plain(a.props) == _plain(b.props)


def _plain(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties compared the way both stores return them (lists as lists, no empty values)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in props.items() if v is not None}


def check_befores(draft: ChangeDraft, stored: Mapping[RecordRef, RecordState]) -> None:
    """Raise :class:`ChangeConflict` (``changed_since``, or ``later_change`` for an undo) on any drift."""
    drifted = [c.ref for c in draft.effective() if not state_equal(stored.get(c.ref), c.before)]
    if drifted:
        raise ChangeConflict("later_change" if draft.undoes else "changed_since", sorted(drifted))


def stamped(draft: ChangeDraft) -> ChangeDraft:
    """``draft`` with ``loaded_at`` set to its time on every record it writes."""
    changes = []
    for change in draft.changes:
        after = change.after
        if after is not None and change.action != "unchanged" and not draft.undoes:
            after = RecordState(after.labels, {**after.props, "loaded_at": draft.at})
        changes.append(RecordChange(change.ref, change.before, after))
    return ChangeDraft(draft.kind, draft.author, draft.summary, tuple(changes), at=draft.at, undoes=draft.undoes)

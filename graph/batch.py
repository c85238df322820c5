"""A batch of nodes and relationships, and its validation against the schema.

Loaders produce a :class:`Batch`; stores validate it with :func:`validate_batch` before any write
and refuse it whole when anything is wrong. Every record remembers where it came from
(:class:`Origin`) so that a violation names the file, line (or sheet and row) and field.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import orjson

from graph.errors import InputError
from graph.identifiers import is_valid_corporate_number
from graph.schema import (
    INDEXED_PROPERTIES,
    NODE_RESERVED_NAMES,
    NODE_SPECS,
    REL_RESERVED_NAMES,
    REL_SPECS,
    RESERVED_NAMES,
    ROLE_LABELS,
    PropSpec,
    PropType,
    primary_label,
)

__all__ = [
    "CODE_DIGITS",
    "MAX_INDEXED_BYTES",
    "PAYLOAD_DIGEST",
    "PAYLOAD_JSON",
    "Batch",
    "BatchError",
    "NodeRecord",
    "Origin",
    "RelRecord",
    "Violation",
    "batch_violations",
    "check_integer",
    "content_hash",
    "index_size_error",
    "labels_error",
    "name_error",
    "payload_hash",
    "reserved_name_error",
    "validate_batch",
    "value_error",
]

#: Largest string a property may hold; a 20 MB cell is an error, not a name.
MAX_STRING_LENGTH = 100_000

#: UTF-8 bytes of the largest value Neo4j's range index takes (measured on 5.26: 8,164 bytes pass,
#: 8,165 fail with "Property value is too large to index"), with a margin for other versions. An id
#: or an indexed name (``graph.schema.INDEXED_PROPERTIES``) beyond it is refused by validation in
#: both stores, so ``--dry-run`` catches what the Neo4j load would die on (issue 26).
MAX_INDEXED_BYTES = 8_000

#: Integers both stores hold: Neo4j's integer is a signed 64-bit value, and the embedded store is
#: held to the same range so that ``--dry-run`` and a real load agree in either store (issue 16).
MIN_INTEGER = -(2**63)
MAX_INTEGER = 2**63 - 1

#: JIS X0401 / X0402 codes as ASCII digits (``'1²3'.isdigit()`` is true in Python; it is no code).
CODE_DIGITS = {"prefecture_code": 2, "city_code": 5}


@dataclass(frozen=True)
class Origin:
    """Where a record came from: a file and a line, or a workbook sheet and row."""

    file: str
    line: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f" [sheet {self.sheet}]"
        if self.line is not None:
            where += f" {'row' if self.sheet is not None else 'line'} {self.line}"
        return where


@dataclass
class NodeRecord:
    """One node: id, labels (one primary label, plus one role label for organisations), properties."""

    id: str
    labels: tuple[str, ...]
    props: dict[str, Any]
    origin: Origin | None = None

    @property
    def primary_label(self) -> str | None:
        return primary_label(self.labels)


#: Each relationship type's identity properties (``RelSpec.key``), looked up once per tie.
_KEY_NAMES: dict[str, tuple[str, ...]] = {name: spec.key for name, spec in REL_SPECS.items()}


@dataclass
class RelRecord:
    """One relationship between two node ids."""

    type: str
    source: str
    target: str
    props: dict[str, Any]
    origin: Origin | None = None

    @property
    def key(self) -> str:
        """:func:`graph.schema.relationship_key`, spelled out: a load asks it once per tie in the writer
        and once in validation (measured: 3.6 → 1.9 µs per tie at 10^5 ties)."""
        names = _KEY_NAMES.get(self.type)
        if not names:
            return ""
        props = self.props
        parts = []
        for name in names:
            value = props.get(name)
            parts.append("" if value is None else value if type(value) is str else str(value))
        return "|".join(parts)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.source, self.type, self.target, self.key)


@dataclass
class Batch:
    """What a loader returns: nodes and relationships of one load, with the dataset id."""

    source: str
    nodes: list[NodeRecord] = field(default_factory=list)
    relationships: list[RelRecord] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.nodes.extend(other.nodes)
        self.relationships.extend(other.relationships)


@dataclass(frozen=True)
class Violation:
    """One thing wrong with a record: where, which field, what was expected."""

    origin: Origin | None
    field: str
    message: str

    def __str__(self) -> str:
        where = str(self.origin) if self.origin else "(no origin)"
        return f"{where}: field '{self.field}': {self.message}"


class BatchError(InputError):
    """Raised when a batch violates the schema; nothing has been written."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "\n".join(f"  {v}" for v in violations[:50])
        more = f"\n  ... and {len(violations) - 50} more" if len(violations) > 50 else ""
        msg = f"{len(violations)} error(s); nothing was written:\n{shown}{more}"
        super().__init__(msg)


def content_hash(labels: Iterable[str], props: Mapping[str, Any]) -> str:
    """A stable fingerprint of loaded content, ignoring ``loaded_at``.

    Stores compare it to decide created / updated / unchanged, which keeps loads idempotent: a
    second identical load touches nothing, not even ``loaded_at``.
    """
    return payload_hash(labels, {k: v for k, v in props.items() if k != "loaded_at" and v is not None})


#: The text a content hash is taken of (orjson with sorted keys rather than json.dumps: hashing is a
#: third of a large load's Python time) and its digest; :mod:`graph.content_columns` assembles the
#: same text by columns and hashes it with the same digest.
PAYLOAD_JSON = partial(orjson.dumps, option=orjson.OPT_SORT_KEYS, default=str)
PAYLOAD_DIGEST = partial(hashlib.blake2b, digest_size=12)


def payload_hash(labels: Iterable[str], payload: Mapping[str, Any]) -> str:
    """:func:`content_hash` of a payload that already holds no ``loaded_at`` and no ``None``."""
    return PAYLOAD_DIGEST(PAYLOAD_JSON([sorted(labels), payload])).hexdigest()


def check_integer(value: int) -> str | None:
    """Why ``value`` does not fit a signed 64-bit integer, the range both stores hold (None when it does)."""
    if MIN_INTEGER <= value <= MAX_INTEGER:
        return None
    digits = len(str(abs(value))) if value.bit_length() < 14_000 else value.bit_length() * 30103 // 100_000 + 1
    return f"an integer of {digits:,} digits is out of range: both stores hold {MIN_INTEGER:,} to {MAX_INTEGER:,}"


def _date_error(value: Any) -> str | None:
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return f"expected a date YYYY-MM-DD, got {value!r}"


def _int_error(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return check_integer(value) or None
    return ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


#: Per type: why a value does not fit it (None: it fits; "": the generic "expected TYPE" message).
_TYPE_CHECKS: dict[PropType, Callable[[Any], str | None]] = {
    PropType.STR: lambda value: None if isinstance(value, str) else "",
    PropType.DATE: _date_error,
    PropType.INT: _int_error,
    PropType.FLOAT: lambda value: None if _is_number(value) else "",
    PropType.BOOL: lambda value: None if isinstance(value, bool) else "",
    PropType.STR_LIST: lambda value: None if _is_str_list(value) else "",
}


def _type_error(spec: PropSpec, value: Any) -> str | None:
    """Why ``value`` does not fit ``spec`` (None when it does)."""
    error = _TYPE_CHECKS[spec.type](value)
    if error == "":
        shown = f"{value:.60}" if isinstance(value, str) else _short(value)
        return f"expected {spec.type}, got {type(value).__name__} {shown}"
    if error is not None:
        return error
    return _domain_error(spec, value)


def _domain_error(spec: PropSpec, value: Any) -> str | None:
    """Why a value of the right type is outside its property's domain (a JIS code's width, a choice)."""
    width = CODE_DIGITS.get(spec.name) if spec.type is PropType.STR else None
    if width is not None and not (len(value) == width and value.isascii() and value.isdigit()):
        return f"expected {width} ASCII digits (a JIS code), got {value!r:.60}"
    if spec.choices:
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in spec.choices]
        if bad:
            return f"{bad[0]!r} is not one of {', '.join(spec.choices)}"
    return None


def _storable_error(value: Any) -> str | None:
    """Why ``value`` cannot be stored as a property in both stores (None when it can)."""
    if isinstance(value, str):
        if len(value) > MAX_STRING_LENGTH:
            return f"value is {len(value):,} characters; at most {MAX_STRING_LENGTH:,} are accepted"
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return check_integer(value)
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value} is not a finite number"
    if isinstance(value, list):
        kinds = {type(v) for v in value}
        if len(kinds) > 1:
            return "a list must hold values of one type"
        return next((e for v in value if (e := _storable_error(v))), None)
    return f"{type(value).__name__} values cannot be stored"


def index_size_error(value: str) -> str | None:
    """Why ``value`` is too large for an indexed property (an id, a name), None when it fits."""
    if len(value) * 4 <= MAX_INDEXED_BYTES:  # no character takes more than 4 bytes: skip the encoding
        return None
    size = len(value.encode("utf-8", "surrogatepass"))
    if size <= MAX_INDEXED_BYTES:
        return None
    return (
        f"is {size:,} bytes of UTF-8 ({len(value):,} characters); an id or name is indexed, and the index "
        f"holds at most {MAX_INDEXED_BYTES:,} bytes: shorten it"
    )


def reserved_name_error(name: str) -> str:
    """The message for a property named like something the stores or NetworkX use themselves."""
    return (
        f"'{name}' is a reserved name ({RESERVED_NAMES[name]}); rename the column or property, e.g. to '{name}_value'"
    )


def _short(value: Any) -> str:
    """``repr`` of a value cut to 60 characters without building a huge repr (a 4,301-digit int)."""
    if isinstance(value, int) and value.bit_length() > 200:
        return f"<integer of {value.bit_length():,} bits>"
    return f"{value!r:.60}"


#: Property names already checked against the naming rule (a load repeats the same few names).
_GOOD_NAMES: set[str] = set()


#: Verdicts already reached in one validation, by (property table, name, type, value): a load repeats
#: the same few values (a programme, a phase, a flag, a year) in every row. Measured at 10^5 ties:
#: validation's time halved, and validation runs on the core the database also needs.
_Verdicts = dict[tuple[int, str, type, Any], str | None]
#: Types whose verdict depends on the value alone, and the longest string worth remembering.
_REMEMBERED_TYPES = frozenset({str, int, bool, float})
_REMEMBERED_STRING = 64
_REMEMBERED_MAX = 100_000
_UNSEEN = "\x00unseen"


def _check_props(
    props: Mapping[str, Any],
    by_name: Mapping[str, PropSpec],
    required: tuple[str, ...],
    origin: Origin | None,
    out: list[Violation],
    reserved: frozenset[str] = REL_RESERVED_NAMES,
    verdicts: _Verdicts | None = None,
) -> None:
    for name in required:
        if props.get(name) is None or props.get(name) == "":
            out.append(Violation(origin, name, "is required but missing or empty"))
    for name, value in props.items():
        if value is None:
            continue
        error = _verdict(name, value, by_name, reserved, verdicts)
        if error:
            out.append(Violation(origin, name, error))


def _verdict(
    name: str, value: Any, by_name: Mapping[str, PropSpec], reserved: frozenset[str], verdicts: _Verdicts | None
) -> str | None:
    """Why one property cannot be loaded (None: it can), remembered in ``verdicts`` for small plain values.

    The type is part of the key: ``True == 1 == 1.0`` but the three are judged apart.
    """
    kind = type(value)
    if verdicts is None or kind not in _REMEMBERED_TYPES or (kind is str and len(value) > _REMEMBERED_STRING):
        return name_error(name) or value_error(name, value, by_name.get(name), reserved)
    key = (id(by_name), name, kind, value)
    found = verdicts.get(key, _UNSEEN)
    if found is not _UNSEEN:
        return found
    error = name_error(name) or value_error(name, value, by_name.get(name), reserved)
    if len(verdicts) < _REMEMBERED_MAX:
        verdicts[key] = error
    return error


_NAME_RULE = "property names are letters, digits and '_' and start with a letter"


def name_error(name: str) -> str | None:
    """The naming rule's message for a bad property name (None: the name is good, and remembered)."""
    if name in _GOOD_NAMES:
        return None
    if not name or not name.replace("_", "a").isalnum() or not name[0].isalpha():
        return _NAME_RULE
    if name not in RESERVED_NAMES:
        _GOOD_NAMES.add(name)
    return None


def value_error(name: str, value: Any, spec: PropSpec | None, reserved: frozenset[str]) -> str | None:
    """Why one property value cannot be loaded (its name is reserved, its type or size is wrong)."""
    if spec is None and name in reserved:
        return reserved_name_error(name)
    error = _type_error(spec, value) if spec else _storable_error(value)
    if error is None and isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
        error = _storable_error(value)
    if error is None and name in INDEXED_PROPERTIES and isinstance(value, str):
        error = index_size_error(value)
    return error


def validate_batch(batch: Batch, known: Mapping[str, str] | None = None) -> list[Violation]:
    """Every schema violation in ``batch``; an empty list means the batch may be written.

    ``known`` maps ids already in the store to their primary label, so relationships may point at
    nodes loaded earlier. Record by record (:func:`batch_violations`); a large load asks
    :func:`graph.validation_fast.checked`, which first tries to prove the batch clean by its columns.
    """
    return batch_violations(batch, known or {})


def batch_violations(batch: Batch, known: Mapping[str, str]) -> list[Violation]:
    """:func:`validate_batch` record by record: every violation, in the batch's order."""
    out: list[Violation] = []
    labels_of = _validate_nodes(batch.nodes, known, out)
    _validate_relationships(batch.relationships, labels_of, known, out)
    return out


def _validate_nodes(nodes: Iterable[NodeRecord], known: Mapping[str, str], out: list[Violation]) -> dict[str, str]:
    """Append the node violations to ``out``; return the primary label of each valid node id.

    One call per batch; the per-record checks are named steps (:func:`_label_check`,
    :func:`_node_checks`, :func:`_duplicate_node`).
    """
    seen: dict[str, NodeRecord] = {}
    verdicts: _Verdicts = {}
    labels_of: dict[str, str] = {}
    for node in nodes:
        primary = _label_check(node, out)
        if primary is None:
            continue
        _node_checks(node, primary, known, out, verdicts)
        if (prev := seen.get(node.id)) is not None:
            _duplicate_node(prev, node, out)
            continue
        seen[node.id] = node
        labels_of[node.id] = primary
    return labels_of


def _label_check(node: NodeRecord, out: list[Violation]) -> str | None:
    """The node's primary label, or None after appending why its id or labels are wrong."""
    if not isinstance(node.id, str) or not node.id.strip():
        out.append(Violation(node.origin, "id", "is required but missing or empty"))
        return None
    if error := index_size_error(node.id):
        out.append(Violation(node.origin, "id", error))
        return None
    primary, error = labels_error(node.labels)
    if error:
        out.append(Violation(node.origin, "label", error))
        return None
    return primary


def labels_error(labels: tuple[str, ...]) -> tuple[str, str | None]:
    """(primary label, None) for a valid label set, else ("", why it is wrong)."""
    unknown = [lab for lab in labels if lab not in NODE_SPECS and lab not in ROLE_LABELS]
    if unknown:
        allowed = ", ".join([*NODE_SPECS, *ROLE_LABELS])
        return "", f"unknown label {unknown[0]!r}; expected one of {allowed}"
    primaries = [lab for lab in labels if lab in NODE_SPECS]
    roles = [lab for lab in labels if lab in ROLE_LABELS]
    return _role_rule(primaries, roles)


def _role_rule(primaries: list[str], roles: list[str]) -> tuple[str, str | None]:
    """One primary label (or a lone role, meaning an Organization); a role only on an Organization."""
    if len(primaries) != 1 and not (not primaries and len(roles) == 1):
        return "", f"needs exactly one of {', '.join(NODE_SPECS)}"
    primary = primaries[0] if primaries else "Organization"
    if primary == "Organization" and len(roles) != 1:
        return "", f"an Organization needs exactly one role: {', '.join(ROLE_LABELS)}"
    if primary != "Organization" and roles:
        return "", f"role label {roles[0]!r} only applies to an Organization"
    return primary, None


def _node_checks(
    node: NodeRecord, primary: str, known: Mapping[str, str], out: list[Violation], verdicts: _Verdicts | None = None
) -> None:
    """Append the violations of a node with valid labels: a label clash with the store, its properties."""
    origin = node.origin
    if (prior_label := known.get(node.id)) and prior_label != primary:
        out.append(Violation(origin, "id", f"{node.id!r} is already a {prior_label} in the store"))
    spec = NODE_SPECS[primary]
    _check_props(node.props, spec.props_by_name, spec.required_names, origin, out, NODE_RESERVED_NAMES, verdicts)
    cn = node.props.get("corporate_number")
    if isinstance(cn, str) and cn and not is_valid_corporate_number(cn):  # "": the number was deleted
        out.append(
            Violation(origin, "corporate_number", f"{cn!r} is not a valid 13-digit corporate number (check digit)")
        )


def _same_content(a: tuple[Iterable[str], Mapping[str, Any]], b: tuple[Iterable[str], Mapping[str, Any]]) -> bool:
    """Two records' content alike (:func:`content_hash`); a value no hash takes (a 70-bit integer) is
    judged unlike, so the repeat is reported beside that value's own error instead of a traceback."""
    try:
        return content_hash(*a) == content_hash(*b)
    except TypeError:
        return False


def _duplicate_node(prev: NodeRecord, node: NodeRecord, out: list[Violation]) -> None:
    """Append a violation when a repeated id comes with different labels or values."""
    if _same_content((prev.labels, prev.props), (node.labels, node.props)):
        return
    diff = sorted(k for k in {*prev.props, *node.props} if prev.props.get(k) != node.props.get(k))
    where = f" (first at {prev.origin})" if prev.origin else ""
    message = f"duplicate id {node.id!r} with conflicting values{where}"
    out.append(Violation(node.origin, diff[0] if diff else "label", message))


def _validate_relationships(
    rels: Iterable[RelRecord], labels_of: Mapping[str, str], known: Mapping[str, str], out: list[Violation]
) -> None:
    """Append the relationship violations to ``out``; ends resolve in this load first, then the store.

    One call per batch, like ``_validate_nodes``.
    """
    rel_seen: dict[tuple[str, str, str, str], RelRecord] = {}
    verdicts: _Verdicts = {}
    for rel in rels:
        origin = rel.origin
        rspec = REL_SPECS.get(rel.type)
        if rspec is None:
            out.append(
                Violation(
                    origin, "type", f"unknown relationship type {rel.type!r}; expected one of {', '.join(REL_SPECS)}"
                )
            )
            continue
        for end, node_id, expected in (("source", rel.source, rspec.source), ("target", rel.target, rspec.target)):
            actual = labels_of.get(node_id) or known.get(node_id)
            if actual is None:
                out.append(Violation(origin, end, f"{node_id!r:.80} is neither in this load nor in the store"))
            elif actual != expected:
                out.append(Violation(origin, end, f"{rel.type} needs a {expected} {end}, {node_id!r} is a {actual}"))
        _check_props(rel.props, rspec.props_by_name, rspec.required_names, origin, out, verdicts=verdicts)
        identity = rel.identity
        if (prev_rel := rel_seen.get(identity)) is not None:
            if not _same_content(((), prev_rel.props), ((), rel.props)):
                where = f" (first at {prev_rel.origin})" if prev_rel.origin else ""
                out.append(
                    Violation(
                        origin,
                        "type",
                        f"duplicate {rel.type} {rel.source} → {rel.target} with conflicting values{where}",
                    )
                )
        else:
            rel_seen[identity] = rel

"""A batch checked by columns: the common, clean load proved valid without a Python call per record.

Why: validation record by record (:func:`graph.batch.batch_violations`) judges every record in
Python (labels, each property's name and value, ends, duplicates), which cost 0.6–1.0 CPU-s of a
10^5-tie load: as much as the rest of the client together, on a machine whose two cores the
database also needs. Almost every
load is clean, and a clean load's columns say so at C speed: the distinct types of a column, its
smallest and largest value, its longest string, the set of its distinct values.

:func:`quick_check` is conservative: it answers :class:`Clean` only when every rule of
:func:`~graph.batch.batch_violations` holds, and None as soon as anything is unusual (an error, a
repeated id or tie, a type it does not judge by columns). A None sends the caller to the record by
record validation, which finds the same violations as always, with file, line and field; so the
verdict and the messages never depend on this module, only the time does. :func:`checked` is
the two in turn (``tests/test_validation_fast.py`` checks ``quick_check`` against
``batch_violations`` on generated batches).

On the way it computes what the write needs anyway: each tie's identity key (``RelRecord.key``),
by columns, and the proof that no id or tie repeats, so the rows need no deduplication.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from graph.batch import (
    CODE_DIGITS,
    MAX_INDEXED_BYTES,
    MAX_INTEGER,
    MAX_STRING_LENGTH,
    MIN_INTEGER,
    Batch,
    NodeRecord,
    RelRecord,
    Violation,
    batch_violations,
    labels_error,
    name_error,
    value_error,
)
from graph.identifiers import is_valid_corporate_number
from graph.schema import (
    INDEXED_PROPERTIES,
    NODE_RESERVED_NAMES,
    NODE_SPECS,
    REL_RESERVED_NAMES,
    REL_SPECS,
    PropSpec,
    PropType,
)

__all__ = ["Clean", "checked", "quick_check"]

#: What a column may hold that no rule below has an opinion on: such values go to the full rules.
_NONE = type(None)
#: Errors a malformed record raises in the column code (a list as an id, a non-dict as props).
_MALFORMED = (TypeError, ValueError, AttributeError, OverflowError, KeyError)


@dataclass(frozen=True)
class Clean:
    """A batch :func:`quick_check` proved valid: no id and no tie repeats, and each tie's key in order."""

    #: ``RelRecord.key`` of every relationship, in the batch's order.
    rel_keys: list[str]
    #: Primary label and full label tuple of every node, in the batch's order.
    node_labels: list[tuple[str, tuple[str, ...]]]


def checked(batch: Batch, known: Mapping[str, str]) -> list[Violation]:
    """``validate_batch``'s verdict: nothing for a batch its columns prove clean, else record by record."""
    return [] if quick_check(batch, known) is not None else batch_violations(batch, known)


def quick_check(batch: Batch, known: Mapping[str, str]) -> Clean | None:
    """:class:`Clean` when ``batch_violations(batch, known)`` would find nothing; None when it might."""
    try:
        labels_of = _nodes_clean(batch.nodes, known)
        if labels_of is None:
            return None
        keys = _rels_clean(batch.relationships, {**known, **labels_of[0]})
    except _MALFORMED:
        return None
    return None if keys is None else Clean(keys, labels_of[1])


def _grouped(items: list[Any], groups: list[Any]) -> dict[Any, list[int]]:
    """Positions of ``items`` by their group (one group: no loop at all)."""
    distinct = set(groups)
    if len(distinct) == 1:
        return {next(iter(distinct)): list(range(len(items)))}
    by: dict[Any, list[int]] = {group: [] for group in distinct}
    for i, group in enumerate(groups):
        by[group].append(i)
    return by


def _ids_clean(ids: list[Any]) -> bool:
    """Every id a non-blank string short enough for the index, none repeated."""
    if not ids:
        return True
    if set(map(type, ids)) != {str} or not all(map(str.strip, ids)):
        return False
    return max(map(len, ids)) * 4 <= MAX_INDEXED_BYTES and len(set(ids)) == len(ids)


def _nodes_clean(
    nodes: list[NodeRecord], known: Mapping[str, str]
) -> tuple[dict[str, str], list[tuple[str, tuple[str, ...]]]] | None:
    """The primary label of every node id, and each node's labels, when the nodes are clean."""
    ids = list(map(attrgetter("id"), nodes))
    if not _ids_clean(ids):
        return None
    label_sets = list(map(attrgetter("labels"), nodes))
    labels_of: dict[str, str] = {}
    full: dict[Any, tuple[str, tuple[str, ...]]] = {}
    for labels, positions in _grouped(nodes, label_sets).items():
        primary, error = labels_error(labels)
        if error or type(labels) is not tuple:
            return None
        full[labels] = (primary, labels if primary in labels else ("Organization", *labels))
        group_ids = [ids[i] for i in positions]
        if known and set(map(known.get, group_ids)) - {None, primary}:
            return None
        spec = NODE_SPECS[primary]
        props = [nodes[i].props for i in positions]
        if not _props_clean(props, spec.props_by_name, spec.required_names, NODE_RESERVED_NAMES):
            return None
        labels_of.update(zip(group_ids, repeat(primary)))
    return labels_of, list(map(full.__getitem__, label_sets))


def _rels_clean(rels: list[RelRecord], ends: Mapping[str, str]) -> list[str] | None:
    """Each tie's identity key when the ties are clean (known ends of the right labels, no repeat)."""
    keys: list[str] = [""] * len(rels)
    types = list(map(attrgetter("type"), rels))
    for rel_type, positions in _grouped(rels, types).items():
        spec = REL_SPECS.get(rel_type) if type(rel_type) is str else None
        if spec is None:
            return None
        group = rels if len(positions) == len(rels) else [rels[i] for i in positions]
        sources, targets = list(map(attrgetter("source"), group)), list(map(attrgetter("target"), group))
        if set(map(ends.get, sources)) != {spec.source} or set(map(ends.get, targets)) != {spec.target}:
            return None
        props = list(map(attrgetter("props"), group))
        if not _props_clean(props, spec.props_by_name, spec.required_names, REL_RESERVED_NAMES):
            return None
        group_keys = _keys(props, spec.key)
        if len(set(zip(sources, targets, group_keys, strict=True))) != len(group):  # a tie repeated (its identity)
            return None
        if group is rels:
            keys = group_keys
        else:
            for i, key in zip(positions, group_keys, strict=True):
                keys[i] = key
    return keys


def _key_part(value: Any) -> str:
    return "" if value is None else value if type(value) is str else str(value)


def _keys(props: list[dict[str, Any]], names: tuple[str, ...]) -> list[str]:
    """``RelRecord.key`` of each of ``props`` (its values of ``names``, joined by ``|``), by columns."""
    if not names:
        return [""] * len(props)
    parts = []
    for name in names:
        column = list(map(dict.get, props, repeat(name)))
        kinds = set(map(type, column))
        parts.append(column if kinds <= {str} else list(map(str if _NONE not in kinds else _key_part, column)))
    return list(map("|".join, zip(*parts, strict=True)))


def _props_clean(
    props: list[dict[str, Any]], by_name: Mapping[str, PropSpec], required: tuple[str, ...], reserved: frozenset[str]
) -> bool:
    """Every property of every record in ``props`` loadable, and every required one present."""
    if not props:
        return True
    if set(map(type, props)) != {dict}:
        return False
    names: set[str] = set().union(*props)
    if any(name not in names for name in required):
        return False
    for name in names:
        column = list(map(dict.get, props, repeat(name)))
        if name in required and (None in column or "" in column):
            return False
        if not _column_clean(name, column, by_name.get(name), reserved):
            return False
    return True


def _column_clean(name: str, column: list[Any], spec: PropSpec | None, reserved: frozenset[str]) -> bool:
    """One property's values all loadable: judged by the column's types and bounds, else value by value."""
    if type(name) is not str or name_error(name) or (spec is None and name in reserved):
        return False
    column, kinds = _without_none(column)
    if not column:
        return True
    verdict = _by_rule(name, column, spec, kinds)
    if verdict is None:  # no column rule for these types: each distinct value by the full rules
        verdict = all(value_error(name, value, spec, reserved) is None for value in _distinct(column))
    if verdict and name == "corporate_number":
        verdict = all(map(_corporate_number_ok, [v for v in column if isinstance(v, str) and v]))
    return verdict


def _corporate_number_ok(value: str) -> bool:
    """:func:`is_valid_corporate_number` by byte sums: it runs once per organisation of a load.

    Why: the digit-by-digit rule was most of a 法人番号 batch's validation (2.6×10^6 generator steps
    at 2×10^5 organisations, 1.1 CPU-s of the forked child's). For 13 ASCII digits the weights 2
    and 1 fall on the base digits at even and odd places from the left (the 2nd, 4th, … characters
    weigh 2), and each sum of six bytes is six times ``ord("0")`` (288) over its digits' sum.
    Anything else goes to the full rule, which also words why.
    """
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return is_valid_corporate_number(value)
    digits = value.encode("ascii")
    return digits[0] - 48 == 9 - (2 * (sum(digits[1::2]) - 288) + sum(digits[2::2]) - 288) % 9


def _without_none(column: list[Any]) -> tuple[list[Any], frozenset[type]]:
    """The column's values that are set (a null sets nothing and is never checked), and their types."""
    kinds = set(map(type, column))
    if _NONE in kinds:
        kinds.discard(_NONE)
        column = [value for value in column if value is not None]
    return column, frozenset(kinds)


def _by_rule(name: str, column: list[Any], spec: PropSpec | None, kinds: frozenset[type]) -> bool | None:
    """The column rule's verdict for these types (None: no rule, or the rule leaves it to the values)."""
    rule = _RULES.get((spec.type if spec else None, kinds))
    if rule is None or (spec is not None and spec.choices and rule not in (_strings, _string_lists)):
        return None  # only the string rules know choices
    return rule(name, column, spec)


def _distinct(column: list[Any]) -> list[Any]:
    """One value per distinct (type, value) pair (``True == 1`` are judged apart), or all when unhashable."""
    try:
        return [value for _, value in set(zip(map(type, column), column, strict=True))]
    except TypeError:
        return column


def _strings(name: str, column: list[str], spec: PropSpec | None) -> bool | None:
    """Strings: their length, the index's key size, a JIS code's width, the property's choices."""
    longest = max(map(len, column))
    if longest > MAX_STRING_LENGTH or (name in INDEXED_PROPERTIES and longest * 4 > MAX_INDEXED_BYTES):
        return None
    if spec is None:
        return True
    if name in CODE_DIGITS and spec.type is PropType.STR:
        return None
    if spec.type is PropType.DATE and not _dates(set(column)):
        return False
    return not spec.choices or set(column) <= set(spec.choices)


def _dates(values: set[str]) -> bool:
    try:
        all(map(date.fromisoformat, values))
    except ValueError:
        return False
    return True


def _integers(name: str, column: list[int], spec: PropSpec | None) -> bool | None:
    return min(column) >= MIN_INTEGER and max(column) <= MAX_INTEGER


def _floats(name: str, column: list[float], spec: PropSpec | None) -> bool | None:
    return all(map(math.isfinite, column))


def _booleans(name: str, column: list[bool], spec: PropSpec | None) -> bool | None:
    return True


def _string_lists(name: str, column: list[list[str]], spec: PropSpec | None) -> bool | None:
    items = list(chain.from_iterable(column))
    if items and set(map(type, items)) != {str}:
        return None
    return not spec or not spec.choices or set(items) <= set(spec.choices)


_Rule = Callable[[str, list[Any], PropSpec | None], bool | None]
#: (declared type, or None for a property the schema does not name; the column's types) → its rule.
#: A pair not listed is judged value by value; a rule answering None also sends it there.
_RULES: dict[tuple[PropType | None, frozenset[type]], _Rule] = {
    (PropType.STR, frozenset({str})): _strings,
    (PropType.DATE, frozenset({str})): _strings,
    (PropType.INT, frozenset({int})): _integers,
    (PropType.FLOAT, frozenset({float})): _floats,
    (PropType.FLOAT, frozenset({int})): _integers,
    (PropType.BOOL, frozenset({bool})): _booleans,
    (PropType.STR_LIST, frozenset({list})): _string_lists,
    (None, frozenset({str})): _strings,
    (None, frozenset({int})): _integers,
    (None, frozenset({float})): _floats,
    (None, frozenset({bool})): _booleans,
}

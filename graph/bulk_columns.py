"""A bulk load's neo4j-admin CSV written by columns, straight from the batch: no merged per-record dicts.

Why: into an empty database every record of a clean batch is new, so the next graph is the
batch itself (plus the store's bookkeeping nodes) and merging it record by record into
dictionaries (:meth:`graph.bulk_graph.NextGraph.merge`: a stored dict and a content hash made per
row, 2.2 CPU-s at 3×10^5 records) and then formatting every dict field by field
(:func:`graph.bulk_csv.write_admin_csv`, 2.5 CPU-s) built each record twice. Here the records of
one label (or type) and one shape are put in columns, their stored properties and hashes come from
:func:`graph.content_columns.content_columns` (the same bytes and hashes as the row-by-row build),
and each column is formatted once, by C-level maps; a line is the join of its columns' fields.

The files are :func:`~graph.bulk_csv.write_admin_csv`'s own: one per primary label and per type,
the same header (column kinds over every value, :func:`graph.exports.column_kinds`), the same
fields and quoting; only the order of lines within a file differs (grouped by shape; the importer
does not care). ``tests/test_bulk_columns.py`` holds the two writers' files equal.

:func:`write_batch_columns` answers None, having written nothing, for any batch it does not take
(a repeated id or tie, which the merge would fold; an id a bookkeeping key could take; a shape
``content_columns`` leaves to the rows): the caller then goes the merging way.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, repeat
from pathlib import Path
from typing import Any, Final

from graph.batch import Batch, NodeRecord, RelRecord
from graph.content_columns import ContentColumns, content_columns
from graph.exports import CSV_TYPES, column_kinds, csv_field, safe_name
from graph.schema import primary_label

__all__ = ["ColumnFiles", "write_batch_columns"]

#: Lines joined and written per call: bounded memory (about 10 MB), few calls.
_CHUNK: Final = 50_000
_quote_plain = '"{}"'.format
#: Python types whose export kind depends on the type alone (``graph.exports._kind``).
_PLAIN: Final = frozenset({str, bool, int, float})
#: The first header fields of a node file and of a tie file, and the names their columns leave out.
_NODE_LEAD: Final = ["id:ID", ":LABEL"]
_REL_LEAD: Final = [":START_ID", ":END_ID", ":TYPE"]
_NODE_SKIP: Final = frozenset({"id", "labels"})
_REL_SKIP: Final = frozenset({"type"})


@dataclass(frozen=True)
class ColumnFiles:
    """The files written (one per primary label, then one per type) and how many nodes and ties they hold."""

    files: list[Path]
    nodes: int
    relationships: int


#: A line's leading field: a constant text (written as it is) or a column of strings (each quoted).
_Lead = str | list[str]


@dataclass
class _Part:
    """Records of one label set (or type) and one property shape: their lead fields and property columns."""

    lead: list[_Lead]  # a node's id and :LABEL, a tie's ends and :TYPE
    content: ContentColumns
    extra: dict[str, list[Any]]  # columns stored beside the content (content_hash, rel_key)


def write_batch_columns(batch: Batch, loaded_at: str, folder: Path) -> ColumnFiles | None:
    """Write ``batch`` as it would be once merged into an empty graph, by columns; None when it cannot.

    ``loaded_at`` is the load's time, stored on every record as the merge stores it.
    """
    nodes, rels = batch.nodes, batch.relationships
    ids = [node.id for node in nodes]
    if len(set(ids)) != len(ids) or any(map(operator.methodcaller("startswith", "~"), ids)):
        return None
    keys = [rel.key for rel in rels]
    ends = map(operator.attrgetter("source"), rels), map(operator.attrgetter("type"), rels)
    if len(set(zip(*ends, map(operator.attrgetter("target"), rels), keys, strict=True))) != len(rels):
        return None
    provenance = (batch.source, loaded_at)
    node_parts = _node_parts(nodes, ids, provenance)
    rel_parts = _rel_parts(rels, keys, provenance)
    if node_parts is None or rel_parts is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        _write_file(folder / f"nodes_{safe_name(k)}.csv", _NODE_LEAD, _NODE_SKIP, v)
        for k, v in sorted(node_parts.items())
    ]
    files += [
        _write_file(folder / f"relationships_{safe_name(k)}.csv", _REL_LEAD, _REL_SKIP, v)
        for k, v in sorted(rel_parts.items())
    ]
    return ColumnFiles(files, len(nodes), len(rels))


def _shapes(records: Iterable[NodeRecord | RelRecord], group: Callable[[Any], Any]) -> dict[Any, list[int]]:
    """Positions of the records by (group, property names in order)."""
    by: dict[Any, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        by[(group(record), tuple(record.props))].append(i)
    return by


def _node_parts(nodes: list[NodeRecord], ids: list[str], provenance: tuple[str, str]) -> dict[str, list[_Part]] | None:
    """The nodes' parts by the primary label whose file they go in (as ``prepared_rows`` labels them)."""
    by_label: dict[str, list[_Part]] = defaultdict(list)
    for (labels, _), positions in _shapes(nodes, operator.attrgetter("labels")).items():
        primary = primary_label(labels)
        stored = tuple(labels) if primary else ("Organization", *labels)
        group_ids = [ids[i] for i in positions]
        content = content_columns([nodes[i].props for i in positions], stored, provenance, {"id": group_ids})
        if content is None:
            return None
        lead: list[_Lead] = [group_ids, csv_field(list(stored), "list_str")]
        by_label[primary_label(stored) or stored[0]].append(_Part(lead, content, {"content_hash": content.hashes}))
    return by_label


def _rel_parts(rels: list[RelRecord], keys: list[str], provenance: tuple[str, str]) -> dict[str, list[_Part]] | None:
    """The ties' parts by type."""
    by_type: dict[str, list[_Part]] = defaultdict(list)
    for (rel_type, _), positions in _shapes(rels, operator.attrgetter("type")).items():
        group = [rels[i] for i in positions]
        content = content_columns([rel.props for rel in group], (rel_type,), provenance, {})
        if content is None:
            return None
        lead: list[_Lead] = [[rel.source for rel in group], [rel.target for rel in group], _quoted(rel_type)]
        extra = {"rel_key": [keys[i] for i in positions], "content_hash": content.hashes}
        by_type[rel_type].append(_Part(lead, content, extra))
    return by_type


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _columns(part: _Part) -> dict[str, list[Any]]:
    """Every varying column of a part: the content's, then the stored ones beside it."""
    return {**part.content.varying, **part.extra}


def _kinds(parts: list[_Part], skip: frozenset[str]) -> dict[str, str]:
    """:func:`column_kinds` over every value of the parts, from one sample per (column, type) of plain values."""
    samples: list[dict[str, Any]] = []
    for part in parts:
        for name, value in part.content.constant.items():
            if name not in skip and value is not None:
                samples.append({name: value})
        for name, column in _columns(part).items():
            if name in skip:
                continue
            kinds = set(map(type, column))
            samples += [{name: kind()} for kind in kinds if kind in _PLAIN]
            if kinds - _PLAIN:
                samples += [{name: value} for value in column if type(value) not in _PLAIN and value is not None]
    return column_kinds(samples)


def _literal(text: str) -> str:
    """``text`` as a literal part of a ``str.format`` template."""
    return text.replace("{", "{{").replace("}", "}}")


def _column(column: list[Any], kind: str) -> tuple[str, Iterable[Any]]:
    """A column's place in a line template and what fills it: each value's ``graph.exports.csv_field``.

    Plain strings without a quote go in as they are between the template's quotes (no call per value).
    """
    if kind == "str" and set(map(type, column)) == {str}:
        return ('"{}"', column) if '"' not in "".join(column) else ("{}", map(_quoted, column))
    return "{}", map(csv_field, column, repeat(kind))


def _part_lines(part: _Part, kinds: dict[str, str]) -> Iterator[str]:
    """The part's lines, each ending its line break, in the header's column order.

    One ``str.format`` per line, from a template holding the constant fields and the separators.
    """
    constant, varying = part.content.constant, _columns(part)
    pieces: list[str] = []
    args: list[Iterable[Any]] = []
    for lead in part.lead:
        if isinstance(lead, str):
            pieces.append(_literal(lead))
        else:
            piece, values = _column(lead, "str")
            pieces.append(piece)
            args.append(values)
    for name, kind in kinds.items():
        if name in varying:
            piece, values = _column(varying[name], kind)
            pieces.append(piece)
            args.append(values)
        else:
            pieces.append(_literal(csv_field(constant.get(name), kind)))
    return map((",".join(pieces) + "\n").format, *args)


def _write_file(path: Path, lead: list[str], skip: frozenset[str], parts: list[_Part]) -> Path:
    kinds = _kinds(parts, skip)
    header = [*lead, *(f"{name}:{CSV_TYPES[kind]}" for name, kind in kinds.items())]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        for part in parts:
            lines = _part_lines(part, kinds)
            while chunk := "".join(islice(lines, _CHUNK)):
                handle.write(chunk)
    return path

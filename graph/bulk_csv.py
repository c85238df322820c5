"""neo4j-admin CSV of a bulk or staged load's next graph, written straight from its two dictionaries.

Why not through :func:`graph.exports.export_graph`: that writer takes a NetworkX graph, and a bulk
load of 10^6 organisations spent as long building that graph and copying every property dict
into per-label lists as writing the files (2×10^5 organisations: 7.9 s for the graph, 16.5 s for
the export). The files written here are the export's own, line for line (the ties in the order they
were merged, not grouped by start node; the importer does not care): one file per primary
label and per relationship type, the same header (``id:ID`` or, for the bookkeeping nodes that
have no ``id``, ``:ID``), the same columns in the same order and types (:func:`column_kinds` over
one representative value per column and type gives what it gives over every value), the same
quoting (``graph.exports.csv_field``). Nothing is synced to disk: the files live in the load's
staging folder and are thrown away with it; the importer reads them from the page cache.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from graph.exports import CSV_TYPES, column_kinds, csv_field, safe_name
from graph.schema import primary_label

__all__ = ["write_admin_csv"]

NodeEntry = tuple[tuple[str, ...], dict[str, Any]]
#: Python types whose export kind depends on the type alone (``graph.exports._kind``).
_PLAIN: Final = frozenset({str, bool, int, float})
#: Rows written per ``writelines`` call: bounded memory, few calls.
_CHUNK: Final = 20_000


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _kinds(rows: list[dict[str, Any]], skip: frozenset[str]) -> dict[str, str]:
    """``column_kinds(rows)`` without the keys in ``skip``, from one sample per (column, type).

    A plain value's kind depends on its type alone, so the type's empty value (``""``, ``False``,
    ``0``, ``0.0``) stands for all of them; other values (lists) are passed on every one.
    """
    pairs = {(key, type(value)) for row in rows for key, value in row.items() if value is not None}
    samples: list[dict[str, Any]] = [{key: kind()} for key, kind in pairs if kind in _PLAIN and key not in skip]
    odd = {key for key, kind in pairs if kind not in _PLAIN and key not in skip}
    if odd:
        samples += [{key: row[key]} for row in rows for key in odd if row.get(key) is not None]
    return column_kinds(samples)


def _formatter(kind: str) -> Callable[[Any], str]:
    """The export's field writer for one column, with its common case (a string column) inlined."""
    if kind == "str":
        return lambda value: "" if value is None else _quoted(value) if type(value) is str else csv_field(value, kind)
    return lambda value: csv_field(value, kind)


def _write(path: Path, header: list[str], lines: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= _CHUNK:
                handle.writelines(chunk)
                chunk.clear()
        handle.writelines(chunk)


def _node_file(folder: Path, label: str, members: list[tuple[str, NodeEntry]]) -> str:
    props = [entry[1] for _, entry in members]
    kinds = _kinds(props, frozenset({"id", "labels"}))
    keyed = any("id" in p for p in props)
    header = ["id:ID" if keyed else ":ID", ":LABEL", *(f"{k}:{CSV_TYPES[kind]}" for k, kind in kinds.items())]
    columns = [(name, _formatter(kind)) for name, kind in kinds.items()]
    label_fields: dict[tuple[str, ...], str] = {}

    def line(key: str, entry: NodeEntry) -> str:
        labels, p = entry
        field = label_fields.get(labels)
        if field is None:
            field = label_fields.setdefault(labels, csv_field(list(labels or (label,)), "list_str"))
        get = p.get
        return ",".join([_quoted(key), field, *[fmt(get(name)) for name, fmt in columns]]) + "\n"

    path = folder / f"nodes_{safe_name(label)}.csv"
    _write(path, header, (line(key, entry) for key, entry in members))
    return path.name


def _tie_file(folder: Path, rel_type: str, ties: list[tuple[tuple[str, str, str, str], dict[str, Any]]]) -> str:
    props = [p for _, p in ties]
    kinds = _kinds([*props, {"rel_key": ""}], frozenset({"type"}))  # every tie is written with its rel_key
    header = [":START_ID", ":END_ID", ":TYPE", *(f"{k}:{CSV_TYPES[kind]}" for k, kind in kinds.items())]
    columns = [(name, _formatter(kind)) for name, kind in kinds.items() if name != "rel_key"]
    rel_key_at = list(kinds).index("rel_key")
    type_field = _quoted(rel_type)

    def line(identity: tuple[str, str, str, str], p: dict[str, Any]) -> str:
        get = p.get
        fields = [fmt(get(name)) for name, fmt in columns]
        fields.insert(rel_key_at, _quoted(identity[3]))
        return ",".join([_quoted(identity[0]), _quoted(identity[2]), type_field, *fields]) + "\n"

    path = folder / f"relationships_{safe_name(rel_type)}.csv"
    _write(path, header, (line(identity, p) for identity, p in ties))
    return path.name


def write_admin_csv(
    nodes: Mapping[str, NodeEntry], rels: Mapping[tuple[str, str, str, str], dict[str, Any]], folder: Path
) -> list[Path]:
    """Write the next graph's nodes (key → labels, properties) and ties (identity → properties) into ``folder``.

    Returns the files: one per primary label, then one per relationship type, each in name order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    by_label: dict[str, list[tuple[str, NodeEntry]]] = defaultdict(list)
    for key, entry in nodes.items():
        labels = entry[0]
        by_label[primary_label(labels) or (labels[0] if labels else "Node")].append((key, entry))
    by_type: dict[str, list[tuple[tuple[str, str, str, str], dict[str, Any]]]] = defaultdict(list)
    for identity, props in rels.items():
        by_type[identity[1]].append((identity, props))
    names = [_node_file(folder, label, members) for label, members in sorted(by_label.items())]
    names += [_tie_file(folder, rel_type, ties) for rel_type, ties in sorted(by_type.items())]
    return [folder / name for name in names]

"""Graph exports: GraphML, GEXF, Cytoscape JSON, node-link JSON, neo4j-admin CSV and Excel.

Every format is written from the NetworkX graph a store reads (``Store.read_graph``: node attrs =
properties + ``labels``, edge attrs = properties + ``type``, edge keys ``"<TYPE>|<key>"``), so an
export is exactly what the analytics saw. What each format needs and why:

- **graphml** — typed ``<key>`` declarations (``boolean``, ``long``, ``double``, ``string``) so
  Gephi, yEd and Cytoscape read numbers as numbers. GraphML has no list type, so lists
  (``labels``, ``phases``, ``tech_fields``) are joined with ``;`` and declared ``string``. An
  attribute whose values have mixed types across elements is written as a string everywhere: one
  ``<key>`` per name, never two. The node ``id`` property is the GraphML node id and is not
  repeated as data (igraph and Gephi reserve that name). Edge ids are
  ``"<source>|<target>|<edge key>"``: edge keys are unique only between one pair of nodes, and
  Gephi drops edges whose id it has already seen.
- **gexf** — as GraphML for types and lists; additionally ``label`` is the node's ``name`` and the
  edge's relationship type (what Gephi shows), because GEXF reserves the edge attribute ``type``
  for directed/undirected.
- **cytoscape-json** / **node-link-json** — lists stay lists. Both formats use ``source`` /
  ``target`` on edges for the endpoints, which would overwrite the provenance property
  ``source``; an edge's provenance therefore travels as ``source_dataset``.
- **csv** — the ``neo4j-admin database import full`` header format: one node file per primary
  label (``id:ID``, ``:LABEL`` with role labels joined by ``;``, typed columns such as
  ``employees:long``, ``startup:boolean``, ``phases:string[]``; ``:ID`` alone for a label none of
  whose nodes has an ``id``, so none gets one) and one relationship file per type
  (``:START_ID``, ``:END_ID``, ``:TYPE``, typed columns, plus ``rel_key`` so that the imported
  database is a valid ipeco Neo4j store that later loads MERGE into). Integers are ``long``
  because the driver writes Python ints as 64-bit; strings are always quoted so that an empty
  string stays an empty string and a missing value stays missing. :func:`import_command` gives the
  matching ``neo4j-admin`` arguments.
- **xlsx** — sheets ``nodes``, ``relationships``, ``indicators``, ``gaps``; nodes, relationships
  and gaps carry a ``synthetic`` column so demo data stays flagged (DESIGN §6). Text cells that
  start with ``=``, ``+``, ``-``, ``@`` (or tab / carriage return) are neutralised with a leading
  ``'`` and stored as strings, so a firm named ``=HYPERLINK(…)`` cannot become a live formula in
  someone's Excel (CSV/formula injection).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import networkx as nx

from graph.atomic import OutputError, atomic_folder, atomic_output, write_workbook
from graph.errors import InputError
from graph.schema import primary_label

__all__ = [
    "CSV_TYPES",
    "EXPORT_FORMATS",
    "ExportError",
    "column_kinds",
    "csv_field",
    "export_graph",
    "import_command",
    "neutralise_cell",
    "safe_name",
]

EXPORT_FORMATS: Final[tuple[str, ...]] = ("graphml", "gexf", "cytoscape-json", "node-link-json", "csv", "xlsx")
#: File suffix per format (the csv format writes a folder of files).
SUFFIXES: Final[dict[str, str]] = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "cytoscape-json": ".cyjs",
    "node-link-json": ".json",
    "xlsx": ".xlsx",
}
LIST_SEPARATOR: Final = ";"
#: The JSON formats' endpoint field names win; an edge's provenance ``source`` is renamed to this.
EDGE_SOURCE_FIELD: Final = "source_dataset"
#: First characters that make a spreadsheet cell a formula (OWASP CSV injection).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")


class ExportError(InputError):
    """An export could not be written; the message says which format or file and why."""


# --- attribute typing ------------------------------------------------------------------------
def _kind(value: Any) -> str:
    if type(value) is str:  # most values: no isinstance chain (measured: a third of a 10^5-record CSV export)
        return "str"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list | tuple):
        kinds = {_kind(v) for v in value}
        if kinds <= {"int"}:
            return "list_int" if value else "list_str"
        if kinds <= {"int", "float"}:
            return "list_float"
        return "list_str"
    return "str"


def _merge_kinds(kinds: set[str]) -> str:
    """One type per attribute: ints widen to floats, anything else mixed falls back to string."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= {"int", "float"}:
        return "float"
    if kinds <= {"list_int", "list_float", "list_str"} and "list_str" not in kinds:
        return "list_float"
    if all(k.startswith("list") for k in kinds):
        return "list_str"
    return "str"


def column_kinds(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The single kind (bool, int, float, str, list_int, list_float, list_str) of every attribute."""
    seen: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for key, value in row.items():
            if value is not None:
                seen[key].add(_kind(value))
    return {key: _merge_kinds(kinds) for key, kinds in sorted(seen.items())}


def _flat(value: Any, kind: str) -> Any:
    """A value as GraphML/GEXF can type it: lists joined, mixed-type attributes as strings."""
    if kind.startswith("list"):
        items = value if isinstance(value, list | tuple) else [value]
        return LIST_SEPARATOR.join(_scalar_text(v) for v in items)
    if kind == "float":
        return float(value)
    if kind == "str" and not isinstance(value, str):
        return _scalar_text(value)
    return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_scalar_text(v) for v in value)
    return str(value)


def _flat_graph(graph: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict[str, str], dict[str, str]]:
    """A copy with typed scalar attributes only and globally unique edge keys (see module docstring)."""
    node_kinds = column_kinds(data for _, data in graph.nodes(data=True))
    edge_kinds = column_kinds(data for _, _, data in graph.edges(data=True))
    flat = nx.MultiDiGraph()
    flat.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, str | int | float | bool)})
    for node, data in graph.nodes(data=True):
        # The node id is the element id; an "id" attribute beside it clashes in igraph and Gephi.
        attrs = {k: _flat(v, node_kinds[k]) for k, v in data.items() if v is not None and k != "id"}
        flat.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _flat(val, edge_kinds[k]) for k, val in data.items() if val is not None}
        flat.add_edge(u, v, key=edge_id(u, v, key), **attrs)
    return flat, node_kinds, edge_kinds


def edge_id(u: str, v: str, key: Any) -> str:
    """The document-wide edge id of GraphML and GEXF exports."""
    return f"{u}|{v}|{key}"


# --- formats -----------------------------------------------------------------------------------
def _write_graphml(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    flat, _, _ = _flat_graph(graph)
    with atomic_output(path) as tmp:
        nx.write_graphml(flat, tmp, encoding="utf-8", prettyprint=True)
    return [path]


def _write_gexf(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    flat, _, _ = _flat_graph(graph)
    for node, data in flat.nodes(data=True):
        data["label"] = str(data.get("name", node))
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["label"] = str(data.pop("type", ""))
        data["id"] = key  # GEXF edge ids, like GraphML's, must be unique in the document
    with atomic_output(path) as tmp:
        nx.write_gexf(flat, tmp, encoding="utf-8", prettyprint=True)
    return [path]


def _json_edges(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    flat = nx.MultiDiGraph()
    flat.graph.update(graph.graph)
    flat.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {(EDGE_SOURCE_FIELD if k == "source" else k): val for k, val in data.items()}
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def _write_json(data: Any, path: Path) -> list[Path]:
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return [path]


def _write_cytoscape(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    return _write_json(nx.cytoscape_data(_json_edges(graph)), path)


def _write_node_link(graph: nx.MultiDiGraph, path: Path) -> list[Path]:
    return _write_json(nx.node_link_data(_json_edges(graph), edges="edges"), path)


# --- neo4j-admin CSV -----------------------------------------------------------------------------
CSV_TYPES: Final[dict[str, str]] = {
    "bool": "boolean",
    "int": "long",
    "float": "double",
    "str": "string",
    "list_int": "long[]",
    "list_float": "double[]",
    "list_str": "string[]",
}


def csv_field(value: Any, kind: str) -> str:
    """One CSV field for neo4j-admin: missing values empty and unquoted, everything else quoted."""
    if value is None:
        return ""
    if type(value) is str and kind == "str":  # the common case first: a bulk load writes millions
        return '"' + value.replace('"', '""') + '"'
    if kind.startswith("list"):
        items = value if isinstance(value, list | tuple) else [value]
        text = LIST_SEPARATOR.join(_scalar_text(v) for v in items)
    elif kind == "float":
        text = repr(float(value))
    else:
        text = _scalar_text(value)
    return '"' + text.replace('"', '""') + '"'


def _write_csv_file(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        handle.writelines(",".join(row) + "\n" for row in rows)


def safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in text)


def _write_admin_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """Every file in full in a staging folder first (:func:`graph.atomic.atomic_folder`), then moved in."""
    with atomic_folder(folder) as staging:
        names = _write_admin_csv_files(graph, staging)
    return [folder / name for name in names]


def _write_admin_csv_files(graph: nx.MultiDiGraph, folder: Path) -> list[str]:
    """One node file per primary label, then one relationship file per type; their names."""
    files = [_write_node_file(folder, label, members) for label, members in sorted(_nodes_by_label(graph).items())]
    files += [_write_tie_file(folder, rel_type, ties) for rel_type, ties in sorted(_ties_by_type(graph).items())]
    return files


def _nodes_by_label(graph: nx.MultiDiGraph) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        labels = list(data.get("labels") or [])
        by_label[primary_label(labels) or (labels[0] if labels else "Node")].append((node, data))
    return by_label


def _write_node_file(folder: Path, label: str, members: list[tuple[str, dict[str, Any]]]) -> str:
    props = [{k: v for k, v in d.items() if k not in ("labels", "id")} for _, d in members]
    kinds = column_kinds(props)
    # A label whose nodes have no ``id`` property (the store's bookkeeping nodes, carried over by a
    # staged load) gets an import id that is not stored: ``id:ID`` would give each an ``id``.
    keyed = any("id" in data for _, data in members)
    header = ["id:ID" if keyed else ":ID", ":LABEL", *(f"{k}:{CSV_TYPES[kind]}" for k, kind in kinds.items())]
    rows = [
        [
            csv_field(node, "str"),
            csv_field(list(data.get("labels") or [label]), "list_str"),
            *(csv_field(p.get(k), kind) for k, kind in kinds.items()),
        ]
        for (node, data), p in zip(members, props, strict=True)
    ]
    path = folder / f"nodes_{safe_name(label)}.csv"
    _write_csv_file(path, header, rows)
    return path.name


def _ties_by_type(graph: nx.MultiDiGraph) -> dict[str, list[tuple[str, str, str, dict[str, Any]]]]:
    by_type: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, key, data in graph.edges(keys=True, data=True):
        by_type[str(data.get("type") or str(key).partition("|")[0])].append((u, v, str(key), data))
    return by_type


def _tie_props(rel_type: str, ties: list[tuple[str, str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each tie's properties with its ``rel_key`` (the graph key without the type prefix)."""
    props = []
    for _, _, key, data in ties:
        row = {k: val for k, val in data.items() if k != "type"}
        row["rel_key"] = key.partition("|")[2] if key.startswith(f"{rel_type}|") else key
        props.append(row)
    return props


def _write_tie_file(folder: Path, rel_type: str, ties: list[tuple[str, str, str, dict[str, Any]]]) -> str:
    props = _tie_props(rel_type, ties)
    kinds = column_kinds(props)
    header = [":START_ID", ":END_ID", ":TYPE", *(f"{k}:{CSV_TYPES[kind]}" for k, kind in kinds.items())]
    rows = [
        [
            csv_field(u, "str"),
            csv_field(v, "str"),
            csv_field(rel_type, "str"),
            *(csv_field(p.get(k), kind) for k, kind in kinds.items()),
        ]
        for (u, v, _, _), p in zip(ties, props, strict=True)
    ]
    path = folder / f"relationships_{safe_name(rel_type)}.csv"
    _write_csv_file(path, header, rows)
    return path.name


def import_command(files: Iterable[Path], database: str = "neo4j", *, report_file: Path | None = None) -> list[str]:
    """``neo4j-admin`` arguments that import a :func:`export_graph` ``csv`` export into ``database``.

    Pass them to ``neo4j-admin`` (or ``LocalNeo4j.admin``) with the database stopped or new:
    ``neo4j-admin database import full --nodes=… --relationships=… neo4j``. Multiline fields are
    on because descriptions may hold line breaks. The import report goes next to the CSV files
    (``report_file`` overrides), not into whatever folder neo4j-admin happens to run in.
    """
    args = ["database", "import", "full"]
    paths = [Path(f) for f in files]
    report = report_file or (paths[0].parent / "import.report" if paths else Path("import.report"))
    args += [f"--nodes={p}" for p in paths if p.name.startswith("nodes_")]
    args += [f"--relationships={p}" for p in paths if p.name.startswith("relationships_")]
    args += [f"--array-delimiter={LIST_SEPARATOR}", "--multiline-fields=true", "--id-type=string"]
    args += [f"--report-file={report}", database]
    return args


# --- Excel ---------------------------------------------------------------------------------------
def neutralise_cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet cell: formula-looking text gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_scalar_text(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _sheet(workbook: Any, title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([None] * len(header))
        r = sheet.max_row
        for c, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(value))
                cell.data_type = "s"  # never "f": a string stays a string whatever it starts with
            else:
                cell.value = value
    sheet.freeze_panes = "A2"


def _indicator_rows(indicators: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    nested = indicators and all(isinstance(v, Mapping) for v in indicators.values())
    if not nested:
        return ["indicator", "value"], [[k, v] for k, v in indicators.items()]
    columns = sorted({k for v in indicators.values() for k in v})
    return ["scope", *columns], [[scope, *(values.get(c) for c in columns)] for scope, values in indicators.items()]


def _write_xlsx(
    graph: nx.MultiDiGraph, path: Path, indicators: Mapping[str, Any] | None, gaps: list[Any] | None
) -> list[Path]:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    _node_sheet(workbook, graph)
    _tie_sheet(workbook, graph)
    header, rows = _indicator_rows(indicators or {})
    _sheet(workbook, "indicators", header, rows)
    _gap_sheet(workbook, gaps)
    write_workbook(workbook, path)
    return [path]


def _node_sheet(workbook: Any, graph: nx.MultiDiGraph) -> None:
    node_cols = [
        k for k in column_kinds(d for _, d in graph.nodes(data=True)) if k not in ("id", "labels", "synthetic")
    ]
    _sheet(
        workbook,
        "nodes",
        ["id", "labels", "synthetic", *node_cols],
        (
            [n, d.get("labels", []), bool(d.get("synthetic", False)), *(d.get(c) for c in node_cols)]
            for n, d in graph.nodes(data=True)
        ),
    )


def _tie_sheet(workbook: Any, graph: nx.MultiDiGraph) -> None:
    edge_cols = [k for k in column_kinds(d for _, _, d in graph.edges(data=True)) if k not in ("type", "synthetic")]
    _sheet(
        workbook,
        "relationships",
        ["source_id", "target_id", "type", "key", "synthetic", *edge_cols],
        (
            [u, v, d.get("type"), k, bool(d.get("synthetic", False)), *(d.get(c) for c in edge_cols)]
            for u, v, k, d in graph.edges(keys=True, data=True)
        ),
    )


def _gap_sheet(workbook: Any, gaps: list[Any] | None) -> None:
    gap_rows = [g if isinstance(g, Mapping) else {"gap": g} for g in gaps or []]
    gap_cols = list(dict.fromkeys(k for g in gap_rows for k in g))
    if "synthetic" not in gap_cols:
        gap_cols.append("synthetic")
    _sheet(
        workbook,
        "gaps",
        gap_cols,
        ([g.get(c, False if c == "synthetic" else None) for c in gap_cols] for g in gap_rows),
    )


# --- entry point ---------------------------------------------------------------------------------
def export_graph(
    graph: nx.MultiDiGraph,
    fmt: str,
    path: Path,
    *,
    indicators: Mapping[str, Any] | None = None,
    gaps: list[Any] | None = None,
) -> list[Path]:
    """Write ``graph`` in ``fmt`` to ``path`` and return the files written.

    ``path`` is a file for every format but ``csv``, where it is a folder that receives one file
    per node label and relationship type. ``indicators`` and ``gaps`` only go into ``xlsx``.
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        raise ExportError(msg)
    path = Path(path)
    try:
        match fmt:
            case "graphml":
                return _write_graphml(graph, path)
            case "gexf":
                return _write_gexf(graph, path)
            case "cytoscape-json":
                return _write_cytoscape(graph, path)
            case "node-link-json":
                return _write_node_link(graph, path)
            case "csv":
                return _write_admin_csv(graph, path)
            case _:
                return _write_xlsx(graph, path, indicators, gaps)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc

"""A region as a filled canonical template (issue 22): what the producer downloads, edits and uploads again.

Why it is built from the stored graph and not from the seed files: the producer corrects what the
product shows, whatever loaded it. Each node and tie of the region's view becomes one row with every
stored property (``loaded_at`` left out: the store sets it), lists ``;``-joined as the loader reads
them, and seats as ``LOCATED_IN`` rows (not the ``region`` shortcut, which would give the tie its
row's provenance). Uploaded again unchanged, it changes nothing (``tests/test_workbench_upload.py``),
except a tie's dataset id (``source``): in the relationships table ``source`` is the tie's start, so
a tie takes the upload's dataset (the nodes' one ``source`` value, else ``canonical``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph.atomic import write_workbook
from graph.schema import primary_label, role_label
from loaders.canonical import NODE_COLUMNS, REL_COLUMNS

__all__ = ["write_region_template"]

#: Properties no row carries: the store's clock, what the columns already say, and the view's own mark.
_LEFT_OUT = frozenset({"loaded_at", "labels", "type", "id", "in_region"})


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


def _columns(columns: tuple[str, ...], rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The required columns, the template's others that the rows use in its order, then any other property."""
    seen = {k for row in rows for k in row}
    fixed = [c for c in columns if c in columns[:3] or c in seen]
    return fixed + sorted(seen - set(fixed))


def _node_rows(view: nx.MultiDiGraph) -> list[dict[str, Any]]:
    rows = []
    for node, attrs in sorted(view.nodes(data=True), key=lambda item: str(item[0])):
        labels = attrs.get("labels", ())
        label = role_label(labels) or primary_label(labels) or ""
        props = {k: v for k, v in attrs.items() if k not in _LEFT_OUT and v is not None}
        rows.append({"id": node, "label": label, **props})
    return rows


def _rel_rows(view: nx.MultiDiGraph) -> list[dict[str, Any]]:
    rows = []
    for source, target, attrs in sorted(
        view.edges(data=True), key=lambda e: (str(e[0]), str(e[2].get("type")), str(e[1]))
    ):
        # ``source`` is the tie's start in this table: its dataset is the upload's (the nodes' source).
        props = {k: v for k, v in attrs.items() if k not in _LEFT_OUT and k != "source" and v is not None}
        rows.append({"source": source, "type": attrs.get("type", ""), "target": target, **props})
    return rows


def write_region_template(view: nx.MultiDiGraph, path: Path) -> Path:
    """Write ``view`` (a region's view, :func:`graph.scope.region_subgraph`) as a canonical workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, columns, rows in (
        ("nodes", NODE_COLUMNS, _node_rows(view)),
        ("relationships", REL_COLUMNS, _rel_rows(view)),
    ):
        sheet = workbook.create_sheet(title)
        header = _columns(columns, rows)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(row.get(column)) for column in header])
    write_workbook(workbook, path)
    return path

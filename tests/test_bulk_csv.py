"""The bulk load's CSV writer (``graph.bulk_csv``) writes the export's neo4j-admin files, line for line.

A bulk or staged load writes its next graph straight from its dictionaries instead of through a
NetworkX graph and :func:`graph.exports.export_graph` (issue 23, item 7: the CSV phase). The files
must stay the export's own, so that what was proven to import (``tests/test_exports.py``) is what
a bulk load imports: same file names, header, column order and types, quoting, lines (ties may come
in another order: the export walks them by start node, the writer in the order they were merged;
the importer does not care). Checked on a tiny
graph with every awkward case named, and on generated ones (hypothesis).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.bulk_csv import write_admin_csv
from graph.bulk_graph import NextGraph
from graph.exports import export_graph
from tests.csv_strategies import graph_shapes, property_maps


def _same_files(graph: NextGraph, root: Path) -> None:
    expected = export_graph(graph.as_networkx(), "csv", root / "export")
    written = write_admin_csv(graph.nodes, graph.rels, root / "bulk")
    assert [p.name for p in written] == [p.name for p in expected]
    for ours, theirs in zip(written, expected, strict=True):
        header, *rows = ours.read_bytes().split(b"\n")
        their_header, *their_rows = theirs.read_bytes().split(b"\n")
        assert (header, sorted(rows)) == (their_header, sorted(their_rows)), ours.name


def test_the_tiny_graph_with_every_awkward_case_is_written_as_the_export_writes_it(tmp_path: Path) -> None:
    graph = NextGraph()
    graph.nodes["org:1"] = (("Organization", "Company"), {"id": "org:1", "name": 'A "quoted", name', "employees": 3})
    graph.nodes["org:2"] = (("Organization", "University"), {"id": "org:2", "name": "B\nline", "employees": 2.5})
    graph.nodes["prog:x"] = (("Programme",), {"id": "prog:x", "phases": ["ideation", "launch"], "synthetic": True})
    graph.nodes["~4:db:7"] = (("IpecoMeta",), {"key": "data", "epoch": "e1", "writes": 4})  # no id: ":ID"
    graph.rels[("org:1", "COLLABORATES_WITH", "org:2", "joint_research")] = {"kind": "joint_research", "weight": 1}
    graph.rels[("org:2", "COLLABORATES_WITH", "org:1", "")] = {"weight": 0.5, "type": "ignored", "rel_key": ""}
    graph.rels[("org:1", "PARTICIPATES_IN", "prog:x", "2024")] = {"fiscal_year": 2024, "tags": [1, 2]}
    _same_files(graph, tmp_path)


_PROPS = property_maps(
    ["a", "b", "name", "weight", "zeta"],
    st.none(),
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**graph_shapes(6, _PROPS))
def test_generated_graphs_are_written_as_the_export_writes_them(
    tmp_path_factory: Any, nodes: list[tuple[str, dict[str, Any]]], ties: list[tuple[int, int, str, dict[str, Any]]]
) -> None:
    graph = NextGraph()
    for i, (role, props) in enumerate(nodes):
        labels = ("Region",) if role == "Region" else ("Organization", role)
        graph.nodes[f"n:{i}"] = (labels, {**props, "id": f"n:{i}"})
    for s, t, key, props in ties:
        if s < len(nodes) and t < len(nodes):
            graph.rels[(f"n:{s}", "SUPPORTS", f"n:{t}", key)] = {**props, "rel_key": key}
    _same_files(graph, tmp_path_factory.mktemp("csv"))

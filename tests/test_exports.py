"""Every export format round-trips, and the neo4j-admin CSV imports into a real Neo4j.

Readers are the libraries users' tools are built on (NetworkX, python-igraph, openpyxl) and the
real ``neo4j-admin database import full`` of the pinned Neo4j, never our own parsers.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import openpyxl
import pytest

from graph.embedded import EmbeddedStore
from graph.exports import EDGE_SOURCE_FIELD, EXPORT_FORMATS, ExportError, export_graph, import_command
from tests.bulk_support import scratch_server
from tests.conftest import tiny_batch
from tests.test_query_guard import sample_batch

INJECTION = '=HYPERLINK("http://x")食品'


@pytest.fixture
def graph(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """tiny_batch + the Kobe sample, with written-back scores and an awkward description."""
    embedded_store.write_batch(tiny_batch())
    embedded_store.write_batch(sample_batch())
    embedded_store.write_node_properties({"org:fbri": {"pagerank": 0.31}, "org:kobe-u": {"pagerank": 1}})
    embedded_store.write_node_properties({"prog:ipas": {"description": 'line one\nline "two"; three, four'}})
    return embedded_store.read_graph()


def flat(value: Any) -> Any:
    """What a list becomes in GraphML/GEXF: joined with ';'."""
    return ";".join(str(v) for v in value) if isinstance(value, list) else value


def expected_flat(
    graph: nx.MultiDiGraph,
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    nodes = {n: {k: flat(v) for k, v in d.items()} for n, d in graph.nodes(data=True)}
    # pagerank is 0.31 on one node and 1 on another: a typed format widens the attribute to float.
    for data in nodes.values():
        if "pagerank" in data:
            data["pagerank"] = float(data["pagerank"])
    edges = {(u, v, k): {a: flat(b) for a, b in d.items()} for u, v, k, d in graph.edges(keys=True, data=True)}
    return nodes, edges


def assert_same_typed(actual: dict[str, Any], expected: dict[str, Any], where: str) -> None:
    assert actual == expected, where
    for key, value in expected.items():
        assert type(actual[key]) is type(value), f"{where}: {key} is {type(actual[key]).__name__}"


def test_graphml_round_trips_with_types(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    nodes, edges = expected_flat(graph)
    assert back.number_of_nodes() == graph.number_of_nodes() == 17
    assert back.number_of_edges() == graph.number_of_edges() == 25
    for node, data in back.nodes(data=True):
        assert_same_typed({**data, "id": node}, nodes[node], node)
    for u, v, key, data in back.edges(keys=True, data=True):
        assert key.startswith(f"{u}|{v}|")
        assert_same_typed(data, edges[(u, v, key.removeprefix(f"{u}|{v}|"))], key)
    assert back.nodes["org:firm2"]["startup"] is True and back.nodes["org:firm1"]["employees"] == 40
    assert back.nodes["org:a"]["labels"] == "Organization;Company"
    text = path.read_text(encoding="utf-8")
    assert 'attr.name="employees" attr.type="long"' in text or 'attr.name="employees" attr.type="int"' in text
    assert 'attr.name="phases" attr.type="string"' in text
    # A second, independent reader (python-igraph's C GraphML parser), as Cytoscape or Gephi would read it.
    ig = igraph.Graph.Read_GraphML(str(path))
    assert (ig.vcount(), ig.ecount()) == (17, 25)
    assert sorted(ig.vs["id"]) == sorted(graph.nodes)
    assert sorted(ig.es["type"]) == sorted(d["type"] for _, _, d in graph.edges(data=True))
    firm1 = ig.vs.find(id="org:firm1")
    assert (firm1["employees"], firm1["name"]) == (40, INJECTION)
    assert len({e.get("id") for e in ET.parse(path).getroot().iter() if e.tag.endswith("}edge")}) == 25


def test_gexf_round_trips_with_types(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(graph, "gexf", tmp_path / "g.gexf")
    back = nx.read_gexf(path)
    nodes, edges = expected_flat(graph)
    assert (back.number_of_nodes(), back.number_of_edges()) == (17, 25)
    for node, data in back.nodes(data=True):
        expected = {k: v for k, v in nodes[node].items() if k != "id"}  # the node id is the GEXF id
        assert data.pop("label") == graph.nodes[node].get("name", node)
        assert_same_typed(data, expected, node)
    for u, v, key, data in back.edges(keys=True, data=True):
        original = key.removeprefix(f"{u}|{v}|")
        assert data.pop("id") == key  # GEXF edge ids are unique in the document
        data["type"] = data.pop("label")
        assert_same_typed(data, edges[(u, v, original)], key)


def _unjson_edge(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in ("source", "target", "key")}
    if EDGE_SOURCE_FIELD in out:
        out["source"] = out.pop(EDGE_SOURCE_FIELD)
    return out


def test_cytoscape_json_round_trips(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(graph, "cytoscape-json", tmp_path / "g.cyjs")
    back = nx.cytoscape_graph(json.loads(path.read_text(encoding="utf-8")))
    assert (back.number_of_nodes(), back.number_of_edges()) == (17, 25)
    for node, data in back.nodes(data=True):
        assert data.pop("value") == node
        expected = dict(graph.nodes[node])
        expected.setdefault("name", node)
        assert_same_typed(data, expected, node)
    for u, v, key, data in back.edges(keys=True, data=True):
        assert_same_typed(_unjson_edge(data), dict(graph.edges[u, v, key]), key)
    assert back.nodes["prog:ipas"]["phases"] == ["ideation"]


def test_node_link_json_round_trips(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(graph, "node-link-json", tmp_path / "g.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"nodes", "edges", "directed", "multigraph"}
    back = nx.node_link_graph(data, edges="edges")
    assert (back.number_of_nodes(), back.number_of_edges()) == (17, 25)
    for node, attrs in back.nodes(data=True):
        assert_same_typed({**attrs, "id": node}, dict(graph.nodes[node]), node)
    for u, v, key, attrs in back.edges(keys=True, data=True):
        assert_same_typed(_unjson_edge(attrs), dict(graph.edges[u, v, key]), key)
    # The provenance of an edge is not lost under the endpoint field.
    assert {e[EDGE_SOURCE_FIELD] for e in data["edges"]} == {"test", "sample"}


def test_xlsx_neutralises_formulas_and_reads_back(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    indicators = {"kobe": {"density": 0.12, "orgs": 8}, "aomori": {"density": 0.3, "orgs": 2}}
    gaps = [{"kind": "liaison", "explanation": "-no referral", "synthetic": True}, {"kind": "@isolated"}]
    (path,) = export_graph(graph, "xlsx", tmp_path / "g.xlsx", indicators=indicators, gaps=gaps)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["nodes", "relationships", "indicators", "gaps"]
    nodes = list(book["nodes"].iter_rows(values_only=True))
    header = nodes[0]
    assert header[:3] == ("id", "labels", "synthetic") and len(nodes) == 18
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in nodes[1:]}
    assert by_id["org:firm1"]["name"] == "'" + INJECTION
    assert by_id["org:firm1"]["synthetic"] is True and by_id["org:a"]["synthetic"] is False
    assert by_id["org:firm1"]["employees"] == 40 and by_id["org:a"]["labels"] == "Organization;Company"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), f"{sheet.title}!{cell.coordinate}"
    rels = list(book["relationships"].iter_rows(values_only=True))
    assert rels[0][:5] == ("source_id", "target_id", "type", "key", "synthetic") and len(rels) == 26
    assert list(book["indicators"].iter_rows(values_only=True)) == [
        ("scope", "density", "orgs"),
        ("kobe", 0.12, 8),
        ("aomori", 0.3, 2),
    ]
    gap_rows = list(book["gaps"].iter_rows(values_only=True))
    assert gap_rows == [
        ("kind", "explanation", "synthetic"),
        ("liaison", "'-no referral", True),
        ("'@isolated", None, False),
    ]


def test_unknown_format_is_a_clear_error(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'pdf'; choose one of graphml, gexf"):
        export_graph(graph, "pdf", tmp_path / "x.pdf")
    assert "csv" in EXPORT_FORMATS


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_csv_has_neo4j_admin_headers(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    files = export_graph(graph, "csv", tmp_path / "csv")
    names = sorted(p.name for p in files)
    assert "nodes_Organization.csv" in names and "relationships_SUPPORTS.csv" in names
    org = _csv_header(tmp_path / "csv" / "nodes_Organization.csv")
    assert org[:2] == ["id:ID", ":LABEL"]
    assert {"employees:long", "startup:boolean", "pagerank:double", "synthetic:boolean", "name:string"} <= set(org)
    assert "phases:string[]" in _csv_header(tmp_path / "csv" / "nodes_Programme.csv")
    assert _csv_header(tmp_path / "csv" / "relationships_SUPPORTS.csv")[:3] == [":START_ID", ":END_ID", ":TYPE"]
    args = import_command(files, "scratch")
    assert args[:3] == ["database", "import", "full"] and args[-1] == "scratch"
    assert sum(a.startswith("--nodes=") for a in args) == 4 and "--array-delimiter=;" in args
    assert f"--report-file={tmp_path / 'csv' / 'import.report'}" in args


@pytest.mark.neo4j
def test_csv_imports_with_the_real_neo4j_admin(graph: nx.MultiDiGraph, tmp_path: Path, neo4j_jars: Path) -> None:
    """Import the CSV with neo4j-admin into a scratch Neo4j home, start it briefly, and count.

    The scratch is a second LocalNeo4j (:func:`tests.bulk_support.scratch_server`); neo4j-admin
    runs with its home and conf, so it can only write there.
    """
    files = export_graph(graph, "csv", tmp_path / "csv")
    scratch = scratch_server(tmp_path / "scratch", neo4j_jars, heap="256m", pagecache="16m")
    scratch.write_config()
    result = scratch.admin(*import_command(files, "neo4j"))
    assert result.returncode == 0, result.stdout + result.stderr
    report = result.stdout + result.stderr
    imported = re.search(
        r"IMPORT DONE.*?Imported:\s+(\d+) nodes\s+(\d+) relationships\s+(\d+) properties", report, re.S
    )
    assert imported, report[-2000:]
    # Every property arrives: node properties incl. id (labels are labels), edge properties + rel_key.
    properties = sum(len(d) - 1 for _, d in graph.nodes(data=True)) + sum(len(d) for _, _, d in graph.edges(data=True))
    assert tuple(map(int, imported.groups())) == (graph.number_of_nodes(), graph.number_of_edges(), properties)
    assert (tmp_path / "csv" / "import.report").exists() and not (Path.cwd() / "import.report").exists()
    try:
        scratch.start(timeout=180)
        from neo4j import GraphDatabase

        with GraphDatabase.driver(scratch.uri, auth=("neo4j", scratch.password() or "")) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (n) RETURN count(n) AS nodes, count { MATCH ()-[]->() } AS rels", database_="neo4j"
            )
            assert (records[0]["nodes"], records[0]["rels"]) == (graph.number_of_nodes(), graph.number_of_edges())
            by_label, _, _ = driver.execute_query(
                "MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c ORDER BY l", database_="neo4j"
            )
            expected_labels: dict[str, int] = {}
            for _, data in graph.nodes(data=True):
                for label in data["labels"]:
                    expected_labels[label] = expected_labels.get(label, 0) + 1
            assert {r["l"]: r["c"] for r in by_label} == expected_labels
            by_type, _, _ = driver.execute_query(
                "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c", database_="neo4j"
            )
            expected_types: dict[str, int] = {}
            for _, _, data in graph.edges(data=True):
                expected_types[data["type"]] = expected_types.get(data["type"], 0) + 1
            assert {r["t"]: r["c"] for r in by_type} == expected_types
            # Typed values survive: integers, booleans, lists, empty strings, quotes and newlines.
            firm, _, _ = driver.execute_query(
                "MATCH (f {id: 'org:firm1'}), (p {id: 'prog:ipas'}), (s {id: 'org:firm2'}) "
                "RETURN f.employees AS e, f.name AS name, f.evidence AS ev, p.phases AS ph, p.description AS d, "
                "s.startup AS st, s.pagerank IS NULL AS no_rank",
                database_="neo4j",
            )
            row = firm[0]
            assert (row["e"], row["name"], row["ev"], row["ph"], row["st"], row["no_rank"]) == (
                40,
                INJECTION,
                "",
                ["ideation"],
                True,
                True,
            )
            assert row["d"] == graph.nodes["prog:ipas"]["description"]
            loan, _, _ = driver.execute_query(
                "MATCH (:Organization {id: 'org:kobe-bank'})-[r:FINANCES]->() RETURN r.amount AS a, r.rel_key AS k",
                database_="neo4j",
            )
            assert (loan[0]["a"], loan[0]["k"]) == (1.5e7, "loan|2024|")
    finally:
        scratch.stop()

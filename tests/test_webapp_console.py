"""The analyst console, map exports and report page as plain functions, against the real local Neo4j.

The console's callbacks are thin wrappers around ``console_run``, ``saved_query_view`` and
``result_csv`` (webapp/pages/query.py); these tests call them with a :class:`DataSource` over the
test Neo4j loaded with the project's seed, exactly as the running app does.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.exports import EXPORT_FORMATS
from graph.neo4j_store import Neo4jStore
from graph.query import SWITCH_COMMAND, saved_queries
from graph.server import LocalNeo4j
from graph.words import t
from tests.conftest import open_test_neo4j
from tests.sample_batch import hand_built_batch
from webapp import ids
from webapp.data import DataSource
from webapp.pages import query, report
from webapp.pages.map import export_file

REGIONS_QUERY = "MATCH (r:Region) WHERE r.model_region_fy IS NOT NULL RETURN r.id AS id, r.name AS name ORDER BY id"


@pytest.fixture
def seeded(neo4j_seeded: Neo4jStore, neo4j_server: LocalNeo4j) -> DataSource:
    """A DataSource over the test Neo4j holding the seed (a fresh connection per read, as in the app).

    The seed is loaded once for the tests that only read it (``neo4j_seeded``): the refusal test
    checks with a fingerprint that nothing was written, and a write would cost the next test a reload."""
    return DataSource(lambda: open_test_neo4j(neo4j_server))


def fingerprint(store: Neo4jStore) -> tuple[str, str, dict[str, Any]]:
    """The store's data version, a hash of every stored property, and the counts: any change shows."""
    graph = store.read_graph_all()
    content = json.dumps(
        [sorted(graph.nodes(data=True)), sorted(graph.edges(keys=True, data=True))], sort_keys=True, default=str
    )
    return store.data_version(), hashlib.sha256(content.encode()).hexdigest(), store.counts()


def walk(component: Any) -> Iterator[Any]:
    """Every component in a Dash layout tree."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from walk(child)


def text_of(component: Any) -> str:
    return " ".join(str(c.children) for c in walk(component) if isinstance(getattr(c, "children", None), str))


def param_values(inputs: list[Any]) -> dict[str, tuple[Any, str]]:
    """What the run callback receives from the parameter inputs: ``{name: (value, kind)}``."""
    out = {}
    for component in walk(_Box(inputs)):
        cid = getattr(component, "id", None)
        if isinstance(cid, dict) and cid.get("type") == ids.QUERY_PARAM:
            out[cid["name"]] = (component.value, cid["kind"])
    return out


class _Box:
    def __init__(self, children: list[Any]) -> None:
        self.children = children


@pytest.mark.neo4j
def test_a_read_query_returns_rows(seeded: DataSource) -> None:
    out = query.console_run(seeded, REGIONS_QUERY, {}, "en")
    assert out.error == ""
    assert [c["name"] for c in out.columns] == ["id", "name"]
    model_regions = ["aichi", "aomori", "ishikawa", "kobe", "kumamoto", "yamaguchi"]  # FY2024 and FY2025
    assert [row["c0"] for row in out.data] == [f"region:{r}" for r in model_regions]
    assert "神戸市" in [row["c1"] for row in out.data]
    assert out.status.startswith("6 rows in")
    assert out.notice == "" and out.elements == []  # scalars only: no graph view


@pytest.mark.neo4j
def test_nodes_and_relationships_become_a_graph(seeded: DataSource) -> None:
    out = query.console_run(
        seeded, "MATCH p = (o:Organization)-[r:SUPPORTS]->(f:Company) RETURN o, r, f, p LIMIT 5", {}, "ja"
    )
    assert out.error == ""
    nodes = [e for e in out.elements if "source" not in e["data"]]
    edges = [e for e in out.elements if "source" in e["data"]]
    assert nodes and edges
    node_ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in node_ids and e["data"]["target"] in node_ids for e in edges)
    assert all(e["data"]["label"] == "SUPPORTS" for e in edges)
    assert str(out.data[0]["c0"]).startswith("(:Organization")
    assert str(out.data[0]["c1"]).startswith("[:SUPPORTS]")


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("lang", "prefix"),
    [("en", "Refused: "), ("ja", "拒否しました: ")],
)
def test_a_write_shows_the_refusal_sentence_and_changes_nothing(
    seeded: DataSource, neo4j_seeded: Neo4jStore, lang: str, prefix: str
) -> None:
    before = fingerprint(neo4j_seeded)
    for cypher in ("CREATE (n) RETURN n", "MATCH (n:Region) DETACH DELETE n", "MATCH (n) SET n.x = 1 RETURN n"):
        out = query.console_run(seeded, cypher, {}, lang)
        assert out.error.startswith(prefix), out.error
        assert "\n" not in out.error and "Traceback" not in out.error
        assert out.data == [] and out.result is None
    assert fingerprint(neo4j_seeded) == before


@pytest.mark.neo4j
def test_errors_are_one_sentence_in_the_page(seeded: DataSource) -> None:
    syntax = query.console_run(seeded, "MATCH (n RETURN n", {}, "en")
    assert syntax.error.startswith("The query could not run: syntax error at line 1")
    assert "\n" not in syntax.error
    assert query.console_run(seeded, "  ", {}, "en").error == t("query.empty", "en")
    bad = query.console_run(seeded, "RETURN $x AS x", {}, "en", extra="not a parameter")
    assert bad.error.startswith(t("query.bad_param", "en"))


@pytest.mark.neo4j
def test_the_row_cap_notice_appears(seeded: DataSource) -> None:
    out = query.console_run(seeded, "UNWIND range(1, 100) AS i RETURN i", {}, "en", row_limit=10)
    assert len(out.data) == 10
    assert out.notice == t("query.truncated", "en", limit="10")
    assert out.result is not None and out.result["truncated"] is True
    ja = query.console_run(seeded, "UNWIND range(1, 100) AS i RETURN i", {}, "ja", row_limit=10)
    assert "最初の 10 行" in ja.notice
    full = query.console_run(seeded, "UNWIND range(1, 100) AS i RETURN i", {}, "en", row_limit=100)
    assert full.notice == "" and len(full.data) == 100


@pytest.mark.neo4j
def test_saved_queries_run_with_their_default_parameters(seeded: DataSource) -> None:
    for saved in saved_queries():
        text, inputs = query.saved_query_view(saved.id, "en")
        assert text.strip() == saved.cypher.strip()
        params = param_values(inputs)
        assert sorted(params) == sorted(p.name for p in saved.params)
        assert query.console_params(params) == saved.bind()  # the inputs carry the defaults, typed
        out = query.console_run(seeded, text, params, "en")
        assert out.error == "", f"{saved.id}: {out.error}"
    text, inputs = query.saved_query_view("firms_without_phase_support", "ja")
    out = query.console_run(seeded, text, param_values(inputs), "ja")
    assert out.data, "the seed has Kobe firms without launch-phase support"
    assert [c["name"] for c in out.columns][:2] == ["id", "name"]


@pytest.mark.neo4j
def test_csv_download_is_the_runner_csv(seeded: DataSource) -> None:
    out = query.console_run(seeded, REGIONS_QUERY, {}, "en")
    assert out.result is not None
    csv = query.result_csv(out.result)
    assert csv == seeded.run_query(REGIONS_QUERY).to_csv()
    lines = csv.splitlines()
    assert lines[0] == "id,name"
    assert lines[1].startswith("region:aichi,")  # ORDER BY id
    assert len(lines) == 7  # six model regions


@pytest.mark.neo4j
def test_console_page_on_neo4j_has_no_switch_box(seeded: DataSource) -> None:
    page = query.layout(seeded, lang="en", saved="isolated_actors")
    text = text_of(page)
    assert SWITCH_COMMAND not in text
    editor = next(c for c in walk(page) if getattr(c, "id", None) == ids.QUERY_EDITOR)
    assert editor.value.strip() == next(q for q in saved_queries() if q.id == "isolated_actors").cypher.strip()


@pytest.mark.neo4j
def test_console_offers_run_before_the_store_first_answers(neo4j_server: LocalNeo4j) -> None:
    """The first console page of a fresh app, while the store's first connection is still being made
    (a loaded machine: longer than the page's deadline), is the Neo4j page: Run enabled, no switch box.

    It used to learn the store's kind from a finished read, so this page came without a Run button
    for good (the browser test's "Run still disabled at 30 s")."""
    opened = threading.Event()

    def slow_factory() -> Neo4jStore:
        opened.wait(timeout=30)  # the connection "takes" until the page is drawn
        return open_test_neo4j(neo4j_server)

    ds = DataSource(slow_factory, deadline=0.05, store_kind="neo4j")
    try:
        page = query.layout(ds, lang="en")
    finally:
        opened.set()
    run = next(c for c in walk(page) if getattr(c, "id", None) == ids.QUERY_RUN)
    assert run.disabled is False
    assert SWITCH_COMMAND not in text_of(page)


def test_embedded_store_explains_the_switch(tmp_path: Path) -> None:
    path = tmp_path / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(hand_built_batch())
    ds = DataSource(lambda: EmbeddedStore(path))
    out = query.console_run(ds, "MATCH (n) RETURN n LIMIT 1", {}, "en")
    assert out.error == t("query.embedded", "en") and "make run-neo4j" in out.error
    assert SWITCH_COMMAND == "ipeco db start && ipeco --store neo4j seed"
    page_text = text_of(query.layout(ds, lang="ja"))
    assert SWITCH_COMMAND in page_text and "ipeco --store neo4j serve" in page_text
    assert t("query.embedded", "ja") in page_text


# --- map exports and the report page ---------------------------------------------------------------
@pytest.mark.neo4j
def test_map_exports_every_format(seeded: DataSource) -> None:
    for fmt in EXPORT_FORMATS:
        content, name = export_file(seeded, "kobe", fmt)
        assert content, fmt
        assert name.startswith("ipeco-kobe")
        if fmt == "csv":
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
            assert name.endswith(".zip")
            assert any(n.endswith(".csv") and "Organization" in n for n in names), names
        elif fmt == "xlsx":
            assert content[:2] == b"PK"
        elif fmt == "graphml":
            assert b"<graphml" in content and "神戸".encode() in content
    real, name = export_file(seeded, "kobe", "node-link-json", real_only=True)
    assert name == "ipeco-kobe-real.json" and b'"synthetic": true' not in real


@pytest.mark.neo4j
def test_report_page_builds_the_cli_report(seeded: DataSource) -> None:
    content, name = report.build_report_file(seeded, "region", "kobe", "en", "html")
    assert name == "ipeco-report-kobe-en.html"
    assert b"<html" in content.lower() and b"Kobe" in content
    content, name = report.build_report_file(seeded, "comparison", "", "ja", "xlsx")
    assert name == "ipeco-report-comparison-ja.xlsx" and content[:2] == b"PK"
    with pytest.raises(ValueError, match="unknown region"):
        report.build_report_file(seeded, "region", "atlantis", "en", "html")

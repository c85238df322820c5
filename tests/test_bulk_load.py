"""``ipeco load --bulk``: a first load by neo4j-admin import and one switch, all or nothing (issue 23, item 7).

One scratch Neo4j for the file (``tests.bulk_support``), restarted once, by the successful load's
switch. In order: bad input writes nothing; a load killed (``kill -9``) while it writes its CSV,
while neo4j-admin imports, and just before the switch leaves the database exactly as it was (counts
and a content hash), its importer gone; then the next load works and holds what the normal load
holds; and a second bulk load into the now non-empty database is refused with the way out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.server import LocalNeo4j
from tests.bulk_support import (
    ROOT,
    cli_env,
    comparable,
    database_state,
    embedded_after,
    importer_pids,
    killed_at,
    open_scratch,
    scratch_server,
    staging_left,
    write_canonical,
)
from tests.cli_support import ipeco

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, neo4j_jars: Path) -> Iterator[LocalNeo4j]:
    scratch = scratch_server(tmp_path_factory.mktemp("bulk") / "home", neo4j_jars)
    scratch.start(timeout=300)
    yield scratch
    scratch.stop()


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,503 nodes and 3,502 relationships."""
    return write_canonical(tmp_path_factory.mktemp("bulk-files") / "first", range(1500))


def test_bad_input_writes_nothing_and_names_file_line_and_field(server: LocalNeo4j) -> None:
    before = database_state(server)
    bad = ROOT / "tests" / "fixtures" / "canonical" / "bad_unknown_id"
    result = ipeco("load", "canonical", bad, "--bulk", env=cli_env(server))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "relationships.csv" in result.stderr and "line 2" in result.stderr and "target" in result.stderr
    assert database_state(server) == before
    assert not staging_left(server)


@pytest.mark.parametrize("phase", ["csv", "importing", "switch"])
def test_a_killed_bulk_load_leaves_the_database_as_it_was(server: LocalNeo4j, first: Path, phase: str) -> None:
    before, pid = database_state(server), server.pid()
    killed_at(phase, server, "load", "canonical", str(first), "--bulk")
    assert database_state(server) == before
    assert server.pid() == pid and not importer_pids(server) and not server.switch_journal.exists()


def test_the_next_bulk_load_works_and_equals_the_normal_load(server: LocalNeo4j, first: Path, tmp_path: Path) -> None:
    result = ipeco("load", "canonical", first, "--bulk", "--json", env=cli_env(server))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["mode"], summary["nodes_created"], summary["relationships_created"]) == ("bulk", 1503, 3502)
    assert set(summary["seconds"]) == {"validate", "csv", "import", "switch"}
    assert summary["csv_by_columns"]  # an empty database: the batch written by columns (graph.bulk_columns)
    # the importer's own stages, from its verbose log, and the compilers its JVM ran with
    assert {"start", "Nodes", "Relationships"} <= set(summary["import_seconds"]), summary["import_seconds"]
    assert "JIT compiler" in summary["import_jvm"]
    assert not staging_left(server)  # the killed loads' folders too
    store = open_scratch(server)
    try:
        assert comparable(store.read_graph_all()) == comparable(
            embedded_after(tmp_path / "e.sqlite", ("canonical", first))
        )
        assert store.data_version() != "new:0"  # bumped: every cache refreshes
        names = {r["name"] for r in store.driver.execute_query("SHOW CONSTRAINTS YIELD name", database_="neo4j")[0]}
        assert {"ipeco_organization_id", "ipeco_region_id", "ipeco_meta_key"} <= names
        again = ipeco("load", "canonical", first, "--json", env=cli_env(server))  # the normal way: nothing changes
        counts = json.loads(again.stdout)
        assert (counts["nodes_unchanged"], counts["relationships_unchanged"]) == (1503, 3502), again.stderr
    finally:
        store.close()


def test_a_second_bulk_load_is_refused_with_the_way_out(server: LocalNeo4j, first: Path) -> None:
    before = database_state(server)
    result = ipeco("load", "canonical", first, "--bulk", env=cli_env(server))
    assert result.returncode == 1 and "--staged" in result.stderr and "Traceback" not in result.stderr
    assert database_state(server) == before

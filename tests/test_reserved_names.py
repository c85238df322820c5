"""No property name can brick the store (issue 26, item 1).

A canonical nodes file with a column ``labels`` once passed validation, committed, and then every
command that read the graph died in NetworkX's ``add_node``. Reserved names are now refused before
any write, naming file, line and column; a store that already holds one still reads, with the
property renamed and a warning naming it.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.batch import Batch, BatchError, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.reserved import safe_name
from graph.schema import NODE_RESERVED_NAMES, REL_RESERVED_NAMES, RESERVED_NAMES
from graph.store import Store
from ipeco.cli import cli
from loaders.base import LoadContext, LoaderError, LoadOptions
from loaders.canonical import read_canonical
from tests.conftest import FIXTURES, tiny_batch

GOOD = FIXTURES / "canonical" / "good"


def with_column(folder: Path, table: str, name: str, value: str = "x") -> Path:
    """The good fixture pair with one more column ``name`` in ``table`` (every row holds ``value``)."""
    shutil.copytree(GOOD, folder)
    path = folder / f"{table}.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[0].append(name)
    for row in rows[1:]:
        row.append(value)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


@pytest.mark.parametrize(
    ("table", "name"), [("nodes", "labels"), ("nodes", "node_for_adding"), ("relationships", "key")]
)
def test_the_reproducers_are_refused_naming_file_line_and_column(tmp_path: Path, table: str, name: str) -> None:
    folder = with_column(tmp_path / "case", table, name)
    with pytest.raises(LoaderError) as caught:
        read_canonical([folder], LoadOptions(), LoadContext())
    (violation,) = caught.value.violations
    assert violation.origin is not None and violation.origin.file == str(folder / f"{table}.csv")
    assert violation.origin.line == 1 and violation.field == name
    header = (folder / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert f"column {len(header)}: '{name}' is a reserved name" in violation.message


def test_every_reserved_name_is_refused_by_validation_in_both_stores(store: Store) -> None:
    store.write_batch(tiny_batch())
    before = store.counts()
    origin = Origin("x.csv", 7)
    for name in sorted(NODE_RESERVED_NAMES):
        node = NodeRecord("org:bad", ("Organization", "Company"), {"name": "悪", name: "v"}, origin)
        for dry_run in (True, False):
            with pytest.raises(BatchError, match=rf"x.csv line 7: field '{name}': '{name}' is a reserved name"):
                store.write_batch(Batch("t", [node]), dry_run=dry_run)
    for name in sorted(REL_RESERVED_NAMES):
        rel = RelRecord("REFERS_TO", "org:a", "org:b", {name: "v"}, origin)
        with pytest.raises(BatchError, match=rf"field '{name}': '{name}' is a reserved name"):
            store.write_batch(Batch("t", [], [rel]))
    assert store.counts() == before


def test_a_node_keeps_its_own_id_property() -> None:
    """``id`` is reserved for relationships, but a node's ``id`` is the schema's own property."""
    assert "id" in RESERVED_NAMES and "id" not in NODE_RESERVED_NAMES and "id" in REL_RESERVED_NAMES


def test_an_embedded_store_that_holds_one_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(tiny_batch())
    # What an earlier version wrote for a `labels` column and a relationship `key` column.
    conn = sqlite3.connect(path)
    props = orjson.loads(conn.execute("SELECT props FROM nodes WHERE id = 'org:a'").fetchone()[0])
    conn.execute("UPDATE nodes SET props = ? WHERE id = 'org:a'", (orjson.dumps({**props, "labels": "A"}).decode(),))
    conn.execute("UPDATE relationships SET props = json_set(props, '$.key', 'k') WHERE source = 'org:b'")
    conn.commit()
    conn.close()
    warnings: list[str] = []
    with EmbeddedStore(path) as store:
        store.notify = warnings.append
        graph = store.read_graph()
    assert graph.nodes["org:a"]["labels"] == ["Organization", "Company"]
    assert graph.nodes["org:a"][safe_name("labels")] == "A"
    assert any(d.get(safe_name("key")) == "k" for _, _, d in graph.edges(data=True))
    assert any("1 node(s) hold a property named 'labels'" in w and "org:a" in w for w in warnings)
    assert any("a property named 'key'" in w for w in warnings)


@pytest.mark.neo4j
def test_a_neo4j_store_that_holds_one_still_opens(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_batch(tiny_batch())
    neo4j_store.driver.execute_query("MATCH (n {id: 'org:a'}) SET n.labels = 'A', n.node_for_adding = 1")
    neo4j_store.driver.execute_query("MATCH ({id: 'org:b'})-[r]->() SET r.key = 'k', r.type = 't'")
    warnings: list[str] = []
    neo4j_store.notify = warnings.append
    graph = neo4j_store.read_graph()
    assert graph.nodes["org:a"][safe_name("labels")] == "A" and graph.nodes["org:a"][safe_name("node_for_adding")] == 1
    assert any(d.get(safe_name("key")) == "k" and d["type"] != "t" for _, _, d in graph.edges(data=True))
    named = {w.split("named ")[1].split(",")[0] for w in warnings}
    assert named == {"'labels'", "'node_for_adding'", "'key'", "'type'"}


def test_the_cli_refuses_the_load_and_every_command_still_reads(tmp_path: Path) -> None:
    env = {"IPECO_HOME": str(tmp_path / "home"), "IPECO_STORE": "embedded"}
    runner = CliRunner()
    assert runner.invoke(cli, ["seed"], env=env).exit_code == 0
    before = json.loads(runner.invoke(cli, ["stats", "--json"], env=env).output)
    folder = with_column(tmp_path / "case", "nodes", "labels")
    refused = runner.invoke(cli, ["load", "canonical", str(folder)], env=env)
    assert refused.exit_code == 1 and "'labels' is a reserved name" in refused.output
    assert json.loads(runner.invoke(cli, ["stats", "--json"], env=env).output) == before


# --- property-based: any column name a producer may type --------------------------------------

COLUMN_NAME = st.one_of(
    st.sampled_from(sorted(RESERVED_NAMES)),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,12}", fullmatch=True),
    st.text(min_size=1, max_size=12).filter(lambda t: "," not in t and "\n" not in t and "\r" not in t),
)


@settings(
    max_examples=60,
    deadline=timedelta(seconds=10),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(table=st.sampled_from(["nodes", "relationships"]), name=COLUMN_NAME)
def test_any_column_name_gives_a_clean_error_or_a_store_that_reads(
    tmp_path_factory: pytest.TempPathFactory, table: str, name: str
) -> None:
    folder = with_column(tmp_path_factory.mktemp("col") / "case", table, name.strip() or "x")
    try:
        result = read_canonical([folder], LoadOptions(), LoadContext())
    except LoaderError as exc:
        assert all(v.origin is not None and v.origin.file and v.field for v in exc.violations)
        return
    with EmbeddedStore(tmp_path_factory.mktemp("store") / "s.sqlite") as store:
        store.write_batch(result.batch)
        graph = store.read_graph()
    assert graph.number_of_nodes() == len(result.batch.nodes)

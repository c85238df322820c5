"""``ipeco load --staged``: the next graph built off the live database, imported, one switch (issue 23, item 7).

One scratch Neo4j for the file (``tests.bulk_support``), first loaded the normal way, restarted once
by the successful staged load's switch. In order: bad input writes nothing; a staged load killed
(``kill -9``) while it writes its CSV, while neo4j-admin imports, and just before the switch leaves
the database exactly as it was; a load during the build makes the staged load refuse its switch;
then the staged load equals the normal load (same graph, same counts) and a normal reload of the
same file changes nothing. A switch cut short (no server needed) is undone by the next start.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import graph.bulk
from graph.bulk import BulkRefused, bulk_load
from graph.embedded import EmbeddedStore
from graph.server import LocalNeo4j
from graph.settings import Settings
from loaders.base import LoadContext, LoadOptions
from loaders.registry import LOADERS
from tests.bulk_support import (
    ROOT,
    cli_env,
    comparable,
    database_state,
    importer_pids,
    killed_at,
    normal_load,
    open_scratch,
    scratch_server,
    staging_left,
    write_canonical,
)
from tests.cli_support import ipeco


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The live load (1,000 firms) and the staged one: 500 of them renamed, 500 new."""
    root = tmp_path_factory.mktemp("staged-files")
    return write_canonical(root / "first", range(1000)), write_canonical(root / "second", range(500, 1500), name="New")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, neo4j_jars: Path, files: tuple[Path, Path]
) -> Iterator[LocalNeo4j]:
    scratch = scratch_server(tmp_path_factory.mktemp("staged") / "home", neo4j_jars)
    scratch.start(timeout=300)
    store = open_scratch(scratch)
    try:
        normal_load(store, "canonical", files[0])
    finally:
        store.close()
    yield scratch
    scratch.stop()


@pytest.mark.neo4j
def test_bad_input_writes_nothing(server: LocalNeo4j) -> None:
    before = database_state(server)
    bad = ROOT / "tests" / "fixtures" / "canonical" / "bad_unknown_id"
    result = ipeco("load", "canonical", bad, "--staged", env=cli_env(server))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "relationships.csv" in result.stderr and "line 2" in result.stderr
    assert database_state(server) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("phase", ["csv", "importing", "switch"])
def test_a_killed_staged_load_leaves_the_database_as_it_was(
    server: LocalNeo4j, files: tuple[Path, Path], phase: str
) -> None:
    before, pid = database_state(server), server.pid()
    killed_at(phase, server, "load", "canonical", str(files[1]), "--staged")
    assert database_state(server) == before
    assert server.pid() == pid and not importer_pids(server) and not server.switch_journal.exists()


@pytest.mark.neo4j
def test_a_write_during_the_build_refuses_the_switch(
    server: LocalNeo4j, files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_scratch(server)
    batch = LOADERS["canonical"]([files[1]], LoadOptions(), LoadContext.from_graph(store.read_graph())).batch

    def another_write(phase: str) -> None:
        if phase == "import":
            store.write_node_properties({"org:f1": {"score": 1.0}})

    monkeypatch.setattr(graph.bulk, "checkpoint", another_write)
    try:
        with pytest.raises(BulkRefused, match="changed while the next one was being built"):
            bulk_load(server.settings, batch, staged=True)
        after_the_write = database_state(server)
        assert store.read_graph_all().nodes["org:f1"]["score"] == 1.0
    finally:
        store.close()
    assert database_state(server) == after_the_write and not staging_left(server)


@pytest.mark.neo4j
def test_the_staged_load_equals_the_normal_load(server: LocalNeo4j, files: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = files
    result = ipeco("load", "canonical", second, "--staged", "--json", env=cli_env(server))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    embedded = EmbeddedStore(tmp_path / "e.sqlite")
    try:
        normal_load(embedded, "canonical", first)
        embedded.write_node_properties({"org:f1": {"score": 1.0}})  # the write of the test above
        batch = LOADERS["canonical"]([second], LoadOptions(), LoadContext.from_graph(embedded.read_graph())).batch
        expected = embedded.write_batch(batch).as_dict()
        expected_graph = embedded.read_graph_all()
    finally:
        embedded.close()
    assert summary["mode"] == "staged" and summary["nodes_updated"] == 500 and summary["nodes_created"] == 500
    assert {k: summary[k] for k in expected if k != "dry_run"} == {k: v for k, v in expected.items() if k != "dry_run"}
    store = open_scratch(server)
    try:
        assert comparable(store.read_graph_all()) == comparable(expected_graph)
        again = ipeco("load", "canonical", second, "--json", env=cli_env(server))
        counts = json.loads(again.stdout)
        assert counts["nodes_created"] + counts["nodes_updated"] + counts["relationships_created"] == 0, again.stderr
        assert counts["relationships_updated"] == 0
    finally:
        store.close()


def _settings(home: Path) -> Settings:
    return Settings(home, "neo4j", None, "neo4j", None, "neo4j", 1, 2, "1g", "16m")


def test_a_switch_cut_short_is_undone_by_the_next_start(tmp_path: Path) -> None:
    """A load killed between moving the live folders out and the new ones in: the next start puts them back."""
    server = LocalNeo4j(_settings(tmp_path))
    staged = server.staging_root / "x"
    for sub in ("databases", "transactions"):
        (server.home / "data" / sub / "neo4j").mkdir(parents=True)
        (server.home / "data" / sub / "neo4j" / "live").write_text("old")
        (staged / sub / "neo4j").mkdir(parents=True)
        (staged / sub / "neo4j" / "new").write_text("new")
    moves = server._switch_moves(staged)
    (moves[0][2]).parent.mkdir(parents=True)
    moves[0][0].rename(moves[0][2])  # databases swapped in, transactions not yet: then the kill
    moves[0][1].rename(moves[0][0])
    moves[1][0].rename(moves[1][2])
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    server.switch_journal.parent.mkdir(parents=True)
    server.switch_journal.write_text(json.dumps({"staged": str(staged), "pid": dead}))
    server._undo_abandoned_switch(lambda _: None)
    for sub in ("databases", "transactions"):
        assert (server.home / "data" / sub / "neo4j" / "live").read_text() == "old"
    assert not server.switch_journal.exists()
    server._undo_abandoned_switch(lambda _: None)  # nothing left to undo: a no-op


def test_a_switch_in_progress_elsewhere_is_left_alone(tmp_path: Path) -> None:
    """Another load's switch (its process alive) is not undone by this one's start or load."""
    server = LocalNeo4j(_settings(tmp_path))
    server.switch_journal.parent.mkdir(parents=True)
    server.switch_journal.write_text(json.dumps({"staged": str(server.staging_root / "x"), "pid": os.getppid()}))
    assert server.undo_switch() is False
    server._undo_abandoned_switch(lambda _: None)
    assert server.switch_journal.exists()

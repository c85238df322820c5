"""``ipeco db dump`` / ``ipeco db restore`` and the automatic dump before a large load (issue 26, item 5).

The real ``neo4j-admin database dump`` / ``load`` of the pinned version, on the test server:
Community Edition dumps a stopped database, so each command stops and starts the server again
(one test, two restarts). The threshold of the automatic dump is lowered for the test so that a
small load crosses it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.dumps
from graph.dumps import dumps_folder
from graph.neo4j_store import Neo4jStore
from graph.server import LocalNeo4j
from ipeco.cli import cli
from tests.conftest import FIXTURES, TEST_ENV, open_test_neo4j, tiny_batch


def cli_env() -> dict[str, str | None]:
    """The test server's home and ports, the local server (no NEO4J_URI) as the store."""
    return {**TEST_ENV, "IPECO_STORE": "neo4j", "NEO4J_URI": None, "NEO4J_PASSWORD": None}


@pytest.mark.neo4j
def test_a_large_load_is_dumped_first_and_one_command_restores_it(
    neo4j_store: Neo4jStore, neo4j_server: LocalNeo4j, monkeypatch: pytest.MonkeyPatch
) -> None:
    neo4j_store.write_batch(tiny_batch())
    before = neo4j_store.counts()
    for old in dumps_folder(neo4j_server).glob("*-auto.dump"):
        old.unlink()
    monkeypatch.setattr(graph.dumps, "AUTO_DUMP_RECORDS", 5)
    runner = CliRunner()

    loaded = runner.invoke(cli, ["load", "canonical", str(FIXTURES / "canonical" / "good")], env=cli_env())
    assert loaded.exit_code == 0, loaded.output
    assert "dumping the database first (`ipeco db restore` puts it back)" in loaded.output
    (auto,) = dumps_folder(neo4j_server).glob("*-auto.dump")
    with contextlib.closing(open_test_neo4j(neo4j_server)) as after_load:
        assert after_load.counts()["total_nodes"] > before["total_nodes"]

    restored = runner.invoke(cli, ["db", "restore", "--yes"], env=cli_env())
    assert restored.exit_code == 0, restored.output
    assert f"restored the database from {auto}" in restored.output
    with contextlib.closing(open_test_neo4j(neo4j_server)) as back:
        assert back.counts() == before
    auto.unlink()


@pytest.mark.neo4j
def test_restore_without_a_dump_says_where_dumps_are(tmp_path: Path, neo4j_server: LocalNeo4j) -> None:
    missing = tmp_path / "none.dump"
    result = CliRunner().invoke(cli, ["db", "restore", str(missing), "--yes"], env=cli_env())
    assert result.exit_code == 1
    assert f"no dump at {missing}" in result.output and str(dumps_folder(neo4j_server)) in result.output
    assert neo4j_server.status().running


def test_restore_asks_before_replacing_the_database(tmp_path: Path) -> None:
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"")
    env = {"IPECO_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(cli, ["db", "restore", str(dump)], env=env, input="n\n")
    assert result.exit_code == 1 and "Replace the local Neo4j database by" in result.output
    assert "Aborted" in result.output

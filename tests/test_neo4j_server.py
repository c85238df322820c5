"""The local Neo4j that `ipeco db start` runs: real server, pinned version, loopback only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import yaml

from graph.server import NEO4J_VERSION, LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent


def test_server_answers_bolt_and_http_on_loopback(neo4j_server: LocalNeo4j) -> None:
    status = neo4j_server.status()
    assert status.running and status.pid and status.uri.startswith("bolt://127.0.0.1:")
    with urllib.request.urlopen(status.http + "/", timeout=10) as response:
        discovery = json.load(response)
    assert discovery["neo4j_version"] == NEO4J_VERSION and discovery["neo4j_edition"] == "community"
    with urllib.request.urlopen(status.http + "/browser/", timeout=10) as response:
        assert response.status == 200
    conf = (neo4j_server.conf / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf


def test_start_is_idempotent_and_status_reports(neo4j_server: LocalNeo4j) -> None:
    pid = neo4j_server.status().pid
    assert neo4j_server.start().pid == pid
    env = {
        "IPECO_HOME": str(neo4j_server.settings.home),
        "IPECO_NEO4J_BOLT_PORT": str(neo4j_server.settings.bolt_port),
        "IPECO_NEO4J_HTTP_PORT": str(neo4j_server.settings.http_port),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-m", "ipeco.cli", "db", "status", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    status = json.loads(out)
    assert status["running"] is True and status["version"] == NEO4J_VERSION and status["pid"] == pid
    assert status["data"].endswith("neo4j/data")


def test_password_is_generated_and_private(neo4j_server: LocalNeo4j) -> None:
    assert len(neo4j_server.password() or "") >= 20
    assert neo4j_server.password_file.stat().st_mode & 0o077 == 0


def test_docker_compose_runs_the_pinned_version() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["neo4j"]["image"] == f"neo4j:{NEO4J_VERSION}-community"
    assert compose["services"]["app"]["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"


def _db_start_with_path(tmp_path: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {"IPECO_HOME": str(tmp_path / "home"), "PATH": path, "IPECO_NEO4J_BOLT_PORT": "17999"}
    return subprocess.run(
        [sys.executable, "-m", "ipeco.cli", "db", "start"], capture_output=True, text=True, env=env, check=False
    )


def test_missing_java_is_a_clear_message(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = _db_start_with_path(tmp_path, str(empty))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: Java 17 or newer is needed to run Neo4j")


def test_missing_maven_is_a_clear_message(tmp_path: Path) -> None:
    only_java = tmp_path / "bin"
    only_java.mkdir()
    (only_java / "java").symlink_to(Path(shutil.which("java") or "/usr/bin/java").resolve())
    result = _db_start_with_path(tmp_path, str(only_java))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: Maven is needed to fetch Neo4j from Maven Central")


def test_routing_uri_works(neo4j_server: LocalNeo4j, neo4j_store: object) -> None:
    """`neo4j://` URIs (clusters, Aura) go through the routing driver against the same server."""
    from graph.neo4j_store import Neo4jStore
    from tests.conftest import tiny_batch

    uri = neo4j_server.uri.replace("bolt://", "neo4j://")
    with Neo4jStore(uri, "neo4j", neo4j_server.password() or "", "neo4j") as store:
        assert store.write_batch(tiny_batch()).nodes_created == 6
        assert store.counts()["total_relationships"] == 7

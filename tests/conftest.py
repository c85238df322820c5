"""Shared fixtures: both stores, the real local Neo4j, tiny batches.

The Neo4j fixtures talk to the real server of ``ipeco db start`` under ``.test-home`` on ports
17687/17474 (so a developer's own Neo4j on 7687 is never touched). ``make test`` starts it; when
pytest runs alone the session fixture starts it itself. A file lock serialises tests that use the
one database, so several pytest runs on one machine do not clear each other's data.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.server import LocalNeo4j
from graph.settings import Settings
from graph.store import Store
from tests.browser_support import browser, context, page  # noqa: F401  (fixtures of the browser tests)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_HOME = Path(os.environ.get("IPECO_TEST_HOME", ROOT / ".test-home"))
TEST_ENV = {
    "IPECO_HOME": str(TEST_HOME),
    "IPECO_NEO4J_BOLT_PORT": os.environ.get("IPECO_TEST_BOLT_PORT", "17687"),
    "IPECO_NEO4J_HTTP_PORT": os.environ.get("IPECO_TEST_HTTP_PORT", "17474"),
}


def settings_for_tests(store: str = "embedded") -> Settings:
    saved = {k: os.environ.get(k) for k in TEST_ENV}
    os.environ.update(TEST_ENV)
    try:
        return Settings.from_env(store)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[LocalNeo4j]:
    """The real local Neo4j (started here when ``make test`` has not started it)."""
    server = LocalNeo4j(settings_for_tests("neo4j"))
    started_here = not server.status().running
    server.start()
    yield server
    if started_here and os.environ.get("IPECO_KEEP_NEO4J") != "1":
        server.stop()


def open_test_neo4j(server: LocalNeo4j) -> Neo4jStore:
    """A new connection to the test database (a web app's store factory opens one per read)."""
    return Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")


@pytest.fixture
def neo4j_store(neo4j_server: LocalNeo4j) -> Iterator[Neo4jStore]:
    """An empty Neo4j database, held exclusively for one test."""
    lock_path = neo4j_server.home / "tests.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        store = open_test_neo4j(neo4j_server)
        store.clear()
        try:
            yield store
        finally:
            store.close()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "ipeco.sqlite")
    yield store
    store.close()


@pytest.fixture(params=["embedded", "neo4j"])
def store(request: pytest.FixtureRequest) -> Store:
    """Each store in turn: the contract tests run unchanged against both."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def cli_env(tmp_path: Path, neo4j_server: LocalNeo4j) -> dict[str, str]:
    """Environment for running the ``ipeco`` CLI against a scratch home and the test Neo4j."""
    env = {**os.environ, "IPECO_HOME": str(tmp_path / "home"), "IPECO_STORE": "embedded"}
    env.update(NEO4J_URI=neo4j_server.uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=neo4j_server.password() or "")
    return env


def tiny_batch(source: str = "test") -> Batch:
    """Two regions, three organisations, a programme and four ties: small enough to count by hand."""
    o = Origin("tiny.csv", 1)
    nodes = [
        NodeRecord(
            "region:aomori",
            ("Region",),
            {"name": "青森県", "name_en": "Aomori", "level": "prefecture", "jis_code": "02"},
            o,
        ),
        NodeRecord("region:kobe", ("Region",), {"name": "神戸市", "level": "city", "jis_code": "28100"}, o),
        NodeRecord(
            "org:a", ("Organization", "Company"), {"name": "株式会社エー", "corporate_number": "4010801014350"}, o
        ),
        NodeRecord(
            "org:b", ("Organization", "SupportOrganization"), {"name": "支援機関B", "support_kind": "yorozu"}, o
        ),
        NodeRecord("org:c", ("Organization", "University"), {"name": "神戸大学", "synthetic": True}, o),
        NodeRecord("prog:ipas", ("Programme",), {"name": "IPAS", "phases": ["ideation"]}, o),
    ]
    rels = [
        RelRecord("LOCATED_IN", "org:a", "region:aomori", {}, o),
        RelRecord("LOCATED_IN", "org:b", "region:aomori", {}, o),
        RelRecord("LOCATED_IN", "org:c", "region:kobe", {"synthetic": True}, o),
        RelRecord(
            "SUPPORTS", "org:b", "org:a", {"programme": "prog:ipas", "phase": "ideation", "fiscal_year": 2024}, o
        ),
        RelRecord("SUPPORTS", "org:b", "org:a", {"programme": "prog:ipas", "phase": "launch", "fiscal_year": 2025}, o),
        RelRecord(
            "COLLABORATES_WITH", "org:a", "org:c", {"kind": "joint_research", "weight": 2.0, "synthetic": True}, o
        ),
        RelRecord("OPERATES", "org:b", "prog:ipas", {"evidence": "https://example.org/ipas"}, o),
    ]
    return Batch(source, nodes, rels)


def real_seed_home(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh IPECO_HOME whose embedded store holds the bundled real layer (``ipeco.sqlite``)."""
    from seeds import real_seed_batch

    path = tmp_path_factory.mktemp(name)
    with EmbeddedStore(path / "ipeco.sqlite") as store:
        store.write_batch(real_seed_batch())
    return path

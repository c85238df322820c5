"""Shared fixtures: both stores, the real local Neo4j, tiny batches.

The Neo4j fixtures talk to the real server of ``ipeco db start`` under ``.test-home`` on ports
17687/17474 (so a developer's own Neo4j on 7687 is never touched). ``make test`` starts it; when
pytest runs alone the session fixture starts it itself. A file lock serialises tests that use the
one database, so several pytest runs — or several xdist workers of one run — do not clear each
other's data.

Every test that needs a Neo4j gets the ``neo4j`` marker from the fixture it asks for (see
:func:`pytest_collection_modifyitems`), so ``pytest -m "not neo4j"`` never starts a server.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

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
    # Maps the class-data archive, never writes it (the Makefile's neo4j-test-start says why).
    "IPECO_NEO4J_CDS": "use",
}

#: The JVMs of the tests (the Neo4j servers, ``neo4j-admin``, the Cypher helper) compile with C1 only:
#: each of them lives for seconds to minutes, so C2's optimising compiler would spend CPU it never pays
#: back — it halves the CPU of a ``neo4j-admin`` run and of a server's start and first queries. The
#: server is the same real Neo4j; ``make test`` passes the same value to the server it starts.
TEST_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"
os.environ.setdefault("JAVA_TOOL_OPTIONS", TEST_JAVA_OPTIONS)


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


#: Fixtures that start or use a real Neo4j: a test that asks for one, directly or through another
#: fixture, is marked ``neo4j``. ``neo4j_jars`` serves tests that run a server of their own.
NEO4J_FIXTURES = frozenset({"neo4j_server", "neo4j_jars"})
#: The fixture of a test that runs a Neo4j of its own (and not the shared one): it needs no turn.
OWN_NEO4J_FIXTURE = "neo4j_jars"
#: Whether the test Neo4j ran when the run began (kept by the xdist controller).
NEO4J_RAN_BEFORE = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test whose fixtures reach a Neo4j fixture, so the marker cannot be forgotten.

    Under xdist, tell the schedule (``tests/xdist_schedule.py``) which tests use the shared server:
    they share its one database (and some restart it), so one worker runs them one after another,
    first (they are the longest part), while the other runs every other file whole (its module
    fixtures are built once; a test with a server of its own runs beside them), the longest files
    first (``LONGEST_FIRST``). The sort is stable: the tests of a file keep their order."""
    shared = set()
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if NEO4J_FIXTURES & fixtures:
            item.add_marker(pytest.mark.neo4j)
        # the marker also comes from a parameter (the ``store`` fixture's ``neo4j``)
        own = OWN_NEO4J_FIXTURE in fixtures and "neo4j_server" not in fixtures
        if item.get_closest_marker("neo4j") and not own:
            shared.add(item.nodeid)
    if not is_xdist_worker(config):
        return
    from tests.xdist_schedule import longest_first, write_shared

    items.sort(key=lambda item: (item.nodeid not in shared, longest_first(item.nodeid)))
    write_shared(str(config.workerinput["workerid"]), [item.nodeid for item in items if item.nodeid in shared])  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup``: the schedule of :mod:`tests.xdist_schedule`."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.xdist_schedule import SharedNeo4jScheduling

    return SharedNeo4jScheduling(config, log)


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """Remember whether the test Neo4j ran before this run (the controller stops it if the run started it).

    ``IPECO_TEST_SERVER_CPU=FILE`` records the server's CPU test by test (:mod:`tests.server_cpu`)."""
    from tests.server_cpu import register

    register(config, LocalNeo4j(settings_for_tests("neo4j")))
    if getattr(config.option, "numprocesses", None) and not is_xdist_worker(config):
        config.stash[NEO4J_RAN_BEFORE] = LocalNeo4j(settings_for_tests("neo4j")).status().running
        from tests.xdist_schedule import SHARED_FOLDER_ENV

        os.environ[SHARED_FOLDER_ENV] = tempfile.mkdtemp(prefix="ipeco-xdist-")  # the workers inherit it


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under xdist a worker cannot know whether others still need the server: the controller stops it."""
    config = session.config
    if is_xdist_worker(config) or not getattr(config.option, "numprocesses", None):
        return
    from tests.xdist_schedule import SHARED_FOLDER_ENV

    shutil.rmtree(os.environ.pop(SHARED_FOLDER_ENV, ""), ignore_errors=True)
    if config.stash.get(NEO4J_RAN_BEFORE, True) or os.environ.get("IPECO_KEEP_NEO4J") == "1":
        return
    server = LocalNeo4j(settings_for_tests("neo4j"))
    if server.status().running:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_server(request: pytest.FixtureRequest) -> Iterator[LocalNeo4j]:
    """The real local Neo4j (started here when ``make test`` has not started it)."""
    server = LocalNeo4j(settings_for_tests("neo4j"))
    started_here = not server.status().running
    server.start()
    yield server
    keep = os.environ.get("IPECO_KEEP_NEO4J") == "1" or is_xdist_worker(request.config)
    if started_here and not keep:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_jars() -> Path:
    """The pinned Neo4j's jars (``lib/<version>``), resolved by Maven once, for a server of a test's own."""
    server = LocalNeo4j(settings_for_tests("neo4j"))
    server.home.mkdir(parents=True, exist_ok=True)
    with (server.home / "install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers: one Maven run
        return server.install()


def open_test_neo4j(server: LocalNeo4j) -> Neo4jStore:
    """A new connection to the test database (a web app's store factory opens one per read)."""
    return Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")


@contextlib.contextmanager
def neo4j_turn(server: LocalNeo4j) -> Iterator[Neo4jStore]:
    """The test database held exclusively (a file lock: other workers and pytest runs wait), as it is."""
    with (server.home / "tests.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        store = open_test_neo4j(server)
        try:
            yield store
        finally:
            store.close()


def last_transaction(server: LocalNeo4j) -> str:
    """The database's last committed transaction, as the bookmark a read in a new session returns.

    Any commit — a load, a ``clear``, a test's own Cypher, another process — changes it; reads do not."""
    with (
        GraphDatabase.driver(server.uri, auth=("neo4j", server.password() or "")) as driver,
        driver.session(database="neo4j") as session,
    ):
        session.run("RETURN 1").consume()
        return "|".join(sorted(session.last_bookmarks().raw_values))


#: What this test process last loaded into a server's database (by its Bolt URI): the name of the
#: batch and the last transaction right after the load. The same last transaction later proves that
#: nothing has been committed since, so the next test that wants the same data reuses it.
_LOADED: dict[str, tuple[str, str]] = {}


@pytest.fixture
def neo4j_store(neo4j_server: LocalNeo4j) -> Iterator[Neo4jStore]:
    """An empty Neo4j database, held exclusively for one test."""
    with neo4j_turn(neo4j_server) as store:
        _LOADED.pop(neo4j_server.uri, None)
        store.clear()
        yield store


def neo4j_holding(server: LocalNeo4j, name: str, load: Callable[[Neo4jStore], object]) -> Iterator[Neo4jStore]:
    """The test database holding what ``load`` writes into an empty database (``name`` names it), held for one test.

    A read-only test pays for the load once: the data is written again only when the database no
    longer holds it untouched — another batch was loaded, or anything at all was committed since
    (:func:`last_transaction`), by this test process or any other. A test that writes thus costs the
    next one a reload, never a wrong start."""
    with neo4j_turn(server) as store:
        if _LOADED.get(server.uri) != (name, last_transaction(server)):
            _LOADED.pop(server.uri, None)
            store.clear()
            load(store)
            _LOADED[server.uri] = (name, last_transaction(server))
        yield store


@pytest.fixture
def neo4j_seeded(neo4j_server: LocalNeo4j) -> Iterator[Neo4jStore]:
    """The test database holding the seed (``seeds.seed_batch()``), loaded only when it does not already."""
    from seeds import seed_batch

    yield from neo4j_holding(neo4j_server, "seed", lambda store: store.write_batch(seed_batch()))


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "ipeco.sqlite")
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Store:
    """Each store in turn: the contract tests run unchanged against both."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the ``ipeco`` CLI against a scratch home (the embedded store; no Neo4j)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(IPECO_HOME=str(tmp_path / "home"), IPECO_STORE="embedded")
    return env


@pytest.fixture
def neo4j_cli_env(cli_env: dict[str, str], neo4j_server: LocalNeo4j) -> dict[str, str]:
    """:func:`cli_env` with ``--store neo4j`` pointed at the test Neo4j."""
    return {
        **cli_env,
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": neo4j_server.password() or "",
    }


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


#: The seeded store files built by this test process, one per layer (a template to copy, never opened again).
_SEED_FILES: dict[bool, Path] = {}


def seeded_store_file(tmp_path_factory: pytest.TempPathFactory, name: str, *, demo: bool = True) -> Path:
    """A fresh ``ipeco.sqlite`` in a new folder ``name``, holding the seed: the real layer, plus the
    flagged demo layer when ``demo`` (``seeds.seed_batch()``), else ``seeds.real_seed_batch()``.

    The batch is built and written once per test process; each caller gets a byte copy of that file
    (the embedded store is one file, closed before it is copied), so a module that writes changes
    only its own copy. About a second of CPU saved per module that seeds."""
    template = _SEED_FILES.get(demo)
    if template is None:
        from seeds import real_seed_batch, seed_batch

        template = tmp_path_factory.mktemp("seed-template") / "ipeco.sqlite"
        with EmbeddedStore(template) as store:
            store.write_batch(seed_batch() if demo else real_seed_batch())
        _SEED_FILES[demo] = template
    path = tmp_path_factory.mktemp(name) / "ipeco.sqlite"
    shutil.copyfile(template, path)
    return path


def seed_home(tmp_path_factory: pytest.TempPathFactory, name: str, *, demo: bool = True) -> Path:
    """A fresh IPECO_HOME whose embedded store (``ipeco.sqlite``) holds the seed (see :func:`seeded_store_file`)."""
    return seeded_store_file(tmp_path_factory, name, demo=demo).parent


def real_seed_home(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh IPECO_HOME whose embedded store holds the bundled real layer (``ipeco.sqlite``)."""
    return seed_home(tmp_path_factory, name, demo=False)

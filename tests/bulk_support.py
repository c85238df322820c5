"""What the bulk and staged load tests share: a scratch Neo4j, generated files, a content hash, a killed CLI.

A load by import and switch restarts the server, so these tests never use the shared test server:
each file starts one scratch Neo4j of its own (its home under pytest's temporary folder, the same
jars, free ports, a small heap) and keeps it for the whole file. The CLI runs in-process
(``tests.cli_support``) except where a test kills it with ``SIGKILL``: then it is a child process
that stops itself at a named phase (``graph.bulk.checkpoint``), so the kill lands exactly there.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from neo4j import GraphDatabase

from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.server import LocalNeo4j
from graph.settings import Settings
from loaders.base import LoadContext, LoadOptions
from loaders.registry import LOADERS

ROOT = Path(__file__).resolve().parent.parent

#: The child that runs ``ipeco`` and stops at one phase: it says so on stdout, then waits to be killed.
STOPPING_CHILD = """
import sys, time
import graph.bulk

target = sys.argv[1]

def stop_at(phase):
    if phase == target:
        print("STOPPED", phase, flush=True)
        time.sleep(3600)

graph.bulk.checkpoint = stop_at
from ipeco.cli import main
sys.argv = ["ipeco", *sys.argv[2:]]
main()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports() -> tuple[int, int]:
    """Two distinct free loopback ports (Bolt, HTTP) for a server of a test's own: both sockets are
    held open together, so the two differ; two runs at once never get the same pair."""
    with socket.socket() as bolt, socket.socket() as http:
        bolt.bind(("127.0.0.1", 0))
        http.bind(("127.0.0.1", 0))
        return int(bolt.getsockname()[1]), int(http.getsockname()[1])


def scratch_server(home: Path, jars: Path, *, heap: str = "384m", pagecache: str = "32m") -> LocalNeo4j:
    """A LocalNeo4j of the test's own under ``home`` (not started), sharing the test server's jars.

    Community edition serves one user database and the shared test server must keep running, so a
    test that needs its own database gets a second server: its own home, conf and data, the same
    jars (a symlink to the test server's lib/), free ports and a small heap.
    """
    settings = Settings(
        home=home,
        store="neo4j",
        neo4j_uri=None,
        neo4j_user="neo4j",
        neo4j_password=None,
        neo4j_database="neo4j",
        bolt_port=free_port(),
        http_port=free_port(),
        heap=heap,
        pagecache=pagecache,
    )
    server = LocalNeo4j(settings)
    server.lib.parent.mkdir(parents=True)
    server.lib.symlink_to(jars, target_is_directory=True)
    return server


def cli_env(server: LocalNeo4j) -> dict[str, str]:
    """The environment of an ``ipeco --store neo4j`` on the scratch server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "IPECO_"))}
    s = server.settings
    env.update(
        IPECO_HOME=str(s.home),
        IPECO_STORE="neo4j",
        IPECO_NEO4J_BOLT_PORT=str(s.bolt_port),
        IPECO_NEO4J_HTTP_PORT=str(s.http_port),
        IPECO_NEO4J_HEAP=s.heap,
        IPECO_NEO4J_PAGECACHE=s.pagecache,
    )
    return env


def write_canonical(folder: Path, firms: range, *, name: str = "Firm") -> Path:
    """A canonical folder: a support body, ``firms`` companies in Aomori, each supported once, some collaborating."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "nodes.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "label", "name", "region", "employees", "phases", "industry", "level", "jis_code"])
        out.writerow(["region:aomori", "Region", "Aomori", "", "", "", "", "prefecture", "02"])
        out.writerow(["prog:window", "Programme", "Window", "", "", "ideation;launch", "", "", ""])
        out.writerow(["org:window", "SupportOrganization", "Window office", "aomori", "12", "", "", "", ""])
        for i in firms:
            out.writerow([f"org:f{i}", "Company", f'{name} {i} 株式会社 "q"', "aomori", str(i % 97), "", "E", "", ""])
    with (folder / "relationships.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "type", "target", "programme", "phase", "fiscal_year", "kind"])
        out.writerow(["org:window", "OPERATES", "prog:window", "", "", "", ""])
        for i in firms:
            out.writerow(["org:window", "SUPPORTS", f"org:f{i}", "prog:window", "ideation", "2024", ""])
            if i % 3 == 0 and i + 1 in firms:
                out.writerow([f"org:f{i}", "COLLABORATES_WITH", f"org:f{i + 1}", "", "", "", "joint_research"])
    return folder


def database_state(server: LocalNeo4j) -> tuple[int, int, str]:
    """Nodes, relationships and a hash of every label and property (bookkeeping included) of the database."""
    with GraphDatabase.driver(server.uri, auth=("neo4j", server.password() or "")) as driver:
        nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p", database_="neo4j")
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS e, properties(r) AS p", database_="neo4j"
        )
    node_rows = sorted(json.dumps([sorted(r["l"]), r["p"]], sort_keys=True, default=str) for r in nodes)
    rel_rows = sorted(json.dumps([r["s"], r["t"], r["e"], r["p"]], sort_keys=True, default=str) for r in rels)
    digest = hashlib.sha256("\n".join([*node_rows, "--", *rel_rows]).encode()).hexdigest()
    return len(node_rows), len(rel_rows), digest


def open_scratch(server: LocalNeo4j) -> Neo4jStore:
    return Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")


def normal_load(store: Any, fmt: str, path: Path) -> None:
    """Load ``path`` the normal way (one transaction) into ``store``, as ``ipeco load`` does."""
    result = LOADERS[fmt]([path], LoadOptions(), LoadContext.from_graph(store.read_graph()))
    store.write_batch(result.batch)


def comparable(graph: nx.MultiDiGraph) -> tuple[dict[str, Any], set[str]]:
    """A graph's nodes and edges with ``loaded_at`` (the time of each load) left out."""
    nodes = {n: {k: v for k, v in d.items() if k != "loaded_at"} for n, d in graph.nodes(data=True)}
    edges = {
        json.dumps([u, v, k, {a: b for a, b in d.items() if a != "loaded_at"}], sort_keys=True, default=str)
        for u, v, k, d in graph.edges(keys=True, data=True)
    }
    return nodes, edges


def embedded_after(path: Path, *loads: tuple[str, Path]) -> nx.MultiDiGraph:
    """The graph an embedded store holds after these normal loads (the store contract: the same as Neo4j's)."""
    store = EmbeddedStore(path)
    try:
        for fmt, source in loads:
            normal_load(store, fmt, source)
        return store.read_graph_all()
    finally:
        store.close()


def staging_left(server: LocalNeo4j) -> list[Path]:
    """Staging folders of loads under the server's home (none once a load has finished, or been cleared)."""
    return sorted(server.staging_root.glob("*")) if server.staging_root.exists() else []


def importer_pids(server: LocalNeo4j) -> list[int]:
    """neo4j-admin processes (the launcher or the tool it runs) working under the scratch server's home."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if ("Neo4jAdminCommand" in args or "AdminTool" in args) and str(server.home) in args:
                found.append(int(entry.name))
    return found


def killed_at(phase: str, server: LocalNeo4j, *args: str) -> None:
    """Run ``ipeco ARGS`` in a child, ``kill -9`` it once it reaches ``phase``, and wait until it is gone."""
    child = subprocess.Popen(
        [sys.executable, "-c", STOPPING_CHILD, phase, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(server),
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        for line in _lines(child):
            if line.startswith("STOPPED"):
                break
        else:
            raise AssertionError(f"the load never reached {phase}: {child.stderr.read() if child.stderr else ''}")
        if phase == "importing":
            _wait_for_import_work(server)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    deadline = time.monotonic() + 30
    while importer_pids(server) and time.monotonic() < deadline:
        time.sleep(0.2)


def _lines(child: subprocess.Popen[str]) -> Iterator[str]:
    assert child.stdout is not None
    yield from child.stdout


def _wait_for_import_work(server: LocalNeo4j) -> None:
    """Let the importer start writing the new store (or give up after a while: the kill still lands in import)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(server.staging_root.glob("*/data/databases/neo4j")):
            return
        time.sleep(0.2)

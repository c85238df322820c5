"""The local server's lifecycle under a crash: ``kill -9`` of the real JVM during a load.

A second, throw-away server runs under its own ``IPECO_HOME`` in a temporary folder and on its own
ports (``IPECO_TEST_CRASH_BOLT_PORT``/``..._HTTP_PORT``, else two free ports), so the shared test
server is never touched. Every command goes through ``ipeco`` as an operator would type it; only
the watcher that samples the states during the restart calls the status function behind
``ipeco db status`` in this process. The test is slow (three server starts on a busy machine)
because that is what it checks.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.server import LocalNeo4j, _current_run, _server_pids, process_alive
from graph.settings import Settings
from tests.bulk_support import free_ports

#: The crash server's Bolt and HTTP ports; :func:`crash_home` picks them again right before its server
#: starts (a port picked at import could be taken meanwhile, e.g. as the local end of a client connection).
PORTS = dict(zip(("bolt", "http"), map(str, free_ports()), strict=True))
PORTS["bolt"] = os.environ.get("IPECO_TEST_CRASH_BOLT_PORT", PORTS["bolt"])
PORTS["http"] = os.environ.get("IPECO_TEST_CRASH_HTTP_PORT", PORTS["http"])


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "IPECO_HOME": str(home),
        "IPECO_NEO4J_BOLT_PORT": PORTS["bolt"],
        "IPECO_NEO4J_HTTP_PORT": PORTS["http"],
        "IPECO_NEO4J_HEAP": "768m",
        "IPECO_NEO4J_PAGECACHE": "128m",
    }


def _settings(home: Path) -> Settings:
    """The settings ``ipeco`` reads from :func:`_env` (the home resolved, as ``IPECO_HOME`` is)."""
    return Settings(
        home=home.resolve(),
        store="neo4j",
        neo4j_uri=None,
        neo4j_user="neo4j",
        neo4j_password=None,
        neo4j_database="neo4j",
        bolt_port=int(PORTS["bolt"]),
        http_port=int(PORTS["http"]),
        heap="768m",
        pagecache="128m",
    )


def ipeco(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "ipeco.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=_env(home), timeout=timeout, check=False)


def state(home: Path) -> dict[str, object]:
    result = ipeco(home, "db", "status", "--json")
    return json.loads(result.stdout)


def counts(home: Path) -> dict[str, object]:
    result = ipeco(home, "--store", "neo4j", "stats", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def crash_home(tmp_path_factory: pytest.TempPathFactory, neo4j_jars: Path) -> Iterator[Path]:
    """A fresh IPECO_HOME under /tmp whose server is always stopped at the end."""
    home = tmp_path_factory.mktemp("crash-home")
    # The Neo4j jars are shared with the test home, so no Maven run is needed here.
    (home / "neo4j").mkdir()
    (home / "neo4j" / "lib").symlink_to(neo4j_jars.parent)
    if not os.environ.get("IPECO_TEST_CRASH_BOLT_PORT"):
        bolt, http = free_ports()
        PORTS.update(bolt=str(bolt), http=str(http))
    yield home
    ipeco(home, "db", "stop")
    for pid in _server_pids(home / "neo4j"):
        os.kill(pid, signal.SIGKILL)


def start_twice(home: Path) -> list[subprocess.CompletedProcess[str]]:
    """Two ``ipeco db start`` at the same moment."""
    results: list[subprocess.CompletedProcess[str]] = []
    threads = [threading.Thread(target=lambda: results.append(ipeco(home, "db", "start"))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def watch_states(home: Path, stop: threading.Event, seen: list[str]) -> None:
    """The states ``ipeco db status`` reports, read by the function behind it in this process.

    Every 0.3 s through a whole restart: a CLI process each time cost more CPU than the restart it
    watched; the commands under test (start, stop, status before and after) stay ``ipeco`` processes.
    """
    server = LocalNeo4j(_settings(home))
    while not stop.is_set():
        current = server.status().state
        if not seen or seen[-1] != current:
            seen.append(current)
        time.sleep(0.3)


def wait_for_load_transaction(home: Path, timeout: float = 300) -> None:
    """Until the load's write transaction is open in the server (seen in SHOW TRANSACTIONS)."""
    password = (home / "neo4j" / "password").read_text().strip()
    deadline = time.monotonic() + timeout
    with GraphDatabase.driver(f"bolt://127.0.0.1:{PORTS['bolt']}", auth=("neo4j", password)) as driver:
        while time.monotonic() < deadline:
            records, _, _ = driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'UNWIND $rows' RETURN count(*) AS n",
                database_="neo4j",
            )
            if records[0]["n"]:
                return
            time.sleep(0.2)
    pytest.fail("the load never opened its transaction")


def recovered_in_latest_run(home: Path) -> bool:
    """Whether the server's latest run logged a crash recovery that started and completed (``debug.log``)."""
    latest = _current_run(home / "neo4j" / "logs" / "debug.log")
    required = any("Recovery required" in line for line in latest)
    completed = any(re.search(r"Recovery in '\w+' mode completed|Recovery completed", line) for line in latest)
    return required and completed


def test_kill_9_during_a_load_then_start_recovers_the_same_server(crash_home: Path) -> None:
    home = crash_home
    assert state(home)["state"] == "stopped"

    # Two concurrent starts: one server, both report it.
    first = start_twice(home)
    assert [r.returncode for r in first] == [0, 0], [r.stderr for r in first]
    assert len(list(_server_pids(home / "neo4j"))) == 1
    running = state(home)
    assert running["state"] == "running"
    assert all(f"pid {running['pid']}" in r.stdout for r in first)
    # A third start is a no-op on the same server.
    again = ipeco(home, "db", "start")
    assert again.returncode == 0 and f"pid {running['pid']}" in again.stdout

    seeded = ipeco(home, "--store", "neo4j", "seed")
    assert seeded.returncode == 0, seeded.stderr
    before = counts(home)

    # A large load in flight, then the JVM is killed with SIGKILL inside its transaction.
    env = _env(home)
    load = subprocess.Popen(
        [sys.executable, "-m", "ipeco.cli", "--store", "neo4j", "seed", "--synthetic-scale", "20"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_load_transaction(home)
        os.kill(int(str(running["pid"])), signal.SIGKILL)
    finally:
        load.kill()  # the client would retry for 30 s; the check here is the server's
        load.wait()
    # Wait for the process itself to be gone, not only for its command line: while the kernel tears
    # down a killed JVM's memory, /proc no longer shows what it ran but its files, the lock among
    # them, are still open, and the status then reads "starting" (a lock held before a JVM runs).
    deadline = time.monotonic() + 30
    killed = int(str(running["pid"]))
    while (process_alive(killed) or list(_server_pids(home / "neo4j"))) and time.monotonic() < deadline:
        time.sleep(0.1)
    crashed = state(home)
    assert crashed["state"] == "stale" and crashed["running"] is False

    # Start again (twice at once): the same home comes back after recovery, still one server.
    stop_watch, seen = threading.Event(), []
    watcher = threading.Thread(target=watch_states, args=(home, stop_watch, seen))
    watcher.start()
    try:
        restarted = start_twice(home)
    finally:
        stop_watch.set()
        watcher.join()
    assert [r.returncode for r in restarted] == [0, 0], [r.stderr for r in restarted]
    assert any("did not stop cleanly" in r.stderr for r in restarted)
    assert "Traceback" not in "".join(r.stderr for r in restarted)
    assert len(list(_server_pids(home / "neo4j"))) == 1
    # stale (until a start holds the lock), then starting/recovering (the server still starts after
    # its recovery), then running for good.
    assert seen[-1] == "running" and "running" not in seen[:-1], seen
    assert "stale" not in seen[1:] and set(seen) <= {"stale", "starting", "recovering", "running"}, seen
    # The recovery itself is read from the server's own log, not from the watcher: on a fast machine
    # it finishes between two polls (CI saw stale, starting, running), so "recovering" may never show.
    assert recovered_in_latest_run(home), (seen, restarted)
    assert counts(home) == before

    # stop finds the real process; status agrees.
    stopped = ipeco(home, "db", "stop")
    assert stopped.returncode == 0 and stopped.stdout.strip() == "Neo4j stopped."
    assert state(home)["state"] == "stopped"
    assert not list(_server_pids(home / "neo4j"))
    assert ipeco(home, "db", "stop").stdout.strip() == "Neo4j was not running."


def test_status_of_a_home_without_a_server(tmp_path: Path) -> None:
    result = ipeco(tmp_path, "db", "status")
    assert result.returncode == 3
    assert result.stdout.splitlines()[0].split() == ["state", "stopped"]


def test_stale_lock_file_pointing_at_another_process_is_not_trusted(tmp_path: Path) -> None:
    """A PID left in the lock file that now belongs to another program: stale, and stop leaves it alone."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        run = tmp_path / "neo4j" / "run"
        run.mkdir(parents=True)
        (run / "ipeco-neo4j.lock").write_text(f"{other.pid}\n")
        status = state(tmp_path)
        assert status["state"] == "stale" and status["pid"] is None
        assert ipeco(tmp_path, "db", "stop").stdout.strip() == "Neo4j was not running."
        assert other.poll() is None
        assert state(tmp_path)["state"] == "stopped"
    finally:
        other.kill()
        other.wait()

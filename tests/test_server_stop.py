"""``ipeco db stop`` of a server whose database has panicked: SIGKILL after a short grace, not 60 s.

A Neo4j whose disk filled up logs "Database panic" and then ignores SIGTERM: its shutdown's
checkpoint cannot write, so the old full grace was a wait for nothing (the real case, a real server
on a full disk and its restart with every committed record, is ``tests/test_neo4j_disk_full.py``;
``kill -9`` is proven safe for recovery by ``tests/test_server_lifecycle.py``). Here a real process
that ignores SIGTERM stands in for the hung JVM (the process table must name it the Neo4j entry
point on the home, as ``stop`` looks for it), beside a ``debug.log`` written as Neo4j writes it.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from graph.server import LocalNeo4j, process_alive
from graph.settings import Settings

#: A process that ignores SIGTERM, as a JVM stuck in its shutdown checkpoint does.
HUNG = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(600)"
START = "2026-01-01 00:00:00.000+0000 INFO  [o.n.g.f.m.GlobalModule] Logging config in use: File '/x'"
PANIC = (
    "{at} ERROR [o.n.m.DatabaseHealth] [neo4j/4c260cad] Database panic: The database has encountered a "
    "critical error, and needs to be restarted. Please see database logs for more details."
)


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"


@pytest.fixture
def server(tmp_path: Path) -> LocalNeo4j:
    server = LocalNeo4j(dataclasses.replace(Settings.from_env("neo4j"), home=tmp_path))
    (server.home / "logs").mkdir(parents=True)
    return server


@pytest.fixture
def hung(server: LocalNeo4j) -> Iterator[subprocess.Popen[str]]:
    args = [sys.executable, "-c", HUNG, "org.neo4j.server.CommunityEntryPoint", f"--home-dir={server.home}"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    yield process
    process.kill()
    process.wait()


def write_log(server: LocalNeo4j, *lines: str) -> None:
    (server.home / "logs" / "debug.log").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def test_a_panic_of_the_current_process_counts(server: LocalNeo4j, hung: subprocess.Popen[str]) -> None:
    assert server.pid() == hung.pid
    assert not server.panicked(hung.pid)  # no log yet
    now = datetime.now(UTC)
    write_log(server, START, PANIC.format(at=stamp(now)))
    assert server.panicked(hung.pid)


def test_an_older_panic_does_not_count(server: LocalNeo4j, hung: subprocess.Popen[str]) -> None:
    """A panic of an earlier run, or logged before this process started, says nothing about it."""
    earlier = stamp(datetime.now(UTC) - timedelta(minutes=5))
    write_log(server, START, PANIC.format(at=earlier))
    assert not server.panicked(hung.pid)
    write_log(server, START, PANIC.format(at=stamp(datetime.now(UTC))), START)
    assert not server.panicked(hung.pid)


def test_stop_kills_a_panicked_server_after_the_short_grace(server: LocalNeo4j, hung: subprocess.Popen[str]) -> None:
    """With an hour's ``timeout``, ``stop`` still returns: the panic shortened the grace (``PANIC_GRACE``
    by default, a second here)."""
    write_log(server, START, PANIC.format(at=stamp(datetime.now(UTC))))
    stopped: list[bool] = []
    thread = threading.Thread(target=lambda: stopped.append(server.stop(timeout=3600, panic_grace=1)), daemon=True)
    thread.start()
    thread.join(300)  # only a guard against hanging the suite if the grace were not shortened
    assert stopped == [True]
    assert not process_alive(hung.pid)
    assert server.pid() is None


def test_stop_without_a_panic_waits_out_its_timeout(server: LocalNeo4j, hung: subprocess.Popen[str]) -> None:
    write_log(server, START)
    assert server.stop(timeout=0.5)
    assert not process_alive(hung.pid)

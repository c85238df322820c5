"""Two loads at once, in separate processes through the CLI, in both stores.

Wanted (issue 16): both land, or one of them gives up with one sentence and exit 1 — never a
traceback, never a half-written store. The embedded store serialises writers (SQLite's write lock,
waited for up to ``--wait`` / ``IPECO_LOCK_WAIT`` seconds); Neo4j runs both, and the one whose new
nodes the other created first runs its transaction again (the MERGE is then idempotent).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from graph.neo4j_store import Neo4jStore
from graph.server import LocalNeo4j
from tests.cli_support import ipeco
from tests.conftest import TEST_ENV


def ipeco_process(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ipeco.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_together(env: dict[str, str], *commands: list[str]) -> list[tuple[int, str, str]]:
    procs = [ipeco_process(env, *command) for command in commands]
    return [(p.wait(timeout=900), *p.communicate()) for p in procs]


def stats(env: dict[str, str], store: str) -> dict[str, object]:
    """``ipeco stats --json`` once the concurrent processes are done (in-process: :mod:`tests.cli_support`)."""
    result = ipeco("--store", store, "stats", "--json", env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def seed_counts(env: dict[str, str], store: str) -> dict[str, object]:
    """Counts after one seed alone: what two concurrent seeds must also leave."""
    once = ipeco("--store", store, "seed", "--reset", "--demo", env={**os.environ, **env})
    assert once.returncode == 0, once.stderr
    return stats(env, store)


def test_two_embedded_seeds_at_once_both_land(tmp_path: Path) -> None:
    env = {"IPECO_HOME": str(tmp_path / "once")}
    expected = seed_counts(env, "embedded")
    env = {"IPECO_HOME": str(tmp_path / "twice")}
    results = run_together(env, ["seed", "--demo"], ["seed", "--demo-scale", "1"])
    for code, _, err in results:
        assert code == 0 and "Traceback" not in err, err
    assert stats(env, "embedded") == expected


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def _wait_for(proc: subprocess.Popen[str], text: str, timeout: float = 300) -> str:
    """Read the process's stderr until ``text`` appears (the wait message), and return what was read."""
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
        if text in line:
            return seen
    raise AssertionError(f"never printed {text!r}; stderr so far:\n{seen}")


def test_embedded_load_waits_for_a_writer_then_lands(tmp_path: Path) -> None:
    env = {"IPECO_HOME": str(tmp_path)}
    assert run_together(env, ["seed", "--no-synthetic"])[0][0] == 0
    before = stats(env, "embedded")
    holder = _hold_write_lock(tmp_path / "ipeco.sqlite")
    load = ipeco_process(env, "seed", "--synthetic-scale", "1")
    try:
        _wait_for(load, "another load is writing to")
        time.sleep(1.0)
    finally:
        holder.execute("COMMIT")
        holder.close()
    code = load.wait(timeout=600)
    _, err = load.communicate()
    assert code == 0, err
    assert "the other load finished" in err and "Traceback" not in err
    after = stats(env, "embedded")
    assert after["total_nodes"] > before["total_nodes"]


def test_embedded_load_gives_up_after_its_wait_with_one_sentence(tmp_path: Path) -> None:
    env = {"IPECO_HOME": str(tmp_path)}
    assert run_together(env, ["seed", "--no-synthetic"])[0][0] == 0
    before = stats(env, "embedded")
    holder = _hold_write_lock(tmp_path / "ipeco.sqlite")
    try:
        load = ipeco_process({**env, "IPECO_LOCK_WAIT": "1"}, "seed", "--synthetic-scale", "1")
        code = load.wait(timeout=600)
        out, err = load.communicate()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1, out + err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [
        f"error: another load kept {tmp_path / 'ipeco.sqlite'} locked for more than 1 s, so nothing was written; "
        "run this load again when it has finished, or wait longer with --wait SECONDS"
    ], err
    assert "Traceback" not in err
    assert stats(env, "embedded") == before


def test_wait_option_is_checked(tmp_path: Path) -> None:
    result = ipeco("stats", env={**os.environ, "IPECO_HOME": str(tmp_path), "IPECO_LOCK_WAIT": "soon"})
    assert result.returncode == 1
    assert result.stderr == "error: IPECO_LOCK_WAIT must be a number of seconds (0 or more), not 'soon'\n"


def test_two_neo4j_seeds_creating_the_same_nodes_both_land(neo4j_server: LocalNeo4j, neo4j_store: Neo4jStore) -> None:
    env = dict(TEST_ENV)
    expected = seed_counts(env, "neo4j")
    neo4j_store.clear()
    results = run_together(env, ["--store", "neo4j", "seed", "--demo"], ["--store", "neo4j", "seed", "--demo"])
    for code, _, err in results:
        assert code == 0 and "Traceback" not in err, err
    assert stats(env, "neo4j") == expected

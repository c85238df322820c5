"""The opt-in record of the test server's CPU (tests/server_cpu.py): what it reads and how it sums."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path

import pytest

from graph.server import LocalNeo4j
from graph.settings import Settings
from tests.server_cpu import Phase, ServerCpuRecorder, by_file, server_ticks, table


def test_ticks_are_read_from_proc_and_none_for_a_process_that_does_not_run() -> None:
    sum(i * i for i in range(200_000))  # some CPU of our own to read
    ticks = server_ticks(os.getpid())
    assert ticks is not None and ticks > 0
    assert server_ticks(None) is None
    assert server_ticks(2**22 + 1) is None  # above pid_max: never a process


def test_a_nested_phase_is_counted_once(tmp_path: Path) -> None:
    """``store`` sets up ``neo4j_store`` inside its own set-up: the outer line keeps only the rest."""
    server = LocalNeo4j(dataclasses.replace(Settings.from_env(), home=tmp_path))  # no server on this home
    out = io.StringIO()
    recorder = ServerCpuRecorder(server, out)
    outer = recorder._measure("t", "setup:store")
    next(outer)
    inner = recorder._measure("t", "setup:neo4j_store")
    next(inner)
    sum(i * i for i in range(3_000_000))  # CPU spent inside the inner phase only
    for phase in (inner, outer):
        with pytest.raises(StopIteration):
            next(phase)
    lines = [Phase(**json.loads(line)) for line in out.getvalue().splitlines()]
    assert [p.what for p in lines] == ["setup:neo4j_store", "setup:store"]
    assert lines[0].client_s > 0.05
    assert lines[1].client_s < lines[0].client_s
    assert all(p.server_s == 0 for p in lines)  # no server ran on that home


def test_the_table_ranks_by_server_cpu_and_sums_per_file() -> None:
    phases = [
        Phase("tests/test_a.py::x", "call", 1.0, 0.5, 0.0),
        Phase("tests/test_b.py::y", "setup:loaded[function]", 3.0, 0.1, 0.0),
        Phase("tests/test_a.py::z", "teardown", 2.0, 0.2, 0.0),
    ]
    rows = table(phases, top=2).splitlines()
    assert rows[0].startswith("server total 6.0 CPU-s, client 0.8")
    assert "test_b.py::y" in rows[3] and "test_a.py::z" in rows[4] and len(rows) == 5
    assert by_file(phases).splitlines()[0].split() == ["3.00", "0.70", "tests/test_a.py"]

"""Opt-in record of the shared test Neo4j's CPU, test by test (issue 23, item 5).

The Neo4j tests run one after another on one process, so the server's CPU between two moments of
that process belongs to what the process did in between. With ``IPECO_TEST_SERVER_CPU=FILE`` (a
path outside the repository: tests write no tracked file) this plugin reads the server JVM's
``utime + stime`` (``/proc/PID/stat``) and the test process's own CPU before and after every
fixture set-up, every test body and every teardown (module fixtures are set up in the first test
of their module and torn down in its last) and appends one JSON line per phase to ``FILE``.
Off by default: the run pays nothing for it then.

``python -m tests.server_cpu FILE [N]`` prints the N phases (default 20) that cost the server most.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Generator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

from graph.server import LocalNeo4j

ENV = "IPECO_TEST_SERVER_CPU"
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Phase:
    """One recorded phase: what ran (``what``: a fixture's set-up, a test's call or teardown) and its CPU-s."""

    test: str
    what: str
    server_s: float
    client_s: float
    children_s: float


def server_ticks(pid: int | None) -> int | None:
    """``utime + stime`` of process ``pid`` in clock ticks, None when it does not run."""
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
    return int(fields[11]) + int(fields[12])


class ServerCpuRecorder:
    """The pytest plugin: wraps set-up, call and teardown, and each fixture's set-up."""

    def __init__(self, server: LocalNeo4j, out: TextIO) -> None:
        self.server = server
        self.out = out
        self.pid: int | None = None
        self.inner: list[list[float]] = []  # CPU of the phases nested in each open one

    def _sample(self) -> tuple[int | None, int, os.times_result]:
        ticks = server_ticks(self.pid)
        if ticks is None:  # not found yet, or restarted by a test: look it up again
            self.pid = self.server.pid()
            ticks = server_ticks(self.pid)
        return self.pid, ticks or 0, os.times()

    def _measure(self, test: str, what: str) -> Generator[None, Any, None]:
        """Record one phase; a fixture set up inside another (``store`` asks for ``neo4j_store``) is
        counted once, in its own line: the outer phase records what remains."""
        pid, before, t0 = self._sample()
        self.inner.append([0.0, 0.0, 0.0])
        yield
        inner = self.inner.pop()
        pid_after, after, t1 = self._sample()
        # a server started during the phase: all of its CPU so far is the phase's
        spent = (
            (after - before if pid_after == pid else after) / _TICK,
            t1.user + t1.system - t0.user - t0.system,
            t1.children_user + t1.children_system - t0.children_user - t0.children_system,
        )
        if self.inner:
            self.inner[-1] = [a + b for a, b in zip(self.inner[-1], spent, strict=True)]
        server, client, children = (round(a - b, 2) + 0.0 for a, b in zip(spent, inner, strict=True))
        self.out.write(json.dumps(asdict(Phase(test, what, server, client, children))) + "\n")
        self.out.flush()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest) -> Any:
        node = getattr(request, "_pyfuncitem", None)
        test = node.nodeid if node is not None else request.node.nodeid
        yield from self._measure(test, f"setup:{fixturedef.argname}[{fixturedef.scope}]")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Any:
        yield from self._measure(item.nodeid, "call")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Any:
        yield from self._measure(item.nodeid, "teardown")


def register(config: pytest.Config, server: LocalNeo4j) -> None:
    """Register the recorder when ``IPECO_TEST_SERVER_CPU`` names a file outside the repository."""
    target = os.environ.get(ENV)
    if not target:
        return
    path = Path(target).resolve()
    root = Path(__file__).resolve().parent.parent
    if path.is_relative_to(root):
        msg = f"{ENV}={target}: write the record outside the repository (tests write no tracked file)"
        raise pytest.UsageError(msg)
    out = path.open("a", encoding="utf-8")
    config.add_cleanup(out.close)
    config.pluginmanager.register(ServerCpuRecorder(server, out), "ipeco-server-cpu")


def load(path: Path) -> list[Phase]:
    return [Phase(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]


def table(phases: list[Phase], top: int = 20) -> str:
    """The ``top`` phases by server CPU-s, with the total, as a Markdown table."""
    rows = sorted(phases, key=lambda p: p.server_s, reverse=True)[:top]
    lines = [
        f"server total {sum(p.server_s for p in phases):.1f} CPU-s, client {sum(p.client_s for p in phases):.1f}, "
        f"client children {sum(p.children_s for p in phases):.1f} ({len(phases)} phases)",
        "| server CPU-s | client CPU-s | children CPU-s | phase | test |",
        "|---:|---:|---:|---|---|",
    ]
    lines += [f"| {p.server_s:.2f} | {p.client_s:.2f} | {p.children_s:.2f} | {p.what} | {p.test} |" for p in rows]
    return "\n".join(lines)


def by_file(phases: list[Phase]) -> str:
    """Server and client CPU-s summed per test file, most first."""
    sums: dict[str, list[float]] = {}
    for p in phases:
        acc = sums.setdefault(p.test.split("::", 1)[0], [0.0, 0.0])
        acc[0] += p.server_s
        acc[1] += p.client_s
    ranked = sorted(sums.items(), key=lambda kv: kv[1][0], reverse=True)
    return "\n".join(f"{server:8.2f} {client:8.2f}  {name}" for name, (server, client) in ranked)


if __name__ == "__main__":
    recorded = load(Path(sys.argv[1]))
    print(table(recorded, int(sys.argv[2]) if len(sys.argv) > 2 else 20))
    print("\nper file: server CPU-s, client CPU-s")
    print(by_file(recorded))

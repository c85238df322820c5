"""The schedule of ``make test`` keeps the order tests/conftest.py sorted (the shared server's tests,
then the longest files), instead of xdist's own order by the number of tests in a file."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from xdist.scheduler.loadscope import LoadScopeScheduling

from tests import xdist_schedule
from tests.xdist_schedule import (
    LONGEST_FIRST,
    NEO4J_GROUP,
    SHARED_FOLDER_ENV,
    WAITS_LANE,
    SharedNeo4jScheduling,
    longest_first,
)


class _Node:
    """A worker as the scheduler sees it: it records the tests it is sent."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[list[int]] = []
        self.shutting_down = False

    def send_runtest_some(self, indexes: list[int]) -> None:
        self.sent.append(indexes)

    def shutdown(self) -> None:
        self.shutting_down = True


def test_the_first_units_are_the_shared_server_then_the_longest_file(
    pytestconfig: pytest.Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = ["tests/test_a.py::test_1", "tests/test_b.py::test_2"]
    (tmp_path / "gw0.txt").write_text("".join(f"{n}\n" for n in shared), encoding="utf-8")
    monkeypatch.setenv(SHARED_FOLDER_ENV, str(tmp_path))
    monkeypatch.setattr(pytestconfig.option, "loadscopereorder", True, raising=False)
    monkeypatch.setattr(pytestconfig.option, "numprocesses", 2, raising=False)
    monkeypatch.setattr(pytestconfig.option, "tx", ["2*popen"], raising=False)
    monkeypatch.setattr(pytestconfig.option, "maxworkerrestart", None, raising=False)
    # in the order tests/conftest.py sorts them: the longest file has one test, a later one many
    collection = [*shared, f"{LONGEST_FIRST[0]}::test_long", *(f"tests/test_many.py::test_{i}" for i in range(9))]
    scheduler = SharedNeo4jScheduling(pytestconfig)
    assert isinstance(scheduler, LoadScopeScheduling)
    nodes = [_Node("gw0"), _Node("gw1")]
    for node in nodes:
        scheduler.add_node(node)  # type: ignore[arg-type]
        scheduler.add_node_collection(node, collection)  # type: ignore[arg-type]
    scheduler.schedule()
    assert nodes[0].sent[0] == [0, 1]  # the shared server's tests, as one unit
    assert nodes[1].sent[0] == [2]  # then the longest file, though it has one test
    assert scheduler._split_scope(shared[1]) == NEO4J_GROUP


def test_a_file_not_named_comes_after_the_named_ones() -> None:
    assert longest_first(f"{LONGEST_FIRST[0]}::t") == 0
    assert longest_first("tests/test_elsewhere.py::t") == len(LONGEST_FIRST)


def three_nodes(
    pytestconfig: pytest.Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: tuple[str, ...] = WAITS_LANE
) -> tuple[SharedNeo4jScheduling, list[_Node]]:
    """A schedule of three workers over: the shared server's test, a normal file, then the waits lane's files."""
    shared = "tests/test_a.py::test_1"
    (tmp_path / "gw0.txt").write_text(f"{shared}\n", encoding="utf-8")
    monkeypatch.setenv(SHARED_FOLDER_ENV, str(tmp_path))
    monkeypatch.setattr(xdist_schedule, "WAITS_LANE", waits)
    monkeypatch.setattr(pytestconfig.option, "loadscopereorder", False, raising=False)
    monkeypatch.setattr(pytestconfig.option, "numprocesses", 3, raising=False)
    monkeypatch.setattr(pytestconfig.option, "tx", ["3*popen"], raising=False)
    monkeypatch.setattr(pytestconfig.option, "maxworkerrestart", None, raising=False)
    collection = [shared, "tests/test_normal.py::test_n", *(f"{path}::test_w" for path in waits)]
    scheduler = SharedNeo4jScheduling(pytestconfig)
    nodes = [_Node("gw0"), _Node("gw1"), _Node("gw2")]
    for node in nodes:
        scheduler.add_node(node)  # type: ignore[arg-type]
        scheduler.add_node_collection(node, collection)  # type: ignore[arg-type]
    scheduler.schedule()
    return scheduler, nodes


def test_with_three_workers_the_last_takes_the_waits_lane(
    pytestconfig: pytest.Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, nodes = three_nodes(pytestconfig, tmp_path, monkeypatch)
    assert nodes[0].sent == [[0]]  # the shared server's tests, and nothing else while they run
    assert nodes[1].sent == [[1]]  # the normal file; the waits lane's files are not fetched ahead
    assert nodes[2].sent == [[2], [3]]  # the waits lane's files, in order


def test_a_worker_with_nothing_left_to_do_takes_the_other_lanes_file(
    pytestconfig: pytest.Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = ("tests/test_w1.py", "tests/test_w2.py", "tests/test_w3.py")
    scheduler, nodes = three_nodes(pytestconfig, tmp_path, monkeypatch, waits)
    assert nodes[2].sent == [[2], [3]] and nodes[1].sent == [[1]]
    scheduler.mark_test_complete(nodes[1], 1)  # type: ignore[arg-type]
    assert nodes[1].sent == [[1], [4]]  # idle, it takes the third waits file rather than wait
    assert nodes[0].sent == [[0]]

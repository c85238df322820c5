"""The xdist schedule of ``make test``: the tests of the shared Neo4j on one worker, each other file whole.

xdist's own ``--dist loadgroup`` renames each test's node id to carry its group, which pytest 9 no
longer honours, so the group is decided here instead, by the controller, from the node ids the
workers found to use the shared server (written by ``tests/conftest.py`` during collection to one
file per worker in a folder named by :data:`SHARED_FOLDER_ENV`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from xdist.remote import Producer
from xdist.scheduler.loadscope import LoadScopeScheduling
from xdist.workermanage import WorkerController

#: Environment variable naming the folder of the workers' lists (set by the controller).
SHARED_FOLDER_ENV = "IPECO_TEST_SHARED_NEO4J"
#: The group of the tests of the shared server.
NEO4J_GROUP = "neo4j"
#: The files that take longest apart from the shared server's tests, longest first (per-test times
#: of a full run, the shared server's tests left out): handed out first, while the shared server's
#: tests run on the other worker, so that the run ends with short files on both workers instead of
#: one long file on one of them. Five of them run a Neo4j of their own (a full disk and its
#: restart, the staged and bulk loads, a crash and its recovery, the CSV import); a file not named
#: here keeps its place after them.
LONGEST_FIRST = (
    "tests/test_neo4j_disk_full.py",
    "tests/test_browser_app.py",
    "tests/test_browser_map.py",
    "tests/test_staged_load.py",
    "tests/test_bulk_load.py",
    "tests/test_server_lifecycle.py",
    "tests/test_plain_words.py",
    "tests/test_browser_gaps.py",
    "tests/test_browser_timeline.py",
    "tests/test_exports.py",
    "tests/test_browser_bundles.py",
    "tests/test_reports.py",
    "tests/test_service_cache.py",
    "tests/test_web_notfound.py",
    "tests/test_web_server.py",
    "tests/test_browser_workbench.py",
    "tests/test_stalled_store.py",
    "tests/test_cli_tables.py",
    "tests/test_analytics_recommend.py",
    "tests/test_atomic_outputs.py",
    "tests/test_map_layout.py",
    "tests/test_shared_printer.py",
)

#: Files that mostly wait rather than compute: a server of their own starting, filling its disk,
#: crashing and recovering, a bulk import (alone, one file at a time, they kept 0.45-0.7 of one core
#: busy). With three workers or more the last worker takes these first and the others leave them to
#: it, so that their waits overlap the others' work; with two the order is :data:`LONGEST_FIRST`'s.
WAITS_LANE = (
    "tests/test_neo4j_disk_full.py",
    "tests/test_bulk_load.py",
    "tests/test_staged_load.py",
    "tests/test_server_lifecycle.py",
)


def longest_first(nodeid: str) -> int:
    """The place of a test's file in :data:`LONGEST_FIRST` (after them all when it is not named)."""
    path = nodeid.split("::", 1)[0]
    return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)


def shared_folder() -> Path | None:
    value = os.environ.get(SHARED_FOLDER_ENV)
    return Path(value) if value else None


def write_shared(worker: str, nodeids: list[str]) -> None:
    """A worker's list of the tests that use the shared server (one node id a line)."""
    folder = shared_folder()
    if folder is not None:
        (folder / f"{worker}.txt").write_text("".join(f"{n}\n" for n in nodeids), encoding="utf-8")


class SharedNeo4jScheduling(LoadScopeScheduling):
    """Whole files per worker, and every test of the shared server in one scope of its own."""

    def __init__(self, config: pytest.Config, log: Producer | None = None) -> None:
        super().__init__(config, log)
        # xdist (3.6+) reorders the scopes by their number of tests unless told not to, which put the
        # longest files of one or three tests (a full disk, a crashed server) last, alone on one
        # worker at the end of the run: the order here is the one tests/conftest.py sorted.
        config.option.loadscopereorder = False
        self._shared: set[str] | None = None

    def _split_scope(self, nodeid: str) -> str:
        if self._shared is None:
            folder = shared_folder()
            lists = sorted(folder.glob("*.txt")) if folder is not None else []
            self._shared = {line for path in lists for line in path.read_text(encoding="utf-8").splitlines()}
        return NEO4J_GROUP if nodeid in self._shared else nodeid.split("::", 1)[0]

    def _assign_work_unit(self, node: WorkerController) -> None:
        """The next unit for ``node``: on the waits lane a file of :data:`WAITS_LANE` while one is left,
        elsewhere any other file while one is left; the other lane's only when ``node`` has nothing to do."""
        nodes = self.nodes
        if len(nodes) >= 3:
            waits = node is nodes[-1]
            scopes = [scope for scope in self.workqueue if (scope in WAITS_LANE) == waits]
            if scopes:
                self.workqueue.move_to_end(scopes[0], last=False)
            elif self._pending_of(self.assigned_work[node]):
                return  # xdist asks again when this worker's tests are done
        super()._assign_work_unit(node)

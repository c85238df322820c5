"""Validation beside the write: the forked child and the thread give the same verdict.

The child path only runs in a process with no other thread, and a pytest session may hold threads
(the web tests' servers), so the child path is exercised in a fresh interpreter of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from graph import validation_worker
from graph.batch import Batch, NodeRecord, Origin, RelRecord, Violation, validate_batch
from graph.validation_worker import fork_is_safe, violations_beside

ROOT = Path(__file__).resolve().parent.parent


def _bad_batch() -> Batch:
    nodes = [NodeRecord("org:a", ("Organization", "Company"), {"name": "甲社"}, Origin("bad.csv", 2))]
    rels = [
        RelRecord("SUPPORTS", "org:a", "org:nowhere", {}, Origin("bad.csv", 3)),
        RelRecord("SUPPORTS", "org:a", "org:a", {"phase": "retirement"}, Origin("bad.csv", 4)),
    ]
    return Batch("bad", nodes, rels)


def _in_fresh_interpreter(body: str) -> dict[str, object]:
    """Run ``body`` in a new single-threaded Python; it prints one JSON object."""
    script = "import json, os, sys\n" + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_thread_path_finds_every_violation() -> None:
    batch = _bad_batch()
    with violations_beside(batch, {}, allow_fork=False) as violations:
        found = violations()
    assert found == validate_batch(batch, {})
    assert [(str(v.origin), v.field) for v in found] == [("bad.csv line 3", "target"), ("bad.csv line 4", "phase")]


def test_another_thread_means_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation_worker, "validate_batch", lambda b, k: [Violation(None, "pid", str(os.getpid()))])
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert not fork_is_safe()
        with violations_beside(_bad_batch(), {}) as violations:
            assert violations()[0].message == str(os.getpid())
    finally:
        release.set()
        other.join()


def test_child_path_validates_in_another_process_with_the_same_verdict() -> None:
    result = _in_fresh_interpreter(
        """
        from graph import validation_worker
        from graph.batch import Violation, validate_batch
        from tests.test_validation_worker import _bad_batch

        batch = _bad_batch()
        with validation_worker.violations_beside(batch, {}) as violations:
            same = violations() == validate_batch(batch, {})
        validation_worker.validate_batch = lambda b, k: [Violation(None, "pid", str(os.getpid()))]
        with validation_worker.violations_beside(batch, {}) as violations:
            pid = int(violations()[0].message)
        print(json.dumps({"safe": validation_worker.fork_is_safe(), "same": same, "child": pid != os.getpid()}))
        """
    )
    assert result == {"safe": sys.platform == "linux", "same": True, "child": sys.platform == "linux"}


def test_no_child_when_it_would_not_fit_in_memory() -> None:
    result = _in_fresh_interpreter(
        """
        from graph import validation_worker
        from graph.batch import Violation
        from tests.test_validation_worker import _bad_batch

        validation_worker.validate_batch = lambda b, k: [Violation(None, "pid", str(os.getpid()))]
        with validation_worker.violations_beside(_bad_batch(), {}) as violations:
            roomy = int(violations()[0].message) != os.getpid()
        validation_worker._available_bytes = lambda: 1024
        with validation_worker.violations_beside(_bad_batch(), {}) as violations:
            cramped = int(violations()[0].message) != os.getpid()
        print(json.dumps({"roomy": roomy, "cramped": cramped}))
        """
    )
    assert result == {"roomy": sys.platform == "linux", "cramped": False}


def test_a_child_that_dies_is_replaced_by_validating_here() -> None:
    result = _in_fresh_interpreter(
        """
        from graph import validation_worker
        from graph.batch import Violation
        from tests.test_validation_worker import _bad_batch

        parent = os.getpid()

        def dies_in_child(batch, known):
            if os.getpid() != parent:
                os._exit(3)
            return [Violation(None, "where", "parent")]

        validation_worker.validate_batch = dies_in_child
        with validation_worker.violations_beside(_bad_batch(), {}) as violations:
            found = violations()
        print(json.dumps({"found": [v.message for v in found]}))
        """
    )
    assert result == {"found": ["parent"]}


def test_a_bad_load_through_the_child_writes_nothing(tmp_path: Path) -> None:
    result = _in_fresh_interpreter(
        f"""
        from graph.batch import BatchError
        from graph.embedded import EmbeddedStore
        from tests.conftest import tiny_batch
        from tests.test_validation_worker import _bad_batch

        store = EmbeddedStore({str(tmp_path / "child.sqlite")!r})
        store.write_batch(tiny_batch())
        before = store.counts()
        try:
            store.write_batch(_bad_batch())
            refused = ""
        except BatchError as error:
            refused = str(error)
        print(json.dumps({{"unchanged": store.counts() == before, "refused": refused}}))
        """
    )
    assert result["unchanged"] is True
    assert "bad.csv line 3: field 'target'" in str(result["refused"])
    assert "bad.csv line 4: field 'phase'" in str(result["refused"])

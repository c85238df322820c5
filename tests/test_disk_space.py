"""Disk space is checked before a Neo4j load, and Neo4j's disk-full states are named (issue 26, item 5).

The disk is a real tmpfs mounted in a private mount namespace (``unshare``, as in
``test_disk_full.py``): mounted over the local server's data folder, it is what this process sees
of the server's disk, while the server itself, outside the namespace, keeps its own. The CLI then
refuses, before any write, a load whose transaction would not fit, on ``--dry-run`` too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j.exceptions import Neo4jError

from graph.dumps import BYTES_PER_RECORD, SPACE_MARGIN, SPACE_RESERVE, check_free_space, space_needed
from graph.neo4j_store import Neo4jStore, _critical, _critical_message, _disk_full
from graph.server import LocalNeo4j
from tests.conftest import TEST_ENV, settings_for_tests, tiny_batch


def test_space_needed_is_records_times_measured_bytes_twice_plus_the_reserve() -> None:
    assert space_needed(0) == SPACE_RESERVE == 128 * 2**20
    assert space_needed(1_000) == 1_000 * BYTES_PER_RECORD * SPACE_MARGIN + SPACE_RESERVE
    assert BYTES_PER_RECORD == 500 and SPACE_MARGIN == 2.0


def test_a_folder_with_room_passes(tmp_path: Path) -> None:
    check_free_space(tmp_path / "not" / "made" / "yet", 10)  # the nearest existing parent is measured


def in_namespace(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    unshare = shutil.which("unshare") or "unshare"
    namespace = [unshare, "--mount"] if os.geteuid() == 0 else [unshare, "--map-root-user", "--mount"]
    return subprocess.run([*namespace, "sh", "-c", script], env=env, capture_output=True, text=True, check=False)


def big_folder(folder: Path, organisations: int) -> Path:
    """A canonical pair of ``organisations`` companies, each located in Aomori: twice as many records."""
    folder.mkdir()
    lines = ["id,label,name,region,level", "region:aomori,Region,青森県,,prefecture"]
    lines += [f"org:space{i},Company,株式会社容量{i},aomori," for i in range(organisations)]
    (folder / "nodes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_small_disk_refuses_the_check_naming_the_numbers(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    code = "import sys, pathlib; from graph.dumps import check_free_space as c; "
    code += "c(pathlib.Path(sys.argv[1]), int(sys.argv[2]))"
    script = f'mount -t tmpfs -o size=150m tmpfs "$DISK" && check() {{ "$PY" -c "{code}" "$DISK" "$1"; }} && '
    script += "check 1000 && check 30000"
    ran = in_namespace(script, {**os.environ, "DISK": str(disk), "PY": sys.executable})
    assert ran.returncode == 1, ran.stderr  # 1,000 records fit (129 MB), 30,000 do not (157 MB)
    assert (
        "graph.store.DiskFull: not enough disk space for this load: 30,000 records need about 157 MB free" in ran.stderr
    )
    assert f"in Neo4j's data folder {disk}" in ran.stderr and "150 MB are free" in ran.stderr


@pytest.mark.neo4j
def test_the_cli_refuses_a_load_that_would_fill_neo4js_disk(tmp_path: Path, neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_batch(tiny_batch())
    before = neo4j_store.counts()
    folder = big_folder(tmp_path / "big", 12_000)  # 24,001 records: 151 MB needed, 140 MB there
    data = LocalNeo4j(settings_for_tests("neo4j")).home / "data"
    script = (
        'mount -t tmpfs -o size=140m tmpfs "$DATA" && '
        'load() { "$PY" -m ipeco.cli --store neo4j load canonical "$FOLDER" "$@"; }; '
        'load --dry-run > "$OUT/dry.out" 2>&1; echo $? > "$OUT/dry.rc"; '
        'load > "$OUT/load.out" 2>&1; echo $? > "$OUT/load.rc"'
    )
    env = {
        **os.environ,
        **TEST_ENV,
        "DATA": str(data),
        "FOLDER": str(folder),
        "OUT": str(tmp_path),
        "PY": sys.executable,
    }
    env.pop("NEO4J_URI", None)
    ran = in_namespace(script, env)
    assert ran.returncode == 0, ran.stderr
    for run in ("dry", "load"):
        out = (tmp_path / f"{run}.out").read_text()
        assert (tmp_path / f"{run}.rc").read_text().strip() == "1", out
        assert out.startswith("error: not enough disk space for this load: 24,001 records need about 151 MB"), out
        assert "Nothing was written" in out and "Traceback" not in out
    assert neo4j_store.counts() == before


# --- Neo4j's own words for a full disk and a panicked database -----------------------------------

#: The failures of a real full disk under Neo4j 5.26, as the server words them: the first seen here
#: (a 100 MB tmpfs under the data folder filled by a 200,000-record load), the others as reported.
REPORTED = {
    "page eviction": (
        "Neo.DatabaseError.General.UnknownError",
        "java.io.IOException: Exception in the page eviction thread",
    ),
    "transaction log": (
        "Neo.DatabaseError.Transaction.TransactionLogError",
        "Could not append transaction: 1234 to log.",
    ),
    "critical error": (
        "Neo.TransientError.General.DatabaseUnavailable",
        "The database has encountered a critical error, and needs to be restarted. Please see database logs "
        "for more details.",
    ),
}


@pytest.mark.parametrize("failure", sorted(REPORTED))
def test_neo4js_disk_full_and_critical_states_are_named(failure: str) -> None:
    code, message = REPORTED[failure]
    error = Neo4jError._hydrate_neo4j(code=code, message=message)
    assert _disk_full(error) or _critical(error)
    advice = _critical_message("bolt://127.0.0.1:7687")
    assert "ipeco db stop && ipeco db start" in advice and "ipeco db restore" in advice


def test_other_database_errors_are_not_taken_for_a_full_disk() -> None:
    error = Neo4jError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError", message="Invalid input 'X'")
    assert not _disk_full(error) and not _critical(error)

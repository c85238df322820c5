"""A real Neo4j whose disk fills up: named in one sentence, and the data intact after a restart (issue 26).

A second local server runs with its data folder on a real 100 MB tmpfs, mounted in a private
mount namespace (``unshare``, root or a user namespace) that lives as long as the script; it gets
the test server's jars and free ports of its own (two runs at once never meet). A ballast file
leaves a few MB of the tmpfs free (filling all 100 MB by loads took minutes) and a 20,000-record
load fills the disk: the commands reach the server through ``NEO4J_URI``, which hides its disk
from the free-space check of a load (``graph.dumps``), as for a remote server or a disk filled by
something else. Then every command — reads too — must fail with the sentence that names the state
and the way out, not a traceback; and after the ballast is removed, the documented
``ipeco db stop && ipeco db start`` brings the server back with every committed record.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.server import _port_open
from tests.bulk_support import free_ports

#: Free space left beside the ballast, and the two loads that meet it.
ROOM_KB, BIG_RECORDS, SECOND_RECORDS = 4_000, 20_000, 5_000

SCRIPT = r"""
set -e
mount -t tmpfs -o size=100m tmpfs "$IPECO_HOME/neo4j/data"
trap '"$IPECO" db stop > /dev/null 2>&1 || true' EXIT
"$IPECO" db start > "$OUT/start.log" 2>&1
export NEO4J_URI="bolt://127.0.0.1:$IPECO_NEO4J_BOLT_PORT" NEO4J_PASSWORD="$(cat "$IPECO_HOME/neo4j/password")"
"$IPECO" --store neo4j seed > /dev/null
"$IPECO" --store neo4j stats --json > "$OUT/before.json"
# Ballast: leave only $ROOM_KB free, so a modest load fills the disk (a full 100 MB takes minutes).
avail=$(df -k --output=avail "$IPECO_HOME/neo4j/data" | tail -n 1)
head -c $(( (avail - ROOM_KB) * 1024 )) /dev/zero > "$IPECO_HOME/neo4j/data/ballast"
set +e
"$IPECO" --store neo4j load canonical "$BIG" > "$OUT/load.out" 2>&1
echo $? > "$OUT/load.rc"
"$IPECO" --store neo4j load canonical "$BIG2" > "$OUT/second.out" 2>&1
echo $? > "$OUT/second.rc"
"$IPECO" --store neo4j stats --json > "$OUT/full.out" 2>&1
echo $? > "$OUT/full.rc"
"$PY" -c "$SERVER; print(server.panicked(server.pid()))" > "$OUT/panicked.out" 2>&1
# Stopped with an hour's grace: it returns only because the panic shortened it (timeout: the guard).
timeout 300 "$PY" -c "$SERVER; print(server.stop(timeout=3600))" > "$OUT/stop.out" 2>&1
echo $? > "$OUT/stop.rc"
set -e
rm "$IPECO_HOME/neo4j/data/ballast"
mount -o remount,size=600m "$IPECO_HOME/neo4j/data"
"$IPECO" db start --timeout 300 > "$OUT/restart.log" 2>&1
"$PY" -c "$SERVER; print(server.panicked(server.pid()))" > "$OUT/panicked-after.out" 2>&1
"$IPECO" --store neo4j stats --json > "$OUT/after.json"
"""
#: The script's handle on its server, as ``ipeco db`` makes it from the environment.
SERVER = (
    "from graph.server import LocalNeo4j; from graph.settings import Settings; server = LocalNeo4j(Settings.from_env())"
)


def big(folder: Path, prefix: str, organisations: int) -> Path:
    folder.mkdir()
    lines = ["id,label,name,region,industry,evidence"]
    lines += [
        f"org:{prefix}{i},Company,株式会社ディスク満杯{prefix}{i},aomori,製造業,https://example.org/evidence/{i}"
        for i in range(organisations)
    ]
    (folder / "nodes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.neo4j
def test_a_full_disk_is_named_and_a_restart_keeps_the_data(tmp_path: Path, neo4j_jars: Path) -> None:
    bolt, http = free_ports()
    assert not _port_open(bolt) and not _port_open(http), "the full-disk server's ports are taken"
    home, out = tmp_path / "home", tmp_path / "out"
    (home / "neo4j" / "data").mkdir(parents=True)
    out.mkdir()
    (home / "neo4j" / "lib").symlink_to(neo4j_jars.parent)  # the jars, resolved once by Maven
    env = {
        **os.environ,
        "IPECO_HOME": str(home),
        "IPECO_NEO4J_BOLT_PORT": str(bolt),
        "IPECO_NEO4J_HTTP_PORT": str(http),
        "IPECO_NEO4J_PAGECACHE": "64m",
        "IPECO": str(Path(sys.executable).parent / "ipeco"),
        "BIG": str(big(tmp_path / "big", "fd", BIG_RECORDS)),
        "BIG2": str(big(tmp_path / "big2", "fe", SECOND_RECORDS)),
        "ROOM_KB": str(ROOM_KB),
        "OUT": str(out),
        "PY": sys.executable,
        "SERVER": SERVER,
    }
    env.pop("NEO4J_URI", None)
    env.pop("NEO4J_PASSWORD", None)
    unshare = shutil.which("unshare") or "unshare"
    namespace = [unshare, "--mount"] if os.geteuid() == 0 else [unshare, "--map-root-user", "--mount"]
    ran = subprocess.run([*namespace, "sh", "-c", SCRIPT], env=env, capture_output=True, text=True, check=False)
    logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(out.iterdir()))
    assert ran.returncode == 0, ran.stderr + logs

    # The disk filled while or after the records were written; whichever command met the
    # full disk said so in one sentence, and no command printed a traceback.
    failed = [name for name in ("load", "second", "full") if (out / f"{name}.rc").read_text().strip() != "0"]
    assert failed, logs
    for name in failed:
        text = (out / f"{name}.out").read_text()
        assert (out / f"{name}.rc").read_text().strip() == "1", logs
        assert text.startswith(f"error: Neo4j at bolt://127.0.0.1:{bolt} "), logs
        assert "ipeco db stop && ipeco db start" in text and "ipeco db restore" in text, logs
    assert "Traceback" not in logs

    # The server's own log said its database panicked, so `stop` gave it the short grace, not the hour
    # it was allowed; the restarted server's log holds no panic of its own run.
    assert (out / "panicked.out").read_text().strip() == "True", logs
    assert (out / "stop.rc").read_text().strip() == "0" and (out / "stop.out").read_text().strip() == "True", logs
    assert (out / "panicked-after.out").read_text().strip() == "False", logs

    # After space was freed, one restart recovered every committed record, and nothing else.
    before = json.loads((out / "before.json").read_text())
    after = json.loads((out / "after.json").read_text())
    committed = sum(n for name, n in (("load", BIG_RECORDS), ("second", SECOND_RECORDS)) if name not in failed)
    assert after["total_nodes"] == before["total_nodes"] + committed, logs
    assert after["total_relationships"] == before["total_relationships"] + committed, logs

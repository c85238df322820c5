"""An embedded load onto a full disk: one sentence naming the folder, exit 1, the file intact.

The disk is a real 1 MiB tmpfs, mounted in a private mount namespace (``unshare``; as root
directly, otherwise with a user namespace), so nothing outside the test sees it and it vanishes
with the namespace. The real layer (about 0.65 MB) fits; the demo layer on top (about 1 MB more)
does not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = """
set -e
mount -t tmpfs -o size=1m tmpfs "$DISK"
export IPECO_HOME="$DISK"
"$PY" -m ipeco.cli seed > /dev/null
"$PY" -m ipeco.cli stats --json > "$OUT/before.json"
set +e
"$PY" -m ipeco.cli seed --demo > "$OUT/load.out" 2> "$OUT/load.err"
echo $? > "$OUT/load.rc"
set -e
"$PY" -m ipeco.cli stats --json > "$OUT/after.json"
"$PY" -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" \
    "$DISK/ipeco.sqlite" > "$OUT/integrity.txt"
"""


def test_embedded_load_on_a_full_disk_says_so(tmp_path: Path) -> None:
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    unshare = shutil.which("unshare") or "unshare"
    namespace = [unshare, "--mount"] if os.geteuid() == 0 else [unshare, "--map-root-user", "--mount"]
    env = {**os.environ, "DISK": str(disk), "OUT": str(out), "PY": sys.executable}
    ran = subprocess.run([*namespace, "sh", "-c", SCRIPT], env=env, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr

    assert (out / "load.rc").read_text().strip() == "1"
    err = (out / "load.err").read_text()
    assert err == f"error: disk full at {disk}, nothing was written\n"
    assert json.loads((out / "after.json").read_text()) == json.loads((out / "before.json").read_text())
    assert (out / "integrity.txt").read_text().strip() == "ok"

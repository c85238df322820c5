"""Free space before a Neo4j load, and dumps of the local database (issue 26, item 5).

A full disk under Neo4j does not roll a transaction back quietly as SQLite does: the server
panics ("critical error, needs to be restarted"), and after a restart it may find its
transaction log torn and refuse to recover at all. So the product keeps a load from filling the
disk in the first place, and keeps a way back when it happens anyway:

- :func:`check_free_space` refuses a load whose transaction would not fit the data folder: each
  record a load writes grows Neo4j's transaction log and store by about :data:`BYTES_PER_RECORD`
  bytes (measured on 5.26: 20,000 organisations and 20,000 ties grew the data folder by 489 bytes
  per record), needed twice over (:data:`SPACE_MARGIN`) plus a fixed :data:`SPACE_RESERVE` for
  checkpoints and log rotation;
- :func:`dump` and :func:`restore` wrap ``neo4j-admin database dump`` / ``load`` (Community
  Edition dumps a stopped database: the server is stopped and started again around them);
- a load of more than :data:`AUTO_DUMP_RECORDS` records into the local server is preceded by an
  automatic dump (``ipeco load``), so that a full disk never costs the data.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from graph.server import LocalNeo4j, ServerError
from graph.store import DiskFull

__all__ = [
    "AUTO_DUMP_RECORDS",
    "BYTES_PER_RECORD",
    "SPACE_MARGIN",
    "SPACE_RESERVE",
    "check_free_space",
    "dump",
    "dumps_folder",
    "latest_dump",
    "restore",
    "space_needed",
]

#: Bytes one node or relationship adds to Neo4j's data folder in a load (measured: 489).
BYTES_PER_RECORD: Final = 500
#: A load needs its estimate this many times over (long texts, the store growing after the log).
SPACE_MARGIN: Final = 2.0
#: Free space always kept for checkpoints and log rotation, whatever the load.
SPACE_RESERVE: Final = 128 * 2**20
#: Loads of more records than this into the local server are preceded by an automatic dump.
AUTO_DUMP_RECORDS: Final = 100_000
#: Automatic dumps kept (the oldest beyond this are deleted after a new one is taken).
AUTO_DUMPS_KEPT: Final = 3

_MB = 2**20


def space_needed(records: int) -> int:
    """Bytes of free space a load of ``records`` nodes and relationships needs in the data folder."""
    return int(records * BYTES_PER_RECORD * SPACE_MARGIN) + SPACE_RESERVE


def check_free_space(data_dir: Path, records: int) -> None:
    """Raise :class:`DiskFull` before any write when ``data_dir`` lacks the space a load needs."""
    folder = data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    needed = space_needed(records)
    if free >= needed:
        return
    msg = (
        f"not enough disk space for this load: {records:,} records need about {needed / _MB:,.0f} MB free in "
        f"Neo4j's data folder {data_dir} ({BYTES_PER_RECORD} bytes per record, twice over, plus "
        f"{SPACE_RESERVE // _MB} MB), and {free / _MB:,.0f} MB are free. Nothing was written: free space "
        "there, or load the file in parts"
    )
    raise DiskFull(msg)


def dumps_folder(server: LocalNeo4j) -> Path:
    return server.home / "dumps"


def latest_dump(server: LocalNeo4j) -> Path | None:
    """The newest dump in the dumps folder (None when there is none)."""
    found = sorted(dumps_folder(server).glob("*.dump"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _admin(server: LocalNeo4j, *args: str) -> None:
    result = server.admin(*args)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
        msg = f"neo4j-admin {' '.join(args[:2])} failed:\n{tail}"
        raise ServerError(msg)


def _stopped(server: LocalNeo4j, work: Callable[[], Path], notify: Callable[[str], None]) -> Path:
    """Run ``work`` on the stopped database, then start the server again if one was live.

    A server stuck in a failed recovery counts as live: it is stopped too, and started again on
    the restored data.
    """
    was_live = server.pid() is not None
    if was_live:
        notify("stopping Neo4j (Community Edition dumps and loads a stopped database)")
        server.stop()
    try:
        return work()
    finally:
        if was_live:
            notify("starting Neo4j again")
            server.start(on_progress=notify)


def dump(
    server: LocalNeo4j,
    target: Path | None = None,
    *,
    database: str = "neo4j",
    automatic: bool = False,
    notify: Callable[[str], None] = lambda _: None,
) -> Path:
    """Dump ``database`` to ``target`` (default: a dated file in the dumps folder); return its path."""
    folder = dumps_folder(server)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{database}-{stamp}{'-auto' if automatic else ''}.dump"
    path = (target or folder / name).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)

    def work() -> Path:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".dump-") as scratch:
            _admin(server, "database", "dump", database, f"--to-path={scratch}", "--overwrite-destination=true")
            Path(scratch, f"{database}.dump").replace(path)
        return path

    made = _stopped(server, work, notify)
    if automatic:
        autos = sorted(folder.glob("*-auto.dump"), key=lambda p: p.stat().st_mtime)
        for old in autos[:-AUTO_DUMPS_KEPT]:
            old.unlink(missing_ok=True)
    return made


def restore(
    server: LocalNeo4j,
    source: Path,
    *,
    database: str = "neo4j",
    notify: Callable[[str], None] = lambda _: None,
) -> Path:
    """Replace ``database`` by the dump ``source`` (the current data is overwritten)."""
    source = source.resolve()
    if not source.is_file():
        msg = f"no dump at {source}: `ipeco db dump` writes one, automatic ones are in {dumps_folder(server)}"
        raise ServerError(msg)

    def work() -> Path:
        with tempfile.TemporaryDirectory(prefix="ipeco-restore-") as scratch:
            (Path(scratch) / f"{database}.dump").symlink_to(source)
            _admin(server, "database", "load", database, f"--from-path={scratch}", "--overwrite-destination=true")
        return source

    return _stopped(server, work, notify)

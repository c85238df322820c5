"""A bounded pool for the analyst console: one analyst cannot take the web server's threads.

A console query holds a web-server thread until its deadline (10 s); eight at once took every
thread of the production server, and other users' page loads waited behind them. The pool admits
at most :data:`TOTAL` console queries at once across all worker processes of this machine and at
most :data:`PER_USER` per user; a query that finds no slot is turned away at once with a sentence
saying so (nothing runs; :data:`QUEUE_WAIT`). Page callbacks never touch the
pool, so they always find a free thread.

Slots are ``flock`` locks on small files, so they span gunicorn's worker processes without a shared
server, and a crashed worker's slots free themselves when its process ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

from graph.query import QueryError
from graph.settings import env
from graph.words import t

__all__ = ["PER_USER", "QUEUE_WAIT", "TOTAL", "ConsoleBusy", "ConsolePool"]

#: Console queries running at once on this machine (all users, all worker processes): half the cores, so
#: that Neo4j (one core per running query) leaves the other half to the web app's page callbacks.
TOTAL: Final = int(env("IPECO_CONSOLE_SLOTS", "") or max(1, (os.cpu_count() or 2) // 2))
#: Console queries one user may run at once.
PER_USER: Final = 1
#: Seconds a query waits for a free slot before it is turned away. None: a waiting query would hold a
#: web-server thread, which is what the pool is there to protect (measured: a 1 s wait let 8 analysts
#: hold 6 of 8 threads and pushed page loads' p95 from 60 ms to 3.6 s).
QUEUE_WAIT: Final = 0.0
_POLL: Final = 0.05


class ConsoleBusy(QueryError):
    """No console slot was free within :data:`QUEUE_WAIT`; nothing ran."""


def _default_dir() -> Path:
    """One pool per user account and ipeco home: two installs (or test homes) never share slots."""
    home = hashlib.sha256(env("IPECO_HOME", "~").encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"ipeco-console-{os.getuid()}-{home}"


class ConsolePool:
    """``with pool.slot(user): …`` runs the body holding one of ``total`` slots and the user's own."""

    def __init__(self, directory: Path | None = None, *, total: int = TOTAL, per_user: int = PER_USER) -> None:
        self.directory = directory or _default_dir()
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.total = total
        self.per_user = per_user

    def _try(self, names: list[str]) -> IO[bytes] | None:
        for name in names:
            handle = (self.directory / name).open("ab")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            return handle
        return None

    @contextlib.contextmanager
    def slot(self, user: str, wait: float = QUEUE_WAIT) -> Iterator[None]:
        """Hold a slot for the body; raise :class:`ConsoleBusy` when none frees up within ``wait``."""
        tag = hashlib.sha256(user.encode()).hexdigest()[:16]
        user_slots = [f"user-{tag}-{i}.lock" for i in range(self.per_user)]
        shared_slots = [f"slot-{i}.lock" for i in range(self.total)]
        give_up = time.monotonic() + wait
        held: list[IO[bytes]] = []
        try:
            for names, busy in ((user_slots, _user_busy()), (shared_slots, _all_busy(self.total))):
                handle = self._try(names)
                while handle is None and time.monotonic() < give_up:
                    time.sleep(_POLL)
                    handle = self._try(names)
                if handle is None:
                    raise busy
                held.append(handle)
            yield
        finally:
            for handle in held:
                handle.close()  # closing the file releases its lock


def _user_busy() -> ConsoleBusy:
    return ConsoleBusy(t("qerr.user_busy", "en"), t("qerr.user_busy", "ja"))


def _all_busy(total: int) -> ConsoleBusy:
    return ConsoleBusy(t("qerr.all_busy", "en", total=total), t("qerr.all_busy", "ja", total=total))

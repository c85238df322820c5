"""One store health probe per process, shared by every user and bounded in time.

The store banner asks "is the store up?" every 5 s from every open page. Asked directly, each ask
opened a store (for Neo4j: a new driver, the connectivity check and the schema statements — about
a dozen queries) and could hang for the driver's 30 s connection timeout while Neo4j restarted: 50
users made 10 probes a second, and 18 of them hung for more than 30 s. Here one probe runs at a
time per process, its answer is reused for ``ttl`` seconds, and no request waits for it longer than
``timeout``: a probe that has not answered by then reports "no answer" while it finishes in the
background.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["HealthProbe"]


class HealthProbe:
    """``check()`` → the store's error message, or None when it answered; cached and time-bounded."""

    def __init__(self, probe: Callable[[], str | None], *, ttl: float = 5.0, timeout: float = 2.0) -> None:
        self._probe = probe
        self.ttl = ttl
        self.timeout = timeout
        self._lock = threading.Lock()
        self._error: str | None = None
        self._checked_at = float("-inf")
        self._running: threading.Thread | None = None
        self._started_at = float("-inf")
        self.probes = 0  # how many probes ran (the tests and the benchmark read it)

    def check(self) -> str | None:
        with self._lock:
            if time.monotonic() - self._checked_at < self.ttl:
                return self._error
            if self._running is None:
                self._running = threading.Thread(target=self._run, name="ipeco-health-probe", daemon=True)
                self._started_at = time.monotonic()
                self._running.start()
            running = self._running
        # A probe already past its time is not waited for again: a frozen server costs one wait, not one per page.
        running.join(max(0.0, self.timeout - (time.monotonic() - self._started_at)))
        with self._lock:
            if running.is_alive():
                return f"the store did not answer within {self.timeout:g} s"
            return self._error

    def _run(self) -> None:
        try:
            error = self._probe()
        except Exception as exc:  # the probe's own failure is the answer
            error = str(exc) or exc.__class__.__name__
        with self._lock:
            self.probes += 1
            self._error, self._checked_at, self._running = error, time.monotonic(), None

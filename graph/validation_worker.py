"""A batch's validation run beside its write: in a forked child where that is safe, else on a thread.

Why a child process: validation is pure Python. On a thread it holds the same GIL as the row
preparation it is meant to hide behind, so it only overlaps the database's own work (measured on a
10^5-relationship embedded load: ~1 s of validation added to ~3 s of preparing and writing). A
forked child runs it on the other core. The batch reaches the child copy-on-write, so nothing is
pickled on the way in; only the (usually empty) list of violations is pickled on the way out.

Fork is used only where it is safe: on Linux, in a process with no other thread. A thread holding
a lock at the moment of ``fork()`` would leave the child deadlocked on it (CPython 3.12+ warns
about exactly this). The CLI is single-threaded and takes the child path; the web app serves on
threads and takes the thread path. Both give the same verdict, and a child that dies without
answering is replaced by validating in this process.

Copy-on-write is not free: reading a Python object writes its reference count, so the child ends
up copying the pages of every record it reads (measured: ~620 MB of private pages for a 10^6-tie
batch, beside a parent of ~1.9 GB). The child is used only when twice that estimate fits in half
of the memory the system reports available; a nationwide load on a small machine validates on a
thread instead.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from graph.batch import Batch, Violation
from graph.validation_fast import checked

__all__ = ["fork_is_safe", "violations_beside"]

#: The verdict computed beside the write: ``graph.batch.validate_batch``'s, proved by columns first
#: when it can be (``graph.validation_fast``). A module name, so that a test sees where it ran.
validate_batch = checked


def fork_is_safe() -> bool:
    """True on Linux when this process runs no thread but the main one."""
    return sys.platform == "linux" and threading.active_count() == 1


#: Private memory a forked child needs per record it validates, with a margin (measured ~0.5 KiB).
_CHILD_BYTES_PER_RECORD = 1024


def _available_bytes() -> int:
    """``MemAvailable`` from ``/proc/meminfo`` (0 when it cannot be read)."""
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="ascii")
    except OSError:
        return 0
    found = re.search(r"^MemAvailable:\s+(\d+) kB", meminfo, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


def _child_fits(batch: Batch) -> bool:
    records = len(batch.nodes) + len(batch.relationships)
    return records * _CHILD_BYTES_PER_RECORD < _available_bytes() // 2


def _send_violations(batch: Batch, known: Mapping[str, str], sender: Connection) -> None:
    sender.send(validate_batch(batch, known))
    sender.close()


@contextmanager
def violations_beside(
    batch: Batch, known: Mapping[str, str], *, allow_fork: bool = True
) -> Iterator[Callable[[], list[Violation]]]:
    """Start validating ``batch``; yield a function that waits for and returns its violations."""
    if not (allow_fork and fork_is_safe() and _child_fits(batch)):
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipeco-validate") as pool:
            yield pool.submit(validate_batch, batch, known).result
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_violations, args=(batch, known, sender), name="ipeco-validate", daemon=True)
    child.start()
    sender.close()
    verdict: list[list[Violation]] = []

    def violations() -> list[Violation]:
        if not verdict:
            try:
                verdict.append(receiver.recv())
            except (EOFError, OSError):
                verdict.append(validate_batch(batch, known))
        return verdict[0]

    try:
        yield violations
    finally:
        receiver.close()
        if child.is_alive() and not verdict:
            child.kill()
        child.join()

"""One PDF printer for a whole web server: a small process that owns the one Chromium, shared by
every gunicorn worker over a local socket.

Why: each worker process used to keep its own Chromium (:mod:`reports.printer`), so an idle server
with two workers held two browsers it rarely used (most of its memory) and had to stop each one.
Here ``ipeco serve`` starts this service once, before the workers fork (:func:`start`); a worker
that prints, or opens the report page (:func:`prestart`), asks it through a Unix socket in a
private temporary folder. The service starts Chromium on the first request and closes it again
after :data:`reports.printer.IDLE_SECONDS` without a print, so an idle server holds no browser.

Protocol, one request per connection: the client sends one JSON line (``{"op": "print", "page":
path, "timeout": s}`` or ``{"op": "prestart"}``); the service answers one status byte (``0`` done,
``1`` failed), an 8-byte big-endian length and that many bytes (the PDF, or the error message).
The page is an HTML file the worker wrote; the service reads it through ``file://`` on the same
machine. The service exits with its parent (the server), on SIGTERM, or when its socket is gone.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from reports import printer
from reports.printer import PrintError, stop_process

__all__ = ["PrintService", "active", "browsers", "prestart", "print_via_service", "start", "stop"]

_HEADER = struct.Struct(">cQ")
#: Seconds to wait for the service's socket to appear after starting it.
_START_WAIT = 10.0


class PrintService:
    """The service process started by this (the server's master) process."""

    def __init__(self, exe: str, idle: float | None = None) -> None:
        self.folder = tempfile.mkdtemp(prefix="ipeco-print-")
        self.socket = str(Path(self.folder) / "print.sock")
        self.owner = os.getpid()
        idle_seconds = printer.IDLE_SECONDS if idle is None else idle
        cmd = [sys.executable, "-m", "reports.print_service", self.socket, exe, str(self.owner), str(idle_seconds)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + _START_WAIT
        while not Path(self.socket).exists() and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the service (and with it the browser); only the process that started it may."""
        if os.getpid() != self.owner:
            return
        if self.proc.poll() is None:
            stop_process(self.proc)
        shutil.rmtree(self.folder, ignore_errors=True)


_service: PrintService | None = None


def start(exe: str, *, idle: float | None = None) -> PrintService:
    """Start the shared printer for this process and the workers it will fork (once); ``idle``
    overrides :data:`reports.printer.IDLE_SECONDS` in the service."""
    global _service
    if _service is None or _service.proc.poll() is not None:
        _service = PrintService(exe, idle)
        atexit.register(_service.stop)
    return _service


def stop() -> None:
    """Stop the shared printer, if this process started one; prints then use a browser of their own."""
    global _service
    if _service is not None:
        _service.stop()
        _service = None


def active() -> bool:
    """Whether prints go through a shared service (the server) rather than a browser of our own."""
    return _service is not None and Path(_service.socket).exists()


def _ask(request: dict[str, Any], timeout: float) -> bytes:
    if _service is None:
        msg = "no shared printer was started"
        raise PrintError(msg)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout + 5)
        conn.connect(_service.socket)
        conn.sendall(json.dumps(request).encode() + b"\n")
        status, size = _HEADER.unpack(_read_exactly(conn, _HEADER.size))
        payload = _read_exactly(conn, size)
    if status != b"0":
        raise PrintError(payload.decode("utf-8", "replace"))
    return payload


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = conn.recv(min(size, 1 << 20))
        if not chunk:
            msg = "the shared printer closed the connection"
            raise PrintError(msg)
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def print_via_service(page: Path, timeout: float) -> bytes:
    """The PDF of ``page``, printed by the shared service's Chromium."""
    try:
        return _ask({"op": "print", "page": str(page), "timeout": timeout}, timeout)
    except OSError as exc:
        msg = f"the shared printer did not answer: {exc}"
        raise PrintError(msg) from exc


def prestart() -> None:
    """Ask the shared service to start its browser now, without waiting for it."""

    def ask() -> None:
        with contextlib.suppress(PrintError, OSError):
            _ask({"op": "prestart"}, 30)

    threading.Thread(target=ask, name="ipeco-printer-start", daemon=True).start()


def browsers() -> int:
    """How many browsers the shared service holds now (0 or 1): for tests and the bench."""
    return int(_ask({"op": "status"}, 10).decode() or 0)


# --- the service process ---------------------------------------------------------------------


def _answer(conn: socket.socket, exe: str) -> None:
    with conn:
        try:
            line = conn.makefile("rb").readline()
            request = json.loads(line)
            if request.get("op") == "prestart":
                printer.prestart(exe)
                payload, status = b"", b"0"
            elif request.get("op") == "status":
                payload, status = str(printer.running()).encode(), b"0"
            else:
                payload, status = printer.print_pdf(exe, Path(request["page"]), float(request["timeout"])), b"0"
        except (PrintError, OSError, ValueError, KeyError) as exc:
            payload, status = str(exc).encode(), b"1"
        with contextlib.suppress(OSError):
            conn.sendall(_HEADER.pack(status, len(payload)) + payload)


def _watch_parent(parent: int, path: str) -> None:
    """Leave when the server is gone (its pid changed owner) or our socket was removed."""
    while os.getppid() == parent and Path(path).exists():
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def serve(path: str, exe: str, parent: int, idle: float) -> None:
    """Answer requests on the Unix socket ``path`` until SIGTERM or the parent's exit."""
    printer.IDLE_SECONDS = idle

    def leave(*_: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGINT, leave)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(16)
        threading.Thread(target=_watch_parent, args=(parent, path), daemon=True).start()
        try:
            while True:
                conn, _ = server.accept()
                threading.Thread(target=_answer, args=(conn, exe), daemon=True).start()
        finally:
            printer.close_browser()
            with contextlib.suppress(OSError):
                Path(path).unlink()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))

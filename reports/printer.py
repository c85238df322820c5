"""A headless Chromium kept running to print HTML to PDF, driven over its DevTools pipe.

Why: starting Chromium is most of a PDF report's time (2–4 s of a 3–7 s print on this 2-core
machine, before the page is even read). The web app prints many reports over its life, so each
process keeps one browser and hands it one page per report; the first print pays the start, the
next ones only lay out and print. The CLI prints one report and closes the browser at exit.

How: Chromium's ``--remote-debugging-pipe`` speaks the DevTools protocol as NUL-terminated JSON
messages on file descriptors 3 (commands in) and 4 (replies and events out), so no port is opened
and nothing but this process can talk to it. A print is ``Target.createTarget`` → attach →
``Page.navigate`` to the report's ``file://`` page → wait for ``Page.loadEventFired`` →
``Page.printToPDF`` with the page's own CSS page size (``@page { size: A4 }``), backgrounds and no
header or footer, as ``chromium --print-to-pdf --no-pdf-header-footer`` prints it → close the page.
Prints are serialised by a lock (one page at a time); a browser that died is started again once.
A forked process never inherits its parent's browser: it starts its own. The web server does not
print here but through one shared process (:mod:`reports.print_service`). A browser unused for
:data:`IDLE_SECONDS` is closed, so a process that printed once does not keep Chromium's memory.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["IDLE_SECONDS", "PrintError", "close_browser", "prestart", "print_pdf", "running"]

#: Seconds without a print after which the browser is closed (the next print starts it again).
IDLE_SECONDS = 120.0

#: Flags of the one-shot print this replaces, plus the pipe; a fresh temporary profile per browser.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-extensions",
    "--remote-debugging-pipe",
)


class PrintError(RuntimeError):
    """The browser could not print (it did not start, died, or did not answer in time)."""


class _Browser:
    """One Chromium process and its pipe; ``call`` sends a command and waits for its reply."""

    def __init__(self, exe: str) -> None:
        self.pid, self.exe = os.getpid(), exe
        self.profile = tempfile.mkdtemp(prefix="ipeco-chromium-")
        to_child_r, self._out = os.pipe()
        self._in, from_child_w = os.pipe()
        # The child's fd 3 reads commands and its fd 4 writes replies (Chromium's pipe convention).
        # bash places them there (a preexec_fn is not safe in the web server's threads; POSIX sh
        # cannot name descriptors above 9). The first pipe's read end is the lower descriptor, so
        # "3<&r" never overwrites the reply pipe's end before "4>&w" copies it.
        redirect = f'exec "$@" 3<&{to_child_r} 4>&{from_child_w}'
        try:
            self.proc = subprocess.Popen(
                ["/bin/bash", "-c", redirect, "bash", exe, *_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(to_child_r, from_child_w),
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[tuple[str, str]] = []

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._out, data) :]
        return self._next_id

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                msg = "Chromium did not answer in time"
                raise PrintError(msg)
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                msg = "Chromium exited while printing"
                raise PrintError(msg)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(raw))

    def call(self, method: str, params: dict[str, Any], deadline: float, session: str | None = None) -> dict[str, Any]:
        wanted = self._send(method, params, session)
        while True:
            message = self._read(deadline)
            if "method" in message:
                self._events.append((message["method"], str(message.get("sessionId") or "")))
            elif message.get("id") == wanted:
                if "error" in message:
                    msg = f"{method}: {message['error'].get('message', message['error'])}"
                    raise PrintError(msg)
                return dict(message.get("result") or {})

    def wait_event(self, name: str, session: str, deadline: float) -> None:
        if (name, session) in self._events:
            return
        while True:
            message = self._read(deadline)
            if message.get("method") == name and message.get("sessionId") == session:
                return

    def close(self) -> None:
        for fd in (self._in, self._out):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.alive():
            stop_process(self.proc)
        shutil.rmtree(self.profile, ignore_errors=True)

    def print_page(self, url: str, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        self._events.clear()
        target = self.call("Target.createTarget", {"url": "about:blank"}, deadline)["targetId"]
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, deadline)["sessionId"]
            self.call("Page.enable", {}, deadline, session)
            self.call("Page.navigate", {"url": url}, deadline, session)
            self.wait_event("Page.loadEventFired", session, deadline)
            options = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False}
            result = self.call("Page.printToPDF", options, deadline, session)
            return base64.b64decode(result["data"])
        finally:
            if self.alive():
                self.call("Target.closeTarget", {"targetId": target}, deadline)


_lock = threading.Lock()
_browser: _Browser | None = None
_last_use = 0.0
_idle_timer: threading.Timer | None = None
#: When the running idle timer fires (monotonic seconds).
_idle_due = 0.0


def stop_process(proc: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """Stop ``proc``: asked to end (SIGTERM), killed if it has not within ``grace`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _close() -> None:
    global _browser
    if _browser is not None and _browser.pid == os.getpid():
        _browser.close()
    _browser = None


def running() -> int:
    """1 when this process holds a live browser, else 0."""
    return int(_browser is not None and _browser.pid == os.getpid() and _browser.alive())


def close_browser() -> None:
    """Close this process's browser now (a service leaving; the next print starts a new one)."""
    _close()


atexit.register(_close)


def _touch() -> None:
    """Note a use of the browser and make sure a timer will close it once it has been idle.

    A running timer is kept when it fires no later than this use's idle time ends (it then looks
    again); one due later, set under a longer :data:`IDLE_SECONDS`, is replaced, so a shorter idle
    time holds from the next print on.
    """
    global _last_use
    _last_use = time.monotonic()
    if _idle_timer is not None and _idle_timer.is_alive() and _idle_due <= _last_use + IDLE_SECONDS:
        return
    if _idle_timer is not None:
        _idle_timer.cancel()
    _start_idle_timer(IDLE_SECONDS)


def _start_idle_timer(seconds: float) -> None:
    global _idle_timer, _idle_due
    _idle_due = time.monotonic() + seconds
    _idle_timer = threading.Timer(seconds, _release_when_idle)
    _idle_timer.daemon = True
    _idle_timer.start()


def _release_when_idle() -> None:
    global _idle_timer
    with _lock:
        _idle_timer = None
        left = _last_use + IDLE_SECONDS - time.monotonic()
        if left > 0.5:  # used since the timer was set: look again when that use has aged
            _start_idle_timer(left)
            return
        _close()


def _ensure(exe: str) -> _Browser:
    """This process's browser, started (again) when missing, dead, inherited or another executable."""
    global _browser
    if _browser is None or _browser.pid != os.getpid() or _browser.exe != exe or not _browser.alive():
        if _browser is not None and _browser.pid == os.getpid():
            _browser.close()
        _browser = _Browser(exe)
    return _browser


def prestart(exe: str) -> None:
    """Start this process's browser in the background, if it is not running (the report page calls
    this when it is opened, so the first print does not wait for Chromium to start)."""

    def start() -> None:
        with _lock, contextlib.suppress(OSError):  # a failed start: the print will report it
            _ensure(exe)
            _touch()

    threading.Thread(target=start, name="ipeco-printer-start", daemon=True).start()


def print_pdf(exe: str, page: Path, timeout: float) -> bytes:
    """The PDF of the HTML file ``page``, printed by this process's Chromium (started when needed)."""
    global _browser
    with _lock:
        for attempt in (1, 2):
            browser = _ensure(exe)
            _touch()
            try:
                return browser.print_page(page.as_uri(), timeout)
            except (PrintError, OSError, KeyError):
                browser.close()
                _browser = None
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")

"""A real local Neo4j Community server without Docker: ``ipeco db start|stop|status|logs``.

Maven resolves the official ``org.neo4j:neo4j`` artifact (kernel, Cypher, Bolt, web server) and
its dependencies for the version pinned here, the one place it is pinned (``docker-compose.yml``
must use the same tag; a test checks it). The server runs as
``java -cp lib/* org.neo4j.server.CommunityEntryPoint --home-dir … --config-dir …`` — the entry
point the ``neo4j console`` launcher ends up in — so the process we start is the server itself,
with one PID to stop, on loopback only. The initial password is generated, set with the real
``neo4j-admin dbms set-initial-password`` before the first start, and kept in a 0600 file.

Why 5.26 LTS: it is the long-term-support line and runs on Java 17, the JDK every machine here
and most newcomers' machines have on ``PATH``; the 2025.x/2026.x calendar releases need Java 21+.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from graph.cypher_allowlist import SERVER_HARDENING
from graph.errors import ServiceError
from graph.server_cds import archive_options
from graph.settings import Settings, env
from graph.words import STRINGS, t

__all__ = ["BROWSER_VERSION", "NEO4J_VERSION", "STATES", "LocalNeo4j", "ServerError", "ServerStatus"]

NEO4J_VERSION: Final = "5.26.30"
#: Neo4j Browser served at /browser when its jar is on the classpath.
BROWSER_VERSION: Final = "5.24.0"
#: The backstop for every transaction whose client sets no timeout (Neo4j Browser, scripts): the analyst
#: console and ``ipeco query`` set their own shorter one, the store's loads and reads ask for none.
TRANSACTION_TIMEOUT: Final = "60s"
#: Share of the heap one transaction may hold in tracked memory (aggregations, sorts, collects, transaction
#: state): over it the transaction fails with a memory error instead of taking the server down.
TRANSACTION_MEMORY_SHARE: Final = 0.5
#: How often ``stop`` looks whether the server has exited.
_STOP_POLL: Final = 0.1
#: Seconds ``stop`` waits after SIGTERM for a server whose database has panicked, before SIGKILL (a
#: clean stop takes a few; the healthy databases beside the panicked one get that long to close).
PANIC_GRACE: Final = 10.0
_SIZE = re.compile(r"^\s*(\d+)\s*([kmgt]?)b?\s*$", re.I)


def server_limits(heap: str) -> list[str]:
    """The ``neo4j.conf`` lines that bound one transaction's time and memory on a server with ``heap``."""
    lines = [f"db.transaction.timeout={TRANSACTION_TIMEOUT}"]
    if m := _SIZE.match(heap):
        scale = 1024 ** " kmgt".index(m.group(2).lower() or " ")
        per_tx_mb = max(64, int(int(m.group(1)) * scale * TRANSACTION_MEMORY_SHARE) // 1_048_576)
        lines.append(f"db.memory.transaction.max={per_tx_mb}m")
    return lines


_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ipeco.local</groupId>
  <artifactId>neo4j-server</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>{version}</version></dependency>
    <dependency><groupId>org.neo4j.client</groupId><artifactId>neo4j-browser</artifactId><version>{browser}</version></dependency>
  </dependencies>
</project>
"""


class ServerError(ServiceError):
    """The local Neo4j could not be installed, started or stopped; the message says what to do."""


#: What ``ipeco db status`` can say. ``starting``/``recovering``: the server process holds the lock
#: but Bolt does not answer yet (``recovering`` when its log shows crash recovery); ``stale``: no
#: server lives, but the last one did not stop cleanly (the next start recovers its data);
#: ``unmanaged``: a server on this home runs without holding the lock (started by an older ipeco).
#: ``failed``: the current run's log holds an ERROR (a failed recovery, a full disk) and Bolt does not
#: answer, whether the process still lives or not; the status names the log's reason and the way out.
STATES: Final = ("running", "starting", "recovering", "stopped", "stale", "unmanaged", "failed")


@dataclass(frozen=True)
class ServerStatus:
    state: str
    version: str
    uri: str
    http: str
    pid: int | None
    home: Path
    progress: str = ""
    reason: str = ""

    @property
    def running(self) -> bool:
        return self.state in ("running", "unmanaged")

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "running": self.running,
            "version": self.version,
            "uri": self.uri,
            "browser": f"{self.http}/browser/",
            "pid": self.pid,
            "data": str(self.home / "data"),
            "logs": str(self.home / "logs"),
            **({"progress": self.progress} if self.progress else {}),
            **({"reason": self.reason} if self.reason else {}),
            "explanation": self.explain("en"),
            "explanation_ja": self.explain("ja"),
        }

    def explain(self, lang: str = "en") -> str:
        """The state in one or two sentences: what it means and what to do (``ja`` or ``en``)."""
        key = f"db.state.{self.state}"
        if key not in STRINGS:
            return self.state
        way_out = _way_out(self.reason or "", self.home, lang) if self.state == "failed" else ""
        text = t(key, lang, uri=self.uri, pid=self.pid, progress=self.progress, reason=self.reason, way_out=way_out)
        return text if self.state != "failed" else f"{text} ({self.home / 'logs'})"


class LocalNeo4j:
    """The Neo4j server under ``$IPECO_HOME/neo4j``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.home / "neo4j"
        self.lib = self.home / "lib" / NEO4J_VERSION
        self.conf = self.home / "conf"
        #: Held (``flock``) by the server process itself for as long as it lives; holds its PID.
        self.lock_file = self.home / "run" / "ipeco-neo4j.lock"
        self.password_file = self.home / "password"

    # --- paths and facts ----------------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.settings.bolt_port}"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    def password(self) -> str | None:
        return self.password_file.read_text().strip() if self.password_file.exists() else None

    def pid(self) -> int | None:
        """PID of the live server on this home (found from the process table, not trusted from a file)."""
        return self._server_process()[0]

    def _server_process(self) -> tuple[int | None, bool]:
        """(PID of the server process on this home or None, whether it holds the lock).

        The lock file names the PID of the process holding it; that PID counts only when the
        process is the Neo4j entry point on this very home (PIDs are reused). A server started by
        an older ipeco, without the lock, is found by scanning the process table.
        """
        held = self._lock_held()
        recorded = _read_pid(self.lock_file)
        if recorded is not None and _is_server(recorded, self.home):
            return recorded, held
        for pid in _server_pids(self.home):
            return pid, held
        return None, held

    def _lock_held(self) -> bool:
        try:
            with self.lock_file.open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                fcntl.flock(handle, fcntl.LOCK_UN)
                return False
        except FileNotFoundError:
            return False

    def status(self) -> ServerStatus:
        """The server's state from its process, its lock and Bolt (see :data:`STATES`)."""
        pid, held = self._server_process()
        progress = reason = ""
        if pid is not None:
            if _port_open(self.settings.bolt_port) and _bolt_ready(self.uri, self.password() or ""):
                state = "running" if held else "unmanaged"
            else:
                reason = self.failure_reason(since=_started_at(pid))
                progress = self.recovery_progress()
                state = "failed" if reason else "recovering" if progress else "starting"
        elif held:
            state = "starting"  # a start holds the lock and has not launched the JVM yet
        elif _read_pid(self.lock_file) is not None:
            reason = self.failure_reason()
            state = "failed" if reason else "stale"
        else:
            state = "stopped"
        return ServerStatus(state, NEO4J_VERSION, self.uri, self.http, pid, self.home, progress, reason)

    def failure_reason(self, since: float | None = None) -> str:
        """Why the current run failed, from the server's own ``debug.log`` ("" when it shows no error).

        The first ERROR line of the latest run names what failed (a database that did not start,
        a recovery that could not finish); its deepest ``Caused by:`` names why (no space left on
        device, a corrupt file). Only lines after the latest start count, as for the progress, and,
        for a live process, only lines written since it started (``since``, epoch seconds): a new
        server has not logged its first line yet when the previous run's failure is still the last.
        """
        lines = _current_run(self.home / "logs" / "debug.log")
        first = cause = ""
        for line in lines:
            if since is not None and not first and _ERROR_LINE.search(line) and _logged_at(line) < since - 1:
                continue
            if _ERROR_LINE.search(line) and _FAILURE.search(line) and not first:
                first = line.split("] ", 1)[-1].strip()
            elif first and line.lstrip().startswith("Caused by:"):
                cause = line.split("Caused by:", 1)[1].strip()
        if not first:
            return ""
        return f"{first[:300]} — {cause[:300]}" if cause and cause not in first else first[:300]

    def recovery_progress(self) -> str:
        """The last recovery line of the current run's ``debug.log`` ("" when no recovery runs).

        Only lines after the latest start of the server count (its first line names the logging config).
        """
        path = self.home / "logs" / "debug.log"
        try:
            with path.open("rb") as handle:
                handle.seek(max(0, path.stat().st_size - 256_000))
                lines = handle.read().decode(errors="replace").splitlines()
        except OSError:
            return ""
        last = ""
        for line in lines:
            if "[o.n.g.f.m.GlobalModule] Logging config in use" in line or _RECOVERY_DONE.search(line):
                last = ""
            elif _RECOVERY.search(line):
                last = line.rsplit("] ", 1)[-1].strip()
        return last

    # --- install ------------------------------------------------------------------------
    def java(self) -> str:
        java_home = env("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
        if not java or not Path(java).exists():
            msg = "Java 17 or newer is needed to run Neo4j; install it (e.g. apt-get install openjdk-17-jre-headless)"
            raise ServerError(msg)
        out = java_version(java)
        match = re.search(r'version "(\d+)', out)
        if match and int(match.group(1)) < 17:
            msg = f"Neo4j {NEO4J_VERSION} needs Java 17 or newer; {java} is Java {match.group(1)}"
            raise ServerError(msg)
        return java

    def install(self) -> Path:
        """Resolve the pinned Neo4j jars with Maven into ``lib/<version>`` (once)."""
        marker = self.lib / ".complete"
        if marker.exists():
            return self.lib
        mvn = shutil.which("mvn")
        if not mvn:
            msg = "Maven is needed to fetch Neo4j from Maven Central; install it (e.g. apt-get install maven)"
            raise ServerError(msg)
        build = self.home / "maven"
        build.mkdir(parents=True, exist_ok=True)
        (build / "pom.xml").write_text(_POM.format(version=NEO4J_VERSION, browser=BROWSER_VERSION))
        self.lib.mkdir(parents=True, exist_ok=True)
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(build / "pom.xml"),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={self.lib}",
            "-DincludeScope=runtime",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
            msg = "Maven could not resolve the Neo4j jars:\n" + "\n".join(tail)
            raise ServerError(msg)
        marker.write_text(NEO4J_VERSION)
        return self.lib

    def write_config(self) -> None:
        self.conf.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs", "run", "import", "plugins"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        for private in (self.conf, self.home / "data", self.home / "logs", self.home / "run"):
            private.chmod(0o700)  # the password hash, the graph and query logs are the owner's alone
        s = self.settings
        lines = [
            "# Written by ipeco db start; edit IPECO_NEO4J_* variables instead.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
            f"server.http.listen_address=127.0.0.1:{s.http_port}",
            "server.https.enabled=false",
            f"server.memory.heap.initial_size={s.heap}",
            f"server.memory.heap.max_size={s.heap}",
            f"server.memory.pagecache.size={s.pagecache}",
            f"server.directories.data={self.home / 'data'}",
            f"server.directories.logs={self.home / 'logs'}",
            f"server.directories.run={self.home / 'run'}",
            f"server.directories.import={self.home / 'import'}",
            f"server.directories.plugins={self.home / 'plugins'}",
            "server.directories.lib=" + str(self.lib),
            # No server-wide transaction timeout: a nationwide load is one long transaction; analysts'
            # queries carry their own timeout (graph/query.py).
            "dbms.usage_report.enabled=false",
            # Bolt's network threads stop as soon as their connections are closed, not after Netty's
            # default quiet period of 5 s in which no new work came: a stop (and every restart of
            # `ipeco db dump|restore`) took 5 s longer than the server needs.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
            *server_limits(s.heap),
            # Keep 1 GiB of transaction logs, not the default two days: a 10^5-relationship load
            # logs ~300 MB, and a local server has no backup that would read older logs.
            "db.tx_log.rotation.retention_policy=1G size",
            "server.jvm.additional=-XX:+UseG1GC",
            # The second wall behind the analyst guard (graph/cypher_allowlist.py says what and why).
            *(f"{name}={value}" for name, value in SERVER_HARDENING.items()),
        ]
        (self.conf / "neo4j.conf").write_text("\n".join(lines) + "\n")

    def _class_data(self, java: str, kind: str, classpath: str) -> list[str]:
        """The class-data archive options of a JVM of ``kind`` (``graph.server_cds``; none when turned off)."""
        if not self.settings.class_data_sharing:
            return []
        return archive_options(
            java, java_version(java), self.lib, kind, classpath, write=self.settings.class_data_writing
        )

    def _admin_command(self, java: str, conf: Path, *args: str) -> list[str]:
        """``neo4j-admin ARGS`` as one JVM running the tool itself.

        Not the ``Neo4jAdminCommand`` launcher, which starts the tool in a second JVM (two JVM starts
        per command, and a child that would outlive a killed load: the parent-death signal reaches the
        direct child only). The arguments are the launcher's own: the config folder first on the class
        path, the server's heap. The jars are named by their real folder, as the server's are, so that
        every home sharing them shares one class-data archive.
        """
        classpath = f"{self.lib.resolve()}/*"
        cmd = [java, *self._class_data(java, "admin", classpath), "-cp", f"{conf}/*:{classpath}"]
        cmd += ["-XX:+UseG1GC", "-Dfile.encoding=UTF-8", f"-Xmx{self.settings.heap}"]
        return [*cmd, "org.neo4j.cli.AdminTool", *args]

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf)}

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the real ``neo4j-admin`` of the pinned version with this server's home and config."""
        cmd = self._admin_command(self.java(), self.conf, *args)
        return subprocess.run(cmd, capture_output=True, text=True, env=self._env(), check=False)

    def _ensure_password(self) -> str:
        if (password := self.password()) and (self.home / "data" / "dbms").exists():
            return password
        # "p" first: token_urlsafe may start with "-", which neo4j-admin would read as an option
        password = password or "p" + secrets.token_urlsafe(18)
        result = self.admin("dbms", "set-initial-password", password)
        if result.returncode != 0:
            msg = f"neo4j-admin could not set the initial password: {result.stdout}{result.stderr}"
            raise ServerError(msg)
        self.password_file.write_text(password + "\n")
        self.password_file.chmod(0o600)
        return password

    # --- lifecycle ----------------------------------------------------------------------
    def start(self, timeout: float = 120.0, on_progress: Callable[[str], None] = lambda _: None) -> ServerStatus:
        """Start the server (idempotent), then wait until Bolt answers.

        One server per home: the start takes an exclusive ``flock`` on the lock file and hands the
        open file to the JVM, which keeps the lock for exactly as long as it lives (a ``kill -9``
        releases it). A second start, concurrent or later, cannot take the lock and waits for the
        server that holds it instead of launching another.

        ``timeout`` bounds the time *without progress*, not the whole start: while crash recovery
        writes new progress lines to the log, the wait goes on (a recovery may take many minutes).
        """
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        handle = self.lock_file.open("a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return self._wait_ready(None, timeout, on_progress)
            pid, _ = self._server_process()
            if pid is not None:  # an unmanaged server (started without the lock) runs on this home
                return self._wait_ready(None, timeout, on_progress)
            if _port_open(self.settings.bolt_port):
                msg = (
                    f"port {self.settings.bolt_port} is taken by another program; stop it or set "
                    "IPECO_NEO4J_BOLT_PORT to a free port"
                )
                raise ServerError(msg)
            if _read_pid(self.lock_file) is not None:
                on_progress("the last server did not stop cleanly; Neo4j will recover its data first")
            self._undo_abandoned_switch(on_progress)
            proc = self._launch(handle)
        finally:
            handle.close()  # the JVM holds its own copy of the locked file from here on
        return self._wait_ready(proc, timeout, on_progress)

    def _launch(self, lock: Any) -> subprocess.Popen[bytes]:
        java = self.java()
        self.install()
        self.write_config()
        self._ensure_password()
        log = (self.home / "logs" / "console.log").open("ab")
        heap = self.settings.heap
        classpath = f"{self.lib.resolve()}/*"  # the real folder: homes sharing the jars share the archive
        cmd = [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            "-XX:+UseG1GC",
            *self._class_data(java, "server", classpath),
            "-cp",
            classpath,
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={self.home}",
            f"--config-dir={self.conf}",
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=self._env(),
            start_new_session=True,
            cwd=self.home,
            pass_fds=(lock.fileno(),),
        )
        log.close()
        lock.seek(0)
        lock.truncate()
        lock.write(f"{proc.pid}\n")
        lock.flush()
        return proc

    def _wait_ready(
        self, proc: subprocess.Popen[bytes] | None, timeout: float, on_progress: Callable[[str], None]
    ) -> ServerStatus:
        """Wait for Bolt while the server lives and makes progress (new log output) within ``timeout``."""
        logs = [self.home / "logs" / name for name in ("debug.log", "console.log")]
        last_size, last_change, said = _total_size(logs), time.monotonic(), ""
        launched = time.time() - 5  # _launch just ran: errors logged before it are an earlier run's
        while True:
            if proc is not None and proc.poll() is not None:
                reason = self.failure_reason(since=launched)
                if reason:  # the server's own words first, then the way out
                    failed = ServerStatus("failed", NEO4J_VERSION, self.uri, self.http, None, self.home, "", reason)
                    msg = f"Neo4j exited with code {proc.returncode} while starting: {failed.explain('en')}"
                else:
                    msg = f"Neo4j exited with code {proc.returncode} while starting; last log lines:\n{self.logs(30)}"
                raise ServerError(msg)
            status = self.status()
            if status.running:
                return status
            if status.state == "failed":
                msg = f"Neo4j could not start: {status.explain('en')}"
                raise ServerError(msg)
            if status.state in ("stopped", "stale"):
                msg = f"Neo4j stopped while starting; last log lines:\n{self.logs(30)}"
                raise ServerError(msg)
            if status.progress and status.progress != said:
                said = status.progress
                on_progress(f"recovering: {said}")
            size = _total_size(logs)
            if size != last_size:
                last_size, last_change = size, time.monotonic()
            elif time.monotonic() - last_change > timeout:
                msg = (
                    f"Neo4j (pid {status.pid}) is still {status.state} but wrote nothing to its log for "
                    f"{timeout:.0f} s; it keeps running: check `ipeco db status` and `ipeco db logs`"
                )
                raise ServerError(msg)
            time.sleep(_READY_POLL)

    def stop(self, timeout: float = 60.0, panic_grace: float = PANIC_GRACE) -> bool:
        """Shut the server down cleanly (SIGTERM, then SIGKILL after ``timeout``). False if it was not running.

        The process is found from the process table (the Neo4j entry point on this home), so a
        stale lock file never points ``stop`` at an unrelated process. A server whose database has
        panicked (:meth:`panicked`) gets ``panic_grace`` instead of ``timeout``.
        """
        pid = self.pid()
        if pid is None:
            self._forget()
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        self._wait_gone(pid, timeout, panic_grace)
        self._forget()
        return True

    def panicked(self, pid: int) -> bool:
        """Whether server ``pid`` logged a database panic (``debug.log``, since it started).

        After a panic (a full disk is the usual one) Neo4j refuses every write, its shutdown's
        checkpoint included: the JVM then hangs on SIGTERM until it is killed, saving nothing by
        the wait. What it committed is in the transaction log, and the next start recovers it, as
        after any ``kill -9`` (``tests/test_server_lifecycle.py``).
        """
        since = _started_at(pid)
        return any(
            _PANIC.search(line) and (since is None or _logged_at(line) >= since - 1)
            for line in _current_run(self.home / "logs" / "debug.log")
        )

    def _wait_gone(self, pid: int, timeout: float, panic_grace: float) -> None:
        """Wait for ``pid`` to exit, SIGKILL it after ``timeout`` (``panic_grace`` once it has panicked)."""
        began = time.monotonic()
        deadline, look = began + timeout, began
        while process_alive(pid):
            now = time.monotonic()
            if now >= deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                while process_alive(pid):
                    time.sleep(0.1)
                return
            if now >= look:  # the log is read once a second, not at every poll
                look = now + 1.0
                if self.panicked(pid):
                    deadline = min(deadline, began + panic_grace)
            time.sleep(_STOP_POLL)

    def _forget(self) -> None:
        """Clear the PID in the lock file once no server lives (a clean stop is not "stale")."""
        (self.home / "run" / "ipeco-neo4j.pid").unlink(missing_ok=True)  # written by older versions
        with contextlib.suppress(FileNotFoundError), self.lock_file.open("a") as handle:
            deadline = time.monotonic() + 10
            while True:  # the lock goes with the last of the process's files, just after it exits
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        return
                    time.sleep(0.1)
            handle.truncate(0)

    # --- a store built off line, switched in (graph.bulk) ----------------------------------
    @property
    def staging_root(self) -> Path:
        """Where bulk and staged loads build the next database (``graph.bulk``), beside the live one."""
        return self.home / "staging"

    @property
    def switch_journal(self) -> Path:
        """Present exactly while a switch is unfinished: it names the staging folder and the switcher's PID."""
        return self.home / "run" / "ipeco-switch.json"

    def admin_process(self, *args: str, data_dir: Path, output: Path) -> subprocess.Popen[bytes]:
        """``neo4j-admin`` writing into ``data_dir`` instead of the live data folder, as a child that dies with us.

        Its config is this server's with only ``server.directories.data`` changed, so an import can
        never touch the live database, even while the server runs. The child gets ``SIGKILL`` when
        this process dies (Linux ``PR_SET_PDEATHSIG``): a killed load leaves no importer behind.
        ``admin_process`` runs the tool in this one JVM, so that signal reaches the process that works.
        """
        self.write_config()
        conf = data_dir.parent / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        lines = [
            line if not line.startswith("server.directories.data=") else f"server.directories.data={data_dir}"
            for line in (self.conf / "neo4j.conf").read_text().splitlines()
        ]
        (conf / "neo4j.conf").write_text("\n".join(lines) + "\n")
        cmd = self._admin_command(self.java(), conf, *args)
        with output.open("wb") as out:
            return subprocess.Popen(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**self._env(), "NEO4J_CONF": str(conf)},
                preexec_fn=_die_with_parent,
            )

    def _switch_moves(self, staged: Path) -> list[tuple[Path, Path, Path]]:
        """(live, new, old) folders of the database: its store files and its transaction logs."""
        name = self.settings.neo4j_database
        return [
            (self.home / "data" / sub / name, staged / sub / name, staged / "old" / sub)
            for sub in ("databases", "transactions")
        ]

    def switch_database(
        self,
        staged: Path,
        check: Callable[[], None],
        on_progress: Callable[[str], None] = lambda _: None,
        seconds: dict[str, float] | None = None,
    ) -> None:
        """Put the database built under ``staged`` in place of the live one; undo everything on any failure.

        Community Edition serves one user database, so the switch swaps its folders while the server
        is stopped (what ``neo4j-admin database load`` does to a dump), then starts it and runs
        ``check`` (the caller's proof that the new database answers). The live folders move to
        ``staged/old`` and stay there until ``check`` passed; a journal written first (temp file +
        rename) makes a switch cut short by a crash or ``kill -9`` undone by the next start.
        ``seconds`` (when given) receives the time of each step (stop, swap, start, check): the
        switch is a server restart, and where its time goes decides what is worth cutting.
        """
        timed = _Steps(seconds if seconds is not None else {})
        _write_atomically(self.switch_journal, json.dumps({"staged": str(staged), "pid": os.getpid()}))
        try:
            timed("stop", self.stop)
            timed("swap", lambda: self._swap_in(staged))
            timed("start", lambda: self.start(on_progress=on_progress))
            timed("check", check)
        except BaseException:
            on_progress("the new database did not answer: putting the previous one back")
            self.undo_switch(on_progress)
            raise
        self.switch_journal.unlink()

    def _swap_in(self, staged: Path) -> None:
        """Move the live folders to ``staged/old`` and the built ones in their place (server stopped)."""
        for live, new, old in self._switch_moves(staged):
            old.parent.mkdir(parents=True, exist_ok=True)
            live.rename(old)
            new.rename(live)

    def undo_switch(self, on_progress: Callable[[str], None] = lambda _: None) -> bool:
        """Undo an unfinished switch (the server is stopped, the previous folders moved back, started again).

        Idempotent: each folder is moved back only if it is still away, so an undo cut short is
        finished by the next one. False when no switch was unfinished.
        """
        staged = _journal_staged(self.switch_journal)
        if staged is None or _switching_elsewhere(self.switch_journal):
            return False
        was_live = self.pid() is not None
        self.stop()
        self._put_back(staged)
        if was_live:
            self.start(on_progress=on_progress)
        return True

    def _undo_abandoned_switch(self, on_progress: Callable[[str], None]) -> None:
        """Before a start: undo the switch of a load that died half-way (not the one starting us)."""
        if not self.switch_journal.exists() or _switching_elsewhere(self.switch_journal, ours=True):
            return
        on_progress("a bulk load stopped half-way through its switch: putting the previous database back")
        staged = _journal_staged(self.switch_journal)
        if staged is not None:
            self._put_back(staged)

    def _put_back(self, staged: Path) -> None:
        """Move the previous database's folders back from ``staged/old`` (those still away), then end the journal."""
        for live, new, old in self._switch_moves(staged):
            if old.exists():
                if live.exists():
                    live.rename(new)
                old.rename(live)
        self.switch_journal.unlink(missing_ok=True)

    def logs(self, lines: int = 50) -> str:
        out = []
        for name in ("neo4j.log", "console.log"):
            path = self.home / "logs" / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"==> {path} <==\n" + "\n".join(tail))
        return "\n".join(out) or f"no logs yet under {self.home / 'logs'}"


class _Steps:
    """Runs a step and adds its wall-clock seconds to a dict under its name."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    def __call__(self, name: str, step: Callable[[], object]) -> None:
        start = time.perf_counter()
        try:
            step()
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


#: Seconds between two readiness probes of a starting server: a restart (a bulk load's switch) waits
#: on average half of it after Bolt opens; one probe (a port test, then one ``RETURN 1``) costs far less.
_READY_POLL: Final = 0.2


_JAVA_VERSIONS: dict[tuple[str, float], str] = {}


def java_version(java: str) -> str:
    """What ``java -version`` says (run once per binary and process: each run is a JVM start)."""
    try:
        key = (str(Path(java).resolve()), Path(java).stat().st_mtime)
    except OSError:
        key = (java, 0.0)
    if key not in _JAVA_VERSIONS:
        _JAVA_VERSIONS[key] = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    return _JAVA_VERSIONS[key]


def _die_with_parent() -> None:
    """In a forked child before exec: receive SIGKILL when the parent dies (Linux; a no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def _switching_elsewhere(journal: Path, *, ours: bool = False) -> bool:
    """Whether the switch the journal names is still being done by a live process (``ours``: this one too)."""
    try:
        pid = json.loads(journal.read_text()).get("pid")
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return ours
    return isinstance(pid, int) and process_alive(pid)


def _journal_staged(journal: Path) -> Path | None:
    """The staging folder an unfinished switch names (None: no switch is unfinished)."""
    try:
        staged = json.loads(journal.read_text()).get("staged")
    except (OSError, ValueError):
        return None
    return Path(staged) if isinstance(staged, str) else None


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _bolt_ready(uri: str, password: str) -> bool:
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    try:
        with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            driver.execute_query("RETURN 1", database_="neo4j")
        return True
    except (ServiceUnavailable, Neo4jError, OSError):
        return False


#: debug.log lines of crash recovery in Neo4j 5: "Recovery required from position …", then the
#: recovery logger's "N% completed", ended by "Recovery in 'full' mode completed …".
_ERROR_LINE: Final = re.compile(r"^\S+ \S+ ERROR ")
#: The debug.log line of a database that can no longer write (``o.n.m.DatabaseHealth``).
_PANIC: Final = re.compile(r"^\S+ \S+ ERROR .*\bDatabase panic\b")
#: What makes an ERROR line a failed start or recovery (a client's dropped connection is logged as
#: ERROR too, and says nothing about the server's state).
_FAILURE: Final = re.compile(
    r"fail(ed|ure)? to (start|recover)|could not (start|recover)|unable to start|while starting|"
    r"recovery|no space left|panic",
    re.IGNORECASE,
)


def _logged_at(line: str) -> float:
    """Epoch seconds of a Neo4j log line ("2026-12-07 00:00:03.000+0000 ERROR ..."); 0 when unreadable."""
    try:
        return datetime.strptime(line[:28], "%Y-%m-%d %H:%M:%S.%f%z").timestamp()
    except ValueError:
        return 0.0


def _started_at(pid: int) -> float | None:
    """When process ``pid`` started (epoch seconds, from /proc: boot time + start ticks), None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, after the command in parentheses
        boot = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _current_run(path: Path) -> list[str]:
    """The log lines of the server's latest run (after its last "Logging config in use"); the last 256 kB."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 256_000))
            lines = handle.read().decode(errors="replace").splitlines()
    except OSError:
        return []
    starts = [i for i, line in enumerate(lines) if "[o.n.g.f.m.GlobalModule] Logging config in use" in line]
    return lines[starts[-1] :] if starts else lines


def _way_out(reason: str, home: Path, lang: str) -> str:
    """What to do about a failed server, in words fitting the reason."""
    text = reason.lower()
    if "no space left" in text or ("disk" in text and "full" in text):
        return t("db.way_out.disk", lang, data=home / "data")
    return t("db.way_out.logs", lang)


_RECOVERY: Final = re.compile(r"Recovery required|\[o\.n\.k\.r\.Recovery\]")
_RECOVERY_DONE: Final = re.compile(r"Recovery in '\w+' mode completed|Recovery completed")


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _is_server(pid: int, home: Path) -> bool:
    """Whether ``pid`` is the Neo4j entry point on ``home`` (not a reused PID, not another home)."""
    args = _cmdline(pid)
    if not args:  # no /proc (macOS): a live PID is the best we know
        return Path("/proc").is_dir() is False and process_alive(pid)
    return "org.neo4j.server.CommunityEntryPoint" in args and f"--home-dir={home}" in args and process_alive(pid)


def _server_pids(home: Path) -> Iterator[int]:
    """PIDs of Neo4j entry points on ``home`` in the process table (Linux ``/proc``)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if entry.name.isdigit() and _is_server(int(entry.name), home):
            yield int(entry.name)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie child of ours is reaped and counts as gone)."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is gone, unless only its first thread has exited: a JVM's primordial thread may end
    # while the shutdown hooks still run (and the process still holds its files and the lock).
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    zombie = re.search(r"^State:\s+Z", status, re.MULTILINE) is not None
    threads = re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE)
    return not zombie or (threads is not None and int(threads.group(1)) > 1)


def _total_size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())

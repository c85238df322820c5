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
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from graph.cypher_allowlist import SERVER_HARDENING
from graph.errors import ServiceError
from graph.settings import Settings

__all__ = ["BROWSER_VERSION", "NEO4J_VERSION", "LocalNeo4j", "ServerError"]

NEO4J_VERSION: Final = "5.26.30"
#: Neo4j Browser served at /browser when its jar is on the classpath.
BROWSER_VERSION: Final = "5.24.0"

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


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    version: str
    uri: str
    http: str
    pid: int | None
    home: Path

    def as_dict(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "version": self.version,
            "uri": self.uri,
            "browser": f"{self.http}/browser/",
            "pid": self.pid,
            "data": str(self.home / "data"),
            "logs": str(self.home / "logs"),
        }


class LocalNeo4j:
    """The Neo4j server under ``$IPECO_HOME/neo4j``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.home / "neo4j"
        self.lib = self.home / "lib" / NEO4J_VERSION
        self.conf = self.home / "conf"
        self.pid_file = self.home / "run" / "ipeco-neo4j.pid"
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
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def status(self) -> ServerStatus:
        pid = self.pid()
        running = pid is not None and _port_open(self.settings.bolt_port)
        return ServerStatus(running, NEO4J_VERSION, self.uri, self.http, pid, self.home)

    # --- install ------------------------------------------------------------------------
    def java(self) -> str:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
        if not java or not Path(java).exists():
            msg = "Java 17 or newer is needed to run Neo4j; install it (e.g. apt-get install openjdk-17-jre-headless)"
            raise ServerError(msg)
        out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
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
            # Keep 1 GiB of transaction logs, not the default two days: a 10^5-relationship load
            # logs ~300 MB, and a local server has no backup that would read older logs.
            "db.tx_log.rotation.retention_policy=1G size",
            "server.jvm.additional=-XX:+UseG1GC",
            # The second wall behind the analyst guard (graph/cypher_allowlist.py says what and why).
            *(f"{name}={value}" for name, value in SERVER_HARDENING.items()),
        ]
        (self.conf / "neo4j.conf").write_text("\n".join(lines) + "\n")

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf)}

    def admin(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the real ``neo4j-admin`` of the pinned version with this server's home and config."""
        cmd = [self.java(), "-cp", f"{self.lib}/*", "org.neo4j.server.startup.Neo4jAdminCommand", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=self._env(), check=False)

    def _ensure_password(self) -> str:
        if (password := self.password()) and (self.home / "data" / "dbms").exists():
            return password
        password = password or secrets.token_urlsafe(18)
        result = self.admin("dbms", "set-initial-password", password)
        if result.returncode != 0:
            msg = f"neo4j-admin could not set the initial password: {result.stdout}{result.stderr}"
            raise ServerError(msg)
        self.password_file.write_text(password + "\n")
        self.password_file.chmod(0o600)
        return password

    # --- lifecycle ----------------------------------------------------------------------
    def start(self, timeout: float = 120.0) -> ServerStatus:
        """Start the server (idempotent) and wait until Bolt answers."""
        if (current := self.status()).running:
            return current
        if _port_open(self.settings.bolt_port):
            msg = (
                f"port {self.settings.bolt_port} is taken by another program; stop it or set "
                "IPECO_NEO4J_BOLT_PORT to a free port"
            )
            raise ServerError(msg)
        java = self.java()
        self.install()
        self.write_config()
        self._ensure_password()
        log = (self.home / "logs" / "console.log").open("ab")
        heap = self.settings.heap
        cmd = [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            "-XX:+UseG1GC",
            "-cp",
            f"{self.lib}/*",
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
        )
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                msg = f"Neo4j exited with code {proc.returncode} while starting; last log lines:\n{self.logs(30)}"
                raise ServerError(msg)
            if _port_open(self.settings.bolt_port) and _bolt_ready(self.uri, self.password() or ""):
                return self.status()
            time.sleep(0.25)
        msg = f"Neo4j did not answer on {self.uri} within {timeout:.0f} s; last log lines:\n{self.logs(30)}"
        raise ServerError(msg)

    def stop(self, timeout: float = 60.0) -> bool:
        """Shut the server down cleanly (SIGTERM, then SIGKILL after ``timeout``). False if it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            _reap(pid)
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def logs(self, lines: int = 50) -> str:
        out = []
        for name in ("neo4j.log", "console.log"):
            path = self.home / "logs" / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"==> {path} <==\n" + "\n".join(tail))
        return "\n".join(out) or f"no logs yet under {self.home / 'logs'}"


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


def _reap(pid: int) -> None:
    """Collect the child's exit status when we started it in this process (no zombie)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)

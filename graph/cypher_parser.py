"""Neo4j's own Cypher 5 parser, as a syntax tree the guard can walk (``graph/query_policy.py``).

A home-made Cypher parser would be the weakest link of the guard (comments, escapes, unicode,
nesting); the server's plan hides expressions inside operator text. So the guard reads the tree
that Neo4j 5.26's own ANTLR grammar (``cypher-v5-antlr-parser``, in the jars ``ipeco db start``
resolves) builds. A small Java helper, ``graph/java/CypherTree.java``, is compiled with ``javac``
the first time it is needed (into ``~/.cache/ipeco/cypher-parser/<hash>``, keyed by the source and
the Neo4j version, so nothing prebuilt is ever committed; ``ipeco db start`` builds it) and started
once per process; it answers one JSON line per query on stdin/stdout.

Trees: a rule node is ``["ruleName", child, ...]``, a token is its text (see the Java source for
the two collapsings that keep the tree small).
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import json
import os
import shutil
import subprocess
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from graph.errors import InputError, ServiceError
from graph.server import NEO4J_VERSION, LocalNeo4j, ServerError
from graph.settings import Settings, env

__all__ = ["JAVA_SOURCE", "CypherParser", "GrammarError", "ParserUnavailable", "Tree", "cypher_parser"]

JAVA_SOURCE: Final = Path(__file__).with_name("java") / "CypherTree.java"
_JAR: Final = "cypher-tree.jar"
#: What Neo4j's Cypher 5 grammar needs at run time (checked: the helper runs on these alone).
_PARSER_JARS: Final = (
    "antlr4-runtime-4.13.2.jar",
    f"cypher-v5-antlr-parser-{NEO4J_VERSION}.jar",
    f"cypher-antlr-common-{NEO4J_VERSION}.jar",
)

Tree = list[Any] | str


class GrammarError(InputError):
    """Neo4j's grammar rejects the text; ``line``/``column`` are 1-based."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ParserUnavailable(ServiceError):
    """The parser helper could not be built or started; the message says what to install."""


@dataclass
class CypherParser:
    """One running helper process; :meth:`parse` is thread-safe (one query at a time on the pipe)."""

    process: subprocess.Popen[bytes]
    lock: threading.Lock
    #: Answers to warm-up queries still to be read (sent at start, so the JVM warms up meanwhile).
    pending: int = 0

    def parse(self, query: str) -> Tree:
        """The syntax tree of ``query``; raises :class:`GrammarError` if Neo4j's grammar rejects it."""
        line = base64.b64encode(query.encode("utf-8")) + b"\n"
        with self.lock:
            if self.process.poll() is not None:
                msg = f"the Cypher parser helper exited with code {self.process.returncode}"
                raise ParserUnavailable(msg)
            assert self.process.stdin is not None and self.process.stdout is not None
            while self.pending:
                self.process.stdout.readline()
                self.pending -= 1
            self.process.stdin.write(line)
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            msg = "the Cypher parser helper closed its output; see its error output above"
            raise ParserUnavailable(msg)
        data = json.loads(answer)
        if "error" in data:
            raise GrammarError(data["error"])
        return data["tree"]

    def close(self) -> None:
        """Stop the helper (it holds nothing worth a clean shutdown, so no wait at exit)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _java_binary() -> str:
    java_home = env("JAVA_HOME")
    return str(Path(java_home) / "bin" / "java") if java_home else (shutil.which("java") or "java")


def _jvm_options() -> list[str]:
    """Small and quick to start: the helper parses one short text at a time.

    JVM messages go to stderr: stdout is the protocol. (A class-data archive was tried and saved
    nothing measurable: the start is the grammar's first parses, which the warm-up queries absorb.)
    """
    options = ["-Xss16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"]
    return [*options, "-Xlog:disable", "-Xlog:all=warning:stderr"]


def parser_dir(key: str | None = None) -> Path:
    """Where the helper lives: a per-user cache shared by every ``IPECO_HOME`` (tests use scratch homes)."""
    key = key or hashlib.sha256(JAVA_SOURCE.read_bytes() + NEO4J_VERSION.encode()).hexdigest()[:16]
    cache = Path(env("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ipeco" / "cypher-parser" / key


def _classpath(folder: Path) -> str:
    return ":".join(str(folder / name) for name in (_JAR, *_PARSER_JARS))


def _compile(settings: Settings) -> tuple[str, str]:
    """The helper's ``(java, classpath)``; built once per source and Neo4j version.

    The first build resolves Neo4j's jars with Maven (as ``ipeco db start`` does), copies the three
    the grammar needs beside the helper, and compiles it with ``javac``.
    """
    folder = parser_dir()
    if (folder / _JAR).exists():
        return _java_binary(), _classpath(folder)
    server = LocalNeo4j(settings)
    try:
        java = server.java()
        lib = server.install()
    except ServerError as exc:
        raise ParserUnavailable(f"the Cypher guard needs Neo4j's parser: {exc}") from exc
    javac = str(Path(java).with_name("javac"))
    if not Path(javac).exists():
        javac = shutil.which("javac") or ""
    if not javac:
        msg = "the Cypher guard compiles a small Java helper and needs javac (apt-get install openjdk-17-jdk-headless)"
        raise ParserUnavailable(msg)
    staging = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in _PARSER_JARS:
        shutil.copy2(lib / name, staging / name)
    cp = ":".join(str(staging / name) for name in _PARSER_JARS)
    cmd = [javac, "-nowarn", "-d", str(staging / "classes"), "-cp", cp, str(JAVA_SOURCE)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        msg = f"javac could not compile {JAVA_SOURCE.name}:\n{result.stdout}{result.stderr}"
        raise ParserUnavailable(msg)
    with zipfile.ZipFile(staging / _JAR, "w") as jar:
        for path in sorted((staging / "classes").glob("*.class")):
            jar.write(path, path.name)
    shutil.rmtree(staging / "classes")
    try:
        staging.replace(folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another process built it meanwhile
    return java, _classpath(folder)


#: Typical shapes, parsed once at start: the first parse of a shape is ten times slower than the next.
_WARM_UP: Final = (
    "MATCH (n:Organization {id: $id})-[r:SUPPORTS]->(m) WHERE m.name =~ 'x.*' RETURN n, count(r) AS c "
    "ORDER BY c DESC LIMIT 10",
    "CALL db.labels() YIELD label RETURN COLLECT { MATCH (n) RETURN n.id } AS ids, [x IN range(0, 3) | x] AS xs",
    "UNWIND $rows AS row OPTIONAL MATCH p = (a)-[*1..3]-(b) WITH row, CASE WHEN p IS NULL THEN 0 ELSE 1 END AS k "
    "RETURN row, sum(k), reduce(s = 0, x IN [1] | s + x) UNION RETURN 1, 2, 3",
    "SHOW INDEXES YIELD name WHERE name STARTS WITH 'x' RETURN name",
    "CREATE (n:X) SET n.a = 1 MERGE (m:Y) DELETE n",
)

_LOCK = threading.Lock()
_PARSER: CypherParser | None = None


def cypher_parser(settings: Settings | None = None) -> CypherParser:
    """The process-wide parser (built and started on first use; ``settings`` say where Maven resolves)."""
    global _PARSER
    with _LOCK:
        if _PARSER is not None and _PARSER.process.poll() is None:
            return _PARSER
        java, classpath = _compile(settings or Settings.from_env())
        cmd = [java, *_jvm_options(), "-cp", classpath, "CypherTree"]
        process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None)
        assert process.stdin is not None
        for query in _WARM_UP:  # the grammar's prediction caches fill while the caller does other work
            process.stdin.write(base64.b64encode(query.encode()) + b"\n")
        process.stdin.flush()
        _PARSER = CypherParser(process, threading.Lock(), len(_WARM_UP))
        atexit.register(_PARSER.close)
        return _PARSER


def build_parser(settings: Settings | None = None) -> str:
    """Compile the helper now (``ipeco db start`` calls this, so ``make test`` builds it on a fresh machine)."""
    return _compile(settings or Settings.from_env())[1]


if __name__ == "__main__":
    print(build_parser())

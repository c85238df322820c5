"""Class Data Sharing for the local Neo4j's JVMs: a start maps the classes the last run loaded.

Why: most of a Neo4j start's CPU is loading and linking some 20,000 classes from 200 jars (about
9 CPU-s for a small server), and every ``neo4j-admin`` run (the initial password, a dump, a
restore, a bulk import) pays a smaller share of the same. Java 13+ writes a *dynamic* archive of
the classes an application loaded when its JVM exits (``-XX:ArchiveClassesAtExit``) and maps it at
the next start (``-XX:SharedArchiveFile``): measured here, a server start takes about 30% less CPU.

The archive is made once per machine, by the first server (or ``neo4j-admin``) that finds none,
next to the downloaded jars (``lib/cds/`` in the Neo4j home, never in the repository), one per kind
of JVM, named by a hash of the Java build, the jars' folder and the kind: a new Java or a new Neo4j
makes a new one. A JVM refuses an archive of another build or class path and just runs without
it, but a *truncated* archive (a JVM killed while writing it) crashes the next one, so an archive
is written under a ``.part`` name and only takes its final name once a ``java -Xshare:on`` has
mapped it. ``IPECO_NEO4J_CDS=0`` turns it all off; ``IPECO_NEO4J_CDS=use`` maps an archive that
exists but never writes one (the test suite's long-lived shared server, so that the first short-lived
server of the run writes it for the others).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
from pathlib import Path
from typing import Final

__all__ = ["archive_options", "archive_path"]

#: The JVM's own CDS messages stay out of stdout (``neo4j-admin``'s output is read by ipeco).
_QUIET: Final = "-Xlog:cds*=off"


def archive_path(java: str, java_version: str, lib: Path, kind: str) -> Path:
    """Where the archive of ``kind`` (``server``, ``admin``) for this Java and these jars lives."""
    real = lib.resolve()
    key = hashlib.sha256("\0".join([str(Path(java).resolve()), java_version, str(real), kind]).encode())
    return real.parent / "cds" / f"{kind}-{key.hexdigest()[:16]}.jsa"


def archive_options(
    java: str, java_version: str, lib: Path, kind: str, classpath: str, *, write: bool = True
) -> list[str]:
    """The JVM options that use this kind's archive, or write it at exit when there is none yet.

    Empty when another JVM is writing it right now, when the folder is read-only, off Linux
    (whether a writer still lives is read from ``/proc``), or when there is none and ``write`` is
    false: a JVM that runs for hours (the test suite's shared server) would hold the claim, and so
    keep every shorter-lived JVM from the archive, until its exit.
    """
    if not Path("/proc/self").is_dir():
        return []
    final = archive_path(java, java_version, lib, kind)
    if final.exists() or _promote(final, java, classpath):
        return [_QUIET, f"-XX:SharedArchiveFile={final}"]
    if not write:
        return []
    part = _part(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))  # the claim: one writer
    except OSError:
        return []
    for other in final.parent.glob(f"{kind}-*.jsa"):  # an older Java's or Neo4j's archive
        other.unlink(missing_ok=True)
    return [_QUIET, f"-XX:ArchiveClassesAtExit={part}"]


def _part(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def _promote(final: Path, java: str, classpath: str) -> bool:
    """Give a finished ``.part`` its final name once it maps; drop it when its writer died without finishing.

    False while its writer lives (the archive is written at the JVM's exit) or when there is none.
    """
    part = _part(final)
    if not part.exists() or _writer_alive(part):
        return False
    check = [java, "-Xshare:on", _QUIET, "-XX:ErrorFile=/dev/null", f"-XX:SharedArchiveFile={part}"]
    check += ["-cp", classpath, "-version"]  # a cut archive crashes this JVM: no crash report left behind
    maps = part.stat().st_size > 0 and subprocess.run(check, capture_output=True, check=False).returncode == 0
    with contextlib.suppress(FileNotFoundError):  # another start promoted or dropped it meanwhile
        if maps:
            part.replace(final)
        else:
            part.unlink()
    return final.exists()


def _writer_alive(part: Path) -> bool:
    """Whether a live JVM will write ``part`` at its exit (its command line names it)."""
    needle = f"-XX:ArchiveClassesAtExit={part}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if needle in (entry / "cmdline").read_bytes():
                    return True
    return False

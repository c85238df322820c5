"""Class Data Sharing for the local Neo4j's JVMs (``graph.server_cds``): made once, used after, never a crash.

The JVMs are real: ``neo4j-admin --version`` of the pinned jars, on a class path of this test's own
(links to the jars, so the archive folder beside them is this test's too, not the shared one).
The first run writes the archive at its exit, the next start checks it and maps it; an archive cut
short (a JVM killed while writing) is dropped and written again, never handed to a JVM.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest

from graph.server import LocalNeo4j, java_version
from graph.server_cds import archive_options, archive_path
from graph.settings import Settings


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory, neo4j_jars: Path) -> Path:
    """A jars folder of the module's own: one link per jar."""
    folder = tmp_path_factory.mktemp("cds") / "lib" / "5.26.30"
    folder.mkdir(parents=True)
    for jar in neo4j_jars.glob("*.jar"):
        (folder / jar.name).symlink_to(jar)
    return folder


def java() -> str:
    return LocalNeo4j(Settings.from_env()).java()


def admin_version(lib: Path, options: list[str]) -> subprocess.CompletedProcess[str]:
    cmd = [java(), *options, "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool", "--version"]
    env = {**os.environ, "NEO4J_HOME": str(lib.parent.parent)}
    return subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)


def options(lib: Path) -> list[str]:
    return archive_options(java(), java_version(java()), lib, "admin", f"{lib}/*")


def test_the_first_run_writes_the_archive_and_the_next_maps_it(lib: Path) -> None:
    final = archive_path(java(), java_version(java()), lib, "admin")
    assert final.parent == lib.parent / "cds" and not final.exists()
    first = options(lib)
    assert any(o.startswith("-XX:ArchiveClassesAtExit=") for o in first)
    assert options(lib) == first  # the claim is taken (nobody writes it yet: claimed again, the same)
    written = admin_version(lib, first)
    assert written.returncode == 0 and written.stdout.strip().endswith("5.26.30"), written.stderr
    assert written.stdout.strip().splitlines() == ["5.26.30"]  # no CDS message in the tool's output

    second = options(lib)
    assert second[-1] == f"-XX:SharedArchiveFile={final}" and final.exists()
    mapped = admin_version(lib, ["-Xshare:on", "-Xlog:cds=info", *second[1:]])
    assert mapped.returncode == 0 and "Mapped dynamic region" in mapped.stdout, mapped.stdout[-2000:]


def test_an_archive_cut_short_is_dropped_and_written_again(lib: Path) -> None:
    final = archive_path(java(), java_version(java()), lib, "admin")
    if not final.exists():
        admin_version(lib, options(lib))
        options(lib)
    part = final.with_name(final.name + ".part")
    part.write_bytes(final.read_bytes()[: final.stat().st_size // 3])
    final.unlink()
    cut = admin_version(lib, ["-Xshare:on", "-XX:ErrorFile=/dev/null", f"-XX:SharedArchiveFile={part}"])
    assert cut.returncode != 0  # what a JVM would do with it: crash at start

    again = options(lib)
    assert again[-1] == f"-XX:ArchiveClassesAtExit={part}" and part.stat().st_size == 0
    assert admin_version(lib, again).returncode == 0
    assert options(lib)[-1] == f"-XX:SharedArchiveFile={final}"


def test_another_java_gets_its_own_archive_and_the_old_one_goes(lib: Path) -> None:
    ours = archive_path(java(), java_version(java()), lib, "server")
    theirs = archive_path(java(), "openjdk version 99", lib, "server")
    assert theirs != ours and theirs.parent == ours.parent
    ours.parent.mkdir(parents=True, exist_ok=True)
    ours.write_bytes(b"an older build's archive")
    claimed = archive_options(java(), "openjdk version 99", lib, "server", f"{lib}/*")
    assert claimed[-1] == f"-XX:ArchiveClassesAtExit={theirs}.part" and not ours.exists()
    Path(f"{theirs}.part").unlink()


def test_turned_off_the_server_and_neo4j_admin_run_without_it(tmp_path: Path, lib: Path) -> None:
    off = dataclasses.replace(Settings.from_env(), home=tmp_path, class_data_sharing=False)
    server = LocalNeo4j(off)
    cmd = server._admin_command(java(), server.conf, "--version")
    assert not [o for o in cmd if "Archive" in o or "SharedArchiveFile" in o]
    assert cmd[-2:] == ["org.neo4j.cli.AdminTool", "--version"]


def test_a_jvm_told_to_use_only_maps_an_archive_and_never_claims_one(lib: Path) -> None:
    """``IPECO_NEO4J_CDS=use`` (the suite's long-lived shared server): no claim while there is none."""
    final = archive_path(java(), java_version(java()), lib, "tool-use")
    part = final.with_name(final.name + ".part")
    assert archive_options(java(), java_version(java()), lib, "tool-use", f"{lib}/*", write=False) == []
    assert not part.exists() and not final.exists()
    claimed = archive_options(java(), java_version(java()), lib, "tool-use", f"{lib}/*")
    assert claimed[-1] == f"-XX:ArchiveClassesAtExit={part}"
    assert admin_version(lib, claimed).returncode == 0
    used = archive_options(java(), java_version(java()), lib, "tool-use", f"{lib}/*", write=False)
    assert used[-1] == f"-XX:SharedArchiveFile={final}" and final.exists()


def test_the_setting_reads_off_use_and_on(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, sharing, writing in (("0", False, False), ("use", True, False), ("1", True, True)):
        monkeypatch.setenv("IPECO_NEO4J_CDS", value)
        settings = Settings.from_env()
        assert (settings.class_data_sharing, settings.class_data_writing) == (sharing, writing), value

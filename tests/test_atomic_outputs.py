"""Every writer on a full disk: exit 1, one sentence naming the path and the cause, no file behind.

The disk is a real 4 MiB tmpfs, mounted in a private mount namespace (``unshare``, as
``tests/test_disk_full.py`` does) and filled to the last byte before the writers run, so every
write meets a real ``ENOSPC``. The writers run in one Python process through click's
``CliRunner`` (one import of the stack for a dozen commands). A complete older file under the
requested name must survive a failed export unchanged. The helper itself is tested directly with
an ``OSError(ENOSPC)`` injected at the write and with a writer's own failure.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.atomic import TEMP_PREFIX, OutputError, atomic_folder, atomic_output

ROOT = Path(__file__).resolve().parent.parent

#: Every command that writes a file for the user, with the output it is asked to write.
WRITERS: dict[str, list[str]] = {
    "template-csv": ["template", "{disk}/template"],
    "template-xlsx": ["template", "--xlsx", "{disk}/template-x"],
    "gaps-xlsx": ["gaps", "--region", "kobe", "-o", "{disk}/worklist.xlsx"],
    "export-graphml": ["export", "--region", "kobe", "-o", "{disk}/kobe.graphml"],
    "export-gexf": ["export", "--region", "kobe", "-o", "{disk}/kobe.gexf"],
    "export-cyjs": ["export", "--region", "kobe", "-o", "{disk}/kobe.cyjs"],
    "export-json": ["export", "--region", "kobe", "-o", "{disk}/kobe.json"],
    "export-xlsx": ["export", "--region", "kobe", "-o", "{disk}/kobe.xlsx"],
    "export-csv": ["export", "--format", "csv", "-o", "{disk}/import"],
    "report-html": ["report", "--region", "kobe", "-o", "{disk}/kobe.html"],
    "report-xlsx": ["report", "--region", "kobe", "-o", "{disk}/kobe-report.xlsx"],
    "report-pdf": ["report", "--region", "kobe", "--lang", "en", "-o", "{disk}/kobe.pdf"],
    "compare-html": ["report", "--compare", "-o", "{disk}/compare.html"],
}
#: The path each command's message must name.
NAMED = {
    "template-csv": "template",
    "template-xlsx": "template-x/ipeco-template.xlsx",
    "export-csv": "import",
}

RUNNER = """
import json, sys
from click.testing import CliRunner
from ipeco.cli import cli
writers, disk, out = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
results = {}
for name, args in writers.items():
    ran = CliRunner().invoke(cli, [a.format(disk=disk) for a in args])
    results[name] = {"rc": ran.exit_code, "stderr": ran.stderr, "exc": repr(ran.exception)}
json.dump(results, open(out, "w"))
"""

SCRIPT = """
set -e
mount -t tmpfs -o size=4m tmpfs "$DISK"
printf 'old complete file\\n' > "$DISK/kobe.graphml"
dd if=/dev/zero of="$DISK/filler" bs=64k 2>/dev/null || true
dd if=/dev/zero of="$DISK/filler-tail" bs=1 2>/dev/null || true
"$PY" -c "$RUNNER" "$WRITERS" "$DISK" "$OUT/results.json"
find "$DISK" -mindepth 1 -printf '%P\\n' | sort > "$OUT/left.txt"
cat "$DISK/kobe.graphml" > "$OUT/old.txt"
"""


@pytest.fixture(scope="module")
def full_disk_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, str]], list[str], str, Path]:
    """Seed the real layer (off the small disk), then run every writer against the full disk."""
    base = tmp_path_factory.mktemp("full-disk")
    home, disk, out = base / "home", base / "disk", base / "out"
    for folder in (home, disk, out):
        folder.mkdir()
    env = {**os.environ, "IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    seeded = subprocess.run(
        [sys.executable, "-m", "ipeco.cli", "seed"], env=env, capture_output=True, text=True, check=False
    )
    assert seeded.returncode == 0, seeded.stderr
    unshare = shutil.which("unshare") or "unshare"
    namespace = [unshare, "--mount"] if os.geteuid() == 0 else [unshare, "--map-root-user", "--mount"]
    env.update(DISK=str(disk), OUT=str(out), PY=sys.executable, RUNNER=RUNNER, WRITERS=json.dumps(WRITERS))
    ran = subprocess.run(
        [*namespace, "sh", "-c", SCRIPT], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert ran.returncode == 0, ran.stderr
    results = json.loads((out / "results.json").read_text())
    return results, (out / "left.txt").read_text().split(), (out / "old.txt").read_text(), disk


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_writer_on_a_full_disk_says_so_and_leaves_nothing(
    writer: str, full_disk_run: tuple[dict[str, dict[str, str]], list[str], str, Path]
) -> None:
    results, left, _, disk = full_disk_run
    result = results[writer]
    assert result["rc"] == 1, result
    path = disk / NAMED.get(writer, WRITERS[writer][-1].removeprefix("{disk}/"))
    assert result["stderr"] == f"error: cannot write {path}: disk full; nothing was written\n", result
    assert "Traceback" not in result["stderr"]
    assert left == ["filler", "filler-tail", "kobe.graphml"]  # no output, no temporary file, no folder


def test_a_failed_export_keeps_the_older_complete_file(
    full_disk_run: tuple[dict[str, dict[str, str]], list[str], str, Path],
) -> None:
    assert full_disk_run[2] == "old complete file\n"


# --- the helper --------------------------------------------------------------------------------
def test_an_injected_enospc_at_the_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out" / "kobe.graphml"
    with pytest.raises(OutputError) as caught, atomic_output(target) as tmp:
        tmp.write_text("half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
    assert str(caught.value) == f"cannot write {target}: disk full; nothing was written"
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    assert not (tmp_path / "out").exists()  # the folder it made is gone again too


def test_a_permission_error_names_the_cause(tmp_path: Path) -> None:
    target = tmp_path / "kobe.xlsx"
    expected = r"kobe\.xlsx: permission denied; nothing was written"
    with pytest.raises(OutputError, match=expected), atomic_output(target):
        raise PermissionError(errno.EACCES, "Permission denied")
    assert list(tmp_path.iterdir()) == []


def test_a_writer_bug_is_not_dressed_up_but_still_cleaned_up(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), atomic_output(tmp_path / "a.json") as tmp:
        tmp.write_text("{")
        _ = 1 / 0
    assert list(tmp_path.iterdir()) == []


def test_a_folder_output_moves_in_all_files_or_none(tmp_path: Path) -> None:
    folder = tmp_path / "import"
    with pytest.raises(OutputError), atomic_folder(folder) as staging:
        (staging / "nodes.csv").write_text("complete")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert not folder.exists()
    with atomic_folder(folder) as staging:
        (staging / "nodes.csv").write_text("complete")
        (staging / "relationships.csv").write_text("complete")
    assert sorted(p.name for p in folder.iterdir()) == ["nodes.csv", "relationships.csv"]


def test_an_output_gets_the_usual_mode(tmp_path: Path) -> None:
    from graph import atomic

    with atomic_output(tmp_path / "a.html") as tmp:
        tmp.write_text("<p>")
    assert (tmp_path / "a.html").stat().st_mode & 0o777 == 0o666 & ~atomic._UMASK


@settings(max_examples=30, deadline=None)
@given(content=st.binary(max_size=2048), fail=st.booleans())
def test_the_name_holds_the_old_or_the_new_content_never_a_part(content: bytes, fail: bool) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp_dir:
        target = Path(tmp_dir) / "out.bin"
        target.write_bytes(b"old")
        try:
            with atomic_output(target) as tmp:
                tmp.write_bytes(content[: len(content) // 2])
                if fail:
                    raise OSError(errno.ENOSPC, "No space left on device")
                tmp.write_bytes(content)
        except OutputError:
            assert fail
        assert target.read_bytes() == (b"old" if fail else content)
        assert not [p for p in Path(tmp_dir).iterdir() if p.name.startswith(TEMP_PREFIX)]

"""Atomic output files: written beside their final name, renamed into place only when complete.

Every file the product writes for a user (exports, reports, templates, worklists, dumps) goes
through :func:`atomic_output`. The content is written to a hidden temporary file in the *same
folder* (so the final :func:`os.replace` is a rename on one file system, atomic on POSIX), flushed
and synced, and renamed over the requested name only when the writer returned. On any failure —
a full disk, a permission, a writer's own exception — the temporary file is removed and the
requested name is left exactly as it was (absent, or the previous complete file): a later reader
never takes a truncated file for the real thing.

A failed file-system call becomes :class:`OutputError`, one sentence naming the path and the
cause (``disk full``, ``permission denied``, …), which the CLI prints with exit 1 and the web app
shows in the page. A writer's other exceptions pass through unchanged (after the clean-up).

Example
-------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with atomic_output(folder / "a.txt") as tmp:
...     _ = tmp.write_text("complete")
>>> sorted(p.name for p in folder.iterdir())
['a.txt']
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.errors import IpecoError

__all__ = ["OutputError", "atomic_folder", "atomic_output", "cause", "output_error", "write_workbook"]

#: Prefix of the temporary files (hidden, so a file browser or ``ls`` does not offer them as outputs).
TEMP_PREFIX = ".ipeco-tmp-"

#: The cause in plain words for the errors a user meets when writing a file.
_CAUSES: dict[int, str] = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.EIO: "input/output error",
}


def _read_umask() -> int:
    """The process's umask, read once at import (setting it to read it is not thread-safe later)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


class OutputError(IpecoError, OSError):
    """An output file could not be written; nothing was left under its name.

    An ``OSError`` too (with ``errno`` and ``filename``), so that callers catching file-system
    errors the ordinary way keep working.
    """

    def __init__(self, message: str, path: Path, err: int | None = None) -> None:
        super().__init__(message)
        self.errno = err
        self.filename = str(path)
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0])


def cause(exc: OSError) -> str:
    """The cause of a failed file-system call in plain words (``disk full``, ``permission denied``)."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return str(exc.strerror or exc).strip() or exc.__class__.__name__


def output_error(path: Path, exc: OSError) -> OutputError:
    """The one-sentence error for a failed write of ``path``."""
    if isinstance(exc, OutputError):
        return exc
    msg = f"cannot write {path}: {cause(exc)}; nothing was written"
    return OutputError(msg, path, exc.errno)


def _sync(path: Path) -> None:
    """Flush the finished temporary file to the disk, so a full disk fails here and not after the rename."""
    with contextlib.suppress(IsADirectoryError, PermissionError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _missing_folders(folder: Path) -> list[Path]:
    """The folders of ``folder``'s chain that do not exist yet, deepest first (removed again on failure)."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: never a folder that holds anything


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block completes.

    The temporary name keeps ``path``'s extension (``suffix`` overrides), because some writers
    (openpyxl, NetworkX) look at it. Folders above ``path`` are created. On any exception the
    temporary file is removed; an ``OSError`` is raised again as :class:`OutputError`.
    """
    final = Path(path)
    tmp: Path | None = None
    done = False
    made = _missing_folders(final.parent)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=TEMP_PREFIX + final.name[:40] + ".",
            suffix=final.suffix if suffix is None else suffix,
            dir=final.parent,
        )
        os.close(fd)
        tmp = Path(name)
        yield tmp
        _sync(tmp)
        with contextlib.suppress(OSError):
            tmp.chmod(0o666 & ~_UMASK)  # mkstemp makes it private (0600); an output gets the usual mode
        tmp.replace(final)
        done = True
    except OSError as exc:
        raise output_error(final, exc) from exc
    finally:
        if not done:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            _remove_empty(made)


@contextlib.contextmanager
def atomic_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder inside ``folder``; move its files into ``folder`` when the block completes.

    For outputs of several files (the neo4j-admin CSV export, the CSV template): every file is
    written in full before any of them takes its final name, so a failure leaves none of them
    behind, and ``folder`` is removed again when this call created it and it stayed empty.
    Renames need no space, so the moves do not fail on a full disk. Files of the same names
    already in ``folder`` are replaced.
    """
    final = Path(folder)
    created = not final.exists()
    staging: Path | None = None
    done = False
    try:
        final.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=final))
        yield staging
        for item in sorted(staging.iterdir()):
            _sync(item)
        for item in sorted(staging.iterdir()):
            item.replace(final / item.name)
        done = True
    except OSError as exc:
        raise output_error(final, exc) from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if created and not done:
            with contextlib.suppress(OSError):
                final.rmdir()  # only when empty


def write_workbook(workbook: Any, path: str | os.PathLike[str]) -> None:
    """Save an openpyxl workbook atomically: built in memory, then written in one piece.

    openpyxl's own ``save(filename)`` leaves its zip file open when a write fails, and the zip
    file's finaliser then fails again at exit ("Exception ignored in ZipFile.__del__"): in memory
    first, only the final write can fail, and it fails cleanly.
    """
    buffer = io.BytesIO()
    workbook.save(buffer)
    with atomic_output(path) as tmp:
        tmp.write_bytes(buffer.getvalue())

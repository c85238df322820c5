"""Run the ``ipeco`` command in the test's own process, as a user's shell would run it.

A subprocess per call costs an interpreter, the imports and a fresh analysis cache (seconds on a
loaded machine); click's ``CliRunner`` runs the same ``cli`` group in-process, so a failure shows
a traceback into our code. :func:`ipeco` keeps the subprocess calling convention — the whole
environment, a working folder, and a result with ``returncode``, ``stdout`` and ``stderr`` — so a
test reads the same either way. An exception that is not a user error ends like the real entry
point would: exit status 1 and the traceback on stderr (tests assert that it is absent).

The few true end-to-end tests (one per command family: the installed entry point, exit codes, a
second process's hash seed) still run ``sys.executable -m ipeco.cli`` in a subprocess.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from ipeco.cli import cli


@dataclass(frozen=True)
class CliResult:
    """What a finished ``ipeco`` call left: the fields of ``subprocess.CompletedProcess`` the tests read."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def environment_delta(env: Mapping[str, str] | None) -> dict[str, str | None]:
    """``CliRunner``'s overrides that make ``os.environ`` equal ``env`` (None deletes a variable)."""
    if env is None:
        return {}
    delta: dict[str, str | None] = {key: None for key in os.environ if key not in env}
    delta.update(env)
    return delta


@contextlib.contextmanager
def output_to_a_pipe() -> Iterator[None]:
    """Hide the real terminal, as a captured subprocess's pipe does: a table is not cut to the
    width of the terminal that runs pytest (``shutil.get_terminal_size`` falls back, or reads ``$COLUMNS``)."""
    saved = sys.__stdout__
    sys.__stdout__ = None  # type: ignore[misc]
    try:
        yield
    finally:
        sys.__stdout__ = saved  # type: ignore[misc]


def ipeco(
    *args: str | Path, env: Mapping[str, str] | None = None, cwd: Path | None = None, input: str | None = None
) -> CliResult:
    """Run ``ipeco ARGS`` in-process with exactly ``env`` as its environment (like ``subprocess.run``)."""
    argv = tuple(str(a) for a in args)
    folder = contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext()
    with folder, output_to_a_pipe():
        result = CliRunner().invoke(cli, list(argv), env=environment_delta(env), input=input, prog_name="ipeco")
    stderr = result.stderr
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
        code = 1
    return CliResult(argv, code, result.stdout, stderr)

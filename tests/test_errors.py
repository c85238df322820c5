"""One error hierarchy: user errors are one sentence and exit 1; bugs keep their traceback."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import graph.views
from graph.batch import BatchError
from graph.errors import InputError, IpecoError, NotFoundError, ServiceError
from graph.exports import ExportError
from graph.query import QueryRefused
from graph.server import ServerError
from graph.store import LoadTooLarge, StoreUnavailable
from ipeco.cli import cli, user_message
from loaders.base import LoaderError


@pytest.mark.parametrize(
    ("error", "family"),
    [
        (BatchError, InputError),
        (LoaderError, InputError),
        (ExportError, InputError),
        (QueryRefused, InputError),
        (StoreUnavailable, ServiceError),
        (LoadTooLarge, ServiceError),
        (ServerError, ServiceError),
    ],
)
def test_every_user_error_is_an_ipeco_error(error: type[Exception], family: type[IpecoError]) -> None:
    assert issubclass(error, family) and issubclass(error, IpecoError)


def test_a_not_found_message_is_not_quoted_like_a_key_error() -> None:
    assert str(NotFoundError("unknown region 'x'")) == "unknown region 'x'"


def test_user_message_sorts_user_errors_from_bugs() -> None:
    assert user_message(ServiceError("cannot reach Neo4j")) == "cannot reach Neo4j"
    assert user_message(FileNotFoundError(2, "No such file or directory", "/no/such.csv")) == (
        "No such file or directory (/no/such.csv)"
    )
    assert user_message(OSError("socket closed")) is None
    assert user_message(KeyError("oops")) is None


def test_cli_prints_one_sentence_for_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--region", "atlantis"], env={"IPECO_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert result.output.startswith("error: unknown region 'atlantis'")


def test_cli_lets_a_programming_error_keep_its_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise KeyError("a bug, not a user mistake")

    monkeypatch.setattr(graph.views, "region_subgraph", broken)
    result = CliRunner().invoke(cli, ["stats", "--region", "kobe"], env={"IPECO_HOME": str(tmp_path)})
    assert isinstance(result.exception, KeyError)
    assert not isinstance(result.exception, click.exceptions.Exit)

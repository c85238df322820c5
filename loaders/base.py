"""What every loader shares: options, the context it may read, its result, and text reading.

A loader reads files, validates and normalises them, and returns a :class:`LoadResult` holding a
:class:`graph.batch.Batch`. It never talks to a store: what it needs to know about the store (the
organisations already there, for name matching or ``--enrich-only``) arrives in a
:class:`LoadContext` that the CLI builds.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from graph.batch import Batch, BatchError, Origin, Violation

__all__ = [
    "FORMULA_PREFIXES",
    "LoadContext",
    "LoadOptions",
    "LoadResult",
    "LoaderError",
    "csv_rows",
    "open_text",
]

#: A cell starting with one of these is a spreadsheet formula (or CSV injection), never a name.
FORMULA_PREFIXES = ("=", "+", "@")

#: Largest CSV field accepted; bigger ones are reported with their line, not a csv module crash.
MAX_FIELD = 1_000_000


class LoaderError(BatchError):
    """Bad input: every problem with its file, line and field. Nothing is written."""


@dataclass(frozen=True)
class LoadOptions:
    """Options of ``ipeco load`` that loaders understand (each uses the ones that apply)."""

    region: str | None = None
    prefecture_code: str | None = None
    city_code: str | None = None
    include_hidden: bool = False
    enrich_only: bool = False
    encoding: str | None = None
    progress: bool = False


@dataclass(frozen=True)
class LoadContext:
    """What the store already holds that a loader may use: organisations by id, with attributes.

    ``known_nodes`` holds the other nodes already stored (regions, tech fields, programmes) by id,
    so that a loader refers to them instead of re-creating them: re-emitting a seeded ``Region``
    would overwrite its provenance with the loader's. ``successions`` maps each stored
    ``SUCCEEDED_BY`` tie (predecessor id, successor id) to the dataset (``source``) that wrote it,
    so that a loader does not overwrite a tie another source stated (a seeded merger).
    """

    organisations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    known_nodes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    successions: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Any) -> LoadContext:
        """Build the context from a stored graph (``Store.read_graph()``, a NetworkX MultiDiGraph).

        Each organisation's attributes are its stored properties plus ``labels``, and ``region``
        (the key of the region it is ``LOCATED_IN``, e.g. ``aomori``) unless a property of that
        name is already stored.
        """
        organisations: dict[str, dict[str, Any]] = {}
        others: dict[str, dict[str, Any]] = {}
        successions: dict[tuple[str, str], str] = {}
        for node_id, attrs in graph.nodes(data=True):
            target = organisations if "Organization" in attrs.get("labels", ()) else others
            target[node_id] = dict(attrs)
        for source, target_id, attrs in graph.edges(data=True):
            if attrs.get("type") == "LOCATED_IN" and source in organisations:
                organisations[source].setdefault("region", str(target_id).removeprefix("region:"))
            elif attrs.get("type") == "SUCCEEDED_BY":
                successions[(source, target_id)] = str(attrs.get("source", ""))
        return cls(organisations, others, successions)


@dataclass
class LoadResult:
    """A validated batch plus what the user should read: warnings and a loader-specific report."""

    batch: Batch
    warnings: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)


def open_text(path: Path, encoding: str | None = None) -> TextIO:
    """Open ``path`` as text: UTF-8 (BOM stripped) unless told otherwise; undecodable bytes are an error.

    Raises :class:`LoaderError` naming the file and line of the first byte that is not valid in
    the expected encoding, instead of silently replacing it.
    """
    enc = encoding or "utf-8-sig"
    raw = path.read_bytes()
    if not raw.strip():
        raise LoaderError([Violation(Origin(str(path)), "file", "is empty")])
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = " (a Shift-JIS file? pass --encoding cp932)" if enc.startswith("utf") else ""
        msg = f"byte {raw[exc.start]:#04x} at offset {exc.start} is not valid {codecs.lookup(enc).name}{hint}"
        raise LoaderError([Violation(Origin(str(path), line), "encoding", msg)]) from exc
    return io.StringIO(text, newline="")


def csv_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for each CSV record; line numbers are physical start lines."""
    csv.field_size_limit(MAX_FIELD * 40)
    handle = open_text(path, encoding)
    reader = csv.reader(handle)
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise LoaderError([Violation(Origin(str(path), reader.line_num), "csv", str(exc))]) from exc
        for value in fields:
            if len(value) > MAX_FIELD:
                msg = f"a field of {len(value):,} characters; at most {MAX_FIELD:,} are accepted"
                raise LoaderError([Violation(Origin(str(path), line), "csv", msg)])
        yield line, fields
        line = reader.line_num + 1

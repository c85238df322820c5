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
from typing import Any, Final, TextIO

from graph.batch import Batch, BatchError, Origin, Violation

__all__ = [
    "DETECTED_ENCODINGS",
    "FORMULA_PREFIXES",
    "LineDecoder",
    "LoadContext",
    "LoadOptions",
    "LoadResult",
    "LoaderError",
    "check_encoding",
    "csv_rows",
    "decode_bytes",
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
    include_unclassified: bool = False


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


#: Encodings tried, in order, when none is given: the NTA publishes a Unicode (UTF-8) and a
#: Shift-JIS variant of every file, and Excel in Japan saves CSV as cp932 (Shift-JIS + Microsoft's
#: extensions, a superset that also reads plain Shift-JIS text).
DETECTED_ENCODINGS: Final = ("utf-8", "cp932")
_UTF8_BOM: Final = codecs.BOM_UTF8
_WIDE_BOMS: Final = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WHICH_ENCODINGS: Final = "save it as UTF-8 (with or without BOM) or Shift-JIS (cp932), or pass --encoding"


def check_encoding(name: str, *, ascii_lines: bool = False) -> str:
    """The codec name of a user's ``--encoding``, or a :class:`LoaderError` naming the option.

    ``ascii_lines``: the caller splits raw bytes on newlines before decoding (the streaming 法人番号
    loader), so the encoding must write ASCII as ASCII (UTF-8, cp932, EUC-JP do; UTF-16 does not).
    """
    where = Origin("(options)")
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        msg = f"unknown encoding {name!r:.60}; use utf-8 or cp932 (or leave --encoding out to detect it)"
        raise LoaderError([Violation(where, "encoding", msg)]) from None
    if not getattr(info, "_is_text_encoding", True):
        raise LoaderError([Violation(where, "encoding", f"{name!r:.60} is not a text encoding; use utf-8 or cp932")])
    if ascii_lines:
        probe = '\n,"0123456789AZaz-'
        try:
            same = probe.encode(info.name) == probe.encode("ascii")
        except (UnicodeError, LookupError):
            same = False
        if not same:
            msg = f"{info.name} does not write ASCII as ASCII; this loader reads utf-8, cp932 or another such encoding"
            raise LoaderError([Violation(where, "encoding", msg)])
    return info.name


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


def decode_bytes(raw: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding used)``: the given encoding, else UTF-8 (BOM stripped), else cp932.

    Anything that is neither (UTF-16, a binary file, Latin-1 that is not valid cp932) is refused
    with the line and offset of the first byte each encoding could not read.
    """
    if encoding is not None:
        codec = check_encoding(encoding)
        try:
            return raw.decode(codec).removeprefix("\ufeff"), codec
        except UnicodeDecodeError as exc:
            msg = f"byte {raw[exc.start]:#04x} at offset {exc.start} is not valid {codec} (--encoding)"
            raise LoaderError([Violation(Origin(where, _line_of(raw, exc.start)), "encoding", msg)]) from None
    if raw.startswith(_WIDE_BOMS):
        msg = f"is UTF-16 or UTF-32 text (byte-order mark); {_WHICH_ENCODINGS}"
        raise LoaderError([Violation(Origin(where, 1), "encoding", msg)])
    if raw.startswith(_UTF8_BOM):
        try:
            return raw[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            start = exc.start + len(_UTF8_BOM)
            msg = f"starts with a UTF-8 byte-order mark, but byte {raw[start]:#04x} at offset {start} is not UTF-8"
            raise LoaderError([Violation(Origin(where, _line_of(raw, start)), "encoding", msg)]) from None
    failures: list[str] = []
    first = len(raw)
    for codec in DETECTED_ENCODINGS:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            first = min(first, exc.start)
            failures.append(
                f"{codec}: byte {raw[exc.start]:#04x} at offset {exc.start} (line {_line_of(raw, exc.start)})"
            )
            continue
        if "\x00" in text:
            break
        return text, codec
    msg = f"is neither UTF-8 nor Shift-JIS (cp932) text ({'; '.join(failures) or 'NUL bytes'}); {_WHICH_ENCODINGS}"
    raise LoaderError([Violation(Origin(where, _line_of(raw, min(first, len(raw)))), "encoding", msg)])


class LineDecoder:
    """Decodes a byte stream line by line, settling on UTF-8 or cp932 at the first non-ASCII line.

    For files too large to read whole (the nation's 法人番号 file). ASCII lines read the same in
    both encodings, so the choice waits for the first line that is not ASCII; every later line
    must then be valid in that encoding. Splitting bytes on ``\\n`` is safe for UTF-8 and cp932
    (0x0A is never part of a multi-byte character).
    """

    def __init__(self, encoding: str | None = None) -> None:
        self.forced = check_encoding(encoding, ascii_lines=True) if encoding is not None else None
        self.encoding: str | None = self.forced

    @property
    def used(self) -> str:
        """The encoding read (``utf-8`` for an all-ASCII file)."""
        return self.encoding or "utf-8"

    def decode(self, raw: bytes, where: str, line: int) -> str:
        if line == 1:
            if raw.startswith(_WIDE_BOMS):
                msg = f"is UTF-16 or UTF-32 text (byte-order mark); {_WHICH_ENCODINGS}"
                raise LoaderError([Violation(Origin(where, 1), "encoding", msg)])
            if raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM) :]
                if self.forced is None:
                    self.encoding = "utf-8-sig"
        if b"\x00" in raw:
            msg = f"holds NUL bytes: a binary file or UTF-16 text, not a CSV; {_WHICH_ENCODINGS}"
            raise LoaderError([Violation(Origin(where, line), "encoding", msg)])
        if self.encoding is not None:
            try:
                return raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                how = "--encoding" if self.forced else "as detected from the first non-ASCII line"
                msg = f"byte {raw[exc.start]:#04x} at column {exc.start + 1} is not valid {self.encoding} ({how})"
                raise LoaderError([Violation(Origin(where, line), "encoding", msg)]) from None
        if raw.isascii():
            return raw.decode("ascii")
        failures = []
        for codec in DETECTED_ENCODINGS:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                failures.append(f"{codec}: byte {raw[exc.start]:#04x} at column {exc.start + 1}")
                continue
            self.encoding = codec
            return text
        msg = f"is neither UTF-8 nor Shift-JIS (cp932) text ({'; '.join(failures)}); {_WHICH_ENCODINGS}"
        raise LoaderError([Violation(Origin(where, line), "encoding", msg)])


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a :class:`LoaderError` naming it (missing, a folder, unreadable)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoaderError([Violation(Origin(str(path)), "file", f"cannot be read: {exc.strerror or exc}")]) from None


def open_text(path: Path, encoding: str | None = None, encodings: dict[str, str] | None = None) -> TextIO:
    """Open ``path`` as text: the given encoding, else detected (:func:`decode_bytes`).

    The encoding used is recorded in ``encodings`` (file → codec) when given, for the summary.
    Raises :class:`LoaderError` for an empty file or one that neither encoding reads.
    """
    raw = read_bytes(path)
    if not raw.strip():
        raise LoaderError([Violation(Origin(str(path)), "file", "is empty")])
    text, used = decode_bytes(raw, str(path), encoding)
    if encodings is not None:
        encodings[str(path)] = used
    return io.StringIO(text, newline="")


def csv_rows(
    path: Path, encoding: str | None = None, encodings: dict[str, str] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for each CSV record; line numbers are physical start lines."""
    csv.field_size_limit(MAX_FIELD * 40)
    handle = open_text(path, encoding, encodings)
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

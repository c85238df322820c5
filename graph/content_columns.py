"""Rows' stored properties by columns, and their content hashes, made without a Python call per row.

Why: per row, building the stored dict and hashing it cost 3–4 µs (0.46 CPU-s of a 10^5-tie
load). A load's created rows of one shape are put in columns instead, and each row's JSON payload
is assembled from the columns' encoded texts and hashed by C-level maps: the same bytes, and so the
same :func:`graph.batch.payload_hash`, as the row-by-row ``_LazyContent`` of :mod:`graph.store`
makes (``tests/test_validation_fast.py`` holds them equal), so a reload still sees unchanged data.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from graph.batch import PAYLOAD_DIGEST, PAYLOAD_JSON

__all__ = ["ContentColumns", "content_columns"]

#: Provenance a row's content always holds: the loaded value, else the load's default
#: (``graph.store._LazyContent._build``).
_DEFAULTED = ("source", "evidence", "synthetic")
#: A name written as is into a hashed payload's text and a query's (what validation lets through).
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_hexdigest = operator.methodcaller("hexdigest")


@dataclass(frozen=True)
class ContentColumns:
    """Rows' stored properties by columns, and their content hashes, as ``graph.store._LazyContent._build`` makes them.

    ``constant`` holds a value every row shares (the very same object, and ``loaded_at``);
    ``varying`` the other columns, row by row; ``hashes`` each row's :func:`graph.batch.payload_hash`.
    """

    constant: dict[str, Any]
    varying: dict[str, list[Any]]
    hashes: list[str]


def content_columns(
    loaded: list[Mapping[str, Any]], labels: tuple[str, ...], provenance: tuple[str, str], own: dict[str, list[Any]]
) -> ContentColumns | None:
    """The stored properties and hashes of rows with one shape, by columns; None for any other rows.

    Why: per row, building the stored dict and hashing it cost 3–4 µs (0.46 CPU-s of a 10^5-tie
    load). Here the rows' JSON payloads are put together from each column's encoded values and
    the shared text between them, and hashed, by C-level maps: the same bytes as
    ``orjson.dumps([sorted(labels), content], OPT_SORT_KEYS)`` of each row (a property test holds
    them equal). Only rows with the same plain property names and no ``None`` or ``loaded_at``
    are taken (None: the caller builds them row by row). ``own`` adds the rows' own columns (a
    node's ``id``), as ``graph.store._LazyContent._own_props`` does.
    """
    names = _one_shape(loaded, own)
    if names is None:
        return None
    columns: dict[str, list[Any]] = {name: list(map(operator.getitem, loaded, repeat(name))) for name in names}
    if any(None in column for column in columns.values()):
        return None
    source, loaded_at = provenance
    defaults = zip(_DEFAULTED, (source, "", False), strict=True)
    shared: dict[str, Any] = {name: value for name, value in defaults if name not in names}
    columns.update(own)
    for name in [name for name, column in columns.items() if all(map(operator.is_, column, repeat(column[0])))]:
        shared[name] = columns.pop(name)[0]
    try:
        hashes = _hashes(labels, shared, columns, len(loaded))
    except (UnicodeEncodeError, TypeError):  # a lone surrogate, a huge int: the rows raise orjson's own error
        return None
    return ContentColumns({**shared, "loaded_at": loaded_at}, columns, hashes)


def _one_shape(loaded: list[Mapping[str, Any]], own: dict[str, list[Any]]) -> tuple[str, ...] | None:
    """The property names every row has, in one order, when they are plain and hold no ``loaded_at``."""
    if not loaded or set(map(type, loaded)) != {dict}:
        return None
    shapes = set(map(tuple, loaded))
    names = next(iter(shapes))
    if len(shapes) != 1 or "loaded_at" in names or not all(map(_PLAIN_NAME.match, [*names, *own])):
        return None
    return names


def _hashes(labels: tuple[str, ...], shared: dict[str, Any], columns: dict[str, list[Any]], rows: int) -> list[str]:
    """Each row's payload hash: its JSON text assembled from the shared text and the columns' texts."""
    parts: list[Iterable[str]] = []
    text = "[" + _json_text(sorted(labels)) + ",{"
    for i, name in enumerate(sorted([*shared, *columns])):
        text += ("," if i else "") + _json_text(name) + ":"
        if name in shared:
            text += _json_text(shared[name])
            continue
        quote, values = _json_texts(columns[name])
        parts += [repeat(text + quote), values]
        text = quote
    if not parts:
        return [_hexdigest(PAYLOAD_DIGEST((text + "}]").encode()))] * rows
    parts.append(repeat(text + "}]"))
    return list(map(_hexdigest, map(PAYLOAD_DIGEST, map(str.encode, map("".join, zip(*parts, strict=False))))))


#: Characters orjson escapes in a string (checked over every code point by the tests): a string
#: without any is its JSON text between two quotes.
_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_BOOL_TEXT = {True: "true", False: "false"}.__getitem__


def _json_text(value: Any) -> str:
    return PAYLOAD_JSON(value).decode()


def _json_texts(column: list[Any]) -> tuple[str, Iterable[str]]:
    """The JSON text of each value of ``column`` (without the quotes of plain strings, returned apart).

    orjson costs ~2 µs a call, so the usual columns are written without it: plain strings as they
    are, integers of 64 bits by ``str``, booleans from a table; anything else through orjson.
    """
    kinds = set(map(type, column))
    if kinds == {str} and not _ESCAPED.search("".join(column)):
        return '"', column
    if kinds == {int} and min(column) >= -(2**63) and max(column) < 2**63:
        return "", map(str, column)
    if kinds == {bool}:
        return "", map(_BOOL_TEXT, column)
    return "", map(_json_text, column)

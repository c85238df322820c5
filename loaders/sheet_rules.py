"""The workbench's own rules for an uploaded template, checked cell by cell beside the loader (issue 22).

Why beside and not only after :func:`loaders.canonical.read_canonical`: the loader stops with its own
violations and returns no batch, and a producer must see *every* problem of a sheet at once. So
the cells are scanned (:func:`sheet_violations`) only when the loader refused the files; when it
read them, the same rules run over its batch (:func:`batch_violations`), which costs no second
pass over a large workbook. The
rules are those a hand-typed sheet breaks and a public dataset does not: a URL that is not
``http(s)`` (a ``javascript:`` link), a date that lies in the future. Each violation names the file,
the sheet and the line as the loader does; a file the loader cannot read is left to the loader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from graph.batch import Batch, NodeRecord, Origin, RelRecord, Violation
from loaders.base import csv_rows

__all__ = ["URL_COLUMNS", "batch_violations", "sheet_violations", "url_problem"]

#: Columns that hold a URL, and columns that hold a date (YYYY-MM-DD) that cannot lie ahead.
URL_COLUMNS = ("evidence", "url", "size_evidence")
DATE_COLUMNS = ("date", "founded")
#: URL schemes that are never a web page (a link that runs code or reads a file).
_NOT_WEB = ("javascript:", "data:", "file:", "vbscript:")


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a web address (None when it is one, or a record id such as ``houjin:…``)."""
    low = value.strip().lower()
    if low.startswith(_NOT_WEB) or ("://" in low and not low.startswith(("http://", "https://"))):
        return f"{value[:60]!r} is not an http(s) URL"
    return None


def _date_problem(value: Any, today: date) -> str | None:
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if len(text) >= 10 and text[:10] > today.isoformat() and text[:4].isdigit():
        return f"{text[:10]} is in the future"
    return None


def _cells(header: Sequence[Any], values: Sequence[Any]) -> Iterator[tuple[str, Any]]:
    for name, value in zip(header, values, strict=False):
        if name is not None and value not in (None, ""):
            yield str(name).strip(), value


def _row_violations(origin: Origin, header: Sequence[Any], values: Sequence[Any], today: date) -> list[Violation]:
    out = []
    for name, value in _cells(header, values):
        problem = None
        if name in URL_COLUMNS and isinstance(value, str):
            problem = url_problem(value)
        elif name in DATE_COLUMNS:
            problem = _date_problem(value, today)
        if problem:
            out.append(Violation(origin, name, problem))
    return out


def _csv_tables(path: Path) -> Iterator[tuple[Origin, list[Any], list[Any]]]:
    rows = csv_rows(path)
    header: list[Any] | None = None
    for line, fields in rows:
        if header is None:
            header = fields
            continue
        yield Origin(str(path), line), header, fields


def _xlsx_tables(path: Path) -> Iterator[tuple[Origin, list[Any], list[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        for name in workbook.sheetnames:
            kind = name.strip().lower()
            if kind not in ("nodes", "relationships"):
                continue
            sheet = workbook[name]
            sheet.reset_dimensions()
            header: list[Any] | None = None
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if header is None:
                    header = list(values or ())
                    continue
                yield Origin(str(path), number, kind), header, list(values or ())
    finally:
        workbook.close()


def sheet_violations(paths: Sequence[Path], today: date | None = None) -> list[Violation]:
    """Every cell of ``paths`` (CSV files, workbooks) that breaks the workbench's rules."""
    today = today or date.today()
    out: list[Violation] = []
    for path in paths:
        tables = _xlsx_tables(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_tables(path)
        try:
            for origin, header, values in tables:
                out += _row_violations(origin, header, values, today)
        except Exception:  # unreadable (bad encoding, a damaged workbook fails in many ways): the loader says why
            continue
    return out


def batch_violations(batch: Batch, today: date | None = None) -> list[Violation]:
    """The same rules over a batch the loader read (no second pass over the files when it read them)."""
    today = today or date.today()
    out: list[Violation] = []
    records: list[NodeRecord | RelRecord] = [*batch.nodes, *batch.relationships]
    for record in records:
        props = record.props
        if not any(name in props for name in (*URL_COLUMNS, *DATE_COLUMNS)):
            continue
        out += _row_violations(record.origin or Origin(""), list(props), list(props.values()), today)
    # A row's seat (LOCATED_IN) carries the row's evidence and origin: one cell, one violation.
    return list(dict.fromkeys(out))

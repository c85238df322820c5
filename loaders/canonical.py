"""The canonical template: what producers keep in Excel, read as CSV pairs or one XLSX workbook.

Two tables describe a graph, either as two CSV files (``nodes.csv``, ``relationships.csv``) or as
two sheets (``nodes``, ``relationships``) of one ``.xlsx`` workbook:

- ``nodes``: required ``id,label,name``; optional ``name_en,region,corporate_number,prefecture_code,
  city_code,industry,tech_fields,startup,employees,founded,support_kind,phases,evidence,confidence,
  synthetic,level,jis_code,source``; any other column becomes a property of the node. A ``Region``
  row's id may be written ``zz_test`` or ``region:zz_test`` (it is stored as ``region:zz_test``), and so
  may an organisation's ``region`` cell and a relationship end that needs a region.
- ``relationships``: required ``source,type,target``; optional ``programme,phase,fiscal_year,kind,
  weight,amount,since,until,evidence,confidence,synthetic``; any other column becomes a property.

Why the loader is strict: a producer's spreadsheet is typed by hand, saved by Excel in several
encodings and sometimes carries formulas; a silently wrong load is worse than a refused one. The
loader therefore collects *every* problem (file, line or sheet and row, field, what was expected)
and raises one :class:`~loaders.base.LoaderError`; the store never sees a partial batch.

Coercion is driven by ``graph.schema``: a column the schema types (``employees`` is an integer,
``founded`` a date, ``phases`` a list, ``startup`` a boolean) is converted and checked; a column it
does not know stays text, so nothing is guessed. Lists are ``;``-separated. A ``region`` value on an
organisation becomes its ``LOCATED_IN`` tie to ``region:<region>``; on any other node it is kept as
a property (a regional network says which region it belongs to).
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from graph.atomic import atomic_folder, write_workbook
from graph.batch import (
    MAX_STRING_LENGTH,
    Batch,
    NodeRecord,
    Origin,
    RelRecord,
    Violation,
    check_integer,
    reserved_name_error,
    validate_batch,
)
from graph.schema import (
    NODE_RESERVED_NAMES,
    NODE_SPECS,
    REL_RESERVED_NAMES,
    REL_SPECS,
    ROLE_LABELS,
    PropType,
    primary_label,
)
from graph.views import region_id
from loaders.base import FORMULA_PREFIXES, LoadContext, LoaderError, LoadOptions, LoadResult, check_encoding, open_text

__all__ = [
    "NODE_COLUMNS",
    "NODE_REQUIRED",
    "REL_COLUMNS",
    "REL_REQUIRED",
    "SOURCE_ID",
    "read_canonical",
    "write_template",
]

#: Dataset id of a canonical load unless the nodes' ``source`` column names another one.
SOURCE_ID: Final = "canonical"

NODE_REQUIRED: Final[tuple[str, ...]] = ("id", "label", "name")
NODE_OPTIONAL: Final[tuple[str, ...]] = (
    "name_en",
    "region",
    "corporate_number",
    "prefecture_code",
    "city_code",
    "industry",
    "tech_fields",
    "startup",
    "employees",
    "founded",
    "support_kind",
    "phases",
    "evidence",
    "confidence",
    "synthetic",
    "level",
    "jis_code",
)
NODE_COLUMNS: Final[tuple[str, ...]] = (*NODE_REQUIRED, *NODE_OPTIONAL)
REL_REQUIRED: Final[tuple[str, ...]] = ("source", "type", "target")
REL_OPTIONAL: Final[tuple[str, ...]] = (
    "programme",
    "phase",
    "fiscal_year",
    "kind",
    "weight",
    "amount",
    "since",
    "until",
    "evidence",
    "confidence",
    "synthetic",
)
REL_COLUMNS: Final[tuple[str, ...]] = (*REL_REQUIRED, *REL_OPTIONAL)

NODES, RELS = "nodes", "relationships"
#: Rows of data a sheet may hold: Excel's own limit (1,048,576 rows) less its header row.
MAX_SHEET_ROWS: Final = 1_048_575
#: The last row an Excel sheet has.
EXCEL_LAST_ROW: Final = 1_048_576
_TRUE: Final = frozenset({"true", "1", "yes"})
_FALSE: Final = frozenset({"false", "0", "no"})
_INT_RE: Final = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)")
#: Digits of the largest integer both stores hold (2^63 - 1 has 19).
_MAX_INT_DIGITS: Final = 19
_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Codes Excel turns into numbers and strips of leading zeros; padded back to their JIS width.
_CODE_WIDTH: Final = {"prefecture_code": 2, "city_code": 5}
#: Columns of a nodes table handled by the loader itself rather than stored as typed properties.
_NODE_STRUCTURAL: Final = frozenset({"id", "label", "region"})
_REL_STRUCTURAL: Final = frozenset(REL_REQUIRED)
#: What a ``LOCATED_IN`` tie made from a ``region`` cell inherits from its row.
_ROW_PROVENANCE: Final = ("source", "evidence", "confidence", "synthetic")


def _prop_type(name: str, primary: str | None, table: str, rel_type: str | None = None) -> PropType | None:
    """The schema type of column ``name`` for this record (None: not in the schema, kept as text).

    A node column the record's own label does not define is looked up on the other labels, so a
    ``phases`` cell on an organisation is still split as a list rather than stored as one string.
    """
    if table == NODES:
        if primary and (spec := NODE_SPECS[primary].prop(name)):
            return spec.type
        return next((p.type for s in NODE_SPECS.values() if (p := s.prop(name))), None)
    if rel_type in REL_SPECS and (rspec := REL_SPECS[rel_type].prop(name)):
        return rspec.type
    return next((p.type for s in REL_SPECS.values() if (p := s.prop(name))), None)


@dataclass
class _Table:
    """One table as read: its origin file/sheet, header, and rows with their line numbers."""

    kind: str
    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    #: Columns already refused with the header (a reserved name), left out of every row.
    ignored: set[str] = field(default_factory=set)

    def origin(self, line: int | None) -> Origin:
        return Origin(self.file, line, self.sheet)


# --- reading files ------------------------------------------------------------------------------


def _table_kind(path: Path, header: Sequence[str]) -> str | None:
    """Nodes or relationships, by file name first (``nodes*.csv``), then by the header's columns."""
    stem = path.stem.lower()
    if stem.startswith("node"):
        return NODES
    if stem.startswith(("relationship", "rel", "edge", "tie")):
        return RELS
    columns = {c.strip() for c in header}
    if {"type", "target"} <= columns:
        return RELS
    if "label" in columns:
        return NODES
    return None


def _folder_pairs(folder: Path) -> list[Path]:
    """A folder's ``nodes.csv`` (+ ``relationships.csv``), then those of its sub-folders, depth first.

    Nesting lets one region keep a part of its own beside its main pair (``kobe/ip/`` holds Kobe's
    IP facts), so that separately sourced layers live in separate files.
    """
    files = [p for p in (folder / "nodes.csv", folder / "relationships.csv") if p.exists()]
    for sub in sorted(d for d in folder.iterdir() if d.is_dir()):
        if (sub / "nodes.csv").exists() or (sub / "relationships.csv").exists() or any(sub.glob("*/nodes.csv")):
            files += _folder_pairs(sub)
    return files


def _expand(paths: Sequence[Path], out: list[Violation]) -> list[Path]:
    """Files to read: a folder stands for its ``nodes.csv`` (+ ``relationships.csv``) and for those of
    the sub-folders that hold such a pair, so that one seed folder may keep one pair per region."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = _folder_pairs(path)
            for folder in sorted({f.parent for f in found}):
                if (folder / "relationships.csv").exists() and not (folder / "nodes.csv").exists():
                    out.append(Violation(Origin(str(folder)), "file", "has relationships.csv but no nodes.csv"))
            if not found:
                msg = "holds no nodes.csv / relationships.csv (nor sub-folders with them); expected the template files"
                out.append(Violation(Origin(str(path)), "file", msg))
            files += found
        elif not path.exists():
            out.append(Violation(Origin(str(path)), "file", "does not exist"))
        else:
            files.append(path)
    return files


def _read_csv(
    path: Path, encoding: str | None, out: list[Violation], encodings: dict[str, str] | None = None
) -> _Table | None:
    """Read one CSV table whole, recording every problem instead of stopping at the first.

    ``loaders.base.open_text`` decides the encoding (UTF-8, BOM stripped) and reports an undecodable
    byte with its line. Rows are kept with their physical start line, so a quoted multi-line cell
    does not shift the line numbers of the rows after it.
    """
    try:
        handle = open_text(path, encoding, encodings)
    except LoaderError as exc:
        out.extend(exc.violations)
        return None
    csv.field_size_limit(2**31 - 1)  # oversize cells are reported below with their line, not by csv
    reader = csv.reader(handle)
    rows: list[tuple[int, list[Any]]] = []
    line = 1
    try:
        for fields in reader:
            rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        out.append(Violation(Origin(str(path), reader.line_num), "csv", f"not readable as CSV: {exc}"))
        return None
    rows = [(n, f) for n, f in rows if any(v.strip() for v in f)]
    if not rows:
        out.append(Violation(Origin(str(path)), "file", "is empty: expected a header row"))
        return None
    (_, header), *body = rows
    kind = _table_kind(path, header)
    if kind is None:
        msg = "cannot tell a nodes table from a relationships table: name it nodes.csv or relationships.csv"
        out.append(Violation(Origin(str(path), 1), "file", msg))
        return None
    return _Table(kind, str(path), None, [h.strip() for h in header], body)


def _read_xlsx(path: Path, out: list[Violation]) -> list[_Table]:
    """Read the ``nodes`` and ``relationships`` sheets (read-only, formulas kept as text so that a
    ``=HYPERLINK(...)`` cell is reported instead of its cached value being loaded)."""
    from openpyxl import load_workbook  # imported here: only workbook users pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # any parser failure on a damaged file is the user's bad input
        out.append(_unreadable_workbook(path, None, exc))
        return []
    try:
        return _read_sheets(path, workbook, out)
    except LoaderError:
        raise
    except Exception as exc:  # damaged sheet XML (ParseError), a corrupt deflate stream (zlib.error)
        out.append(_unreadable_workbook(path, None, exc))
        return []
    finally:
        workbook.close()


def _unreadable_workbook(path: Path, sheet: str | None, exc: Exception) -> Violation:
    what = f"{exc.__class__.__name__}: {str(exc)[:200]}"
    msg = f"is not a readable .xlsx workbook ({what}); open it in Excel and save it again as Excel Workbook (.xlsx)"
    return Violation(Origin(str(path), None, sheet), "file", msg)


def _read_sheets(path: Path, workbook: Any, out: list[Violation]) -> list[_Table]:
    """The ``nodes`` and ``relationships`` tables of an open workbook (the sheets parse lazily here)."""
    tables: list[_Table] = []
    by_name = {name.strip().lower(): name for name in workbook.sheetnames}
    if NODES not in by_name:
        msg = f"has no sheet named 'nodes' (sheets: {', '.join(workbook.sheetnames)})"
        out.append(Violation(Origin(str(path)), "sheet", msg))
    for kind in (NODES, RELS):
        if kind not in by_name:
            continue
        sheet = workbook[by_name[kind]]
        rows = _sheet_rows(sheet)
        if isinstance(rows, str):
            out.append(Violation(Origin(str(path), None, kind), "sheet", rows))
            continue
        if not rows:
            out.append(Violation(Origin(str(path), None, kind), "sheet", "is empty: expected a header row"))
            continue
        (_, header), *body = rows
        names = ["" if h is None else str(h).strip() for h in header]
        while names and not names[-1]:
            names.pop()
        tables.append(_Table(kind, str(path), kind, names, body))
    return tables


def _sheet_rows(sheet: Any) -> list[tuple[int, list[Any]]] | str:
    """The rows of a read-only sheet that hold a value, by their data, or why the sheet is refused.

    The declared dimension is ignored (``reset_dimensions``): one blank-looking cell at XFD1048576,
    which Excel writes for a cell once touched, declares 2^34 cells, and openpyxl padded every row
    to it (a load spun for 13 minutes, issue 26). Rows are then as long as their last cell, and a
    row absent from the file costs an empty tuple. Trailing empty cells are dropped, so a far stray
    cell in a data row costs nothing either. Counting stops at :data:`MAX_SHEET_ROWS` rows of data.
    """
    sheet.reset_dimensions()
    rows: list[tuple[int, list[Any]]] = []
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n > EXCEL_LAST_ROW:  # a hand-made file may number a row beyond Excel's last
            return f"has a row numbered beyond {EXCEL_LAST_ROW:,}, Excel's last row; save it again from Excel"
        if not values:
            continue
        kept = list(values)
        while kept and (kept[-1] is None or (isinstance(kept[-1], str) and not kept[-1].strip())):
            kept.pop()
        if not kept:
            continue
        if len(rows) > MAX_SHEET_ROWS:  # the header row and MAX_SHEET_ROWS rows of data are kept
            return (
                f"holds more than {MAX_SHEET_ROWS:,} rows of data (more reached at row {n:,}); "
                "split it into several workbooks or CSV files"
            )
        rows.append((n, kept))
    return rows


# --- cells ---------------------------------------------------------------------------------------


_OPERATOR = re.compile(r"[=+\-*/^&|!(@;]")


def _is_formula(text: str) -> bool:
    """A spreadsheet formula or CSV-injection payload: ``=…``, ``+…``, ``@…``, a leading tab or CR, or
    ``-`` + a letter or an operator anywhere after it (``-2+3+cmd|' /C calc'!A0`` runs as a formula;
    ``-3`` and ``-5 degrees`` do not).
    """
    if text.startswith((*FORMULA_PREFIXES, "\t", "\r")):
        return True
    if len(text) < 2 or text[0] != "-":
        return False
    return not (text[1].isdigit() or text[1] == ".") or bool(_OPERATOR.search(text, 1))


def _text(value: Any) -> str:
    """A cell as text: workbook numbers lose the ``.0`` Excel gives whole numbers; dates become ISO."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _coerce(name: str, raw: Any, ptype: PropType | None) -> tuple[Any, str | None]:
    """Convert one non-empty cell to the column's schema type: ``(value, None)`` or ``(None, why)``."""
    if isinstance(raw, str) and len(raw) > MAX_STRING_LENGTH:
        return None, f"a cell of {len(raw):,} characters; at most {MAX_STRING_LENGTH:,} are accepted"
    coerce = _COERCERS.get(ptype) if ptype is not None else None
    if coerce is None:
        return _coerce_text(name, raw)
    return coerce(raw)


def _coerce_int(raw: Any) -> tuple[Any, str | None]:
    """A whole number from a number cell or text such as ``1,500``, within the 64-bit range."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            return None, f"expected a whole number, got {raw!r}"
        number = int(raw)
    else:
        text = _text(raw)
        if not _INT_RE.fullmatch(text):
            return None, f"expected a whole number, got {text!r:.60}"
        digits = text.replace(",", "").lstrip("+-").lstrip("0")
        if len(digits) > _MAX_INT_DIGITS:
            return None, f"an integer of {len(digits):,} digits is out of range (at most 2^63 - 1)"
        number = int(text.replace(",", ""))
    return (number, None) if (error := check_integer(number)) is None else (None, error)


def _coerce_float(raw: Any) -> tuple[Any, str | None]:
    """A finite float from a number cell or text (thousands commas allowed in whole numbers)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            value = float(raw)
        except OverflowError:
            return None, f"a number of about {int(int(raw).bit_length() * 0.30103) + 1:,} digits is too large"
    else:
        text = _text(raw).replace(",", "") if _INT_RE.fullmatch(_text(raw)) else _text(raw)
        try:
            value = float(text)
        except ValueError:
            return None, f"expected a number, got {text!r:.60}"
    if not math.isfinite(value):
        return None, f"expected a finite number, got {raw!r:.60}"
    return value, None


def _coerce_bool(raw: Any) -> tuple[Any, str | None]:
    """True or false from the spellings in ``_TRUE`` / ``_FALSE``."""
    text = _text(raw).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, f"expected true/false (or 1/0, yes/no), got {_text(raw)!r:.60}"


def _coerce_date(raw: Any) -> tuple[Any, str | None]:
    """An ISO ``YYYY-MM-DD`` date, kept as text (see ``PropType.DATE``)."""
    text = _text(raw)
    try:
        if not _DATE_RE.fullmatch(text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        return None, f"expected a date YYYY-MM-DD, got {text!r:.60}"
    return text, None


def _coerce_str_list(raw: Any) -> tuple[Any, str | None]:
    """The ``;``-separated items of a cell, none of them a spreadsheet formula."""
    items = [item.strip() for item in _text(raw).split(";") if item.strip()]
    bad = next((item for item in items if _is_formula(item)), None)
    if bad is not None:
        return None, f"a formula is not a value: {bad!r:.60} (remove the leading '{bad[0]}')"
    return items, None


def _coerce_text(name: str, raw: Any) -> tuple[Any, str | None]:
    """Text that is not a formula; a code column of digits is zero-padded to its width."""
    text = _text(raw)
    if _is_formula(text):
        return None, f"a formula is not a value: {text!r:.60} (remove the leading '{text[0]}')"
    if name in _CODE_WIDTH and text.isdigit():
        text = text.zfill(_CODE_WIDTH[name])
    return text, None


# One coercion per typed column; strings (and untyped columns) go through ``_coerce_text``.
_COERCERS: dict[PropType, Callable[[Any], tuple[Any, str | None]]] = {
    PropType.INT: _coerce_int,
    PropType.FLOAT: _coerce_float,
    PropType.BOOL: _coerce_bool,
    PropType.DATE: _coerce_date,
    PropType.STR_LIST: _coerce_str_list,
}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _labels(raw: str) -> tuple[str, ...] | str:
    """The labels of a ``label`` cell (role label, primary label, or ``Organization:Company``), or why not."""
    parts = [p.strip() for p in raw.replace(",", ":").split(":") if p.strip()]
    if len(parts) == 2 and parts[0] == "Organization" and parts[1] in ROLE_LABELS:
        return ("Organization", parts[1])
    if len(parts) == 1 and parts[0] in ROLE_LABELS:
        return ("Organization", parts[0])
    if len(parts) == 1 and parts[0] in NODE_SPECS and parts[0] != "Organization":
        return (parts[0],)
    primaries = [p for p in NODE_SPECS if p != "Organization"]
    if parts == ["Organization"]:
        return f"an organisation needs its role instead: one of {', '.join(ROLE_LABELS)}"
    return f"unknown label {raw!r:.60}; expected a role ({', '.join(ROLE_LABELS)}) or one of {', '.join(primaries)}"


# --- tables to records ---------------------------------------------------------------------------


def _check_header(
    table: _Table, required: tuple[str, ...], known: tuple[str, ...], reserved: frozenset[str], out: list[Violation]
) -> bool:
    """Report missing (or renamed) required columns, duplicate and reserved column names; True when usable."""
    origin = table.origin(1)
    counts = Counter(h for h in table.header if h)
    ok = _check_repeats(table, counts, known, reserved, out)
    present = set(counts)
    for name in required:
        if name not in present:
            out.append(Violation(origin, name, _missing_column(table, name, present, known)))
            ok = False
    return ok


def _check_repeats(
    table: _Table, counts: Counter[str], known: tuple[str, ...], reserved: frozenset[str], out: list[Violation]
) -> bool:
    """Report repeated columns (False) and reserved names (read without that column)."""
    origin = table.origin(1)
    ok = True
    for name, count in counts.items():
        if count > 1:
            out.append(Violation(origin, name, f"column appears {count} times; each column may appear once"))
            ok = False
        if name in reserved and name not in known:
            column = table.header.index(name) + 1
            # Reported once here; the rows are read without it, so that their other errors still show.
            out.append(Violation(origin, name, f"column {column}: {reserved_name_error(name)}"))
            table.ignored.add(name)
    return ok


def _missing_column(table: _Table, name: str, present: set[str], known: tuple[str, ...]) -> str:
    """The message for a missing required column, guessing the column it was renamed to."""
    extras = [h for h in present if h not in known]
    guess = difflib.get_close_matches(name, extras, n=1, cutoff=0.6)
    folded = [h for h in extras if h.lower() == name.lower()]
    hint = f"; was it renamed to {(folded or guess)[0]!r}?" if (folded or guess) else ""
    found = ", ".join(table.header) or "none"
    return f"required column is missing (columns found: {found}){hint}"


def _cells(table: _Table, line: int, fields: list[Any], out: list[Violation]) -> dict[str, Any] | None:
    """Map a row's fields to column names; a field beyond the header is an error, not data to drop."""
    width = len(table.header)
    extra = [(i, v) for i, v in enumerate(fields[width:], start=width + 1) if not _empty(v)]
    if extra:
        index, value = extra[0]
        shown = f"{_text(value)!r:.60}"
        msg = f"has {len(fields)} fields but the header has {width}: extra trailing field {index} = {shown}"
        out.append(Violation(table.origin(line), f"column {index}", msg))
        return None
    cells: dict[str, Any] = {}
    for index, name in enumerate(table.header):
        value = fields[index] if index < len(fields) else None
        if not name:
            if not _empty(value):
                msg = f"a value in column {index + 1}, which has no header; name the column or clear it"
                out.append(Violation(table.origin(line), f"column {index + 1}", msg))
            continue
        if not _empty(value) and name not in table.ignored:
            cells[name] = value.strip() if isinstance(value, str) else value
    return cells


@dataclass
class _Parsed:
    nodes: list[NodeRecord]
    rels: list[RelRecord]
    regions: list[str | None]  # the region cell of each node record, same order
    dataset_ids: Counter[str]
    extra_columns: set[str]


def _node_rows(table: _Table, parsed: _Parsed, out: list[Violation]) -> None:
    if not _check_header(table, NODE_REQUIRED, (*NODE_COLUMNS, "source"), NODE_RESERVED_NAMES, out):
        return
    parsed.extra_columns |= {
        h for h in table.header if h and h not in NODE_COLUMNS and h != "source" and _prop_type(h, None, NODES) is None
    }
    for line, fields in table.rows:
        cells = _cells(table, line, fields, out)
        if cells is not None:
            _node_row(cells, table.origin(line), parsed, out)


def _node_id_error(node_id: str) -> str | None:
    if not node_id:
        return "is required but empty"
    if _is_formula(node_id):
        return f"a formula is not an id: {node_id!r:.60}"
    return None


def _node_props(cells: Mapping[str, Any], primary: str | None, origin: Origin, out: list[Violation]) -> dict[str, Any]:
    """The row's properties, each coerced to its schema type; a value that does not coerce is a violation."""
    props: dict[str, Any] = {}
    for name, raw in cells.items():
        if name in _NODE_STRUCTURAL and not (name == "region" and primary not in (None, "Organization")):
            continue
        value, error = _coerce(name, raw, _prop_type(name, primary, NODES))
        if error:
            out.append(Violation(origin, name, error))
        else:
            props[name] = value
    return props


def _node_row(cells: Mapping[str, Any], origin: Origin, parsed: _Parsed, out: list[Violation]) -> None:
    """One node row: id, labels and properties checked; kept in ``parsed`` when nothing is wrong."""
    errors = len(out)
    node_id = _text(cells.get("id", ""))
    if error := _node_id_error(node_id):
        out.append(Violation(origin, "id", error))
    labels = _row_labels(cells, origin, out)
    primary = labels[0] if labels else None
    props = _node_props(cells, primary, origin, out)
    region = _text(cells["region"]) if primary == "Organization" and "region" in cells else None
    if region is not None and _is_formula(region):
        out.append(Violation(origin, "region", f"a formula is not a region: {region!r:.60}"))
    if labels is None:
        return
    if len(out) > errors:
        # Still report what else is wrong with the row (a required value missing, a choice not
        # allowed) without repeating the fields already reported.
        failed = {v.field for v in out[errors:]}
        partial = Batch("", [NodeRecord(node_id or "?", labels, props, origin)])
        out += [v for v in validate_batch(partial) if v.field not in failed]
        return
    _keep_node(parsed, NodeRecord(node_id, labels, props, origin), region)


def _row_labels(cells: Mapping[str, Any], origin: Origin, out: list[Violation]) -> tuple[str, ...] | None:
    """The row's labels (primary first), or None after reporting why the label cell is wrong."""
    label_cell = _text(cells.get("label", ""))
    labels = _labels(label_cell) if label_cell else "is required but empty"
    if isinstance(labels, str):
        out.append(Violation(origin, "label", labels))
        return None
    return labels


def _keep_node(parsed: _Parsed, node: NodeRecord, region: str | None) -> None:
    if "source" in node.props:
        parsed.dataset_ids[node.props["source"]] += 1
    if node.labels[0] == "Region":
        node.id = region_id(node.id)  # zz_test and region:zz_test are one region (issue 13)
    parsed.nodes.append(node)
    parsed.regions.append(region or None)


def _rel_rows(table: _Table, parsed: _Parsed, out: list[Violation]) -> None:
    if not _check_header(table, REL_REQUIRED, REL_COLUMNS, REL_RESERVED_NAMES, out):
        return
    parsed.extra_columns |= {
        h for h in table.header if h and h not in REL_COLUMNS and _prop_type(h, None, RELS) is None
    }
    for line, fields in table.rows:
        cells = _cells(table, line, fields, out)
        if cells is not None:
            _rel_row(cells, table.origin(line), parsed, out)


def _rel_ends(cells: Mapping[str, Any], origin: Origin, out: list[Violation]) -> dict[str, str]:
    """Source, target and type of a tie row; each empty or formula cell is a violation."""
    ends: dict[str, str] = {}
    for end in REL_REQUIRED:
        value = _text(cells.get(end, ""))
        if not value:
            out.append(Violation(origin, end, "is required but empty"))
        elif _is_formula(value):
            out.append(Violation(origin, end, f"a formula is not a value: {value!r:.60}"))
        ends[end] = value
    return ends


def _rel_row(cells: Mapping[str, Any], origin: Origin, parsed: _Parsed, out: list[Violation]) -> None:
    """One tie row: ends, type and properties checked; kept in ``parsed`` when nothing is wrong."""
    errors = len(out)
    ends = _rel_ends(cells, origin, out)
    rel_type = ends["type"]
    if rel_type and rel_type not in REL_SPECS:
        guess = difflib.get_close_matches(rel_type.upper(), list(REL_SPECS), n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        msg = f"unknown relationship type {rel_type!r:.60}{hint}; expected one of {', '.join(REL_SPECS)}"
        out.append(Violation(origin, "type", msg))
    props: dict[str, Any] = {}
    for name, raw in cells.items():
        if name in _REL_STRUCTURAL:
            continue
        value, error = _coerce(name, raw, _prop_type(name, None, RELS, rel_type))
        if error:
            out.append(Violation(origin, name, error))
        else:
            props[name] = value
    if len(out) == errors:
        parsed.rels.append(RelRecord(rel_type, ends["source"], ends["target"], props, origin))


def _dedupe_nodes(parsed: _Parsed, out: list[Violation]) -> list[NodeRecord]:
    """Keep one record per id: identical repeats merge, conflicting ones are reported with both lines.

    Done here rather than left to ``validate_batch`` because the ``region`` cell is not a property
    and a conflict in it would otherwise go unnoticed.
    """
    first: dict[str, int] = {}
    for index, node in enumerate(parsed.nodes):
        if (prev_index := first.get(node.id)) is None:
            first[node.id] = index
            continue
        prev = parsed.nodes[prev_index]
        diff = sorted(k for k in {*prev.props, *node.props} if prev.props.get(k) != node.props.get(k))
        if prev.labels != node.labels:
            diff.insert(0, "label")
        if region_id(parsed.regions[prev_index] or "-") != region_id(parsed.regions[index] or "-"):
            diff.append("region")
        if diff:
            msg = f"duplicate id {node.id!r} with conflicting values (first at {prev.origin}): {', '.join(diff)} differ"
            out.append(Violation(node.origin, diff[0], msg))
    return [parsed.nodes[i] for i in first.values()]


def _region_ties(parsed: _Parsed, nodes: list[NodeRecord]) -> list[RelRecord]:
    """``LOCATED_IN`` ties from ``region`` cells; each carries its row's provenance."""
    keep = {id(n) for n in nodes}
    ties: list[RelRecord] = []
    for node, region in zip(parsed.nodes, parsed.regions, strict=True):
        if region and id(node) in keep:
            provenance: dict[str, Any] = {k: node.props[k] for k in _ROW_PROVENANCE if k in node.props}
            ties.append(RelRecord("LOCATED_IN", node.id, region_id(region), provenance, node.origin))
    return ties


def _region_ends(parsed: _Parsed, context: LoadContext) -> None:
    """Point a relationship end written as a bare region code (``zz_test``) at ``region:zz_test``.

    Only where the type needs a Region at that end and the bare id is no node of the load or the
    store, so that an id that merely looks like a code is never rewritten.
    """
    defined = {n.id for n in parsed.nodes}
    for rel in parsed.rels:
        spec = REL_SPECS.get(rel.type)
        if spec is None:
            continue
        for end, label in (("source", spec.source), ("target", spec.target)):
            node_id = getattr(rel, end)
            if label != "Region" or node_id in defined or node_id in context.known_nodes:
                continue
            if (mapped := region_id(node_id)) != node_id:
                setattr(rel, end, mapped)


def _known_for_validation(batch: Batch, context: LoadContext) -> dict[str, str]:
    """Ids the batch may point at without defining them, with their primary label.

    Organisations must be in this load or in ``context`` (a tie to an unknown organisation is a typo
    worth reporting here). Other nodes (regions, programmes, networks, technology fields) are looked
    up in ``context.known_nodes``; when the context holds none (the caller did not read the store),
    one the load only points at is assumed to exist: the store checks again before any write and
    refuses the whole load if it is missing.
    """
    known = {oid: "Organization" for oid in context.organisations}
    others: Mapping[str, Mapping[str, Any]] = getattr(context, "known_nodes", {}) or {}
    for node_id, attrs in others.items():
        if label := primary_label(list(attrs.get("labels", ()))):
            known[node_id] = label
    if others:
        return known
    defined = {n.id for n in batch.nodes}
    for rel in batch.relationships:
        spec = REL_SPECS.get(rel.type)
        if spec is None:
            continue
        for node_id, label in ((rel.source, spec.source), (rel.target, spec.target)):
            if node_id not in defined and node_id not in known and label != "Organization":
                known[node_id] = label
    return known


def _where(violation: Violation) -> tuple[str, str, int]:
    """Sort key: file, sheet, line, so that the report reads top to bottom like the files."""
    origin = violation.origin
    return (origin.file, origin.sheet or "", origin.line or 0) if origin else ("", "", 0)


def read_canonical(paths: list[Path], options: LoadOptions, context: LoadContext) -> LoadResult:
    """Read canonical template files into one validated batch.

    Parameters
    ----------
    paths
        Folders (holding ``nodes.csv`` and optionally ``relationships.csv``, or sub-folders that
        do), CSV files (``nodes*.csv`` / ``relationships*.csv``, or told apart by their header), or
        ``.xlsx`` workbooks with ``nodes`` and ``relationships`` sheets. All are merged into one batch.
    options
        ``options.encoding`` overrides UTF-8 for CSV files (e.g. ``cp932``).
    context
        Organisations already in the store, which relationships may point at.

    Returns
    -------
    LoadResult
        The batch (dataset id ``canonical``, or the one value of the nodes' ``source`` column), with
        warnings for columns kept as text because the schema does not know them.

    Raises
    ------
    LoaderError
        With every problem found, each naming its file, line (or sheet and row) and field.
    """
    out: list[Violation] = []
    encodings: dict[str, str] = {}
    if options.encoding is not None:
        check_encoding(options.encoding)
    tables = _read_tables(paths, options.encoding, out, encodings)
    parsed = _Parsed([], [], [], Counter(), set())
    for table in tables:
        (_node_rows if table.kind == NODES else _rel_rows)(table, parsed, out)
    nodes = _dedupe_nodes(parsed, out)
    _region_ends(parsed, context)
    rels = [*_region_ties(parsed, nodes), *parsed.rels]
    dataset = next(iter(parsed.dataset_ids)) if len(parsed.dataset_ids) == 1 else SOURCE_ID
    batch = Batch(dataset, nodes, rels)
    out += _emptiness(paths, tables, batch, out)
    out += validate_batch(batch, _known_for_validation(batch, context))
    if out:
        raise LoaderError(sorted(out, key=_where))
    warnings = [
        f"column {name!r} is not in the schema; kept as a text property" for name in sorted(parsed.extra_columns)
    ]
    report = {
        "files": sorted({t.file for t in tables}),
        "nodes": len(nodes),
        "relationships": len(rels),
        "located_in_from_region": len(rels) - len(parsed.rels),
        "source": dataset,
        "encodings": encodings,
    }
    return LoadResult(batch, warnings, report)


def _read_tables(
    paths: list[Path], encoding: str | None, out: list[Violation], encodings: dict[str, str]
) -> list[_Table]:
    """Every table of the given folders, CSV files and workbooks, in the order found."""
    tables: list[_Table] = []
    for path in _expand([Path(p) for p in paths], out):
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            tables += _read_xlsx(path, out)
        elif (table := _read_csv(path, encoding, out, encodings)) is not None:
            tables.append(table)
    return tables


def _emptiness(paths: list[Path], tables: list[_Table], batch: Batch, out: list[Violation]) -> list[Violation]:
    """A violation for files with headers but no rows, or for no template file at all (else none)."""
    if not out and tables and not batch.nodes and not batch.relationships:
        where = ", ".join(sorted({t.file for t in tables}))
        return [Violation(Origin(where), "file", "has headers but no rows: nothing to load")]
    if not tables and not out:
        return [Violation(Origin(", ".join(map(str, paths)) or "(no paths)"), "file", "no template files given")]
    return []


def iter_template_columns() -> Iterator[tuple[str, tuple[str, ...]]]:
    """The two tables of the template and their columns, in the order the template writes them."""
    yield NODES, NODE_COLUMNS
    yield RELS, REL_COLUMNS


# --- the empty template ----------------------------------------------------------------------------

_INSTRUCTIONS: Final[tuple[str, ...]] = (
    "ipeco 標準テンプレート / ipeco canonical template",
    "",
    "【日本語】",
    "1. nodes（ノード）表: 1 行が 1 つの組織・地域・施策・ネットワーク・技術分野です。",
    "   必須列: id, label, name。id は重複しない英数字の識別子（例: org:my-company）。",
    "   label: Company, University, ResearchInstitute, SupportOrganization, GovernmentBody,",
    "          FinancialInstitution, ProfessionalBody, Region, Programme, Network, TechField のいずれか。",
    "   region: 組織の所在地域（aomori, ishikawa, kobe など）。LOCATED_IN の関係が作られます。",
    "   新しい地域: label=Region の行を足し、level（prefecture / city）を書きます。",
    "   その id は zz_test でも region:zz_test でも同じ地域です（region:zz_test として保存）。",
    "   組織の region 列にも zz_test または region:zz_test のどちらでも書けます。",
    "   corporate_number: 法人番号 13 桁（検査用数字を確認します）。日付は YYYY-MM-DD。",
    "   複数の値（tech_fields, phases）はセミコロン ; で区切ります。phases は ideation, launch, expansion。",
    "   startup, synthetic: true / false。ほかの列は、そのまま文字列の属性として読み込まれます。",
    "2. relationships（関係）表: 必須列 source, type, target（source と target は nodes の id）。",
    "   type: LOCATED_IN, SERVES, MEMBER_OF, OPERATES, SUPPORTS, REFERS_TO, COLLABORATES_WITH,",
    "         FINANCES, PARTICIPATES_IN, ACTIVE_IN, PART_OF, SUCCEEDED_BY。",
    "   fiscal_year, since, until は年度（西暦）。kind, weight, amount は関係の種類・重み・金額（円）。",
    "3. evidence には出典（URL など）を、confidence には src（出典あり）か likely（推定）を書きます。",
    "4. 数式（= + @ で始まるセル）は読み込めません。CSV は UTF-8（BOM 付きも可）か Excel の Shift-JIS で保存できます。",
    "5. 読み込み: ipeco load canonical このフォルダ（または .xlsx）。誤りがあれば、ファイル・行・列を",
    "   すべて表示し、何も書き込みません。",
    "",
    "[English]",
    "1. nodes: one row per organisation, region, programme, network or technology field.",
    "   Required columns: id, label, name. id is a unique ascii identifier (e.g. org:my-company).",
    "   label: Company, University, ResearchInstitute, SupportOrganization, GovernmentBody,",
    "          FinancialInstitution, ProfessionalBody, Region, Programme, Network or TechField.",
    "   region: where an organisation sits (aomori, ishikawa, kobe, ...); creates its LOCATED_IN tie.",
    "   A new region: add a row with label Region and its level (prefecture or city); its id may be",
    "   zz_test or region:zz_test (the same region, stored as region:zz_test), and an organisation's",
    "   region cell may say either too.",
    "   corporate_number: the 13-digit 法人番号 (check digit verified). Dates are YYYY-MM-DD.",
    "   Lists (tech_fields, phases) are separated by ';'. Phases are ideation, launch, expansion.",
    "   startup, synthetic: true / false. Any other column is kept as a text property.",
    "2. relationships: required columns source, type, target (source and target are node ids).",
    "   type: LOCATED_IN, SERVES, MEMBER_OF, OPERATES, SUPPORTS, REFERS_TO, COLLABORATES_WITH,",
    "         FINANCES, PARTICIPATES_IN, ACTIVE_IN, PART_OF or SUCCEEDED_BY.",
    "   fiscal_year, since, until are fiscal years (e.g. 2024); kind, weight, amount (yen) as the type needs.",
    "3. evidence: the source (a URL or record id); confidence: src (a source says so) or likely.",
    "4. Formulas (cells starting with = + @) are refused. CSV files may be UTF-8 (a BOM is fine) or",
    "   Excel's Shift-JIS (cp932); the encoding is detected, --encoding overrides it.",
    "5. Load with: ipeco load canonical THIS_FOLDER (or the .xlsx). Any error is listed with its file,",
    "   line and column, and nothing is written.",
)


def write_template(folder: Path, xlsx: bool) -> list[Path]:
    """Write an empty template (headers only) and the instructions in Japanese and English.

    CSV files are written as UTF-8 with a BOM because Excel on Windows otherwise opens them as
    Shift-JIS and garbles Japanese; the loader strips the BOM again. Returns the files written.
    """
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook()
        first = workbook.active
        assert first is not None
        workbook.remove(first)
        for kind, columns in iter_template_columns():
            workbook.create_sheet(kind).append(list(columns))
        instructions = workbook.create_sheet("instructions")
        for text in _INSTRUCTIONS:
            instructions.append([text])
        path = folder / "ipeco-template.xlsx"
        write_workbook(workbook, path)
        return [path]
    names: list[str] = []
    with atomic_folder(folder) as staging:  # all three files, or none of them
        for kind, columns in iter_template_columns():
            path = staging / f"{kind}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                csv.writer(handle).writerow(columns)
            names.append(path.name)
        readme = staging / "README.txt"
        readme.write_text("\n".join(_INSTRUCTIONS) + "\n", encoding="utf-8")
        names.append(readme.name)
    return [folder / name for name in names]

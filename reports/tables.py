"""Plain-text tables for the terminal, aligned by display width (Japanese is two columns per character).

``ipeco compare``, ``recommend``, ``analyze`` and ``gaps`` print their results for staff as tables
instead of JSON. A terminal draws full-width (East Asian ``W``/``F``) characters two cells wide, so
``len()`` misaligns every column that holds Japanese; :func:`display_width` counts cells with the
standard library's Unicode tables (no extra dependency). Only ASCII is used for rules and
separators: box-drawing characters are "ambiguous width" and double up in CJK terminals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["display_width", "render_table", "wrap_cell"]

#: Between two columns.
GAP = "  "
#: A right-aligned cell: a number as :func:`reports.formatting.number` writes it (or a dash for none).
_NUMERIC = re.compile(r"^[-+−]?[\d,]*\.?\d+%?$|^[—-]$")


def char_width(ch: str) -> int:
    """Terminal cells one character takes: 0 for combining marks and controls, 2 for wide, else 1."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes on one line (``len`` counts 青森県 as 3, a terminal draws 6)."""
    return sum(char_width(ch) for ch in text)


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, at spaces where it can, else anywhere.

    Japanese has no spaces between words, so a long Japanese phrase breaks between characters.
    """
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in re.split(r"(?<= )", paragraph):
            if display_width(line + word.rstrip()) <= width:
                line += word
                continue
            if line.strip():
                lines.append(line.rstrip())
                line = ""
            for ch in word:
                if display_width(line + ch) > width and line:
                    lines.append(line.rstrip())
                    line = ch.lstrip()
                else:
                    line += ch
        lines.append(line.rstrip())
    return lines


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _block(headers: Sequence[str], rows: list[list[list[str]]], widths: list[int], right: list[bool]) -> list[str]:
    """One block of lines: the (possibly multi-line) headers, a rule, then each row's lines."""

    def lines(cells: Sequence[Sequence[str]], aligns: Sequence[bool]) -> list[str]:
        height = max(len(cell) for cell in cells)
        return [
            GAP.join(
                _pad(cell[i] if i < len(cell) else "", w, r) for cell, w, r in zip(cells, widths, aligns, strict=True)
            ).rstrip()
            for i in range(height)
        ]

    out = lines([h.split("\n") for h in headers], [False] * len(widths))
    out.append(GAP.join("-" * w for w in widths))
    for row in rows:
        out.extend(lines(row, right))
    return out


def render_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    width: int | None = None,
    *,
    align: str | None = None,
) -> str:
    """``rows`` under ``headers`` as aligned text (no trailing newline).

    Cells are printed with ``str()`` (format numbers before: :func:`reports.formatting.number`);
    a cell may hold several lines. A column whose every cell is a number is right-aligned unless
    ``align`` says otherwise, one letter per column (``"lrl"``: left, right, left).

    With ``width`` (a terminal's columns), a table too wide for it is cut into several blocks of
    columns, one under the other, each repeating the first column (the row's name); a column still
    too wide on its own has its cells wrapped. Without ``width`` nothing is cut or wrapped, for
    output that goes to a file or a pipe.
    """
    table = [[str(c) for c in row] for row in rows]
    n = len(headers)
    if any(len(row) != n for row in table):
        msg = f"every row needs {n} cells, one per header"
        raise ValueError(msg)
    right = _right_aligned(table, n) if align is None else [a == "r" for a in align.ljust(n, "l")]
    natural = [
        max([display_width(h) for h in headers[i].split("\n")] + [_cell_width(r[i]) for r in table]) for i in range(n)
    ]
    if width is None or sum(natural) + len(GAP) * (n - 1) <= width:
        return "\n".join(_block(headers, [[c.split("\n") for c in r] for r in table], natural, right))
    return "\n\n".join(_blocks(headers, table, natural, right, width))


def _right_aligned(table: list[list[str]], n: int) -> list[bool]:
    """Per column: right-aligned when every non-empty cell is a number (never the first column)."""
    right = [bool(cells) and all(_NUMERIC.match(c) for c in cells if c) for cells in zip(*table, strict=False)]
    right = right or [False] * n
    right[0] = False
    return right


def _cell_width(cell: str) -> int:
    return max(display_width(line) for line in cell.split("\n"))


def _blocks(
    headers: Sequence[str], table: list[list[str]], natural: list[int], right: list[bool], width: int
) -> list[str]:
    """The table cut into blocks of columns that fit ``width``, each led by the first column."""
    first = min(natural[0], max(width * 2 // 5, 8))
    room = width - first - len(GAP)
    # a long cell (a list of names) is wrapped rather than given a block of its own
    cap = max(room // 3 - len(GAP), 12)
    natural = [natural[0], *(min(w, cap) if len(headers) > 2 else w for w in natural[1:])]
    groups = _column_groups(natural, room)
    if not groups[-1]:  # a one-column table: only the first column is cut to the width
        groups, first = [[]], width
    out = []
    for group in groups:
        columns = [0, *group]
        widths = [first, *(min(natural[i], room) for i in group)]
        rows = [[wrap_cell(row[i], w) for i, w in zip(columns, widths, strict=True)] for row in table]
        heads = [headers[i] for i in columns]
        widths = [max(w, *(display_width(h) for h in wrap_cell(heads[k], w))) for k, w in enumerate(widths)]
        heads_wrapped = ["\n".join(wrap_cell(h, w)) for h, w in zip(heads, widths, strict=True)]
        out.append("\n".join(_block(heads_wrapped, rows, widths, [right[i] for i in columns])))
    return out


def _column_groups(natural: list[int], room: int) -> list[list[int]]:
    """The columns after the first, in runs whose widths (with gaps) fit ``room``."""
    groups: list[list[int]] = [[]]
    used = 0
    for i in range(1, len(natural)):
        need = min(natural[i], room) + (len(GAP) if groups[-1] else 0)
        if groups[-1] and used + need > room:
            groups.append([])
            used, need = 0, min(natural[i], room)
        groups[-1].append(i)
        used += need
    return groups

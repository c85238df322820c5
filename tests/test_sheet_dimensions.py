"""Sheets are read by their data, not their declared dimension (issue 26, item 4).

One blank-looking cell at XFD1048576 (what Excel writes for a cell once touched) declares 2^34
cells; the loader padded every row to it and spun for 13 minutes, even on ``--dry-run``. Each case
runs in a child process with a deadline the old code missed by two orders of magnitude, so a
regression fails instead of hanging the suite (the deadline check this issue asks for).
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders import canonical
from loaders.base import LoadContext, LoaderError, LoadOptions
from loaders.canonical import read_canonical

#: Seconds a stray-cell workbook may take in the child (it reads in well under one; it spun 13 min).
DEADLINE = 60
SHEET = "xl/worksheets/sheet1.xml"


def workbook(path: Path, stray: str | None = "XFD1048576", value: object = " ", rows: int = 1) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "nodes"
    sheet.append(["id", "label", "name"])
    for n in range(rows):
        sheet.append([f"org:{n}", "Company", f"株式会社{n}"])
    if stray:
        sheet[stray] = value
    book.save(path)
    return path


def rewrite_sheet(path: Path, change: Callable[[bytes], bytes]) -> Path:
    target = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, change(data) if info.filename == SHEET else data)
    return target


def load_in_child(path: Path) -> str:
    """``ipeco load canonical --dry-run`` in a child process, killed at the deadline."""
    code = "from ipeco.cli import main; main()"
    args = [sys.executable, "-c", code, "load", "canonical", "--dry-run", str(path)]
    env = {"IPECO_HOME": str(path.parent / "home"), "PATH": "/usr/bin:/bin"}
    ran = subprocess.run(args, capture_output=True, text=True, timeout=DEADLINE, env=env, check=False)
    return f"{ran.returncode}\n{ran.stdout}{ran.stderr}"


def style_only(data: bytes) -> bytes:
    """The stray cell as Excel writes a cell that was formatted and cleared: no value at all."""
    return re.sub(rb'<c r="XFD1048576"[^>]*>.*?</c>', b'<c r="XFD1048576" s="0"/>', data)


@pytest.mark.parametrize("kind", ["space", "style only"])
def test_a_far_stray_cell_costs_nothing(tmp_path: Path, kind: str) -> None:
    path = workbook(tmp_path / "stray.xlsx")
    if kind == "style only":
        path = rewrite_sheet(path, style_only)
    with zipfile.ZipFile(path) as zipped:
        assert b"A1:XFD1048576" in zipped.read(SHEET)  # the declared dimension the old loader trusted
    out = load_in_child(path)
    assert out.startswith("0\n") and "checked canonical" in out, out


def test_a_stray_value_far_right_of_a_data_row_is_a_clean_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "right.xlsx", stray="XFD2", value="x")
    with pytest.raises(LoaderError) as caught:
        read_canonical([path], LoadOptions(), LoadContext())
    (violation,) = caught.value.violations
    assert str(violation).startswith(f"{path} [sheet nodes] row 2: field 'column 16384'")


def test_a_row_numbered_beyond_excel_is_refused_quickly(tmp_path: Path) -> None:
    path = rewrite_sheet(workbook(tmp_path / "far.xlsx"), lambda d: d.replace(b"1048576", b"99999999"))
    out = load_in_child(path)
    assert out.startswith("1\n") and "has a row numbered beyond 1,048,576, Excel's last row" in out, out


def test_more_rows_of_data_than_the_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is Excel's own; a smaller one stands in for it so the test needs no 10^6-row workbook."""
    monkeypatch.setattr(canonical, "MAX_SHEET_ROWS", 3)
    path = workbook(tmp_path / "many.xlsx", stray=None, rows=4)
    with pytest.raises(LoaderError) as caught:
        read_canonical([path], LoadOptions(), LoadContext())
    (violation,) = caught.value.violations
    assert violation.field == "sheet" and "holds more than 3 rows of data (more reached at row 5" in violation.message
    assert read_canonical([workbook(tmp_path / "ok.xlsx", stray=None, rows=2)], LoadOptions(), LoadContext())

"""Writing reports to files: HTML as is, PDF printed by headless Chromium, XLSX with openpyxl.

:mod:`reports.render` and :mod:`reports.sheets` turn collected data into a document; this module is
the I/O side that the CLI (``ipeco report``) and the web app's report page share, so both produce
the same files from the same graph. A report is collected once and written in the one format asked
for: a spreadsheet skips the figure's layout, which only the printed document shows.

PDF is printed by Debian's ``chromium`` rather than WeasyPrint: Chromium is already a project
dependency (the browser tests drive it), it lays out CJK text with the installed Noto Sans CJK JP
exactly as a browser shows the HTML, and it honours ``@page { size: A4 }``. The browser is kept
running between prints (:mod:`reports.printer`: its start is most of a print's time) in a fresh
temporary profile with networking extras off, so it neither reads nor leaves user state behind; the
web server's workers share one (:mod:`reports.print_service`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from analytics.service import AnalysisService
from graph.atomic import atomic_output, output_error, write_workbook
from graph.errors import InputError
from graph.exports import neutralise_cell
from graph.scope import known_regions, model_regions, region_id, region_key
from graph.settings import env
from graph.words import LANGS
from reports import print_service
from reports.collect import collect_comparison, collect_region
from reports.printer import PrintError, prestart, print_pdf
from reports.render import render_comparison, render_region
from reports.sheets import comparison_sheets, region_sheets

__all__ = [
    "REPORT_FORMATS",
    "ReportError",
    "build_comparison_report",
    "build_region_report",
    "chromium_path",
    "format_for_path",
    "model_regions",
    "prestart_printer",
    "write_report",
]

REPORT_FORMATS: Final[tuple[str, ...]] = ("html", "pdf", "xlsx")
#: Seconds a PDF print may take before it is abandoned (a cold Chromium start is 2–5 s here).
PDF_TIMEOUT: Final = 120
_CHROMIUM_CANDIDATES: Final = ("chromium", "chromium-browser", "/usr/bin/chromium")


class ReportError(InputError):
    """A report could not be produced; the message says what failed and what to do."""


def format_for_path(path: Path, fmt: str | None = None) -> str:
    """The format to write ``path`` in: ``fmt`` when given, else the file's extension.

    ``-o kobe.xlsx`` alone writes a spreadsheet; ``-o kobe.xlsx --format pdf`` is refused rather
    than leaving a PDF behind an ``.xlsx`` name that no program will open.
    """
    suffix = Path(path).suffix.lower().removeprefix(".")
    suffix = "html" if suffix == "htm" else suffix
    if fmt is None:
        if suffix not in REPORT_FORMATS:
            msg = (
                f"cannot tell the report format from {Path(path).name!r}; name the file .html, .pdf or .xlsx "
                "or give --format"
            )
            raise ReportError(msg)
        return suffix
    if fmt not in REPORT_FORMATS:
        msg = f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}"
        raise ReportError(msg)
    if suffix in REPORT_FORMATS and suffix != fmt:
        msg = f"the file {Path(path).name!r} ends in .{suffix} but --format is {fmt}; make them agree"
        raise ReportError(msg)
    return fmt


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def chromium_path() -> str | None:
    """The Chromium executable: ``$IPECO_CHROMIUM`` when set, else the first on ``PATH``."""
    override = env("IPECO_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for name in _CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def prestart_printer() -> None:
    """Start the PDF printer's Chromium in the background, when there is one (see :mod:`reports.printer`)."""
    if print_service.active():
        print_service.prestart()
        return
    exe = chromium_path()
    if exe is not None:
        prestart(exe)


def _print_pdf(html: str, out: Path) -> None:
    exe = chromium_path()
    if exe is None:
        msg = (
            "cannot print the PDF report: Chromium was not found (install it with "
            "'apt-get install chromium fonts-noto-cjk', set IPECO_CHROMIUM to its path, or use --format html)"
        )
        raise ReportError(msg)
    with tempfile.TemporaryDirectory(prefix="ipeco-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        try:
            if print_service.active():  # the web server's one shared browser
                pdf = print_service.print_via_service(page, PDF_TIMEOUT)
            else:
                pdf = print_pdf(exe, page, PDF_TIMEOUT)
        except (PrintError, OSError) as exc:
            msg = f"cannot print the PDF report with {exe}: {exc}"
            raise ReportError(msg) from exc
        with atomic_output(out) as partial:
            partial.write_bytes(pdf)


def _write_xlsx(sheets: Mapping[str, Sequence[Sequence[Any]]], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    for default in list(workbook.worksheets):  # the empty sheet every new workbook starts with
        workbook.remove(default)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(str(name)[:31])
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for c, raw in enumerate(row, start=1):
                value = raw if raw is None or isinstance(raw, bool | int | float) else str(raw)
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, str):
                    # Names and explanations come from loaded data: "=HYPERLINK(...)" must stay text.
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(value))
                    cell.data_type = "s"
                else:
                    cell.value = value
                widths[c] = max(widths.get(c, 0), min(60, len(str(value or "")) + 2))
        if rows:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        for c, width in widths.items():
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = max(8, width)
    write_workbook(workbook, out)


def write_report(
    html: str, fmt: str, path: Path, *, xlsx_sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None
) -> Path:
    """Write a rendered report as ``fmt`` (``html``, ``pdf`` or ``xlsx``) to ``path`` and return it.

    ``xlsx`` writes ``xlsx_sheets`` (sheet name → rows) and ignores ``html``; text cells that start
    with ``=``, ``+``, ``-``, ``@`` are neutralised. Raises :class:`ReportError` with what to do.
    """
    if fmt not in REPORT_FORMATS:
        msg = f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}"
        raise ReportError(msg)
    path = Path(path)
    try:
        if fmt == "pdf":
            _print_pdf(html, path)
            return path
        if fmt == "html":
            with atomic_output(path) as tmp:
                tmp.write_text(html, encoding="utf-8")
        else:
            if not xlsx_sheets:
                msg = "cannot write the xlsx report: no sheets were given (pass xlsx_sheets)"
                raise ReportError(msg)
            _write_xlsx(xlsx_sheets, path)
    except OSError as exc:  # OutputError included: one sentence naming the path and the cause
        raise ReportError(str(output_error(path, exc))) from exc
    return path


def _check(lang: str, fmt: str) -> None:
    if lang not in LANGS:
        msg = f"unknown report language {lang!r}; choose one of {', '.join(LANGS)}"
        raise ReportError(msg)
    if fmt not in REPORT_FORMATS:
        msg = f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}"
        raise ReportError(msg)


def build_region_report(
    service: AnalysisService, region: str, lang: str, fmt: str, path: Path, *, generated_at: str | None = None
) -> Path:
    """Collect, render and write the brief of ``region``; returns ``path``.

    ``service`` is the analysis service over the store (the CLI's, or the web app's cached one).
    Raises :class:`ReportError` for an unknown region, language or format, or a failed write/print.
    """
    _check(lang, fmt)
    graph, version = service.snapshot()
    key = region_key(region)
    if region_id(key) not in graph:
        msg = f"unknown region {key!r}; known regions: {', '.join(known_regions(graph)) or 'none (run ipeco seed)'}"
        raise ReportError(msg)
    stamp = generated_at or _now()
    data = collect_region(service, key, figure=fmt != "xlsx")
    if fmt == "xlsx":
        sheets = region_sheets(data, lang=lang, generated_at=stamp, data_version=version)
        return write_report("", fmt, path, xlsx_sheets=sheets)
    html = render_region(data, lang=lang, generated_at=stamp, data_version=version)
    return write_report(html, fmt, path)


def build_comparison_report(
    service: AnalysisService,
    lang: str,
    fmt: str,
    path: Path,
    *,
    regions: Sequence[str] | None = None,
    generated_at: str | None = None,
) -> Path:
    """Collect, render and write the side-by-side comparison; ``regions`` defaults to the model regions."""
    _check(lang, fmt)
    graph, version = service.snapshot()
    keys = [region_key(r) for r in (regions or model_regions(graph))]
    unknown = [k for k in keys if region_id(k) not in graph]
    if not keys or unknown:
        what = f"unknown region(s) {', '.join(unknown)}" if unknown else "no model regions in the graph"
        msg = f"cannot compare regions: {what}; known regions: {', '.join(known_regions(graph)) or 'none'}"
        raise ReportError(msg)
    stamp = generated_at or _now()
    data = collect_comparison(service, keys, figure=fmt != "xlsx")
    if fmt == "xlsx":
        sheets = comparison_sheets(data, lang=lang, generated_at=stamp, data_version=version)
        return write_report("", fmt, path, xlsx_sheets=sheets)
    html = render_comparison(data, lang=lang, generated_at=stamp, data_version=version)
    return write_report(html, fmt, path)

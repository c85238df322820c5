"""Report page: a regional brief or the comparison of regions, as HTML, A4 PDF or XLSX.

The files are produced by :mod:`reports.files`, the same ``build_region_report`` /
``build_comparison_report`` that ``ipeco report`` calls, over the data source's analysis service
(whose results the other pages have usually cached already), so the page and the CLI hand out
identical documents. The file is built in a temporary folder and sent to the browser
with ``dcc.send_file`` (which reads it at once, so the folder can go).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any, Final

from dash import Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from graph.errors import IpecoError
from graph.store import StoreUnavailable
from graph.words import LANGS, normalise_lang, t
from reports.files import REPORT_FORMATS, build_comparison_report, build_region_report, prestart_printer
from webapp import ids
from webapp.components import labelled, region_options, resolve_region, store_message, view_store
from webapp.data import DataSource
from webapp.state import encode_query

PATH = "/report"
NAV = "nav.report"
KINDS: Final = ("region", "comparison")
FORMATS: Final = REPORT_FORMATS

log = logging.getLogger(__name__)


def report_filename(kind: str, region: str, lang: str, fmt: str) -> str:
    what = "comparison" if kind == "comparison" else (region.removeprefix("region:") or "region")
    return f"ipeco-report-{what}-{lang}.{fmt}"


def build_report_file(ds: DataSource, kind: str, region: str, lang: str, fmt: str) -> tuple[bytes, str]:
    """The report as ``(content, filename)``; raises the builder's one-sentence errors."""
    name = report_filename(kind, region, lang, fmt)
    with tempfile.TemporaryDirectory(prefix="ipeco-report-") as tmp:
        ds.graph()  # the store's state first: an outage is StoreUnavailable, shown as such
        target = Path(tmp) / name
        if kind == "comparison":
            written = build_comparison_report(ds.service, lang, fmt, target)
        else:
            written = build_region_report(ds.service, region, lang, fmt, target)
        return Path(written).read_bytes(), name


def _view(kind: str, region: str, lang: str, fmt: str, report_lang: str) -> dict[str, str]:
    query = encode_query(
        {
            "region": region or None,
            "kind": kind if kind != "region" else None,
            "format": fmt if fmt != "html" else None,
            "report_lang": report_lang if report_lang != lang else None,
            "lang": lang if lang != "ja" else None,
        }
    )
    return {"path": PATH, "query": query}


def _radio(cid: str, label: str, choices: list[tuple[str, str]], value: str) -> Any:
    """A labelled row of radio buttons, ``choices`` as (value, label)."""
    options = [{"label": text, "value": key} for key, text in choices]
    return labelled(label, dcc.RadioItems(id=cid, options=options, value=value, inline=True), cid)


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    kind = str(params["kind"]) if params.get("kind") in KINDS else "region"
    fmt = str(params["format"]) if params.get("format") in FORMATS else "html"
    report_lang = str(params["report_lang"]) if params.get("report_lang") in LANGS else lang
    prestart_printer()  # the visitor is likely to ask for a PDF: Chromium starts while they choose
    try:
        region = resolve_region(ds, params.get("region"))
        regions = region_options(ds, lang)
    except StoreUnavailable as exc:
        return store_message(lang, exc)
    region_menu = dcc.Dropdown(
        id=ids.REPORT_REGION, options=regions, value=region, clearable=False, disabled=kind == "comparison"
    )
    controls = html.Div(
        [
            _radio(ids.REPORT_KIND, t("report.kind", lang), [(k, t(f"report.kind.{k}", lang)) for k in KINDS], kind),
            labelled(t("common.region", lang), region_menu, ids.REPORT_REGION),
            _radio(
                ids.REPORT_LANG, t("report.lang", lang), [(c, t(f"lang.endonym.{c}", c)) for c in LANGS], report_lang
            ),
            _radio(ids.REPORT_FORMAT, t("report.format", lang), [(f, f.upper()) for f in FORMATS], fmt),
        ],
        className="controls-row",
    )
    view = _view(kind, region, lang, fmt, report_lang)
    return html.Div(
        [
            view_store("report", PATH, view["query"]),
            dcc.Store(id=ids.REPORT_LANG_STORE, data=lang),
            dcc.Download(id=ids.REPORT_DOWNLOAD),
            html.H2(t("report.title", lang)),
            html.P(t("report.intro", lang)),
            controls,
            html.P(t("report.pdf_note", lang), className="banner-detail"),
            html.Button(t("report.build", lang), id=ids.REPORT_BTN, n_clicks=0, className="button button-primary"),
            dcc.Loading(html.Div(id=ids.REPORT_STATUS, role="status", className="report-status"), type="dot"),
        ],
        className="page",
    )


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(ids.REPORT_REGION, "disabled"),
        Output({"type": ids.VIEW, "page": "report"}, "data"),
        Input(ids.REPORT_KIND, "value"),
        Input(ids.REPORT_REGION, "value"),
        Input(ids.REPORT_LANG, "value"),
        Input(ids.REPORT_FORMAT, "value"),
        State(ids.REPORT_LANG_STORE, "data"),
        prevent_initial_call=True,  # the page comes with both: no round trip before it is usable
    )
    def choices(kind: str, region: str, report_lang: str, fmt: str, lang: str) -> tuple[bool, dict[str, str]]:
        return kind == "comparison", _view(kind, region, lang, fmt, report_lang)

    @app.callback(
        Output(ids.REPORT_DOWNLOAD, "data"),
        Output(ids.REPORT_STATUS, "children"),
        Input(ids.REPORT_BTN, "n_clicks"),
        State(ids.REPORT_KIND, "value"),
        State(ids.REPORT_REGION, "value"),
        State(ids.REPORT_LANG, "value"),
        State(ids.REPORT_FORMAT, "value"),
        State(ids.REPORT_LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def build(clicks: int, kind: str, region: str, report_lang: str, fmt: str, lang: str) -> tuple[Any, Any]:
        if not clicks:
            raise PreventUpdate
        try:
            content, name = build_report_file(ds, kind, region or "", report_lang, fmt)
        except IpecoError as exc:  # ReportError, StoreUnavailable: one sentence each
            log.warning("report failed: %s", exc)
            message = " ".join(str(exc).split())
            return no_update, html.Span(t("report.failed", lang) + message, role="alert", className="banner-error")
        return dcc.send_bytes(content, name), t("report.done", lang, name=name)

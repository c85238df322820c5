"""データ登録 (data entry): upload a sheet in the canonical template, see what is wrong or what would change, commit.

Nothing is written before the commit: an upload is checked as ``ipeco load canonical`` checks it
(:mod:`webapp.workbench_ops`), and the page shows either every violation by file, sheet, line and
field, or the preview (records added, changed field by field, unchanged). The commit checks again
and writes the whole upload as one change set in one transaction, refused when the data changed
since the preview. Only an editor sees the controls, and the commit's route refuses anyone else
(:func:`webapp.auth.install_write_guard`); the pages then show the new data at once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Final

import networkx as nx
from dash import Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from graph.batch import Violation
from graph.changes import ChangeConflict, ChangeDraft, RecordChange
from graph.errors import IpecoError
from graph.records import problem_code
from graph.store import StoreUnavailable
from graph.words import normalise_lang, t
from loaders.canonical import write_template
from loaders.region_template import write_region_template
from webapp.auth import Grant, csrf_token, current_grant
from webapp.components import region_options, resolve_region, view_store
from webapp.data import DataSource
from webapp.state import encode_query
from webapp.workbench_ops import (
    StalePreview,
    UploadCheck,
    UploadFile,
    check_upload,
    commit_upload,
    conflict_text,
    decode_uploads,
)
from webapp.workbench_preview import preview_map

PATH = "/workbench"
NAV = "nav.workbench"

CSRF: Final = "wb-csrf"
LANG: Final = "wb-lang"
UPLOAD: Final = "wb-upload"
REPORT: Final = "wb-report"
VERSION: Final = "wb-version"
COMMIT: Final = "wb-commit"
COMMIT_RESULT: Final = "wb-commit-result"
TEMPLATE: Final = "wb-template"
TEMPLATE_FILE: Final = "wb-template-file"
TEMPLATE_REGION: Final = "wb-template-region"
REGION: Final = "wb-region"
#: Outputs of the callbacks that write: the write guard refuses them to non-editors and forged requests.
WRITE_OUTPUTS: Final = frozenset({COMMIT_RESULT})
#: Rows of the preview table shown at most (the counts cover every record).
PREVIEW_ROWS: Final = 200


def role_notice(grant: Grant, lang: str) -> html.Div | str:
    """Said once on the page: the local single user is an editor; a viewer may only look."""
    if grant.local:
        return html.Div(t("wb.local_editor", lang), className="banner banner-notice", id="wb-role-notice")
    if not grant.writes:
        return html.Div(t("wb.viewer", lang), className="banner banner-notice", id="wb-role-notice")
    return ""


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    grant = current_grant()
    query = encode_query({"lang": lang if lang != "ja" else None})
    body: list[Any] = [view_store("workbench", PATH, query), html.H2(t("wb.title", lang)), role_notice(grant, lang)]
    if grant.writes:
        body += [
            dcc.Store(id=CSRF, data=csrf_token(grant.user)),
            dcc.Store(id=LANG, data=lang),
            dcc.Store(id=VERSION),
            html.P(t("wb.intro", lang)),
            html.Div(
                [
                    html.Button(t("wb.template_empty", lang), id=TEMPLATE, n_clicks=0, className="button"),
                    dcc.Dropdown(*_regions(ds, lang, params.get("region")), id=REGION, clearable=False),
                    html.Button(t("wb.template_region", lang), id=TEMPLATE_REGION, n_clicks=0, className="button"),
                    dcc.Download(id=TEMPLATE_FILE),
                ],
                className="wb-templates",
            ),
            dcc.Upload(
                html.Div(t("wb.upload", lang)),
                id=UPLOAD,
                multiple=True,
                accept=".csv,.xlsx,.xlsm",
                className="upload-zone",
                style={"border": "2px dashed #888", "padding": "1.5em", "margin": "1em 0", "textAlign": "center"},
            ),
            dcc.Loading(html.Div(id=REPORT)),
            html.Button(t("wb.commit", lang), id=COMMIT, n_clicks=0, disabled=True, className="button primary"),
            dcc.Loading(html.Div(id=COMMIT_RESULT, role="status")),
        ]
    return html.Div(body, className="page workbench-page", id="workbench-page")


def _regions(ds: DataSource, lang: str, wanted: str | None) -> tuple[list[dict[str, str]], str]:
    """The region menu of the filled template and the region chosen (none while the store is down)."""
    try:
        return region_options(ds, lang), resolve_region(ds, wanted)
    except StoreUnavailable:
        return [], ""


def violations_table(violations: tuple[Violation, ...], lang: str) -> html.Div:
    """Every violation by file, sheet, line and field, the kind of problem in the page's language."""
    head = [t(f"wb.col.{c}", lang) for c in ("file", "sheet", "line", "field", "problem")]
    rows = []
    for v in violations:
        origin = v.origin
        kind = t(f"wb.problem.{problem_code(v)}", lang)
        rows.append(
            html.Tr(
                [
                    html.Td(origin.file if origin else ""),
                    html.Td(origin.sheet or "" if origin else ""),
                    html.Td(str(origin.line) if origin and origin.line is not None else ""),
                    html.Td(v.field),
                    html.Td([html.Strong(kind), html.Br(), html.Small(v.message)]),
                ],
                className="wb-violation",
            )
        )
    return html.Div(
        [
            html.P(t("wb.errors_title", lang, n=len(violations)), className="banner banner-error", role="alert"),
            html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], className="table"),
        ],
        id="wb-violations",
    )


def _value(value: Any) -> str:
    if value is None:
        return "—"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _change_rows(change: RecordChange, lang: str) -> list[html.Tr]:
    action = t(f"wb.action.{change.action}", lang)
    fields = change.fields() if change.action == "changed" else ()
    if not fields:
        name = change.after or change.before
        shown = str((name.props.get("name") if name else None) or "")
        return [html.Tr([html.Td(action), html.Td(str(change.ref)), html.Td(shown), html.Td(""), html.Td("")])]
    return [
        html.Tr(
            [
                html.Td(action),
                html.Td(str(change.ref)),
                html.Td(f.name),
                html.Td(_value(f.before)),
                html.Td(_value(f.after)),
            ]
        )
        for f in fields
        if f.name != "loaded_at"
    ]


def preview(draft: ChangeDraft, lang: str, graph: nx.MultiDiGraph | None = None) -> html.Div:
    """Counts, the map of the touched regions after the commit (given the graph), then the records added
    and changed (field by field); unchanged ones are only counted."""
    counts = draft.counts()
    head = [t(f"wb.col.{c}", lang) for c in ("record", "record", "field", "before", "after")]
    head[0] = ""
    rows = [row for c in draft.effective()[:PREVIEW_ROWS] for row in _change_rows(c, lang)]
    return html.Div(
        [
            html.P(t("wb.preview_title", lang, **counts), className="banner banner-notice", role="status"),
            preview_map(graph, draft, lang) if graph is not None else "",
            html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], className="table"),
        ],
        id="wb-preview",
    )


def _files(contents: Any, names: Any) -> tuple[list[UploadFile], list[Violation]]:
    contents = contents if isinstance(contents, list) else [contents]
    names = names if isinstance(names, list) else [names]
    return decode_uploads([c for c in contents if c], [n for n in names if n])


def _refusal(message: str) -> html.P:
    return html.P(message, className="banner banner-error", role="alert")


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(REPORT, "children"),
        Output(VERSION, "data"),
        Output(COMMIT, "disabled"),
        Input(UPLOAD, "contents"),
        State(UPLOAD, "filename"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def check(contents: Any, names: Any, lang: str | None) -> tuple[Any, Any, bool]:
        lang = normalise_lang(lang)
        if not contents:
            raise PreventUpdate
        grant = current_grant()
        files, bad = _files(contents, names)
        if bad:
            return violations_table(tuple(bad), lang), None, True
        store = ds.open_store()
        try:
            result: UploadCheck = check_upload(store, files, author=grant.user, regions=grant.regions)
        except IpecoError as exc:
            return _refusal(str(exc)), None, True
        finally:
            store.close()
        if result.violations or result.draft is None:
            return violations_table(result.violations, lang), None, True
        return preview(result.draft, lang, ds.service.graph()), result.version, not result.draft.effective()

    @app.callback(
        Output(COMMIT_RESULT, "children"),
        Output(COMMIT, "disabled", allow_duplicate=True),
        Input(COMMIT, "n_clicks"),
        State(UPLOAD, "contents"),
        State(UPLOAD, "filename"),
        State(VERSION, "data"),
        State(CSRF, "data"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def commit(clicks: int, contents: Any, names: Any, version: str | None, _token: str, lang: str | None) -> Any:
        lang = normalise_lang(lang)
        if not clicks:
            raise PreventUpdate
        if not contents or not version:
            return _refusal(t("wb.no_file", lang)), True
        return commit_message(ds, _files(contents, names), version, lang), True

    @app.callback(
        Output(TEMPLATE_FILE, "data"),
        Input(TEMPLATE, "n_clicks"),
        Input(TEMPLATE_REGION, "n_clicks"),
        State(REGION, "value"),
        prevent_initial_call=True,
    )
    def template(empty: int, filled: int, region: str | None) -> Any:
        """The empty template, or the chosen region as a filled template to edit and upload again."""
        if not (empty or filled):
            raise PreventUpdate
        with tempfile.TemporaryDirectory(prefix="ipeco-template-") as tmp:
            if ctx.triggered_id == TEMPLATE_REGION and region:
                path = write_region_template(ds.region_view(region), Path(tmp) / f"ipeco-{region}.xlsx")
            else:
                (path,) = write_template(Path(tmp), xlsx=True)
            return dcc.send_bytes(path.read_bytes(), path.name)


def commit_message(ds: DataSource, upload: tuple[list[UploadFile], list[Violation]], version: str, lang: str) -> Any:
    """Commit the upload as the signed-in editor; the words to show (written, refused, or the violations)."""
    grant = current_grant()
    files, bad = upload
    if bad:
        return violations_table(tuple(bad), lang)
    store = ds.open_store()
    try:
        check, written = commit_upload(store, files, author=grant.user, version=version, regions=grant.regions)
    except ChangeConflict as exc:
        return _refusal(conflict_text(exc, lang))
    except StalePreview:
        return _refusal(t("wb.stale_preview", lang))
    except IpecoError as exc:
        return _refusal(str(exc))
    finally:
        store.close()
    if check.violations:
        return violations_table(check.violations, lang)
    if written is None:
        return html.P(t("wb.nothing", lang), role="status")
    ds.refresh(force=True, wait=True)  # the map and the worklist show the new data at once
    return html.P(
        t("wb.committed", lang, id=written.id, n=len(written.changes)),
        className="banner banner-notice",
        id="wb-committed",
    )

"""履歴 (history): every change set written from the workbench, newest first, each with its undo.

An undo is one transaction (:func:`webapp.workbench_ops.undo_change_set`), refused in words when a
later change set depends on it. Only an editor sees the undo buttons, and the undo's route refuses
anyone else (:func:`webapp.auth.install_write_guard`).
"""

from __future__ import annotations

from typing import Any, Final

from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from graph.change_logs import change_log
from graph.changes import ChangeConflict, ChangeSet
from graph.errors import IpecoError
from graph.words import calendar_date, normalise_lang, t
from webapp.auth import Grant, csrf_token, current_grant
from webapp.components import view_store
from webapp.data import DataSource
from webapp.pages.workbench import role_notice
from webapp.state import encode_query
from webapp.workbench_ops import conflict_text, undo_change_set

PATH = "/history"
NAV = "nav.history"

CSRF: Final = "history-csrf"
LANG: Final = "history-lang"
TABLE: Final = "history-table"
RESULT: Final = "history-result"
UNDO: Final = "history-undo"
#: Outputs of the callbacks that write (the undo): refused to non-editors and forged requests.
WRITE_OUTPUTS: Final = frozenset({RESULT})
SHOWN: Final = 200


def _row(s: ChangeSet, lang: str, grant: Grant) -> html.Tr:
    counts = s.counts()
    if s.undone_by:
        state: Any = t("history.undone_by", lang, id=s.undone_by)
    elif s.undoes:
        state = t("history.undoes", lang, id=s.undoes)
    elif grant.writes:
        state = html.Button(t("history.undo", lang), id={"type": UNDO, "index": s.id}, n_clicks=0, className="button")
    else:
        state = ""
    when = f"{calendar_date(s.at, lang)} {s.at[11:16]}"
    cells = [s.id, when, t(f"history.kind.{s.kind}", lang), s.author, s.summary]
    cells.append(t("history.counts", lang, **counts))
    return html.Tr([*(html.Td(c) for c in cells), html.Td(state)], className="history-row", id=f"history-row-{s.id}")


def history_table(ds: DataSource, lang: str, grant: Grant) -> Any:
    store = ds.open_store()
    try:
        sets = change_log(store).history(SHOWN)
    finally:
        store.close()
    if not sets:
        return html.P(t("history.empty", lang))
    cols = ("id", "at", "kind", "author", "summary", "counts", "state")
    head = html.Thead(html.Tr([html.Th(t(f"history.col.{c}", lang)) for c in cols]))
    return html.Table([head, html.Tbody([_row(s, lang, grant) for s in sets])], className="table")


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    grant = current_grant()
    query = encode_query({"lang": lang if lang != "ja" else None})
    writes = [dcc.Store(id=CSRF, data=csrf_token(grant.user))] if grant.writes else [dcc.Store(id=CSRF, data="")]
    return html.Div(
        [
            view_store("history", PATH, query),
            *writes,
            dcc.Store(id=LANG, data=lang),
            html.H2(t("history.title", lang)),
            role_notice(grant, lang),
            html.Div(id=RESULT, role="status"),
            html.Div(history_table(ds, lang, grant), id=TABLE),
        ],
        className="page history-page",
    )


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(RESULT, "children"),
        Output(TABLE, "children"),
        Input({"type": UNDO, "index": ALL}, "n_clicks"),
        State(CSRF, "data"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def undo(clicks: list[int], _token: str, lang: str | None) -> tuple[Any, Any]:
        lang = normalise_lang(lang)
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            raise PreventUpdate
        grant = current_grant()
        change_id = str(trigger["index"])
        store = ds.open_store()
        try:
            written = undo_change_set(store, change_id, author=grant.user)
        except ChangeConflict as exc:
            return html.P(conflict_text(exc, lang), className="banner banner-error", role="alert"), history_table(
                ds, lang, grant
            )
        except IpecoError as exc:
            return html.P(str(exc), className="banner banner-error", role="alert"), history_table(ds, lang, grant)
        finally:
            store.close()
        ds.refresh(force=True, wait=True)
        done = html.P(t("history.undone", lang, id=change_id, new=written.id), className="banner banner-notice")
        return done, history_table(ds, lang, grant)

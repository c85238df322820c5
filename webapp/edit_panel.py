"""Edit in place from the map's detail panel (issue 22): add a tie, correct a field, mark a tie as ended.

Only an editor of the region sees the form (:func:`edit_section`). The record's state is read
from the store when the panel opens and sent back with the edit, so an edit of a record someone
changed meanwhile is refused with "changed since you opened it" and nothing is lost
(:mod:`graph.changes`). Each edit is validated by the schema and the workbench's rules
(:mod:`graph.records`), written as a change set with the editor's name, and the analysis service
reads the new data version at once. A tie can be recorded as the team's own accompaniment
(伴走支援, ``source: producer``) instead of a public fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from graph.batch import Batch, BatchError, Violation
from graph.change_logs import change_log
from graph.changes import ChangeConflict, RecordRef, RecordState, plan_batch
from graph.errors import IpecoError
from graph.records import FORM, Accompaniment, TieForm, accompaniment_batch, tie_batch
from graph.schema import PHASES, REL_SPECS, relationship_key
from graph.words import phase_name, t
from webapp.auth import csrf_token, current_grant
from webapp.data import DataSource, display_name
from webapp.workbench_ops import conflict_text, correct_field

__all__ = ["CSRF", "WRITE_OUTPUTS", "edit_form", "edit_section", "register"]

OPENED: Final = "ep-opened"
TARGET: Final = "ep-target"
OPEN: Final = "ep-open"
BODY: Final = "ep-body"
CSRF: Final = "ep-csrf"
LANG: Final = "ep-lang"
RESULT: Final = "ep-result"
TIE_TYPE, TIE_DIR, TIE_KIND, TIE_OTHER = "ep-tie-type", "ep-tie-dir", "ep-tie-kind", "ep-tie-other"
TIE_PHASE, TIE_PROG, TIE_DATE, TIE_URL = "ep-tie-phase", "ep-tie-programme", "ep-tie-date", "ep-tie-url"
TIE_MINE, TIE_OUTCOME, TIE_SAVE = "ep-tie-mine", "ep-tie-outcome", "ep-tie-save"
FIELD, FIELD_VALUE, FIELD_SAVE = "ep-field", "ep-field-value", "ep-field-save"
END_TIE, END_YEAR, END_SAVE = "ep-end-tie", "ep-end-year", "ep-end-save"
WRITE_OUTPUTS: Final = frozenset({RESULT})
#: Tie types an editor adds by hand between organisations.
TIE_TYPES: Final = ("SUPPORTS", "COLLABORATES_WITH", "REFERS_TO", "FINANCES")
#: Fields an editor corrects in place (the rest come from sources: a load changes them).
FIELDS: Final = ("name", "name_en", "industry", "employees", "url", "founded", "support_kind", "evidence")
_COUNTERPARTS = 3000


def _opened_state(ds: DataSource, node: str) -> dict[str, Any] | None:
    store = ds.open_store()
    try:
        ref = RecordRef("node", node)
        state = change_log(store).read([ref]).get(ref)
    finally:
        store.close()
    return state.as_dict() if state else None


def _counterparts(ds: DataSource, region: str, node: str, lang: str) -> list[dict[str, str]]:
    view = ds.region_view(region)
    orgs = [(n, a) for n, a in view.nodes(data=True) if "Organization" in a.get("labels", ()) and n != node]
    options = [{"label": display_name(a, lang, n), "value": str(n)} for n, a in orgs[:_COUNTERPARTS]]
    return sorted(options, key=lambda o: o["label"])


def _ties(ds: DataSource, region: str, node: str, lang: str) -> list[dict[str, str]]:
    view = ds.region_view(region)
    out = []
    for u, v, data in [*view.out_edges(node, data=True), *view.in_edges(node, data=True)]:
        if data.get("type") not in TIE_TYPES:
            continue
        key = relationship_key(data["type"], dict(data))
        other = v if u == node else u
        label = f"{t('tie.' + data['type'], lang)} — {display_name(view.nodes[other], lang, other)}"
        out.append({"label": label, "value": "\t".join((u, data["type"], v, key))})
    return out


def edit_section(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    """A button that opens the edit form of ``node``, for an editor of ``region`` (nothing for anyone else).

    The form itself is built when asked (:func:`edit_form`): the detail panel, opened at every click
    on the map, pays one button, not a read of the store and the region's organisations.
    """
    if not current_grant().can_write(region):
        return []
    return [
        html.Section(
            [
                dcc.Store(id=TARGET, data={"node": node, "region": region, "lang": lang}),
                html.Button(t("edit.title", lang), id=OPEN, n_clicks=0, className="button"),
                html.Div(id=BODY),
            ],
            id="edit-panel",
            className="edit-panel",
        )
    ]


def edit_form(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    """The edit form for ``node``, with the record's stored state as opened (sent back with every edit)."""
    grant = current_grant()
    opened = _opened_state(ds, node)
    if opened is None or not grant.can_write(region):
        return []
    phases = [{"label": phase_name(p, lang), "value": p} for p in PHASES]
    tie_form = html.Div(
        [
            html.H5(t("edit.add_tie", lang)),
            dcc.Dropdown([{"label": t(f"tie.{k}", lang), "value": k} for k in TIE_TYPES], "SUPPORTS", id=TIE_TYPE),
            dcc.RadioItems(
                [{"label": "→", "value": "out"}, {"label": "←", "value": "in"}], "out", id=TIE_DIR, inline=True
            ),
            dcc.Dropdown(_counterparts(ds, region, node, lang), id=TIE_OTHER, placeholder=t("edit.counterpart", lang)),
            dcc.Input(id=TIE_KIND, placeholder=t("edit.kind", lang)),
            dcc.Dropdown(phases, id=TIE_PHASE, placeholder=t("edit.phase", lang)),
            dcc.Input(id=TIE_PROG, placeholder=t("edit.programme", lang)),
            dcc.Input(id=TIE_DATE, placeholder=t("edit.date", lang)),
            dcc.Input(id=TIE_URL, placeholder=t("edit.evidence", lang), type="text"),
            dcc.Checklist([{"label": t("edit.engagement", lang), "value": "mine"}], [], id=TIE_MINE),
            dcc.Input(id=TIE_OUTCOME, placeholder=t("edit.outcome", lang)),
            html.Button(t("edit.save", lang), id=TIE_SAVE, n_clicks=0, className="button"),
        ],
        className="edit-tie",
    )
    field_form = html.Div(
        [
            html.H5(t("edit.correct", lang)),
            dcc.Dropdown(list(FIELDS), id=FIELD, placeholder=t("edit.field", lang)),
            dcc.Input(id=FIELD_VALUE, placeholder=t("edit.value", lang)),
            html.Button(t("edit.save", lang), id=FIELD_SAVE, n_clicks=0, className="button"),
        ],
        className="edit-field",
    )
    end_form = html.Div(
        [
            dcc.Dropdown(_ties(ds, region, node, lang), id=END_TIE),
            dcc.Input(id=END_YEAR, type="number", placeholder="until (FY)"),
            html.Button(t("edit.save", lang), id=END_SAVE, n_clicks=0, className="button"),
        ],
        className="edit-end",
    )
    stores = [
        dcc.Store(id=OPENED, data={"node": node, "region": region, "state": opened}),
        dcc.Store(id=CSRF, data=csrf_token(grant.user)),
        dcc.Store(id=LANG, data=lang),
    ]
    return [*stores, tie_form, field_form, end_form, html.Div(id=RESULT, role="status")]


def _problems(exc: BatchError, lang: str) -> html.Div:
    items = [html.Li(f"{v.field}: {v.message}") for v in exc.violations]
    return html.Div(
        [html.P(t("edit.bad", lang, n=len(items))), html.Ul(items)], className="banner banner-error", role="alert"
    )


def _saved(ds: DataSource, change_id: str, lang: str) -> html.P:
    ds.refresh(force=True, wait=True)  # the analysis service reads the new data version at once
    return html.P(t("edit.saved", lang, id=change_id), className="banner banner-notice", id="ep-saved")


def _write(ds: DataSource, batch: Batch, kind: str, summary: str) -> str:
    """Validate ``batch`` against the store and write it as one change set; its id."""
    store = ds.open_store()
    try:
        store.validate(batch)
        log = change_log(store)
        return log.apply(plan_batch(log, batch, author=current_grant().user, summary=summary, kind=kind)).id
    finally:
        store.close()


def _guarded(ds: DataSource, lang: str, action: Any) -> Any:
    """Run ``action`` (it returns a change-set id) and put the outcome in words."""
    try:
        return _saved(ds, action(), lang)
    except BatchError as exc:
        return _problems(exc, lang)
    except ChangeConflict as exc:
        return html.P(conflict_text(exc, lang), className="banner banner-error", role="alert", id="ep-conflict")
    except IpecoError as exc:
        return html.P(str(exc), className="banner banner-error", role="alert")


def _tie(ds: DataSource, opened: Mapping[str, Any], form: Mapping[str, Any]) -> str:
    node, graph = opened["node"], ds.graph()[0]
    if not form.get("other") or form["other"] not in graph:
        raise BatchError([Violation(FORM, "target", f"{form.get('other')!r} is not in the store")])
    source, target = (node, form["other"]) if form.get("dir") != "in" else (form["other"], node)
    if form.get("mine") and form.get("type") == "SUPPORTS":
        record = Accompaniment(target, source, form.get("programme") or "", form.get("phase") or "",
                               form.get("date") or "", form.get("outcome") or "", current_grant().user,
                               form.get("url") or "")  # fmt: skip
        return _write(ds, accompaniment_batch(record), "engagement", f"{source} → {target}")
    props = {k: form.get(f) or None for k, f in (("kind", "kind"), ("phase", "phase"), ("programme", "programme"),
                                                  ("date", "date"), ("evidence", "url"))}  # fmt: skip
    real = not graph.nodes[source].get("synthetic") and not graph.nodes[target].get("synthetic")
    batch = tie_batch(TieForm(str(form.get("type")), source, target, props), real_ends=real)
    return _write(ds, batch, "edit", f"{source} -{form.get('type')}-> {target}")


def _end(ds: DataSource, value: str, year: Any) -> str:
    source, rel_type, target, key = value.split("\t")
    if rel_type not in REL_SPECS:
        raise BatchError([Violation(FORM, "type", f"unknown relationship type {rel_type!r}")])
    ref = RecordRef("rel", source, rel_type, target, key)
    store = ds.open_store()
    try:
        state = change_log(store).read([ref]).get(ref)
        if state is None:
            raise ChangeConflict("changed_since", [ref])
        return correct_field(store, ref, state, "until", int(year), author=current_grant().user).id
    finally:
        store.close()


def _field(ds: DataSource, opened: Mapping[str, Any], name: str, raw: str) -> str:
    state = RecordState.from_dict(opened["state"])
    assert state is not None
    value: Any = int(raw) if name == "employees" and str(raw).strip().isdigit() else raw
    store = ds.open_store()
    try:
        return correct_field(
            store, RecordRef("node", opened["node"]), state, name, value, author=current_grant().user
        ).id
    finally:
        store.close()


def register(app: Any, ds: DataSource) -> None:
    """The three edits' callbacks (each refused by the write guard without an editor's role and token)."""
    _register_tie(app, ds)
    _register_corrections(app, ds)

    @app.callback(Output(BODY, "children"), Input(OPEN, "n_clicks"), State(TARGET, "data"), prevent_initial_call=True)
    def open_form(clicks: int, target: dict[str, str]) -> Any:
        if not clicks or not target:
            raise PreventUpdate
        return edit_form(ds, target["region"], target["node"], target["lang"])


def _register_tie(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(RESULT, "children", allow_duplicate=True),
        Input(TIE_SAVE, "n_clicks"),
        State(OPENED, "data"),
        State(TIE_TYPE, "value"),
        State(TIE_DIR, "value"),
        State(TIE_OTHER, "value"),
        State(TIE_KIND, "value"),
        State(TIE_PHASE, "value"),
        State(TIE_PROG, "value"),
        State(TIE_DATE, "value"),
        State(TIE_URL, "value"),
        State(TIE_MINE, "value"),
        State(TIE_OUTCOME, "value"),
        State(CSRF, "data"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def add_tie(clicks: int, opened: dict[str, Any], *values: Any) -> Any:
        if not clicks or not opened:
            raise PreventUpdate
        names = ("type", "dir", "other", "kind", "phase", "programme", "date", "url", "mine", "outcome")
        form = dict(zip(names, values[: len(names)], strict=True))
        lang = values[-1]
        if not current_grant().can_write(opened.get("region")):
            return html.P(t("wb.region_refused", lang, region=opened.get("region")), role="alert")
        if not form.get("other"):
            return html.P(t("edit.no_counterpart", lang, name=""), role="alert")
        return _guarded(ds, lang, lambda: _tie(ds, opened, form))


def _register_corrections(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(RESULT, "children", allow_duplicate=True),
        Input(FIELD_SAVE, "n_clicks"),
        State(OPENED, "data"),
        State(FIELD, "value"),
        State(FIELD_VALUE, "value"),
        State(CSRF, "data"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def fix_field(clicks: int, opened: dict[str, Any], name: str, raw: str, _token: str, lang: str) -> Any:
        if not clicks or not opened or not name:
            raise PreventUpdate
        if not current_grant().can_write(opened.get("region")):
            return html.P(t("wb.region_refused", lang, region=opened.get("region")), role="alert")
        return _guarded(ds, lang, lambda: _field(ds, opened, name, raw))

    @app.callback(
        Output(RESULT, "children", allow_duplicate=True),
        Input(END_SAVE, "n_clicks"),
        State(OPENED, "data"),
        State(END_TIE, "value"),
        State(END_YEAR, "value"),
        State(CSRF, "data"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def end_tie(clicks: int, opened: dict[str, Any], tie: str, year: Any, _token: str, lang: str) -> Any:
        if not clicks or not opened or not tie or year in (None, ""):
            raise PreventUpdate
        if not current_grant().can_write(opened.get("region")):
            return html.P(t("wb.region_refused", lang, region=opened.get("region")), role="alert")
        return _guarded(ds, lang, lambda: _end(ds, tie, year))

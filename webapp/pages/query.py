"""Query page: the analyst console for read-only Cypher.

Every query goes through :meth:`webapp.data.DataSource.run_query`, i.e. the one guarded runner of
:mod:`graph.query` (EXPLAIN first, READ access, timeout, row cap): the console has no privileges
the CLI lacks. The callbacks are thin wrappers around the plain functions here, which the tests
call directly:

* :func:`console_run` runs a query and returns everything the page shows: a status line, the
  row-cap notice, the one-sentence error (never a traceback), table columns and rows, and graph
  elements when the result holds nodes, relationships or paths;
* :func:`saved_query_view` loads a saved query with its parameters at their defaults;
* :func:`result_csv` turns the stored result back into the runner's CSV.

The editor is a plain ``<textarea>`` (keyboard-accessible: Tab leaves it, as everywhere) laid over a
``<pre>`` that shows the same text highlighted. The highlighter is a small regex tokenizer in
``webapp/assets/cypher.js`` run by a clientside callback, so colours follow every keystroke
without a server round trip (and no JavaScript package is needed).

On the embedded store (``make run``) the page says in one sentence what to run instead
(``make run-neo4j``), with the two ``ipeco`` commands for an install without make, and its Run
button is disabled rather than failing on every click.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Final

import dash_cytoscape as cyto
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dash_table, dcc, html, no_update
from dash.exceptions import PreventUpdate

from graph.errors import IpecoError
from graph.query import (
    DEFAULT_ROW_LIMIT,
    SWITCH_COMMAND,
    QueryError,
    QueryRefused,
    QueryResult,
    QueryTimeout,
    QueryUnavailable,
    default_max_bytes,
    parse_params,
)
from graph.store import StoreUnavailable
from graph.words import normalise_lang, t
from webapp import ids
from webapp.components import aria, labelled, view_store
from webapp.console_pool import ConsolePool
from webapp.data import DataSource
from webapp.elements import MAX_ELEMENTS, _node_element, base_stylesheet
from webapp.state import encode_query

PATH = "/query"
NAV = "nav.query"
SERVE_COMMAND: Final = "ipeco --store neo4j serve"
DEFAULT_QUERY: Final = "MATCH (o:Organization)-[r:SUPPORTS]->(f:Company)\nRETURN o, r, f\nLIMIT 25"

log = logging.getLogger(__name__)
_POOL: list[ConsolePool] = []


def console_pool() -> ConsolePool:
    """The process's console pool (created on first use: its lock files live in the temp folder)."""
    if not _POOL:
        _POOL.append(ConsolePool())
    return _POOL[0]


def console_max_bytes() -> int:
    """The payload cap of one console run: everything the page receives (table, kept result, graph)."""
    return default_max_bytes()


#: Room for the response's own fields (status, notice, columns) beside the rows.
_ENVELOPE: Final = 4096


def _sent_size(value: Any) -> int:
    """Bytes of ``value`` in the response: Dash writes JSON with non-ASCII characters escaped (``\\uXXXX``)."""
    return len(json.dumps(value, default=str))


def fit_to_cap(result: QueryResult, cap: int) -> list[dict[str, Any]]:
    """The table rows of ``result``, cut (with ``result``'s own rows) so that the page receives at most ``cap``.

    A run sends each row twice — as a table row and in the result kept for the CSV download — plus the
    graph elements, so the runner's cap on the rows alone would let the response reach twice the cap.
    """
    data = [{f"c{i}": cell_text(v) for i, v in enumerate(row)} for row in result.rows]
    budget = cap - _ENVELOPE - _sent_size(result_elements(result.rows, "ja"))
    used = 0
    for index, (row, shown) in enumerate(zip(result.rows, data, strict=True)):
        size = _sent_size(row) + _sent_size(shown) + 2
        if used + size > budget:
            result.rows, result.cut_bytes, result.truncated = result.rows[:index], True, False
            result.byte_limit, result.payload_bytes = cap, used
            return data[:index]
        used += size
    return data


# --- plain functions (the callbacks' logic) --------------------------------------------------------
@dataclass
class ConsoleOutput:
    """Everything one run shows; ``result`` is the runner's ``as_dict()`` for the CSV download."""

    status: str = ""
    notice: str = ""
    error: str = ""
    columns: list[dict[str, str]] = field(default_factory=list)
    data: list[dict[str, Any]] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] | None = None


def error_sentence(exc: Exception, lang: str) -> str:
    """The one sentence a failed run shows, prefixed in the UI language."""
    if isinstance(exc, QueryUnavailable):
        return t("query.embedded", lang)
    if isinstance(exc, QueryRefused):
        return t("query.refused", lang) + " ".join(exc.reason(lang).split())
    if isinstance(exc, QueryTimeout):
        return t("query.timeout", lang) + " ".join(exc.text(lang).split())
    if isinstance(exc, QueryError):
        return t("query.error", lang) + " ".join(exc.text(lang).split())
    # the store's own words name the address that failed; the sentence around them is in ``lang``
    return f"{t('common.unavailable', lang)} {t('banner.store_hint', lang)} ({' '.join(str(exc).split())})"


def console_params(values: dict[str, Any], extra: str | None = None) -> dict[str, Any]:
    """Parameters from the inputs: ``{name: (text, kind)}`` plus ``name=value`` lines of ``extra``.

    An input whose saved default is text stays text (``"2024"`` remains a string); any other input
    is read as JSON when it parses (``200`` → 200) and as text otherwise, like ``--param``.
    """
    params: dict[str, Any] = {}
    for name, (text, kind) in values.items():
        text = "" if text is None else str(text)
        params.update({name: text} if kind == "str" else parse_params([f"{name}={text}"]))
    lines = [line.strip() for line in (extra or "").splitlines() if line.strip()]
    params.update(parse_params(lines))
    return params


def cell_text(value: Any) -> Any:
    """A table cell: scalars as they are, a node as ``(:Label) name``, anything else as compact JSON."""
    if value is None or (isinstance(value, int | float | str) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_node(value):
        props = value["properties"]
        name = props.get("name") or props.get("name_en") or value["id"]
        return f"({':'.join(['', *value['labels']])}) {name}"
    if _is_relationship(value):
        return f"[:{value['type']}] {value['start']} → {value['end']}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _is_node(value: Any) -> bool:
    return isinstance(value, dict) and {"id", "element_id", "labels", "properties"} <= value.keys()


def _is_relationship(value: Any) -> bool:
    return isinstance(value, dict) and {"type", "start", "end", "element_id"} <= value.keys()


def result_elements(rows: list[list[Any]], lang: str, limit: int = MAX_ELEMENTS) -> list[dict[str, Any]]:
    """Cytoscape elements for the nodes and relationships anywhere in ``rows`` (paths and lists too).

    A relationship whose end nodes were not returned still gets them, as bare nodes named by id, so
    no edge dangles. At most ``limit`` elements, like the map.
    """
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[str, dict[str, Any]] = {}

    def walk(value: Any) -> None:
        if _is_node(value):
            attrs = {**value["properties"], "labels": value["labels"]}
            nodes.setdefault(value["id"], _node_element(value["id"], attrs, lang))
        elif _is_relationship(value):
            if value["start"] is None or value["end"] is None:
                return
            edges.setdefault(
                value["element_id"],
                {
                    "data": {
                        "id": f"rel:{value['element_id']}",
                        "source": value["start"],
                        "target": value["end"],
                        "label": value["type"],
                        "width": 2,
                    },
                    "classes": value["type"],
                },
            )
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for row in rows:
        for value in row:
            walk(value)
            if len(nodes) + len(edges) >= limit:
                break
    for edge in edges.values():
        for end in (edge["data"]["source"], edge["data"]["target"]):
            nodes.setdefault(end, _node_element(end, {"name": end}, lang))
    return [*nodes.values(), *edges.values()][:limit]


def console_run(
    ds: DataSource,
    cypher: str | None,
    params: dict[str, Any] | None,
    lang: str,
    *,
    extra: str | None = None,
    row_limit: int | None = None,
    user: str = "local",
) -> ConsoleOutput:
    """Run ``cypher`` through the guarded runner and shape what the page shows (never raises).

    ``params`` is ``{name: (text, kind)}`` from the parameter inputs (see :func:`console_params`).
    The run holds a slot of the console pool (:mod:`webapp.console_pool`) for ``user``: when none is
    free the page says so and nothing runs.
    """
    lang = normalise_lang(lang)
    if not (cypher or "").strip():
        return ConsoleOutput(error=t("query.empty", lang))
    try:
        values = console_params(params or {}, extra)
    except QueryError as exc:
        return ConsoleOutput(error=t("query.bad_param", lang) + " ".join(exc.text(lang).split()))
    limit = max(1, min(int(row_limit or DEFAULT_ROW_LIMIT), DEFAULT_ROW_LIMIT))
    try:
        with console_pool().slot(user):
            result: QueryResult = ds.run_query(cypher or "", values, row_limit=limit, max_bytes=console_max_bytes())
    except (QueryError, StoreUnavailable) as exc:
        return ConsoleOutput(error=error_sentence(exc, lang))
    columns = [{"name": name, "id": f"c{i}"} for i, name in enumerate(result.columns)]
    data = fit_to_cap(result, console_max_bytes())
    if result.cut_bytes:  # the payload cap: the sentence says where the result was cut
        notice = (result.notice_ja() if lang == "ja" else result.notice) or ""
    else:
        notice = t("query.truncated", lang, limit=f"{result.row_limit:,}") if result.truncated else ""
    status = t("query.rows", lang, rows=f"{len(result.rows):,}", ms=f"{result.elapsed_ms:.0f}")
    return ConsoleOutput(
        status=status,
        notice=notice,
        columns=columns,
        data=data,
        elements=result_elements(result.rows, lang),
        result=result.as_dict(),
    )


def result_csv(stored: dict[str, Any]) -> str:
    """The runner's CSV (:meth:`QueryResult.to_csv`) of a result kept as ``as_dict()`` in the page."""
    fields = {k: stored[k] for k in ("columns", "rows", "truncated", "elapsed_ms", "notifications", "row_limit")}
    return QueryResult(**fields).to_csv()


def param_inputs(query: Any, lang: str) -> list[Any]:
    """One labelled text input per parameter of a saved query, filled with its default."""
    if query is None or not query.params:
        return [html.P(t("query.no_params", lang), className="banner-detail")]
    out = []
    for p in query.params:
        pid = {"type": ids.QUERY_PARAM, "name": p.name, "kind": "str" if isinstance(p.default, str) else "json"}
        shown = p.default if isinstance(p.default, str) else json.dumps(p.default, ensure_ascii=False)
        hint = p.description_ja if lang == "ja" else p.description_en
        out.append(
            html.Div(
                [
                    html.Label([html.Code(f"${p.name}"), " ", html.Span(hint, className="banner-detail")]),
                    dcc.Input(id=pid, value=shown, type="text", debounce=False, className="param-input"),
                ],
                className="control",
            )
        )
    return out


def saved_query_view(query_id: str | None, lang: str) -> tuple[str, list[Any]]:
    """Editor text and parameter inputs for a saved query (the default query when there is none)."""
    query = next((q for q in DataSource.saved_queries() if q.id == query_id), None)
    if query is None:
        return DEFAULT_QUERY, param_inputs(None, lang)
    return query.cypher.rstrip() + "\n", param_inputs(query, lang)


def _view(saved: str | None, lang: str) -> dict[str, str]:
    return {"path": PATH, "query": encode_query({"saved": saved, "lang": lang if lang != "ja" else None})}


# --- layout -------------------------------------------------------------------------------------
def _switch_box(lang: str) -> html.Div:
    return html.Div(
        [
            html.P(t("query.embedded", lang), className="console-switch-what"),
            html.P(t("query.then_serve", lang)),
            html.Pre(html.Code(f"{SWITCH_COMMAND}\n{SERVE_COMMAND}")),
        ],
        className="banner banner-synthetic console-switch",
        role="note",
    )


def _saved_list(lang: str, selected: str | None) -> html.Ul:
    items = []
    for q in DataSource.saved_queries():
        items.append(
            html.Li(
                html.Button(
                    [html.Strong(q.title(lang)), html.Span(q.description(lang), className="saved-desc")],
                    id={"type": ids.QUERY_SAVED, "query": q.id},
                    n_clicks=0,
                    className="saved-button" + (" is-selected" if q.id == selected else ""),
                    title=q.id,
                )
            )
        )
    return html.Ul(items, id=ids.QUERY_SAVED_LIST, className="saved-list")


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    saved = params.get("saved") or None
    if saved not in {q.id for q in ds.saved_queries()}:
        saved = None
    try:
        ds.graph()
    except IpecoError:  # only words here; the shell banner says what failed
        log.debug("store not readable while rendering the console", exc_info=True)
    on_neo4j = ds.store_kind == "neo4j"
    text, inputs = saved_query_view(saved, lang)
    view = _view(saved, lang)
    return html.Div(
        [
            view_store("query", PATH, view["query"]),
            dcc.Store(id=ids.QUERY_LANG, data=lang),
            dcc.Store(id=ids.QUERY_SELECTED, data=saved),
            dcc.Store(id=ids.QUERY_RESULT, data=None),
            dcc.Download(id=ids.QUERY_DOWNLOAD),
            html.H2(t("query.title", lang)),
            html.P(t("query.intro", lang)),
            *([] if on_neo4j else [_switch_box(lang)]),
            _body(lang, saved, text, inputs, on_neo4j),
        ],
        className="page",
    )


def _editor(text: str) -> html.Div:
    """The Cypher box, with its highlighted copy underneath (``assets/cypher.js``)."""
    return html.Div(
        [
            html.Pre(id=ids.QUERY_HIGHLIGHT, className="cypher-highlight", **aria("hidden", "true")),
            dcc.Textarea(
                id=ids.QUERY_EDITOR,
                value=text,
                className="cypher-input",
                spellCheck=False,
                rows=4,
                persistence=False,
            ),
        ],
        className="cypher-editor",
    )


def _actions(lang: str, on_neo4j: bool) -> html.Div:
    return html.Div(
        [
            labelled(
                t("query.row_limit", lang),
                dcc.Input(
                    id=ids.QUERY_ROW_LIMIT,
                    type="number",
                    min=1,
                    max=DEFAULT_ROW_LIMIT,
                    step=1,
                    value=DEFAULT_ROW_LIMIT,
                    className="row-limit",
                ),
                ids.QUERY_ROW_LIMIT,
            ),
            html.Button(
                t("query.run", lang),
                id=ids.QUERY_RUN,
                n_clicks=0,
                className="button button-primary",
                disabled=not on_neo4j,  # the box above says what to run instead
                title="" if on_neo4j else t("query.embedded", lang),
            ),
            html.Button(t("query.csv", lang), id=ids.QUERY_CSV_BTN, n_clicks=0, className="button", disabled=True),
        ],
        className="controls-row console-actions",
    )


def _results(lang: str) -> html.Div:
    """Status, notices, the table and the graph of a run's result (empty until a run)."""
    return html.Div(
        [
            html.Div(id=ids.QUERY_STATUS, role="status", className="console-status"),
            html.Div(id=ids.QUERY_NOTICE, role="status", className="banner banner-synthetic", hidden=True),
            html.Div(id=ids.QUERY_ERROR, role="alert", className="banner banner-error", hidden=True),
            dash_table.DataTable(  # type: ignore[attr-defined]  # dash_table is untyped
                id=ids.QUERY_TABLE,
                columns=[],
                data=[],
                page_size=25,
                sort_action="native",
                style_table={"overflowX": "auto"},
                style_cell={"textAlign": "left", "maxWidth": 360, "whiteSpace": "normal", "fontSize": 12},
                style_header={"fontWeight": "bold"},
            ),
            html.Details(
                [
                    html.Summary(t("query.graph", lang)),
                    cyto.Cytoscape(
                        id=ids.QUERY_GRAPH,
                        elements=[],
                        layout={"name": "cose", "animate": False},
                        stylesheet=base_stylesheet(),
                        style={"width": "100%", "height": "420px"},
                        minZoom=0.05,
                        maxZoom=4,
                    ),
                ],
                id=ids.QUERY_GRAPH_BOX,
                open=True,
                hidden=True,
                className="console-graph",
            ),
        ],
        className="console-results",
    )


def _body(lang: str, saved: str | None, text: str, inputs: Any, on_neo4j: bool) -> html.Div:
    """The saved queries beside the editor, its parameters, the actions and the results."""
    return html.Div(
        [
            html.Aside(
                [html.H3(t("query.saved", lang)), html.P(t("query.saved_hint", lang)), _saved_list(lang, saved)],
                className="console-saved",
                **aria("label", t("query.saved", lang)),
            ),
            html.Section(
                [
                    html.Label(t("query.editor", lang), htmlFor=ids.QUERY_EDITOR, className="editor-label"),
                    _editor(text),
                    html.P(t("query.editor_hint", lang), className="banner-detail"),
                    html.Fieldset(
                        [
                            html.Legend(t("query.params", lang)),
                            html.Div(inputs, id=ids.QUERY_PARAMS),
                            labelled(
                                t("query.extra_params", lang),
                                dcc.Textarea(id=ids.QUERY_EXTRA_PARAMS, value="", rows=2, className="extra-params"),
                                ids.QUERY_EXTRA_PARAMS,
                            ),
                        ]
                    ),
                    _actions(lang, on_neo4j),
                    _results(lang),
                ],
                className="console-main",
            ),
        ],
        className="console",
    )


# --- callbacks ----------------------------------------------------------------------------------
def _requester() -> str:
    """Who runs a console query: the logged-in user, else the client's address."""
    from flask import request

    auth = request.authorization
    return f"user:{auth.username}" if auth and auth.username else f"addr:{request.remote_addr or 'unknown'}"


def register(app: Any, ds: DataSource) -> None:
    """The console's callbacks: highlighting and saved queries, a run, the CSV download."""
    _register_editor(app)
    _register_run(app, ds)


def _register_editor(app: Any) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="ipeco", function_name="highlightCypher"),
        Output(ids.QUERY_HIGHLIGHT, "children"),
        Input(ids.QUERY_EDITOR, "value"),
    )

    @app.callback(
        Output(ids.QUERY_EDITOR, "value"),
        Output(ids.QUERY_PARAMS, "children"),
        Output(ids.QUERY_SELECTED, "data"),
        Output({"type": ids.VIEW, "page": "query"}, "data"),
        Output({"type": ids.QUERY_SAVED, "query": ALL}, "className"),
        Input({"type": ids.QUERY_SAVED, "query": ALL}, "n_clicks"),
        State(ids.QUERY_LANG, "data"),
        prevent_initial_call=True,
    )
    def pick_saved(clicks: list[int | None], lang: str) -> tuple[Any, ...]:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            raise PreventUpdate
        query_id = trigger["query"]
        text, inputs = saved_query_view(query_id, lang)
        classes = [
            "saved-button" + (" is-selected" if item["id"]["query"] == query_id else "") for item in ctx.inputs_list[0]
        ]
        return text, inputs, query_id, _view(query_id, lang), classes


def _register_run(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(ids.QUERY_STATUS, "children"),
        Output(ids.QUERY_NOTICE, "children"),
        Output(ids.QUERY_NOTICE, "hidden"),
        Output(ids.QUERY_ERROR, "children"),
        Output(ids.QUERY_ERROR, "hidden"),
        Output(ids.QUERY_TABLE, "columns"),
        Output(ids.QUERY_TABLE, "data"),
        Output(ids.QUERY_GRAPH, "elements"),
        Output(ids.QUERY_GRAPH_BOX, "hidden"),
        Output(ids.QUERY_RESULT, "data"),
        Output(ids.QUERY_CSV_BTN, "disabled"),
        Input(ids.QUERY_RUN, "n_clicks"),
        State(ids.QUERY_EDITOR, "value"),
        State({"type": ids.QUERY_PARAM, "name": ALL, "kind": ALL}, "value"),
        State({"type": ids.QUERY_PARAM, "name": ALL, "kind": ALL}, "id"),
        State(ids.QUERY_EXTRA_PARAMS, "value"),
        State(ids.QUERY_ROW_LIMIT, "value"),
        State(ids.QUERY_LANG, "data"),
        prevent_initial_call=True,
    )
    def run(
        _: int,
        cypher: str,
        values: list[Any],
        param_ids: list[dict[str, str]],
        extra: str,
        row_limit: int | None,
        lang: str,
    ) -> tuple[Any, ...]:
        params = {pid["name"]: (value, pid["kind"]) for pid, value in zip(param_ids, values, strict=True)}
        out = console_run(ds, cypher, params, lang, extra=extra, row_limit=row_limit, user=_requester())
        return (
            out.status,
            out.notice,
            not out.notice,
            out.error,
            not out.error,
            out.columns,
            out.data,
            out.elements,
            not out.elements,
            out.result,
            out.result is None,
        )

    @app.callback(
        Output(ids.QUERY_DOWNLOAD, "data"),
        Input(ids.QUERY_CSV_BTN, "n_clicks"),
        State(ids.QUERY_RESULT, "data"),
        prevent_initial_call=True,
    )
    def download_csv(clicks: int, stored: dict[str, Any] | None) -> Any:
        if not clicks or not stored:
            return no_update
        return dcc.send_string(result_csv(stored), "ipeco-query.csv")

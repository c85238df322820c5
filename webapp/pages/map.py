"""Map page: a region's ecosystem in dash-cytoscape, with filters, search and a node detail panel.

Callbacks are thin: each one turns control values into a :class:`MapState` and hands it to the
plain functions of :mod:`webapp.elements` and :mod:`webapp.pages.map_detail`. Selection and paths
change the stylesheet, not the elements, so clicking around does not re-run the layout.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import dash_cytoscape as cyto
import networkx as nx
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from graph.exports import EXPORT_FORMATS, SUFFIXES, ExportError
from graph.schema import PHASES
from graph.store import StoreUnavailable
from graph.words import phase_name, t
from webapp import ids, timeline
from webapp.components import aria, labelled, region_options, resolve_region, store_message, view_store
from webapp.data import MEASURES, DataSource, display_name, node_kind
from webapp.detail import detail_panel, path_between, search_options
from webapp.elements import (
    MAX_ELEMENTS,
    MapResult,
    _element_count,
    _group_key,
    build_map,
    filter_options,
    filter_view,
    highlight_stylesheet,
    merge_graphs,
)
from webapp.layout import Point, positions_for
from webapp.state import LAYOUTS, MapState

PATH = "/"
NAV = "nav.map"

#: Controls whose values make up the map state, in callback order.
_CONTROLS = (
    ids.REGION,
    ids.ROLE,
    ids.PHASE,
    ids.PROGRAMME,
    ids.FISCAL_YEAR,
    ids.TIE,
    ids.DATA,
    ids.LAYOUT,
    ids.SIZE_BY,
    ids.COLOR_BY,
    ids.AGGREGATE_BY,
    ids.IP_LAYER,
    timeline.YEAR,
)
_NODE_LIST_LIMIT = 300


def search_label(view: Any, lang: str) -> str:
    """The search box's label, promising only what the region's data holds: ふりがな and 法人番号
    are named only when some organisation of the view carries them (the bundled seed has neither)."""
    fields = ["name"]
    for prop in ("furigana", "corporate_number"):
        if any(attrs.get(prop) for _, attrs in view.nodes(data=True)):
            fields.append(prop)
    joiner = "・" if lang == "ja" else ", "
    return t("map.search", lang, fields=joiner.join(t(f"map.search.{f}", lang) for f in fields))


def state_from_controls(
    values: list[Any], lang: str, sel: str = "", group: str = "", expand: list[str] | None = None, path: str | None = ""
) -> MapState:
    """The :class:`MapState` for the control values in :data:`_CONTROLS` order."""
    region, roles, phases, programmes, years, ties, data, layout, size, color, agg, ip, year = values
    return MapState.from_params(
        {
            "region": region or "",
            "roles": roles or [],
            "phases": phases or [],
            "programmes": programmes or [],
            "years": years or [],
            "ties": ties or [],
            "data": data or "all",
            "layout": layout or "fcose",
            "size": size or "degree",
            "color": color or "role",
            "agg": agg or "role",
            "ip": "1" if ip else "",
            "year": timeline.slider_year(year),
            "sel": sel or "",
            "group": group or "",
            "expand": expand or [],
            "path": path or "",
            "lang": lang,
        }
    )


def measure_options(lang: str, *, with_role: bool) -> list[dict[str, str]]:
    first = [{"label": t("measure.role", lang), "value": "role"}] if with_role else []
    extra = (
        [{"label": t("measure.community", lang), "value": "community"}]
        if with_role
        else [{"label": t("measure.uniform", lang), "value": "uniform"}]
    )
    return first + extra + [{"label": t(f"measure.{m}", lang), "value": m} for m in MEASURES]


def _measures_for(ds: DataSource, state: MapState) -> dict[str, Any]:
    """The service's measures the view needs (degree only unless a measure is asked for).

    Degree is the analysis's own number, read from its organisation graph without waiting for the
    whole analysis, so the default map does not wait for analytics.
    """
    needs = {state.size, state.color} - {"role", "uniform", "degree"}
    if state.year:  # the map as of a fiscal year (issue 21): that year's measures
        return timeline.year_measures(ds, state, needs) or {}
    if state.layout == "concentric" or state.agg == "community" or needs:
        return ds.measures(state.region)
    return {node: {"degree": d} for node, d in ds.degrees(state.region).items()}


def _unfiltered(ds: DataSource, state: MapState) -> nx.MultiDiGraph:
    view = timeline.year_view(ds, state)  # the region as of the slider's fiscal year (issue 21)
    if view is None:
        view = ds.region_view(state.region, real_only=state.data == "real")
    if state.expand:
        view = merge_graphs(view, [ds.neighbourhood(n) for n in state.expand])
    return view


def map_view(ds: DataSource, state: MapState) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    """The filtered graph of the state's region (with expanded neighbourhoods) and its measures."""
    return filter_view(_unfiltered(ds, state), state), _measures_for(ds, state)


def map_positions(ds: DataSource, state: MapState) -> dict[str, Point] | None:
    """The region's positions for the state's layout, computed once per region and data version.

    Laid out on the region without its filters, real and synthetic alike (only expanded
    neighbourhoods add nodes), so switching a filter hides nodes and never moves the others. None
    when the region is too large to draw node by node (the map then shows groups).
    """
    _, version = ds.graph()
    size = state.size if state.layout == "concentric" and state.size not in ("role", "uniform") else "degree"
    key = ("map-layout", version, state.region, state.layout, size, tuple(state.expand))

    def compute() -> dict[str, Point] | None:
        # all data, real and synthetic, rights too: "real only" then hides the demo firms, and the 知財
        # layer off hides the rights, without moving the others
        everything = MapState(region=state.region, expand=state.expand, ip="1")
        base = filter_view(_unfiltered(ds, everything), everything)
        if _element_count(base) > MAX_ELEMENTS:
            return None
        measures = ds.measures(state.region) if size != "degree" else None
        values = (
            {n: row[size] for n, row in measures.items() if row.get(size) is not None}
            if measures
            else dict(ds.degrees(state.region))
        )
        return positions_for(base, state.layout, values)

    return ds.cached(key, compute)


def ip_marks(ds: DataSource, state: MapState) -> dict[str, str]:
    """The 知財 layer's marks (node → ``holder`` / ``body``) from the service; none while the layer is off."""
    if not state.ip:
        return {}
    report = ds.ip(state.region)
    marks = dict.fromkeys(sorted(report.support_bodies), "body")
    marks.update(dict.fromkeys(sorted(report.holders - report.support_bodies), "holder"))
    return marks


def map_result(ds: DataSource, state: MapState) -> MapResult:
    """What the map callback returns for ``state`` (the function the bench times)."""
    _, version = ds.graph()
    key = (
        "map",
        version,
        state.region,
        tuple(state.roles),
        tuple(state.phases),
        tuple(state.programmes),
        tuple(state.years),
        tuple(state.ties),
        state.data,
        state.layout,
        state.size,
        state.color,
        state.agg,
        state.ip,
        state.year,
        state.group,
        tuple(state.expand),
        state.lang,
    )

    def compute() -> MapResult:
        view, measures = map_view(ds, state)
        positions = None if state.group else map_positions(ds, state)
        result = build_map(view, state, measures, positions=positions, ip_marks=ip_marks(ds, state))
        return timeline.mark_new_ties(result, view, state)

    # Cached per view and data version: going back to an earlier view, or a second user opening the
    # same link, costs nothing. Callers must not mutate the result.
    return ds.cached(key, compute)


def export_spec(ds: DataSource, result: MapResult, state: MapState) -> dict[str, Any]:
    """What the PNG/SVG export prints besides the graph: title, subtitle, legend, file name."""
    names = {r["key"]: (r["name_en"] if state.lang == "en" else r["name"]) for r in ds.regions()}
    region = names.get(state.region, state.region)
    size = t(f"measure.{state.size}", state.lang)
    return {
        "title": t("map.export_title", state.lang, region=region),
        "subtitle": f"{result.notice} · {t('legend.size_by', state.lang, measure=size)} · ipeco",
        "legendTitle": t("legend.title", state.lang),
        "items": [*result.legend, {"color": "#ffffff", "label": t("legend.synthetic", state.lang), "shape": "ellipse"}],
        "filename": f"ipeco-{state.region or 'map'}",
    }


def legend_children(result: MapResult, lang: str, size: str = "degree") -> list[Any]:
    """The legend as a strip above the canvas (never over the graph): the shapes and colours drawn."""
    items = [
        html.Li([html.Span(className=f"swatch shape-{e['shape']}", style={"backgroundColor": e["color"]}), e["label"]])
        for e in result.legend
    ]
    items.append(html.Li([html.Span(className="swatch swatch-synthetic"), t("legend.synthetic", lang)]))
    if result.aggregated:
        items.append(html.Li([html.Span(className="swatch swatch-aggregate"), t("legend.aggregate", lang)]))
    if size not in ("role", "uniform"):
        items.append(html.Li(t("legend.size_by", lang, measure=t(f"measure.{size}", lang)), className="legend-note"))
    items.append(html.Li(t("legend.labels", lang), className="legend-note"))
    return [html.H3(t("legend.title", lang)), html.Ul(items, className="legend-list")]


def node_list_children(ds: DataSource, result: MapResult, region: str, lang: str) -> list[Any]:
    """Every drawn node as a button: the keyboard path to a node (the canvas is mouse-only)."""
    graph, _ = ds.graph()
    buttons = []
    for node in result.node_ids[:_NODE_LIST_LIMIT]:
        if node.startswith("group:"):
            continue
        attrs = graph.nodes[node] if node in graph else {}
        buttons.append(
            html.Li(
                html.Button(
                    display_name(attrs, lang, node),
                    id={"type": ids.PICK, "node": node},
                    className="link-button",
                    n_clicks=0,
                )
            )
        )
    more = len(result.node_ids) - _NODE_LIST_LIMIT
    if more > 0:
        buttons.append(html.Li(t("detail.more", lang, n=more)))
    return [html.Summary(t("map.nodes", lang)), html.Ul(buttons, className="node-list")]


def export_bar(lang: str) -> html.Div:
    """PNG/SVG of the whole map with title and legend (``assets/map.js``) and the region's graph files."""
    formats = [{"label": f, "value": f} for f in EXPORT_FORMATS]
    return html.Div(
        [
            html.Span(t("export.title", lang), className="export-title"),
            html.Button(t("export.png", lang), id=ids.MAP_PNG_BTN, n_clicks=0, className="button"),
            html.Button(t("export.svg", lang), id=ids.MAP_SVG_BTN, n_clicks=0, className="button"),
            html.Label(t("export.format", lang), htmlFor=ids.MAP_EXPORT_FORMAT, className="export-label"),
            dcc.Dropdown(
                id=ids.MAP_EXPORT_FORMAT,
                options=formats,
                value="graphml",
                clearable=False,
                searchable=False,
                className="export-format",
            ),
            html.Button(t("export.download", lang), id=ids.MAP_EXPORT_BTN, n_clicks=0, className="button"),
            html.Span(id=ids.MAP_EXPORT_STATUS, role="status", className="banner-detail"),
        ],
        className="export-bar",
        role="group",
        **aria("label", t("export.title", lang)),
    )


def export_file(ds: DataSource, region: str, fmt: str, *, real_only: bool = False) -> tuple[bytes, str]:
    """The region's graph in ``fmt`` as ``(content, filename)``: one file, or a zip for ``csv``.

    Written by :func:`graph.exports.export_graph` (what ``ipeco export`` writes) into a temporary
    folder that is gone when this returns.
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        raise ExportError(msg)
    stem = f"ipeco-{region}" + ("-real" if real_only else "")
    with tempfile.TemporaryDirectory(prefix="ipeco-export-") as tmp:
        target = Path(tmp) / (stem if fmt == "csv" else stem + SUFFIXES[fmt])
        files = ds.export_region(region, fmt, target, real_only=real_only)
        if fmt != "csv":
            return target.read_bytes(), target.name
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, f"{stem}/{path.name}")
        return buffer.getvalue(), f"{stem}-neo4j-admin-csv.zip"


def layout(ds: DataSource, **params: Any) -> Any:
    """The page for a deep link: every control starts from the query string."""
    state = MapState.from_params(params)
    lang = state.lang
    try:
        regions = region_options(ds, lang)
        state.region = resolve_region(ds, state.region)
        if not state.region:
            return html.Div([html.P(t("banner.empty", lang), className="page-message"), dcc.Store(id=ids.LANG)])
        options = filter_options(ds.region_view(state.region), lang)
        selected_options = search_options(ds, state.region, "", lang, keep=state.sel)
        graph, _ = ds.graph()
        path_options = (
            [{"label": display_name(graph.nodes[state.path], lang, state.path), "value": state.path}]
            if state.path in graph
            else []
        )
    except StoreUnavailable as exc:
        return store_message(lang, exc)

    def multi(cid: str, opts: list[dict[str, str]], value: list[str], label: str) -> Any:
        return labelled(
            label, dcc.Dropdown(id=cid, options=opts, value=value, multi=True, placeholder=t("map.any", lang)), cid
        )

    def single(cid: str, opts: list[dict[str, str]], value: str, label: str) -> Any:
        return labelled(label, dcc.Dropdown(id=cid, options=opts, value=value, clearable=False), cid)

    phases = [{"label": phase_name(p, lang), "value": p} for p in PHASES]
    data_choices = [{"label": t(f"map.data.{k}", lang), "value": k} for k in ("all", "real", "synthetic")]
    layouts = [{"label": t(f"layout.{k}", lang), "value": k} for k in LAYOUTS]
    aggregates = [{"label": t(f"aggregate.{k}", lang), "value": k} for k in ("role", "community")]
    sidebar = html.Aside(
        [
            single(ids.REGION, regions, state.region, t("map.region", lang)),
            labelled(
                search_label(ds.region_view(state.region), lang),
                dcc.Dropdown(
                    id=ids.SEARCH,
                    options=selected_options,
                    value=state.sel or None,
                    placeholder=t("map.search_placeholder", lang),
                ),
                ids.SEARCH,
            ),
            html.Fieldset(
                [
                    html.Legend(t("map.filters", lang)),
                    multi(ids.ROLE, options["roles"], state.roles, t("map.role", lang)),
                    multi(ids.PHASE, phases, state.phases, t("map.phase", lang)),
                    multi(ids.PROGRAMME, options["programmes"], state.programmes, t("map.programme", lang)),
                    multi(ids.FISCAL_YEAR, options["years"], state.years, t("map.fiscal_year", lang)),
                    multi(ids.TIE, options["ties"], state.ties, t("map.tie", lang)),
                    labelled(
                        t("map.data", lang),
                        dcc.RadioItems(id=ids.DATA, options=data_choices, value=state.data, inline=True),
                        ids.DATA,
                    ),
                ]
            ),
            html.Fieldset(
                [
                    html.Legend(t("map.view", lang)),
                    single(ids.LAYOUT, layouts, state.layout, t("map.layout", lang)),
                    single(ids.SIZE_BY, measure_options(lang, with_role=False), state.size, t("map.size_by", lang)),
                    single(ids.COLOR_BY, measure_options(lang, with_role=True), state.color, t("map.color_by", lang)),
                    single(ids.AGGREGATE_BY, aggregates, state.agg, t("map.aggregate_by", lang)),
                    html.Div(
                        dcc.Checklist(
                            id=ids.IP_LAYER,
                            options=[{"label": t("ip.layer", lang), "value": "on"}],
                            value=["on"] if state.ip else [],
                            inline=True,
                        ),
                        title=t("ip.layer.title", lang),
                        className="ip-layer",
                    ),
                ]
            ),
        ],
        className="sidebar",
        **aria("label", t("map.filters", lang)),
    )
    canvas = html.Section(
        [
            timeline.slider(ds, state),
            html.Div(
                [
                    html.Span(id=ids.NOTICE, role="status"),
                    html.Button(t("map.overview", lang), id=ids.OVERVIEW_BTN, n_clicks=0, hidden=not state.group),
                ],
                className="notice-bar",
            ),
            html.Div(id=ids.LEGEND, className="legend"),
            cyto.Cytoscape(
                id=ids.CYTO,
                elements=[],
                layout={"name": "preset"},
                stylesheet=highlight_stylesheet(),
                className="cyto",
                style={"width": "100%", "height": "100%", "minHeight": "420px"},
                # gentle zoom: one wheel notch is about ×1.2, not ×3
                wheelSensitivity=0.2,
                minZoom=0.08,
                maxZoom=3,
                boxSelectionEnabled=False,
                responsive=True,
            ),
            export_bar(lang),
            html.Details(id=ids.NODE_LIST, className="node-list-box"),
        ],
        className="canvas",
    )
    detail = html.Aside(
        [
            html.H2(t("detail.title", lang)),
            html.Div(id=ids.DETAIL, children=html.P(t("detail.empty", lang))),
            html.Div(
                [
                    html.Button(t("detail.expand", lang), id=ids.EXPAND_BTN, n_clicks=0, disabled=not state.sel),
                    labelled(
                        t("detail.path_to", lang),
                        # the link's path target is an option from the start, so the menu keeps it
                        dcc.Dropdown(id=ids.PATH_TO, options=path_options, value=state.path or None),
                        ids.PATH_TO,
                    ),
                    html.Div(id=ids.PATH_INFO, role="status"),
                ],
                className="detail-actions",
            ),
        ],
        className="detail",
        **aria("label", t("detail.title", lang)),
    )
    stores = [
        dcc.Store(id=ids.LANG, data=lang),
        dcc.Store(id=ids.SELECTED, data=state.sel),
        dcc.Store(id=ids.GROUP, data=state.group),
        dcc.Store(id=ids.EXPAND, data=state.expand),
        dcc.Download(id=ids.MAP_DOWNLOAD),
        dcc.Store(id=ids.MAP_PATH, data=[]),
        dcc.Store(id=ids.MAP_EXPORT_SPEC),
        dcc.Store(id=ids.MAP_FOCUS),
        view_store("map", PATH, state.to_query()),
    ]
    return html.Div([*stores, sidebar, canvas, detail], className="map-page")


def register(app: Any, ds: DataSource) -> None:
    """Attach the map callbacks to ``app``."""
    controls = [Input(c, "value") for c in _CONTROLS]
    timeline.register(app, ds)

    @app.callback(
        Output(ids.ROLE, "options"),
        Output(ids.PROGRAMME, "options"),
        Output(ids.FISCAL_YEAR, "options"),
        Output(ids.TIE, "options"),
        Input(ids.REGION, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def region_filters(region: str, lang: str) -> tuple[Any, ...]:
        return region_filter_options(ds, region, lang)

    @app.callback(
        Output(ids.CYTO, "elements"),
        Output(ids.CYTO, "layout"),
        Output(ids.LEGEND, "children"),
        Output(ids.NOTICE, "children"),
        Output(ids.OVERVIEW_BTN, "hidden"),
        Output(ids.NODE_LIST, "children"),
        Output(ids.MAP_EXPORT_SPEC, "data"),
        *controls,
        Input(ids.GROUP, "data"),
        Input(ids.EXPAND, "data"),
        State(ids.LANG, "data"),
    )
    def draw(*args: Any) -> tuple[Any, ...]:
        *values, group, expand, lang = args
        return map_outputs(ds, values, group, expand, lang)

    @app.callback(
        Output(ids.SELECTED, "data"),
        Output(ids.GROUP, "data"),
        Output(ids.EXPAND, "data"),
        Output(ids.PATH_TO, "value"),
        Input(ids.CYTO, "tapNodeData"),
        Input(ids.SEARCH, "value"),
        Input({"type": ids.PICK, "node": ALL}, "n_clicks"),
        Input(ids.OVERVIEW_BTN, "n_clicks"),
        Input(ids.EXPAND_BTN, "n_clicks"),
        Input(ids.REGION, "value"),
        State(ids.SELECTED, "data"),
        State(ids.GROUP, "data"),
        State(ids.EXPAND, "data"),
        State(ids.AGGREGATE_BY, "value"),
        prevent_initial_call=True,
    )
    def select(
        tap: dict | None,
        searched: str | None,
        picks: list[int | None],
        _overview: int,
        _expand: int,
        region: str,
        selected: str,
        group: str,
        expand: list[str],
        agg: str,
    ) -> tuple[Any, ...]:
        return selection_update(
            ds, ctx.triggered_id, tap, searched, picks, region, selected=selected, group=group, expand=expand, agg=agg
        )

    @app.callback(
        Output(ids.SEARCH, "options"),
        Input(ids.SEARCH, "search_value"),
        State(ids.REGION, "value"),
        State(ids.SEARCH, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def search(text: str | None, region: str, current: str | None, lang: str) -> list[dict[str, str]]:
        return search_choices(ds, region, text, current, lang)

    @app.callback(
        Output(ids.CYTO, "stylesheet"),
        Output(ids.DETAIL, "children"),
        Output(ids.PATH_INFO, "children"),
        Output(ids.PATH_TO, "options"),
        Output(ids.EXPAND_BTN, "disabled"),
        Output(ids.MAP_PATH, "data"),
        Input(ids.SELECTED, "data"),
        Input(ids.PATH_TO, "value"),
        State(ids.REGION, "value"),
        State(ids.LANG, "data"),
    )
    def detail(selected: str, target: str | None, region: str, lang: str) -> tuple[Any, ...]:
        return detail_outputs(ds, selected, target, region, lang)

    @app.callback(
        Output({"type": ids.VIEW, "page": "map"}, "data"),
        *controls,
        Input(ids.SELECTED, "data"),
        Input(ids.GROUP, "data"),
        Input(ids.EXPAND, "data"),
        Input(ids.PATH_TO, "value"),
        State(ids.LANG, "data"),
    )
    def view_state(*args: Any) -> dict[str, str]:
        *values, sel, group, expand, path, lang = args
        state = state_from_controls(values, lang, sel=sel, group=group, expand=expand, path=path)
        return {"path": PATH, "query": state.to_query()}

    # In the browser: centre on the selected node (a click, a search or a link's sel=/path=) and
    # fade the rest; print the whole map with title and legend (assets/map.js).
    # Two callbacks, so that centring on a selection does not wait for the detail panel (Dash holds a
    # callback until every pending input is computed, and the path comes with the panel).
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "focus"),
        Output(ids.MAP_FOCUS, "data"),
        Input(ids.SELECTED, "data"),
        Input(ids.CYTO, "elements"),
    )
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "focusPath"),
        Output(ids.MAP_FOCUS, "data", allow_duplicate=True),
        Input(ids.MAP_PATH, "data"),
        State(ids.SELECTED, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "exportImage"),
        Output(ids.MAP_FOCUS, "data", allow_duplicate=True),
        Input(ids.MAP_PNG_BTN, "n_clicks"),
        Input(ids.MAP_SVG_BTN, "n_clicks"),
        State(ids.MAP_EXPORT_SPEC, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.MAP_DOWNLOAD, "data"),
        Output(ids.MAP_EXPORT_STATUS, "children"),
        Input(ids.MAP_EXPORT_BTN, "n_clicks"),
        State(ids.MAP_EXPORT_FORMAT, "value"),
        State(ids.REGION, "value"),
        State(ids.DATA, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def download(clicks: int, fmt: str, region: str, data: str, lang: str) -> tuple[Any, str]:
        return download_outputs(ds, clicks, fmt, region, data == "real", lang)


# --- callback logic: each function returns what its callback in ``register`` outputs ---------


def region_filter_options(ds: DataSource, region: str, lang: str) -> tuple[Any, ...]:
    """Role, programme, fiscal-year and tie menu options for a newly chosen region."""
    try:
        options = filter_options(ds.region_view(region), lang)
    except (StoreUnavailable, KeyError):
        raise PreventUpdate from None
    return options["roles"], options["programmes"], options["years"], options["ties"]


def map_outputs(ds: DataSource, values: list[Any], group: str, expand: list[str], lang: str) -> tuple[Any, ...]:
    """Elements, layout, legend, notice, overview-button hidden flag, node list and export spec."""
    state = state_from_controls(values, lang, group=group, expand=expand)
    if not state.region:
        return [], {"name": "preset"}, [], t("notice.no_region", lang), True, [], None
    try:
        result = map_result(ds, state)
        nodes = node_list_children(ds, result, state.region, lang)
        spec = export_spec(ds, result, state)
    except (StoreUnavailable, KeyError) as exc:
        return [], {"name": "preset"}, [], f"{t('common.unavailable', lang)} {exc}", True, [], None
    legend = legend_children(result, lang, state.size)
    return result.elements, result.layout, legend, result.notice, not group, nodes, spec


def selection_update(
    ds: DataSource,
    trigger: Any,
    tap: dict | None,
    searched: str | None,
    picks: list[int | None],
    region: str,
    *,
    selected: str,
    group: str,
    expand: list[str],
    agg: str,
) -> tuple[Any, ...]:
    """The selected node, open group, expanded nodes and path target after ``trigger`` fired."""
    if trigger == ids.REGION:
        return "", "", [], None
    if trigger == ids.OVERVIEW_BTN:
        return "", "", no_update, None
    if trigger == ids.EXPAND_BTN:
        if not selected or selected in (expand or []):
            raise PreventUpdate
        return no_update, no_update, [*(expand or []), selected], no_update
    if trigger == ids.CYTO and tap:
        if tap.get("aggregate"):
            return "", tap.get("group", ""), no_update, None
        return tap["id"], no_update, no_update, no_update
    if isinstance(trigger, dict) and trigger.get("type") == ids.PICK:
        if not any(picks):
            raise PreventUpdate
        return trigger["node"], no_update, no_update, no_update
    if trigger == ids.SEARCH and searched:
        # the group store changes only when the node is in another group: an unchanged value would
        # still redraw the map, whose fitting layout would undo the centring on the node
        target = group_for(ds, region, searched, agg, group)
        return searched, target if target != (group or "") else no_update, no_update, no_update
    raise PreventUpdate


def search_choices(
    ds: DataSource, region: str, text: str | None, current: str | None, lang: str
) -> list[dict[str, str]]:
    """The search box's options for what has been typed, keeping the current choice."""
    if not text:
        raise PreventUpdate
    try:
        return search_options(ds, region, text, lang, keep=current or "")
    except (StoreUnavailable, KeyError):
        raise PreventUpdate from None


def detail_outputs(ds: DataSource, selected: str, target: str | None, region: str, lang: str) -> tuple[Any, ...]:
    """Highlight stylesheet, detail panel, path message, path targets, expand-button disabled flag
    and the path's node ids (what the browser's focus script frames)."""
    if not selected or not region:
        return highlight_stylesheet(), html.P(t("detail.empty", lang)), "", [], True, []
    try:
        panel, targets = detail_panel(ds, region, selected, lang)
        path = path_between(ds, region, selected, target) if target else []
    except (StoreUnavailable, KeyError) as exc:
        return highlight_stylesheet(), store_message(lang, str(exc)), "", [], True, []
    info = ""
    if target:
        info = t("detail.path", lang, hops=len(path) - 1) if path else t("detail.no_path", lang)
    return highlight_stylesheet(selected, path), panel, info, targets, False, path


def download_outputs(ds: DataSource, clicks: int, fmt: str, region: str, real_only: bool, lang: str) -> tuple[Any, str]:
    """The file to download and the export status line (the error, when the export failed)."""
    if not clicks or not region:
        raise PreventUpdate
    try:
        content, filename = export_file(ds, region, fmt, real_only=real_only)
    except (ExportError, StoreUnavailable, KeyError, OSError) as exc:
        return no_update, t("export.failed", lang) + " ".join(str(exc).split())
    return dcc.send_bytes(content, filename), filename


def group_for(ds: DataSource, region: str, node: str, agg: str, current: str) -> str:
    """The drill-down group to open so a searched node is visible in an aggregated region."""
    view = ds.region_view(region)
    if node not in view or (not current and _element_count(view) <= MAX_ELEMENTS):
        return current or ""
    measures = ds.measures(region) if agg == "community" else {}
    return _group_key(node, view.nodes[node], agg, measures)


__all__ = [
    "NAV",
    "PATH",
    "export_file",
    "export_spec",
    "layout",
    "map_positions",
    "map_result",
    "map_view",
    "node_kind",
    "register",
    "state_from_controls",
]

"""Map page: a region's ecosystem in dash-cytoscape, with filters, search and a node detail panel.

Callbacks are thin: each one turns control values into a :class:`MapState` and hands it to the
plain functions of :mod:`webapp.elements` and :mod:`webapp.detail`. The page arrives with its first
drawing (one round trip: the page itself); a click is handled in the browser (``assets/map.js``
selects, highlights and fades with classes) and asks the server for the detail panel only, so the
map is never re-rendered by a click. The node list is built when it is opened, and the "shortest
path to…" choices once per region.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dash_cytoscape as cyto
import networkx as nx
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from graph.errors import IpecoError
from graph.exports import EXPORT_FORMATS, SUFFIXES, ExportError
from graph.schema import PHASES
from graph.store import StoreUnavailable
from graph.words import phase_name, t
from webapp import ids, timeline
from webapp.components import aria, labelled, region_options, resolve_region, store_message, view_store
from webapp.data import MEASURES, DataSource, display_name, node_kind
from webapp.detail import detail_panel, path_between, path_target_options, search_options, suggestion_section
from webapp.elements import (
    MAX_ELEMENTS,
    MapResult,
    _element_count,
    _group_key,
    base_stylesheet,
    build_map,
    filter_options,
    filter_view,
    map_stylesheet,
    merge_graphs,
)
from webapp.layout import Point, positions_for
from webapp.map_svg import draw_map_svg, parse_view
from webapp.state import LAYOUTS, MapState
from webapp.static_html import split_static, to_html

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
#: The :class:`MapState` field each control of :data:`_CONTROLS` sets, in the same order.
_STATE_KEYS = (
    "region",
    "roles",
    "phases",
    "programmes",
    "years",
    "ties",
    "data",
    "layout",
    "size",
    "color",
    "agg",
    "ip",
    "year",
)
_NODE_LIST_LIMIT = 300


def search_label(view: Any, lang: str) -> str:
    """The search box's label, promising only what the region's data holds: ふりがな and 法人番号
    are named only when some organisation of the view carries them (the bundled seed has neither)."""
    fields = ["name"]
    for prop in ("furigana", "corporate_number"):
        if any(attrs.get(prop) for _, attrs in view.nodes(data=True)):
            fields.append(prop)
    return t("map.search", lang, fields=t("form.tight_list", lang).join(t(f"map.search.{f}", lang) for f in fields))


def state_from_controls(
    values: list[Any], lang: str, sel: str = "", group: str = "", expand: list[str] | None = None, path: str | None = ""
) -> MapState:
    """The :class:`MapState` for the control values in :data:`_CONTROLS` order (an empty control
    takes the state's default; the 知財 checklist is on when anything is ticked)."""
    params: dict[str, Any] = {key: value for key, value in zip(_STATE_KEYS, values, strict=True) if value}
    params["ip"] = "1" if params.get("ip") else ""
    params["year"] = timeline.slider_year(params.get("year"))
    params.update(sel=sel or "", group=group or "", expand=expand or [], path=path or "", lang=lang)
    return MapState.from_params(params)


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
        "items": [
            *result.legend,
            {"color": "#ffffff", "label": t("legend.synthetic", state.lang), "shape": "ellipse", "border": "dashed"},
        ],
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


def node_list_items(ds: DataSource, result: MapResult, lang: str) -> list[Any]:
    """Every drawn node as a button: the keyboard path to a node (the canvas is mouse-only).

    Built only when the list is opened (:func:`node_list_outputs`): most visits never open it, and
    300 buttons are a large share of a page's components.
    """
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
    return [html.Ul(buttons, className="node-list")]


def export_bar(lang: str) -> html.Div:
    """PNG/SVG of the whole map with title and legend (``assets/map.js``) and the region's graph files."""
    formats = [{"label": f, "value": f} for f in EXPORT_FORMATS]
    return html.Div(
        [
            html.Span(t("export.title", lang), className="export-title"),
            html.Button(t("export.png", lang), id=ids.MAP_PNG_BTN, n_clicks=0, className="button"),
            html.Button(t("export.svg", lang), id=ids.MAP_SVG_BTN, n_clicks=0, className="button"),
            html.Fieldset(
                [
                    html.Legend(t("export.format", lang), className="export-label"),
                    dcc.RadioItems(id=ids.MAP_EXPORT_FORMAT, options=formats, value="graphml", inline=True),
                ],
                className="export-format choice-group",
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


@dataclass(frozen=True)
class MapDraw:
    """What the map shows for one state: the drawing and what sits around it.

    The page's first drawing (in :func:`layout`) and every redraw (the ``draw`` callback) are built
    by :func:`map_draw`, the one place where the elements are computed from a :class:`MapState`.
    """

    elements: list[dict[str, Any]]
    layout: dict[str, Any]
    legend: list[Any]
    notice: Any
    overview_hidden: bool
    export_spec: dict[str, Any] | None

    def outputs(self) -> tuple[Any, ...]:
        """The ``draw`` callback's outputs, in its order."""
        return self.elements, self.layout, self.legend, self.notice, self.overview_hidden, self.export_spec


def map_draw(ds: DataSource, state: MapState) -> MapDraw:
    """The drawing for ``state``, or an empty canvas with a notice saying why there is none."""
    lang = state.lang
    if not state.region:
        return MapDraw([], {"name": "preset"}, [], t("notice.no_region", lang), True, None)
    try:
        result = map_result(ds, state)
        spec = export_spec(ds, result, state)
    except IpecoError as exc:
        return MapDraw([], {"name": "preset"}, [], f"{t('common.unavailable', lang)} {exc}", True, None)
    legend = legend_children(result, lang, state.size)
    return MapDraw(result.elements, result.layout, legend, result.notice, not state.group, spec)


@dataclass(frozen=True)
class _PageData:
    """What the page's controls offer, read from the store before anything is laid out."""

    regions: list[dict[str, str]]
    filters: dict[str, list[dict[str, str]]]
    search: list[dict[str, str]]
    search_label: str
    path_targets: list[dict[str, str]]


def _page_data(ds: DataSource, state: MapState) -> _PageData:
    view = ds.region_view(state.region)
    return _PageData(
        regions=region_options(ds, state.lang),
        filters=filter_options(view, state.lang),
        search=search_options(ds, state.region, "", state.lang, keep=state.sel),
        search_label=search_label(view, state.lang),
        path_targets=path_target_options(ds, state.region, state.lang, keep=state.path),
    )


def layout(ds: DataSource, **params: Any) -> Any:
    """The page for a deep link: every control starts from the query string, and the map, the
    detail panel and the path come drawn with the page (no callback runs before the first draw)."""
    state = MapState.from_params(params)
    lang = state.lang
    try:
        state.region = resolve_region(ds, state.region)
        if not state.region:
            return html.Div([html.P(t("banner.empty", lang), className="page-message"), dcc.Store(id=ids.LANG)])
        page = _page_data(ds, state)
    except StoreUnavailable as exc:
        return store_message(lang, exc)
    draw = map_draw(ds, state)
    selection = selection_outputs(ds, state.sel, state.path, state.region, lang)
    suggestions = suggestion_outputs(ds, state.sel, state.region, lang)
    return html.Div(
        [
            *_stores(state, draw, selection),
            dcc.Store(id=ids.SUGGEST_HTML, data=suggestions),
            sidebar(ds, state, page),
            _canvas(state, draw),
            _detail_aside(state, page, selection),
        ],
        className="map-page",
    )


def _stores(state: MapState, draw: MapDraw, selection: tuple[Any, ...]) -> list[Any]:
    return [
        dcc.Store(id=ids.LANG, data=state.lang),
        dcc.Store(id=ids.SELECTED, data=state.sel),
        dcc.Store(id=ids.GROUP, data=state.group),
        dcc.Store(id=ids.EXPAND, data=state.expand),
        dcc.Download(id=ids.MAP_DOWNLOAD),
        dcc.Store(id=ids.DETAIL_HTML, data=selection[0]),
        dcc.Store(id=ids.MAP_PATH, data=selection[4]),
        dcc.Store(id=ids.MAP_EXPORT_SPEC, data=draw.export_spec),
        dcc.Store(id=ids.MAP_FOCUS),
        dcc.Store(id=ids.MAP_SVG_VIEW),
        dcc.Download(id=ids.MAP_SVG_DOWNLOAD),
        view_store("map", PATH, state.to_query()),
    ]


def _multi(cid: str, opts: list[dict[str, str]], value: list[str], label: str, lang: str) -> Any:
    """A searchable menu, for a list that may be long (a region's programmes, its fiscal years)."""
    dropdown = dcc.Dropdown(id=cid, options=opts, value=value, multi=True, placeholder=t("map.any", lang))
    return labelled(label, dropdown, cid)


def _ticks(cid: str, opts: list[dict[str, str]], value: list[str], label: str) -> Any:
    """Tick boxes for a short list of choices (nothing ticked: any): plain inputs that cost the
    first draw far less than a menu, and are reached by Tab and toggled by Space."""
    return _group(label, dcc.Checklist(id=cid, options=opts, value=value, inline=True, className="choice-list"))


def _single(cid: str, opts: list[dict[str, str]], value: str, label: str) -> Any:
    """One choice of a few, as radio buttons (arrow keys move between them)."""
    return _group(label, dcc.RadioItems(id=cid, options=opts, value=value, inline=True, className="choice-list"))


def _group(label: str, control: Any) -> html.Fieldset:
    """A labelled group of inputs: the legend names the group for screen readers."""
    return html.Fieldset([html.Legend(label), control], className="control choice-group")


def sidebar(ds: DataSource, state: MapState, page: _PageData) -> html.Aside:
    """Where the map's controls are laid out: region, search, filters, view, exports, node list."""
    lang = state.lang
    search = dcc.Dropdown(
        id=ids.SEARCH, options=page.search, value=state.sel or None, placeholder=t("map.search_placeholder", lang)
    )
    return html.Aside(
        [
            labelled(
                t("map.region", lang),
                dcc.Dropdown(id=ids.REGION, options=page.regions, value=state.region, clearable=False),
                ids.REGION,
            ),
            # the year applies to the whole view; in the sidebar it leaves the canvas its height
            timeline.slider(ds, state),
            labelled(page.search_label, search, ids.SEARCH),
            _filter_fields(state, page.filters),
            _view_fields(state),
            # below the menus rather than under the canvas, so the graph keeps the column's height
            export_bar(lang),
            html.Details(
                [
                    html.Summary(t("map.nodes", lang), id=ids.NODE_LIST_SUMMARY, n_clicks=0),
                    html.Div(id=ids.NODE_LIST_ITEMS),
                ],
                id=ids.NODE_LIST,
                className="node-list-box",
            ),
        ],
        className="sidebar",
        **aria("label", t("map.filters", lang)),
    )


def _filter_fields(state: MapState, options: dict[str, list[dict[str, str]]]) -> html.Fieldset:
    lang = state.lang
    phases = [{"label": phase_name(p, lang), "value": p} for p in PHASES]
    data_choices = [{"label": t(f"map.data.{k}", lang), "value": k} for k in ("all", "real", "synthetic")]
    return html.Fieldset(
        [
            html.Legend(t("map.filters", lang)),
            _ticks(ids.ROLE, options["roles"], state.roles, t("map.role", lang)),
            _ticks(ids.PHASE, phases, state.phases, t("map.phase", lang)),
            _multi(ids.PROGRAMME, options["programmes"], state.programmes, t("map.programme", lang), lang),
            _multi(ids.FISCAL_YEAR, options["years"], state.years, t("map.fiscal_year", lang), lang),
            _ticks(ids.TIE, options["ties"], state.ties, t("map.tie", lang)),
            labelled(
                t("map.data", lang),
                dcc.RadioItems(id=ids.DATA, options=data_choices, value=state.data, inline=True),
                ids.DATA,
            ),
        ]
    )


def _view_fields(state: MapState) -> html.Fieldset:
    lang = state.lang
    layouts = [{"label": t(f"layout.{k}", lang), "value": k} for k in LAYOUTS]
    aggregates = [{"label": t(f"aggregate.{k}", lang), "value": k} for k in ("role", "community")]
    ip_layer = dcc.Checklist(
        id=ids.IP_LAYER,
        options=[{"label": t("ip.layer", lang), "value": "on"}],
        value=["on"] if state.ip else [],
        inline=True,
    )
    return html.Fieldset(
        [
            html.Legend(t("map.view", lang)),
            _single(ids.LAYOUT, layouts, state.layout, t("map.layout", lang)),
            _single(ids.SIZE_BY, measure_options(lang, with_role=False), state.size, t("map.size_by", lang)),
            _single(ids.COLOR_BY, measure_options(lang, with_role=True), state.color, t("map.color_by", lang)),
            _single(ids.AGGREGATE_BY, aggregates, state.agg, t("map.aggregate_by", lang)),
            html.Div(ip_layer, title=t("ip.layer.title", lang), className="ip-layer"),
        ]
    )


def _canvas(state: MapState, draw: MapDraw) -> html.Section:
    lang = state.lang
    return html.Section(
        [
            html.Div(
                [
                    html.Span(draw.notice, id=ids.NOTICE, role="status"),
                    html.Button(t("map.overview", lang), id=ids.OVERVIEW_BTN, n_clicks=0, hidden=draw.overview_hidden),
                ],
                className="notice-bar",
            ),
            html.Div(draw.legend, id=ids.LEGEND, className="legend"),
            cyto.Cytoscape(
                id=ids.CYTO,
                elements=draw.elements,
                layout=draw.layout,
                stylesheet=map_stylesheet(),
                className="cyto",
                style={"width": "100%", "height": "100%", "minHeight": "420px"},
                # gentle zoom: one wheel notch is about ×1.2, not ×3
                wheelSensitivity=0.2,
                minZoom=0.08,
                maxZoom=3,
                boxSelectionEnabled=False,
                responsive=True,
            ),
        ],
        className="canvas",
    )


def _detail_aside(state: MapState, page: _PageData, selection: tuple[Any, ...]) -> html.Aside:
    lang = state.lang
    _, extra, info, disabled, _ = selection
    return html.Aside(
        [
            html.H2(t("detail.title", lang)),
            # the panel's HTML is put into its body by assets/map.js (ids.DETAIL_HTML)
            html.Div(
                [html.Div(id=ids.DETAIL_BODY, className="html-panel"), html.Div(extra, id=ids.DETAIL_EXTRA)],
                id=ids.DETAIL,
            ),
            html.Div(id=ids.DETAIL_SUGGEST, className="html-panel"),
            html.Div(
                [
                    html.Button(t("detail.expand", lang), id=ids.EXPAND_BTN, n_clicks=0, disabled=disabled),
                    labelled(
                        t("detail.path_to", lang),
                        dcc.Dropdown(id=ids.PATH_TO, options=page.path_targets, value=state.path or None),
                        ids.PATH_TO,
                    ),
                    html.Div(info, id=ids.PATH_INFO, role="status"),
                ],
                className="detail-actions",
            ),
        ],
        className="detail",
        **aria("label", t("detail.title", lang)),
    )


def register(app: Any, ds: DataSource) -> None:
    """Attach the map callbacks to ``app``: none of them runs when the page opens (it comes drawn)."""
    _register_drawing(app, ds)
    _register_view_state(app)
    _register_selection(app, ds)
    _register_browser(app)
    _register_download(app, ds)


def _register_drawing(app: Any, ds: DataSource) -> None:
    """A new region's menus, the redraw on any control and the lazy node list."""
    controls = [Input(c, "value") for c in _CONTROLS]
    timeline.register(app, ds)

    @app.callback(
        Output(ids.ROLE, "options"),
        Output(ids.PROGRAMME, "options"),
        Output(ids.FISCAL_YEAR, "options"),
        Output(ids.TIE, "options"),
        Output(ids.PATH_TO, "options"),
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
        Output(ids.MAP_EXPORT_SPEC, "data"),
        *controls,
        Input(ids.GROUP, "data"),
        Input(ids.EXPAND, "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def draw(*args: Any) -> tuple[Any, ...]:
        *values, group, expand, lang = args
        return map_draw(ds, state_from_controls(values, lang, group=group, expand=expand)).outputs()

    @app.callback(
        Output(ids.NODE_LIST_ITEMS, "children"),
        Input(ids.NODE_LIST_SUMMARY, "n_clicks"),
        Input(ids.MAP_EXPORT_SPEC, "data"),
        *[State(c, "value") for c in _CONTROLS],
        State(ids.GROUP, "data"),
        State(ids.EXPAND, "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def node_list(opened: int, _spec: Any, *args: Any) -> list[Any]:
        *values, group, expand, lang = args
        return node_list_outputs(ds, opened, state_from_controls(values, lang, group=group, expand=expand))


def _register_view_state(app: Any) -> None:
    """The map's view state (what the address bar shows) after any change but the page's opening."""
    controls = [Input(c, "value") for c in _CONTROLS]

    @app.callback(
        Output({"type": ids.VIEW, "page": "map"}, "data"),
        *controls,
        Input(ids.SELECTED, "data"),
        Input(ids.GROUP, "data"),
        Input(ids.EXPAND, "data"),
        Input(ids.PATH_TO, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def view_state(*args: Any) -> dict[str, str]:
        *values, sel, group, expand, path, lang = args
        state = state_from_controls(values, lang, sel=sel, group=group, expand=expand, path=path)
        return {"path": PATH, "query": state.to_query()}


def _register_selection(app: Any, ds: DataSource) -> None:
    """Selecting by search, list, panel or buttons, and the detail panel: the one server call of a click."""

    @app.callback(
        Output(ids.SELECTED, "data"),
        Output(ids.GROUP, "data"),
        Output(ids.EXPAND, "data"),
        Output(ids.PATH_TO, "value"),
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
    def select(searched: str | None, picks: list[int | None], _o: int, _e: int, region: str, *held: Any) -> Any:
        selected, group, expand, agg = held
        current = Selection(selected=selected, group=group, expand=expand, agg=agg)
        return selection_update(ds, ctx.triggered_id, searched, picks, region, current)

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
        Output(ids.DETAIL_HTML, "data"),
        Output(ids.DETAIL_EXTRA, "children"),
        Output(ids.PATH_INFO, "children"),
        Output(ids.EXPAND_BTN, "disabled"),
        Output(ids.MAP_PATH, "data"),
        Input(ids.SELECTED, "data"),
        Input(ids.PATH_TO, "value"),
        State(ids.REGION, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def detail(selected: str, target: str | None, region: str, lang: str) -> tuple[Any, ...]:
        return selection_outputs(ds, selected, target, region, lang)

    @app.callback(
        Output(ids.SUGGEST_HTML, "data"),
        Input(ids.SELECTED, "data"),
        State(ids.REGION, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def suggest(selected: str, region: str, lang: str) -> str:
        return suggestion_outputs(ds, selected, region, lang)


def _register_browser(app: Any) -> None:
    """What runs in the browser (``assets/map.js``): a tap selects, the selection is centred and its
    neighbourhood (or the path) stands out, and the PNG/SVG export.

    Separate callbacks, so that centring on a selection does not wait for the detail panel (Dash
    holds a callback until every pending input is computed, and the path comes with the panel).
    """
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "tap"),
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Output(ids.GROUP, "data", allow_duplicate=True),
        Output(ids.PATH_TO, "value", allow_duplicate=True),
        Input(ids.CYTO, "tapNodeData"),
        prevent_initial_call=True,
    )
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
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "showDetail"),
        Output(ids.MAP_FOCUS, "data", allow_duplicate=True),
        Input(ids.DETAIL_HTML, "data"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "showSuggestions"),
        Output(ids.MAP_FOCUS, "data", allow_duplicate=True),
        Input(ids.SUGGEST_HTML, "data"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "exportImage"),
        Output(ids.MAP_FOCUS, "data", allow_duplicate=True),
        Input(ids.MAP_PNG_BTN, "n_clicks"),
        State(ids.MAP_EXPORT_SPEC, "data"),
        prevent_initial_call=True,
    )
    # the SVG is drawn on the server (webapp.map_svg) from what the browser shows
    app.clientside_callback(
        ClientsideFunction("ipeco_map", "svgView"),
        Output(ids.MAP_SVG_VIEW, "data"),
        Input(ids.MAP_SVG_BTN, "n_clicks"),
        prevent_initial_call=True,
    )


def _register_download(app: Any, ds: DataSource) -> None:
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

    @app.callback(
        Output(ids.MAP_SVG_DOWNLOAD, "data"),
        Output(ids.MAP_EXPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.MAP_SVG_VIEW, "data"),
        *[State(c, "value") for c in _CONTROLS],
        State(ids.GROUP, "data"),
        State(ids.EXPAND, "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def svg_download(view: Any, *args: Any) -> tuple[Any, str]:
        *values, group, expand, lang = args
        return svg_outputs(ds, view, state_from_controls(values, lang, group=group, expand=expand))


# --- callback logic: each function returns what its callback in ``register`` outputs ---------


def region_filter_options(ds: DataSource, region: str, lang: str) -> tuple[Any, ...]:
    """Role, programme, fiscal-year, tie and path-target menu options for a newly chosen region."""
    try:
        options = filter_options(ds.region_view(region), lang)
        targets = path_target_options(ds, region, lang)
    except IpecoError:
        raise PreventUpdate from None
    return options["roles"], options["programmes"], options["years"], options["ties"], targets


def node_list_outputs(ds: DataSource, opened: int | None, state: MapState) -> list[Any]:
    """The node list's buttons, once the list has been opened (nothing is built before)."""
    if not opened or not state.region:
        raise PreventUpdate
    try:
        return node_list_items(ds, map_result(ds, state), state.lang)
    except IpecoError:
        raise PreventUpdate from None


@dataclass(frozen=True)
class Selection:
    """What the page holds about the selection when a selecting control fires."""

    selected: str = ""
    group: str = ""
    expand: list[str] | None = None
    agg: str = "role"


def selection_update(
    ds: DataSource, trigger: Any, searched: str | None, picks: list[int | None], region: str, current: Selection
) -> tuple[Any, ...]:
    """The selected node, open group, expanded nodes and path target after ``trigger`` fired.

    A tap on the canvas is not here: the browser handles it (``assets/map.js``, ``tap``).
    """
    if trigger == ids.REGION:
        return "", "", [], None
    if trigger == ids.OVERVIEW_BTN:
        return "", "", no_update, None
    if trigger == ids.EXPAND_BTN:
        return _expanded(current)
    if isinstance(trigger, dict) and trigger.get("type") == ids.PICK:
        if not any(picks):
            raise PreventUpdate
        return trigger["node"], no_update, no_update, no_update
    if trigger == ids.SEARCH and searched:
        # the group store changes only when the node is in another group: an unchanged value would
        # still redraw the map, whose fitting layout would undo the centring on the node
        target = group_for(ds, region, searched, current.agg, current.group)
        return searched, target if target != (current.group or "") else no_update, no_update, no_update
    raise PreventUpdate


def _expanded(current: Selection) -> tuple[Any, ...]:
    expand = current.expand or []
    if not current.selected or current.selected in expand:
        raise PreventUpdate
    return no_update, no_update, [*expand, current.selected], no_update


def search_choices(
    ds: DataSource, region: str, text: str | None, current: str | None, lang: str
) -> list[dict[str, str]]:
    """The search box's options for what has been typed, keeping the current choice."""
    if not text:
        raise PreventUpdate
    try:
        return search_options(ds, region, text, lang, keep=current or "")
    except IpecoError:
        raise PreventUpdate from None


def suggestion_outputs(ds: DataSource, selected: str, region: str, lang: str) -> str:
    """The selected organisation's suggestions as HTML, below its panel (asked for beside the panel)."""
    if not selected or not region:
        return ""
    try:
        return to_html(suggestion_section(ds, region, selected, lang))
    except IpecoError:
        return ""


def selection_outputs(ds: DataSource, selected: str, target: str | None, region: str, lang: str) -> tuple[Any, ...]:
    """Detail panel (its HTML, and its parts that need Dash), path message, expand-button disabled
    flag and the path's node ids (what the browser's focus script marks and frames): small, and
    never the map itself.

    The panel goes to the browser as one HTML string (:mod:`webapp.static_html`): as a component
    tree, a large organisation's panel cost the browser more than a second to take in.
    """
    if not selected or not region:
        return to_html(html.P(t("detail.empty", lang))), [], "", True, []
    try:
        panel = detail_panel(ds, region, selected, lang, suggestions=False)
        path = path_between(ds, region, selected, target) if target else []
    except IpecoError as exc:
        return to_html(store_message(lang, str(exc))), [], "", True, []
    info = ""
    if target:
        info = t("detail.path", lang, hops=len(path) - 1) if path else t("detail.no_path", lang)
    body, extra = split_static(panel)
    return body, extra, info, False, path


def download_outputs(ds: DataSource, clicks: int, fmt: str, region: str, real_only: bool, lang: str) -> tuple[Any, str]:
    """The file to download and the export status line (the error, when the export failed)."""
    if not clicks or not region:
        raise PreventUpdate
    try:
        content, filename = export_file(ds, region, fmt, real_only=real_only)
    except IpecoError as exc:
        return no_update, t("export.failed", lang) + " ".join(str(exc).split())
    return dcc.send_bytes(content, filename), filename


def map_svg(ds: DataSource, raw_view: Any, state: MapState) -> tuple[str, str]:
    """The map of ``state`` as an SVG drawn from what the browser shows (``raw_view``, see
    :func:`webapp.map_svg.parse_view`), and its file name."""
    view = parse_view(raw_view, state.lang)
    result = map_result(ds, state)
    spec = export_spec(ds, result, state)
    return draw_map_svg(result.elements, view, spec, base_stylesheet(), state.lang), spec["filename"] + ".svg"


def svg_outputs(ds: DataSource, raw_view: Any, state: MapState) -> tuple[Any, str]:
    """The SVG download and the export status line (the error, when the drawing failed)."""
    if not raw_view or not state.region:
        raise PreventUpdate
    try:
        content, filename = map_svg(ds, raw_view, state)
    except IpecoError as exc:
        return no_update, t("export.failed", state.lang) + " ".join(str(exc).split())
    return dcc.send_string(content, filename, type="image/svg+xml"), filename


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
    "MapDraw",
    "export_file",
    "export_spec",
    "layout",
    "map_draw",
    "map_positions",
    "map_result",
    "map_svg",
    "map_view",
    "node_kind",
    "register",
    "sidebar",
    "state_from_controls",
]

"""地域の変化 page (issue 21): a region's indicators over the fiscal years, the changes between two
years with their pages, and its firms' journeys as a Sankey.

Every number and item is the analysis service's (:class:`analytics.timeline.Timeline`), worded by
:mod:`reports.timeline` as ``ipeco changes`` and the regional report word them. The model-region
fiscal year is marked on every chart; the ties and organisations no year can hold are counted.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html
from plotly.subplots import make_subplots

from analytics.timeline import Timeline
from graph.store import StoreUnavailable
from graph.words import STRINGS, fiscal_year, normalise_lang, phase_name, t
from reports.timeline import change_rows, journey_summary, programme_names, sankey_data, undated_line
from webapp import ids
from webapp.components import labelled, region_options, resolve_region, store_message, view_store
from webapp.data import DataSource
from webapp.elements import OKABE_ITO
from webapp.state import encode_query

PATH = "/changes"
NAV = "nav.changes"

REGION = "changes-region"
FROM = "changes-from"
TO = "changes-to"
BODY = "changes-body"
LANG = "changes-lang"

#: Indicators charted over time (the Timeline's series keys), one small panel each.
CHARTED = ("n", "m", "density", "components", "supported_firm_share", "phase_coverage.expansion")
#: Changes listed per kind on the page (``ipeco changes --json`` lists every one).
SHOWN_PER_KIND = 25
#: Colours of the Sankey's phases (Okabe–Ito, as the map's phases).
PHASE_COLOURS = {"ideation": OKABE_ITO[0], "launch": OKABE_ITO[1], "expansion": OKABE_ITO[2]}


def _label(key: str, lang: str) -> str:
    head, _, phase = key.partition(".")
    name = t(f"indicator.{head}", lang) if f"indicator.{head}" in STRINGS else head
    return f"{name} ({phase_name(phase, lang)})" if phase else name


def timeline_chart(timeline: Any, lang: str) -> dcc.Graph:
    """Small multiples of the charted indicators by fiscal year, the model-region year marked on each."""
    cols = 3
    rows = (len(CHARTED) + cols - 1) // cols
    figure = make_subplots(rows=rows, cols=cols, subplot_titles=[_label(k, lang) for k in CHARTED])
    for i, key in enumerate(CHARTED):
        row, col = i // cols + 1, i % cols + 1
        figure.add_trace(
            go.Scatter(x=list(timeline.years), y=list(timeline.values(key)), mode="lines+markers", showlegend=False),
            row=row,
            col=col,
        )
        if timeline.model_region_fy is not None:
            figure.add_vline(x=timeline.model_region_fy, line_dash="dot", line_color="#D55E00", row=row, col=col)
    if timeline.model_region_fy is not None:
        figure.add_annotation(
            text=t("time.model_year", lang, year=fiscal_year(timeline.model_region_fy, lang)),
            xref="paper",
            yref="paper",
            x=1,
            y=1.12,
            showarrow=False,
            font={"color": "#D55E00"},
        )
    figure.update_layout(
        height=240 * rows, margin={"l": 40, "r": 10, "t": 50, "b": 30}, plot_bgcolor="#fff", paper_bgcolor="#fff"
    )
    figure.update_yaxes(gridcolor="#e5e5e5")
    return dcc.Graph(figure=figure, config={"displayModeBar": False}, id="changes-timeline", className="compare-chart")


def change_table(changes: Any, lang: str) -> html.Table | html.Div | html.P:
    """Every change with a link to its page (the first; how many more in brackets)."""
    rows = change_rows(changes, lang, per_kind=SHOWN_PER_KIND)
    if not rows:
        return html.P(t("time.changes.none", lang))
    head = html.Thead(html.Tr([html.Th(t(f"time.col.{k}", lang)) for k in ("kind", "what", "year", "source")]))
    body = []
    for row in rows:
        first = row.sources[0] if row.sources else ""
        more = f" (+{len(row.sources) - 1})" if len(row.sources) > 1 else ""
        source: Any = [html.A(first, href=first, target="_blank", rel="noopener"), more] if first else row.source
        cls = "change-row synthetic" if row.synthetic else "change-row"
        body.append(html.Tr([html.Td(row.kind), html.Td(row.what), html.Td(row.year), html.Td(source)], className=cls))
    table = html.Table([head, html.Tbody(body)], className="compare-table changes-table", id="changes-table")
    if len(rows) == len(changes.items):
        return table
    more = t("time.changes.shown", lang, shown=len(rows), total=len(changes.items), per_kind=SHOWN_PER_KIND)
    return html.Div([table, html.P(more, className="banner-detail")])


def sankey(journeys: Any, graph: Any, lang: str) -> list[Any]:
    """The journeys' count sentence and, when any firm has one, their Sankey."""
    out: list[Any] = [html.P(journey_summary(journeys, lang), id="journeys-count")]
    if not journeys.journeys:
        return [*out, html.P(t("journey.none", lang))]
    data = sankey_data(journeys, lang, programme_names(graph, lang))
    figure = go.Figure(data=[go.Sankey(**{k: v for k, v in data.plotly(PHASE_COLOURS).items() if k != "type"})])
    figure.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return [*out, dcc.Graph(figure=figure, config={"displayModeBar": False}, id="journeys-sankey")]


def changes_body(ds: DataSource, region: str, start: int, end: int, lang: str) -> list[Any]:
    """The page below its pickers for one region and pair of years (cached per data version)."""
    return ds.cached(("changes-body", region, start, end, lang), lambda: _body(ds, region, start, end, lang))


def _body(ds: DataSource, region: str, start: int, end: int, lang: str) -> list[Any]:
    timeline = Timeline(ds.service)
    series = timeline.indicators(region)
    changes = timeline.changes(region, start, end)
    graph, _ = ds.graph()
    counts = " / ".join(f"{t(f'change.{k}', lang)} {n}" for k, n in changes.counts().items())
    return [
        html.H3(t("time.indicators", lang)),
        timeline_chart(series, lang),
        html.P(undated_line(series.undated_ties, series.undated_organisations, lang), id="changes-undated"),
        html.H3(t("time.changes", lang, start=fiscal_year(start, lang), end=fiscal_year(end, lang))),
        html.P(counts, id="changes-counts"),
        change_table(changes, lang),
        html.H3(t("journey.title", lang)),
        *sankey(timeline.journeys(region), graph, lang),
    ]


def _years(ds: DataSource) -> tuple[int, ...]:
    return Timeline(ds.service).years()


def _pair(years: tuple[int, ...], start: Any, end: Any) -> tuple[int, int]:
    """The two years asked for, repaired to the offered ones (the latest, and the one before it)."""
    latest = years[-1]
    to = int(end) if str(end or "").isdigit() and int(end) in years else latest
    earlier = [y for y in years if y < to] or [to]
    frm = int(start) if str(start or "").isdigit() and int(start) in earlier else earlier[-1]
    return frm, to


def _query(region: str, start: int, end: int, lang: str) -> str:
    return encode_query({"region": region, "from": start, "to": end, "lang": lang if lang != "ja" else None})


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    try:
        region = resolve_region(ds, params.get("region"))
        years = _years(ds)
        start, end = _pair(years, params.get("from"), params.get("to"))
        body = changes_body(ds, region, start, end, lang)
        options = region_options(ds, lang)
    except StoreUnavailable as exc:
        return html.Div([html.H2(t("time.title", lang)), store_message(lang, exc)], className="page")
    year_options = [{"label": fiscal_year(y, lang), "value": y} for y in years]
    pickers = html.Div(
        [
            labelled(
                t("time.region", lang), dcc.Dropdown(id=REGION, options=options, value=region, clearable=False), REGION
            ),
            labelled(
                t("time.from", lang), dcc.Dropdown(id=FROM, options=year_options, value=start, clearable=False), FROM
            ),
            labelled(t("time.to", lang), dcc.Dropdown(id=TO, options=year_options, value=end, clearable=False), TO),
        ],
        className="controls",
    )
    return html.Div(
        [
            view_store("changes", PATH, _query(region, start, end, lang)),
            dcc.Store(id=LANG, data=lang),
            html.H2(t("time.title", lang)),
            html.P(t("time.intro", lang)),
            pickers,
            dcc.Loading(html.Div(body, id=BODY)),
        ],
        className="page",
    )


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(BODY, "children"),
        Output({"type": ids.VIEW, "page": "changes"}, "data"),
        Input(REGION, "value"),
        Input(FROM, "value"),
        Input(TO, "value"),
        State(LANG, "data"),
        prevent_initial_call=True,
    )
    def redraw(region: str, start: Any, end: Any, lang: str) -> tuple[Any, dict[str, str]]:
        try:
            frm, to = _pair(_years(ds), start, end)
            body = changes_body(ds, region, frm, to, lang)
        except StoreUnavailable as exc:
            return [store_message(lang, exc)], {"path": PATH, "query": _query(region, 0, 0, lang)}
        return body, {"path": PATH, "query": _query(region, frm, to, lang)}

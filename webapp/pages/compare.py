"""Compare page: the model regions side by side on the same indicators.

The indicator table (definitions on hover), small bar charts for the key indicators, and small
network pictures drawn at one common scale, so a bigger network looks bigger. Charts and pictures
are static SVG drawn on the server: the first visit must be near an empty page's time, and a dozen
Plotly plots plus six graph canvases took the browser ten seconds or more; even one Plotly figure
made the page load plotly.js (1.2 MB). The whole body then goes to the browser as one HTML string
(:func:`body_html`), not as the few hundred Dash components it is built from.
"""

from __future__ import annotations

import html as html_text
import math
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from dash import Input, Output, State, dcc, html

from analytics.compare import COLLECTION_DEPENDENT, THIN_DATA_TIES
from graph.store import StoreUnavailable
from graph.words import STRINGS, normalise_lang, t
from reports.collect import region_figure
from reports.formatting import number, percent
from reports.model import Figure
from reports.render import figure_svg
from webapp import ids
from webapp.components import store_message, view_store
from webapp.data import DataSource, display_name
from webapp.elements import OKABE_ITO
from webapp.glossary import help_link
from webapp.ip_panel import ip_summary
from webapp.state import encode_query
from webapp.static_html import to_html
from webapp.svg_charts import Bar, BarChart, BarPanel, bar_chart_svg

PATH = "/compare"
NAV = "nav.compare"
_REGION_KEY = re.compile(r"[a-z][a-z0-9_-]{0,40}")

#: Indicators charted when present (the table shows all of them).
KEY_INDICATORS = (
    "n",
    "m",
    "organisations",
    "ties",
    "density",
    "mean_degree",
    "modularity",
    "supported_firm_share",
    "supported_share",
    "support_per_100_firms",
    "largest_component_share",
    "articulation_points",
)
#: Panels per row of the key-indicator figure.
_CHART_COLUMNS = 3


def _is_share(key: str) -> bool:
    """Indicators that are a share of organisations or firms (0–1), read as a percentage."""
    return key.endswith("_share") or key.startswith("phase_coverage")


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fmt(value: Any, lang: str = "ja", *, share: bool = False) -> str:
    """A cell as the reports print it (``reports.formatting.number``): ``1,234``, ``0.427``, ``96%``, a dash."""
    if share and isinstance(value, int | float) and not isinstance(value, bool):
        return percent(value)
    if isinstance(value, float) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return number(value, lang)


def broker_names(ds: DataSource, regions: list[str], lang: str, *, real_only: bool) -> dict[str, str]:
    """Each region's top brokers by their name in ``lang`` (English where the data has it).

    The flattened table cell carries the analysis' Japanese names; the brokers' ids are in the
    service's comparison (cached), and their names in the page's language come from the graph.
    """
    comparison = ds.service.comparison(regions, real_only=real_only)
    try:
        brokers = comparison.indicator("top_brokers").values
    except StopIteration:
        return {}
    graph, _ = ds.graph()
    out: dict[str, str] = {}
    for region, items in brokers.items():
        names = [
            display_name(graph.nodes[item["id"]], lang, item["id"])
            if item.get("id") in graph
            else str(item.get("name"))
            for item in items or []
        ]
        out[region] = t("form.list", lang).join(names[:3]) + ("…" if len(names) > 3 else "")
    return out


def region_names(ds: DataSource, lang: str) -> dict[str, str]:
    return {r["key"]: (r["name"] if lang == "ja" else r["name_en"]) for r in ds.regions()}


def region_header(region: str, names: dict[str, str], thin: dict[str, int], lang: str) -> html.Th:
    """A region's column head; when its measures rest on too few ties, a notice says so beside the name."""
    name = names.get(region, region)
    if region not in thin:
        return html.Th(name, scope="col")
    ties = thin[region]
    notice = html.Small(
        t("thin.short", lang, ties=ties),
        className="thin-data",
        title=t("thin.detail", lang, ties=ties, limit=THIN_DATA_TIES),
    )
    return html.Th([name, html.Br(), notice], scope="col")


def indicator_table(
    table: dict[str, Any], names: dict[str, str], lang: str, *, brokers: dict[str, str] | None = None
) -> html.Table:
    """One row per indicator, one column per region; the definition is the row label's tooltip.

    ``brokers`` replaces the top-brokers cells with the names in ``lang`` (:func:`broker_names`).
    """
    regions = table["regions"]
    thin = table.get("thin", {})
    head = html.Thead(
        html.Tr([html.Th(t("compare.indicator", lang)), *(region_header(r, names, thin, lang) for r in regions)])
    )
    rows = []
    caveat = t("indicator.caveat", lang)
    for row in table["indicators"]:
        name, definition = indicator_words(row, lang)
        label = html.Abbr(name, title=definition, className="term") if definition else name
        values = {**row["values"], **brokers} if brokers and row["key"] == "top_brokers" else row["values"]
        share = _is_share(row["key"])
        # A value that depends on how much was collected carries the caveat in every column alike.
        mark = [html.Sup("※" if lang == "ja" else "*", title=caveat, className="coverage-mark")]
        marked = row["key"] in COLLECTION_DEPENDENT
        cells = [html.Td([_fmt(values.get(r), lang, share=share), *(mark if marked else [])]) for r in regions]
        rows.append(html.Tr([html.Th(label, scope="row"), *cells]))
    foot = html.Tfoot(html.Tr(html.Td(caveat, colSpan=len(regions) + 1, className="coverage-caveat")))
    return html.Table([head, html.Tbody(rows), foot], className="compare-table", id=ids.COMPARE_TABLE)


def indicator_words(row: dict[str, Any], lang: str) -> tuple[str, str]:
    """An indicator's one name and plain definition, from the shared string table (as the CLI and PDF say it)."""
    key = str(row["key"])
    if f"indicator.{key}" in STRINGS:
        return t(f"indicator.{key}", lang), t(f"indicator.{key}.def", lang)
    return str(row["label"][lang]), str(row["definition"][lang])


def indicator_charts(table: dict[str, Any], names: dict[str, str], lang: str) -> html.Div | None:
    """The key indicators as small bar charts, one panel per indicator, drawn as one inline SVG.

    Drawn on the server (:mod:`webapp.svg_charts`): a Plotly figure made Dash load plotly.js on
    the page's first visit for a chart with nothing to zoom. The component holds the SVG in its
    ``data-svg`` attribute (Dash has no SVG components); :func:`body_html` writes it inline. Each bar's
    tooltip gives its value and the indicator's definition, the legend names the regions' colours.
    """
    regions = table["regions"]
    rows = [
        row
        for row in table["indicators"]
        if row["key"] in KEY_INDICATORS and any(_numeric(v) for v in row["values"].values())
    ]
    if not rows:
        return None
    panels = []
    for row in rows:
        share = _is_share(row["key"])
        values = [v if _numeric(v := row["values"].get(r)) else None for r in regions]  # no bar, not a zero
        title, definition = indicator_words(row, lang)
        bars = tuple(Bar(None if v is None else float(v), _fmt(v, lang, share=share)) for v in values)
        panels.append(BarPanel(title, definition, bars, share=share))
    chart = BarChart(
        label=t("chart.compare.label", lang),
        series=tuple(names.get(r, r) for r in regions),
        colours=tuple(OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(regions))),
        panels=tuple(panels),
        x_axis=t("chart.x_axis.regions", lang),
        lang=lang,
        columns=_CHART_COLUMNS,
    )
    attrs: dict[str, Any] = {"data-svg": bar_chart_svg(chart)}  # a data-* prop has no Python name
    return html.Div(className="compare-chart svg-chart", **attrs)


def _common_scale(figures: dict[str, Figure]) -> dict[str, Figure]:
    """Each figure shrunk about its centre by √(its tied organisations / the most any has).

    The briefs' layout fills the unit square whatever the network's size; shrinking by the square
    root of the node count makes the drawn area grow with the network, so a bigger one looks bigger.
    """
    most = max((len(f.nodes) for f in figures.values()), default=0) or 1
    out = {}
    for region, fig in figures.items():
        k = math.sqrt(len(fig.nodes) / most)
        nodes = tuple(replace(n, x=0.5 + (n.x - 0.5) * k, y=0.5 + (n.y - 0.5) * k) for n in fig.nodes)
        out[region] = replace(fig, nodes=nodes)
    return out


#: What a data URI may carry unescaped besides letters and digits: SVG's own punctuation, so the
#: drawing stays text that compresses (base64 made it a third bigger and near incompressible).
_URI_SAFE = " /:=,.;-_'()!*~+"


def svg_data_uri(svg: str) -> str:
    """``svg`` as a ``data:`` address for an ``<img>``: percent-encoded UTF-8, not base64.

    The page travels compressed; base64 hides the drawing's repetitions from the compressor, so
    the six networks took 10 KB of the answer's 17 KB sent. Percent-encoding keeps them text.
    """
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=_URI_SAFE)


def thumbnails(ds: DataSource, regions: list[str], names: dict[str, str], lang: str, real_only: bool) -> list[Any]:
    """One card per region: its name (a link to its map) and its network as a static SVG image.

    The picture is the comparison brief's figure (:func:`reports.render.figure_svg`), drawn on the
    server once per data version, so the browser only decodes an image: no graph library starts.
    """
    figures = _common_scale({r: region_figure(ds.service, r, real_only=real_only) for r in regions})
    cards = []
    for region, fig in figures.items():
        name = names.get(region, region)
        link = dcc.Link(name, href="/" + encode_query({"region": region, "lang": lang if lang != "ja" else None}))
        svg = figure_svg(fig, lang)
        alt = t("compare.thumb_alt", lang, region=name, n=fig.organisations, m=fig.ties)
        picture: Any = (
            html.Img(
                src=svg_data_uri(svg),
                alt=alt,
                title=alt,
                className="thumb-img",
            )
            if svg is not None
            else html.P(t("doc.figure.empty", lang))
        )
        cards.append(html.Div([html.H3(link), picture], className="thumb"))
    return cards


@dataclass(frozen=True)
class CompareBody:
    """The page's body as components (what the tests and callers inspect) and as the one HTML
    string the browser is sent (:func:`body_html`)."""

    components: list[Any]
    html: str


def _cached_body(ds: DataSource, lang: str, real_only: bool) -> CompareBody:
    def compute() -> CompareBody:
        components = _compare_body(ds, lang, real_only)
        return CompareBody(components, body_html(components))

    return ds.cached(("compare-body", lang, real_only), compute)


def compare_body(ds: DataSource, lang: str, real_only: bool) -> list[Any]:
    """The page's table, charts and thumbnails, built once per language and data version.

    Built on the first visit (or by :func:`webapp.serve.warm_pages` at the server's start) and then
    served from the data source's cache: the figures and thumbnail layouts are the same for every
    visitor until the data changes. Callers must not mutate the returned components.
    """
    return _cached_body(ds, lang, real_only).components


def compare_html(ds: DataSource, lang: str, real_only: bool) -> str:
    """:func:`compare_body` as the one HTML string the page is sent, cached (and warmed) with it."""
    return _cached_body(ds, lang, real_only).html


def body_html(body: list[Any]) -> str:
    """The body's components written out as HTML (:mod:`webapp.static_html`), for one ``innerHTML``.

    Why: as Dash components the body is some 370 React components (table cells, their marks and
    tooltips); mounting them took Chromium about 150 ms of script after the answer had arrived, on
    a page whose empty counterpart (the 404 page) takes a tenth of that. Nothing in the body needs
    Dash: its links are marked ``data-dash-link`` and ``assets/compare.js`` makes them navigate as
    ``dcc.Link`` does. The chart goes in inline (no ``data-svg`` to unpack) and each thumbnail as an
    ``<img>`` of its ``data:`` address, which :func:`webapp.static_html.to_html` refuses for links
    from the data; these are the server's own drawings.
    """
    parts = []
    for item in body:
        kind = getattr(item, "className", None)
        if kind == "charts":
            chart = item.children
            inner = "" if chart is None else f'<div class="{chart.className}">{vars(chart)["data-svg"]}</div>'
            parts.append(f'<div class="charts">{inner}</div>')
        elif kind == "thumbs":
            parts.append('<div class="thumbs">' + "".join(_card_html(card) for card in item.children) + "</div>")
        else:
            parts.append(to_html(item))
    return "".join(parts)


#: A thumbnail's attributes in HTML, with the Dash prop each comes from.
_IMG_ATTRS = (("src", "src"), ("alt", "alt"), ("title", "title"), ("class", "className"))


def _card_html(card: html.Div) -> str:
    """A thumbnail card: its heading (a link to the region's map) and its picture."""
    heading, picture = card.children
    if isinstance(picture, html.Img):
        attrs = {name: getattr(picture, prop) for name, prop in _IMG_ATTRS}
        shown = "<img" + "".join(f' {k}="{html_text.escape(str(v), quote=True)}"' for k, v in attrs.items()) + ">"
    else:
        shown = to_html(picture)
    return f'<div class="thumb">{to_html(heading)}{shown}</div>'


def producer_notes(ds: DataSource, regions: list[str], names: dict[str, str], lang: str, real_only: bool) -> list[Any]:
    """One line per region whose producer records the tie counts above leave out (none when there are none)."""
    notes = []
    for region in regions:
        records = ds.service.engagements(region, real_only=real_only).records
        if records:
            text = t("engagements.not_counted_in", lang, region=names.get(region, region), n=records)
            notes.append(html.P(text, className="banner-detail producer-records"))
    return notes


def _compare_body(ds: DataSource, lang: str, real_only: bool) -> list[Any]:
    table = ds.compare(real_only=real_only)
    names = region_names(ds, lang)
    brokers = broker_names(ds, table["regions"], lang, real_only=real_only)
    return [
        html.P([t("compare.hover", lang), " ", help_link(lang)], className="banner-detail"),
        indicator_table(table, names, lang, brokers=brokers),
        *producer_notes(ds, table["regions"], names, lang, real_only),
        html.H3(t("compare.charts", lang)),
        html.Div(indicator_charts(table, names, lang), className="charts"),
        *ip_summary(ds, table["regions"], names, lang, real_only=real_only),
        html.H3(t("compare.thumbs", lang)),
        html.Div(thumbnails(ds, table["regions"], names, lang, real_only), className="thumbs"),
    ]


def page_body(ds: DataSource, lang: str, real_only: bool) -> list[Any]:
    """What the page's body holds: one element whose ``data-html`` ``assets/compare.js`` puts in place."""
    try:
        text = compare_html(ds, lang, real_only)
    except StoreUnavailable as exc:
        return [store_message(lang, exc)]
    attrs: dict[str, Any] = {"data-html": text}  # a data-* prop has no Python name
    return [html.Div(className="compare-body", **attrs)]


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    real_only = params.get("real") == "1"
    # The region the visitor came from stays in the address, so the menu's links keep it (issue 20).
    region = str(params["region"]) if _REGION_KEY.fullmatch(str(params.get("region") or "")) else None
    query = encode_query({"region": region, "lang": lang if lang != "ja" else None, "real": "1" if real_only else None})
    body = page_body(ds, lang, real_only)
    toggle = dcc.Checklist(
        id=ids.COMPARE_REAL,
        options=[{"label": t("compare.real_only", lang), "value": "1"}],
        value=["1"] if real_only else [],
        inline=True,
    )
    return html.Div(
        [
            view_store("compare", PATH, query),
            dcc.Store(id="compare-lang", data=lang),
            html.H2(t("compare.title", lang)),
            toggle,
            html.Div(body, id=ids.COMPARE_CHARTS),
        ],
        className="page",
    )


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(ids.COMPARE_CHARTS, "children"),
        Output({"type": ids.VIEW, "page": "compare"}, "data"),
        Input(ids.COMPARE_REAL, "value"),
        State("compare-lang", "data"),
        prevent_initial_call=True,
    )
    def toggle_real(value: list[str], lang: str) -> tuple[Any, dict[str, str]]:
        real_only = "1" in (value or [])
        # The region is not in this callback's inputs: the menu keeps the session's last region.
        query = encode_query({"lang": lang if lang != "ja" else None, "real": "1" if real_only else None})
        return page_body(ds, lang, real_only), {"path": PATH, "query": query}
